"""Who sits on the committees, as OParl: Organization (committees and parties), Person, Membership,
LegislativeTerm, and the tombstones of deleted committee records.

Committee records carry their own `created` and `modified`. A committee and a person list
their memberships, so a change of a membership changes them too: their `modified` is the
latest of their own, their memberships' and the deletion of one of their memberships.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from committee.models import ROLE_TITLES, Committee, Membership, Party, Person, Role
from minutes.models import (
    Announcement,
    Attendance,
    Ballot,
    MotionMover,
    Recusal,
    ReservationMember,
    StatementAuthor,
)
from minutes.oparl.addresses import Body, Links
from minutes.oparl.listing import ListQuery, NotFound, Part, memory_part, queryset_part, stamp
from minutes.portal.published import published_meetings

OPARL = "https://schema.oparl.org/1.1/"
# The committee records the API serves, by path segment: their model and OParl type.
RECORDS = {
    "committee": (Committee, "Organization"),
    "party": (Party, "Organization"),
    "person": (Person, "Person"),
    "membership": (Membership, "Membership"),
}

# Swedish local government terms run four years from 1 January after the election (2019–2022 …).
TERM_YEARS = 4
A_TERM_START = 2019


def term_start(day: datetime.date) -> int:
    return day.year - (day.year - A_TERM_START) % TERM_YEARS


# Tombstones: a deleted record's last historical row (minutes/models/history.py) says when it went


def _deletions(body: Body, kind: str) -> QuerySet:
    """The deletions of records once listed in the body; people and parties belong to every body."""
    model = RECORDS[kind][0]
    rows = model.history.filter(history_type="-")
    if kind == "committee":
        rows = rows.filter(municipality=body.municipality)
    elif kind == "membership":
        rows = rows.filter(_of_body(body))
    return rows


def _of_body(body: Body) -> Q:
    """Rows of the body's committees, those deleted included: their memberships' tombstones are the body's."""
    deleted = Committee.history.filter(history_type="-", municipality=body.municipality).values("id")
    return Q(committee_id__in=body.committee_ids) | Q(committee_id__in=deleted)


def tombstone(links: Links, kind: str, row) -> dict:
    return {
        "id": links(kind, row.id),
        "type": OPARL + RECORDS[kind][1],
        "created": stamp(row.created),
        "modified": stamp(row.history_date),
        "deleted": True,
    }


def tombstone_parts(body: Body, links: Links, query: ListQuery, kinds: Iterable[str]) -> list[Part]:
    """OParl lists deleted objects only to a client that asks what changed since a time."""
    if not query.shows_deleted:
        return []
    return [
        queryset_part(
            _deletions(body, kind).filter(query.q("created", "history_date")).order_by("history_date", "history_id"),
            lambda rows, kind=kind: [tombstone(links, kind, row) for row in rows],
        )
        for kind in kinds
    ]


def buried(body: Body, links: Links, kind: str, object_id: int) -> dict:
    """The tombstone at a deleted record's address, or a 404 when there is none either."""
    row = _deletions(body, kind).filter(id=object_id).order_by("-history_date").first()
    if row is None:
        raise NotFound(f"no {kind} {object_id}")
    return tombstone(links, kind, row)


def _membership_deleted(body: Body, **match) -> Subquery:
    """When a membership of the body matching `match` (an OuterRef) was last deleted."""
    key = next(iter(match))
    return Subquery(
        Membership.history.filter(_of_body(body), history_type="-", **match)
        .values(key)
        .annotate(latest=Max("history_date"))
        .values("latest")[:1]
    )


# Organizations: the committees (Gremium) and the parties sitting on them (Partei)


def _committee_rows(body: Body) -> QuerySet[Committee]:
    return (
        Committee.objects.filter(pk__in=body.committee_ids)
        .annotate(
            latest=Greatest(
                Coalesce(Max("memberships__modified"), F("modified")),
                Coalesce(_membership_deleted(body, committee_id=OuterRef("pk")), F("modified")),
            )
        )
        .order_by("pk")
    )


def _parties(body: Body) -> QuerySet[Party]:
    return Party.objects.filter(
        Exists(Membership.objects.filter(party=OuterRef("pk"), committee_id__in=body.committee_ids))
    ).order_by("pk")


