"""The attendance screen and the meeting's own fields: who may use them, what they save and refuse."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from committee.models import Membership, Person, Role
from minutes import services
from minutes.models import Adjuster, Attendance, AttendanceFunction, Meeting, MeetingStatus
from tests.factories import (
    CommitteeFactory,
    ItemFactory,
    MotionFactory,
    MotionMoverFactory,
    serving_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting() -> Meeting:
    """Five members serving on three §§ (quorum 3), two substitutes with no line yet."""
    return serving_meeting(n_members=5, n_items=3, n_substitutes=2)


@pytest.fixture
def secretary(meeting) -> User:
    user = User.objects.create_user("sekreterare", password="x")
    meeting.committee.secretaries.add(user)
    return user


def members(meeting: Meeting) -> list[Person]:
    return [
        m.person
        for m in Membership.objects.filter(committee=meeting.committee)
        .exclude(role=Role.SUBSTITUTE)
        .order_by("position")
    ]


def substitutes(meeting: Meeting) -> list[Person]:
    return [m.person for m in Membership.objects.filter(committee=meeting.committee, role=Role.SUBSTITUTE)]


def roll(meeting: Meeting) -> list[tuple]:
    """The stored roll as (name, function, in place of, from §, to §, title)."""
    return [
        (
            a.person.full_name,
            a.function,
            a.replaces.full_name if a.replaces else None,
            a.from_item.number if a.from_item else None,
            a.to_item.number if a.to_item else None,
            a.title,
        )
        for a in meeting.attendances.select_related("person", "replaces", "from_item", "to_item").order_by(
            "position", "id"
        )
    ]


def form_data(response) -> dict[str, str]:
    """What the attendance page posts back unchanged: every line as it was shown."""
    formset = response.context["formset"]
    data = {"action": "roll", "version": str(response.context["meeting"].version)}
    data.update({f"roll-{key}": str(value) for key, value in formset.management_form.initial.items()})
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            data[form.add_prefix(name)] = "" if value is None else str(value)
    return data


def line_of(data: dict[str, str], person: Person) -> str:
    """The form prefix of the person's first line."""
    for key, value in data.items():
        if key.endswith("-person") and value == str(person.pk):
            return key.removesuffix("-person")
    raise KeyError(person)


def new_line(data: dict[str, str], number: int = 0) -> str:
    """The prefix of the `number`th empty line at the end of the roll."""
    total = int(data["roll-TOTAL_FORMS"])
    return f"roll-{total - 2 + number}"


def set_line(data: dict[str, str], prefix: str, **values) -> None:
    for name, value in values.items():
        data[f"{prefix}-{name}"] = "" if value is None else str(value)


def error_at(page: str, field_id: str) -> str:
    """The text of the error shown under one field."""
    match = re.search(rf'<div id="{field_id}_error"[^>]*>(.*?)</div>', page, re.S)
    assert match, f"no error at {field_id}"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def swedish(message: str) -> str:
    with translation.override("sv"):
        return gettext(message)


def urls(meeting: Meeting) -> list[str]:
    return [reverse("minutes:attendance", args=[meeting.pk]), reverse("minutes:meeting-edit", args=[meeting.pk])]


# Who may see and change


def test_anonymous_visitors_are_sent_to_sign_in(client, meeting):
    for url in urls(meeting):
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("login"))


def test_users_who_are_not_the_committees_secretaries_are_refused(client, meeting):
    other_secretary = User.objects.create_user("annan-sekreterare", password="x")
    CommitteeFactory().secretaries.add(other_secretary)
    outsider = User.objects.create_user("annan", password="x")
    before = roll(meeting)
    statuses = []
    for user in (outsider, other_secretary):
        client.force_login(user)
        statuses += [client.get(url).status_code for url in urls(meeting)]
        statuses += [client.post(url, {"action": "roll", "version": "1"}).status_code for url in urls(meeting)]
    assert (statuses, roll(meeting)) == ([403] * 8, before)


def test_the_secretary_and_a_superuser_see_both_pages(client, meeting, secretary):
    admin = User.objects.create_superuser("admin", password="x")
    statuses = []
    for user in (secretary, admin):
        client.force_login(user)
        statuses += [client.get(url).status_code for url in urls(meeting)]
    assert statuses == [200] * 4


