"""Office files on the agenda: converted to PDF by LibreOffice in the upload, the PDF kept with the
original's checksum, and every failure refused at the upload field in Swedish with nothing stored.

Each conversion costs a second or more, so the suite converts three documents: a .docx through the
form, an .odt and an .odt carrying a macro through the service.
"""

import datetime
import hashlib
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from minutes.agenda.convert import office_converter
from minutes.agenda.documents import read_document, store_document
from minutes.agenda.items import add_agenda_item
from minutes.models import AgendaDocument, AgendaItem, Meeting
from tests.agenda_files import DOCX, docx_bytes, odt_bytes, upload
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 1)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def meeting(media) -> Meeting:
    return MeetingFactory(date=datetime.date(2026, 12, 10))


@pytest.fixture
def agenda_item(meeting) -> AgendaItem:
    return add_agenda_item(meeting, title="Förskolans lokaler")


@pytest.fixture
def secretary(client, meeting):
    user = User.objects.create_user("sekreterare", first_name="Sara", last_name="Sekreterare")
    meeting.committee.secretaries.add(user)
    client.force_login(user)
    return client


def stored_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def post_document(client, agenda_item: AgendaItem, data: bytes, name: str):
    url = reverse("minutes:agenda-item", args=[agenda_item.meeting_id, agenda_item.pk])
    return client.post(
        url,
        {
            "form": "document",
            "doc-title": "Tjänsteutlåtande",
            "doc-date": "2026-12-01",
            "doc-file": upload(data, name, DOCX_TYPE),
        },
    )


def test_libreoffice_is_installed_for_the_tests():
    assert office_converter() is not None, "./paragraf test installs libreoffice-writer-nogui"


def test_a_word_file_uploaded_through_the_form_is_kept_as_its_pdf_with_the_originals_checksum(
    secretary, agenda_item, media
):
    original = docx_bytes("Förslag till beslut: nämnden hyr paviljonger för förskolan Lärkan.")

    response = post_document(secretary, agenda_item, original, "tjänsteutlåtande.docx")

    document = agenda_item.documents.get()
    pdf = read_document(document)
    assert response.status_code == 302
    assert text_of(pdf) == "Förslag till beslut: nämnden hyr paviljonger för förskolan Lärkan."
    assert (document.content_type, document.original_name, document.original_sha256, document.sha256) == (
        "application/pdf",
        "tjänsteutlåtande.docx",
        hashlib.sha256(original).hexdigest(),
        hashlib.sha256(pdf).hexdigest(),
    )
    assert document.converted_with.startswith("LibreOffice ")
    assert stored_files(media) == [document.file.name]
    page = secretary.get(response.url).content.decode()
    assert f"Konverterad till PDF från tjänsteutlåtande.docx med {document.converted_with}" in page
    assert document.original_sha256 in page
    assert "Fil (PDF eller Office-dokument)" in page
    assert 'accept="application/pdf,.pdf,.doc,.docx,.odp,.ods,.odt,.ppt,.pptx,.rtf,.xls,.xlsx"' in page


def test_an_opendocument_text_is_converted_and_reads_back(agenda_item, media):
    document = store_document(
        agenda_item,
        upload=upload(odt_bytes("Budget 2027 för förskolan & fritids"), "budget.odt", "application/octet-stream"),
        title="Budget",
        date=DAY,
        confidential=False,
    )

    assert text_of(read_document(document)) == "Budget 2027 för förskolan & fritids"
    assert document.original_name == "budget.odt"


def test_a_macro_in_the_document_is_not_run_by_the_conversion(agenda_item, media, tmp_path):
    marker = tmp_path / "macro-ran.txt"

    document = store_document(
        agenda_item,
        upload=upload(odt_bytes("Med makro", macro_writes=str(marker)), "makro.odt"),
        title="Makro",
        date=DAY,
        confidential=False,
    )

    assert text_of(read_document(document)) == "Med makro"
    assert not marker.exists()


def test_a_broken_word_file_is_refused_at_the_field_in_swedish(secretary, agenda_item, media):
    response = post_document(secretary, agenda_item, DOCX, "trasig.docx")

    assert response.status_code == 400
    assert "Office-filen kunde inte läsas; den kan vara skadad." in response.content.decode()
    assert (AgendaDocument.objects.count(), stored_files(media)) == (0, [])


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64,
            "hemlig.docx",
            "Office-filen är lösenordsskyddad.",
        ),
        (docx_bytes("x").replace(b"[Content_Types].xml", b"[Content_Typez].xml"), "utan-typer.docx", "Office-filen"),
    ],
)
def test_an_encrypted_or_incomplete_office_file_is_refused_before_any_conversion(
    agenda_item, media, data, name, message, settings
):
    settings.PARAGRAF_OFFICE_TIMEOUT_SECONDS = 0.001  # a conversion, had one started, would fail otherwise

    with pytest.raises(ValidationError) as refused:
        store_document(agenda_item, upload=upload(data, name), title="T", date=DAY, confidential=False)

    assert refused.value.messages[0].startswith(message)
    assert refused.value.code in {"office_encrypted", "office_broken"}
    assert (AgendaDocument.objects.count(), stored_files(media)) == (0, [])


def test_a_conversion_that_takes_too_long_is_stopped_and_refused(agenda_item, media, settings):
    settings.PARAGRAF_OFFICE_TIMEOUT_SECONDS = 0.05

    with pytest.raises(ValidationError) as refused:
        store_document(
            agenda_item, upload=upload(docx_bytes("Sen"), "sen.docx"), title="T", date=DAY, confidential=False
        )

    assert refused.value.messages == [
        "Konverteringen till PDF tog längre tid än 0,05 sekunder och avbröts. Spara handlingen som PDF och ladda upp "
        "PDF-filen."
    ]
    assert (AgendaDocument.objects.count(), stored_files(media)) == (0, [])


def test_without_a_converter_an_office_file_is_refused_with_what_to_do(
    secretary, agenda_item, media, monkeypatch, tmp_path
):
    monkeypatch.setenv("PATH", str(tmp_path))  # soffice is nowhere on this PATH

    response = post_document(secretary, agenda_item, docx_bytes("Inget"), "inget.docx")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Office-filer kan inte tas emot här: ingen konverterare till PDF (LibreOffice) är installerad" in page
    assert 'accept="application/pdf,.pdf"' in page
    assert (AgendaDocument.objects.count(), stored_files(media)) == (0, [])


def test_any_other_file_is_refused_naming_the_kinds_the_field_takes(
    secretary, agenda_item, media, monkeypatch, tmp_path
):
    with_converter = post_document(secretary, agenda_item, b"Hej", "anteckning.txt").content.decode()
    monkeypatch.setenv("PATH", str(tmp_path))
    without = post_document(secretary, agenda_item, b"Hej", "anteckning.txt").content.decode()

    assert (
        "Filen är varken en PDF eller ett Office-dokument (Word, Excel, PowerPoint eller OpenDocument)"
        in with_converter
    )
    assert "Office-dokument" not in without
    assert "Filen är inte en PDF. Bara PDF-handlingar kan laddas upp." in without
    assert (AgendaDocument.objects.count(), stored_files(media)) == (0, [])
