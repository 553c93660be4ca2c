"""Coming meetings as OParl: the Meeting with its public agenda (AgendaItem) and documents (File),
before there is a protocol.

A meeting is here while it has a public agenda item and its protocol is not published; once
the protocol is announced the meeting is served from it (`minutes.oparl.meetings`) at the same
address. Only `AgendaItem.objects.public()` and `AgendaDocument.objects.public()` are read: a
confidential or withdrawn item, and a confidential or replaced document, are not in any list
and not at any address. An agenda item's address (`planned-item/<id>`) and a document's
(`document/<id>`) differ from a §'s and a sealed file's, as their ids are of other tables.

A matter (Dnr) on a coming agenda that no published § has handled yet is a Paper, with a Consultation
per item that takes it up (`planned-consultation/<item id>-<n>`, n the Dnr's place on the item). A
meeting's place is its Location, the same object the published meetings name
(`minutes.oparl.meetings.location_object`).

`created` is when the first public item was made; `modified` the latest recorded change to the
meeting, its agenda items or their documents (the audit trail's rows), or its committee.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, F, Max, OuterRef, Prefetch
from django.utils import timezone

from minutes.models import AgendaDocument, AgendaItem, Meeting, MeetingStatus
from minutes.oparl.addresses import Body, Links
from minutes.oparl.listing import ListQuery, NotFound, Part, memory_part, stamp
from minutes.oparl.published import Times
from minutes.oparl.roll import OPARL


@dataclass(frozen=True)
class Planned:
    meeting: Meeting
    times: Times
    items: list[AgendaItem]


def planned(body: Body, meeting_ids: list[int] | None = None) -> dict[int, Planned]:
    """The body's meetings with a public agenda and no published protocol, with their items and documents."""
    meetings = (
        Meeting.objects.filter(committee_id__in=body.committee_ids)
        .exclude(status=MeetingStatus.ANNOUNCED)  # a published protocol serves it (minutes.oparl.meetings)
        .filter(Exists(AgendaItem.objects.public().filter(meeting=OuterRef("pk"))))
        .select_related("committee")
        .annotate(committee_modified=F("committee__modified"))
        .order_by("date", "pk")
    )
    if meeting_ids is not None:
        meetings = meetings.filter(pk__in=meeting_ids)
    meetings = list(meetings)
    ids = [meeting.pk for meeting in meetings]
    items = defaultdict(list)
    documents = AgendaDocument.objects.public().order_by("date", "pk")
    for item in (
        AgendaItem.objects.public()
        .with_agenda_number()
        .filter(meeting_id__in=ids)
        .order_by("position")
        .prefetch_related(Prefetch("documents", queryset=documents))
    ):
        items[item.meeting_id].append(item)
    changed = _changes(ids)
    found = {}
    for meeting in meetings:
        rows = items[meeting.pk]
        created = min(item.created_at for item in rows)
        moments = [created, meeting.committee_modified, *changed[meeting.pk]]
        found[meeting.pk] = Planned(meeting, Times(created, max(m for m in moments if m is not None)), rows)
    return found


def _changes(meeting_ids: list[int]) -> dict[int, list[datetime.datetime]]:
    """The latest recorded change of each meeting, its agenda items and their documents (three queries)."""
    found: dict[int, list] = defaultdict(list)
    if not meeting_ids:
        return found
    for pk, last in (
        Meeting.history.filter(id__in=meeting_ids)
        .values("id")
        .annotate(last=Max("history_date"))
        .values_list("id", "last")
    ):
        found[pk].append(last)
    item_meeting = {}
    for pk, meeting_id, last in (
        AgendaItem.history.filter(meeting_id__in=meeting_ids)
        .values("id", "meeting_id")
        .annotate(last=Max("history_date"))
        .values_list("id", "meeting_id", "last")
    ):
        item_meeting[pk] = meeting_id
        found[meeting_id].append(last)
    for item_id, last in (
        AgendaDocument.history.filter(agenda_item_id__in=list(item_meeting))
        .values("agenda_item_id")
        .annotate(last=Max("history_date"))
        .values_list("agenda_item_id", "last")
    ):
        found[item_meeting[item_id]].append(last)
    return found


def _moment(day: datetime.date, time: datetime.time | None) -> str:
    return stamp(timezone.make_aware(datetime.datetime.combine(day, time or datetime.time(0, 0))))


def document_object(links: Links, entry: Planned, item: AgendaItem, document: AgendaDocument) -> dict:
    meeting = entry.meeting
    address = links.web("portal:agenda-document", meeting.committee.slug, meeting.year, meeting.number, document.pk)
    return {
        "id": links("document", document.pk),
        "type": OPARL + "File",
        "name": document.title,
        "fileName": f"handling-{document.pk}.pdf",
        "mimeType": "application/pdf",
        "date": document.date.isoformat(),
        "size": document.size,
        "paragraf:sha256Checksum": document.sha256,
        **({"sha512Checksum": document.sha512} if document.sha512 else {}),  # empty only if unreadable at migration
        "accessUrl": address,
        "downloadUrl": address + "?download=1",
        "meeting": [links("meeting", meeting.pk)],
        "agendaItem": [links("planned-item", item.pk)],
        "created": stamp(document.uploaded_at),
        "modified": stamp(max(document.uploaded_at, entry.times.modified)),
    }


