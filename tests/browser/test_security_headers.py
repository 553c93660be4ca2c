"""The Content-Security-Policy in Chromium: every main page, htmx at work included, runs without a violation.

Each page is watched two ways: a `securitypolicyviolation` listener installed before any of the
page's own scripts, and Chromium's console, where it reports what the policy refused.
"""

from collections.abc import Callable, Iterator

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page

from committee.models import Person
from minutes.demo import DEMO_PASSWORD, publish_demo
from minutes.models import Item, Meeting, MeetingStatus

pytestmark = pytest.mark.django_db(transaction=True)

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""
POLICY_WORDS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy", "Refused to")


class Watched:
    """A page whose policy violations and console complaints are collected, page by page."""

    def __init__(self, page: Page, base: str):
        self.page = page
        self.base = base
        self.console: list[str] = []
        self.violations: dict[str, list[str]] = {}
        page.add_init_script(WATCH)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if any(word in message.text for word in POLICY_WORDS):
            self.console.append(f"{self.page.url}: {message.text}")

    def visit(self, path: str, *, status: int = 200) -> None:
        self.collect()
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == status, (path, response and response.status)

    def collect(self) -> None:
        """Read what the page in view reported, before it goes away."""
        if self.page.url.startswith(self.base):
            found = self.page.evaluate("window.__violations || []")
            if found:
                self.violations[self.page.url] = found

    def assert_clean(self) -> None:
        self.collect()
        assert (self.violations, self.console) == ({}, [])


@pytest.fixture
def watched(live_server, new_page) -> Iterator[Callable[[], Watched]]:
    yield lambda: Watched(new_page(), live_server.url)


def sign_in_as(watched: Watched, username: str, password: str, *, path: str = "/konto/login/") -> None:
    watched.visit(path)
    watched.page.fill("#id_username", username)
    watched.page.fill("#id_password", password)
    watched.page.locator("form [type=submit]").click()
    watched.page.wait_for_url(lambda url: "login" not in url)


def test_the_watch_sees_what_the_policy_refuses(watched, demo):
    """The harness itself: an inline script and an inline style are refused, and both are reported."""
    browser = watched()
    browser.visit("/konto/login/")
    browser.page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.ran = true";
          document.body.append(script);
          document.body.setAttribute("style", "background: red");
        }"""
    )
    browser.page.wait_for_function("window.__violations.length >= 2")

    assert browser.page.evaluate("window.ran") is None
    assert sorted(v.split()[0] for v in browser.page.evaluate("window.__violations")) == [
        "script-src-elem",
        "style-src-attr",
    ]


def test_the_workspace_and_the_admin_run_under_the_policy(watched, demo, sign_in, workspace):
    secretary = watched()
    sign_in(secretary.page, "/")
    pk = demo.pk
    for path in [
        "/",
        f"/namnd/{demo.committee.slug}/",
        f"/sammantrade/{pk}/",
        f"/sammantrade/{pk}/narvaro/",
        f"/sammantrade/{pk}/uppgifter/",
        f"/sammantrade/{pk}/historik/",
        f"/sammantrade/{pk}/protokoll.html",
        f"/sammantrade/{pk}/protokoll.html?version=public",
        f"/sammantrade/{pk}/paragraf/10.html",
    ]:
        secretary.visit(path)

    # The § editor, through htmx: add a motion, take it away again, save the § itself.
    secretary.visit(f"/sammantrade/{pk}/paragraf/3/")
    editor = workspace(secretary.page)
    motion_form = secretary.page.locator("form", has=secretary.page.locator("input[name=action][value=motion]"))
    motion_form.locator("select[name=motion-kind]").select_option("table")
    motion_form.get_by_label("Erik Nyström").first.check()
    editor.submit(motion_form)
    tabled = "Erik Nyström (M) yrkade att ärendet skulle bordläggas."
    editor.wait(editor.in_preview(tabled))
    editor.submit(secretary.page.locator("#editor li", has_text=tabled).locator("form").nth(1))
    editor.in_preview(tabled).wait_for(state="detached")
    editor.field("item", "decision").fill("Nämnden beslutar att lägga informationen till handlingarna.")
    editor.save("item", editor.in_preview("Nämnden beslutar att lägga informationen till handlingarna."))

    # The adjustment page, and sending the protocol (a full page post) from it.
    secretary.visit(f"/sammantrade/{pk}/justering/")
    secretary.page.get_by_role("button", name="Skicka protokollet för justering").click()
    secretary.page.get_by_text("Protokollet har skickats för justering och är låst.").wait_for()
    assert Meeting.objects.get(pk=pk).status == MeetingStatus.LOCKED
    secretary.assert_clean()

    administrator = watched()
    sign_in_as(administrator, "admin", DEMO_PASSWORD, path="/admin/login/")
    item = Item.objects.get(meeting=demo, number=10)
    for path in [
        "/admin/",
        "/admin/minutes/meeting/",
        f"/admin/minutes/meeting/{pk}/change/",
        f"/admin/minutes/item/{item.pk}/change/",
        "/admin/minutes/item/add/",
        "/admin/committee/committee/",
        f"/admin/committee/committee/{demo.committee.pk}/change/",
        "/admin/axes/accessattempt/",
        f"/admin/minutes/meeting/{pk}/history/",
    ]:
        administrator.visit(path)
    administrator.assert_clean()


def test_the_portal_and_the_public_pages_run_under_the_policy(watched, demo, seal_certificate):
    publish_demo(demo)
    translation.activate("sv")
    slug, year, number = demo.committee.slug, demo.year, demo.number
    visitor = watched()
    for path in [
        reverse("portal:start"),
        reverse("portal:committee", args=[slug]),
        reverse("portal:meeting", args=[slug, year, number]),
        reverse("portal:item", args=[slug, year, number, 10]),
        reverse("portal:person", args=[Person.objects.get(last_name="Öberg").pk]),
        reverse("portal:party", args=["L"]),
        reverse("portal:search") + "?q=stockholm+smart",
        "/en" + reverse("portal:meeting", args=[slug, year, number]),
        "/anslagstavla/",
        "/verifiera/",
        "/konto/login/",
        "/konto/password_reset/",
    ]:
        visitor.visit(path)
    visitor.visit("/protokoll/finns-inte/", status=404)
    visitor.assert_clean()

    # The signers' and the registrar's pages of an adjusted, sealed protocol.
    registrar = watched()
    sign_in_as(registrar, "registrator", DEMO_PASSWORD)
    registrar.visit("/justering/")
    registrar.visit(f"/sammantrade/{demo.pk}/justering/")
    registrar.visit(f"/sammantrade/{demo.pk}/arkiv/")
    registrar.assert_clean()