def committee_organization(links: Links, committee: Committee, membership_ids: list[int]) -> dict:
    return {
        "id": links("committee", committee.pk),
        "type": OPARL + "Organization",
        "body": links.body(),
        "name": committee.name,
        "shortName": committee.short_name,
        "organizationType": "Gremium",
        "classification": "Nämnd",
        "membership": [links("membership", pk) for pk in membership_ids],
        "created": stamp(committee.created),
        "modified": stamp(max(committee.modified, committee.latest)),
        "web": links.web("portal:committee", committee.slug),
    }


def party_organization(links: Links, party: Party) -> dict:
    return {
        "id": links("party", party.pk),
        "type": OPARL + "Organization",
        "body": links.body(),
        "name": party.name,
        "shortName": party.abbreviation,
        "organizationType": "Partei",
        "classification": "Parti",
        "created": stamp(party.created),
        "modified": stamp(party.modified),
        "web": links.web("portal:party", party.abbreviation),
    }


def _organizations(body: Body, links: Links, committees: QuerySet[Committee], parties: QuerySet[Party]) -> list:
    committees = list(committees)
    members: dict[int, list[int]] = defaultdict(list)
    rows = Membership.objects.filter(committee__in=[c.pk for c in committees]).order_by("pk")
    for pk, committee_id in rows.values_list("pk", "committee_id"):
        members[committee_id].append(pk)
    return [committee_organization(links, c, members[c.pk]) for c in committees] + [
        party_organization(links, p) for p in parties
    ]


def organization_list(body: Body, links: Links, query: ListQuery) -> list[Part]:
    found = [
        o
        for o in _organizations(body, links, _committee_rows(body), _parties(body))
        if query.admits(_moment(o["created"]), _moment(o["modified"]))
    ]
    return [memory_part(found), *tombstone_parts(body, links, query, ["committee", "party"])]