def test_meeting_page_links_to_both_pages(client, meeting, secretary):
    client.force_login(secretary)
    page = client.get(reverse("minutes:meeting-detail", args=[meeting.pk])).content.decode()
    assert [url in page for url in urls(meeting)] == [True, True]


# The page and the quorum


def quorum_table(page: str) -> list[tuple[str, ...]]:
    table = page.split('id="quorum-per-item"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    return [
        tuple(
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        )
        for row in rows
    ]


def quorum_state(page: str) -> str:
    paragraph = page.split('id="quorum-state"')[1].split(">", 1)[1].split("</p>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", paragraph).split())


def test_page_shows_the_quorum_per_item(client, meeting, secretary):
    # Three of five leave after § 1: §§ 2 and 3 cannot be decided (quorum is 3).
    first = meeting.items.get(number=1)
    meeting.attendances.filter(person__in=members(meeting)[2:]).update(to_item=first)
    client.force_login(secretary)
    page = client.get(reverse("minutes:attendance", args=[meeting.pk])).content.decode()
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert quorum_table(page) == [
        ("1", titles[0], "5 / 5", "ja"),
        ("2", titles[1], "2 / 5", "nej"),
        ("3", titles[2], "2 / 5", "nej"),
    ]
    state = quorum_state(page)
    assert state == f"{swedish('Not quorate')} : § 2, § 3."


def test_a_meeting_without_items_shows_the_quorum_by_the_roll(client, secretary):
    meeting = serving_meeting(n_members=5, n_items=0, seats=11)
    meeting.committee.secretaries.add(secretary)
    client.force_login(secretary)
    page = client.get(reverse("minutes:attendance", args=[meeting.pk])).content.decode()
    state = quorum_state(page)
    assert (state, 'id="quorum-per-item"' in page) == (
        f"{swedish('Not quorate')} : " + swedish("%(serving)s of %(seats)s serving.") % {"serving": 5, "seats": 11},
        False,
    )


def test_page_lists_members_absent_substitutes_and_others(client, meeting, secretary):
    client.force_login(secretary)
    response = client.get(reverse("minutes:attendance", args=[meeting.pk]))
    lines = [
        (form.initial["group"], form.who, form.initial["function"])
        for form in response.context["formset"].initial_forms
    ]
    names = [p.full_name for p in members(meeting)] + [p.full_name for p in substitutes(meeting)]
    assert [(group, who.split(" (")[0], function) for group, who, function in lines] == [
        ("members", name, "serving") for name in names[:5]
    ] + [("substitutes", name, "absent") for name in names[5:]]


def test_the_page_reads_the_same_number_of_queries_for_3_and_12_items(client, secretary, django_assert_num_queries):
    small = serving_meeting(n_members=5, n_items=3)
    large = serving_meeting(n_members=5, n_items=12)
    for meeting in (small, large):
        meeting.committee.secretaries.add(secretary)
    client.force_login(secretary)
    counts = []
    for meeting in (small, large):
        # One of them reads the §§' start times for the form that sets them.
        with django_assert_num_queries(22) as captured:
            client.get(reverse("minutes:attendance", args=[meeting.pk]))
        counts.append(len(captured))
    assert counts == [22, 22]


# Saving the roll


def test_a_substitute_serves_in_an_absent_members_place(client, meeting, secretary):
    absent, substitute = members(meeting)[4], substitutes(meeting)[0]
    client.force_login(secretary)
    data = form_data(client.get(reverse("minutes:attendance", args=[meeting.pk])))
    set_line(data, line_of(data, absent), function="absent")
    set_line(data, line_of(data, substitute), function="serving", replaces=absent.pk)
    response = client.post(reverse("minutes:attendance", args=[meeting.pk]), data)
    assert response["Location"] == reverse("minutes:attendance", args=[meeting.pk])
    assert roll(meeting)[4:] == [(substitute.full_name, "serving", absent.full_name, None, None, "")]
    assert [p.full_name for p in roll_names(meeting, "serving")] == [p.full_name for p in members(meeting)[:4]] + [
        substitute.full_name
    ]


