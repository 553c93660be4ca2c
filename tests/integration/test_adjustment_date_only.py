"""An adjustment on a day without a set time: the meeting form's checkbox, the first page and the opening §."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from committee.models import Membership, Role
from minutes import opening
from minutes.models import Meeting, OpeningKind
from minutes.protocol.render import render_text
from minutes.protocol.snapshot import build_snapshot
from tests.factories import serving_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting() -> Meeting:
    return serving_meeting(n_members=5, n_items=2)


@pytest.fixture
def client_of_secretary(client, meeting):
    user = User.objects.create_user("sekreterare", password="x")
    meeting.committee.secretaries.add(user)
    client.force_login(user)
    return client


def details(meeting: Meeting, **changes) -> dict[str, str]:
    adjuster = Membership.objects.filter(committee=meeting.committee).exclude(role=Role.SUBSTITUTE)[1].person
    return {
        "version": str(meeting.version),
        "date": "2016-09-20",
        "start_time": "18:00",
        "end_time": "20:30",
        "place": "Sammanträdesrummet",
        "chair": str(meeting.chair_id),
        "secretary": "",
        "adjusters": [str(adjuster.pk)],
        "adjustment_at": "2016-09-27T15:00",
        "adjustment_place": "Förvaltningen",
        **changes,
    }


def swedish(message: str) -> str:
    with translation.override("sv"):
        return gettext(message)


def test_the_meeting_form_offers_the_day_without_a_time_in_swedish(client_of_secretary, meeting):
    page = client_of_secretary.get(reverse("minutes:meeting-edit", args=[meeting.pk])).content.decode()
    label = re.search(r'<label for="id_adjustment_date_only"[^>]*>(.*?)</label>', page, re.S)
    assert " ".join(unescape(label.group(1)).split()) == "Bara dagen, inget klockslag"


def test_a_day_without_a_time_prints_only_the_date(client_of_secretary, meeting):
    url = reverse("minutes:meeting-edit", args=[meeting.pk])
    client_of_secretary.post(url, details(meeting, adjustment_date_only="on"))
    meeting.refresh_from_db()
    local = timezone.localtime(meeting.adjustment_at)
    assert (meeting.adjustment_date_only, local.date(), local.time()) == (
        True,
        datetime.date(2016, 9, 27),
        datetime.time(0, 0),
    )
    lines = render_text(build_snapshot(meeting)).splitlines()
    assert [line for line in lines if line.startswith("Justeringens tid och plats")] == [
        "Justeringens tid och plats: 2016-09-27, Förvaltningen"
    ]
    opening.write(meeting)
    decision = meeting.items.get(opening=OpeningKind.ADJUSTMENT).decision
    assert decision == "Nämnden beslutade att protokollet skulle justeras den 27 september 2016, Förvaltningen."

    meeting.refresh_from_db()  # the opening §§ changed its version
    client_of_secretary.post(url, details(meeting, adjustment_at="2016-09-28T09:30"))  # the box cleared again
    meeting.refresh_from_db()
    decision = meeting.items.get(opening=OpeningKind.ADJUSTMENT).decision
    assert (meeting.adjustment_date_only, decision) == (
        False,
        "Nämnden beslutade att protokollet skulle justeras den 28 september 2016 kl. 09.30, Förvaltningen.",
    )


def test_the_box_without_a_day_is_refused_at_the_field(client_of_secretary, meeting):
    before = Meeting.objects.get(pk=meeting.pk).version
    url = reverse("minutes:meeting-edit", args=[meeting.pk])
    response = client_of_secretary.post(url, details(meeting, adjustment_at="", adjustment_date_only="on"))
    page = response.content.decode()
    error = re.search(r'<div id="id_adjustment_date_only_error"[^>]*>(.*?)</div>', page, re.S)
    assert (response.status_code, " ".join(unescape(re.sub(r"<[^>]+>", " ", error.group(1))).split())) == (
        400,
        swedish("Enter the day of adjustment."),
    )
    assert Meeting.objects.get(pk=meeting.pk).version == before


def test_the_form_asks_for_the_day_and_an_optional_time_in_their_own_inputs(client_of_secretary, meeting):
    url = reverse("minutes:meeting-edit", args=[meeting.pk])
    client_of_secretary.post(url, details(meeting, adjustment_at="2016-09-27", adjustment_time="15:00"))
    meeting.refresh_from_db()
    page = client_of_secretary.get(url).content.decode()
    day = re.search(r'<input type="date" name="adjustment_at" value="([^"]*)"', page)
    time = re.search(r'<input type="time" name="adjustment_time" value="([^"]*)"', page)
    local = timezone.localtime(meeting.adjustment_at)
    assert (meeting.adjustment_date_only, local.date(), local.time(), day.group(1), time.group(1)) == (
        False,
        datetime.date(2016, 9, 27),
        datetime.time(15, 0),
        "2016-09-27",
        "15:00",
    )


def test_a_day_without_a_time_entered_is_adjusted_on_the_day(client_of_secretary, meeting):
    url = reverse("minutes:meeting-edit", args=[meeting.pk])
    response = client_of_secretary.post(url, details(meeting, adjustment_at="2016-09-27", adjustment_time=""))
    meeting.refresh_from_db()
    page = client_of_secretary.get(url).content.decode()
    time = re.search(r'<input type="time" name="adjustment_time"([^>]*)>', page).group(1)
    lines = render_text(build_snapshot(meeting)).splitlines()
    assert (response.status_code, meeting.adjustment_date_only, 'value="' in time) == (302, True, False)
    assert [line for line in lines if line.startswith("Justeringens tid och plats")] == [
        "Justeringens tid och plats: 2016-09-27, Förvaltningen"
    ]


def test_a_time_without_a_day_is_refused_at_the_day_in_swedish(client_of_secretary, meeting):
    before = Meeting.objects.get(pk=meeting.pk).version
    url = reverse("minutes:meeting-edit", args=[meeting.pk])
    response = client_of_secretary.post(url, details(meeting, adjustment_at="", adjustment_time="15:00"))
    error = re.search(r'<div id="id_adjustment_at_error"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    assert (response.status_code, " ".join(unescape(re.sub(r"<[^>]+>", " ", error.group(1))).split())) == (
        400,
        swedish("Enter the day of adjustment."),
    )
    assert Meeting.objects.get(pk=meeting.pk).version == before
