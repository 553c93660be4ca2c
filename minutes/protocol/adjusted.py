"""The adjusted protocol: its snapshot frozen at the last approval, and every later document printed from it.

When a round completes, `freeze` stores what it adjusted on a row of its own, written once: the
protocol snapshot (names, parties and roles as they were, the committee's house style), the
signers as they approved, and the meeting in the exchange format. From then on every rendering
of the meeting (the workspace's documents and previews, the portal, OParl, the search index and
the sealed PDFs) comes from that row, so nothing done later in the registers, a renamed person or
another heading in the house style, reaches an adjusted protocol (pretix copies an invoice's data
for the same reason).

The JSON is the dataclasses' fields as they are, dates and times in ISO 8601 (an aware time keeps
its UTC offset); `thaw` reads it back by the dataclasses' type hints into objects equal to those
frozen, so a thawed snapshot renders the same bytes.

A protocol adjusted before snapshots were frozen has no row: it is printed from its data as it
stands, as it always was, until `manage.py freeze_adjusted` freezes it.
"""

import dataclasses
import datetime
import functools
import types
import typing
from collections.abc import Iterable
from typing import Any

from django.db.models import JSONField, OuterRef, Subquery

from minutes.exchange.dump import meeting_document
from minutes.models import AdjustedSnapshot, AdjustmentRound, Meeting, MeetingStatus
from minutes.protocol.render import Adjustment
from minutes.protocol.snapshot import HouseStyle, ProtocolSnapshot, build_snapshot

# Stored rows are never rewritten: a change to the dataclasses that old JSON cannot fill (a new
# field without a default, a renamed one) raises this, and `thaw` learns to read the older format.
FORMAT = 1
ADJUSTED = (MeetingStatus.ADJUSTED, MeetingStatus.ANNOUNCED)


@dataclasses.dataclass(frozen=True)
class Adjusted:
    snapshot: ProtocolSnapshot
    adjustment: Adjustment


# Storing


def freeze(round: AdjustmentRound, *, adjustment: Adjustment) -> AdjustedSnapshot:
    """Store what the completed round adjusted: call it in the transaction that completes it.

    A § adjusted on its own is frozen alone (the meeting around it is still a draft), as the
    § editor reads it.
    """
    numbers = (round.item.number,) if round.item_id is not None else None
    snapshot = build_snapshot(round.meeting_id, numbers=numbers)
    return AdjustedSnapshot.objects.create(
        round=round,
        meeting_id=round.meeting_id,
        protocol={"format": FORMAT, "snapshot": to_json(snapshot), "adjustment": to_json(adjustment)},
        document=meeting_document(round.meeting_id),
    )


def to_json(value: Any) -> Any:
    """A frozen dataclass (and what it holds) as JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_json(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_json(part) for part in value]
    if isinstance(value, datetime.date | datetime.time):  # a datetime is a date
        return value.isoformat()
    return value


# Reading


def thaw(data: dict[str, Any]) -> Adjusted:
    if data.get("format") != FORMAT:
        raise ValueError(f"Unknown format of an adjusted snapshot: {data.get('format')!r}")
    return Adjusted(from_json(ProtocolSnapshot, data["snapshot"]), from_json(Adjustment, data["adjustment"]))


def from_json(kind: Any, data: Any) -> Any:
    """`data` read back as a value of the type `kind`, by the type hints of the dataclasses in it."""
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not types.NoneType]
        return from_json(inner, data)
    if origin is tuple:
        return tuple(from_json(typing.get_args(kind)[0], part) for part in data)
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{name: from_json(hints[name], value) for name, value in data.items()})
    if kind in (datetime.datetime, datetime.date, datetime.time):
        return kind.fromisoformat(data)
    return data


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def of_round(round: AdjustmentRound) -> AdjustedSnapshot | None:
    return AdjustedSnapshot.objects.filter(round=round).first()


def adjusted_protocol(meeting: Meeting) -> Adjusted | None:
    """The whole protocol as adjusted; None while it is not (no query then), or if it has no frozen snapshot."""
    if meeting.status not in ADJUSTED:
        return None
    data = _whole(AdjustedSnapshot.objects.filter(meeting=meeting)).values_list("protocol", flat=True).first()
    return thaw(data) if data is not None else None


def adjusted_protocols(meeting_ids: Iterable[int]) -> dict[int, Adjusted]:
    """The whole protocols as adjusted of the meetings that have one, by meeting id, in one query."""
    rows = _whole(AdjustedSnapshot.objects.filter(meeting_id__in=list(meeting_ids)))
    return {pk: thaw(data) for pk, data in rows.values_list("meeting_id", "protocol")}


def protocol_styles(meeting_ids: Iterable[int]) -> dict[int, HouseStyle]:
    """The house style each meeting's protocol prints with, by meeting id, for the pages that label its §§.

    The style frozen with the adjusted protocol, read alone from its row; a meeting without one (a
    draft, or adjusted before snapshots were frozen) prints with its committee's. One query.
    """
    ids = set(meeting_ids)
    if not ids:
        return {}
    frozen = _whole(AdjustedSnapshot.objects.filter(meeting=OuterRef("pk"))).values("protocol__snapshot__style")[:1]
    meetings = (
        Meeting.objects.filter(pk__in=ids)
        .select_related("committee__house_style")
        .annotate(frozen_style=Subquery(frozen, output_field=JSONField()))
    )
    return {
        meeting.pk: from_json(HouseStyle, meeting.frozen_style)
        if meeting.status in ADJUSTED and meeting.frozen_style is not None
        else HouseStyle.of(meeting.committee)
        for meeting in meetings
    }


def _whole(rows):
    """The rows of the protocol's own round, not those of §§ adjusted on their own."""
    return rows.filter(round__item__isnull=True)


def snapshot_for(meeting: Meeting, *, numbers: Iterable[int] | None = None) -> ProtocolSnapshot:
    """What a document of the meeting is printed from: the protocol as adjusted once it is, else as it stands.

    With `numbers`, only those §§ are in `items`, as with `build_snapshot`.
    """
    found = adjusted_protocol(meeting)
    if found is None:
        return build_snapshot(meeting, numbers=numbers)
    if numbers is None:
        return found.snapshot
    wanted = set(numbers)
    return dataclasses.replace(found.snapshot, items=tuple(i for i in found.snapshot.items if i.number in wanted))