def roll_names(meeting: Meeting, function: str) -> list[Person]:
    return [a.person for a in meeting.attendances.filter(function=function).select_related("person")]


def test_late_arrival_and_departure_are_ranges_of_items(client, meeting, secretary):
    late, leaving = members(meeting)[1], members(meeting)[2]
    substitute, listener = substitutes(meeting)
    client.force_login(secretary)
    data = form_data(client.get(reverse("minutes:attendance", args=[meeting.pk])))
    set_line(data, line_of(data, late), from_item=2)
    set_line(data, line_of(data, leaving), to_item=2)
    # The substitute serves for the late member on § 1, then listens without a vote.
    set_line(data, line_of(data, substitute), function="serving", replaces=late.pk, to_item=1)
    set_line(data, new_line(data), person=substitute.pk, function="non_serving", from_item=2)
    set_line(data, line_of(data, listener), function="non_serving")
    response = client.post(reverse("minutes:attendance", args=[meeting.pk]), data)
    assert response.status_code == 302
    assert roll(meeting) == [
        (members(meeting)[0].full_name, "serving", None, None, None, ""),
        (late.full_name, "serving", None, 2, None, ""),
        (leaving.full_name, "serving", None, None, 2, ""),
        (members(meeting)[3].full_name, "serving", None, None, None, ""),
        (members(meeting)[4].full_name, "serving", None, None, None, ""),
        (substitute.full_name, "serving", late.full_name, None, 1, ""),
        (listener.full_name, "non_serving", None, None, None, ""),
        (substitute.full_name, "non_serving", None, 2, None, ""),
    ]
    page = client.get(reverse("minutes:attendance", args=[meeting.pk])).content.decode()
    assert [row[2] for row in quorum_table(page)] == ["5 / 5", "5 / 5", "4 / 5"]


def test_the_protocol_prints_the_late_arrival(client, meeting, secretary):
    late = members(meeting)[3]
    client.force_login(secretary)
    data = form_data(client.get(reverse("minutes:attendance", args=[meeting.pk])))
    set_line(data, line_of(data, late), from_item=2)
    client.post(reverse("minutes:attendance", args=[meeting.pk]), data)
    text = client.get(reverse("minutes:protocol-document", args=[meeting.pk, "txt"])).content.decode()
    party = late.memberships.get().party.abbreviation
    assert f"{late.full_name} ({party}) från § 2" in [line.strip() for line in text.splitlines()]


def test_someone_else_present_is_added_with_their_title(client, meeting, secretary):
    client.force_login(secretary)
    response = client.post(
        reverse("minutes:attendance", args=[meeting.pk]),
        {"action": "other", "other-first_name": "Birgitta", "other-last_name": "Sjö", "other-title": "<b>direktör</b>"},
    )
    assert response.status_code == 302
    assert roll(meeting)[-1] == ("Birgitta Sjö", "other", None, None, None, "<b>direktör</b>")
    page = client.get(reverse("minutes:attendance", args=[meeting.pk])).content.decode()
    assert ('value="&lt;b&gt;direktör&lt;/b&gt;"' in page, "<b>direktör</b>" in page) == (True, False)


def test_someone_who_attended_before_can_be_put_on_a_new_line(client, meeting, secretary):
    official = Person.objects.create(first_name="Helena", last_name="Wik")
    earlier = serving_meeting(n_members=0, n_items=0)
    Meeting.objects.filter(pk=earlier.pk).update(committee=meeting.committee, number=99)
    Attendance.objects.create(meeting=earlier, person=official, function=AttendanceFunction.OTHER, title="sekreterare")
    client.force_login(secretary)
    data = form_data(client.get(reverse("minutes:attendance", args=[meeting.pk])))
    set_line(data, new_line(data), person=official.pk, function="other", title="nämndsekreterare")
    assert client.post(reverse("minutes:attendance", args=[meeting.pk]), data).status_code == 302
    assert roll(meeting)[-1] == ("Helena Wik", "other", None, None, None, "nämndsekreterare")


# Refusing the roll


