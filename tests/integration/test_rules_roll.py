"""Rules about the roll on one §: substitutes and the members they replace, recusal substitutes, the chair."""

import pytest

from minutes import rules
from minutes.models import AttendanceFunction, Ballot, BallotChoice, MotionKind, Proposition, PropositionKind
from tests.factories import AttendanceFactory, MotionFactory, PersonFactory, RecusalFactory, serving_meeting

pytestmark = pytest.mark.django_db


def problems(item) -> list[str]:
    return [p.where for p in rules.item_problems(item)]


def test_member_and_their_substitute_cannot_both_serve():
    meeting = serving_meeting(n_members=5)
    item = meeting.items.get()
    member = meeting.attendances.first().person
    AttendanceFactory(meeting=meeting, person=PersonFactory(), replaces=member, position=10)
    assert problems(item) == ["attendance"]


def test_recusing_someone_not_serving_is_refused():
    meeting = serving_meeting(n_members=5)
    item = meeting.items.get()
    RecusalFactory(item=item, person=PersonFactory())
    assert problems(item) == ["recusals[0].person"]


def test_recusal_substitute_must_be_a_present_non_serving_substitute():
    meeting = serving_meeting(n_members=5)
    item = meeting.items.get()
    member = meeting.attendances.first().person
    stranger = PersonFactory()
    RecusalFactory(item=item, person=member, substitute=stranger)
    assert problems(item) == ["recusals[0].substitute"]
    AttendanceFactory(meeting=meeting, person=stranger, function=AttendanceFunction.NON_SERVING, position=20)
    assert problems(item) == []


def test_casting_vote_needs_the_chair_serving():
    meeting = serving_meeting(n_members=4)
    item = meeting.items.get()
    people = [a.person for a in meeting.attendances.order_by("position")]
    yes, no = MotionFactory(item=item, kind=MotionKind.APPROVE), MotionFactory(item=item, kind=MotionKind.REJECT)
    for motion, mover in ((yes, people[1]), (no, people[2])):
        motion.movers.create(person=mover, position=0)
    RecusalFactory(item=item, person=people[0])  # the chair steps out
    proposition = Proposition.objects.create(
        item=item, kind=PropositionKind.AGAINST_EACH_OTHER, voted=True, yes_motion=yes, no_motion=no, casting_vote="yes"
    )
    Ballot.objects.create(proposition=proposition, person=people[1], choice=BallotChoice.YES)
    Ballot.objects.create(proposition=proposition, person=people[2], choice=BallotChoice.NO)
    assert problems(item) == ["propositions[0].casting_vote"]