def item_object(links: Links, entry: Planned, order: int, item: AgendaItem) -> dict:
    found = {
        "id": links("planned-item", item.pk),
        "type": OPARL + "AgendaItem",
        "meeting": links("meeting", entry.meeting.pk),
        "number": str(item.agenda_number),  # as the notice numbers it; "order" counts the public items
        "order": order,
        "name": item.title,
        "public": True,
    }
    files = [document_object(links, entry, item, document) for document in item.documents.all()]
    if files:
        found["auxiliaryFile"] = files
    found["created"] = stamp(item.created_at)
    found["modified"] = stamp(entry.times.modified)
    found["web"] = _web(links, entry)
    found["paragraf:withheld"] = False
    found["paragraf:planned"] = True
    found["paragraf:dnr"] = item.dnr
    return found


def _web(links: Links, entry: Planned) -> str:
    meeting = entry.meeting
    return links.web("portal:agenda", meeting.committee.slug, meeting.year, meeting.number)


def meeting_object(links: Links, entry: Planned, located: dict[str, datetime.datetime] | None = None) -> dict:
    meeting = entry.meeting
    found = {
        "id": links("meeting", meeting.pk),
        "type": OPARL + "Meeting",
        "name": f"{meeting.committee.name}, sammanträde {meeting.number}/{meeting.year}",
        "meetingState": "eingeladen" if meeting.date >= timezone.localdate() else "durchgeführt",
        "cancelled": False,
        "start": _moment(meeting.date, meeting.start_time),
    }
    if meeting.end_time is not None:
        found["end"] = _moment(meeting.date, meeting.end_time)
    if meeting.place.strip() and located is not None:
        from minutes.oparl.meetings import location_object  # meetings imports this module

        found["location"] = location_object(links, meeting.place.strip(), located[meeting.place.strip()])
    found["organization"] = [links("committee", meeting.committee_id)]
    found["agendaItem"] = [item_object(links, entry, n, item) for n, item in enumerate(entry.items, start=1)]
    found["created"] = stamp(entry.times.created)
    found["modified"] = stamp(entry.times.modified)
    found["web"] = _web(links, entry)
    return found


def _admitted(body: Body, query: ListQuery) -> list[Planned]:
    return [entry for entry in planned(body).values() if query.admits(entry.times.created, entry.times.modified)]


def located_at(body: Body, entries: list[Planned]) -> dict[str, datetime.datetime] | None:
    """Every place's Location moment as `minutes.oparl.meetings.all_places` has it; None (no queries) when
    none of these meetings has a place."""
    if not any(entry.meeting.place.strip() for entry in entries):
        return None
    from minutes.oparl.meetings import all_places

    return all_places(body)


def meeting_part(body: Body, links: Links, query: ListQuery) -> Part:
    entries = _admitted(body, query)
    located = located_at(body, entries)
    return memory_part([meeting_object(links, entry, located) for entry in entries])


def item_part(body: Body, links: Links, query: ListQuery) -> Part:
    return memory_part(
        [
            item_object(links, entry, n, item)
            for entry in _admitted(body, query)
            for n, item in enumerate(entry.items, start=1)
        ]
    )


def file_part(body: Body, links: Links, query: ListQuery) -> Part:
    found = []
    for entry in planned(body).values():
        for item in entry.items:
            for document in item.documents.all():
                file = document_object(links, entry, item, document)
                created, modified = (datetime.datetime.fromisoformat(file[key]) for key in ("created", "modified"))
                if query.admits(created, modified):
                    found.append(file)
    return memory_part(found)


def meeting_detail(body: Body, links: Links, pk: int) -> dict:
    entry = planned(body, [pk]).get(pk)
    if entry is None:
        raise NotFound(f"no published meeting {pk}")
    return meeting_object(links, entry, located_at(body, [entry]))


def item_detail(body: Body, links: Links, pk: int) -> dict:
    meeting_id = AgendaItem.objects.public().filter(pk=pk).values_list("meeting_id", flat=True).first()
    entry = planned(body, [meeting_id]).get(meeting_id) if meeting_id is not None else None
    if entry is None:
        raise NotFound(f"no public agenda item {pk}")
    order, item = next((n, i) for n, i in enumerate(entry.items, start=1) if i.pk == pk)
    return item_object(links, entry, order, item)


def document_detail(body: Body, links: Links, pk: int) -> dict:
    document = AgendaDocument.objects.public().filter(pk=pk).select_related("agenda_item").first()
    entry = planned(body, [document.agenda_item.meeting_id]).get(document.agenda_item.meeting_id) if document else None
    if entry is None:
        raise NotFound(f"no public document {pk}")
    item = next(i for i in entry.items if i.pk == document.agenda_item_id)
    return document_object(links, entry, item, next(d for d in item.documents.all() if d.pk == pk))


# Papers: a matter on a coming agenda whose Dnr no published § has yet


REPORT_TITLE = "tjänsteutlåtande"


