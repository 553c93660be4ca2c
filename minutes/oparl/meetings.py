"""The published meetings, as OParl: Meeting, AgendaItem and Location.

Only announced meetings exist here (`minutes.portal.published`), and only their public
version: a confidential § is its public heading and nothing else. Their times come from
`published.meeting_times`.
"""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from minutes.models import DocumentKind, Item, Meeting
from minutes.oparl.addresses import Body, Links
from minutes.oparl.extension import agenda_item_extension, result
from minutes.oparl.files import file_object, public_documents
from minutes.oparl.listing import ListQuery, NotFound, Part, memory_part, queryset_part, stamp
from minutes.oparl.published import Times, admitted, meeting_times
from minutes.oparl.reading import MeetingRead, read_snapshots
from minutes.oparl.roll import OPARL
from minutes.points import numbered
from minutes.portal.published import published_items
from minutes.protocol import phrases
from minutes.protocol.document import item_document
from minutes.protocol.snapshot import HouseStyle, ItemSnapshot


def items_of(meeting_ids: list[int]) -> QuerySet[Item]:
    return published_items().filter(meeting_id__in=meeting_ids).order_by("meeting__date", "meeting_id", "position")


def _moment(day: datetime.date, time: datetime.time | None) -> str:
    return stamp(timezone.make_aware(datetime.datetime.combine(day, time)))


# Locations: one per distinct place of the body's published meetings. A Location is what the place
# is called, made when the first meeting held there was announced, and never changes: so a
# meeting embeds it as it stands, and a cached meeting never shows an outdated one.


def location_key(place: str) -> str:
    return hashlib.sha256(place.encode()).hexdigest()[:16]


def places(times: dict[int, Times]) -> dict[str, datetime.datetime]:
    """Every place the meetings were held at, with when the first meeting there was announced; one query."""
    found: dict[str, datetime.datetime] = {}
    for pk, place in Meeting.objects.filter(pk__in=list(times)).exclude(place="").values_list("pk", "place"):
        moment = times[pk].created
        found[place.strip()] = min(found.get(place.strip(), moment), moment)
    return dict(sorted(found.items(), key=lambda entry: (entry[1], entry[0])))


def location_object(links: Links, place: str, created: datetime.datetime) -> dict:
    return {
        "id": links("location", location_key(place)),
        "type": OPARL + "Location",
        "description": place,
        "bodies": [links.body()],
        "created": stamp(created),
        "modified": stamp(created),
    }


def all_places(body: Body) -> dict[str, datetime.datetime]:
    """The places of the published meetings, then those only coming meetings with a public agenda name so far
    (made when the first public item there was): a place keeps its moment once published."""
    from minutes.oparl.agenda import places as planned_places  # agenda imports this module lazily

    found = places(meeting_times(body))
    for place, created in planned_places(body).items():
        found.setdefault(place, created)
    return found


def location_list(body: Body, links: Links, query: ListQuery) -> list[Part]:
    found = all_places(body)
    return [memory_part([location_object(links, p, t) for p, t in found.items() if query.admits(t, t)])]


def location_detail(body: Body, links: Links, key: str) -> dict:
    for place, created in all_places(body).items():
        if location_key(place) == key:
            return location_object(links, place, created)
    raise NotFound(f"no location {key!r}")


# Agenda items


def resolution_text(item: ItemSnapshot, style: HouseStyle) -> str:
    """The decision in words, with the recusals and reservations the protocol prints beside it.

    A client that knows nothing of the `paragraf:` extension shows only this; without them it would
    present a decision some members reserved themselves against as if no one had.
    """
    parts = ["\n".join(numbered(item.decision_points))] if item.decision_points else []
    parts += [phrases.recusal_sentence(recusal, style) for recusal in item.recusals]
    parts += [phrases.reservation_sentence(reservation, item, style) for reservation in item.reservations]
    return "\n\n".join(parts)


def agenda_item(links: Links, read: MeetingRead, item: ItemSnapshot, times: Times, files: list) -> dict:
    protocol = read.snapshot
    pk = read.item_ids[item.number]
    document = item_document(item, protocol, public=True)
    found = {
        "id": links("agenda-item", pk),
        "type": OPARL + "AgendaItem",
        "meeting": links("meeting", protocol.meeting_id),
        "number": document.label,  # "§ 17" or "§17", as the protocol numbers it
        "order": item.position,
        "name": document.heading,
        "public": not item.confidential,
        "created": stamp(times.created),
        "modified": stamp(times.modified),
    }
    if not document.withheld:
        if item.dnr:
            found["consultation"] = links("consultation", pk)
        found["result"] = result(item)
        text = resolution_text(item, protocol.style)
        if text:
            found["resolutionText"] = text
        extract = next((f for f in files if f.kind == DocumentKind.EXTRACT and f.numbers == [item.number]), None)
        if extract is not None:
            found["resolutionFile"] = file_object(links, extract, read.item_ids, protocol.style)
    found["web"] = links.web("portal:item", read.committee_slug, protocol.year, protocol.number, item.number)
    found.update(agenda_item_extension(links, item, protocol, document))
    return found


def agenda_item_list(body: Body, links: Links, query: ListQuery) -> list[Part]:
    times = meeting_times(body)
    rows = items_of(admitted(times, query)).values_list("pk", "meeting_id")

    def serialize(page: list[tuple[int, int]]) -> list[dict]:
        entries = meeting_entries(links, times, {meeting_id for _pk, meeting_id in page})
        return [entries[meeting_id].items[pk] for pk, meeting_id in page]

    return [queryset_part(rows, serialize)]


