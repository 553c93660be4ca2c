"""A § of the protocol: one matter handled at a meeting."""

import re

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from minutes import points
from minutes.models.meeting import Meeting

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
DNR_SEPARATOR = re.compile(r"[,;\n]+")


def lines(text: str) -> list[str]:
    """The non-empty lines of a typed list (documents, recipients), each stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def dnr_numbers(dnr: str) -> list[str]:
    """The diary numbers of a § that is about several matters: "KS 2011/941, KS 2012/3" holds two."""
    return [part.strip() for part in DNR_SEPARATOR.split(dnr) if part.strip()]


def paragraphs(text: str) -> list[str]:
    """Split typed prose into paragraphs at blank lines, folding the line breaks inside them."""
    return [" ".join(part.split()) for part in PARAGRAPH_BREAK.split(text.strip()) if part.strip()]


class OpeningKind(models.TextChoices):
    """The standard opening §§, written from the meeting's details (minutes.opening)."""

    ADJUSTERS = "adjusters", _("Choice of adjusters")
    ADJUSTMENT = "adjustment", _("Time and place of adjustment")
    AGENDA = "agenda", _("Approval of the agenda")


class Item(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("order"))
    number = models.PositiveIntegerField(_("§ number"))
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    dnr = models.CharField(
        _("Dnr"), max_length=60, blank=True, db_index=True, help_text=_("Separate several with commas.")
    )
    decision = models.TextField(
        _("decision"), blank=True, help_text=_("One point per paragraph; several points are numbered.")
    )
    matter = models.TextField(_("the matter"), blank=True)
    base_proposal = models.CharField(
        _("the proposal the committee decides on"), max_length=120, default="förvaltningens förslag"
    )
    report_date = models.DateField(_("date of the officials' report"), null=True, blank=True)
    report_wording = models.TextField(_("own wording for the report sentence"), blank=True)
    prepared_proposal = models.TextField(
        _("the preparing body's proposal"),
        blank=True,
        help_text=_("The proposal as the preparing body put it (e.g. the executive board's to the council)."),
    )
    basis = models.TextField(
        _("basis for the decision"),
        blank=True,
        help_text=_("The documents the decision rests on, one per line."),
    )
    speakers = ArrayField(models.PositiveIntegerField(), verbose_name=_("speakers"), default=list, blank=True)
    recipients = models.TextField(
        _("decision sent to"), blank=True, help_text=_("Who receives the decision, one per line.")
    )
    started_at = models.TimeField(_("started at"), null=True, blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    public_heading = models.CharField(_("heading in the public version"), max_length=300, blank=True)
    immediately_adjusted = models.BooleanField(_("immediately adjusted"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    opening = models.CharField(_("standard opening §"), max_length=20, choices=OpeningKind, blank=True, editable=False)
    # The decision as last written from the meeting's details: a decision that differs was rewritten by hand.
    opening_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("§")
        verbose_name_plural = _("§§")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="item_number_unique_in_meeting"),
            models.UniqueConstraint(fields=["meeting", "position"], name="item_position_unique_in_meeting"),
            models.CheckConstraint(
                condition=models.Q(confidential=False) | ~models.Q(public_heading=""),
                name="confidential_item_has_public_heading",
            ),
        ]

    def __str__(self) -> str:
        return f"§ {self.number} {self.title}"

    @property
    def heading(self) -> str:
        return f"{self.title}. {self.subtitle}" if self.subtitle else self.title

    def decision_points(self) -> list[str]:
        return points.decision_points(self.decision)