def _planned_matters(
    body: Body, published: set[str], dnr: str | None = None, entries: list[Planned] | None = None
) -> dict[str, list]:
    """Each Dnr of the coming agendas not among `published`, with its (entry, item) pairs in agenda order."""
    found: dict[str, list] = {}
    for entry in entries if entries is not None else planned(body).values():
        for item in entry.items:
            for number in item.dnrs:
                if number not in published and (dnr is None or number == dnr):
                    found.setdefault(number, []).append((entry, item))
    return found


def paper_object(links: Links, dnr: str, uses: list) -> dict:
    from minutes.oparl.matters import paper_key  # matters imports this module

    files = [document_object(links, entry, item, document) for entry, item in uses for document in item.documents.all()]
    entry, item = uses[-1]
    paper = {
        "id": links("paper", paper_key(dnr)),
        "type": OPARL + "Paper",
        "body": links.body(),
        "name": item.title,
        "reference": dnr,
        "paperType": "Ärende",
    }
    reports = [file for file in files if file["name"].lower().startswith(REPORT_TITLE)]
    if reports:
        paper["date"] = reports[0]["date"]
        paper["mainFile"] = reports[0]
    others = [file for file in files if file not in reports[:1]]
    if others:
        paper["auxiliaryFile"] = others
    paper["consultation"] = [consultation_object(links, e, i, dnr) for e, i in uses]
    paper["underDirectionOf"] = list(dict.fromkeys(links("committee", e.meeting.committee_id) for e, _i in uses))
    paper["created"] = stamp(min(i.created_at for _e, i in uses))
    paper["modified"] = stamp(max(e.times.modified for e, _i in uses))
    paper["web"] = _web(links, entry)
    return paper


def paper_part(body: Body, links: Links, query: ListQuery, published: set[str]) -> Part:
    papers = [paper_object(links, dnr, uses) for dnr, uses in _planned_matters(body, published).items()]
    return memory_part(
        [
            paper
            for paper in papers
            if query.admits(
                datetime.datetime.fromisoformat(paper["created"]), datetime.datetime.fromisoformat(paper["modified"])
            )
        ]
    )


def paper_detail(body: Body, links: Links, dnr: str) -> dict:
    uses = _planned_matters(body, set(), dnr).get(dnr)
    if not uses:
        raise NotFound(f"no matter with Dnr {dnr!r}")
    return paper_object(links, dnr, uses)


def consultation_object(links: Links, entry: Planned, item: AgendaItem, dnr: str) -> dict:
    """A coming agenda item taking up a matter: not authoritative, as nothing is decided yet."""
    from minutes.oparl.matters import paper_key

    return {
        "id": links("planned-consultation", f"{item.pk}-{item.dnrs.index(dnr) + 1}"),
        "type": OPARL + "Consultation",
        "paper": links("paper", paper_key(dnr)),
        "agendaItem": links("planned-item", item.pk),
        "meeting": links("meeting", entry.meeting.pk),
        "organization": [links("committee", entry.meeting.committee_id)],
        "authoritative": False,
        "role": "Föredras",
        "created": stamp(item.created_at),
        "modified": stamp(entry.times.modified),
    }


def consultation_part(body: Body, links: Links, query: ListQuery, published: Callable[[], set[str]]) -> Part:
    """The consultations of the coming agendas' matters; `published` (the Dnr the published §§ serve as
    papers) is asked only when a coming public item has a Dnr."""
    entries = list(planned(body).values())
    if not any(item.dnrs for entry in entries for item in entry.items):
        return memory_part([])
    found = [
        consultation_object(links, entry, item, dnr)
        for dnr, uses in _planned_matters(body, published(), entries=entries).items()
        for entry, item in uses
    ]
    return memory_part(
        [
            c
            for c in found
            if query.admits(
                datetime.datetime.fromisoformat(c["created"]), datetime.datetime.fromisoformat(c["modified"])
            )
        ]
    )


def consultation_detail(body: Body, links: Links, key: str) -> dict:
    item_id, _dash, place = key.partition("-")
    if not (item_id.isdigit() and place.isdigit()) or key != f"{int(item_id)}-{int(place)}":
        raise NotFound(f"no consultation {key!r}")
    from minutes.oparl.matters import published_dnrs

    meeting_id = AgendaItem.objects.public().filter(pk=int(item_id)).values_list("meeting_id", flat=True).first()
    entry = planned(body, [meeting_id]).get(meeting_id) if meeting_id is not None else None
    item = next((i for i in entry.items if i.pk == int(item_id)), None) if entry is not None else None
    if item is None or not 1 <= int(place) <= len(item.dnrs) or item.dnrs[int(place) - 1] in published_dnrs(body):
        raise NotFound(f"no consultation {key!r}")
    return consultation_object(links, entry, item, item.dnrs[int(place) - 1])


def places(body: Body) -> dict[str, datetime.datetime]:
    """The places of the coming meetings with a public agenda, with when the first public item there was made."""
    found: dict[str, datetime.datetime] = {}
    for entry in planned(body).values():
        place = entry.meeting.place.strip()
        if place:
            found[place] = min(found.get(place, entry.times.created), entry.times.created)
    return found