def test_a_substitute_cannot_serve_for_a_member_who_serves(client, meeting, secretary):
    member, substitute = members(meeting)[1], substitutes(meeting)[0]
    before = roll(meeting)
    client.force_login(secretary)
    data = form_data(client.get(reverse("minutes:attendance", args=[meeting.pk])))
    prefix = line_of(data, substitute)
    set_line(data, prefix, function="serving", replaces=member.pk)
    response = client.post(reverse("minutes:attendance", args=[meeting.pk]), data)
    assert response.status_code == 400
    assert error_at(response.content.decode(), f"id_{prefix}-replaces") == (
        "En ledamot och ersättaren som tjänstgör i ledamotens ställe tjänstgör båda i § 1."
    )
    assert roll(meeting) == before


def test_the_last_item_cannot_come_before_the_first(client, meeting, secretary):
    member = members(meeting)[1]
    before = roll(meeting)
    client.force_login(secretary)
    data = form_data(client.get(reverse("minutes:attendance", args=[meeting.pk])))
    prefix = line_of(data, member)
    set_line(data, prefix, from_item=3, to_item=1)
    response = client.post(reverse("minutes:attendance", args=[meeting.pk]), data)
    assert response.status_code == 400
    assert error_at(response.content.decode(), f"id_{prefix}-to_item") == swedish("The last § comes before the first.")
    assert roll(meeting) == before


def test_an_unknown_item_number_is_refused_by_the_form(client, meeting, secretary):
    member = members(meeting)[1]
    client.force_login(secretary)
    data = form_data(client.get(reverse("minutes:attendance", args=[meeting.pk])))
    prefix = line_of(data, member)
    set_line(data, prefix, from_item=99)  # §§ still to be added are offered, but not this far ahead
    response = client.post(reverse("minutes:attendance", args=[meeting.pk]), data)
    assert response.status_code == 400
    assert error_at(response.content.decode(), f"id_{prefix}-from_item").startswith("Välj ett giltigt alternativ.")


def test_removing_a_member_who_moved_a_motion_is_refused_above_the_roll(client, meeting, secretary):
    mover = members(meeting)[3]
    MotionMoverFactory(motion=MotionFactory(item=meeting.items.get(number=2)), person=mover)
    before = roll(meeting)
    client.force_login(secretary)
    data = form_data(client.get(reverse("minutes:attendance", args=[meeting.pk])))
    set_line(data, line_of(data, mover), to_item=1)
    response = client.post(reverse("minutes:attendance", args=[meeting.pk]), data)
    assert response.status_code == 400
    problem = f"{mover.full_name} tjänstgör inte i denna paragraf och kan inte yrka."
    assert list(response.context["formset"].non_form_errors()) == [
        swedish("§ %(number)s: %(problem)s") % {"number": 2, "problem": problem}
    ]
    assert f"<li>§ 2: {problem}</li>" in response.content.decode()
    assert roll(meeting) == before


def test_a_roll_loaded_before_someone_elses_change_is_refused(client, meeting, secretary):
    client.force_login(secretary)
    data = form_data(client.get(reverse("minutes:attendance", args=[meeting.pk])))
    services.add_other_present(meeting, first_name="Anna", last_name="Ek", title="controller")
    set_line(data, line_of(data, members(meeting)[4]), function="absent")
    response = client.post(reverse("minutes:attendance", args=[meeting.pk]), data)
    assert response.status_code == 409
    assert (len(roll(meeting)), roll(meeting)[-1][0]) == (6, "Anna Ek")


def test_a_locked_meeting_is_shown_but_not_changed(client, meeting, secretary):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.LOCKED)
    before = roll(meeting)
    client.force_login(secretary)
    response = client.get(reverse("minutes:attendance", args=[meeting.pk]))
    data = form_data(response)
    set_line(data, line_of(data, members(meeting)[4]), function="absent")
    assert (
        response.status_code,
        "<fieldset disabled>" in response.content.decode(),
        client.post(reverse("minutes:attendance", args=[meeting.pk]), data).status_code,
        client.post(reverse("minutes:meeting-edit", args=[meeting.pk]), {"version": "1"}).status_code,
        roll(meeting),
    ) == (200, True, 403, 403, before)
    with pytest.raises(ValidationError) as refused:
        services.save_roll(meeting, rows=[])
    assert refused.value.code == "not_editable"