def _moment(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def committee_object(body: Body, links: Links, pk: int) -> dict:
    found = _organizations(body, links, _committee_rows(body).filter(pk=pk), Party.objects.none())
    return found[0] if found else buried(body, links, "committee", pk)


def party_object(body: Body, links: Links, pk: int) -> dict:
    found = _organizations(body, links, Committee.objects.none(), _parties(body).filter(pk=pk))
    return found[0] if found else buried(body, links, "party", pk)


# Memberships


def membership(links: Links, row: Membership) -> dict:
    found = {
        "id": links("membership", row.pk),
        "type": OPARL + "Membership",
        "person": links("person", row.person_id),
        "organization": links("committee", row.committee_id),
        "role": ROLE_TITLES[row.role],
        "votingRight": row.role != Role.SUBSTITUTE,
        "created": stamp(row.created),
        "modified": stamp(row.modified),
    }
    if row.party_id:
        found["onBehalfOf"] = links("party", row.party_id)
    if row.start:
        found["startDate"] = row.start.isoformat()
    if row.end:
        found["endDate"] = row.end.isoformat()
    return found


def _memberships(body: Body) -> QuerySet[Membership]:
    return Membership.objects.filter(committee_id__in=body.committee_ids).order_by("pk")


def membership_list(body: Body, links: Links, query: ListQuery) -> list[Part]:
    rows = _memberships(body).filter(query.q("created", "modified"))
    return [
        queryset_part(rows, lambda page: [membership(links, row) for row in page]),
        *tombstone_parts(body, links, query, ["membership"]),
    ]


def membership_object(body: Body, links: Links, pk: int) -> dict:
    row = _memberships(body).filter(pk=pk).first()
    return membership(links, row) if row else buried(body, links, "membership", pk)


# People: whoever sits on one of the body's committees, or is named in its published protocols


def _named_in_public(model, path: str, body: Body, person: str = "person") -> Exists:
    return Exists(
        model.objects.filter(
            **{
                person: OuterRef("pk"),
                f"{path}__meeting__in": published_meetings(),
                f"{path}__meeting__committee_id__in": body.committee_ids,
                f"{path}__confidential": False,
            }
        )
    )


def _people(body: Body) -> QuerySet[Person]:
    seated = Membership.objects.filter(committee_id__in=body.committee_ids)
    latest = seated.filter(person=OuterRef("pk")).values("person").annotate(latest=Max("modified")).values("latest")
    public = (
        Exists(seated.filter(person=OuterRef("pk")))
        | Exists(
            Attendance.objects.filter(
                person=OuterRef("pk"), meeting__in=published_meetings(), meeting__committee_id__in=body.committee_ids
            )
        )
        | _named_in_public(MotionMover, "motion__item", body)
        | _named_in_public(Ballot, "proposition__item", body)
        | _named_in_public(Recusal, "item", body)
        | _named_in_public(Recusal, "item", body, person="substitute")
        | _named_in_public(ReservationMember, "reservation__item", body)
        | _named_in_public(StatementAuthor, "statement__item", body)
    )
    return (
        Person.objects.filter(public)
        .annotate(
            oparl_created=F("created"),
            oparl_modified=Greatest(
                F("modified"),
                Coalesce(Subquery(latest), F("modified")),
                Coalesce(_membership_deleted(body, person_id=OuterRef("pk")), F("modified")),
            ),
        )
        .order_by("pk")
    )


def _persons(body: Body, links: Links, rows: list[Person]) -> list[dict]:
    held: dict[int, list[Membership]] = defaultdict(list)
    for row in _memberships(body).filter(person__in=[p.pk for p in rows]):
        held[row.person_id].append(row)
    return [
        {
            "id": links("person", p.pk),
            "type": OPARL + "Person",
            "body": links.body(),
            "name": p.full_name,
            "familyName": p.last_name,
            "givenName": p.first_name,
            "membership": [membership(links, row) for row in held[p.pk]],
            "created": stamp(p.oparl_created),
            "modified": stamp(p.oparl_modified),
            "web": links.web("portal:person", p.pk),
        }
        for p in rows
    ]


def person_list(body: Body, links: Links, query: ListQuery) -> list[Part]:
    rows = _people(body).filter(query.q())
    return [
        queryset_part(rows, lambda page: _persons(body, links, page)),
        *tombstone_parts(body, links, query, ["person"]),
    ]


def person_object(body: Body, links: Links, pk: int) -> dict:
    found = _persons(body, links, list(_people(body).filter(pk=pk)))
    if found:
        return found[0]
    if Person.objects.filter(pk=pk).exists():
        raise NotFound(f"person {pk} is not in {body.municipality}'s records")
    return buried(body, links, "person", pk)


# Legislative terms


def legislative_terms(body: Body, links: Links) -> list[dict]:
    """The terms the body's memberships and published meetings fall in, each first known when its earliest row was."""
    first_known: dict[int, datetime.datetime] = {}

    def known(year: int, moment: datetime.datetime | None) -> None:
        if moment is not None and (year not in first_known or moment < first_known[year]):
            first_known[year] = moment

    for start, end, created in _memberships(body).values_list("start", "end", "created"):
        if start is None and end is None:
            continue
        first = term_start(start or end)
        for year in range(first, term_start(end or start) + 1, TERM_YEARS):
            known(year, created)
    announced = Announcement.objects.filter(meeting=OuterRef("pk"), round__item__isnull=True).values("announced_at")
    for day, moment in (
        published_meetings()
        .filter(committee_id__in=body.committee_ids)
        .annotate(announced=Subquery(announced[:1]))
        .values_list("date", "announced")
    ):
        known(term_start(day), moment)
    return [
        {
            "id": links("legislative-term", year),
            "type": OPARL + "LegislativeTerm",
            "body": links.body(),
            "name": f"{year}–{year + TERM_YEARS - 1}",
            "startDate": datetime.date(year, 1, 1).isoformat(),
            "endDate": datetime.date(year + TERM_YEARS - 1, 12, 31).isoformat(),
            "created": stamp(moment),
            "modified": stamp(moment),
        }
        for year, moment in sorted(first_known.items())
    ]


def legislative_term_list(body: Body, links: Links, query: ListQuery) -> list[Part]:
    terms = legislative_terms(body, links)
    return [memory_part([t for t in terms if query.admits(_moment(t["created"]), _moment(t["modified"]))])]


def legislative_term_object(body: Body, links: Links, year: int) -> dict:
    for term in legislative_terms(body, links):
        if term["id"] == links("legislative-term", year):
            return term
    raise NotFound(f"no legislative term starting {year}")
