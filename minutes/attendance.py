"""Who serves on which §: pure functions over attendance rows, shared by rules and snapshot."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from minutes.models.meeting import AttendanceFunction


@dataclass(frozen=True)
class Presence:
    person_id: int
    function: str
    replaces_id: int | None = None
    first: int | None = None  # position of the first § covered; None = from the start
    last: int | None = None  # position of the last § covered; None = to the end

    def covers(self, position: int) -> bool:
        return (self.first is None or self.first <= position) and (self.last is None or position <= self.last)


@dataclass(frozen=True)
class Replacement:
    """A recusal seen from the roll: who stepped out, and who served instead."""

    person_id: int
    substitute_id: int | None


def serving_ids(presences: Iterable[Presence], recusals: Iterable[Replacement], position: int) -> list[int]:
    """The people with a vote on the § at `position`, in roll order.

    A recused member neither serves nor counts toward the quorum; their substitute, if one
    was named, serves in their place for that § only (KL 6:28-32).
    """
    recusals = list(recusals)
    recused = {r.person_id for r in recusals}
    ids = [
        p.person_id
        for p in presences
        if p.function == AttendanceFunction.SERVING and p.covers(position) and p.person_id not in recused
    ]
    for recusal in recusals:
        if recusal.substitute_id and recusal.substitute_id not in ids:
            ids.append(recusal.substitute_id)
    return ids


def roll_order(
    serving: list[int],
    presences: Iterable[Presence],
    recusals: Iterable[Replacement],
    seats: dict[int, int],
    position: int,
) -> list[int]:
    """`serving` in roll order, each substitute in the place of the member they serve for.

    The voting list follows the roll, and a substitute sits in the seat of the member they serve
    for: one whose member is absent is listed where that member would be, not last.

        `presences` are the roll's lines in their order, `seats` the order on the committee's roll
        (membership position) by person: it places a replaced member who is not on the meeting's
        roll at all (absent) among those who are.
    """
    presences = list(presences)
    seat_holder = {r.substitute_id: r.person_id for r in recusals if r.substitute_id}
    for presence in presences:
        if presence.function == AttendanceFunction.SERVING and presence.replaces_id and presence.covers(position):
            seat_holder.setdefault(presence.person_id, presence.replaces_id)
    order = list(dict.fromkeys(p.person_id for p in presences))
    for person_id in serving:
        holder = seat_holder.get(person_id, person_id)
        if holder in order:
            continue
        seat = seats.get(holder)
        after = [pid for pid in order if seat is not None and pid in seats and seats[pid] > seat]
        order.insert(order.index(after[0]) if after else len(order), holder)
    place = {pid: index for index, pid in enumerate(order)}

    def key(item: tuple[int, int]) -> tuple[int, int, int]:
        index, person_id = item
        holder = seat_holder.get(person_id, person_id)
        return (place[holder], 0 if holder == person_id else 1, index)

    return [person_id for _index, person_id in sorted(enumerate(serving), key=key)]


def present_ids(presences: Iterable[Presence], position: int) -> set[int]:
    """Everyone in the room for the § at `position`, whatever their function."""
    return {p.person_id for p in presences if p.covers(position)}


# Arrivals and departures by the clock. A § without a start time of its own is taken to start
# when the § before it did (or the meeting, for the first): times are usually noted only where
# someone came or went. A line given by time whose § is not yet there covers no § for now.

AFTER_EVERY_ITEM = 32767  # a first position no § reaches: arrived after every § so far
BEFORE_EVERY_ITEM = -1  # a last position before every §: left before the first


def item_starts(items: Iterable[tuple[int, datetime.time | None]], meeting_start: datetime.time | None):
    """(position, start) for each § in order, a missing start inherited from the § before."""
    starts: list[tuple[int, datetime.time | None]] = []
    current = meeting_start
    for position, started_at in sorted(items, key=lambda pair: pair[0]):
        current = started_at or current
        starts.append((position, current))
    return starts


def first_at(at: datetime.time, starts: list[tuple[int, datetime.time | None]]) -> int | None:
    """The position of the first § started at or after `at`: someone arriving then serves from it."""
    return next((position for position, start in starts if start is not None and start >= at), None)


def last_before(at: datetime.time, starts: list[tuple[int, datetime.time | None]]) -> int | None:
    """The position of the last § started before `at`: someone leaving then served up to it."""
    return next((position for position, start in reversed(starts) if start is None or start < at), None)


def span(
    first: int | None,
    last: int | None,
    from_time: datetime.time | None,
    to_time: datetime.time | None,
    pending_first: int | None = None,
) -> tuple[int | None, int | None]:
    """A line's (first, last) positions: a time or a § that reached no § yet covers none rather than all.

    (A last § not yet added needs nothing: the line then runs to the end, past every § there is.)
    """
    if first is None and (from_time is not None or pending_first is not None):
        first = AFTER_EVERY_ITEM
    if last is None and to_time is not None:
        last = BEFORE_EVERY_ITEM
    return first, last
