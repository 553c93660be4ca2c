"""The storage backends: a file is stored whole or not at all, never replaced, and a refusal says why.

No database: the local backend writes to a temp dir, the object storage talks to moto's
in-process S3 (no network).
"""

import errno
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from boto3.s3.transfer import TransferConfig
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.base import ContentFile
from moto import mock_aws

from minutes.storage import AtomicFileSystemStorage, ObjectStorage, StorageWriteError

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64


class BrokenContent(ContentFile):
    """Content whose source fails after the first chunk, like a read error halfway through."""

    def __init__(self, error: OSError, **kwargs) -> None:
        super().__init__(PDF, **kwargs)
        self.error = error

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        yield PDF[:100]
        raise self.error


class ContentThatTakesItsName(ContentFile):
    """Content whose writing lets another process store a file under the same name first."""

    def __init__(self, taken: Path) -> None:
        super().__init__(PDF)
        self.taken = taken

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        self.taken.write_bytes(b"the other file")
        yield from super().chunks(chunk_size)


@pytest.fixture
def storage(tmp_path) -> AtomicFileSystemStorage:
    return AtomicFileSystemStorage(location=tmp_path, file_permissions_mode=0o640)


def files_under(path: Path) -> list[str]:
    """Every file below `path`, hidden temporary files included."""
    return sorted(str(p.relative_to(path)) for p in path.rglob("*") if p.is_file())


def test_a_saved_file_is_complete_with_its_permissions(storage, tmp_path):
    name = storage.save("sealed/nämnd/2016/protokoll.pdf", ContentFile(PDF))
    assert name == "sealed/nämnd/2016/protokoll.pdf"
    assert (tmp_path / name).read_bytes() == PDF
    assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o640
    assert files_under(tmp_path) == [name]
    with storage.open(name) as handle:
        assert handle.read() == PDF


def test_a_text_file_is_saved_as_utf8(storage, tmp_path):
    name = storage.save("exports/protokoll.txt", ContentFile("§ 10 Beslut"))
    assert (tmp_path / name).read_bytes() == "§ 10 Beslut".encode()


def test_a_file_without_permission_setting_follows_the_umask(tmp_path, settings):
    settings.FILE_UPLOAD_PERMISSIONS = None
    umask = os.umask(0o027)
    try:
        name = AtomicFileSystemStorage(location=tmp_path).save("a.pdf", ContentFile(PDF))
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o640


def test_a_taken_name_gets_another_name(storage, tmp_path):
    first = storage.save("sealed/a.pdf", ContentFile(b"first"))
    second = storage.save("sealed/a.pdf", ContentFile(b"second"))
    assert first == "sealed/a.pdf"
    assert second != first
    assert (tmp_path / first).read_bytes() == b"first"
    assert (tmp_path / second).read_bytes() == b"second"
    assert files_under(tmp_path) == sorted([first, second])


def test_a_name_taken_during_the_write_gets_another_name(storage, tmp_path):
    (tmp_path / "sealed").mkdir()
    name = storage.save("sealed/a.pdf", ContentThatTakesItsName(tmp_path / "sealed" / "a.pdf"))
    assert name != "sealed/a.pdf"
    assert (tmp_path / "sealed" / "a.pdf").read_bytes() == b"the other file"
    assert (tmp_path / name).read_bytes() == PDF
    assert files_under(tmp_path) == sorted(["sealed/a.pdf", name])


def test_overwriting_when_allowed_replaces_the_file_whole(tmp_path):
    storage = AtomicFileSystemStorage(location=tmp_path, allow_overwrite=True)
    storage.save("a.pdf", ContentFile(b"first"))
    assert storage.save("a.pdf", ContentFile(PDF)) == "a.pdf"
    assert (tmp_path / "a.pdf").read_bytes() == PDF
    assert files_under(tmp_path) == ["a.pdf"]


def test_a_source_failing_halfway_leaves_nothing(storage, tmp_path):
    with pytest.raises(StorageWriteError) as caught:
        storage.save("sealed/a.pdf", BrokenContent(OSError(errno.EIO, "Input/output error")))
    assert caught.value.errno == errno.EIO
    assert caught.value.name == "sealed/a.pdf"
    assert files_under(tmp_path) == []


def test_a_full_disk_leaves_nothing(storage, tmp_path, monkeypatch):
    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(StorageWriteError) as caught:
        storage.save("sealed/a.pdf", ContentFile(PDF))
    assert caught.value.errno == errno.ENOSPC
    assert os.strerror(errno.ENOSPC) in caught.value.reason
    assert isinstance(caught.value.__cause__, OSError)
    assert files_under(tmp_path) == []


def test_a_read_only_folder_refuses_the_write(storage, tmp_path, monkeypatch):
    folder = tmp_path / "sealed"
    folder.mkdir()
    folder.chmod(0o500)
    if os.geteuid() == 0:
        # root writes through chmod, so the refusal the kernel would give is simulated.
        real_open = os.open

        def refuse_in_folder(path, flags, *args, **kwargs):
            if os.path.dirname(os.fspath(path)) == str(folder) and flags & os.O_CREAT:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse_in_folder)
    try:
        with pytest.raises(StorageWriteError) as caught:
            storage.save("sealed/a.pdf", ContentFile(PDF))
    finally:
        folder.chmod(0o700)
    assert caught.value.errno == errno.EACCES
    assert files_under(tmp_path) == []


