"""Paragraf as production runs it: gunicorn and WhiteNoise, the health endpoint, a database restart, shared state.

The gunicorn tests start real servers on the test database. They only see committed data, so
they are transactional tests. Each server's output goes to a file, printed when a test fails.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.conf import global_settings
from django.contrib.auth.models import User
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper

from committee.models import Committee
from tests.database import database_url
from tests.factories import CommitteeFactory
from tests.integration.test_deploy import PRODUCTION, check_deploy

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
ERROR_PAGE = "Tekniskt fel"


# --- In-process: the health endpoint and the error page -------------------------------------------


def refuse(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


@pytest.mark.django_db
def test_health_is_ok_after_one_query_and_never_cached(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1: no session, no user, no cache
        response = client.get("/health/")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})
    assert "no-store" in response["Cache-Control"] and not response.cookies


@pytest.mark.django_db
def test_health_is_503_when_the_database_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = client.get("/health/")
    assert (response.status_code, response.json()) == (503, {"status": "error", "database": "unreachable"})


@pytest.mark.django_db
def test_a_database_error_shows_the_plain_swedish_error_page(client, monkeypatch):
    client.raise_request_exception = False
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = client.get("/protokoll/")
    page = response.content.decode()
    assert response.status_code == 500 and ERROR_PAGE in page and "Traceback" not in page


# --- Configuration: check --deploy and gunicorn's settings ----------------------------------------


def test_check_deploy_is_clean_for_several_machines():
    """test_deploy.py checks one machine; this adds what several need: S3 storage and a proxy in front."""
    result = check_deploy(
        PRODUCTION
        | {
            "PARAGRAF_STORAGE": "s3",
            "PARAGRAF_S3_BUCKET": "paragraf",
            "PARAGRAF_S3_ENDPOINT_URL": "https://s3.example.se",
            "DJANGO_BEHIND_PROXY": "1",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://paragraf.example.se",
        }
    )
    assert (result.returncode, result.stderr) == (0, "")


def gunicorn_config(env: dict[str, str]) -> dict[str, str]:
    result = subprocess.run(
        [GUNICORN, "-c", "gunicorn.conf.py", "--print-config", "committee.wsgi"],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    pairs = (line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line)
    return {name.strip(): value.strip() for name, value in pairs}


def test_gunicorn_takes_its_settings_from_the_environment():
    default = gunicorn_config({})
    assert default["bind"] == "['127.0.0.1:8000']"
    assert int(default["workers"]) == min(2 * (os.cpu_count() or 1) + 1, 12)
    assert (default["preload_app"], default["accesslog"], default["timeout"]) == ("False", "-", "60")

    assert gunicorn_config({"PORT": "5000"})["bind"] == "['0.0.0.0:5000']"
    chosen = gunicorn_config({"PARAGRAF_BIND": "10.0.0.5:9000", "WEB_CONCURRENCY": "3", "PARAGRAF_WEB_TIMEOUT": "90"})
    assert (chosen["bind"], chosen["workers"], chosen["timeout"]) == ("['10.0.0.5:9000']", "3", "90")


# --- Real gunicorn servers ------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    # libpq names the server's connections with this (PGAPPNAME), so that a "restart" cuts only
    # the connections of the server under test, not the test's own or another server's.
    application_name: str

    def output(self) -> str:
        return self.log.read_text(errors="replace")


STARTED: list[Server] = []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(var_dir: Path, log: Path, *, workers: int, preload: Path | None = None) -> Iterator[Server]:
    """gunicorn as the README runs it, on the test database, stopped however the tests end.

    With `preload`, a folder holding careless_app.py, gunicorn imports that with --preload instead.
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PARAGRAF_", "DATABASE_", "PG"))}
    env.update(
        DATABASE_URL=database_url(),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        PARAGRAF_VAR_DIR=str(var_dir),
        PARAGRAF_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        PGAPPNAME=f"paragraf-test-gunicorn-{port}",
    )
    app = ["committee.wsgi"]
    if preload:
        env["PYTHONPATH"] = str(preload)
        app = ["--preload", "careless_app:application"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [GUNICORN, "-c", "gunicorn.conf.py", *app],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log, env["PGAPPNAME"])
    STARTED.append(server)
    try:
        wait_until_healthy(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_healthy(server: Server, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.process.returncode}:\n{server.output()}")
        try:
            if requests.get(server.url + "/health/", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or a worker still starting
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn was not healthy within {seconds} s:\n{server.output()}")


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory) -> Path:
    """A PARAGRAF_VAR_DIR with the static files collected, as production has it.

    Paragraf's own files are enough to show WhiteNoise serving them; compressing the vendored
    ones (Bootstrap, the admin's, htmx) would take a minute of the run.
    """
    path = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PARAGRAF_", "DATABASE_"))}
    skip = ["--ignore", "vendor", "--ignore", "admin", "--ignore", "django_htmx"]
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0", *skip],
        cwd=ROOT,
        env=env | {"PARAGRAF_VAR_DIR": str(path)},
        check=True,
    )
    return path


@pytest.fixture(scope="module")
def web(django_db_setup, var_dir, tmp_path_factory) -> Iterator[Server]:
    with serving(var_dir, tmp_path_factory.mktemp("web") / "gunicorn.log", workers=2) as server:
        yield server


