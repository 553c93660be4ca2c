"""Once only (issue 14): the opening §§ come from the meeting's details, the creator is its secretary."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from committee.models import Person
from minutes import adjustment, opening, services
from minutes.models import MeetingStatus, OpeningKind
from tests.factories import serving_meeting

pytestmark = pytest.mark.django_db


def adjust_at(meeting, hour: int = 10) -> datetime.datetime:
    day = meeting.date + datetime.timedelta(days=7)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def details(meeting, **changes) -> dict:
    fields = {
        "date": meeting.date,
        "start_time": meeting.start_time,
        "end_time": meeting.end_time,
        "place": meeting.place,
        "chair": meeting.chair,
        "secretary": meeting.secretary,
        "adjusters": [a.person for a in meeting.adjusters.all()],
        "adjustment_at": meeting.adjustment_at,
        "adjustment_place": meeting.adjustment_place,
    }
    return {**fields, **changes}


def save_details(meeting, **changes):
    meeting.refresh_from_db()
    return services.save_meeting_details(meeting, **details(meeting, **changes))


def test_opening_items_are_written_from_the_details_at_the_head_of_the_agenda():
    meeting = serving_meeting(n_members=5, n_items=2)
    adjuster = meeting.attendances.order_by("position")[1].person
    save_details(meeting, adjusters=[adjuster], adjustment_at=adjust_at(meeting), adjustment_place="Brommaplan 7")

    opening.write(meeting)

    items = list(meeting.items.order_by("position"))
    assert [(i.number, i.opening) for i in items[:3]] == [
        (1, OpeningKind.ADJUSTERS),
        (2, OpeningKind.ADJUSTMENT),
        (3, OpeningKind.AGENDA),
    ]
    assert [i.number for i in items[3:]] == [4, 5] and not any(i.opening for i in items[3:])
    party = adjuster.memberships.get().party.abbreviation
    assert items[0].title == "Val av justerare"
    assert items[0].decision == (
        f"Nämnden utsåg {adjuster.full_name} ({party}) att jämte ordföranden justera dagens protokoll."
    )
    assert items[1].decision == (
        "Nämnden beslutade att protokollet skulle justeras den 27 september 2016 kl. 10.00, Brommaplan 7."
    )
    assert items[2].decision == "Föredragningslistan godkändes."


def test_opening_items_follow_later_edits_of_the_details_but_keep_a_rewritten_text():
    meeting = serving_meeting(n_members=5, n_items=0)
    first, second = (a.person for a in meeting.attendances.order_by("position")[1:3])
    opening.write(meeting)
    adjusters, adjustment, _agenda = meeting.items.order_by("position")
    assert "[justerare ej utsedd]" in adjusters.decision
    services.save_item(adjustment, expected_version=adjustment.version, decision="Protokollet justeras på onsdag.")

    save_details(meeting, adjusters=[first, second], adjustment_at=adjust_at(meeting, 15))

    adjusters.refresh_from_db()
    adjustment.refresh_from_db()
    assert f"{first.full_name} (" in adjusters.decision and f" och {second.full_name} (" in adjusters.decision
    assert adjustment.decision == "Protokollet justeras på onsdag."  # typed by hand: not overwritten

    opening.write(meeting)  # the button again: regenerated on request
    adjustment.refresh_from_db()
    assert adjustment.decision.endswith("den 27 september 2016 kl. 15.00.")
    assert meeting.items.count() == 3  # nothing added twice


def test_opening_items_stop_following_once_sent_for_adjustment():
    meeting = serving_meeting(n_members=5, n_items=0)
    opening.write(meeting)
    meeting.refresh_from_db()
    type(meeting).objects.filter(pk=meeting.pk).update(status=MeetingStatus.LOCKED)
    meeting.refresh_from_db()
    before = meeting.items.get(opening=OpeningKind.ADJUSTERS).decision

    opening.follow(meeting)

    assert meeting.items.get(opening=OpeningKind.ADJUSTERS).decision == before


def test_present_tense_house_style():
    meeting = serving_meeting(n_members=5, n_items=0, tense="present")
    opening.write(meeting)
    assert meeting.items.get(opening=OpeningKind.AGENDA).decision == "Föredragningslistan godkänns."


def test_the_button_on_the_meeting_page_writes_them(client):
    meeting = serving_meeting(n_members=5, n_items=1)
    user = User.objects.create_user("sekr", password="x")
    meeting.committee.secretaries.add(user)
    client.force_login(user)
    page = client.get(reverse("minutes:meeting-detail", args=[meeting.pk]))
    assert "Skriv de inledande paragraferna från sammanträdets uppgifter" in page.content.decode()

    response = client.post(reverse("minutes:agenda", args=[meeting.pk]), {"action": "opening"})

    assert response.status_code == 302
    assert list(meeting.items.order_by("position").values_list("title", flat=True))[:3] == [
        "Val av justerare",
        "Justeringens tid och plats",
        "Godkännande av föredragningslistan",
    ]


def test_the_creator_is_preselected_as_secretary(client):
    meeting = serving_meeting(n_members=3, n_items=0)
    user = User.objects.create_user("sekr", password="x")
    person = Person.objects.create(first_name="Sara", last_name="Sekreterare", user=user)
    meeting.committee.secretaries.add(user)
    client.force_login(user)

    response = client.post(
        reverse("minutes:meeting-list", args=[meeting.committee.slug]), {"date": "2016-10-18", "place": "Rum 1"}
    )

    created = meeting.committee.meetings.get(date=datetime.date(2016, 10, 18))
    assert response.status_code == 302
    assert created.secretary == person
    form = client.get(reverse("minutes:meeting-edit", args=[created.pk])).context["form"]
    assert form.initial["secretary"] == person.pk


def test_an_administrator_who_is_not_the_committees_secretary_is_not_preselected(client):
    meeting = serving_meeting(n_members=3, n_items=0)
    admin = User.objects.create_superuser("admin", password="x")
    Person.objects.create(first_name="Ada", last_name="Admin", user=admin)
    client.force_login(admin)

    client.post(reverse("minutes:meeting-list", args=[meeting.committee.slug]), {"date": "2016-10-18"})

    assert meeting.committee.meetings.get(date=datetime.date(2016, 10, 18)).secretary is None


def test_the_button_explains_when_the_opening_items_cannot_go_first(client, meeting, secretary):
    adjustment.send_for_adjustment(meeting, user=secretary, item=meeting.items.get(number=10))
    client.force_login(secretary)

    response = client.post(reverse("minutes:agenda", args=[meeting.pk]), {"action": "opening"}, follow=True)

    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1 and "§ 10" in shown[0]
    assert not meeting.items.exclude(opening="").exists() and meeting.items.count() == 12
