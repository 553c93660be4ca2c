"""Matters, as OParl: a Paper per Dnr, and a Consultation for each published § that handled it.

As on the portal's matter page, a confidential § is not told by its Dnr: it has no
consultation, and a matter handled only in confidential §§ has no paper. A consultation never
changes once announced; a paper changes when a later meeting handles its matter again.
"""

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import QuerySet

from minutes.models import Item, MotionKind, Proposition
from minutes.oparl import agenda
from minutes.oparl.addresses import Body, Links
from minutes.oparl.listing import ListQuery, NotFound, Part, queryset_part, stamp
from minutes.oparl.meetings import items_of
from minutes.oparl.published import Times, admitted, meeting_times
from minutes.oparl.roll import OPARL


def paper_key(dnr: str) -> str:
    """A Dnr as the last part of its paper's address ("1.5.1-999/2016" keeps its slash)."""
    return quote(dnr, safe="/")


def _handled(meeting_ids: list[int]) -> QuerySet[Item]:
    return items_of(meeting_ids).filter(confidential=False).exclude(dnr="").select_related("meeting")


def _consultations(links: Links, times: dict[int, Times], rows: list[Item]) -> list[dict]:
    deferred: dict[int, set[str]] = defaultdict(set)
    for item_id, kind in Proposition.objects.filter(
        item__in=[row.pk for row in rows], outcome__kind__in=[MotionKind.TABLE, MotionKind.REFER_BACK]
    ).values_list("item_id", "outcome__kind"):
        deferred[item_id].add(kind)
    found = []
    for row in rows:
        kinds = deferred[row.pk]
        role = "Bordlagt" if MotionKind.TABLE in kinds else "Återremitterat" if kinds else "Beslutat"
        announced = stamp(times[row.meeting_id].created)
        found.append(
            {
                "id": links("consultation", row.pk),
                "type": OPARL + "Consultation",
                "paper": links("paper", paper_key(row.dnr)),
                "agendaItem": links("agenda-item", row.pk),
                "meeting": links("meeting", row.meeting_id),
                "organization": [links("committee", row.meeting.committee_id)],
                "authoritative": role == "Beslutat",
                "role": role,
                "created": announced,
                "modified": announced,
            }
        )
    return found


def consultation_list(body: Body, links: Links, query: ListQuery) -> list[Part]:
    times = meeting_times(body)
    rows = _handled(admitted(times, query, changes=False))
    return [queryset_part(rows, lambda page: _consultations(links, times, page))]


def consultation_object(body: Body, links: Links, pk: int) -> dict:
    times = meeting_times(body)
    found = _consultations(links, times, list(_handled(list(times)).filter(pk=pk)))
    if not found:
        raise NotFound(f"no consultation {pk}")
    return found[0]


@dataclass(frozen=True)
class Matter:
    dnr: str
    first: int  # the id of its first § (papers are listed in that order)
    created: object
    modified: object


def _matters(times: dict[int, Times], *, dnr: str | None = None) -> list[Matter]:
    """Each Dnr of the published §§, with when it was first and last announced; one query."""
    rows = items_of(list(times)).filter(confidential=False).exclude(dnr="")
    if dnr is not None:
        rows = rows.filter(dnr=dnr)
    found: dict[str, list] = {}
    for pk, number, meeting_id in rows.values_list("pk", "dnr", "meeting_id"):
        moment = times[meeting_id].created
        entry = found.setdefault(number, [pk, moment, moment])
        entry[0], entry[1], entry[2] = min(entry[0], pk), min(entry[1], moment), max(entry[2], moment)
    return sorted((Matter(d, *entry) for d, entry in found.items()), key=lambda matter: matter.first)


def _papers(body: Body, links: Links, times: dict[int, Times], matters: list[Matter]) -> list[dict]:
    handled: dict[str, list[Item]] = defaultdict(list)
    for row in _handled(list(times)).filter(dnr__in=[m.dnr for m in matters]):
        handled[row.dnr].append(row)
    consultations = {
        c["id"]: c for c in _consultations(links, times, [row for rows in handled.values() for row in rows])
    }
    found = []
    for matter in matters:
        rows = handled[matter.dnr]
        paper = {
            "id": links("paper", paper_key(matter.dnr)),
            "type": OPARL + "Paper",
            "body": links.body(),
            "name": rows[-1].heading,
            "reference": matter.dnr,
            "paperType": "Ärende",
        }
        reported = [row.report_date for row in rows if row.report_date]
        if reported:
            paper["date"] = min(reported).isoformat()
        paper["underDirectionOf"] = list(dict.fromkeys(links("committee", row.meeting.committee_id) for row in rows))
        paper["consultation"] = [consultations[links("consultation", row.pk)] for row in rows]
        paper["created"] = stamp(matter.created)
        paper["modified"] = stamp(matter.modified)
        paper["web"] = links.web("portal:matter", matter.dnr)
        found.append(paper)
    return found


def paper_list(body: Body, links: Links, query: ListQuery) -> list[Part]:
    """The published matters, then those only on a coming meeting's public agenda so far."""
    times = meeting_times(body)
    every = _matters(times)
    matters = [m for m in every if query.admits(m.created, m.modified)]
    return [
        Part(
            count=lambda: len(matters),
            fetch=lambda offset, limit: _papers(body, links, times, matters[offset : offset + limit]),
        ),
        agenda.paper_part(body, links, query, {m.dnr for m in every}),
    ]


def published_dnrs(body: Body) -> set[str]:
    return {m.dnr for m in _matters(meeting_times(body))}


def consultation_part_planned(body: Body, links: Links, query: ListQuery) -> Part:
    """The consultations of the matters only on a coming meeting's public agenda so far."""
    return agenda.consultation_part(body, links, query, lambda: published_dnrs(body))


def paper_object(body: Body, links: Links, dnr: str) -> dict:
    times = meeting_times(body)
    found = _papers(body, links, times, _matters(times, dnr=dnr))
    if not found:
        return agenda.paper_detail(body, links, dnr)
    return found[0]
