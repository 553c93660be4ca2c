"""An uploaded file is checked in a child process: a PDF made to be slow is refused when its CPU time is up."""

import io
import time

import pytest

from minutes.seal import verify
from minutes.seal.certificate import organisation_certificate
from minutes.seal.verify import check_in_child, check_seal_file
from tests.conftest import SEAL_PASSWORD


def slow_pdf(megabytes: float) -> bytes:
    """A PDF of nothing but revisions, each pointing to the one before: pyHanko reads every one (~2 s per MB)."""
    parts, offset, previous = [b"%PDF-1.7\n"], len(b"%PDF-1.7\n"), None
    while offset < megabytes * 1024 * 1024:
        back = b"/Prev %d " % previous if previous is not None else b""
        revision = b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 " + back + b">>\n"
        parts.append(revision)
        previous, offset = offset, offset + len(revision)
    return b"".join(parts) + b"startxref\n%d\n%%%%EOF\n" % previous


@pytest.fixture(autouse=True)
def _seal_settings(settings, seal_certificate_file):
    settings.PARAGRAF_SEAL_PKCS12 = seal_certificate_file
    settings.PARAGRAF_SEAL_PASSWORD = SEAL_PASSWORD


def test_a_pdf_made_to_be_slow_is_refused_when_its_time_is_up(monkeypatch):
    monkeypatch.setattr(verify, "CHECK_CPU_SECONDS", 1)
    data = slow_pdf(4)  # some seven seconds of reading without a limit
    started = time.process_time()
    verdict = check_seal_file(io.BytesIO(data), size=len(data))
    assert (verdict.ok, verdict.reason, verdict.size) == (False, verify.TOO_COMPLEX, len(data))
    assert time.process_time() - started < 1  # the parent only waited


def test_the_child_gives_the_verdict_the_process_would():
    data = b"%PDF-1.7\n" + bytes(1000)
    trusted = organisation_certificate()
    assert check_in_child(data, trusted, cpu_seconds=2) == verify.check_seal(data, trusted=trusted)
