"""Who sits on a committee: the committee itself, parties, people and their memberships."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NumberingScheme(models.TextChoices):
    PER_MEETING = "per_meeting", _("Starts at § 1 in every meeting")
    PER_YEAR = "per_year", _("Runs on through the calendar year")


class Tense(models.TextChoices):
    PAST = "past", _("Past tense (yrkade, fann)")
    PRESENT = "present", _("Present tense (yrkar, finner)")


class Stamped(models.Model):
    """When a record was created and last changed: OParl clients sync by these (minutes/oparl/).

    Deletions are kept by the audit trail (minutes/models/history.py), from which the API
    serves its tombstones.
    """

    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        abstract = True


class HouseStyle(Stamped):
    """A house style: the document the protocol's wording is read from (minutes/protocol/housestyle.py).

    `document` is the current version's; every save through `minutes.styles.save_style` adds an
    immutable HouseStyleVersion, and an adjusted protocol keeps the document it was printed with.
    Its `owner` committee's secretaries edit it; the owner may let other committees of the same
    municipality print with it (`shared_with`), which then use it as it is and never edit it.
    A style without an owner (made before styles had one) is edited by the committees using it.
    """

    name = models.CharField(_("name"), max_length=200)
    municipality = models.CharField(_("municipality"), max_length=120, blank=True)
    document = models.JSONField(_("style document"))
    version = models.PositiveIntegerField(_("version"), default=1)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    owner = models.ForeignKey(
        "Committee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="own_styles",
        verbose_name=_("owner"),
        help_text=_("The committee whose secretaries edit the style."),
    )
    shared_with = models.ManyToManyField(
        "Committee",
        blank=True,
        related_name="shared_styles",
        verbose_name=_("shared with"),
        help_text=_("Other committees of the same municipality that may print with the style."),
    )

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("house style")
        verbose_name_plural = _("house styles")

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})" if self.municipality else self.name


class HouseStyleVersion(models.Model):
    """One saved version of a house style, never changed or deleted."""

    style = models.ForeignKey(HouseStyle, on_delete=models.PROTECT, related_name="versions", verbose_name=_("style"))
    number = models.PositiveIntegerField(_("version"))
    document = models.JSONField(_("style document"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["style", "-number"]
        verbose_name = _("house style version")
        verbose_name_plural = _("house style versions")
        constraints = [models.UniqueConstraint(fields=["style", "number"], name="house_style_version_unique")]

    def __str__(self) -> str:
        return f"{self.style.name} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A house style version is never changed: save a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A house style version is never deleted.")


class Committee(Stamped):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    municipality = models.CharField(_("municipality"), max_length=120)
    seats = models.PositiveSmallIntegerField(
        _("number of seats"), help_text=_("Members with a vote; quorum needs more than half of them.")
    )
    body_noun = models.CharField(_("what the protocol calls the committee"), max_length=60, default="nämnden")
    numbering = models.CharField(
        _("§ numbering"), max_length=20, choices=NumberingScheme, default=NumberingScheme.PER_MEETING
    )
    tense = models.CharField(_("tense"), max_length=10, choices=Tense, default=Tense.PAST)
    heading_decision = models.CharField(_("heading: decision"), max_length=60, default="BESLUT")
    heading_matter = models.CharField(_("heading: matter"), max_length=60, default="Ärendet")
    heading_motions = models.CharField(_("heading: motions"), max_length=60, default="Förslag till beslut")
    heading_procedure = models.CharField(_("heading: procedure"), max_length=60, default="Beslutsgång")
    heading_reservation = models.CharField(_("heading: reservation"), max_length=60, default="Reservation")
    heading_statement = models.CharField(_("heading: special statement"), max_length=60, default="Särskilt uttalande")
    heading_minute_note = models.CharField(_("heading: minute note"), max_length=60, default="Protokollsanteckning")
    protocol_kept_at = models.CharField(_("where the protocol is kept"), max_length=200, blank=True)
    notice_days = models.PositiveSmallIntegerField(
        _("notice days"),
        default=7,
        validators=[MaxValueValidator(60)],
        help_text=_("How many days before a meeting its notice goes out, unless the meeting says otherwise."),
    )
    house_style = models.ForeignKey(
        HouseStyle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committees",
        verbose_name=_("house style"),
        help_text=_("The style the protocol is worded in. Without one, the tense, body noun and headings above apply."),
    )
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="committees_served", verbose_name=_("secretaries")
    )
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="committees_registered",
        verbose_name=_("registrars"),
        help_text=_("Registrars export and archive the committee's adjusted protocols."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return self.name

    @property
    def quorum(self) -> int:
        """The least number of serving members for the committee to decide (KL 6:27)."""
        return self.seats // 2 + 1


class Party(Stamped):
    abbreviation = models.CharField(_("abbreviation"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})"


class Person(Stamped):
    # Stable across installations, so an exchange file names the same person wherever it goes.
    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Role(models.TextChoices):
    CHAIR = "chair", _("Chair")
    FIRST_VICE_CHAIR = "first_vice_chair", _("Vice chair")
    SECOND_VICE_CHAIR = "second_vice_chair", _("Second vice chair")
    MEMBER = "member", _("Member")
    SUBSTITUTE = "substitute", _("Substitute")


# The protocol's own words for the roles, which stay Swedish whatever the UI language.
ROLE_TITLES = {
    Role.CHAIR: "ordförande",
    Role.FIRST_VICE_CHAIR: "vice ordförande",
    Role.SECOND_VICE_CHAIR: "andre vice ordförande",
    Role.MEMBER: "ledamot",
    Role.SUBSTITUTE: "ersättare",
}


class MembershipQuerySet(models.QuerySet):
    def on(self, day: datetime.date) -> "MembershipQuerySet":
        """Memberships in force on that day."""
        return self.filter(Q(start__lte=day) | Q(start__isnull=True)).filter(Q(end__gte=day) | Q(end__isnull=True))


class Membership(Stamped):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person"))
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("committee")
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("party"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order on the roll"), default=0)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["committee", "position", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.committee.short_name})"

    @property
    def votes(self) -> bool:
        return self.role != Role.SUBSTITUTE
