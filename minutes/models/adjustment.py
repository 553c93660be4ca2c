"""Adjustment (justering), the sealed documents it produces, and their announcement (anslag).

A round opens when the secretary sends the protocol (or one immediately adjusted §) for
adjustment, collects one approval per signer, and ends either cancelled (the draft was
reopened) or completed (the protocol is adjusted and sealed). Rows here are written once: a
completed round, its approvals, its sealed documents and its announcement never change.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import Person
from minutes.models.item import Item
from minutes.models.meeting import Meeting

ANNOUNCEMENT_DAYS = 2  # KL 8:12: the adjustment is announced no later than the second day after it
APPEAL_WEEKS = 3  # KL 13:5


class RoundState(models.TextChoices):
    OPEN = "open", _("Awaiting approval")
    CANCELLED = "cancelled", _("Cancelled: the draft was reopened")
    COMPLETED = "completed", _("Adjusted")


class SignerRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    ADJUSTER = "adjuster", _("Adjuster")


class Verdict(models.TextChoices):
    APPROVED = "approved", _("Approved")
    DISAGREED = "disagreed", _("Approved with a noted disagreement")


class AdjustmentRound(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="adjustment_rounds")
    item = models.ForeignKey(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustment_rounds",
        help_text=_("Set for the immediate adjustment of a single §."),
    )
    state = models.CharField(_("state"), max_length=20, choices=RoundState, default=RoundState.OPEN)
    opened_at = models.DateTimeField(_("sent for adjustment"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        ordering = ["meeting", "opened_at", "id"]
        verbose_name = _("adjustment round")
        verbose_name_plural = _("adjustment rounds")
        constraints = [
            # At most one round open at a time for the protocol, and one for each §.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(state="open", item__isnull=True),
                name="one_open_round_per_protocol",
            ),
            models.UniqueConstraint(fields=["item"], condition=models.Q(state="open"), name="one_open_round_per_item"),
        ]

    def __str__(self) -> str:
        scope = f" § {self.item.number}" if self.item_id else ""
        return f"{self.meeting}{scope}: {self.get_state_display()}"

    @property
    def adjusted_on(self) -> datetime.date | None:
        if self.state != RoundState.COMPLETED or self.closed_at is None:
            return None
        return timezone.localtime(self.closed_at).date()


class Approval(models.Model):
    """One signer's approval of the text they were shown, signed in, at a recorded time."""

    round = models.ForeignKey(AdjustmentRound, on_delete=models.PROTECT, related_name="approvals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="approvals")
    role = models.CharField(_("role"), max_length=20, choices=SignerRole)
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict, default=Verdict.APPROVED)
    note = models.TextField(_("disagreement"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed in as")
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    # The SHA-256 of the text the signer confirmed (minutes.adjustment.version_of); empty before it was kept.
    text_sha256 = models.CharField(_("SHA-256 of the approved text"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["round", "at", "id"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="one_approval_per_signer")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}): {self.get_verdict_display()}"


class DocumentKind(models.TextChoices):
    PROTOCOL = "protocol", _("Protocol")
    EXTRACT = "extract", _("Extract")
    CERTIFICATE = "certificate", _("Announcement certificate")
    PUBLIC = "public", _("Public version of the protocol")  # confidential §§ by their public heading only


def sealed_path(document: "SealedDocument", filename: str) -> str:
    return f"sealed/{document.meeting.committee.slug}/{document.meeting.year}/{filename}"


class SealedDocument(models.Model):
    """A sealed PDF of an adjusted protocol or extract, with the data it was made from."""

    round = models.ForeignKey(AdjustmentRound, on_delete=models.PROTECT, related_name="documents")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="sealed_documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind)
    numbers = models.JSONField(_("§§"), default=list)
    snapshot = models.JSONField(_("the protocol's data"))
    snapshot_sha256 = models.CharField(max_length=64)
    file = models.FileField(_("file"), upload_to=sealed_path, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    sha512 = models.CharField(_("SHA-512"), max_length=128)  # OParl 1.1's File checksum
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("sealed"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "kind", "id"]
        verbose_name = _("sealed document")
        verbose_name_plural = _("sealed documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.meeting} {self.numbers}"

    @property
    def has_confidential_text(self) -> bool:
        """Whether the file prints a confidential § in full, which only the secretariat may read."""
        if self.kind in (DocumentKind.PUBLIC, DocumentKind.CERTIFICATE):
            return False
        items = self.meeting.items.filter(confidential=True)
        return (items.filter(number__in=self.numbers) if self.numbers else items).exists()

    def read_verified(self) -> bytes:
        """The stored bytes, refused if they no longer match the recorded SHA-256."""
        with self.file.open("rb") as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise TamperedFile(self)
        return data


class ArchiveExport(models.Model):
    """A registrar's download of the sealed protocol, for the archive: written once per download.

    It is in the audit trail, and a round with one is no longer on the registrar's "to export".
    """

    round = models.ForeignKey(AdjustmentRound, on_delete=models.PROTECT, related_name="exports")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="archive_exports")
    document = models.ForeignKey(SealedDocument, on_delete=models.PROTECT, related_name="exports")
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("exported by")
    )
    exported_at = models.DateTimeField(_("exported"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "exported_at", "id"]
        verbose_name = _("archive export")
        verbose_name_plural = _("archive exports")

    def __str__(self) -> str:
        return f"{self.meeting}: {self.exported_at:%Y-%m-%d %H:%M}"


class AdjustedSnapshot(models.Model):
    """What a completed round adjusted, as it stood at the last approval: every later document is printed from it.

    Written once, in the transaction that completes the round (`minutes.protocol.adjusted.freeze`).
    """

    round = models.OneToOneField(AdjustmentRound, on_delete=models.PROTECT, related_name="adjusted_snapshot")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="adjusted_snapshots")
    protocol = models.JSONField(_("the protocol as adjusted"))  # its snapshot and signatures
    document = models.JSONField(_("the meeting in the exchange format"))  # what its sealed files store
    created_at = models.DateTimeField(_("frozen"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("adjusted protocol data")
        verbose_name_plural = _("adjusted protocol data")

    def __str__(self) -> str:
        return str(self.round)


class TamperedFile(Exception):
    def __init__(self, document: SealedDocument) -> None:
        super().__init__(f"The stored file of {document} no longer matches its SHA-256")
        self.document = document


class Announcement(models.Model):
    """The notice of an adjustment on the municipality's web notice board (KL 8:12)."""

    round = models.OneToOneField(AdjustmentRound, on_delete=models.PROTECT, related_name="announcement")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="announcements")
    adjusted_on = models.DateField(_("date of adjustment"))
    posted_on = models.DateField(_("date posted"))
    appeal_ends_on = models.DateField(_("appeal period ends"))
    take_down_on = models.DateField(_("may be taken down"))
    kept_at = models.CharField(_("where the protocol is kept"), max_length=200)
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("announced by")
    )
    announced_at = models.DateTimeField(_("announced"), default=timezone.now)

    class Meta:
        ordering = ["-posted_on", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return f"{self.meeting}: anslag {self.posted_on:%Y-%m-%d}"
