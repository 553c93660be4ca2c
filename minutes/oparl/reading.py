"""Gather for a page of the API: many published meetings read into protocol snapshots at once.

A published protocol is adjusted, so its snapshot is the one frozen at its adjustment
(`minutes.protocol.adjusted`): the API serves what was adjusted, whatever the registers say
now. Those are read for all the meetings in one query, with the ids of their §§ in another.

A protocol adjusted before snapshots were frozen is read as it stands: `read_meeting` reads one
meeting in 14 queries, so this reads the same rows for all such meetings together, in a fixed
number of queries whatever their number, and hands each meeting's rows to the pipeline's own
`snapshot_of`. Either way the text the API serves is made by exactly the code that makes the
protocol.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from committee.models import Membership
from minutes.attendance import Presence, span
from minutes.models import (
    Adjuster,
    Attendance,
    Ballot,
    Item,
    Meeting,
    Motion,
    MotionMover,
    Proposition,
    Recusal,
    Reservation,
    ReservationMember,
    Statement,
    StatementAuthor,
)
from minutes.protocol.adjusted import adjusted_protocols
from minutes.protocol.snapshot import ROLE_RANK, MeetingRows, ProtocolSnapshot, grouped, snapshot_of

# What a snapshot never reads of the people it names: left in the database, a page of meetings
# decodes a thousand timestamps and identifiers fewer.
UNREAD = ("created", "modified", "uid", "user")


def _named(rows: QuerySet, *people: str) -> QuerySet:
    """The rows with the people at `people` (paths) joined, but only their names read."""
    return rows.select_related(*people).defer(*(f"{path}__{name}" for path in people for name in UNREAD))


def _by(rows: Iterable, key) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    for row in rows:
        found[key(row)].append(row)
    return found


@dataclass(frozen=True)
class MeetingRead:
    snapshot: ProtocolSnapshot
    committee_id: int
    committee_slug: str
    item_ids: dict[int, int]  # every § of the meeting: its id by its number
    confidential: frozenset[int]  # the numbers of its confidential §§


def read_snapshots(meeting_ids: Iterable[int]) -> dict[int, MeetingRead]:
    """The whole snapshots of the meetings, by meeting id, in 3 queries (15 with any not frozen) whatever their size."""
    chosen = Meeting.objects.filter(pk__in=list(meeting_ids)).select_related("committee")
    meetings = list(_named(chosen, "chair", "secretary"))
    if not meetings:
        return {}
    frozen = adjusted_protocols(meeting.pk for meeting in meetings)
    unfrozen = [meeting for meeting in meetings if meeting.pk not in frozen]
    items = Item.objects.filter(meeting_id__in=[m.pk for m in meetings]).order_by("position")
    every_item = _by(items if unfrozen else items.only("meeting_id", "number"), _meeting_id)
    snapshots = {pk: found.snapshot for pk, found in frozen.items()}
    if unfrozen:
        snapshots.update(_read_as_they_stand(unfrozen, every_item))
    return {
        meeting.pk: MeetingRead(
            snapshots[meeting.pk],
            meeting.committee_id,
            meeting.committee.slug,
            {item.number: item.pk for item in every_item.get(meeting.pk, [])},
            frozenset(item.number for item in snapshots[meeting.pk].items if item.confidential),
        )
        for meeting in meetings
    }


def _meeting_id(row) -> int:
    return row.meeting_id


def _read_as_they_stand(meetings: list[Meeting], every_item: dict[int, list[Item]]) -> dict[int, ProtocolSnapshot]:
    """The snapshots of meetings with no frozen one, from their rows as they are now, in 12 queries."""
    ids = [meeting.pk for meeting in meetings]
    first, last = min(m.date for m in meetings), max(m.date for m in meetings)
    committee_memberships = _by(
        Membership.objects.filter(committee__in={m.committee_id for m in meetings})
        .filter(Q(start__lte=last) | Q(start__isnull=True), Q(end__gte=first) | Q(end__isnull=True))
        .select_related("party")
        .defer("created", "modified", "party__created", "party__modified"),
        lambda row: row.committee_id,
    )
    attendance = _by(
        _named(Attendance.objects.filter(meeting_id__in=ids), "person", "replaces").order_by("position", "id"),
        lambda row: row.meeting_id,
    )
    adjusters = _by(_named(Adjuster.objects.filter(meeting_id__in=ids), "person"), lambda row: row.meeting_id)
    # The parts of the §§ by their meetings (a join each), not by the ids of hundreds of §§.
    motions = grouped(Motion.objects.filter(item__meeting_id__in=ids).order_by("position", "id"), "item_id")
    movers = grouped(_named(MotionMover.objects.filter(motion__item__meeting_id__in=ids), "person"), "motion_id")
    propositions = grouped(Proposition.objects.filter(item__meeting_id__in=ids).order_by("position", "id"), "item_id")
    ballots = grouped(
        _named(Ballot.objects.filter(proposition__item__meeting_id__in=ids), "person").order_by("id"),
        "proposition_id",
    )
    recusals = grouped(
        _named(Recusal.objects.filter(item__meeting_id__in=ids), "person", "substitute").order_by("id"),
        "item_id",
    )
    reservations = grouped(Reservation.objects.filter(item__meeting_id__in=ids).order_by("position", "id"), "item_id")
    reservers = grouped(
        _named(ReservationMember.objects.filter(reservation__item__meeting_id__in=ids), "person"),
        "reservation_id",
    )
    statements = grouped(Statement.objects.filter(item__meeting_id__in=ids).order_by("position", "id"), "item_id")
    authors = grouped(
        _named(StatementAuthor.objects.filter(statement__item__meeting_id__in=ids), "person"), "statement_id"
    )

    snapshots: dict[int, ProtocolSnapshot] = {}
    for meeting in meetings:
        held: dict[int, Membership] = {}
        for membership in committee_memberships.get(meeting.committee_id, []):
            if (membership.start is not None and membership.start > meeting.date) or (
                membership.end is not None and membership.end < meeting.date
            ):
                continue
            before = held.get(membership.person_id)
            if before is None or ROLE_RANK.index(membership.role) < ROLE_RANK.index(before.role):
                held[membership.person_id] = membership
        items = every_item.get(meeting.pk, [])
        position_of = {item.pk: item.position for item in items}
        rows = attendance.get(meeting.pk, [])
        snapshots[meeting.pk] = snapshot_of(
            MeetingRows(
                meeting=meeting,
                memberships=held,
                items=items,
                position_of=position_of,
                number_of={item.pk: item.number for item in items},
                attendance=rows,
                presences=[
                    Presence(
                        person_id=row.person_id,
                        function=row.function,
                        replaces_id=row.replaces_id,
                        first=first,
                        last=last,
                    )
                    for row in rows
                    for first, last in [
                        span(
                            position_of.get(row.from_item_id),
                            position_of.get(row.to_item_id),
                            row.from_time,
                            row.to_time,
                            row.pending_from_number,
                        )
                    ]
                ],
                adjusters=adjusters.get(meeting.pk, []),
                motions=motions,
                movers=movers,
                propositions=propositions,
                ballots=ballots,
                recusals=recusals,
                reservations=reservations,
                reservers=reservers,
                statements=statements,
                authors=authors,
            )
        )
    return snapshots
