"""The case documents of the agenda: PDFs checked, stored whole with their checksum, and replaced as versions.

A document is either fully there (the stored object and its row) or not at all: the object is
written inside the row's transaction and deleted again when the transaction fails. An Office file
is converted to PDF by LibreOffice (minutes.agenda.convert) and its PDF checked like an uploaded
one; the row keeps the original's SHA-256 and the converter, not the original itself (see README).
"""

import dataclasses
import datetime
import hashlib
import io
import logging
import os
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader

from minutes.agenda.convert import convert_to_pdf, failed_message, is_office, office_converter
from minutes.agenda.items import _editable_agenda_item
from minutes.models import AgendaDocument, AgendaItem
from minutes.notice import sent_notice
from minutes.notice_revision import since

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Received:
    """An upload made a checked PDF: its bytes, and for a converted Office file the original's checksum."""

    name: str
    pdf: bytes
    original_sha256: str = ""
    converted_with: str = ""


def max_bytes() -> int:
    return settings.PARAGRAF_AGENDA_DOCUMENT_MAX_MB * 1024 * 1024


def receive(upload: UploadedFile) -> Received:
    """The upload as a checked PDF (converted, if it is an Office file), or a ValidationError in Swedish."""
    limit = settings.PARAGRAF_AGENDA_DOCUMENT_MAX_MB
    if upload.size is not None and upload.size > max_bytes():
        raise ValidationError(
            _("The file is %(size)s MB; documents may be at most %(limit)s MB.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","), "limit": limit},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise ValidationError(
            _("The file is larger than %(limit)s MB, the most a document may be.") % {"limit": limit}, code="too_large"
        )
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    name = os.path.basename(upload.name or "")[:255]
    if b"%PDF-" in data[:1024]:
        check_pdf(data, name=name)
        return Received(name=name, pdf=data)
    if not is_office(name, data):
        raise ValidationError(not_accepted_message(), code="not_pdf")
    pdf = convert_to_pdf(name, data)
    if len(pdf) > max_bytes():
        raise ValidationError(
            _("As PDF the document is larger than %(limit)s MB, the most a document may be.") % {"limit": limit},
            code="too_large",
        )
    try:
        producer = check_pdf(pdf, name=name)
    except ValidationError:
        raise ValidationError(failed_message(), code="office_failed") from None
    return Received(
        name=name,
        pdf=pdf,
        original_sha256=hashlib.sha256(data).hexdigest(),
        converted_with=(producer or "LibreOffice")[:100],
    )


def not_accepted_message() -> str:
    """What the upload field says of any other file: which kinds it takes depends on the converter."""
    if office_converter() is None:
        return _("The file is not a PDF. Only PDF documents can be uploaded.")
    return _(
        "The file is neither a PDF nor an Office document (Word, Excel, PowerPoint or OpenDocument). "
        "Save it as PDF and upload the PDF."
    )


def check_pdf(data: bytes, *, name: str = "") -> str:
    """Refuse (ValidationError) a PDF that is encrypted or cannot be read; return its /Producer, if any."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise ValidationError(
                _("The PDF is encrypted or password-protected. Upload a copy without a password."), code="encrypted"
            )
        pages = int(reader.root["/Pages"]["/Count"])
        if pages < 1:
            raise ValueError("no pages")
        reader.find_page_for_modification(0)
        try:
            producer = reader.trailer["/Info"].get("/Producer")
        except KeyError:
            producer = None
    except ValidationError:
        raise
    except Exception as error:  # pyHanko raises many kinds on a broken file; each means the same to the user
        logger.info("refused a broken PDF %r: %s", name, error)
        raise ValidationError(
            _("The PDF could not be read; it may be damaged. Save it again as PDF and upload it anew."), code="broken"
        ) from None
    return str(producer) if producer is not None else ""


def store_document(
    agenda_item: AgendaItem,
    *,
    upload: UploadedFile | Received,
    title: str,
    date: datetime.date,
    confidential: bool,
    by=None,
    replaces: AgendaDocument | None = None,
) -> AgendaDocument:
    """Check the upload and keep it as a document of the item (a new version of `replaces`, if given).

    An upload the form has already received (converted and checked) is not converted a second time.
    """
    received = upload if isinstance(upload, Received) else receive(upload)
    data = received.pdf
    stored = None
    try:
        with transaction.atomic():
            agenda_item = _editable_agenda_item(agenda_item)
            if replaces is not None:
                replaces = AgendaDocument.objects.select_for_update().get(pk=replaces.pk)
                if (
                    replaces.agenda_item_id != agenda_item.pk
                    or AgendaDocument.objects.filter(previous=replaces).exists()
                ):
                    raise ValidationError(
                        _("That document has been replaced already; replace its latest version."), code="replaced"
                    )
            document = AgendaDocument(
                agenda_item=agenda_item,
                title=title,
                date=date,
                confidential=confidential or agenda_item.confidential,
                sha256=hashlib.sha256(data).hexdigest(),
                sha512=hashlib.sha512(data).hexdigest(),
                size=len(data),
                content_type="application/pdf",
                original_name=received.name,
                original_sha256=received.original_sha256,
                converted_with=received.converted_with,
                uploaded_by=by,
                previous=replaces,
                basis_of=replaces.basis_of if replaces is not None else None,
            )
            document.full_clean(exclude=["file"])
            document.file.save("document.pdf", ContentFile(data), save=False)
            stored = document.file.name
            document.save()
    except BaseException:
        if stored is not None:
            _delete_quietly(stored)
        raise
    return document


def handed_out(meeting) -> datetime.datetime | None:
    """When the members last had the agenda's documents: the notice's sending or its last revision (None: not yet)."""
    notice = sent_notice(meeting)
    return since(notice) if notice is not None else None


def deletable(document: AgendaDocument, handed_out_at: datetime.datetime | None) -> bool:
    """A mistaken upload may be taken back until the members have had it or a § rests on it; after that a
    document is only replaced, so that what was sent stays on record."""
    return document.basis_of_id is None and not _distributed(document, handed_out_at)


def _distributed(document: AgendaDocument, handed_out_at: datetime.datetime | None) -> bool:
    return handed_out_at is not None and document.uploaded_at <= handed_out_at


def delete_document(document: AgendaDocument) -> None:
    """Take back the latest version of a document (the one before it, if any, becomes the latest again);
    its stored file goes once the deletion is committed. Recorded in the meeting's history."""
    with transaction.atomic():
        _editable_agenda_item(document.agenda_item)
        document = AgendaDocument.objects.select_for_update().select_related("agenda_item__meeting").get(pk=document.pk)
        if AgendaDocument.objects.filter(previous=document).exists():
            raise ValidationError(_("Only the latest version of a document can be removed."), code="replaced")
        if document.basis_of_id is not None:
            raise ValidationError(_("A § rests on the document: it cannot be removed."), code="basis")
        if _distributed(document, handed_out(document.agenda_item.meeting)):
            raise ValidationError(
                _("The members have had the document with the notice: replace it with a new version instead."),
                code="distributed",
            )
        name = document.file.name
        document.delete()
        transaction.on_commit(lambda: _delete_quietly(name))


def _delete_quietly(name: str) -> None:
    try:
        default_storage.delete(name)
    except Exception:  # the error that brought us here matters more; the orphan is logged
        logger.exception("could not remove the stored object %s after a failed upload", name)


UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def download_name(document: AgendaDocument) -> str:
    """The name a saved copy gets: the document's title and date ("Tjänsteutlåtande 2026-12-01.pdf"),
    without the characters file systems refuse."""
    title = UNSAFE_IN_NAMES.sub("-", document.title).strip(" .-")[:120] or "handling"
    return f"{title} {document.date:%Y-%m-%d}.pdf"


def read_document(document: AgendaDocument) -> bytes:
    """The stored bytes, refused (OSError) if they no longer match the recorded SHA-256."""
    with document.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise OSError(f"agenda document {document.pk}: stored file does not match its SHA-256")
    return data
