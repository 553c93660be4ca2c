"""The public portal in Chromium: no WCAG 2.1 A/AA violations on any page type, usable by keyboard,
a heading outline without gaps, and readable with the style sheets switched off."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page

from committee.models import Person
from minutes.demo import publish_demo
from minutes.models import Item, Meeting

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
