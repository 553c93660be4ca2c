"""The public portal in Chromium: no WCAG 2.1 A/AA violations on any page type, usable by keyboard,
a heading outline without gaps, and readable with the style sheets switched off."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page

from committee.models import Person
from minutes.demo import publish_demo
from minutes.models import DocumentKind, Item, Meeting, SealedDocument

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def published(demo: Meeting, seal_certificate) -> Meeting:
    publish_demo(demo)
    demo.refresh_from_db()
    return demo


def portal_pages(meeting: Meeting) -> dict[str, str]:
    translation.activate("sv")
    slug, year, number = meeting.committee.slug, meeting.year, meeting.number
    return {
        "start": reverse("portal:start"),
        "committee": reverse("portal:committee", args=[slug]),
        "meeting": reverse("portal:meeting", args=[slug, year, number]),
        "§": reverse("portal:item", args=[slug, year, number, 10]),
        "person": reverse("portal:person", args=[Person.objects.get(last_name="Öberg").pk]),
        "party": reverse("portal:party", args=["L"]),
        "matter": reverse("portal:matter", args=[Item.objects.get(meeting=meeting, number=10).dnr]),
        "search with results": reverse("portal:search") + "?q=stockholm+smart",
        "page not found": "/protokoll/finns-inte/",
        "meeting in English": "/en" + reverse("portal:meeting", args=[slug, year, number]),
        "notice board": reverse("notice-board"),
        "notice board archive": reverse("notice-archive"),
        "verification": reverse("verify"),
    }


PAGE_TYPES = [
    "start",
    "committee",
    "meeting",
    "§",
    "person",
    "party",
    "matter",
    "search with results",
    "page not found",
    "meeting in English",
    "notice board",
    "verification",
]


def wcag_violations(page: Page) -> str:
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    return "\n\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"  - {', '.join(map(str, n['target']))}: {n['html']}" for n in v["nodes"])
        for v in result.response["violations"]
    )


def heading_levels(page: Page) -> list[int]:
    return page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => Number(h.tagName[1]))")


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_portal_page_has_no_wcag_violations_and_a_sound_outline(name, page, live_server, published):
    page.goto(live_server.url + portal_pages(published)[name])

    assert wcag_violations(page) == ""
    levels = heading_levels(page)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), f"a heading level skipped: {levels}"
    assert page.locator("html").get_attribute("lang") == ("en" if "English" in name else "sv")


def test_keyboard_alone_reaches_a_paragraph_from_the_meeting_page(page, live_server, published):
    page.goto(live_server.url + portal_pages(published)["meeting"])
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href") == "#main" and skip.is_visible()
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name="§ 10 Strategi för Stockholm", exact=False).first
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").startswith("§ 10 "):
            break
    assert link.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**/paragraf-10/")
    assert page.get_by_role("heading", level=2, name="§ 10 Strategi för Stockholm", exact=False).is_visible()


def test_the_meeting_page_reads_in_order_without_css(page, live_server, published):
    page.goto(live_server.url + portal_pages(published)["meeting"])
    page.evaluate(
        "for (const s of document.styleSheets) { s.disabled = true; }"
        "document.querySelectorAll('[style]').forEach(e => e.removeAttribute('style'))"
    )
    text = page.locator("main").inner_text()
    # Each part is found after the one before: the protocol reads top to bottom in document order.
    at = 0
    for part in ["PROTOKOLL Nr 9/2016", "§ 1 ", "§ 10 Strategi för Stockholm", "BESLUT", "Beslutsgång", "Reservation"]:
        at = text.index(part, at) + len(part)


# Phones: no page is wider than the screen, and the menu folds away behind a button.

PHONE = {"width": 360, "height": 780}


def public_pages(meeting: Meeting) -> dict[str, str]:
    """Every page a citizen reads, by its Swedish address (the English one is the same under /en/)."""
    leave_out = ("page not found", "meeting in English")
    return {name: url for name, url in portal_pages(meeting).items() if name not in leave_out}


def check_a_file(page: Page, meeting: Meeting, button: str) -> None:
    """Upload the meeting's sealed public PDF on the verification page: the answer names it, with its SHA-256."""
    document = SealedDocument.objects.get(meeting=meeting, kind=DocumentKind.PUBLIC)
    page.locator("input[type=file]").set_input_files(
        {"name": "protokoll.pdf", "mimeType": "application/pdf", "buffer": document.read_verified()}
    )
    page.get_by_role("button", name=button, exact=True).click()
    page.locator("#result-heading").wait_for()


@pytest.mark.parametrize(("language", "prefix", "check"), [("sv", "", "Kontrollera"), ("en", "/en", "Check")])
def test_no_public_page_is_wider_than_a_phone(page, live_server, published, language, prefix, check):
    page.set_viewport_size(PHONE)
    wider: dict[str, int] = {}

    def measure(name: str) -> None:
        assert page.locator("html").get_attribute("lang") == language, name
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wider[name] = width

    for name, url in public_pages(published).items():
        page.goto(live_server.url + prefix + url)
        measure(name)
    check_a_file(page, published, check)
    measure("verification with its answer")
    assert wider == {}, f"pages wider than {PHONE['width']} px: {wider}"


def test_the_staff_meeting_and_attendance_pages_are_no_wider_than_a_phone(page, live_server, demo, sign_in):
    """Their tables scroll in their own boxes, and so do the visually hidden labels inside them (they widened
    the meeting page to 455 px and the attendance page to 982 px)."""
    page.set_viewport_size(PHONE)
    pages = {
        "meeting": reverse("minutes:meeting-detail", args=[demo.pk]),
        "attendance": reverse("minutes:attendance", args=[demo.pk]),
    }
    sign_in(page, pages["meeting"])
    widths = {}
    for name, url in pages.items():
        page.goto(live_server.url + url)
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
    assert widths == {"meeting": PHONE["width"], "attendance": PHONE["width"]}
    region = page.get_by_role("region", name="Beslutförhet per paragraf")
    assert (region.get_attribute("tabindex"), region.locator("table").count()) == ("0", 1)


def test_the_menu_folds_away_on_a_phone_and_opens_with_its_button(page, live_server, published):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("notice-board"))
    search = page.get_by_role("link", name="Sök", exact=True)
    toggle = page.get_by_role("button", name="Meny")
    assert (toggle.is_visible(), search.is_visible(), toggle.get_attribute("aria-expanded")) == (True, False, "false")
    toggle.click()
    search.wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert (
        page.get_by_role("link", name="Logga in").is_visible() and page.get_by_role("link", name="English").is_visible()
    )
    search.click()
    page.wait_for_url("**/protokoll/sok/")

    page.set_viewport_size({"width": 1280, "height": 800})
    assert not page.get_by_role("button", name="Meny").is_visible()
    assert page.get_by_role("link", name="Anslagstavla", exact=True).is_visible()
