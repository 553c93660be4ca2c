"""What members declare on a §: recusal, reservation, special statements and minute notes."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from committee.models import Person
from minutes.models.item import Item
from minutes.models.procedure import Motion, Participant


class Recusal(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="recusals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    left_room = models.BooleanField(_("left the room"), default=True)
    substitute = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("substitute serving instead"),
    )
    wording = models.TextField(_("own wording for the recusal sentence"), blank=True)

    class Meta:
        ordering = ["item", "id"]
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="recusal_once_per_item")]

    def __str__(self) -> str:
        return f"{self.person} (§ {self.item.number})"


class Reservation(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reservations")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    in_favour_of = models.ForeignKey(
        Motion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reservations",
        verbose_name=_("in favour of the motion"),
    )
    text = models.TextField(_("written justification"), blank=True)
    appendix = models.CharField(
        _("appendix"),
        max_length=20,
        blank=True,
        help_text=_("The appendix the written reservation is in (1, A); its text is then not printed in the §."),
    )
    wording = models.TextField(_("own wording for the reservation sentence"), blank=True)

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")

    def __str__(self) -> str:
        return f"Reservation (§ {self.item.number})"


class ReservationMember(Participant):
    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="members")

    class Meta(Participant.Meta):
        verbose_name = _("reserving member")
        verbose_name_plural = _("reserving members")
        constraints = [models.UniqueConstraint(fields=["reservation", "person"], name="member_once_per_reservation")]


class StatementKind(models.TextChoices):
    SPECIAL = "special", _("Special statement (särskilt uttalande)")
    MINUTE_NOTE = "minute_note", _("Minute note (protokollsanteckning)")


class Statement(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="statements")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=StatementKind)
    text = models.TextField(_("text"), blank=True)
    in_appendix = models.BooleanField(
        _("text in an appendix"),
        default=False,
        help_text=_("The protocol only says the statement was made; its text is in an appendix."),
    )
    appendix = models.CharField(_("appendix"), max_length=20, blank=True, help_text=_("Which appendix (1, A)."))

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (§ {self.item.number})"

    def clean(self) -> None:
        if not self.text.strip() and not self.in_appendix:
            raise ValidationError({"text": _("Write the statement, or say that its text is in an appendix.")})
        if self.appendix and not self.in_appendix:
            raise ValidationError({"appendix": _("An appendix is named only for a statement whose text is in it.")})


class StatementAuthor(Participant):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="authors")

    class Meta(Participant.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        constraints = [models.UniqueConstraint(fields=["statement", "person"], name="author_once_per_statement")]
