"""A whole installation as one directory: the database and the sealed files, with a manifest of hashes.

The format (version 2) is a directory that can be copied or tarred as it is:

    manifest.json        format, version, when, which Paragraf (version, git commit), which database,
                         the applied migrations, the number of rows of every model, and the SHA-256
                         and size of every other member
    database.xml         Django's `dumpdata` of every model but sessions, with primary keys as they are
                         (XML: its times keep their microseconds; Django's JSON cuts them to
                         milliseconds, and a restored installation would differ from the original)
    files/<name>         every sealed document's file and every agenda document's, under its storage name

The manifest is written last, so a directory without one is an unfinished backup; a backup that
fails removes what it wrote.

Consistency: the rows, their counts and the list of sealed files are read in one transaction at
REPEATABLE READ (read only), so they all come from one snapshot. The files are copied after the
snapshot: a sealed file never changes and is named and hashed by its row, so the copy is the file
the row describes, and each one is checked against its recorded SHA-256 (a tampered file is refused, not backed up).

Primary keys are kept, and no natural keys are used: every reference (the audit trail's users, the
task queue, the search index) comes back as it was, and dumping and loading need no query per row.
The task queue is data too: a task that waited at the time of the backup waits again after a restore.
Content types and permissions are dumped too, because the admin log and granted permissions refer
to them by id; a restore replaces the ones `migrate` created with them.

Restore refuses, changing nothing, unless every member matches the manifest, the installation has
the same migrations applied, and it is empty (no row in any model it restores besides the content
types and permissions `migrate` makes). It then loads everything in one transaction. The
triggers that make adjusted data immutable would refuse to insert a § into an adjusted meeting,
so the restore turns its tables' own triggers off inside that transaction and on again before it
commits: no other session ever sees them off (ALTER TABLE locks the table until commit), and a
failure rolls the switch back with the rows. Files are written through the storage API at their
original names; a file already there with the same bytes is kept (a retry after a failure), one
with other bytes, or a storage that would rename the file, is refused.
"""

import hashlib
import json
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.utils import validate_file_name
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils import timezone

from minutes.models import AgendaDocument, SealedDocument
from minutes.models.search import SearchEntry, weighted_vector

