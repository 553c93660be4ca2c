"""Debian's Chromium, driven through Playwright's sync API: one browser per run, one context per test.

Playwright cannot download its own browser here, so it launches the system binary.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API leaves an event loop running in the test thread, and Django then refuses
# ORM calls there as "async context". The tests themselves are synchronous, so allow it (for the
# rest of the run: the loop stays up until the session-wide browser closes).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# The real binaries; /usr/bin/chromium on Debian is a shell wrapper that adds flags of its own.
CHROMIUM_BINARIES = (
    "/usr/lib/chromium/chromium",
    "/usr/lib/chromium-browser/chromium-browser",
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def chromium_executable() -> str:
    """PARAGRAF_CHROMIUM if set, else the first Chromium found; fails (never skips) without one."""
    configured = os.environ.get("PARAGRAF_CHROMIUM")
    if configured:
        return configured
    for candidate in CHROMIUM_BINARIES:
        if os.access(candidate, os.X_OK):
            return candidate
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return str(Path(found).resolve())
    pytest.fail("No Chromium found: install the Debian package chromium, or set PARAGRAF_CHROMIUM")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in a fresh context (cookies, storage) with a Swedish user's locale and clock."""
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
