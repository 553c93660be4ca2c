"""The private PostgreSQL cluster: made once, data kept across starts, crashed runs recovered, nothing deleted."""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from committee import localdb


@pytest.fixture
def data_dir() -> Iterator[Path]:
    parent = Path(tempfile.mkdtemp(prefix="paragraf-localdb-"))
    parent.chmod(0o755)
    yield parent / "postgres"
    remove_cluster(parent / "postgres")
    shutil.rmtree(parent, ignore_errors=True)


def remove_cluster(data_dir: Path) -> None:
    home = data_dir.resolve()
    localdb.stop(data_dir)
    if home != data_dir:  # kept elsewhere (see the test below): its files and socket go too
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(localdb.socket_dir(home), ignore_errors=True)
        home.with_name(f"{home.name}.log").unlink(missing_ok=True)


def query(data_dir: Path, sql: str) -> list[tuple]:
    with psycopg.connect(localdb.database_url(data_dir), autocommit=True) as connection:
        cursor = connection.execute(sql)
        return cursor.fetchall() if cursor.description else []


def test_the_cluster_keeps_its_data_from_one_start_to_the_next(data_dir):
    assert localdb.start(data_dir, fast=True) is True
    assert localdb.start(data_dir) is False  # already running: used as it is, not started twice
    query(data_dir, "CREATE TABLE kept (word text); INSERT INTO kept VALUES ('protokoll')")
    assert localdb.stop(data_dir) is True
    assert localdb.running_pid(data_dir) is None

    assert localdb.start(data_dir) is True
    assert query(data_dir, "SELECT word FROM kept") == [("protokoll",)]
    assert query(data_dir, "SHOW server_version_num")[0][0] >= "180000"
    assert query(data_dir, "SELECT to_tsvector('swedish', 'nämnderna')::text") == [("'nämnd':1",)]
    assert query(data_dir, "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'") == [(1,)]


def test_a_checkout_in_a_private_folder_still_gets_its_cluster(tmp_path):
    """pytest's own folders are private (0700). As root the server's unprivileged user cannot enter
    them, so the cluster lives in the service's folder and the data folder links to it."""
    data_dir = tmp_path / "var" / "postgres"
    try:
        assert localdb.start(data_dir, fast=True) is True
        assert query(data_dir, "SELECT 1") == [(1,)]
        assert localdb.running_pid(data_dir) is not None
        if os.geteuid() == 0:
            assert data_dir.resolve().parent == localdb.SERVICE_HOME
        else:
            assert data_dir.resolve() == data_dir
    finally:
        remove_cluster(data_dir)


def test_a_lock_left_by_a_crashed_server_is_recovered(data_dir):
    localdb.start(data_dir, fast=True)
    postmaster = localdb.running_pid(data_dir)
    lock = (data_dir / "postmaster.pid").read_text()
    localdb.stop(data_dir)
    # A crash leaves the lock file behind, and after a reboot its PID may belong to another program.
    (data_dir / "postmaster.pid").write_text(lock.replace(str(postmaster), str(os.getpid()), 1))
    assert localdb.running_pid(data_dir) is None

    assert localdb.start(data_dir) is True
    assert query(data_dir, "SELECT 1") == [(1,)]


def test_a_folder_that_holds_something_else_is_refused_and_left_alone(data_dir):
    data_dir.mkdir()
    (data_dir / "notes.txt").write_text("not a database")

    with pytest.raises(localdb.LocalDatabaseError, match="holds no PostgreSQL cluster"):
        localdb.start(data_dir)
    assert [path.name for path in data_dir.iterdir()] == ["notes.txt"]


def test_a_socket_path_too_long_for_the_kernel_moves_to_the_temporary_folder(tmp_path):
    deep = tmp_path.joinpath(*["folder"] * 20) / "postgres"

    assert len(str(deep)) > 107
    assert localdb.socket_dir(deep).parent == Path(tempfile.gettempdir())
    assert localdb.socket_dir(deep) == localdb.socket_dir(deep)  # the same cluster, the same socket
    assert localdb.socket_dir(Path("/srv/var/postgres")) == Path("/srv/var/postgres-socket")


@pytest.mark.parametrize("url", ["sqlite:///var/paragraf.sqlite3", "mysql://root@localhost/paragraf"])
def test_the_commands_refuse_a_database_url_that_is_not_postgresql_in_one_line(url):
    result = subprocess.run(
        [str(Path(settings.BASE_DIR) / "paragraf"), "run"],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"paragraf: error: DATABASE_URL must name a PostgreSQL server "
        f"(postgres://user:password@host:port/name), not '{url.split(':')[0]}:…'"
    ]