# The service's own rules


def rows_of(meeting: Meeting) -> list[services.RollRow]:
    return [services.RollRow(person=a.person, function=a.function) for a in meeting.attendances.order_by("position")]


def test_save_roll_keys_each_problem_to_its_line():
    meeting = serving_meeting(n_members=3, n_items=0, n_substitutes=1, seats=5)
    first, second, third = members(meeting)
    substitute = substitutes(meeting)[0]
    stranger = Person.objects.create(first_name="Ola", last_name="Okänd")
    rows = [
        services.RollRow(person=first, function=AttendanceFunction.SERVING),
        services.RollRow(person=second, function=AttendanceFunction.SERVING),
        services.RollRow(person=substitute, function=AttendanceFunction.SERVING, replaces=second),
        services.RollRow(person=stranger, function=AttendanceFunction.SERVING),
        services.RollRow(person=third, function=AttendanceFunction.NON_SERVING, replaces=first),
        services.RollRow(person=first, function=AttendanceFunction.OTHER),
    ]
    with pytest.raises(ValidationError) as refused:
        services.save_roll(meeting, rows=rows)
    assert sorted(refused.value.message_dict) == [
        "rows[2].replaces",
        "rows[3].function",
        "rows[4].replaces",
        "rows[5].from_item",
    ]
    assert meeting.attendances.count() == 3


def test_save_roll_refuses_more_serving_than_seats_and_dropping_the_chair():
    meeting = serving_meeting(n_members=3, n_items=2, n_substitutes=1, seats=2)
    chair, *others = members(meeting)
    with pytest.raises(ValidationError) as refused:
        services.save_roll(
            meeting, rows=[services.RollRow(person=p, function=AttendanceFunction.SERVING) for p in others]
        )
    with pytest.raises(ValidationError) as crowded:
        services.save_roll(meeting, rows=rows_of(meeting))
    assert (list(refused.value.message_dict), list(crowded.value.message_dict)) == (["__all__"], ["__all__"])
    assert chair.full_name in refused.value.messages[0]


def test_save_roll_refuses_two_substitutes_in_one_place():
    meeting = serving_meeting(n_members=3, n_items=2, n_substitutes=2, seats=5)
    first, second = substitutes(meeting)
    absent = members(meeting)[2]
    rows = rows_of(meeting)[:2] + [
        services.RollRow(person=first, function=AttendanceFunction.SERVING, replaces=absent),
        services.RollRow(person=second, function=AttendanceFunction.SERVING, replaces=absent, from_number=2),
    ]
    with pytest.raises(ValidationError) as refused:
        services.save_roll(meeting, rows=rows)
    assert list(refused.value.message_dict) == ["rows[3].replaces"]


def test_add_other_present_needs_a_name():
    meeting = serving_meeting(n_members=3, n_items=1)
    with pytest.raises(ValidationError) as refused:
        services.add_other_present(meeting, first_name=" ", last_name="Ek", title="x" * 121)
    assert (sorted(refused.value.message_dict), meeting.attendances.count()) == (["first_name", "title"], 3)


# The meeting's own fields


def details(meeting: Meeting, **changes) -> dict[str, str]:
    data = {
        "version": str(meeting.version),
        "date": "2016-09-20",
        "start_time": "18:00",
        "end_time": "20:30",
        "place": "Sammanträdesrummet",
        "chair": str(meeting.chair_id),
        "secretary": "",
        "adjusters": [str(members(meeting)[1].pk)],
        "adjustment_at": "2016-09-27T15:00",
        "adjustment_place": "Förvaltningen",
    }
    data.update(changes)
    return data


