"""Debian's Chromium, driven through Playwright's sync API: one browser per run, one context per test.

Playwright cannot download its own browser here, so it launches the system binary. The demo
committee with a secretary, and signing in through the login form, are shared by the tests.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, BrowserContext, Locator, Page, sync_playwright

from minutes.demo import load_demo
from minutes.models import Meeting

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


@pytest.fixture(scope="package")
def chromium() -> Iterator[Callable[[], Browser]]:
    """Gives the run's Chromium, launched once and again only if it died.

    Playwright's sync API keeps an event loop running in the test thread while it is open. Django
    then refuses ORM calls there as "async context" (the tests are synchronous, so that is allowed
    here), and asyncio.run() refuses to start; neither may leak into the tests that run after.
    """
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        launched: list[Browser] = []

        def current() -> Browser:
            if not launched or not launched[-1].is_connected():
                launched.append(playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS))
            return launched[-1]

        yield current
        for browser in launched:
            if browser.is_connected():
                browser.close()


@pytest.fixture
def browser(chromium: Callable[[], Browser]) -> Browser:
    """The run's Chromium. A browser that crashed during one test is replaced for the next, so a crash
    fails the test it happened in, not every browser test the worker runs after it."""
    return chromium()


def swedish_context(browser: Browser) -> BrowserContext:
    """A fresh context (cookies, storage) with a Swedish user's locale and clock."""
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in a fresh context."""
    context = swedish_context(browser)
    yield context.new_page()
    context.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Opens further pages, each in a context of its own: another secretary at another computer."""
    contexts: list[BrowserContext] = []

    def new_page() -> Page:
        contexts.append(swedish_context(browser))
        return contexts[-1].new_page()

    yield new_page
    for context in contexts:
        context.close()


SECRETARY_USERNAME = "sekreterare"
SECRETARY_PASSWORD = "sekreterare-demo"


@pytest.fixture
def demo(transactional_db) -> Meeting:
    """The demo committee and its meeting 9/2016, a draft, with a secretary who is not an administrator."""
    meeting = load_demo()
    secretary = User.objects.create_user(SECRETARY_USERNAME, password=SECRETARY_PASSWORD)
    meeting.committee.secretaries.add(secretary)
    return meeting


@pytest.fixture
def sign_in(live_server) -> Callable[[Page, str], None]:
    """Sign the secretary in through the login form and land on `next_url`."""

    def sign_in(page: Page, next_url: str = "/") -> None:
        page.goto(f"{live_server.url}/konto/login/?next={quote(next_url)}")
        page.fill("#id_username", SECRETARY_USERNAME)
        page.fill("#id_password", SECRETARY_PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url(live_server.url + next_url)

    return sign_in


class Workspace:
    """The secretary's workspace in one page, as a secretary uses it: add §§, fill a part's form, save."""

    ERRORS = ".invalid-feedback, .alert-danger, .alert-block, #stale"

    def __init__(self, page: Page):
        self.page = page

    def add_items(self, titles: list[str]) -> None:
        """Add §§ at the end of the meeting open in the page, through its "add §" form."""
        for title in titles:
            self.page.get_by_label("Rubrik på den nya paragrafen").fill(title)
            self.page.get_by_role("button", name="Lägg till paragraf").click()
            self.page.get_by_role("link", name=title, exact=True).wait_for()

    def form(self, prefix: str) -> Locator:
        """The editor's form for the § (prefix "item") or for adding a part: the only one with `<prefix>-…` fields."""
        return self.page.locator("form", has=self.page.locator(f"[name^='{prefix}-']"))

    def field(self, prefix: str, name: str) -> Locator:
        return self.form(prefix).locator(f"[name='{prefix}-{name}']")

    def check_people(self, prefix: str, name: str, people: list[str]) -> None:
        """Tick people, by the name on their label, in one checkbox group of a form."""
        group = self.form(prefix).locator("fieldset", has=self.page.locator(f"input[name='{prefix}-{name}']"))
        for person in people:
            group.get_by_label(person, exact=True).check()

    def save(self, prefix: str, expected: Locator) -> None:
        """Submit a form: htmx swaps the editor and `expected` appears, or the errors shown fail the test."""
        self.submit(self.form(prefix))
        self.wait(expected)

    def submit(self, form: Locator) -> None:
        """Click the form's button and wait until htmx has put a new editor in place of the one marked here."""
        self.page.locator("#editor").evaluate("editor => editor.setAttribute('data-replaced', '')")
        form.locator("button[type=submit]").first.click()
        self.page.locator("#editor:not([data-replaced])").wait_for()

    def wait(self, expected: Locator) -> None:
        errors = self.page.locator(self.ERRORS)
        expected.or_(errors).first.wait_for()
        assert errors.all_inner_texts() == []
        expected.wait_for()

    def in_preview(self, text: str) -> Locator:
        return self.page.locator("#preview").get_by_text(text)

    def preview_paragraphs(self, section: str) -> list[str]:
        """The paragraphs of one section of the protocol preview ("motions", "procedure", …)."""
        return self.page.locator(f"#preview section.{section} > p").all_inner_texts()


@pytest.fixture
def workspace() -> type[Workspace]:
    """`workspace(page)`: the helper above, for any page (a test may drive two)."""
    return Workspace
