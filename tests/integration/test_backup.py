"""A backup of the demo restores into an empty installation as it was: every sealed PDF and every meeting."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from committee.models import Committee, Party
from minutes.exchange import export_meeting
from minutes.models import Item, Meeting, SealedDocument
from minutes.verification import verify_pdf

# The backup reads in a transaction of its own, so each test commits for real.
pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def the_installation() -> tuple[dict[int, str], dict[str, bytes]]:
    """Every meeting's exchange export, and every sealed file's bytes by storage name."""
    exports = {meeting.pk: export_meeting(meeting) for meeting in Meeting.objects.order_by("pk")}
    files = {document.file.name: document.read_verified() for document in SealedDocument.objects.order_by("pk")}
    return exports, files


def empty_installation(settings, media: Path) -> None:
    """What `migrate` leaves, with a new, empty storage: TRUNCATE passes the immutability triggers."""
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = media


@pytest.fixture
def demo_backup(seal_certificate, tmp_path) -> Path:
    run("loaddemo")
    target = tmp_path / "backup"
    assert run("backup", str(target)).startswith("Backed up ")
    return target


def test_backup_of_the_demo_restores_every_sealed_pdf_and_meeting(demo_backup, settings, tmp_path):
    exports, files = the_installation()
    kinds = SealedDocument.objects.values_list("meeting_id", "kind")
    assert (sorted(exports), len(files)) == ([1, 2], len(kinds)) and {(1, "protocol"), (2, "protocol")} <= set(kinds)
    manifest = json.loads((demo_backup / "manifest.json").read_text())
    assert sorted(manifest["members"]) == sorted(["database.json", *(f"files/{name}" for name in files)])

    empty_installation(settings, tmp_path / "restored")
    assert Meeting.objects.count() == SealedDocument.objects.count() == 0
    assert run("restore", str(demo_backup)).startswith("Restored ")

    assert the_installation() == (exports, files)
    for document in SealedDocument.objects.all():
        verdict = verify_pdf(document.read_verified())
        assert (verdict.ok, verdict.meeting) == (True, f"{document.meeting.number}/{document.meeting.year}")
    # A second backup of the restored installation holds the same rows, byte for byte, and the same files.
    run("backup", str(tmp_path / "again"))
    again = json.loads((tmp_path / "again" / "manifest.json").read_text())
    assert (again["rows"], again["members"]) == (manifest["rows"], manifest["members"])
    # The restored data is still immutable, and new rows get fresh keys.
    with pytest.raises(IntegrityError, match="adjusted"), transaction.atomic():
        Item.objects.filter(meeting__in=Meeting.objects.all()).update(title="Ändrad")
    Party.objects.create(abbreviation="NY", name="Nytt parti")


def test_restore_refuses_a_damaged_backup_and_changes_nothing(demo_backup, settings, tmp_path):
    member = next((demo_backup / "files").rglob("*.pdf"))
    data = bytearray(member.read_bytes())
    data[len(data) // 2] ^= 0x01
    member.write_bytes(bytes(data))
    empty_installation(settings, tmp_path / "restored")

    with pytest.raises(CommandError, match="The backup is damaged") as refused:
        run("restore", str(demo_backup))
    assert str(member.relative_to(demo_backup)) in str(refused.value)
    assert (Committee.objects.count(), SealedDocument.objects.count()) == (0, 0)
    assert default_storage.exists("sealed") is False


def test_restore_refuses_an_installation_with_data(demo_backup):
    before = the_installation()
    with pytest.raises(CommandError, match=r"not empty \(it has rows of auth\.user, committee\.committee"):
        run("restore", str(demo_backup))
    assert the_installation() == before


def test_backup_refuses_a_sealed_file_that_no_longer_matches_its_hash(seal_certificate, tmp_path):
    run("loaddemo")
    name = SealedDocument.objects.first().file.name
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"%PDF-1.7 not what was sealed"))
    target = tmp_path / "backup"
    with pytest.raises(CommandError, match=f"The stored file {name} no longer matches"):
        run("backup", str(target))
    assert not target.exists()
