"""Case documents: only readable, unencrypted PDFs within the size limit are kept, whole or not at all,
in either storage backend, and a replaced document stays as a version."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.utils import ProgrammingError

from minutes.agenda.documents import read_document, store_document
from minutes.agenda.items import add_agenda_item
from minutes.models import AgendaDocument, AgendaItem
from tests.agenda_files import DOCX, pdf_bytes, upload
from tests.factories import MeetingFactory
from tests.integration.test_storage import BUCKET, s3  # noqa: F401  (the moto fixture)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 1)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def agenda_item() -> AgendaItem:
    return add_agenda_item(MeetingFactory(), title="Budget 2027", dnrs=["1.1-12/2026"])


def stored_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def store(agenda_item, data: bytes, name: str = "handling.pdf", **fields) -> AgendaDocument:
    return store_document(
        agenda_item,
        upload=upload(data, name),
        title=fields.pop("title", "Tjänsteutlåtande"),
        date=DAY,
        confidential=fields.pop("confidential", False),
        **fields,
    )


def test_a_pdf_is_stored_with_its_checksum_and_reads_back(agenda_item, media):
    data = pdf_bytes(2)
    document = store(agenda_item, data)

    assert (document.sha256, document.size, document.content_type) == (
        hashlib.sha256(data).hexdigest(),
        len(data),
        "application/pdf",
    )
    assert read_document(document) == data
    assert stored_files(media) == [document.file.name]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Hej", "anteckning.txt", "Filen är varken en PDF eller ett Office-dokument"),
        (DOCX, "beslut.docx", "Office-filen kunde inte läsas; den kan vara skadad."),
        (pdf_bytes(password="hemligt"), "krypterad.pdf", "PDF-filen är krypterad eller lösenordsskyddad."),
        (pdf_bytes()[:200], "trasig.pdf", "PDF-filen kunde inte läsas"),
        (b"", "tom.pdf", "Filen är tom."),
    ],
)
def test_a_file_that_is_not_a_readable_pdf_is_refused_in_swedish_and_nothing_is_stored(
    agenda_item, media, data, name, message
):
    with pytest.raises(ValidationError) as refused:
        store(agenda_item, data, name)

    assert refused.value.messages[0].startswith(message)
    assert AgendaDocument.objects.count() == 0
    assert stored_files(media) == []


def test_a_file_over_the_size_limit_is_refused(agenda_item, media, settings):
    settings.PARAGRAF_AGENDA_DOCUMENT_MAX_MB = 1
    data = pdf_bytes() + b"%" * (1024 * 1024)

    with pytest.raises(ValidationError) as refused:
        store(agenda_item, data)

    assert refused.value.messages == ["Filen är 1,0 MB; handlingar får vara högst 1 MB."]
    assert stored_files(media) == []


@pytest.fixture
def failing_insert():
    """The database refuses every new document row, after the file has been written (a real failure, not a mock)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_document() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ "
            "LANGUAGE plpgsql; CREATE TRIGGER refuse_document BEFORE INSERT ON minutes_agendadocument "
            "FOR EACH ROW EXECUTE FUNCTION refuse_document();"
        )


def test_a_failed_transaction_leaves_no_file_on_disk(agenda_item, media, failing_insert):
    with pytest.raises(ProgrammingError):
        store(agenda_item, pdf_bytes())

    assert stored_files(media) == []


def test_a_failed_transaction_leaves_no_object_in_the_bucket(agenda_item, s3, failing_insert):  # noqa: F811
    with pytest.raises(ProgrammingError):
        store(agenda_item, pdf_bytes())

    assert s3.list_objects_v2(Bucket=BUCKET).get("Contents", []) == []


def test_a_document_in_object_storage_reads_back(agenda_item, s3):  # noqa: F811
    data = pdf_bytes()
    document = store(agenda_item, data)

    keys = [entry["Key"] for entry in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"paragraf/{document.file.name}"]
    assert read_document(document) == data


def test_a_replaced_document_is_kept_as_the_previous_version(agenda_item, media):
    first = store(agenda_item, pdf_bytes(1))
    second = store(agenda_item, pdf_bytes(2), replaces=first)

    assert list(agenda_item.documents.current()) == [second]
    assert second.previous == first
    assert read_document(first) == pdf_bytes(1)
    with pytest.raises(ValidationError) as refused:
        store(agenda_item, pdf_bytes(3), replaces=first)
    assert refused.value.messages == ["Den handlingen har redan ersatts; ersätt dess senaste version."]


def test_a_document_of_a_confidential_item_is_confidential(media):
    secret = add_agenda_item(MeetingFactory(), title="Placering", confidential=True, secrecy_ground="OSL 26 kap. 1 §")

    assert store(secret, pdf_bytes()).confidential is True