def test_the_secretary_saves_the_meetings_fields(client, meeting, secretary):
    keeper = Person.objects.create(first_name="Helena", last_name="Wik")
    Attendance.objects.create(meeting=meeting, person=keeper, function=AttendanceFunction.OTHER, position=50)
    adjusters = [members(meeting)[2], members(meeting)[1]]
    client.force_login(secretary)
    response = client.post(
        reverse("minutes:meeting-edit", args=[meeting.pk]),
        details(meeting, secretary=str(keeper.pk), adjusters=[str(p.pk) for p in adjusters], date="2016-09-21"),
    )
    assert response["Location"] == reverse("minutes:meeting-detail", args=[meeting.pk])
    meeting.refresh_from_db()
    assert (
        meeting.date,
        meeting.start_time,
        meeting.end_time,
        meeting.place,
        meeting.secretary,
        [a.person for a in Adjuster.objects.filter(meeting=meeting)],
        timezone.localtime(meeting.adjustment_at).replace(tzinfo=None),
        meeting.adjustment_place,
    ) == (
        datetime.date(2016, 9, 21),
        datetime.time(18, 0),
        datetime.time(20, 30),
        "Sammanträdesrummet",
        keeper,
        [members(meeting)[1], members(meeting)[2]],  # in roll order
        datetime.datetime(2016, 9, 27, 15, 0),
        "Förvaltningen",
    )


def test_an_impossible_date_is_refused_at_the_field_in_swedish(client, meeting, secretary):
    client.force_login(secretary)
    response = client.post(reverse("minutes:meeting-edit", args=[meeting.pk]), details(meeting, date="2016-02-30"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Fyll i ett giltigt datum." in page.split('id="div_id_date"')[1].split('id="div_id_start_time"')[0]
    assert Meeting.objects.get(pk=meeting.pk).date == datetime.date(2016, 9, 20)


def test_the_services_rules_are_shown_at_their_fields(client, meeting, secretary):
    substitute = substitutes(meeting)[0]
    client.force_login(secretary)
    response = client.post(
        reverse("minutes:meeting-edit", args=[meeting.pk]),
        details(
            meeting,
            start_time="20:00",
            end_time="18:00",
            adjustment_at="2016-10-20T10:00",
            place="Nytt rum",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert (error_at(page, "id_end_time"), error_at(page, "id_adjustment_at")) == (
        swedish("The meeting cannot end before it starts."),
        swedish("The protocol must be adjusted within 14 days of the meeting, by %(deadline)s.")
        % {"deadline": "2016-10-04"},
    )
    assert Meeting.objects.get(pk=meeting.pk).place == "Bromma stadsdelsförvaltning"
    with pytest.raises(ValidationError) as refused:
        services.save_meeting_details(
            meeting,
            date=meeting.date,
            start_time=None,
            end_time=None,
            place="",
            chair=substitute,
            secretary=None,
            adjusters=[substitute],
            adjustment_at=None,
            adjustment_place="",
        )
    assert sorted(refused.value.message_dict) == ["adjusters", "chair"]


def test_html_in_the_place_is_stored_as_text_and_shown_escaped(client, meeting, secretary):
    client.force_login(secretary)
    client.post(reverse("minutes:meeting-edit", args=[meeting.pk]), details(meeting, place="<script>alert(1)</script>"))
    page = client.get(reverse("minutes:meeting-detail", args=[meeting.pk])).content.decode()
    assert Meeting.objects.get(pk=meeting.pk).place == "<script>alert(1)</script>"
    assert ("&lt;script&gt;alert(1)&lt;/script&gt;" in page, "<script>alert(1)" in page) == (True, False)


def test_moving_a_meeting_renumbers_a_year_that_runs_on():
    meeting = serving_meeting(n_members=3, n_items=2, numbering="per_year")
    later = serving_meeting(n_members=0, n_items=0)
    Meeting.objects.filter(pk=later.pk).update(committee=meeting.committee, number=2, date=datetime.date(2016, 10, 1))
    ItemFactory(meeting=later, number=3)
    services.save_meeting_details(
        meeting,
        date=datetime.date(2016, 10, 5),
        start_time=None,
        end_time=None,
        place="",
        chair=meeting.chair,
        secretary=None,
        adjusters=[],
        adjustment_at=None,
        adjustment_place="",
    )
    assert (
        list(meeting.items.order_by("position").values_list("number", flat=True)),
        list(later.items.values_list("number", flat=True)),
    ) == ([2, 3], [1])
