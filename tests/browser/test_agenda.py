"""Before the meeting, in Chromium: the secretary builds the agenda from her start page by links and
uploads, makes the §§ from it with nothing retyped, and a citizen sees only the public agenda.

The second test builds a 15-item agenda (one document each) and prints the time and the clicks,
fields and uploads it took: figures for the lead, with no assertion on the time.
"""

import datetime
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from minutes.agenda.documents import store_document
from minutes.agenda.items import add_agenda_item
from minutes.models import AgendaDocument, Meeting
from tests.agenda_files import pdf_bytes, upload
from tests.browser.conftest import swedish_context
from tests.browser.test_axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 780}

# What the secretary types: title, Dnr, prepared by, proposal, secrecy ground (empty: public), document title.
ITEMS = [
    (
        "Verksamhetsplan 2027",
        "1.1-301/2026",
        "Ekonomiavdelningen",
        "Stadsdelsnämnden godkänner verksamhetsplanen för 2027.",
        "",
        "Tjänsteutlåtande om verksamhetsplanen",
    ),
    (
        "Placering av barn i familjehem",
        "3.2-1044/2026",
        "Individ- och familjeomsorgen",
        "Stadsdelsnämnden beslutar enligt förvaltningens förslag.",
        "OSL 26 kap. 1 §",
        "Utredning om placeringen",
    ),
    (
        "Trafiksäkerhet vid Årstaskolan",
        "1.2-288/2026, 1.2-290/2026",
        "Stadsmiljöavdelningen",
        "Stadsdelsnämnden överlämnar tjänsteutlåtandet som svar på medborgarförslagen.",
        "",
        "Tjänsteutlåtande om trafiksäkerheten",
    ),
]


@dataclass
class Counter:
    clicks: int = 0
    fields: int = 0
    uploads: int = 0


@pytest.fixture
def coming(demo, settings, tmp_path) -> Meeting:
    """A meeting of the demo committee in ten days, not yet with an agenda."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Meeting.objects.create(
        committee=demo.committee,
        number=1,
        date=datetime.date.today() + datetime.timedelta(days=10),
        start_time=datetime.time(18, 0),
        place="Årstadals stadsdelsförvaltning",
    )


def pdf_file(folder: Path, name: str) -> Path:
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf_bytes())
    return path


def open_agenda(page: Page, meeting: Meeting, counter: Counter) -> None:
    """From the start page: the meeting's task, then the link to its agenda."""
    task = page.locator("li.task-prepare", has_text=f"{meeting.date:%Y-%m-%d}")
    task.get_by_role("link", name="Öppna sammanträdet").click()
    page.get_by_role("link", name="Föredragningslista och handlingar").click()
    page.get_by_role("heading", name="Lägg till en punkt").wait_for()
    counter.clicks += 2


def add_item(page: Page, folder: Path, counter: Counter, item: tuple) -> None:
    title, dnr, preparing, proposal, ground, document = item
    form = page.locator("form", has=page.locator("#id_title"))
    form.locator("#id_title").fill(title)
    form.get_by_label("Dnr").fill(dnr)
    form.get_by_label("Beredd av").fill(preparing)
    form.get_by_label("Förslag till beslut").fill(proposal)
    counter.fields += 4
    if ground:
        form.get_by_label("Sekretess (enligt OSL)").check()
        form.get_by_label("Sekretessgrund").fill(ground)
        counter.clicks += 1
        counter.fields += 1
    form.get_by_role("button", name="Lägg till punkten").click()
    counter.clicks += 1
    page.get_by_role("heading", name=title, exact=True).wait_for()
    upload = page.locator("form#upload")
    upload.get_by_label("Handlingens rubrik").fill(document)
    upload.get_by_label("Fil (PDF").set_input_files(pdf_file(folder, document))
    counter.fields += 1
    counter.uploads += 1
    upload.get_by_role("button", name="Ladda upp").click()
    counter.clicks += 1
    page.get_by_text(f"Handlingen {document} är sparad.").wait_for()
    page.get_by_role("link", name="Tillbaka till föredragningslistan").click()
    counter.clicks += 1
    page.get_by_role("heading", name="Lägg till en punkt").wait_for()