def agenda_item_object(body: Body, links: Links, pk: int) -> dict:
    times = meeting_times(body)
    meeting_id = items_of(list(times)).filter(pk=pk).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise NotFound(f"no published agenda item {pk}")
    return meeting_entries(links, times, [meeting_id])[meeting_id].items[pk]


# Meetings


def _attendance(links: Links, read: MeetingRead) -> list[dict]:
    def person(ref) -> dict:
        return {"person": links("person", ref.id), "name": ref.name, "party": ref.party}

    return [
        {
            **person(a.person),
            "role": a.person.role_title,
            "function": a.function,
            "replaces": person(a.replaces) if a.replaces else None,
            "fromNumber": a.from_number,
            "toNumber": a.to_number,
            "title": a.title,
        }
        for a in read.snapshot.attendance
    ]


@dataclass(frozen=True)
class Entry:
    """A published meeting as the API shows it: the Meeting, and its AgendaItems by id."""

    meeting: dict
    items: dict[int, dict]


# What shapes an entry besides the data: this package and the protocol pipeline's phrasing.
RELEASE = hashlib.sha256(
    b"".join(
        path.read_bytes()
        for folder in ("oparl", "protocol")
        for path in sorted((Path(__file__).resolve().parent.parent / folder).glob("*.py"))
    )
).hexdigest()[:16]
CACHED = 7 * 24 * 3600


def meeting_entries(links: Links, times: dict[int, Times], meeting_ids: Iterable[int]) -> dict[int, Entry]:
    """The entries of the meetings, from the cache when the meeting has not changed since, else made.

    An entry's key names the meeting's `modified`, so a change to anything it shows makes a
    new key; the address root is in it too, as every URL in an entry starts with it.
    """
    keys = {pk: f"oparl:{RELEASE}:{links.root}:meeting:{pk}:{times[pk].modified.timestamp()}" for pk in meeting_ids}
    cached = cache.get_many(list(keys.values()))
    entries = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [pk for pk in keys if pk not in entries]
    if missing:
        made = _make_entries(links, times, missing)
        cache.set_many({keys[pk]: entry for pk, entry in made.items()}, CACHED)
        entries.update(made)
    return entries


def _make_entries(links: Links, times: dict[int, Times], meeting_ids: list[int]) -> dict[int, Entry]:
    """Read the meetings whole (14 queries), then their public files and places (one query each)."""
    reads = read_snapshots(meeting_ids)
    files = public_documents({pk: read.confidential for pk, read in reads.items()})
    held_at = {}
    if any(read.snapshot.place.strip() for read in reads.values()):
        held_at = {place: location_object(links, place, created) for place, created in places(times).items()}
    entries = {}
    for pk, read in reads.items():
        when, documents = times[pk], files[pk]
        protocol = read.snapshot
        meeting = {
            "id": links("meeting", pk),
            "type": OPARL + "Meeting",
            "name": f"{protocol.committee_name}, sammanträde {protocol.number}/{protocol.year}",
            "meetingState": "durchgeführt",
            "cancelled": False,
        }
        # A meeting whose time was not recorded starts at midnight of its day: clients sort by start.
        meeting["start"] = _moment(protocol.date, protocol.start_time or datetime.time(0, 0))
        if protocol.end_time is not None:
            meeting["end"] = _moment(protocol.date, protocol.end_time)
        if protocol.place.strip():
            meeting["location"] = held_at[protocol.place.strip()]
        meeting["organization"] = [links("committee", read.committee_id)]
        meeting["participant"] = list(dict.fromkeys(links("person", a.person.id) for a in protocol.attendance))
        whole = [d for d in documents if not d.numbers and d.round.item_id is None]
        kinds = (DocumentKind.PUBLIC, DocumentKind.PROTOCOL)  # the public version where there is one
        protocol_file = next((d for kind in kinds for d in whole if d.kind == kind), None)
        if protocol_file is not None:
            meeting["resultsProtocol"] = file_object(links, protocol_file, read.item_ids, protocol.style)
        others = [file_object(links, d, read.item_ids, protocol.style) for d in documents if d is not protocol_file]
        if others:
            meeting["auxiliaryFile"] = others
        items = {read.item_ids[item.number]: agenda_item(links, read, item, when, documents) for item in protocol.items}
        meeting["agendaItem"] = list(items.values())
        meeting["created"] = stamp(when.created)
        meeting["modified"] = stamp(when.modified)
        meeting["web"] = links.web("portal:meeting", read.committee_slug, protocol.year, protocol.number)
        meeting["paragraf:attendance"] = _attendance(links, read)
        entries[pk] = Entry(meeting, items)
    return entries


def meeting_list(body: Body, links: Links, query: ListQuery) -> list[Part]:
    times = meeting_times(body)
    rows = Meeting.objects.filter(pk__in=admitted(times, query)).order_by("date", "pk").values_list("pk", flat=True)

    def serialize(page: list[int]) -> list[dict]:
        entries = meeting_entries(links, times, page)
        return [entries[pk].meeting for pk in page]

    return [queryset_part(rows, serialize)]


def meeting_object(body: Body, links: Links, pk: int) -> dict:
    times = meeting_times(body)
    if pk not in times:
        raise NotFound(f"no published meeting {pk}")
    return meeting_entries(links, times, [pk])[pk].meeting
