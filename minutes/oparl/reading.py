"""Gather for a page of the API: many published meetings read into protocol snapshots at once.

`minutes.protocol.snapshot.read_meeting` reads one meeting in 14 queries. A list page names
§§ of several meetings (a page of meetings, all of them), so this reads the same rows for all
those meetings together, in a fixed number of queries whatever their number, and hands each
meeting's rows to the pipeline's own `snapshot_of`: the text the API serves is made by exactly
the code that makes the protocol.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from committee.models import Membership
from minutes.attendance import Presence
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
    """The whole snapshots of the meetings, by meeting id, in 14 queries whatever their number and size."""
    chosen = Meeting.objects.filter(pk__in=list(meeting_ids)).select_related("committee")
    meetings = list(_named(chosen, "chair", "secretary"))
    if not meetings:
        return {}
    ids = [meeting.pk for meeting in meetings]
    first, last = min(m.date for m in meetings), max(m.date for m in meetings)
    committee_memberships = _by(
        Membership.objects.filter(committee__in={m.committee_id for m in meetings})
        .filter(Q(start__lte=last) | Q(start__isnull=True), Q(end__gte=first) | Q(end__isnull=True))
        .select_related("party")
        .defer("created", "modified", "party__created", "party__modified"),
        lambda row: row.committee_id,
    )
    every_item = _by(Item.objects.filter(meeting_id__in=ids).order_by("position"), lambda row: row.meeting_id)
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

    snapshots: dict[int, MeetingRead] = {}
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
        snapshot = snapshot_of(
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
                        first=position_of.get(row.from_item_id),
                        last=position_of.get(row.to_item_id),
                    )
                    for row in rows
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
        snapshots[meeting.pk] = MeetingRead(
            snapshot,
            meeting.committee_id,
            meeting.committee.slug,
            {item.number: item.pk for item in items},
            frozenset(item.number for item in items if item.confidential),
        )
    return snapshots