FORMAT = "paragraf-backup"
VERSION = 2
MANIFEST = "manifest.json"
DATABASE = "database.xml"
FILES = "files"
# Logins are not data: a restored installation asks everyone to sign in again, and starts
# without the login throttle's counts and logs (django-axes).
EXCLUDED_APPS = ("sessions", "axes")
# Made by `migrate` in every installation; a restore replaces them with the backup's.
MADE_BY_MIGRATE = ("contenttypes.contenttype", "auth.permission")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup cannot be written, or cannot be restored; the message says why."""


def write_backup(target: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write a backup of the database and the sealed files into the new directory `target`; returns the manifest."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} already exists; a backup is written into a new directory")
    target.mkdir(parents=True)
    try:
        return _write(target, using)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise


def _write(target: Path, using: str) -> dict[str, Any]:
    connection = connections[using]
    with _snapshot(connection):
        rows = {model._meta.label_lower: model._base_manager.using(using).count() for model in dumped_models(using)}
        migrations = _applied_migrations(connection)
        documents = _stored_files(using)
        # Into a stream of our own: dumpdata's --output opens the file in the locale's encoding.
        with (target / DATABASE).open("w", encoding="utf-8") as stream:
            call_command(
                "dumpdata",
                format="xml",
                exclude=list(EXCLUDED_APPS),
                use_base_manager=True,
                database=using,
                stdout=stream,
                verbosity=0,
            )
    members = {DATABASE: _describe(target / DATABASE)}
    storage = SealedDocument._meta.get_field("file").storage
    for document in documents:
        member = f"{FILES}/{document.file}"
        members[member] = _copy_sealed(storage, document, _member_path(target, member))
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "paragraf": {"version": _paragraf_version(), "commit": _git_commit()},
        "database": {"vendor": connection.vendor},
        "migrations": migrations,
        "rows": rows,
        "members": members,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


@contextmanager
def _snapshot(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """One transaction in which every read sees the same committed state of the database."""
    if connection.in_atomic_block:
        # An outer transaction may already have read at a weaker isolation level.
        raise BackupError("A backup takes its own snapshot of the database and cannot run inside a transaction")
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def dumped_models(using: str = DEFAULT_DB_ALIAS) -> list[type[Model]]:
    """The models whose rows a backup holds: the ones `dumpdata` writes, less the excluded apps."""
    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.app_label not in EXCLUDED_APPS
        and router.allow_migrate_model(using, model)
    ]


def _copy_sealed(storage, document, path: Path) -> dict[str, Any]:
    """Copy one sealed file out of the storage, refusing it unless it is the file its row recorded."""
    digest = hashlib.sha256()
    path.parent.mkdir(parents=True, exist_ok=True)
    with storage.open(document.file, "rb") as source, path.open("wb") as copy:
        for chunk in source.chunks(CHUNK):
            digest.update(chunk)
            copy.write(chunk)
    size = path.stat().st_size
    if digest.hexdigest() != document.sha256 or size != document.size:
        raise BackupError(
            f"The stored file {document.file} no longer matches the SHA-256 and size recorded when it was sealed; "
            "it was not backed up"
        )
    return {"sha256": document.sha256, "size": size}


def _describe(path: Path) -> dict[str, Any]:
    return {"sha256": _sha256(path), "size": path.stat().st_size}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _member_path(root: Path, member: str) -> Path:
    """Where a member lives in the backup; a name that would leave the directory is refused."""
    try:
        validate_file_name(member, allow_relative_path=True)
    except SuspiciousFileOperation:
        raise BackupError(f"The backup names a member outside its directory: {member!r}") from None
    return root / member


def _applied_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _paragraf_version() -> str:
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
            return tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return ""


def _git_commit() -> str:
    """The checkout's commit, when it is one; an installation from a package has none."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def read_backup(source: Path) -> dict[str, Any]:
    """The backup's manifest, once every member it lists has been checked against its SHA-256 and size."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source} has no {MANIFEST}: it is not a backup, or an unfinished one") from None
    except (OSError, ValueError) as error:
        raise BackupError(f"{source / MANIFEST} cannot be read: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source / MANIFEST} is not the manifest of a Paragraf backup")
    if manifest.get("version") != VERSION:
        raise BackupError(f"The backup has format version {manifest.get('version')}; this Paragraf reads {VERSION}")
    members = manifest.get("members", {})
    if DATABASE not in members:
        raise BackupError(f"The manifest lists no {DATABASE}")
    damaged = []
    for member, expected in sorted(members.items()):
        path = _member_path(source, member)
        if not path.is_file():
            damaged.append(f"{member} is missing")
        elif path.stat().st_size != expected["size"] or _sha256(path) != expected["sha256"]:
            damaged.append(f"{member} does not match its SHA-256 and size in the manifest")
    if damaged:
        raise BackupError("The backup is damaged, nothing was restored:\n  " + "\n  ".join(damaged))
    return manifest


def restore_backup(source: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Restore the backup in `source` into this empty installation; returns its manifest.

    Everything is checked before anything is written, and the database is loaded in one transaction.
    """
    source = Path(source).resolve()
    manifest = read_backup(source)
    connection = connections[using]
    _check_migrations(manifest, connection)
    with transaction.atomic(using=using):
        _check_empty(manifest, using)
        ContentType.objects.using(using).all().delete()  # and their permissions: the backup brings its own
        with _own_triggers_off(connection):
            call_command("loaddata", str(source / DATABASE), database=using, verbosity=0)
        ContentType.objects.clear_cache()
        _check_counts(manifest, using)
        # Backups of format 2 made before Paragraf ran on PostgreSQL alone may lack search vectors.
        SearchEntry.objects.using(using).filter(vector=None).update(vector=weighted_vector())
        _restore_files(source, manifest, using)
    return manifest