@pytest.fixture(scope="module")
def other_web(django_db_setup, var_dir, tmp_path_factory) -> Iterator[Server]:
    """A second server, as on a second machine."""
    with serving(var_dir, tmp_path_factory.mktemp("other") / "gunicorn.log", workers=1) as server:
        yield server


@pytest.fixture(autouse=True)
def _server_output_when_a_test_fails() -> Iterator[None]:
    """Print what the servers wrote during the test: pytest shows it for a failed test only."""
    before = {id(server): len(server.output()) for server in STARTED}
    yield
    for server in STARTED:
        print(f"--- {server.url}:\n{server.output()[before.get(id(server), 0) :]}")


def terminate_connections(server: Server) -> int:
    """What a database restart does to a server: every one of its connections is cut."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND application_name = %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"], server.application_name],
        )
        return cursor.fetchone()[0]


def answer(url: str) -> tuple[int, str]:
    response = requests.get(url, timeout=60)
    return response.status_code, response.text


def all_succeed_again(urls: list[str], *, seconds: float = 20) -> bool:
    """Whether the servers answer every URL with a page ten times in a row, within `seconds`."""
    deadline, in_a_row = time.monotonic() + seconds, 0
    while in_a_row < 10 and time.monotonic() < deadline:
        statuses = [answer(url)[0] for url in urls]
        in_a_row = in_a_row + 1 if statuses == [200] * len(urls) else 0
    return in_a_row == 10


def clean(status: int, body: str) -> bool:
    """A page, or a plain error: never a traceback, never Django's debug page."""
    if "Traceback" in body or "DEBUG = True" in body:
        return False
    if status == 503:
        return '"database": "unreachable"' in body
    return status == 200 or (status == 500 and ERROR_PAGE in body)


@pytest.mark.django_db(transaction=True)
def test_static_files_are_served_by_whitenoise_compressed(web):
    response = requests.get(web.url + "/static/paragraf.css", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Content-Encoding"] == "gzip" and "public" in response.headers["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_a_database_restart_fails_requests_cleanly_and_the_pool_recovers(web):
    CommitteeFactory(name="Årstadals stadsdelsnämnd")
    urls = [web.url + "/health/", web.url + "/protokoll/"]
    for _ in range(5):
        for url in urls:
            assert answer(url)[0] == 200

    answers: list[tuple[str, int, str]] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            for url in urls:
                try:
                    answers.append((url, *answer(url)))
                except requests.RequestException as error:  # a crashed or hung worker
                    answers.append((url, 0, repr(error)))

    asking = threading.Thread(target=keep_asking)
    asking.start()
    try:
        killed = 0
        for _ in range(3):
            time.sleep(0.5)
            killed += terminate_connections(web)
        time.sleep(0.5)
    finally:
        stop.set()
        asking.join(timeout=120)
    assert killed >= 1, "the servers had no connection to cut"
    unclean = [(url, status, body[:300]) for url, status, body in answers if not clean(status, body)]
    assert answers and unclean == []

    # The pools replace the connections they lost: within a few requests every answer is a page again.
    assert all_succeed_again(urls)
    assert "Årstadals stadsdelsnämnd" in answer(web.url + "/protokoll/")[1]


CARELESS_APP = '''"""An application that queries at import: with --preload, its pool opens in gunicorn's master."""

from django.db import connection

from committee.wsgi import application

with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
'''


@pytest.mark.django_db(transaction=True)
def test_a_pool_opened_before_the_fork_is_not_inherited_by_the_workers(var_dir, tmp_path):
    """A worker with a copy of the master's pool shares its sockets and has no threads to reconnect:
    after a restart it would wait out the pool's timeout on every request. gunicorn.conf.py closes it first."""
    (tmp_path / "careless_app.py").write_text(CARELESS_APP)
    with serving(var_dir, tmp_path / "gunicorn.log", workers=2, preload=tmp_path) as server:
        urls = [server.url + "/health/"]
        assert all_succeed_again(urls)
        assert terminate_connections(server) >= 1
        assert all_succeed_again(urls)


@pytest.mark.django_db(transaction=True)
def test_a_session_started_on_one_server_is_valid_on_another(web, other_web, settings):
    # gunicorn knows only the real hashers, not the fast one the suite uses
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    User.objects.create_superuser("admin", password="paragraf-prod-test")
    with requests.Session() as browser:
        login = web.url + "/konto/login/"
        browser.get(login, timeout=30)
        response = browser.post(
            login,
            data={
                "username": "admin",
                "password": "paragraf-prod-test",
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            },
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 302, response.text[:500]
        session = browser.cookies["sessionid"]

    admin = other_web.url + "/admin/"
    assert requests.get(admin, cookies={"sessionid": session}, allow_redirects=False, timeout=30).status_code == 200
    assert requests.get(admin, allow_redirects=False, timeout=30).status_code == 302  # to the login page


@pytest.mark.django_db(transaction=True)
def test_a_page_cached_by_one_server_is_served_by_another(web, other_web):
    committee = CommitteeFactory(name="Årstadals stadsdelsnämnd")
    first = requests.get(web.url + "/protokoll/", timeout=30)
    assert first.status_code == 200 and "Årstadals stadsdelsnämnd" in first.text

    # A change the page's ETag does not follow: only a page from the shared cache still shows the old name.
    Committee.objects.filter(pk=committee.pk).update(name="Omdöpt nämnd")
    second = requests.get(other_web.url + "/protokoll/", timeout=30)
    assert second.status_code == 200 and second.headers["ETag"] == first.headers["ETag"]
    assert second.text == first.text
