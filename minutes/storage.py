"""Where sealed PDFs and exports are kept: the local disk, or S3-compatible object storage.

Either backend stores a file whole or not at all, and never replaces a stored file: a reader
sees the complete file under its name or no file. When the storage refuses a write (a full
disk, a permission, a missing bucket) both raise `StorageWriteError` with the reason, and
nothing is left under the name; the caller (sealing) shows the reason to the user.

The SHA-256 of a sealed file is checked on read by `SealedDocument.read_verified()`, not here.
"""

import contextlib
import os
import secrets
from typing import Any

from boto3.exceptions import S3UploadFailedError
from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_makedirs
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage


class StorageWriteError(OSError):
    """The storage refused to keep a file, for `reason`; nothing was stored under `name`.

    An OSError, so code that already handles a full disk keeps working; `errno` is the
    original one when the refusal came from the operating system (ENOSPC, EACCES, …). The
    message is in the active language, as sealing shows it to the user; `reason` is in the
    words of the operating system or the storage service.
    """

    def __init__(self, name: str, reason: str, *, errno: int | None = None) -> None:
        super().__init__(_("The file %(name)s could not be stored: %(reason)s") % {"name": name, "reason": reason})
        self.name = name
        self.reason = reason
        self.errno = errno


class AtomicFileSystemStorage(FileSystemStorage):
    """The local file system, where a file appears under its name only once it is complete and on disk.

    The content is written to a hidden temporary file in the destination folder, flushed and
    fsynced, given its permissions, and then hard-linked to its name: a link fails if the name
    is taken (so a stored file is never replaced, and Django's get_available_name picks
    another name as usual), and it is atomic, so no reader ever sees a partial file. Any
    OSError on the way is raised as `StorageWriteError`, after the temporary file is removed.

    Uploads that Django keeps in a temporary file are copied like any other content rather
    than moved, so the same path makes every file; the folder must support hard links (every
    POSIX file system does).
    """

    def _save(self, name: str, content: File) -> str:
        try:
            return self._save_atomically(name, content)
        except OSError as error:
            raise StorageWriteError(name, str(error), errno=error.errno) from error

    def _save_atomically(self, name: str, content: File) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        self._make_directory(directory)
        temporary = os.path.join(directory, f".{secrets.token_hex(8)}.part")
        try:
            self._write_synced(temporary, content)
            if self.file_permissions_mode is not None:
                os.chmod(temporary, self.file_permissions_mode)
            self._ensure_location_group_id(temporary)
            full_path = self._move_into_place(temporary, name, full_path)
        finally:
            with contextlib.suppress(FileNotFoundError):  # gone already when renamed into place
                os.remove(temporary)
        try:
            # The file is complete; this makes its name survive a power cut too.
            _fsync_directory(directory)
        except OSError:
            os.remove(full_path)
            raise
        # Like Django: relative to the storage root, with forward slashes even on Windows.
        return os.path.relpath(full_path, self.location).replace("\\", "/")

    def _make_directory(self, directory: str) -> None:
        try:
            if self.directory_permissions_mode is not None:
                # os.makedirs() does not apply its mode to intermediate folders (python/cpython#86533).
                safe_makedirs(directory, self.directory_permissions_mode, exist_ok=True)
            else:
                os.makedirs(directory, exist_ok=True)
        except FileExistsError:
            raise FileExistsError(f"{directory} exists and is not a directory.") from None

    def _write_synced(self, path: str, content: File) -> None:
        # Mode 0o666 less the umask, as Django creates its files; O_EXCL: the temporary file is ours alone.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as handle:
            for chunk in content.chunks():
                handle.write(chunk.encode() if isinstance(chunk, str) else chunk)
            handle.flush()
            os.fsync(handle.fileno())

    def _move_into_place(self, temporary: str, name: str, full_path: str) -> str:
        if self._allow_overwrite:
            os.replace(temporary, full_path)
            return full_path
        while True:
            try:
                os.link(temporary, full_path)
                return full_path
            except FileExistsError:
                # Taken since get_available_name looked (another process): look again, as Django does.
                name = self.get_available_name(name)
                full_path = self.path(name)


def _fsync_directory(directory: str) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ObjectStorage(S3Storage):
    """S3-compatible object storage, where a stored object is never replaced.

    An upload is already whole or nothing: an object appears only when its single PUT, or the
    completion of its multipart upload, succeeds, and boto3 aborts a failed multipart upload.
    What this class adds: `file_overwrite` is always off (a name in use gets another name, as
    on disk), and a refusal by the service (boto3/botocore errors, also from the name check
    that asks the bucket first) or a failing source is raised as `StorageWriteError` with the
    reason, the service's own words included.
    """

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        if self.file_overwrite:
            raise ImproperlyConfigured("Sealed files are never overwritten: ObjectStorage needs file_overwrite=False")

    def get_default_settings(self) -> dict[str, Any]:
        return {**super().get_default_settings(), "file_overwrite": False}

    def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
        try:
            return super().save(name, content, max_length=max_length)
        except (ClientError, BotoCoreError, S3UploadFailedError, OSError) as error:
            name = name or getattr(content, "name", "")
            raise StorageWriteError(name, str(error), errno=getattr(error, "errno", None)) from error
