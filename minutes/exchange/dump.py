"""Export: a meeting and everything it refers to as one JSON document, the same bytes every time."""

import datetime
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import Membership, Person
from minutes.exchange.schema import FORMAT, VERSION, child, refuse
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
from minutes.protocol import housestyle
from minutes.protocol.snapshot import HouseStyle as StyleData

# The committee's identity, size and house style, in the order the document lists them.
COMMITTEE_FIELDS = (
    "slug",
    "name",
    "short_name",
    "municipality",
    "seats",
    "numbering",
    "tense",
    "body_noun",
    "heading_decision",
    "heading_matter",
    "heading_motions",
    "heading_procedure",
    "heading_reservation",
    "heading_statement",
    "heading_minute_note",
    "protocol_kept_at",
)

Uid = Callable[[Person | None], str | None]


def export_meeting(meeting: Meeting | int) -> str:
    """The document as text: fixed key order, UTF-8 as it is, two-space indent, a final newline."""
    return json.dumps(meeting_document(meeting), ensure_ascii=False, indent=2) + "\n"


def meeting_document(meeting: Meeting | int) -> dict[str, Any]:
    """The meeting, the people it names and the committee members of the day, without database ids."""
    meeting_id = meeting.pk if isinstance(meeting, Meeting) else meeting
    meeting = Meeting.objects.select_related("committee__house_style", "chair", "secretary").get(pk=meeting_id)
    committee = meeting.committee
    people: dict[int, Person] = {}

    def uid(person: Person | None) -> str | None:
        """The person's uid, noting them as one the document must list."""
        if person is None:
            return None
        people[person.pk] = person
        return str(person.uid)

    content = _meeting(meeting, uid)
    for membership in Membership.objects.on(meeting.date).filter(committee=committee).select_related("person"):
        people.setdefault(membership.person_id, membership.person)
    memberships = list(
        Membership.objects.filter(committee=committee, person_id__in=people)
        .select_related("person", "party")
        .order_by("position", "id")
    )
    parties = {m.party.abbreviation: m.party for m in memberships if m.party}
    return {
        "format": FORMAT,
        "version": VERSION,
        "committee": {name: getattr(committee, name) for name in COMMITTEE_FIELDS},
        "style": style_block(meeting),
        "parties": [{"abbreviation": p.abbreviation, "name": p.name} for _a, p in sorted(parties.items())],
        "people": [
            {"uid": str(p.uid), "first_name": p.first_name, "last_name": p.last_name}
            for p in sorted(people.values(), key=lambda p: (p.last_name, p.first_name, str(p.uid)))
        ],
        "memberships": [
            {
                "person": str(m.person.uid),
                "party": m.party.abbreviation if m.party else None,
                "role": m.role,
                "start": _date(m.start),
                "end": _date(m.end),
                "position": m.position,
            }
            for m in memberships
        ],
        "meeting": content,
    }


def style_block(meeting: Meeting) -> dict[str, Any]:
    """The house style the meeting prints with: the adjusted protocol's once it is adjusted, else the committee's."""
    # Imported here: the adjusted protocol stores this module's document, so it imports this module.
    from minutes.protocol.adjusted import adjusted_protocol

    adjusted = adjusted_protocol(meeting)
    style = adjusted.snapshot.style if adjusted is not None else StyleData.of(meeting.committee)
    if style.document is None:  # the committee's old style fields: the document they make, no version
        compiled = style.compiled
        document, sha256 = compiled.document, housestyle.digest(compiled.document)
    else:
        document, sha256 = style.document, style.sha256 or housestyle.digest(style.document)
    return {"name": style.name or document["name"], "version": style.version, "sha256": sha256, "document": document}


