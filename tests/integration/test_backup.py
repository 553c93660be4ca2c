"""A backup of the demo restores into an empty installation as it was: every sealed PDF and every meeting."""

import hashlib
import io
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from committee.models import Committee, Party
from minutes.agenda.documents import read_document
from minutes.exchange import export_meeting
from minutes.models import AgendaDocument, Item, Meeting, SealedDocument
from minutes.verification import verify_pdf
from tests.conftest import SEAL_PASSWORD
from tests.database import database_url

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
    files |= {document.file.name: read_document(document) for document in AgendaDocument.objects.order_by("pk")}
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
    protocols = SealedDocument.objects.filter(kind="protocol").values_list("meeting_id", flat=True)
    announced = Meeting.objects.filter(status="announced").values_list("pk", flat=True)
    assert (len(exports), set(protocols)) == (3, set(announced))  # both held demo meetings are sealed
    assert AgendaDocument.objects.count() == 5  # the coming meeting's case documents are backed up too
    manifest = json.loads((demo_backup / "manifest.json").read_text())
    assert sorted(manifest["members"]) == sorted(["database.xml", *(f"files/{name}" for name in files)])

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


def test_restore_refuses_an_installation_with_data(tmp_path):
    run("loaddemo", "--draft")
    run("backup", str(tmp_path / "backup"))
    before = the_installation()
    with pytest.raises(CommandError, match=r"not empty \(it has rows of auth\.user, committee\.committee"):
        run("restore", str(tmp_path / "backup"))
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


# What the new installation reports about itself, as JSON, for the test to compare with the original.
REPORT = """
import hashlib, json
from minutes.exchange import export_meeting
from minutes.agenda.documents import read_document
from minutes.models import AgendaDocument, Meeting, SealedDocument
from minutes.verification import verify_pdf
documents = {d.file.name: d.read_verified() for d in SealedDocument.objects.order_by("pk")}
agenda = {d.file.name: read_document(d) for d in AgendaDocument.objects.order_by("pk")}
print(json.dumps({
    "exports": {str(m.pk): export_meeting(m) for m in Meeting.objects.order_by("pk")},
    "files": {name: hashlib.sha256(data).hexdigest() for name, data in (documents | agenda).items()},
    "verified": {name: verify_pdf(data).ok for name, data in documents.items()},
}))
"""


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def new_installation(tmp_path, seal_certificate_file) -> Iterator[tuple[dict[str, str], subprocess.Popen]]:
    """A new database and var folder, and `manage.py migrate` running on them in a process of its own."""
    name = f"paragraf_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(name),
        "PARAGRAF_VAR_DIR": str(tmp_path / "new"),
        # The seal's certificate is configuration, not data: the new installation is given the same one.
        "PARAGRAF_SEAL_PKCS12": str(seal_certificate_file),
        "PARAGRAF_SEAL_PASSWORD": SEAL_PASSWORD,
        "PARAGRAF_CACHE": "memory",
    }
    migrating = subprocess.Popen(
        [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield env, migrating
    finally:
        if migrating.poll() is None:
            migrating.kill()
            migrating.communicate()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_backup_of_the_demo_restores_into_a_new_installation(new_installation, seal_certificate, tmp_path):
    env, migrating = new_installation  # migrates while the demo loads
    run("loaddemo")
    exports, files = the_installation()
    run("backup", str(tmp_path / "backup"))
    _out, errors = migrating.communicate(timeout=600)
    assert migrating.returncode == 0, errors

    restored = manage("restore", str(tmp_path / "backup"), env=env)
    assert restored.returncode == 0, restored.stderr
    report = manage("shell", "--no-imports", "--command", REPORT, env=env)
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout) == {
        "exports": {str(pk): text for pk, text in exports.items()},
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
        "verified": dict.fromkeys((name for name in files if name.startswith("sealed/")), True),
    }
    assert sorted(str(path.relative_to(tmp_path / "new" / "media")) for path in (tmp_path / "new").rglob("*.pdf")) == (
        sorted(files)
    )


def test_restore_refuses_a_backup_made_with_other_migrations(settings, tmp_path):
    run("loaddemo", "--draft")
    run("backup", str(tmp_path / "backup"))
    manifest_file = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest["migrations"].append("minutes.9999_from_the_future")
    manifest_file.write_text(json.dumps(manifest))
    empty_installation(settings, tmp_path / "restored")

    with pytest.raises(CommandError, match="missing here: minutes.9999_from_the_future"):
        run("restore", str(tmp_path / "backup"))
    assert Committee.objects.count() == 0
