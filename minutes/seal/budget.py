"""A CPU-time budget for one call: how a check of an uploaded PDF is kept from holding a worker.

pyHanko reads a PDF in pure Python, and a file built to be slow to read (a megabyte of NUL bytes,
thousands of revisions, a form with a million fields) costs seconds per megabyte. The profiling
timer interrupts the call once the process has spent its budget. Signals reach only the main
thread, which is where gunicorn's synchronous workers serve requests; in any other thread (the
development server's) the call runs without a budget, bounded only by the upload's size.
"""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class OverBudget(BaseException):
    """Raised inside the call when its time is up: not an Exception, so that the parser's
    own `except Exception` blocks cannot swallow it and read on."""


_armed = False


def _expire(signum, frame) -> None:
    if _armed:  # a signal sent just before the timer was stopped finds nothing to interrupt
        raise OverBudget


@contextmanager
def cpu_budget(seconds: float) -> Iterator[bool]:
    """Raise OverBudget in the block after `seconds` of CPU time; yields whether a budget is kept."""
    global _armed
    if threading.current_thread() is not threading.main_thread():
        yield False
        return
    # Installed for good rather than restored afterwards: a late signal must never meet the default
    # action for SIGPROF, which ends the process.
    if signal.getsignal(signal.SIGPROF) is not _expire:
        signal.signal(signal.SIGPROF, _expire)
    _armed = True
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield True
    finally:
        _armed = False
        signal.setitimer(signal.ITIMER_PROF, 0)
