"""The services: what they write, how they number §§, and that a broken rule leaves nothing behind."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from committee.models import NumberingScheme, Role
from minutes.models import (
    Attendance,
    AttendanceFunction,
    Ballot,
    Item,
    Meeting,
    MeetingStatus,
    Motion,
    MotionKind,
    MotionMover,
    PropositionKind,
    Reservation,
    ReservationMember,
    StatementKind,
)
from minutes.services import (
    StaleEdit,
    add_item,
    add_motion,
    add_reservation,
    add_statement,
    create_meeting,
    move_item,
    record_proposition,
    record_recusal,
    record_vote,
    remove_item,
    remove_part,
    renumber,
    save_item,
    set_wording,
)
from tests.factories import (
    AttendanceFactory,
    CommitteeFactory,
    ItemFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    serving_meeting,
)

pytestmark = pytest.mark.django_db


def numbered(meeting: Meeting) -> list[tuple[int, int, str]]:
    return list(meeting.items.order_by("position").values_list("position", "number", "title"))


def members(meeting: Meeting) -> list:
    return [attendance.person for attendance in meeting.attendances.order_by("position")]


def row_counts() -> dict[str, int]:
    models = [Item, Attendance, Motion, MotionMover, Ballot, Reservation, ReservationMember]
    return {model.__name__: model.objects.count() for model in models}


# create_meeting


def test_create_meeting_puts_the_members_in_force_on_the_roll():
    committee = CommitteeFactory()
    day = datetime.date(2016, 9, 22)
    chair = MembershipFactory(committee=committee, role=Role.CHAIR, position=1).person
    vice = MembershipFactory(committee=committee, role=Role.FIRST_VICE_CHAIR, position=2).person
    member = MembershipFactory(
        committee=committee, role=Role.MEMBER, position=3, start=datetime.date(2015, 1, 1)
    ).person
    MembershipFactory(committee=committee, role=Role.SUBSTITUTE, position=4)
    MembershipFactory(committee=committee, role=Role.MEMBER, position=5, end=datetime.date(2016, 6, 30))
    MembershipFactory(committee=committee, role=Role.MEMBER, position=6, start=datetime.date(2016, 10, 1))

    meeting = create_meeting(committee=committee, date=day, place="Årsta")

    roll = meeting.attendances.order_by("position")
    assert [(row.person, row.function) for row in roll] == [
        (chair, AttendanceFunction.SERVING),
        (vice, AttendanceFunction.SERVING),
        (member, AttendanceFunction.SERVING),
    ]
    assert (meeting.chair, meeting.number, meeting.status, meeting.place) == (chair, 1, MeetingStatus.DRAFT, "Årsta")


def test_create_meeting_numbers_on_from_the_last_meeting_of_the_year():
    committee = CommitteeFactory()
    MeetingFactory(committee=committee, date=datetime.date(2016, 2, 1), number=3)
    MeetingFactory(committee=committee, date=datetime.date(2015, 12, 1), number=11)

    meeting = create_meeting(committee=committee, date=datetime.date(2016, 9, 22), prefill_roll=False)

    assert (meeting.number, meeting.attendances.count(), meeting.chair) == (4, 0, None)


def test_create_meeting_refuses_a_number_taken_in_the_year():
    committee = CommitteeFactory()
    MeetingFactory(committee=committee, date=datetime.date(2016, 2, 1), number=3)

    with pytest.raises(ValidationError) as raised:
        create_meeting(committee=committee, date=datetime.date(2016, 9, 22), number=3)

    assert raised.value.message_dict == {"number": ["Sammanträde 3/2016 finns redan."]}
    assert Meeting.objects.count() == 1


# Numbering within a meeting


def test_add_item_appends_and_numbers():
    meeting = serving_meeting(n_items=0)

    add_item(meeting, title="Anmälan av protokoll")
    item = add_item(meeting, title="Budget", dnr="1.2.3-4/2016")

    assert numbered(meeting) == [(1, 1, "Anmälan av protokoll"), (2, 2, "Budget")]
    assert (item.number, item.dnr) == (2, "1.2.3-4/2016")


def test_add_item_refuses_the_numbering_fields():
    meeting = serving_meeting(n_items=0)

    with pytest.raises(TypeError):
        add_item(meeting, title="A", number=7)

    assert meeting.items.count() == 0


def test_add_item_checks_the_model():
    meeting = serving_meeting(n_items=0)

    with pytest.raises(ValidationError) as raised:
        add_item(meeting, title="Individärende", confidential=True)

    assert list(raised.value.message_dict) == ["__all__"]
    assert meeting.items.count() == 0


def test_add_item_bumps_the_meeting_version():
    meeting = serving_meeting(n_items=0)

    add_item(meeting, title="A")

    meeting.refresh_from_db()
    assert meeting.version == 2


def test_move_item_renumbers_by_position():
    meeting = serving_meeting(n_items=0)
    for title in "ABCD":
        add_item(meeting, title=title)

    move_item(meeting.items.get(title="D"), to_position=2)

    assert numbered(meeting) == [(1, 1, "A"), (2, 2, "D"), (3, 3, "B"), (4, 4, "C")]


def test_move_item_outside_the_meeting_is_refused():
    meeting = serving_meeting(n_items=2)

    with pytest.raises(ValidationError) as raised:
        move_item(meeting.items.first(), to_position=3)

    assert raised.value.message_dict == {"position": ["Välj en plats från 1 till 2."]}


def test_remove_item_closes_the_gap():
    meeting = serving_meeting(n_items=0)
    for title in "ABC":
        add_item(meeting, title=title)

    remove_item(meeting.items.get(title="B"))

    assert numbered(meeting) == [(1, 1, "A"), (2, 2, "C")]


def test_remove_item_keeps_who_served_on_the_other_items():
    meeting = serving_meeting(n_members=5, n_items=4)
    _first, second, third, _fourth = meeting.items.order_by("position")
    substitute = MembershipFactory(committee=meeting.committee, role=Role.SUBSTITUTE).person
    late = AttendanceFactory(meeting=meeting, person=substitute, from_item=second, to_item=third)
    only_third = AttendanceFactory(meeting=meeting, person=PersonFactory(), from_item=third, to_item=third)

    remove_item(third)

    late.refresh_from_db()
    assert (late.from_item, late.to_item) == (second, second)
    assert Attendance.objects.filter(pk=only_third.pk).count() == 0
    assert [(position, number) for position, number, _title in numbered(meeting)] == [(1, 1), (2, 2), (3, 3)]


def test_renumber_closes_gaps_left_by_hand():
    meeting = serving_meeting(n_items=0)
    for position, title in [(3, "A"), (7, "B"), (9, "C")]:
        ItemFactory(meeting=meeting, position=position, number=position * 10, title=title)

    renumber(meeting)

    assert numbered(meeting) == [(1, 1, "A"), (2, 2, "B"), (3, 3, "C")]


# Numbering through the year


def per_year_meetings(*dates: datetime.date) -> list[Meeting]:
    committee = CommitteeFactory(numbering=NumberingScheme.PER_YEAR)
    return [create_meeting(committee=committee, date=date, prefill_roll=False) for date in dates]


def test_per_year_numbers_run_on_from_the_earlier_meetings():
    january, march = per_year_meetings(datetime.date(2016, 1, 20), datetime.date(2016, 3, 10))
    for title in "ABC":
        add_item(january, title=title)

    add_item(march, title="D")
    add_item(march, title="E")

    assert (numbered(january), numbered(march)) == (
        [(1, 1, "A"), (2, 2, "B"), (3, 3, "C")],
        [(1, 4, "D"), (2, 5, "E")],
    )


def test_per_year_numbers_start_again_in_a_new_year():
    december, january = per_year_meetings(datetime.date(2015, 12, 10), datetime.date(2016, 1, 20))
    add_item(december, title="A")

    add_item(january, title="B")

    assert numbered(january) == [(1, 1, "B")]


def test_per_year_numbers_cascade_to_later_draft_meetings():
    january, march, may = per_year_meetings(
        datetime.date(2016, 1, 20), datetime.date(2016, 3, 10), datetime.date(2016, 5, 5)
    )
    add_item(january, title="A")
    add_item(march, title="B")
    add_item(may, title="C")

    add_item(january, title="A2")
    remove_item(march.items.get(title="B"))

    assert (numbered(january), numbered(march), numbered(may)) == ([(1, 1, "A"), (2, 2, "A2")], [], [(1, 3, "C")])
    may.refresh_from_db()
    assert may.version == 4  # its own § and the two renumberings that reached it


def test_per_year_meetings_on_the_same_day_go_by_number():
    first, second = per_year_meetings(datetime.date(2016, 3, 10), datetime.date(2016, 3, 10))
    add_item(second, title="B")

    add_item(first, title="A")

    assert (numbered(first), numbered(second)) == ([(1, 1, "A")], [(1, 2, "B")])


def test_per_year_renumbering_cannot_clash_with_an_adjusted_meeting():
    january, march = per_year_meetings(datetime.date(2016, 1, 20), datetime.date(2016, 3, 10))
    add_item(january, title="A")
    add_item(march, title="B")
    Meeting.objects.filter(pk=march.pk).update(status=MeetingStatus.ADJUSTED)
    before = row_counts()

    with pytest.raises(ValidationError) as raised:
        add_item(january, title="A2")

    assert raised.value.message_dict == {"number": ["§ 2 används redan."]}
    assert (row_counts(), numbered(january)) == (before, [(1, 1, "A")])


# Optimistic locking


def test_save_item_saves_and_bumps_the_version():
    item = serving_meeting().items.get()

    saved = save_item(item, expected_version=1, title="Ny titel", decision="Nämnden godkänner.")

    item.refresh_from_db()
    assert (item.title, item.decision, item.version, saved.version) == ("Ny titel", "Nämnden godkänner.", 2, 2)


def test_save_item_on_a_stale_version_raises_with_the_stored_item():
    item = serving_meeting().items.get()
    save_item(item, expected_version=1, title="Först")

    with pytest.raises(StaleEdit) as raised:
        save_item(item, expected_version=1, title="Sist")

    assert (raised.value.current.title, raised.value.current.version) == ("Först", 2)
    item.refresh_from_db()
    assert item.title == "Först"


def test_a_part_of_the_item_makes_an_open_edit_stale():
    meeting = serving_meeting()
    item = meeting.items.get()
    add_motion(item, kind=MotionKind.APPROVE, movers=[(members(meeting)[0], False)])

    with pytest.raises(StaleEdit):
        save_item(item, expected_version=1, title="Sist")


def test_save_item_checks_the_model():
    item = serving_meeting().items.get()

    with pytest.raises(ValidationError) as raised:
        save_item(item, expected_version=1, confidential=True)

    assert list(raised.value.message_dict) == ["__all__"]
    item.refresh_from_db()
    assert (item.confidential, item.version) == (False, 1)


# Only drafts can change


@pytest.mark.parametrize("status", [MeetingStatus.LOCKED, MeetingStatus.ADJUSTED, MeetingStatus.ANNOUNCED])
def test_services_refuse_a_meeting_that_is_not_a_draft(status):
    meeting = serving_meeting()
    item = meeting.items.get()
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    before = row_counts()

    refused = []
    for attempt in [
        lambda: add_item(meeting, title="B"),
        lambda: save_item(item, expected_version=1, title="B"),
        lambda: add_motion(item, kind=MotionKind.APPROVE, movers=[(members(meeting)[0], False)]),
        lambda: remove_item(item),
        lambda: renumber(meeting),
    ]:
        with pytest.raises(ValidationError) as raised:
            attempt()
        refused.append(raised.value.code)

    assert refused == ["not_editable"] * 5
    assert row_counts() == before


# A broken rule leaves the database as it was


def test_failing_motion_leaves_no_rows():
    meeting = serving_meeting()
    item = meeting.items.get()
    people = members(meeting)
    record_recusal(item, people[2])
    before = row_counts()

    with pytest.raises(ValidationError):
        add_motion(item, kind=MotionKind.APPROVE, movers=[(people[0], True), (people[1], False), (people[2], False)])

    assert row_counts() == before
    item.refresh_from_db()
    assert item.version == 2  # the recusal's bump, not the failed motion's


def test_failing_vote_leaves_the_earlier_vote():
    meeting = serving_meeting(n_members=3)
    item = meeting.items.get()
    a, b, c = members(meeting)
    approve = add_motion(item, kind=MotionKind.APPROVE, movers=[(a, False)])
    reject = add_motion(item, kind=MotionKind.REJECT, movers=[(b, False)])
    proposition = record_proposition(item, kind=PropositionKind.AGAINST_EACH_OTHER, outcome=approve)
    record_vote(proposition, yes_motion=approve, no_motion=reject, ballots={a: "yes", b: "no", c: "yes"})
    before = row_counts()

    with pytest.raises(ValidationError):
        record_vote(proposition, yes_motion=approve, no_motion=reject, ballots={a: "yes", b: "no"})

    assert row_counts() == before
    assert sorted(proposition.ballots.values_list("choice", flat=True)) == ["no", "yes", "yes"]


def test_failing_reservation_leaves_no_rows():
    meeting = serving_meeting()
    item = meeting.items.get()
    people = members(meeting)
    outsider = MembershipFactory(committee=meeting.committee, role=Role.SUBSTITUTE).person
    before = row_counts()

    with pytest.raises(ValidationError):
        add_reservation(item, members=[people[1], (people[2], True), outsider])

    assert row_counts() == before


def test_statement_by_anyone_present_is_recorded():
    meeting = serving_meeting()
    item = meeting.items.get()
    substitute = MembershipFactory(committee=meeting.committee, role=Role.SUBSTITUTE).person
    AttendanceFactory(meeting=meeting, person=substitute, function=AttendanceFunction.NON_SERVING)

    statement = add_statement(item, kind=StatementKind.SPECIAL, authors=[(substitute, True)], text="Vi anser ...")

    assert [(a.person, a.with_others) for a in statement.authors.all()] == [(substitute, True)]


# Wording and removal of a part


def test_set_wording_overrides_the_sentence_and_bumps_the_item():
    meeting = serving_meeting()
    item = meeting.items.get()
    recusal = record_recusal(item, members(meeting)[3])

    set_wording(recusal, wording="X anmälde jäv.")

    recusal.refresh_from_db()
    item.refresh_from_db()
    assert (recusal.wording, item.version) == ("X anmälde jäv.", 3)


def test_remove_part_that_a_proposition_relies_on_is_refused():
    meeting = serving_meeting()
    item = meeting.items.get()
    motion = add_motion(item, kind=MotionKind.APPROVE, movers=[(members(meeting)[0], False)])
    record_proposition(item, kind=PropositionKind.SINGLE, outcome=motion)

    with pytest.raises(ValidationError) as raised:
        remove_part(motion)

    assert raised.value.message_dict == {
        "propositions[0].outcome": ["Ange vilket yrkande ordföranden fann bifallet, eller att det avslogs."]
    }
    assert list(item.motions.all()) == [motion]


def test_remove_part_removes_a_recusal():
    meeting = serving_meeting()
    item = meeting.items.get()
    recusal = record_recusal(item, members(meeting)[3])

    remove_part(recusal)

    assert item.recusals.count() == 0
