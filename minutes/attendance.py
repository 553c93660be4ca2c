"""Who serves on which §: pure functions over attendance rows, shared by rules and snapshot."""

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