def _meeting(meeting: Meeting, uid: Uid) -> dict[str, Any]:
    items = list(
        Item.objects.filter(meeting=meeting)
        .order_by("position")
        .prefetch_related(
            Prefetch(
                "motions",
                Motion.objects.order_by("position", "id").prefetch_related(
                    Prefetch("movers", MotionMover.objects.select_related("person").order_by("position", "id"))
                ),
            ),
            Prefetch(
                "propositions",
                Proposition.objects.order_by("position", "id").prefetch_related(
                    Prefetch("ballots", Ballot.objects.select_related("person").order_by("id"))
                ),
            ),
            Prefetch("recusals", Recusal.objects.select_related("person", "substitute").order_by("id")),
            Prefetch(
                "reservations",
                Reservation.objects.order_by("position", "id").prefetch_related(
                    Prefetch("members", ReservationMember.objects.select_related("person").order_by("position", "id"))
                ),
            ),
            Prefetch(
                "statements",
                Statement.objects.order_by("position", "id").prefetch_related(
                    Prefetch("authors", StatementAuthor.objects.select_related("person").order_by("position", "id"))
                ),
            ),
        )
    )
    number_of = {item.pk: item.number for item in items}
    attendance = list(
        Attendance.objects.filter(meeting=meeting).select_related("person", "replaces").order_by("position", "id")
    )
    on_roll = {row.person_id: row.person for row in attendance}  # a § names its speakers from the roll

    def number(item_id: int | None, path: str) -> int | None:
        if item_id is not None and item_id not in number_of:
            raise refuse(path, _("The § belongs to another meeting."))
        return number_of.get(item_id) if item_id is not None else None

    adjusters = Adjuster.objects.filter(meeting=meeting).select_related("person").order_by("position", "id")
    return {
        "number": meeting.number,
        "date": meeting.date.isoformat(),
        "start_time": _time(meeting.start_time),
        "end_time": _time(meeting.end_time),
        "place": meeting.place,
        "status": meeting.status,
        "chair": uid(meeting.chair),
        "secretary": uid(meeting.secretary),
        "adjusters": [uid(adjuster.person) for adjuster in adjusters],
        "adjustment_at": timezone.localtime(meeting.adjustment_at).isoformat() if meeting.adjustment_at else None,
        "adjustment_place": meeting.adjustment_place,
        "adjustment_date_only": meeting.adjustment_date_only,
        "attendance": [
            {
                "person": uid(row.person),
                "function": row.function,
                "replaces": uid(row.replaces),
                "from_number": number(row.from_item_id, f"$.meeting.attendance[{index}].from_number"),
                "to_number": number(row.to_item_id, f"$.meeting.attendance[{index}].to_number"),
                "from_time": _time(row.from_time),
                "to_time": _time(row.to_time),
                "pending_from_number": row.pending_from_number,
                "pending_to_number": row.pending_to_number,
                "title": row.title,
            }
            for index, row in enumerate(attendance)
        ],
        "items": [_item(item, uid, f"$.meeting.items[{index}]", on_roll) for index, item in enumerate(items)],
    }


def _item(item: Item, uid: Uid, path: str, on_roll: dict[int, Person]) -> dict[str, Any]:
    motions = list(item.motions.all())
    index_of = {motion.pk: index for index, motion in enumerate(motions)}

    def motion(motion_id: int | None, where: str) -> int | None:
        if motion_id is None:
            return None
        if motion_id not in index_of:
            raise refuse(where, _("The motion belongs to another §."))
        return index_of[motion_id]

    def named(rows: Iterable) -> list[dict[str, Any]]:
        return [{"person": uid(row.person), "with_others": row.with_others} for row in rows]

    propositions = child(path, "propositions")
    reservations = child(path, "reservations")
    return {
        "number": item.number,
        "title": item.title,
        "subtitle": item.subtitle,
        "dnr": item.dnr,
        "decision": item.decision,
        "matter": item.matter,
        "base_proposal": item.base_proposal,
        "report_date": _date(item.report_date),
        "report_wording": item.report_wording,
        "confidential": item.confidential,
        "public_heading": item.public_heading,
        "immediately_adjusted": item.immediately_adjusted,
        "started_at": _time(item.started_at),
        "prepared_proposal": item.prepared_proposal,
        "basis": item.basis,
        "speakers": [uid(on_roll[pk]) for pk in item.speakers if pk in on_roll],
        "recipients": item.recipients,
        "motions": [
            {"kind": m.kind, "text": m.text, "wording": m.wording, "movers": named(m.movers.all())} for m in motions
        ],
        "propositions": [
            {
                "kind": p.kind,
                "outcome": motion(p.outcome_id, f"{propositions}[{index}].outcome"),
                "rejected": p.rejected,
                "voted": p.voted,
                "yes_motion": motion(p.yes_motion_id, f"{propositions}[{index}].yes_motion"),
                "no_motion": motion(p.no_motion_id, f"{propositions}[{index}].no_motion"),
                "casting_vote": p.casting_vote,
                "roll_call_appendix": p.roll_call_appendix,
                "wording": p.wording,
                "ballots": [{"person": uid(b.person), "choice": b.choice} for b in p.ballots.all()],
            }
            for index, p in enumerate(item.propositions.all())
        ],
        "recusals": [
            {"person": uid(r.person), "left_room": r.left_room, "substitute": uid(r.substitute), "wording": r.wording}
            for r in item.recusals.all()
        ],
        "reservations": [
            {
                "in_favour_of": motion(r.in_favour_of_id, f"{reservations}[{index}].in_favour_of"),
                "text": r.text,
                "appendix": r.appendix,
                "wording": r.wording,
                "members": named(r.members.all()),
            }
            for index, r in enumerate(item.reservations.all())
        ],
        "statements": [
            {
                "kind": s.kind,
                "text": s.text,
                "in_appendix": s.in_appendix,
                "appendix": s.appendix,
                "authors": named(s.authors.all()),
            }
            for s in item.statements.all()
        ],
    }


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: datetime.time | None) -> str | None:
    if value is None:
        return None
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")
