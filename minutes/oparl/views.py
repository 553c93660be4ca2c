"""OParl 1.1, read-only: the System, its Bodies, their lists and every object at its own URL.

Every answer is JSON with `Access-Control-Allow-Origin: *`, errors included: a bad parameter
is a 400 and an unknown address or id a 404, each with a JSON body that says why.
"""

import datetime
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from committee.bounds import ID_MAX, whole_number
from minutes.oparl import agenda, files, matters, meetings, roll
from minutes.oparl.addresses import Body, Links, bodies, find_body
from minutes.oparl.http import oparl_view, plain_view
from minutes.oparl.listing import ListQuery, NotFound, Part, list_page, memory_part, stamp
from minutes.oparl.roll import OPARL

# When there is no committee yet, the System still needs times; the API's first release will do.
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

Lister = Callable[[Body, Links, ListQuery], list[Part]]


def with_planned(lister: Lister, part: Callable[[Body, Links, ListQuery], Part]) -> Lister:
    """A list of published objects followed by those of the coming meetings' public agendas."""
    return lambda body, links, query: [*lister(body, links, query), part(body, links, query)]


def published_or_planned(body: Body, links: Links, pk: int) -> dict:
    """A meeting from its published protocol, or, before there is one, with its public agenda."""
    try:
        return meetings.meeting_object(body, links, pk)
    except NotFound:
        return agenda.meeting_detail(body, links, pk)


LISTS: dict[str, Lister] = {
    "organizations": roll.organization_list,
    "persons": roll.person_list,
    "memberships": roll.membership_list,
    "legislative-terms": roll.legislative_term_list,
    "meetings": with_planned(meetings.meeting_list, agenda.meeting_part),
    "agenda-items": with_planned(meetings.agenda_item_list, agenda.item_part),
    "consultations": with_planned(matters.consultation_list, matters.consultation_part_planned),
    "papers": matters.paper_list,
    "files": with_planned(files.file_list, agenda.file_part),
    "locations": meetings.location_list,
}


def ids(key: str) -> int:
    """An object's key that is a database id, written as its id is: `meeting/01` is not `meeting/1`.

    One object, one URL: a client that keys its store by `id` would otherwise hold it twice.
    """
    value = whole_number(key, 1, ID_MAX)
    if key != str(value):
        raise ValueError(f"{key!r} is not written as an id")
    return value


# Each kind of object by its path segment: how its key is read, and what serves it.
OBJECTS: dict[str, tuple[Callable[[str], object], Callable[[Body, Links, object], dict]]] = {
    "committee": (ids, roll.committee_object),
    "party": (ids, roll.party_object),
    "person": (ids, roll.person_object),
    "membership": (ids, roll.membership_object),
    "legislative-term": (ids, roll.legislative_term_object),
    "meeting": (ids, published_or_planned),
    "agenda-item": (ids, meetings.agenda_item_object),
    "planned-item": (ids, agenda.item_detail),
    "document": (ids, agenda.document_detail),
    "consultation": (ids, matters.consultation_object),
    "planned-consultation": (str, agenda.consultation_detail),
    "file": (ids, files.file_detail),
    "location": (str, meetings.location_detail),
}


