"""Once only, in Chromium: a meeting created through the UI, its secretary preselected, a late arrival
entered by time before any § exists, and the opening §§ written from the meeting's details."""

import re

from django.contrib.auth.models import User
from playwright.sync_api import expect

from committee.models import Person
from tests.browser.conftest import SECRETARY_USERNAME


def test_create_a_meeting_and_write_its_opening_items_from_its_details(demo, page, sign_in, live_server):
    secretary = Person.objects.create(
        first_name="Sara", last_name="Sekreterare", user=User.objects.get(username=SECRETARY_USERNAME)
    )
    sign_in(page, f"/namnd/{demo.committee.slug}/")

    # Create the meeting: date, time and place, nothing more.
    page.locator("[name=date]").fill("2016-10-18")
    page.locator("[name=start_time]").fill("18:00")
    page.locator("[name=place]").fill("Årstadals stadsdelsförvaltning")
    page.get_by_role("button", name="Skapa sammanträde").click()
    page.wait_for_url(re.compile(r"/sammantrade/\d+/$"))
    meeting = demo.committee.meetings.get(date="2016-10-18")
    assert meeting.items.count() == 0

    # A late arrival by time, before any § exists.
    page.get_by_role("link", name="Närvaro", exact=True).click()
    page.get_by_label("Från kl.: Peter Öberg").fill("18:30")
    page.get_by_role("button", name="Spara närvarolistan").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert page.get_by_label("Från kl.: Peter Öberg").input_value() == "18:30"

    # The meeting's details: the creator is already its secretary; the adjusters are chosen once.
    page.get_by_role("link", name="Datum, plats, ordförande och justerare").click()
    secretary_choice = page.locator("select[name=secretary]")
    assert secretary_choice.input_value() == str(secretary.pk)
    assert secretary_choice.locator("option:checked").inner_text() == "Sara Sekreterare"
    page.get_by_label("Sofia Bergqvist", exact=True).check()
    page.get_by_label("Maria Ekdahl", exact=True).check()
    page.locator("[name=adjustment_at]").fill("2016-10-25")
    page.locator("[name=adjustment_time]").fill("15:00")
    page.locator("[name=adjustment_place]").fill("stadsdelsförvaltningen")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(rf"/sammantrade/{meeting.pk}/$"))

    # The opening §§, written from those details.
    page.get_by_role("button", name=re.compile("Skriv de inledande paragraferna")).click()
    page.get_by_role("link", name="Val av justerare", exact=True).wait_for()
    numbers = page.locator("#items-heading ~ .table-responsive table tbody tr td:first-child")
    assert numbers.all_inner_texts() == ["1", "2", "3"]

    decisions = dict(meeting.items.values_list("title", "decision"))
    assert decisions["Val av justerare"] == (
        "Nämnden utsåg Sofia Bergqvist (C) och Maria Ekdahl (V) att jämte ordföranden justera dagens protokoll."
    )
    assert decisions["Justeringens tid och plats"] == (
        "Nämnden beslutade att protokollet skulle justeras den 25 oktober 2016 kl. 15.00, stadsdelsförvaltningen."
    )
    # The editor of § 1 shows that text: nothing to type again.
    page.get_by_role("link", name="Val av justerare", exact=True).click()
    expect(page.locator("textarea[name='item-decision']")).to_have_value(
        re.compile("Sofia Bergqvist \\(C\\) och Maria")
    )

    # Peter Öberg arrived after every § so far started (all with the meeting at 18.00).
    line = meeting.attendances.get(person__last_name="Öberg")
    assert (line.from_time.strftime("%H:%M"), line.from_item) == ("18:30", None)
