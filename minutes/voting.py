"""A roll-call vote as the secretary enters it: who votes, under which party, in whose seat.

Pure functions over snapshot values. The order is the snapshot's (`attendance.roll_order`).
"""

from dataclasses import dataclass

from minutes.models import AttendanceFunction
from minutes.protocol import phrases
from minutes.protocol.snapshot import ItemSnapshot, ProtocolSnapshot


@dataclass(frozen=True)
class Voter:
    id: int
    name: str
    party: str  # the abbreviation as at the meeting, "" for none
    replaces: str  # the name of the member whose seat a substitute fills, "" for a member in their own


def voters(item: ItemSnapshot, protocol: ProtocolSnapshot) -> list[Voter]:
    """Who votes on the §, in the order of the voting list, with whose seat each substitute fills."""
    replaces = {r.substitute.id: r.person.name for r in item.recusals if r.substitute}
    for entry in protocol.attendance:
        covers = (entry.from_number is None or entry.from_number <= item.number) and (
            entry.to_number is None or item.number <= entry.to_number
        )
        if entry.function == AttendanceFunction.SERVING and entry.replaces and covers:
            replaces.setdefault(entry.person.id, entry.replaces.name)
    return [Voter(p.id, p.name, p.party, replaces.get(p.id, "")) for p in item.serving]


def decisions(item: ItemSnapshot, protocol: ProtocolSnapshot) -> dict[int, str]:
    """For each motion, what the committee decides if its side wins: "Nämnden beslutade enligt …"."""
    style = protocol.style
    decided = phrases.words(style).decided
    body = phrases.capitalize(style.body_noun)
    return {m.id: f"{body} {decided} {phrases.outcome(m, item, style)}." for m in item.motions}


def sides(item: ItemSnapshot) -> dict[int, list[str]]:
    """For each motion, the parties of those who moved it (alone or "m fl"): the party line of a vote."""
    return {
        m.id: list(dict.fromkeys(mover.person.party for mover in m.movers if mover.person.party)) for m in item.motions
    }