def test_a_refused_link_leaves_nothing(storage, tmp_path, monkeypatch):
    def refuse(source: str, destination: str) -> None:
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), destination)

    monkeypatch.setattr(os, "link", refuse)
    with pytest.raises(StorageWriteError) as caught:
        storage.save("sealed/a.pdf", ContentFile(PDF))
    assert caught.value.errno == errno.EPERM
    assert files_under(tmp_path) == []


def test_a_storage_write_error_is_an_os_error():
    # Code that already handles a full disk as OSError keeps handling it.
    assert issubclass(StorageWriteError, OSError)


BUCKET = "paragraf-test"


@pytest.fixture
def s3() -> Iterator[boto3.client]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
        client.create_bucket(Bucket=BUCKET)
        yield client


def object_storage(bucket: str = BUCKET, **options) -> ObjectStorage:
    return ObjectStorage(bucket_name=bucket, region_name="us-east-1", access_key="x", secret_key="y", **options)


def test_an_object_is_saved_and_read_back(s3):
    storage = object_storage(location="paragraf")
    name = storage.save("sealed/nämnd/2016/protokoll.pdf", ContentFile(PDF))
    assert name == "sealed/nämnd/2016/protokoll.pdf"
    assert storage.exists(name)
    assert storage.size(name) == len(PDF)
    with storage.open(name) as handle:
        assert handle.read() == PDF
    stored = s3.get_object(Bucket=BUCKET, Key=f"paragraf/{name}")
    assert stored["Body"].read() == PDF
    assert stored["ContentType"] == "application/pdf"
    assert storage.url(name).startswith(f"https://{BUCKET}.s3.amazonaws.com/paragraf/sealed/")
    assert not storage.exists("sealed/other.pdf")


def test_an_object_is_never_overwritten(s3):
    storage = object_storage()
    first = storage.save("sealed/a.pdf", ContentFile(b"first"))
    second = storage.save("sealed/a.pdf", ContentFile(b"second"))
    assert first == "sealed/a.pdf"
    assert second != first
    assert s3.get_object(Bucket=BUCKET, Key=first)["Body"].read() == b"first"
    assert s3.get_object(Bucket=BUCKET, Key=second)["Body"].read() == b"second"


def test_object_storage_refuses_overwriting_by_setting(s3):
    with pytest.raises(ImproperlyConfigured):
        object_storage(file_overwrite=True)


def test_object_storage_ignores_the_global_overwrite_setting(s3, settings):
    settings.AWS_S3_FILE_OVERWRITE = True
    assert object_storage().file_overwrite is False


def test_an_upload_to_a_missing_bucket_is_refused_with_the_reason(s3):
    storage = object_storage(bucket="no-such-bucket")
    with pytest.raises(StorageWriteError) as caught:
        storage.save("sealed/a.pdf", ContentFile(PDF))
    assert caught.value.__cause__.response["Error"]["Code"] == "NoSuchBucket"
    assert caught.value.name == "sealed/a.pdf"
    assert not storage.exists("sealed/a.pdf")


def test_a_refused_name_check_is_a_storage_write_error(s3):
    # A bucket that denies access refuses even the question whether the name is free.
    s3.put_bucket_policy(
        Bucket=BUCKET,
        Policy='{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*",'
        f' "Action": "s3:*", "Resource": ["arn:aws:s3:::{BUCKET}", "arn:aws:s3:::{BUCKET}/*"]}}]}}',
    )
    with pytest.raises(StorageWriteError) as caught:
        object_storage().save("sealed/a.pdf", ContentFile(PDF))
    assert caught.value.__cause__.operation_name == "HeadObject"
    assert caught.value.__cause__.response["Error"]["Code"] == "403"


class FailingStream(io.RawIOBase):
    """An endless source that fails after `limit` bytes, like a read error in a large export."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:
        if self.position >= self.limit:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        buffer[:] = b"x" * len(buffer)
        self.position += len(buffer)
        return len(buffer)


def test_a_multipart_upload_failing_halfway_leaves_nothing(s3):
    megabytes = 2**20
    storage = object_storage(
        transfer_config=TransferConfig(multipart_threshold=5 * megabytes, multipart_chunksize=5 * megabytes)
    )
    calls = []
    storage.connection.meta.client.meta.events.register(
        "after-call.s3.*", lambda event_name, **kwargs: calls.append(event_name.removeprefix("after-call.s3."))
    )
    with pytest.raises(StorageWriteError) as caught:
        storage.save("exports/large.zip", File(io.BufferedReader(FailingStream(12 * megabytes)), name="large.zip"))
    assert caught.value.errno == errno.EIO
    # Parts may or may not have gone up meanwhile (threads); the upload is begun, then aborted, never completed.
    assert (calls[:2], calls[-1]) == (["HeadObject", "CreateMultipartUpload"], "AbortMultipartUpload")
    assert "CompleteMultipartUpload" not in calls
    assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads") is None
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0