def no_overflow(page: Page) -> int:
    """The page's width: wider than the viewport means the phone scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_secretary_builds_the_agenda_and_makes_the_paragraphs_a_citizen_sees_the_public_part(
    browser: Browser, live_server, sign_in, coming, tmp_path
):
    context = swedish_context(browser)
    page = context.new_page()
    counter = Counter()
    sign_in(page, "/")
    open_agenda(page, coming, counter)
    for item in ITEMS:
        add_item(page, tmp_path, counter, item)

    rows = page.locator("#agenda-items tbody tr")
    assert [row.locator("td").nth(1).locator("a").first.inner_text() for row in rows.all()] == [i[0] for i in ITEMS]
    assert "sekretess: OSL 26 kap. 1 §" in rows.nth(1).inner_text()
    page.set_viewport_size(PHONE)
    assert no_overflow(page) <= PHONE["width"]
    # One card per item on a phone: the order buttons are in view, not past a sideways scroll.
    table = page.locator("#agenda-items")
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    assert rows.nth(0).get_by_role("button", name=f"Flytta {ITEMS[0][0]} nedåt").bounding_box()["x"] < PHONE["width"]
    page.get_by_role("link", name=ITEMS[0][0]).click()
    assert no_overflow(page) <= PHONE["width"]
    page.get_by_role("link", name="Tillbaka till föredragningslistan").click()
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Gör protokollets paragrafer av föredragningslistan").click()
    page.get_by_text("3 paragrafer gjorda av föredragningslistan.").wait_for()
    counter.clicks += 1
    items = list(coming.items.order_by("position"))
    assert [(i.title, i.dnr, i.decision, i.confidential) for i in items] == [
        (title, dnr, proposal, bool(ground)) for title, dnr, _p, proposal, ground, _d in ITEMS
    ]
    assert [[d.title for d in i.basis_documents.all()] for i in items] == [[i[5]] for i in ITEMS]
    for title, *_rest in ITEMS:
        page.get_by_role("link", name=title).first.wait_for()  # the meeting page lists the new §§
    context.close()

    citizen = swedish_context(browser).new_page()
    citizen.set_viewport_size(PHONE)
    citizen.goto(f"{live_server.url}/protokoll/")
    citizen.get_by_role("link", name=coming.committee.name).first.click()
    citizen.get_by_role("link", name="Föredragningslista och handlingar").click()
    agenda = citizen.locator("#public-agenda")
    text = agenda.inner_text()
    assert [title in text for title, *_rest in ITEMS] == [True, False, True]
    assert ITEMS[1][5] not in text and "OSL" not in text
    assert no_overflow(citizen) <= PHONE["width"]
    link = agenda.get_by_role("link", name=ITEMS[0][5])
    response = citizen.request.get(live_server.url + link.get_attribute("href"))
    assert (response.status, response.headers["content-type"], response.body()) == (200, "application/pdf", pdf_bytes())
    secret = AgendaDocument.objects.get(title=ITEMS[1][5])
    hidden = link.get_attribute("href").rsplit("handling-", 1)[0] + f"handling-{secret.pk}.pdf"
    assert citizen.request.get(live_server.url + hidden).status == 404
    citizen.context.close()
    print(
        f"\nAgenda of 3 items with a document each, then the §§: {counter.clicks} clicks, {counter.fields} fields, "
        f"{counter.uploads} uploads"
    )


def test_time_and_clicks_to_build_a_fifteen_item_agenda(browser: Browser, sign_in, coming, tmp_path):
    context = swedish_context(browser)
    page = context.new_page()
    counter = Counter()
    sign_in(page, "/")
    started = time.perf_counter()
    open_agenda(page, coming, counter)
    for n in range(1, 16):
        add_item(
            page,
            tmp_path,
            counter,
            (f"Ärende {n}", f"1.1-{n}/2026", "Förvaltningen", f"Nämnden beslutar i ärende {n}.", "", f"Handling {n}"),
        )
    page.get_by_role("button", name="Gör protokollets paragrafer av föredragningslistan").click()
    page.get_by_text("15 paragrafer gjorda av föredragningslistan.").wait_for()
    counter.clicks += 1
    elapsed = time.perf_counter() - started
    assert coming.items.count() == 15
    context.close()
    print(
        f"\n15-item agenda, one PDF each, then the §§: {elapsed:.1f} s in Chromium (machine shared), "
        f"{counter.clicks} clicks, {counter.fields} fields typed, {counter.uploads} uploads"
    )


def test_the_agenda_pages_have_no_serious_accessibility_violations(page: Page, live_server, sign_in, coming):
    agenda_item = add_agenda_item(coming, title="Verksamhetsplan 2027", dnrs=["1.1-301/2026"], proposal="Godkänn.")
    store_document(
        agenda_item, upload=upload(pdf_bytes()), title="Tjänsteutlåtande", date=coming.date, confidential=False
    )
    staff = [
        reverse("minutes:agenda-page", args=[coming.pk]),
        reverse("minutes:agenda-item", args=[coming.pk, agenda_item.pk]),
    ]
    sign_in(page, staff[0])
    for url in [*staff, reverse("portal:agenda", args=[coming.committee.slug, coming.year, coming.number])]:
        page.goto(live_server.url + url)
        assert_accessible(page)
