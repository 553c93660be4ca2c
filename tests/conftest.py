"""Test setup shared by every folder: markers come from the folder, Swedish, an empty cache, a test seal, SMTP."""

import email
import email.policy
import functools
import gettext
import hashlib
import os
import socket
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.test import override_settings

from minutes.seal.certificate import create_organisation_certificate

TESTS_DIR = Path(__file__).resolve().parent
FOLDER_MARKERS = ("unit", "integration", "browser")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by its folder, before `-m` selects, so tests never mark themselves."""
    for item in items:
        try:
            folder = item.path.resolve().relative_to(TESTS_DIR).parts[0]
        except ValueError:
            continue
        if folder in FOLDER_MARKERS:
            item.add_marker(folder)


def _may_use_the_cache(request: pytest.FixtureRequest) -> bool:
    """The database cache (production's, on PostgreSQL) is only reachable from a test with database access."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    if not isinstance(caches["default"], DatabaseCache):
        return True
    if request.node.get_closest_marker("django_db") or "live_server" in request.fixturenames:
        return True
    for name in ("db", "transactional_db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)  # set up now rather than after this fixture
            return True
    return False


@pytest.fixture(autouse=True)
def _swedish_and_nothing_cached(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts in Swedish with an empty cache.

    A request to an /en/ page leaves English active, and reverse() would then name /en/
    addresses; the portal keeps pages in the cache, keyed by what a previous test's data
    looked like. The database cache's table is not emptied when a transactional test flushes
    the database, so it is cleared here too; a test without database access cannot use it.
    """
    from django.core.cache import cache
    from django.utils import translation

    translation.activate("sv")
    if _may_use_the_cache(request):
        cache.clear()
    yield
    translation.activate("sv")


@pytest.fixture(scope="session", autouse=True)
def _static_files_without_collectstatic() -> Iterator[None]:
    """Serve static files from the source folders, as in development: tests never run collectstatic.

    Without this WhiteNoise warns (an error under filterwarnings) that STATIC_ROOT does not exist.
    """
    with override_settings(WHITENOISE_AUTOREFRESH=True, WHITENOISE_USE_FINDERS=True):
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """The real hasher takes most of a second per password; every demo load makes six accounts.

    The live server and the processes tests start (gunicorn, workers) share the setting or hash
    with the real one; nothing here tests the hasher itself.
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _each_protocol_printed_once_per_process() -> Iterator[None]:
    """WeasyPrint prints the same HTML to the same PDF: print each distinct HTML once per test process.

    Hundreds of tests adjust and seal the same demo protocol, and printing it is most of their
    time. The first print of an HTML is WeasyPrint's real output and later ones are those bytes;
    any other HTML (a changed §, a hostile file:// URL) is printed, or refused, as always.
    """
    from minutes.protocol import pdf

    real_print = pdf.html_to_pdf
    printed: dict[tuple[str, bool], bytes] = {}

    @functools.wraps(real_print)
    def html_to_pdf(html: str, *, archival: bool = True) -> bytes:
        key = (hashlib.sha256(html.encode()).hexdigest(), archival)
        if key not in printed:
            printed[key] = real_print(html, archival=archival)
        return printed[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "html_to_pdf", html_to_pdf)
        yield


@pytest.fixture(scope="session", autouse=True)
def _tasks_run_where_they_are_queued() -> Iterator[None]:
    """Tests that are not about the worker get its work done at once, inside the queueing call.

    The worker's own tests (tests/integration/test_jobs.py) put the database queue back and run
    real `manage.py worker` processes.
    """
    with override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}):
        yield


@pytest.fixture(scope="session", autouse=True)
def _swedish_catalogue_compiled() -> None:
    """Compile the Swedish catalogue if a fresh clone has no (or an older) .mo: messages are tested in Swedish.

    Under pytest-xdist every worker checks: the first compiles (msgfmt's output is moved into place
    whole), and each forgets what it loaded while collecting, before the .mo was current.
    """
    from django.utils.translation import trans_real

    po = TESTS_DIR.parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        fresh = mo.with_name(f".django.{os.getpid()}.mo")
        subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
        os.replace(fresh, mo)
    gettext._translations.clear()  # Python's own cache of .mo files, by path, under Django's
    trans_real._translations = {}
    trans_real._default = None


SEAL_PASSWORD = "test-seal"


@pytest.fixture(scope="session")
def seal_certificate_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seal") / "organisation.p12"
    create_organisation_certificate(
        path, SEAL_PASSWORD, organisation="Årstadals stadsdelsnämnd", common_name="Paragraf testsigill"
    )
    return path


@pytest.fixture
def seal_certificate(settings, tmp_path, seal_certificate_file) -> Path:
    """The organisation certificate in settings, and a fresh media folder for the sealed files."""
    settings.PARAGRAF_SEAL_PKCS12 = seal_certificate_file
    settings.PARAGRAF_SEAL_PASSWORD = SEAL_PASSWORD
    settings.MEDIA_ROOT = tmp_path / "media"
    return seal_certificate_file


@pytest.fixture
def pdf_text() -> Callable[[bytes], str]:
    """The text of a PDF as poppler's pdftotext reads it back."""

    def extract(data: bytes) -> str:
        return subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()

    return extract


@dataclass
class SmtpServer:
    """What a real SMTP server on loopback received: each message as sent, with its envelope."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """An SMTP server (aiosmtpd) on 127.0.0.1 and a free port, and Django's default mailer pointed at it.

    Mail goes over a real SMTP conversation, as in production; the test reads `smtp_server.messages`.
    A message is there once sending returns (the server has accepted it). The live server's
    threads send through the same settings.
    """
    from aiosmtpd.controller import Controller

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))  # the kernel picks a free port: tests run side by side
    listener.listen()
    server = SmtpServer(host="127.0.0.1", port=listener.getsockname()[1])

    class OnSocket(Controller):
        def _create_server(self):
            return self.loop.create_server(self._factory_invoker, sock=listener)

    controller = OnSocket(server, hostname=server.host, port=server.port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": server.host, "port": server.port, "timeout": 10},
        }
    }
    try:
        yield server
    finally:
        controller.stop()
        listener.close()
