"""Late arrival and early departure by time (issue 14): entered at any point, attached to §§ as they come."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from minutes import opening, rules, services
from minutes.attendance import first_at, item_starts, last_before
from minutes.models import AttendanceFunction, Item
from minutes.protocol.document import roll_entries
from minutes.protocol.snapshot import build_snapshot
from tests.factories import MembershipFactory, serving_meeting
from tests.integration.test_attendance import form_data, line_of, set_line

pytestmark = pytest.mark.django_db

T = datetime.time


def test_a_start_time_is_inherited_by_the_sections_without_one():
    starts = item_starts([(1, None), (2, T(18, 40)), (3, None), (4, T(19, 30))], T(18, 0))
    assert starts == [(1, T(18, 0)), (2, T(18, 40)), (3, T(18, 40)), (4, T(19, 30))]
    assert first_at(T(18, 30), starts) == 2  # arrived 18.30: serves from the § started 18.40
    assert first_at(T(18, 40), starts) == 2  # started as she came in: she serves on it
    assert first_at(T(20, 0), starts) is None  # after every §
    assert last_before(T(19, 30), starts) == 3  # left as § 4 began: served up to § 3
    assert last_before(T(17, 0), starts) is None


def roll_row(attendance, **changes) -> services.RollRow:
    values = {
        "person": attendance.person,
        "function": attendance.function,
        "replaces": attendance.replaces,
        "from_time": attendance.from_time,
        "to_time": attendance.to_time,
    }
    return services.RollRow(**{**values, **changes})


def late_arrival_before_any_item():
    """Five members, the fifth arriving at 18.30 with a substitute in her place until then; no §§ yet."""
    meeting = serving_meeting(n_members=5, n_items=0, n_substitutes=0)
    late = list(meeting.attendances.order_by("position"))[4]
    substitute = MembershipFactory(committee=meeting.committee, role="substitute", position=9).person
    rows = [roll_row(a) for a in meeting.attendances.order_by("position")]
    rows[4] = roll_row(late, from_time=T(18, 30))
    rows.append(
        services.RollRow(
            person=substitute, function=AttendanceFunction.SERVING, replaces=late.person, to_time=T(18, 30)
        )
    )
    services.save_roll(meeting, rows=rows)
    meeting.refresh_from_db()
    return meeting, late.person, substitute


def serving(meeting) -> dict[int, set[int]]:
    return {item.number: set(rules.serving_on(item)) for item in meeting.items.order_by("position")}


def test_a_late_arrival_by_time_is_accepted_before_the_sections_exist_and_attaches_as_they_are_added():
    meeting, late, substitute = late_arrival_before_any_item()
    services.add_item(meeting, title="Första ärendet")
    services.add_item(meeting, title="Andra ärendet")
    services.add_item(meeting, title="Tredje ärendet")

    # No § has a time yet, so all started with the meeting at 18.00: the substitute serves throughout.
    assert all(substitute.pk in ids and late.pk not in ids for ids in serving(meeting).values())

    services.set_item_times(meeting, times={2: T(18, 35)})

    on = serving(meeting)
    assert substitute.pk in on[1] and late.pk not in on[1]
    assert late.pk in on[2] and substitute.pk not in on[2]
    assert late.pk in on[3] and substitute.pk not in on[3]  # § 3 started with § 2
    line = meeting.attendances.get(person=late)
    assert (line.from_item.number, line.from_time) == (2, T(18, 30))
    assert meeting.attendances.get(person=substitute).to_item.number == 1

    # A § added at the head of the agenda (the opening §§) moves nothing that was decided by time.
    opening.write(meeting)
    on = serving(meeting)
    assert [number for number, ids in on.items() if late.pk in ids] == [5, 6]


def test_the_protocol_roll_and_the_quorum_follow_the_times():
    meeting, late, substitute = late_arrival_before_any_item()
    for title in ("Ett", "Två"):
        services.add_item(meeting, title=title)
    services.set_item_times(meeting, times={1: T(18, 5), 2: T(18, 45)})

    snapshot = build_snapshot(meeting)

    first, second = snapshot.items
    assert substitute.pk in {p.id for p in first.serving} and late.pk not in {p.id for p in first.serving}
    assert late.pk in {p.id for p in second.serving}
    arrival = next(a for a in snapshot.attendance if a.person.id == late.pk)
    assert (arrival.from_time, arrival.from_number) == (T(18, 30), 2)
    roll = roll_entries(snapshot)
    assert f"{late.full_name} (" in roll["members"][4] and roll["members"][4].endswith(" från § 2 (ankom kl. 18.30)")
    assert roll["substitutes"] == [
        f"{substitute.full_name} ({substitute.memberships.get().party.abbreviation}) för "
        f"{roll['members'][4].split(' från')[0]} till och med § 1 (gick kl. 18.30)"
    ]


def test_an_early_departure_by_time():
    meeting = serving_meeting(n_members=5, n_items=3, n_substitutes=0)
    services.set_item_times(meeting, times={1: T(18, 0), 2: T(18, 30), 3: T(19, 0)})
    leaving = list(meeting.attendances.order_by("position"))[3]
    rows = [roll_row(a) for a in meeting.attendances.order_by("position")]
    rows[3] = roll_row(leaving, to_time=T(19, 0))
    meeting.refresh_from_db()
    services.save_roll(meeting, rows=rows)

    on = serving(meeting)
    assert leaving.person.pk in on[2] and leaving.person.pk not in on[3]


def test_leaving_before_arriving_is_refused():
    meeting = serving_meeting(n_members=3, n_items=1, n_substitutes=0)
    line = meeting.attendances.order_by("position").first()
    with pytest.raises(Exception, match="avresan|leaving"):
        services.save_roll(meeting, rows=[roll_row(line, from_time=T(19, 0), to_time=T(18, 0))])


def test_the_attendance_page_takes_a_time_and_the_times_of_the_sections(client):
    meeting = serving_meeting(n_members=5, n_items=2, n_substitutes=0)
    user = User.objects.create_user("sekr", password="x")
    meeting.committee.secretaries.add(user)
    client.force_login(user)
    url = reverse("minutes:attendance", args=[meeting.pk])
    late = list(meeting.attendances.order_by("position"))[2].person

    data = form_data(client.get(url))
    set_line(data, line_of(data, late), from_time="18:20")
    assert client.post(url, data).status_code == 302
    response = client.post(url, {"action": "times", "times-started_1": "18:00", "times-started_2": "18:20"})
    assert response.status_code == 302

    assert Item.objects.get(meeting=meeting, number=2).started_at == T(18, 20)
    on = serving(meeting)
    assert late.pk not in on[1] and late.pk in on[2]
    page = client.get(url).content.decode()
    assert 'value="18:20"' in page and "När varje paragraf påbörjades" in page


def test_a_late_arrival_by_a_section_not_yet_added_attaches_when_it_is():
    meeting = serving_meeting(n_members=5, n_items=2, n_substitutes=0)
    late = list(meeting.attendances.order_by("position"))[1]
    rows = [roll_row(a) for a in meeting.attendances.order_by("position")]
    rows[1] = roll_row(late, from_number=4)
    services.save_roll(meeting, rows=rows)

    assert all(late.person.pk not in ids for ids in serving(meeting).values())  # §§ 1-2: not yet there
    services.add_item(meeting, title="Tre")
    services.add_item(meeting, title="Fyra")
    services.add_item(meeting, title="Fem")

    assert [number for number, ids in serving(meeting).items() if late.person.pk in ids] == [4, 5]
    line = meeting.attendances.get(person=late.person)
    assert (line.from_item.number, line.pending_from_number) == (4, None)


def test_a_section_number_below_the_last_one_that_does_not_exist_is_still_refused():
    meeting = serving_meeting(n_members=3, n_items=3, n_substitutes=0)
    line = meeting.attendances.order_by("position").first()
    with pytest.raises(ValidationError) as refused:
        services.save_roll(meeting, rows=[roll_row(line, from_number=0)])
    assert "rows[0].from_item" in refused.value.message_dict
    assert meeting.attendances.get(person=line.person).pending_from_number is None


def test_the_roll_offers_sections_still_to_be_added(client):
    meeting = serving_meeting(n_members=3, n_items=0, n_substitutes=0)
    user = User.objects.create_user("sekr", password="x")
    meeting.committee.secretaries.add(user)
    client.force_login(user)
    url = reverse("minutes:attendance", args=[meeting.pk])
    member = meeting.attendances.order_by("position").first().person

    data = form_data(client.get(url))
    set_line(data, line_of(data, member), from_item="2")
    assert client.post(url, data).status_code == 302
    assert "§ 2 (inte tillagd än)" in client.get(url).content.decode()

    services.add_item(meeting, title="Ett")
    services.add_item(meeting, title="Två")
    assert [number for number, ids in serving(meeting).items() if member.pk in ids] == [2]
