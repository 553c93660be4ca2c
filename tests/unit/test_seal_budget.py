"""The CPU budget of a seal check: a PDF built to be slow to read is refused once its time is up."""

import io
import threading
import time

import pytest

from minutes.seal import verify
from minutes.seal.budget import OverBudget, cpu_budget
from minutes.seal.verify import check_seal_file
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


def spin() -> None:
    while True:
        pass


def test_a_call_over_its_budget_is_interrupted():
    started = time.process_time()
    with pytest.raises(OverBudget), cpu_budget(0.05) as kept:
        assert kept is True
        spin()
    assert time.process_time() - started < 1


def test_a_call_within_its_budget_runs_to_its_end_and_leaves_no_timer():
    with cpu_budget(5) as kept:
        total = sum(range(1000))
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:  # a timer left running would interrupt this loop
        pass
    assert (kept, total) == (True, 499500)


def test_no_budget_is_kept_outside_the_main_thread():
    """Signals reach the main thread only: in another thread the call runs on, and says so."""
    found = []

    def check() -> None:
        with cpu_budget(0.01) as kept:
            deadline = time.process_time() + 0.1
            while time.process_time() < deadline:
                pass
        found.append(kept)

    thread = threading.Thread(target=check)
    thread.start()
    thread.join()
    assert found == [False]


def test_a_pdf_built_to_be_slow_is_refused_when_its_time_is_up(monkeypatch):
    monkeypatch.setattr(verify, "CHECK_CPU_SECONDS", 0.2)
    data = slow_pdf(3)  # some five seconds of reading without a budget
    started = time.process_time()
    verdict = check_seal_file(io.BytesIO(data), size=len(data))
    assert (verdict.ok, verdict.reason, verdict.size) == (False, verify.TOO_COMPLEX, len(data))
    assert time.process_time() - started < 1.5
