"""Before the meeting, in a browser: the secretary sends the notice; a member gets it on a real SMTP server,
follows its link on a phone, signs in, reads a document, writes a note, and the confidential document asks for
the second factor (an authenticator app's code, computed here from the key the enrolment page shows)."""

import base64
import re
import time

import pytest
from django.contrib.auth.models import User
from django_otp.oath import TOTP
from playwright.sync_api import Browser

from minutes.models import DocumentNote, NoticeRecipient
from tests.notice_setup import coming_agenda

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_member_reads_the_agenda_from_the_notice_on_a_phone(
    browser: Browser, live_server, smtp_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PARAGRAF_SITE_URL = live_server.url
    agenda = coming_agenda()
    for user in User.objects.all():
        user.set_password("hemligt-lösen")
        user.save()

    # The secretary, at a laptop, sends the notice from the meeting's page.
    desk = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    desk.set_default_timeout(30_000)
    secretary = desk.new_page()
    secretary.goto(f"{live_server.url}/konto/login/?next=/sammantrade/{agenda.meeting.pk}/")
    secretary.fill("#id_username", "sekreterare")
    secretary.fill("#id_password", "hemligt-lösen")
    secretary.click("form button[type=submit]")
    secretary.get_by_role("link", name="Kallelse").click()
    secretary.get_by_role("button", name="Skicka nu").click()
    secretary.get_by_text("Kallelsen gick till 3 personer.").wait_for()
    desk.close()

    # The member finds the mail and follows the personal link on the phone.
    member = agenda.members[1]
    (mail,) = [m for m, to in zip(smtp_server.messages, smtp_server.recipients, strict=True) if to == [member.email]]
    link = re.search(r"(http://\S+/las/kallelse/\S+/)", mail.get_body(("plain",)).get_content()).group(1)
    phone = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport=PHONE, is_mobile=True, has_touch=True
    )
    phone.set_default_timeout(30_000)
    page = phone.new_page()
    page.goto(link)
    page.fill("#id_username", member.username)
    page.fill("#id_password", "hemligt-lösen")
    page.click("form button[type=submit]")
    page.get_by_role("heading", name="Årstadals stadsdelsnämnd").wait_for()
    assert NoticeRecipient.objects.get(email=member.email).opened_at is not None
    assert no_horizontal_overflow(page)

    # One tap opens the public document.
    started = time.monotonic()
    with page.expect_response(lambda r: r.url.endswith(f"/las/handling/{agenda.public_document.pk}.pdf")) as shown:
        page.get_by_role("link", name=re.compile("Tjänsteutlåtande budget")).click()
    first_document = time.monotonic() - started
    assert (shown.value.status, shown.value.headers["content-type"]) == (200, "application/pdf")
    page.go_back()

    # A note of one's own.
    page.locator(f"#doc-{agenda.public_document.pk} summary").click()
    page.get_by_label("Din anteckning: Tjänsteutlåtande budget").fill("Fråga om hyreskostnaden.")
    page.locator(f"#doc-{agenda.public_document.pk}").get_by_role("button", name="Spara anteckningen").click()
    page.get_by_label("Din anteckning: Tjänsteutlåtande budget").wait_for()
    assert page.get_by_label("Din anteckning: Tjänsteutlåtande budget").input_value() == "Fråga om hyreskostnaden."
    assert list(DocumentNote.objects.values_list("user__username", "text")) == [
        (member.username, "Fråga om hyreskostnaden.")
    ]

    # The confidential document asks for the second factor; the member connects an app and reads it.
    page.get_by_role("link", name=re.compile("Utredning Andersson")).click()
    page.get_by_role("heading", name="Sekretessbelagd handling").wait_for()
    assert no_horizontal_overflow(page)
    page.get_by_role("link", name="Koppla en autentiseringsapp").click()
    secret = page.locator("#totp-secret").inner_text().strip()
    assert no_horizontal_overflow(page)
    key = base64.b32decode(secret)
    page.get_by_label("Kod från appen").fill(f"{TOTP(key).token():06d}")
    with page.expect_response(lambda r: r.url.endswith(f"/las/handling/{agenda.secret_document.pk}.pdf")) as shown:
        page.get_by_role("button", name="Bekräfta").click()
    assert (shown.value.status, shown.value.headers["content-type"]) == (200, "application/pdf")
    phone.close()
    print(f"\nReading room: first document shown {first_document:.2f} s after the tap")


def test_the_reading_room_keeps_what_a_member_opened_for_offline_reading(
    browser: Browser, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    agenda = coming_agenda()
    member = agenda.members[0]
    member.set_password("hemligt-lösen")
    member.save()
    phone = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm", viewport=PHONE, is_mobile=True)
    phone.set_default_timeout(30_000)
    page = phone.new_page()
    meeting_url = f"{live_server.url}/las/sammantrade/{agenda.meeting.pk}/"
    page.goto(f"{live_server.url}/konto/login/?next=/las/sammantrade/{agenda.meeting.pk}/")
    page.fill("#id_username", member.username)
    page.fill("#id_password", "hemligt-lösen")
    page.click("form button[type=submit]")
    page.wait_for_url(meeting_url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the worker's control: this copy of the page is kept
    page.get_by_role("link", name=re.compile("Tjänsteutlåtande budget")).click()
    page.wait_for_url(f"{live_server.url}/las/handling/{agenda.public_document.pk}.pdf")

    phone.set_offline(True)
    page.goto(meeting_url)
    assert page.get_by_role("heading", name="Årstadals stadsdelsnämnd").is_visible()
    document = page.evaluate(
        "url => fetch(url).then(r => r.status + ' ' + r.headers.get('content-type'))",
        f"/las/handling/{agenda.public_document.pk}.pdf",
    )
    secret = page.evaluate(
        "url => fetch(url).then(r => 'fetched', () => 'offline')", f"/las/handling/{agenda.secret_document.pk}.pdf"
    )
    phone.close()

    assert document == "200 application/pdf"
    assert secret == "offline"  # never kept: confidential documents are no-store