@plain_view
def root(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(reverse("oparl:system"))


def publisher() -> dict[str, str]:
    """The data's license and whom to ask about it (PARAGRAF_OPARL_*), as System and Body carry them."""
    found = {
        "license": settings.PARAGRAF_OPARL_LICENSE,
        "contactEmail": settings.PARAGRAF_OPARL_CONTACT_EMAIL,
        "contactName": settings.PARAGRAF_OPARL_CONTACT_NAME,
    }
    return {name: value for name, value in found.items() if value}


DOCS = Path(__file__).resolve().parents[2] / "docs" / "oparl"


@plain_view
def documentation(request: HttpRequest) -> HttpResponse:
    """The API's documentation (docs/oparl/README.md), so that a client finds it from the System."""
    return HttpResponse((DOCS / "README.md").read_bytes(), content_type="text/markdown; charset=utf-8")


@plain_view
def extension_schema(request: HttpRequest) -> HttpResponse:
    """The JSON Schema of the `paragraf:` properties."""
    return HttpResponse(
        (DOCS / "extension.schema.json").read_bytes(), content_type="application/schema+json; charset=utf-8"
    )


@oparl_view
def system(request: HttpRequest) -> dict:
    links = Links.of(request)
    found = bodies()
    return {
        "id": links.system,
        "type": OPARL + "System",
        "oparlVersion": OPARL,
        "otherOparlVersions": [],
        "body": links.bodies,
        "name": "Paragraf",
        "website": links.web("portal:start"),
        **publisher(),
        "paragraf:documentation": request.build_absolute_uri(reverse("oparl:documentation")),
        "paragraf:extensionSchema": request.build_absolute_uri(reverse("oparl:extension-schema")),
        "created": stamp(min((b.created for b in found), default=EPOCH)),
        "modified": stamp(max((b.modified for b in found), default=EPOCH)),
    }


def body_object(request: HttpRequest, body: Body) -> dict:
    links = Links.of(request, body.slug)
    terms = roll.legislative_terms(body, links)
    modified = max([stamp(body.modified), *(t["modified"] for t in terms)], key=datetime.datetime.fromisoformat)
    return {
        "id": links.body(),
        "type": OPARL + "Body",
        "system": links.system,
        "name": body.municipality,
        "shortName": body.municipality,
        "website": links.web("portal:start"),
        "classification": "Kommun",
        **publisher(),
        "organization": links.list("organizations"),
        "person": links.list("persons"),
        "meeting": links.list("meetings"),
        "paper": links.list("papers"),
        "agendaItem": links.list("agenda-items"),
        "consultation": links.list("consultations"),
        "file": links.list("files"),
        "membership": links.list("memberships"),
        "locationList": links.list("locations"),
        "legislativeTermList": links.list("legislative-terms"),
        "legislativeTerm": terms,
        "created": stamp(body.created),
        "modified": modified,
        "web": links.web("portal:start"),
    }


@oparl_view
def body_list(request: HttpRequest) -> dict:
    query = ListQuery.parse(request)
    found = [body_object(request, b) for b in bodies()]
    found = [
        b
        for b in found
        if query.admits(datetime.datetime.fromisoformat(b["created"]), datetime.datetime.fromisoformat(b["modified"]))
    ]
    return list_page(query, Links.of(request).bodies, [memory_part(found)])


@oparl_view
def body(request: HttpRequest, body: str) -> dict:
    return body_object(request, find_body(body))


@oparl_view
def object_list(request: HttpRequest, body: str, name: str) -> dict:
    if name not in LISTS:
        raise NotFound(f"no list {name!r}; the lists are {', '.join(LISTS)}")
    query = ListQuery.parse(request)
    found = find_body(body)
    links = Links.of(request, found.slug)
    return list_page(query, links.list(name), LISTS[name](found, links, query))


@oparl_view
def object_detail(request: HttpRequest, body: str, kind: str, key: str) -> dict:
    if kind not in OBJECTS:
        raise NotFound(f"no kind of object {kind!r}")
    read, serve = OBJECTS[kind]
    try:
        value = read(key)
    except ValueError:
        raise NotFound(f"no {kind} {key!r}") from None
    found = find_body(body)
    return serve(found, Links.of(request, found.slug), value)


@oparl_view
def paper(request: HttpRequest, body: str, dnr: str) -> dict:
    found = find_body(body)
    return matters.paper_object(found, Links.of(request, found.slug), dnr)


@oparl_view
def not_found(request: HttpRequest, path: str = "") -> dict:
    raise NotFound(f"nothing at {request.path}; start at {Links.of(request).system}")
