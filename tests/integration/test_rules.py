"""The rules of shared/domain.md §2, each through the service that records what it forbids."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from committee.models import NumberingScheme, Role
from minutes import rules
from minutes.models import AttendanceFunction, Ballot, BallotChoice, MotionKind, PropositionKind, Recusal
from minutes.services import (
    add_motion,
    add_reservation,
    quorum_state,
    record_proposition,
    record_recusal,
    record_vote,
)
from tests.factories import (
    AttendanceFactory,
    ItemFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    serving_meeting,
)

pytestmark = pytest.mark.django_db

YES, NO, ABSTAIN = BallotChoice.YES, BallotChoice.NO, BallotChoice.ABSTAIN


def members(meeting) -> list:
    return [attendance.person for attendance in meeting.attendances.order_by("position")]


def substitutes(meeting) -> list:
    memberships = meeting.committee.memberships.filter(role=Role.SUBSTITUTE).order_by("position")
    return [membership.person for membership in memberships]


def errors(raised: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return raised.value.message_dict


def vote_setup(meeting, item=None):
    """Two motions on the §, put against each other, ready for a roll-call vote."""
    item = item or meeting.items.get()
    people = members(meeting)
    approve = add_motion(item, kind=MotionKind.APPROVE, movers=[(people[0], True)])
    reject = add_motion(item, kind=MotionKind.REJECT, movers=[(people[1], True)])
    proposition = record_proposition(item, kind=PropositionKind.AGAINST_EACH_OTHER, outcome=approve)
    return item, approve, reject, proposition


# Recusal


def test_recused_member_cannot_move():
    meeting = serving_meeting()
    item = meeting.items.get()
    recused = members(meeting)[4]
    record_recusal(item, recused)

    with pytest.raises(ValidationError) as raised:
        add_motion(item, kind=MotionKind.APPROVE, movers=[(recused, False)])

    assert errors(raised) == {"motions[0].movers": [f"{recused} är jävig i denna paragraf och kan inte yrka."]}
    assert item.motions.count() == 0


def test_recusal_of_a_mover_is_refused():
    meeting = serving_meeting()
    item = meeting.items.get()
    mover = members(meeting)[4]
    add_motion(item, kind=MotionKind.APPROVE, movers=[(mover, False)])

    with pytest.raises(ValidationError) as raised:
        record_recusal(item, mover)

    assert errors(raised) == {"motions[0].movers": [f"{mover} är jävig i denna paragraf och kan inte yrka."]}
    assert Recusal.objects.count() == 0


def test_recused_member_cannot_vote():
    meeting = serving_meeting()
    item, approve, reject, proposition = vote_setup(meeting)
    people = members(meeting)
    record_recusal(item, people[4])

    with pytest.raises(ValidationError) as raised:
        record_vote(
            proposition, yes_motion=approve, no_motion=reject, ballots={people[4]: YES, people[5]: NO, people[6]: NO}
        )

    assert errors(raised) == {"propositions[0].ballots": [f"{people[4]} är jävig i denna paragraf och kan inte rösta."]}
    assert Ballot.objects.count() == 0


def test_recused_member_cannot_reserve():
    meeting = serving_meeting()
    item, approve, _reject, _proposition = vote_setup(meeting)
    recused = members(meeting)[4]
    record_recusal(item, recused)

    with pytest.raises(ValidationError) as raised:
        add_reservation(item, members=[recused], in_favour_of=approve)

    assert errors(raised) == {
        "reservations[0].members": [f"{recused} är jävig i denna paragraf och kan inte reservera sig."]
    }


def test_substitute_named_on_a_recusal_serves_on_that_item_only():
    meeting = serving_meeting(n_items=2)
    first, second = meeting.items.order_by("position")
    recused, substitute = members(meeting)[4], substitutes(meeting)[0]
    AttendanceFactory(meeting=meeting, person=substitute, function=AttendanceFunction.NON_SERVING)

    record_recusal(first, recused, substitute=substitute)

    assert substitute.pk in rules.serving_on(first)
    assert recused.pk not in rules.serving_on(first)
    assert substitute.pk not in rules.serving_on(second)
    assert recused.pk in rules.serving_on(second)


# Reservation: only those who took part in the decision


def test_member_who_voted_may_reserve():
    meeting = serving_meeting(n_members=5)
    item, approve, reject, proposition = vote_setup(meeting)
    people = members(meeting)
    record_vote(
        proposition,
        yes_motion=approve,
        no_motion=reject,
        ballots={people[0]: YES, people[1]: NO, people[2]: YES, people[3]: NO, people[4]: NO},
    )

    reservation = add_reservation(item, members=[(people[2], True)], in_favour_of=reject)

    assert [(m.person, m.with_others) for m in reservation.members.all()] == [(people[2], True)]


def test_member_who_abstained_in_a_vote_cannot_reserve():
    meeting = serving_meeting(n_members=5)
    item, approve, reject, proposition = vote_setup(meeting)
    people = members(meeting)
    record_vote(
        proposition,
        yes_motion=approve,
        no_motion=reject,
        ballots={people[0]: YES, people[1]: NO, people[2]: YES, people[3]: YES, people[4]: ABSTAIN},
    )

    with pytest.raises(ValidationError) as raised:
        add_reservation(item, members=[people[4]], in_favour_of=reject)

    assert errors(raised) == {
        "reservations[0].members": [f"{people[4]} deltog inte i beslutet och kan inte reservera sig."]
    }


def test_non_serving_substitute_cannot_reserve():
    meeting = serving_meeting()
    item, _approve, reject, _proposition = vote_setup(meeting)
    substitute = substitutes(meeting)[0]
    AttendanceFactory(meeting=meeting, person=substitute, function=AttendanceFunction.NON_SERVING)

    with pytest.raises(ValidationError) as raised:
        add_reservation(item, members=[substitute], in_favour_of=reject)

    assert errors(raised) == {
        "reservations[0].members": [f"{substitute} deltog inte i beslutet och kan inte reservera sig."]
    }


# Ballots: only from members serving on that §


def test_non_serving_substitute_cannot_vote():
    meeting = serving_meeting(n_members=3)
    item, approve, reject, proposition = vote_setup(meeting)
    people = members(meeting)
    substitute = substitutes(meeting)[0]
    AttendanceFactory(meeting=meeting, person=substitute, function=AttendanceFunction.NON_SERVING)

    with pytest.raises(ValidationError) as raised:
        record_vote(
            proposition,
            yes_motion=approve,
            no_motion=reject,
            ballots={people[0]: YES, people[1]: NO, people[2]: YES, substitute: YES},
        )

    assert errors(raised) == {
        "propositions[0].ballots": [f"{substitute} tjänstgör inte i denna paragraf och kan inte rösta."]
    }


def test_absent_person_cannot_vote():
    meeting = serving_meeting(n_members=3)
    item, approve, reject, proposition = vote_setup(meeting)
    people = members(meeting)
    stranger = PersonFactory()

    with pytest.raises(ValidationError) as raised:
        record_vote(
            proposition,
            yes_motion=approve,
            no_motion=reject,
            ballots={people[0]: YES, people[1]: YES, stranger: NO},
        )

    assert errors(raised) == {
        "propositions[0].ballots": [f"{stranger} tjänstgör inte i denna paragraf och kan inte rösta."]
    }


def late_arrival(meeting):
    """Member 5 arrives for § 2; a substitute serves in their place on § 1 only."""
    first, second, third = meeting.items.order_by("position")
    late = members(meeting)[4]
    substitute = substitutes(meeting)[0]
    row = meeting.attendances.get(person=late)
    row.from_item = second
    row.save()
    AttendanceFactory(meeting=meeting, person=substitute, replaces=late, to_item=first)
    AttendanceFactory(meeting=meeting, person=substitute, function=AttendanceFunction.NON_SERVING, from_item=second)
    return late, substitute


def test_substitute_serving_on_a_range_votes_inside_it():
    meeting = serving_meeting(n_members=5, n_items=3)
    late, substitute = late_arrival(meeting)
    first = meeting.items.get(position=1)
    _item, approve, reject, proposition = vote_setup(meeting, first)
    people = members(meeting)

    record_vote(
        proposition,
        yes_motion=approve,
        no_motion=reject,
        ballots={people[0]: YES, people[1]: NO, people[2]: YES, people[3]: NO, substitute: YES},
    )

    assert sorted(proposition.ballots.values_list("person_id", flat=True)) == sorted(
        [people[0].pk, people[1].pk, people[2].pk, people[3].pk, substitute.pk]
    )


def test_substitute_serving_on_a_range_cannot_vote_outside_it():
    meeting = serving_meeting(n_members=5, n_items=3)
    late, substitute = late_arrival(meeting)
    third = meeting.items.get(position=3)
    _item, approve, reject, proposition = vote_setup(meeting, third)
    people = members(meeting)

    with pytest.raises(ValidationError) as raised:
        record_vote(
            proposition,
            yes_motion=approve,
            no_motion=reject,
            ballots={people[0]: YES, people[1]: NO, people[2]: YES, people[3]: NO, substitute: YES},
        )

    assert errors(raised) == {
        "propositions[0].ballots": [f"{substitute} tjänstgör inte i denna paragraf och kan inte rösta."]
    }


def test_late_member_cannot_vote_before_arriving():
    meeting = serving_meeting(n_members=5, n_items=3)
    late, _substitute = late_arrival(meeting)
    first = meeting.items.get(position=1)
    _item, approve, reject, proposition = vote_setup(meeting, first)
    people = members(meeting)

    with pytest.raises(ValidationError) as raised:
        record_vote(proposition, yes_motion=approve, no_motion=reject, ballots={people[0]: YES, late: YES})

    assert errors(raised) == {
        "propositions[0].ballots": [f"{late} tjänstgör inte i denna paragraf och kan inte rösta."]
    }


# Ties and the chair's casting vote


def tied(meeting) -> dict:
    people = members(meeting)
    return {people[0]: YES, people[1]: NO, people[2]: YES, people[3]: NO, people[4]: ABSTAIN}


def test_tie_without_casting_vote_is_refused():
    meeting = serving_meeting(n_members=5)
    _item, approve, reject, proposition = vote_setup(meeting)

    with pytest.raises(ValidationError) as raised:
        record_vote(proposition, yes_motion=approve, no_motion=reject, ballots=tied(meeting))

    assert errors(raised) == {"propositions[0].casting_vote": ["Lika röstetal: ordförandens utslagsröst avgör."]}
    proposition.refresh_from_db()
    assert (proposition.voted, proposition.ballots.count()) == (False, 0)


def test_tie_with_casting_vote_is_recorded():
    meeting = serving_meeting(n_members=5)
    _item, approve, reject, proposition = vote_setup(meeting)

    record_vote(proposition, yes_motion=approve, no_motion=reject, ballots=tied(meeting), casting_vote="yes")

    proposition.refresh_from_db()
    assert (proposition.voted, proposition.casting_vote, proposition.ballots.count()) == (True, "yes", 5)


def test_casting_vote_without_tie_is_refused():
    meeting = serving_meeting(n_members=5)
    _item, approve, reject, proposition = vote_setup(meeting)
    people = members(meeting)
    ballots = {people[0]: YES, people[1]: NO, people[2]: YES, people[3]: YES, people[4]: NO}

    with pytest.raises(ValidationError) as raised:
        record_vote(proposition, yes_motion=approve, no_motion=reject, ballots=ballots, casting_vote="no")

    assert errors(raised) == {
        "propositions[0].casting_vote": ["Röstetalet är inte lika, så ingen utslagsröst ska anges."]
    }


# § numbers


def test_item_number_is_unique_in_the_meeting():
    meeting = serving_meeting(n_items=2)
    first, second = meeting.items.order_by("position")
    ItemFactory(meeting=MeetingFactory(committee=meeting.committee), number=first.number)  # another meeting

    second.number = first.number

    with pytest.raises(ValidationError) as raised:
        rules.check_item(second)
    assert errors(raised) == {"number": [f"§ {first.number} används redan."]}


def test_per_meeting_numbers_repeat_across_meetings():
    meeting = serving_meeting(n_items=1)
    other = ItemFactory(meeting=MeetingFactory(committee=meeting.committee, date=meeting.date), number=1)

    rules.check_item(other)

    assert (meeting.items.get().number, other.number) == (1, 1)


@pytest.mark.parametrize(
    ("other_date", "clash"),
    [(datetime.date(2016, 3, 1), True), (datetime.date(2015, 12, 1), False)],
    ids=["same-year", "other-year"],
)
def test_per_year_numbers_are_unique_in_the_year(other_date, clash):
    meeting = serving_meeting(n_items=1, numbering=NumberingScheme.PER_YEAR)
    other = ItemFactory(meeting=MeetingFactory(committee=meeting.committee, date=other_date), number=1)

    problems = rules.numbering_problems(other)

    assert [problem.message for problem in problems] == (["§ 1 används redan."] if clash else [])


# Quorum: more than half of the seats serving


@pytest.mark.parametrize(("serving", "expected"), [(7, (7, 7, True)), (6, (6, 7, False))])
def test_quorum_needs_more_than_half_of_the_seats(serving, expected):
    meeting = serving_meeting(n_members=serving, seats=13)

    assert quorum_state(meeting.items.get()) == expected


def test_quorum_counts_a_serving_substitute_and_not_a_recused_member():
    meeting = serving_meeting(n_members=7, seats=13, n_items=2)
    first, second = meeting.items.order_by("position")
    people = members(meeting)
    substitute = MembershipFactory(committee=meeting.committee, role=Role.SUBSTITUTE).person
    AttendanceFactory(meeting=meeting, person=substitute, function=AttendanceFunction.NON_SERVING)

    record_recusal(first, people[3])
    record_recusal(second, people[3], substitute=substitute)

    assert (quorum_state(first), quorum_state(second)) == ((6, 7, False), (7, 7, True))
