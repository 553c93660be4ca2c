"""The voting list follows the roll: a substitute sits in the seat of the member they serve for."""

from minutes.attendance import Presence, Replacement, roll_order, serving_ids
from minutes.models import AttendanceFunction

SERVING = AttendanceFunction.SERVING
NON_SERVING = AttendanceFunction.NON_SERVING
# Members 1-5 hold seats 0-4; 11 and 12 are substitutes (seats 20, 21 on the committee's roll).
SEATS = {1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 11: 20, 12: 21}


def test_a_substitute_for_an_absent_member_sits_in_that_member_s_seat():
    presences = [Presence(1, SERVING), Presence(2, SERVING), Presence(4, SERVING), Presence(5, SERVING)]
    presences.append(Presence(11, SERVING, replaces_id=3))  # member 3 is absent: not on the roll at all
    serving = serving_ids(presences, [], 1)
    assert serving == [1, 2, 4, 5, 11]
    assert roll_order(serving, presences, [], SEATS, 1) == [1, 2, 11, 4, 5]


def test_a_substitute_for_the_first_member_comes_first():
    presences = [Presence(2, SERVING), Presence(3, SERVING), Presence(11, SERVING, replaces_id=1)]
    assert roll_order(serving_ids(presences, [], 1), presences, [], SEATS, 1) == [11, 2, 3]


def test_a_substitute_for_a_recused_member_takes_their_place_on_that_item_only():
    presences = [Presence(p, SERVING) for p in (1, 2, 3, 4, 5)] + [Presence(12, NON_SERVING)]
    recusals = [Replacement(2, 12)]
    serving = serving_ids(presences, recusals, 3)
    assert serving == [1, 3, 4, 5, 12]
    assert roll_order(serving, presences, recusals, SEATS, 3) == [1, 12, 3, 4, 5]


def test_a_late_member_and_the_substitute_before_them_share_the_seat():
    # Substitute 11 serves for member 4 on §§ at positions 1-2; member 4 arrives and serves from 3.
    presences = [Presence(p, SERVING) for p in (1, 2, 3)] + [Presence(4, SERVING, first=3), Presence(5, SERVING)]
    presences.append(Presence(11, SERVING, replaces_id=4, last=2))
    assert roll_order(serving_ids(presences, [], 1), presences, [], SEATS, 1) == [1, 2, 3, 11, 5]
    assert roll_order(serving_ids(presences, [], 3), presences, [], SEATS, 3) == [1, 2, 3, 4, 5]


def test_without_substitutes_the_roll_order_stands():
    presences = [Presence(p, SERVING) for p in (5, 3, 1)]
    assert roll_order([5, 3, 1], presences, [], SEATS, 1) == [5, 3, 1]