def _check_migrations(manifest: dict[str, Any], connection: BaseDatabaseWrapper) -> None:
    """A dump loads into the schema it was made from: the same migrations, no more and no fewer."""
    ours, theirs = set(_applied_migrations(connection)), set(manifest.get("migrations", []))
    if ours == theirs:
        return
    lines = [f"missing here: {name}" for name in sorted(theirs - ours)]
    lines += [f"not in the backup: {name}" for name in sorted(ours - theirs)]
    raise BackupError(
        "The backup was made with other migrations than this installation has applied; restore it with the "
        "Paragraf version that made it, then upgrade:\n  " + "\n  ".join(lines)
    )


def _check_empty(manifest: dict[str, Any], using: str) -> None:
    holding = [
        label
        for label in sorted(manifest["rows"])
        if label not in MADE_BY_MIGRATE and apps.get_model(label)._base_manager.using(using).exists()
    ]
    if holding:
        named = ", ".join(holding[:3]) + (f" and {len(holding) - 3} more models" if len(holding) > 3 else "")
        raise BackupError(
            f"This installation is not empty (it has rows of {named}); "
            "a backup is restored only into a new installation, right after migrate"
        )


@contextmanager
def _own_triggers_off(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Turn the enabled triggers of Django's tables off, and on again, within the caller's transaction.

    Only the triggers Paragraf made are touched (not PostgreSQL's internal ones that check foreign
    keys); on an exception the transaction's rollback switches them back on.
    """
    tables = connection.introspection.django_table_names(only_existing=True)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND pg_table_is_visible(c.oid) AND c.relname = ANY(%s)
            ORDER BY 1, 2
            """,
            [tables],
        )
        triggers = cursor.fetchall()
    quote = connection.ops.quote_name

    def switch(state: str) -> None:
        with connection.cursor() as cursor:
            for table, trigger in triggers:
                cursor.execute(f"ALTER TABLE {quote(table)} {state} TRIGGER {quote(trigger)}")

    switch("DISABLE")
    yield
    switch("ENABLE")


def _check_counts(manifest: dict[str, Any], using: str) -> None:
    """Every row the backup counted was loaded, and no other."""
    wrong = []
    for label, expected in sorted(manifest["rows"].items()):
        found = apps.get_model(label)._base_manager.using(using).count()
        if found != expected:
            wrong.append(f"{label}: {found} rows, the backup has {expected}")
    if wrong:
        raise BackupError("The database did not load as backed up, nothing was restored:\n  " + "\n  ".join(wrong))


def _stored_files(using: str) -> list:
    """Every file the rows name, with its SHA-256 and size: the sealed PDFs, then the agenda's case documents."""
    return [
        *SealedDocument.objects.using(using).order_by("pk").values_list("file", "sha256", "size", named=True),
        *AgendaDocument.objects.using(using).order_by("pk").values_list("file", "sha256", "size", named=True),
    ]


def _restore_files(source: Path, manifest: dict[str, Any], using: str) -> None:
    storage = SealedDocument._meta.get_field("file").storage
    members = manifest["members"]
    for document in _stored_files(using):
        name, member = document.file, f"{FILES}/{document.file}"
        if members.get(member, {}).get("sha256") != document.sha256:
            raise BackupError(f"The backup does not hold the sealed file {name} its database names")
        data = _member_path(source, member).read_bytes()
        if hashlib.sha256(data).hexdigest() != document.sha256:  # changed since read_backup checked it
            raise BackupError(f"{member} changed while it was restored")
        if storage.exists(name):
            with storage.open(name, "rb") as existing:
                if hashlib.sha256(existing.read()).hexdigest() == document.sha256:
                    continue  # the same file, from an earlier attempt
            raise BackupError(f"The storage already holds a different file named {name}")
        saved = storage.save(name, ContentFile(data))
        if saved != name:
            storage.delete(saved)
            raise BackupError(f"The storage saved {name} as {saved}; the sealed file must keep its name")


def describe(manifest: dict[str, Any]) -> str:
    """One line for an operator: what the backup holds."""
    files = [m for m in manifest["members"] if m.startswith(f"{FILES}/")]
    size = sum(m["size"] for m in manifest["members"].values())
    rows = sum(manifest["rows"].values())
    return f"{rows} rows and {len(files)} sealed files ({size / 1e6:.1f} MB) from {manifest['created_at']}"
