"""The chair finds the protocol to approve on the start page, reads it in the page and approves the version named."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser

from minutes import adjustment
from minutes.demo import DEMO_PASSWORD, load_demo
from minutes.models import Approval, Meeting

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def meeting(seal_certificate) -> Meeting:
    return load_demo()


def test_the_chair_finds_the_protocol_on_the_start_page_and_approves_with_confirmation(
    browser: Browser, live_server, meeting
):
    round = adjustment.send_for_adjustment(meeting, user=User.objects.get(username="helena.wik"))
    version = adjustment.version_of(round)
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/konto/login/")  # the one typed address
    page.fill("#id_username", "lars.back")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form button[type=submit]")

    page.get_by_role("heading", name="Att göra").wait_for()
    task = page.locator("li.task-approve")
    assert "läs och godkänn protokollet som ordförande." in task.inner_text()
    assert "Justeras senast 2016-10-06 (KL 5:69)." in task.inner_text()
    task.get_by_role("link", name="Läs och godkänn").click()

    page.get_by_role("link", name="Läs protokollet på den här sidan innan du godkänner det").click()
    protocol = page.locator("#protocol article.protocol")
    assert protocol.is_visible()
    assert meeting.items.order_by("position").first().title in protocol.inner_text()
    page.locator("#protocol").get_by_role("link", name="Tillbaka till godkännandet").click()

    page.get_by_role("button", name="Godkänn protokollet").click()
    confirmation = page.locator("#confirm")
    assert version.sha256 in confirmation.inner_text()
    assert f"{version.sent_at:%Y-%m-%d %H.%M}" in confirmation.inner_text()
    assert Approval.objects.count() == 0  # nothing approved before the confirmation
    confirmation.get_by_role("button", name="Bekräfta godkännandet").click()
    page.get_by_text("Ditt godkännande är registrerat.").wait_for()
    (approval,) = Approval.objects.all()
    assert (approval.person.full_name, approval.text_sha256) == ("Lars Bäck", version.sha256)

    page.get_by_role("link", name="Att göra", exact=True).first.click()
    page.get_by_role("heading", name="Att göra").wait_for()
    assert page.locator("li.task-approve").count() == 0
    context.close()


def test_the_adjuster_follows_the_emailed_link_to_the_protocol(
    browser: Browser, live_server, meeting, smtp_server, settings
):
    settings.PARAGRAF_SITE_URL = live_server.url
    adjustment.send_for_adjustment(meeting, user=User.objects.get(username="helena.wik"))
    (mail,) = [
        m
        for m, to in zip(smtp_server.messages, smtp_server.recipients, strict=True)
        if to == ["sofia.bergqvist@example.invalid"]
    ]
    (link,) = [line for line in mail.get_content().splitlines() if line.startswith(live_server.url)]
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(link)  # the e-mailed address: sign in first, then the page itself
    page.fill("#id_username", "sofia.bergqvist")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(link)
    assert page.get_by_role("button", name="Godkänn protokollet").is_visible()
    assert page.locator("#protocol article.protocol").is_visible()
    context.close()
