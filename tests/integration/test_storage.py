"""Sealing through either storage backend: the PDF reads back verified, a changed file is refused,
and a refused write stores nothing.

The object storage is moto's in-process S3 (no network), put in STORAGES as production's
PARAGRAF_STORAGE=s3 would.
"""

import datetime
import errno
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from moto import mock_aws

from minutes import adjustment
from minutes.models import AdjustmentRound, DocumentKind, Meeting, SealedDocument, TamperedFile
from minutes.storage import AtomicFileSystemStorage, ObjectStorage, StorageWriteError

pytestmark = pytest.mark.django_db

BUCKET = "paragraf-sealed"


def at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T10:00"))


@pytest.fixture
def s3(settings) -> Iterator[boto3.client]:
    """The default storage is object storage in a fresh (moto) bucket, under a prefix as in production."""
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
        client.create_bucket(Bucket=BUCKET)
        options = {
            "bucket_name": BUCKET,
            "endpoint_url": None,
            "region_name": "us-east-1",
            "access_key": "x",
            "secret_key": "y",
            "location": "paragraf",
        }
        # Setting STORAGES makes Django forget the storages it built (django.test.signals).
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "minutes.storage.ObjectStorage", "OPTIONS": options},
        }
        yield client


def adjust(meeting: Meeting, secretary: User) -> AdjustmentRound:
    """Adjust § 10 at once: the last approval seals its extract (one PDF, the quickest real seal)."""
    round = adjustment.send_for_adjustment(
        meeting, user=secretary, item=meeting.items.get(number=10), now=at("2016-09-23")
    )
    for person, _role in adjustment.signers(meeting):
        adjustment.approve(round, user=person.user, now=at("2016-09-29"))
    round.refresh_from_db()
    return round


@pytest.fixture
def unsealed_round(meeting, secretary, settings) -> AdjustmentRound:
    """A completed round of the whole protocol whose worker has not run yet: § 10's extract is not sealed."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    round = adjustment.send_for_adjustment(meeting, user=secretary, now=at("2016-09-23"))
    for person, _role in adjustment.signers(meeting):
        adjustment.approve(round, user=person.user, now=at("2016-09-29"))
    round.refresh_from_db()
    assert not round.documents.filter(kind=DocumentKind.EXTRACT).exists()
    return round


def sealed(round: AdjustmentRound) -> SealedDocument:
    return SealedDocument.objects.get(round=round, kind=DocumentKind.EXTRACT, numbers=[10])


def stored_files(folder: Path) -> list[str]:
    """Every file below `folder`, hidden temporary files included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_document_sealed_on_disk_reads_back_verified(meeting, secretary, settings):
    document = sealed(adjust(meeting, secretary))
    assert isinstance(document.file.storage, AtomicFileSystemStorage)
    assert hashlib.sha256(document.read_verified()).hexdigest() == document.sha256
    assert stored_files(Path(settings.MEDIA_ROOT)) == [document.file.name]


def test_a_document_sealed_in_object_storage_reads_back_verified(meeting, secretary, s3, settings):
    document = sealed(adjust(meeting, secretary))
    assert isinstance(document.file.storage, ObjectStorage)
    data = document.read_verified()
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert len(data) == document.size
    stored = s3.get_object(Bucket=BUCKET, Key=f"paragraf/{document.file.name}")
    assert stored["Body"].read() == data
    assert stored["ContentType"] == "application/pdf"
    assert document.file.size == document.size
    assert not Path(settings.MEDIA_ROOT).exists()


def test_a_tampered_object_is_refused_on_read(meeting, secretary, s3):
    document = sealed(adjust(meeting, secretary))
    key = f"paragraf/{document.file.name}"
    data = bytearray(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    data[200] ^= 0xFF
    s3.put_object(Bucket=BUCKET, Key=key, Body=bytes(data))
    with pytest.raises(TamperedFile) as caught:
        SealedDocument.objects.get(pk=document.pk).read_verified()
    assert caught.value.document == document


def test_a_document_in_object_storage_is_stored_once(meeting, secretary, s3):
    round = adjust(meeting, secretary)
    again = adjustment.seal_document(round, DocumentKind.EXTRACT, (10,))
    assert again == sealed(round)
    keys = [entry["Key"] for entry in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"paragraf/{again.file.name}"]


def test_a_full_disk_fails_the_seal_and_stores_nothing(unsealed_round, settings, monkeypatch):
    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    before = stored_files(Path(settings.MEDIA_ROOT))
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(StorageWriteError) as caught:
        adjustment.seal_document(unsealed_round, DocumentKind.EXTRACT, (10,))
    assert caught.value.errno == errno.ENOSPC
    assert unsealed_round.documents.filter(kind=DocumentKind.EXTRACT).count() == 0
    assert stored_files(Path(settings.MEDIA_ROOT)) == before


def test_a_missing_bucket_fails_the_seal_and_stores_nothing(unsealed_round, s3):
    for entry in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=entry["Key"])
    s3.delete_bucket(Bucket=BUCKET)
    with pytest.raises(StorageWriteError) as caught:
        adjustment.seal_document(unsealed_round, DocumentKind.EXTRACT, (10,))
    assert caught.value.__cause__.response["Error"]["Code"] == "NoSuchBucket"
    assert unsealed_round.documents.filter(kind=DocumentKind.EXTRACT).count() == 0
