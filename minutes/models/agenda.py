"""The agenda (föredragningslista) built before a meeting, and the case documents (handlingar) of its items.

An agenda item becomes a § of the protocol when the secretary says so (`minutes.agenda.protocol`):
it then points at the § it became, and its documents at the § they are the basis of. Items are
withdrawn, never deleted once they have documents; a replaced document stays as a version.
"""

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minutes.models.item import Item, OpeningKind
from minutes.models.meeting import Meeting


class AgendaItemQuerySet(models.QuerySet):
    def public(self) -> "AgendaItemQuerySet":
        """What the public may see: neither confidential nor withdrawn."""
        return self.filter(confidential=False, withdrawn_at__isnull=True)

    def with_agenda_number(self) -> "AgendaItemQuerySet":
        """Each item with `agenda_number`, the number the notice gives it: counted among its meeting's items
        not withdrawn, so that a confidential item left out of a public list leaves a gap there."""
        counted = (
            AgendaItem.objects.filter(
                meeting=models.OuterRef("meeting"), withdrawn_at__isnull=True, position__lte=models.OuterRef("position")
            )
            .order_by()
            .values("meeting")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(agenda_number=models.Subquery(counted))


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)
    dnrs = ArrayField(
        models.CharField(max_length=60), verbose_name=_("Dnr"), default=list, blank=True, help_text=_("One or more.")
    )
    preparing = models.CharField(_("prepared by"), max_length=200, blank=True)
    proposal = models.TextField(_("proposal for decision"), blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    secrecy_ground = models.CharField(
        _("ground for secrecy"), max_length=120, blank=True, help_text=_('E.g. "OSL 26 kap. 1 §".')
    )
    public_heading = models.CharField(_("heading in the public version"), max_length=300, blank=True)
    opening = models.CharField(_("standard opening item"), max_length=20, choices=OpeningKind, blank=True)
    added_at_meeting = models.BooleanField(_("added at the meeting"), default=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    item = models.OneToOneField(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_item",
        verbose_name=_("the § it became"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_position_unique_in_meeting",
                deferrable=models.Deferrable.DEFERRED,  # two items swap places in one transaction
            ),
            models.CheckConstraint(
                condition=models.Q(confidential=False) | ~models.Q(secrecy_ground=""),
                name="confidential_agenda_item_has_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def dnr(self) -> str:
        return ", ".join(self.dnrs)

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_public(self) -> bool:
        return not self.confidential and not self.withdrawn


def document_path(document: "AgendaDocument", filename: str) -> str:
    """A name nobody can guess or collide with: the document's own title never reaches the storage."""
    meeting = document.agenda_item.meeting
    return f"agenda/{meeting.committee.slug}/{meeting.date:%Y}/{meeting.pk}/{secrets.token_hex(16)}.pdf"


class AgendaDocumentQuerySet(models.QuerySet):
    def current(self) -> "AgendaDocumentQuerySet":
        """The latest version of each document: those no newer version replaced."""
        return self.filter(next_version__isnull=True)

    def public(self) -> "AgendaDocumentQuerySet":
        """Current, public documents of public items that are not withdrawn."""
        return self.current().filter(
            confidential=False, agenda_item__confidential=False, agenda_item__withdrawn_at__isnull=True
        )


class AgendaDocument(models.Model):
    """A case document of an agenda item: a PDF in the storage, with its checksum and who put it there."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    confidential = models.BooleanField(_("confidential"), default=False)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    sha512 = models.CharField(_("SHA-512"), max_length=128, blank=True)  # OParl File.sha512Checksum
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100, default="application/pdf")
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    # An Office file converted to PDF on upload: the original's checksum and what converted it (the PDF's
    # producer, e.g. "LibreOffice 7.4"); both empty when a PDF was uploaded.
    original_sha256 = models.CharField(_("SHA-256 of the original"), max_length=64, blank=True)
    converted_with = models.CharField(_("converted with"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("previous version"),
    )
    # Set when the agenda item becomes a §: the documents listed under "Underlag till beslut".
    basis_of = models.ForeignKey(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="basis_documents",
        verbose_name=_("basis for the decision in"),
    )

    objects = AgendaDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["agenda_item", "date", "id"]
        verbose_name = _("agenda document")
        verbose_name_plural = _("agenda documents")

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return not self.confidential and self.agenda_item.is_public

    def version_number(self) -> int:
        number, document = 1, self
        while document.previous_id is not None:
            document = document.previous
            number += 1
        return number
