"""The benches' PostgreSQL: which server, a database of each run's own, and the ten years kept for reading.

Which server: the one DATABASE_URL names (any database on it: only the server counts, the benches make
their own databases and never touch the one named), or else the private cluster that `./paragraf run`
uses, var/postgres (committee/localdb.py), started for the bench when it is not running and stopped
again at the end (a running one, `./paragraf run`'s, is used and left running).

A bench that builds its data makes a database named `paragraf_bench_<bench>_<random>`, so that
benches, or the same bench twice, can run side by side on one server, and drops it at the end
(unless --keep). The benches that read ten years of protocols (portal, search, OParl) share
`paragraf_bench_decade`: built once (`bench/decade.py`, about a minute) into a database of its own
name, renamed when complete, and kept; no bench drops it. No bench drops a database it did not make.

    .venv/bin/python bench/benchdb.py list          # the paragraf_bench… databases on the server
    .venv/bin/python bench/benchdb.py drop NAME…    # drop some (left by a killed run, or the decade)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "paragraf_bench"
DECADE = "paragraf_bench_decade"
# Read before any bench points PARAGRAF_VAR_DIR at a temporary folder of its own.
DEVELOPER_VAR_DIR = Path(os.environ.get("PARAGRAF_VAR_DIR") or ROOT / "var").resolve()
LOAD_AT_START = os.getloadavg()

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def load_report() -> str:
    """The machine's load: when the bench began (others' work only) and now (the bench's own too)."""
    now = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {LOAD_AT_START[0]:.1f} at the start, {now} (1/5/15 min) at the end"


@contextlib.contextmanager
def server() -> Iterator[str]:
    """The URL of a database on the benches' server: DATABASE_URL, or the private cluster under var/."""
    url = os.environ.get("DATABASE_URL")
    if url:
        if urlsplit(url).scheme not in ("postgres", "postgresql"):
            raise SystemExit(f"DATABASE_URL must name a PostgreSQL server (postgres://…), not {url.split(':')[0]}:…")
        yield url
        return
    from committee import localdb

    data_dir = DEVELOPER_VAR_DIR / "postgres"
    started = localdb.start(data_dir)
    print(f"{'Started' if started else 'Using'} the private PostgreSQL in {data_dir}", file=sys.stderr, flush=True)
    try:
        yield localdb.database_url(data_dir)
    finally:
        if started:
            localdb.stop(data_dir)


def with_database(url: str, name: str) -> str:
    """The same server, another database; keeps libpq's `?host=/socket/folder`."""
    return urlunsplit(urlsplit(url)._replace(path="/" + quote(name)))


def describe(url: str) -> str:
    """The server as a line of a report: its version and where it is."""
    (version,) = _sql(url, "SHOW server_version")[0]
    parts = urlsplit(url)
    where = f"{parts.hostname}:{parts.port or 5432}" if parts.hostname else f"socket in {_socket_folder(url)}"
    return f"PostgreSQL {version.split()[0]} ({where})"


@contextlib.contextmanager
def throwaway(bench: str, *, keep: bool = False) -> Iterator[str]:
    """A new, empty database of this run's own; DATABASE_URL points at it here and in children. Dropped at the end."""
    with server() as url, _sigterm_exits():
        name = f"{PREFIX}_{bench}_{secrets.token_hex(3)}"
        _sql(url, f'CREATE DATABASE "{name}"', autocommit=True)
        os.environ["DATABASE_URL"] = bench_url = with_database(url, name)
        print(f"Database {name} on {describe(url)}", file=sys.stderr, flush=True)
        try:
            yield bench_url
        finally:
            close_connections()
            if keep:
                print(f"Kept the database {name}: {bench_url}", file=sys.stderr)
            else:
                _sql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', autocommit=True)


@contextlib.contextmanager
def decade(name: str = DECADE, *, seed: int = 2016) -> Iterator[str]:
    """The database holding bench/decade.py's ten years, built first when it does not exist; kept at the end.

    It is built into a database of its own (bench/decade.py --in-place, a child process) that is
    renamed to `name` when complete, so a killed build never leaves a half-built decade under that
    name, and two benches that build at once do not share one.
    """
    with server() as url, _sigterm_exits():
        if not _exists(url, name):
            building = f"{PREFIX}_decade_building_{secrets.token_hex(3)}"
            _sql(url, f'CREATE DATABASE "{building}"', autocommit=True)
            try:
                print(f"Building the decade into {building} …", file=sys.stderr, flush=True)
                command = [sys.executable, str(ROOT / "bench" / "decade.py"), "--in-place", "--seed", str(seed)]
                env = {**os.environ, "DATABASE_URL": with_database(url, building)}
                subprocess.run(command, cwd=ROOT, env=env, check=True)
                if not _exists(url, name):  # a bench beside this one may have finished first
                    _sql(url, f'ALTER DATABASE "{building}" RENAME TO "{name}"', autocommit=True)
            finally:
                _sql(url, f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)', autocommit=True)
        os.environ["DATABASE_URL"] = decade_url = with_database(url, name)
        print(f"Database {name} on {describe(url)}", file=sys.stderr, flush=True)
        try:
            yield decade_url
        finally:
            close_connections()


def schema() -> None:
    """migrate and createcachetable, as `./paragraf run` does: the pages read the cache from the database."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)


def close_connections() -> None:
    """Close this process's database connections and pools, before its database is dropped or renamed."""
    if "django.db" not in sys.modules:
        return
    from django.apps import apps
    from django.db import connections

    if not apps.ready:
        return
    for connection in connections.all(initialized_only=True):
        if getattr(connection, "pool", None) is not None:
            connection.close_pool()
        connection.close()


@contextlib.contextmanager
def _sigterm_exits() -> Iterator[None]:
    """A SIGTERM ends the bench through its `finally`s (servers stopped, its database dropped), as Ctrl-C does."""

    def leave(_signum, _frame) -> None:
        raise SystemExit(143)

    previous = signal.signal(signal.SIGTERM, leave)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _socket_folder(url: str) -> str:
    import psycopg.conninfo

    return psycopg.conninfo.conninfo_to_dict(url).get("host", "")


def _exists(url: str, name: str) -> bool:
    return bool(_sql(url, "SELECT 1 FROM pg_database WHERE datname = %s", [name]))


def _sql(url: str, sql: str, params: list | None = None, *, autocommit: bool = False) -> list[tuple]:
    """One statement on the server's maintenance database `postgres` (CREATE/DROP DATABASE need autocommit)."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=autocommit) as connection:
        cursor = connection.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["list", "drop"])
    parser.add_argument("names", nargs="*", help="for drop: the databases, each named paragraf_bench…")
    args = parser.parse_args()
    if args.action == "drop" and (not args.names or any(not n.startswith(PREFIX) for n in args.names)):
        parser.error(f"drop takes one or more names, each beginning with {PREFIX}")
    with server() as url:
        if args.action == "list":
            rows = _sql(
                url,
                "SELECT datname, pg_size_pretty(pg_database_size(datname)) FROM pg_database "
                "WHERE datname LIKE %s ORDER BY datname",
                [PREFIX.replace("_", r"\_") + "%"],
            )
            print(f"{describe(url)}: {len(rows)} bench database(s)")
            for name, size in rows:
                print(f"  {name:45} {size}")
        else:
            for name in args.names:
                _sql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', autocommit=True)
                print(f"dropped {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
