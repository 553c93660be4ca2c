"""Case documents: only readable, unencrypted PDFs within the size limit are kept, whole or not at all,
in either storage backend, and a replaced document stays as a version."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.utils import ProgrammingError
from django.urls import reverse
from django.utils import timezone

from minutes.agenda.documents import delete_document, read_document, store_document
from minutes.agenda.items import add_agenda_item
from minutes.models import AgendaDocument, AgendaItem, MeetingNotice
from tests.agenda_files import DOCX, pdf_bytes, upload
from tests.factories import ItemFactory, MeetingFactory
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


# A mistaken upload is taken back until the members have had it; after that a document is only replaced.


def send_notice_now(meeting) -> None:
    MeetingNotice.objects.create(meeting=meeting, sent_at=timezone.now())


def test_an_upload_the_members_have_not_had_is_removed_with_its_file(
    agenda_item, media, django_capture_on_commit_callbacks
):
    document = store(agenda_item, pdf_bytes(1))

    with django_capture_on_commit_callbacks(execute=True):
        delete_document(document)

    assert (AgendaDocument.objects.count(), stored_files(media)) == (0, [])
    assert AgendaDocument.history.filter(id=document.pk, history_type="-").exists()  # in the meeting's trail


def test_removing_a_new_version_makes_the_one_before_the_latest_again(agenda_item, media):
    first = store(agenda_item, pdf_bytes(1))
    send_notice_now(agenda_item.meeting)
    second = store(agenda_item, pdf_bytes(2), replaces=first)

    delete_document(second)

    assert list(AgendaDocument.objects.current().values_list("pk", flat=True)) == [first.pk]


def test_a_document_sent_with_the_notice_or_replaced_or_resting_under_a_section_stays(agenda_item, media):
    sent = store(agenda_item, pdf_bytes(1))
    send_notice_now(agenda_item.meeting)
    newer = store(agenda_item, pdf_bytes(2), replaces=sent)
    refusals = []
    for document in (sent, newer):
        try:
            delete_document(document)
        except ValidationError as error:
            refusals.append(error.messages[0])
    MeetingNotice.objects.all().delete()
    resting = store(agenda_item, pdf_bytes(3), title="Bilaga")
    resting.basis_of = ItemFactory(meeting=agenda_item.meeting, title=agenda_item.title)
    resting.save()
    with pytest.raises(ValidationError) as refused:
        delete_document(resting)

    assert refusals == ["Bara den senaste versionen av en handling kan tas bort."]  # the newer one went
    assert refused.value.messages == ["En paragraf vilar på handlingen: den kan inte tas bort."]
    assert set(AgendaDocument.objects.values_list("pk", flat=True)) == {sent.pk, resting.pk}


def test_a_distributed_document_is_refused_with_what_to_do_instead(agenda_item, media):
    document = store(agenda_item, pdf_bytes(1))
    send_notice_now(agenda_item.meeting)

    with pytest.raises(ValidationError) as refused:
        delete_document(document)

    assert refused.value.messages == [
        "Ledamöterna har fått handlingen med kallelsen: ersätt den med en ny version i stället."
    ]
    assert AgendaDocument.objects.filter(pk=document.pk).exists()


def test_the_secretary_removes_an_upload_from_the_items_page(agenda_item, media, client, django_user_model):
    secretary = django_user_model.objects.create_user("sekreterare", password="x")
    agenda_item.meeting.committee.secretaries.add(secretary)
    agenda_item.meeting.date = timezone.localdate() + datetime.timedelta(days=7)
    agenda_item.meeting.save()
    kept = store(agenda_item, pdf_bytes(1), title="Kallad handling")
    send_notice_now(agenda_item.meeting)
    mistaken = store(agenda_item, pdf_bytes(2), title="Fel fil")
    client.force_login(secretary)
    url = reverse("minutes:agenda-item", args=[agenda_item.meeting.pk, agenda_item.pk])

    page = client.get(url).content.decode()
    done = client.post(url, {"form": "delete-document", "document": mistaken.pk}, follow=True).content.decode()
    refused = client.post(url, {"form": "delete-document", "document": kept.pk}, follow=True).content.decode()

    assert "Ta bort Fel fil" in page
    assert "Ta bort Kallad handling" not in page
    assert "Handlingen Fel fil är borttagen." in done
    assert "Ledamöterna har fått handlingen med kallelsen" in refused
    assert list(AgendaDocument.objects.values_list("title", flat=True)) == ["Kallad handling"]
