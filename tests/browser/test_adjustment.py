"""Adjustment in Chromium: the secretary sends, the chair and the adjuster approve, the notice goes up."""

import datetime
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page

from minutes import deadlines
from minutes.demo import DEMO_PASSWORD, load_demo
from minutes.models import Announcement, Meeting, MeetingStatus, SealedDocument

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def meeting(seal_certificate) -> Meeting:
    return load_demo()


def signed_in(browser: Browser, live_server, username: str, next_url: str) -> Page:
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/konto/login/?next={quote(next_url)}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(live_server.url + next_url)
    return page


def test_the_chair_and_the_adjuster_approve_and_the_notice_goes_up(browser, live_server, meeting):
    url = f"/sammantrade/{meeting.pk}/justering/"
    secretary = signed_in(browser, live_server, "helena.wik", url)
    secretary.get_by_role("button", name="Skicka protokollet för justering").click()
    secretary.get_by_text("Protokollet har skickats för justering och är låst.").wait_for()
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.LOCKED

    for username in ("lars.back", "sofia.bergqvist"):
        signer = signed_in(browser, live_server, username, "/justering/")
        signer.get_by_role("link", name="Årstadals stadsdelsnämnd, 2016-09-22").click()
        signer.get_by_role("button", name="Godkänn protokollet").click()
        signer.get_by_role("button", name="Bekräfta godkännandet").click()
        signer.get_by_text("Ditt godkännande är registrerat.").wait_for()
        signer.context.close()

    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.ADJUSTED
    assert SealedDocument.objects.filter(meeting=meeting, kind="protocol").exists()

    secretary.reload()
    today = datetime.date.today()
    secretary.get_by_label("Datum för anslag på anslagstavlan").fill(today.isoformat())
    secretary.get_by_role("button", name="Anslå", exact=True).click()
    secretary.get_by_text("Justeringen är anslagen på anslagstavlan.").wait_for()
    secretary.context.close()

    notice = Announcement.objects.get(meeting=meeting)
    assert notice.appeal_ends_on == deadlines.appeal_ends(today)
    visitor = browser.new_context(locale="sv-SE").new_page()
    visitor.goto(f"{live_server.url}/anslagstavla/")
    board = visitor.locator(f"#anslag-{notice.pk}")
    text = board.inner_text()
    assert "Årstadals stadsdelsnämnd" in text
    for label, day in [
        ("Sammanträdesdatum", meeting.date),
        ("Justeringsdatum", notice.adjusted_on),
        ("Anslaget", today),
        ("Sista dag för överklagande", notice.appeal_ends_on),
        ("Får tas ned", notice.take_down_on),
    ]:
        assert f"{label}\n{day:%Y-%m-%d}" in text or f"{label}\t{day:%Y-%m-%d}" in text, (label, text)
    href = board.get_by_role("link", name="Det förseglade protokollet (PDF)").get_attribute("href")
    pdf = visitor.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    visitor.context.close()
