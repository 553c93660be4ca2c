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


def present_ids(presences: Iterable[Presence], position: int) -> set[int]:
    """Everyone in the room for the § at `position`, whatever their function."""
    return {p.person_id for p in presences if p.covers(position)}
