"""A client's crawl of the OParl 1.1 API: from the System through every list and page, every object checked.

The crawler knows only what any OParl client knows: the System's URL, the links the objects
carry, the OParl schemas (tests/oparl_schema/, CC BY-SA 4.0, loaded as their README says) and
Paragraf's documented extension (docs/oparl/). It never reads the API's code.
"""

import datetime
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from committee.models import Membership, Party, Person, Role
from minutes import adjustment, rules, services
from minutes.demo import load_demo, publish_demo
from minutes.models import (
    Adjuster,
    Attendance,
    AttendanceFunction,
    Item,
    Meeting,
    MotionKind,
    PropositionKind,
    StatementKind,
)

pytestmark = pytest.mark.django_db

REPOSITORY = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPOSITORY / "tests" / "oparl_schema"
EXTENSION_SCHEMA = REPOSITORY / "docs" / "oparl" / "extension.schema.json"

SYSTEM = "http://testserver/oparl/v1/system"
OPARL = "https://schema.oparl.org/1.1/"
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
LOOKS_LIKE_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d")
PAGE_SIZE = "limit"  # the page-size parameter docs/oparl/README.md names
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
TOMBSTONE_KEYS = {"id", "type", "created", "modified", "deleted"}
PREFIX = "paragraf:"  # the extension's properties; every other one is OParl 1.1's
STRONG_ETAG = re.compile(r'^"[^"]+"$')

# The Body's external lists and the type of the objects in each.
LISTS = {
    "organization": "Organization",
    "person": "Person",
    "meeting": "Meeting",
    "paper": "Paper",
    "agendaItem": "AgendaItem",
    "consultation": "Consultation",
    "file": "File",
    "membership": "Membership",
    "locationList": "Location",
    "legislativeTermList": "LegislativeTerm",
}

SECRET = "HEMLIG-UPPGIFT-7731"
PRIVATE_NAME = "Kalle Hemligsson"
SECRET_DNR = "1.5.1-999/2016"
PUBLIC_HEADING = "Sekretessärende enligt OSL 26:1"
DRAFT_TITLE = "UTKAST-ÄRENDE-4410"
UNANNOUNCED_TITLE = "OANSLAGET-ÄRENDE-5520"
VOTE_TITLE = "Namnbyte på parken vid Årstaviken"
VOTE_DNR = "1.2.3-100/2016"  # the same matter in every generated meeting: one Paper, a Consultation each
RECUSAL_TITLE = "Bygglov för förskola vid Årstavägen"


# The schemas, loaded as tests/oparl_schema/README.md says.


def oparl_validators() -> dict[str, Draft7Validator]:
    schemas = {}
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        if path.stem == "Body":
            schema["properties"]["mainOrganization"].pop("$ref")  # "Organization" resolves to nothing
        schemas[path.stem] = schema
    registry = Registry().with_resources(
        (OPARL + name + suffix, Resource.from_contents(schema, default_specification=DRAFT7))
        for name, schema in schemas.items()
        for suffix in ("", ".json")
    )
    return {
        name: Draft7Validator(schema, registry=registry, format_checker=Draft7Validator.FORMAT_CHECKER)
        for name, schema in schemas.items()
    }


def extension_validators() -> tuple[Draft7Validator, Draft7Validator]:
    """The extension's schema for an AgendaItem, and its definition of a Meeting's `paragraf:attendance`."""
    schema = json.loads(EXTENSION_SCHEMA.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    attendance = {"definitions": schema["definitions"], "allOf": [{"$ref": "#/definitions/meetingAttendance"}]}
    return (
        Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER),
        Draft7Validator(attendance, format_checker=Draft7Validator.FORMAT_CHECKER),
    )


VALIDATORS = oparl_validators()


def references(type_name: str) -> dict[str, str]:
    """The properties of a type that hold the URL of another object, with the type they point at."""
    found = {}
    for key, spec in VALIDATORS[type_name].schema["properties"].items():
        target = spec.get("references") or spec.get("items", {}).get("references")
        if target and target != "externalList":
            found[key] = target
    return found


# The crawler.


def with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True)) | params
    return urlunsplit(parts._replace(query=urlencode(query)))


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def oparl_objects(value, *, top: bool = True) -> Iterator[dict]:
    """Every OParl object in a value: itself, and every object embedded in it at any depth."""
    if isinstance(value, dict):
        if not top and str(value.get("type", "")).startswith(OPARL):
            yield value
            return
        for child in value.values():
            yield from oparl_objects(child, top=False)
    elif isinstance(value, list):
        for child in value:
            yield from oparl_objects(child, top=False)


def own_strings(value, *, top: bool = True) -> Iterator[tuple[str, str]]:
    """(path, string) for every string of an object that is not inside an embedded OParl object."""
    if isinstance(value, str):
        yield "", value
    elif isinstance(value, dict):
        if not top and str(value.get("type", "")).startswith(OPARL):
            return
        for key, child in value.items():
            for path, string in own_strings(child, top=False):
                yield f".{key}{path}", string
    elif isinstance(value, list):
        for index, child in enumerate(value):
            for path, string in own_strings(child, top=False):
                yield f"[{index}]{path}", string


def all_strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for child in value.values():
            yield from all_strings(child)
    elif isinstance(value, list):
        for child in value:
            yield from all_strings(child)


class Crawler:
    """Walks the API as a client would, noting every breach of the schemas and of 1.1 as (where, rule, value)."""

    def __init__(
        self,
        client,
        extension: tuple[Draft7Validator, Draft7Validator],
        *,
        list_params: dict[str, str] | None = None,
    ) -> None:
        self.client = client
        self.extension, self.attendance = extension
        self.list_params = list_params or {}
        self.violations: list[str] = []
        self.listed: dict[str, dict] = {}  # id -> the object as its list served it
        self.embedded: dict[str, dict] = {}  # id -> the object as another object embedded it
        self.lists: dict[str, list[dict]] = {}
        self.bodies: list[dict] = []
        self.system: dict = {}
        self.served: list[str] = []  # every response body, to search for what must not be public
        self.pages = 0

    def violation(self, where: str, rule: str, value=None) -> None:
        self.violations.append(f"{where}: {rule}: {str(value)[:300]}")

    def get(self, url: str) -> dict | None:
        """GET an API URL; its answer must be 200, JSON, and readable from any origin."""
        if not url.startswith("http://testserver/"):
            self.violation(url, "a URL on the server it was served from", url)
            return None
        response = self.client.get(url)
        content_type = response.get("Content-Type", "")
        if response.status_code != 200:
            self.violation(url, "status 200", f"{response.status_code} {response.content[:200]!r}")
            return None
        if content_type.split(";")[0].strip() != "application/json":
            self.violation(url, "Content-Type application/json", content_type)
        if response.get("Access-Control-Allow-Origin") != "*":
            self.violation(url, "Access-Control-Allow-Origin: *", response.get("Access-Control-Allow-Origin"))
        if not STRONG_ETAG.match(response.get("ETag", "")):
            self.violation(url, "a strong ETag", response.get("ETag"))
        text = response.content.decode()
        self.served.append(text)
        try:
            return json.loads(text)
        except ValueError as error:
            self.violation(url, "a JSON body", error)
            return None

    def check(self, obj, where: str, expected: str | None = None, *, embedded: bool = False) -> None:
        """One object against its schema, the 1.1 rules the schemas leave out, and the extension."""
        if not isinstance(obj, dict):
            self.violation(where, "an object", obj)
            return
        type_uri = obj.get("type", "")
        name = type_uri.removeprefix(OPARL) if type_uri.startswith(OPARL) else None
        where = obj.get("id") or where
        if name not in VALIDATORS:
            self.violation(where, f"type is one of OParl 1.1's ({OPARL}…)", type_uri)
            return
        if expected and name != expected:
            self.violation(where, f"type {OPARL}{expected}", type_uri)
        for error in VALIDATORS[name].iter_errors(obj):
            path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
            self.violation(where, f"schema {name}{path}", error.message)
        known = VALIDATORS[name].schema["properties"]
        unknown = [key for key in obj if key not in known and not key.startswith(PREFIX)]
        if unknown:
            self.violation(where, f"every property is OParl 1.1's or {PREFIX}…", unknown)
        for key in ("created", "modified"):
            if key not in obj:
                self.violation(where, f"{key} on every object{' (embedded)' if embedded else ''}", None)
        for path, string in own_strings(obj):
            if LOOKS_LIKE_DATE_TIME.match(string) and not DATE_TIME.match(string):
                self.violation(where, f"{path} in the shape yyyy-mm-ddThh:mm:ss±hh:mm", string)
        if obj.get("deleted") is True:
            if set(obj) - TOMBSTONE_KEYS:
                self.violation(where, "a deleted object keeps only id, type, created, modified", sorted(obj))
        elif name == "AgendaItem":
            for error in self.extension.iter_errors(obj):
                path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
                self.violation(where, f"extension schema{path}", error.message)
        elif name == "Meeting" and "paragraf:attendance" in obj:
            for error in self.attendance.iter_errors(obj["paragraf:attendance"]):
                path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
                self.violation(where, f"extension schema, paragraf:attendance{path}", error.message)
        for inner in oparl_objects(obj):
            inner_id = inner.get("id")
            if not inner_id:
                self.violation(where, "an embedded object has an id", inner.get("type"))
                continue
            self.embedded.setdefault(inner_id, inner)
            self.check(inner, f"{where} > {inner_id}", embedded=True)

    def walk(self, url: str, expected: str, **params: str) -> list[dict]:
        """Every object of a list, page by page through links.next, checking each page."""
        url = start = with_query(url, **params) if params else url
        wanted_filters = {key: value for key, value in params.items() if key in FILTERS}
        objects: list[dict] = []
        seen: set[str] = set()
        first: dict | None = None
        while url:
            if url in seen:
                self.violation(url, "links.next never leads back to a page already read", url)
                break
            seen.add(url)
            page = self.get(url)
            if page is None:
                break
            self.pages += 1
            first = first or page
            if not isinstance(page, dict) or not {"data", "pagination", "links"} <= set(page):
                self.violation(url, "a list page has data, pagination and links", sorted(page)[:10])
                break
            data, pagination, links = page["data"], page["pagination"], page["links"]
            if not (isinstance(data, list) and isinstance(pagination, dict) and isinstance(links, dict)):
                self.violation(url, "data is an array, pagination and links objects", type(data).__name__)
                break
            for obj in data:
                self.check(obj, url, expected)
            objects += data
            next_url = links.get("next")
            if next_url:
                carried = {key: value for key, value in query_of(next_url).items() if key in FILTERS}
                if carried != wanted_filters:
                    self.violation(url, "links.next carries the date filters", f"{wanted_filters} -> {next_url}")
                per_page = pagination.get("elementsPerPage")
                if per_page is not None and len(data) != per_page:
                    self.violation(url, "every page but the last holds elementsPerPage objects", len(data))
            url = next_url
        ids = [obj.get("id") for obj in objects]
        if len(ids) != len(set(ids)):
            self.violation(start, "no object twice in a list", sorted({i for i in ids if ids.count(i) > 1}))
        total = (first or {}).get("pagination", {}).get("totalElements")
        if total is not None and total != len(objects):
            self.violation(start, "pagination.totalElements is the number of objects in the list", total)
        return objects

    def crawl(self) -> None:
        """From the System: its Bodies, and each Body's lists through all their pages."""
        system = self.get(SYSTEM)
        assert system is not None, self.violations
        self.system = system
        self.check(system, SYSTEM, "System")
        if system.get("id") != SYSTEM:
            self.violation(SYSTEM, "id is the URL it is served at", system.get("id"))
        self.bodies = self.walk(system["body"], "Body", **self.list_params)
        for body in self.bodies:
            for key, expected in LISTS.items():
                if not isinstance(body.get(key), str):
                    self.violation(body["id"], f"the Body links its {key} list", body.get(key))
                    continue
                objects = self.walk(body[key], expected, **self.list_params)
                self.lists.setdefault(key, []).extend(objects)
                for obj in objects:
                    if obj.get("deleted") is True:
                        self.violation(obj["id"], "a deleted object is listed only with modified_since", obj)
                    self.listed[obj["id"]] = obj
        for body in self.bodies:
            self.listed[body["id"]] = body

    def fetch_ids(self) -> None:
        """Every object answers at its id with itself; an embedded one at least with its id and type."""
        for url, listed in self.listed.items():
            served = self.get(url)
            if served is not None and served != listed:
                self.violation(url, "the object at its id is the object its list served", diff(listed, served))
        for url, inner in self.embedded.items():
            if url in self.listed:
                continue
            served = self.get(url)
            if served is not None and (served.get("id"), served.get("type")) != (url, inner.get("type")):
                self.violation(url, "an embedded object answers at its id", (served.get("id"), served.get("type")))

    def check_references(self) -> None:
        """Every reference to another object points at an object the crawl found, of the right type."""
        known = {**self.embedded, **self.listed, SYSTEM: self.system}
        for obj in [*self.listed.values(), *self.embedded.values()]:
            name = obj.get("type", "").removeprefix(OPARL)
            if name not in VALIDATORS:
                continue
            for key, target in references(name).items():
                value = obj.get(key)
                for url in value if isinstance(value, list) else [value] if value is not None else []:
                    if url not in known:
                        self.violation(obj["id"], f"{key} points at an object the crawl found", url)
                    elif known[url].get("type") != OPARL + target:
                        self.violation(obj["id"], f"{key} points at a {target}", known[url].get("type"))
            for url in extension_people(obj):
                if known.get(url, {}).get("type") != OPARL + "Person":
                    self.violation(obj["id"], "a person in a paragraf: property points at a Person found", url)


def extension_people(obj: dict) -> Iterator[str]:
    """The `person` URLs in an object's own `paragraf:` properties (the extension's people)."""

    def people(value) -> Iterator[str]:
        if isinstance(value, dict):
            if isinstance(value.get("person"), str):
                yield value["person"]
            for child in value.values():
                yield from people(child)
        elif isinstance(value, list):
            for child in value:
                yield from people(child)

    for key, value in obj.items():
        if key.startswith("paragraf:"):
            yield from people(value)


def diff(listed: dict, served: dict) -> list[str]:
    keys = sorted(set(listed) | set(served))
    return [f"{key}: {listed.get(key)!r} != {served.get(key)!r}" for key in keys if listed.get(key) != served.get(key)]


# The data: the demo, announced, and a generated meeting with votes, a recusal and a confidential §.


@pytest.fixture
def published(seal_certificate) -> Meeting:
    meeting = load_demo()
    publish_demo(meeting)
    meeting.refresh_from_db()
    return meeting


def ballots_for(item: Item, *, absent: str = "") -> dict[Person, str]:
    """Nej from Fredholm and Öberg, Avstår from Nyström, Ja from the rest; `absent` serves but casts no ballot."""
    serving = Person.objects.in_bulk(rules.serving_on(item)).values()
    choice = {"Fredholm": "no", "Öberg": "no", "Nyström": "abstain"}
    return {p: choice.get(p.last_name, "yes") for p in serving if p.last_name != absent}


def generated_meeting(earlier: Meeting, day: datetime.date, *, announce: bool = True, title: str = "") -> Meeting:
    """A meeting with a roll-call vote (one member absent from it), a recusal with a substitute and a
    confidential § that has its own vote and recusal; adjusted, sealed and (unless told) announced."""
    people = {p.last_name: p for p in Person.objects.all()}
    meeting = services.create_meeting(committee=earlier.committee, date=day, place=earlier.place)
    meeting.secretary = earlier.secretary
    meeting.adjustment_at = earlier.adjustment_at + (day - earlier.date)
    meeting.adjustment_place = earlier.adjustment_place
    meeting.save()
    for adjuster in earlier.adjusters.all():
        Adjuster.objects.create(meeting=meeting, person=adjuster.person, position=adjuster.position)
    Attendance.objects.create(
        meeting=meeting, person=people["Lund"], function=AttendanceFunction.NON_SERVING, position=30
    )
    chair, oberg, fredholm, backman = (people[n] for n in ("Bäck", "Öberg", "Fredholm", "Backman"))

    vote = services.add_item(
        meeting, title=title or VOTE_TITLE, decision="Parken får namnet Årstavikens park.", dnr=VOTE_DNR
    )
    approve = services.add_motion(vote, kind=MotionKind.APPROVE, movers=[(chair, False)])
    reject = services.add_motion(vote, kind=MotionKind.REJECT, movers=[(fredholm, False)])
    proposition = services.record_proposition(vote, kind=PropositionKind.AGAINST_EACH_OTHER, outcome=approve)
    ballots = ballots_for(vote, absent="Holm")
    services.record_vote(proposition, yes_motion=approve, no_motion=reject, ballots=ballots)
    services.add_reservation(vote, members=[(oberg, False)], in_favour_of=reject)

    recusal = services.add_item(
        meeting, title=RECUSAL_TITLE, decision="Nämnden tillstyrker bygglovet.", dnr=f"1.2.3-{day:%m%d}/2016"
    )
    services.record_recusal(recusal, fredholm, substitute=people["Lund"])
    motion = services.add_motion(recusal, kind=MotionKind.APPROVE, movers=[(chair, False)])
    services.record_proposition(recusal, kind=PropositionKind.SINGLE, outcome=motion)
    services.add_statement(
        recusal, kind=StatementKind.MINUTE_NOTE, authors=[(oberg, False)], text="Vi följer ärendet noga."
    )

    secret = services.add_item(
        meeting,
        title=f"Ärende om {SECRET}",
        confidential=True,
        public_heading=PUBLIC_HEADING,
        decision=f"Beslut om {SECRET} för {PRIVATE_NAME}.",
        matter=f"Ärendet gäller {PRIVATE_NAME}, {SECRET}.",
        dnr=SECRET_DNR,
    )
    services.record_recusal(secret, backman, substitute=people["Lund"])
    approve = services.add_motion(secret, kind=MotionKind.APPROVE, movers=[(chair, False)])
    reject = services.add_motion(secret, kind=MotionKind.REJECT, movers=[(oberg, False)], text=f"Avslag, {SECRET}.")
    proposition = services.record_proposition(secret, kind=PropositionKind.AGAINST_EACH_OTHER, outcome=approve)
    services.record_vote(proposition, yes_motion=approve, no_motion=reject, ballots=ballots_for(secret))

    secretary = User.objects.get(username="helena.wik")
    round = adjustment.send_for_adjustment(meeting, user=secretary)
    for person, _role in adjustment.signers(meeting):
        adjustment.approve(round, user=person.user)
    if announce:
        adjustment.announce(meeting, user=secretary)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def announced(published) -> Meeting:
    """The demo and the generated meeting, announced."""
    return generated_meeting(published, datetime.date(2016, 10, 20))


@pytest.fixture
def crawl_data(published, announced) -> Meeting:
    """The same, with a draft and an adjusted but unannounced meeting that must not show."""
    draft = services.create_meeting(committee=published.committee, date=datetime.date(2016, 11, 17))
    services.add_item(draft, title=DRAFT_TITLE, decision=f"Beslut i {DRAFT_TITLE}.")
    generated_meeting(published, datetime.date(2016, 12, 15), announce=False, title=UNANNOUNCED_TITLE)
    return announced


@pytest.fixture
def visited(client, crawl_data) -> Meeting:
    """The same, after a visitor downloaded each announced protocol from the portal (sealed at the announcement)."""
    for meeting in Meeting.objects.filter(status="announced").select_related("committee"):
        url = reverse("portal:protocol-pdf", args=[meeting.committee.slug, meeting.year, meeting.number])
        response = client.get(url)
        assert (response.status_code, b"".join(response.streaming_content)[:5]) == (200, b"%PDF-")
    return crawl_data


# Tests.


def test_the_schemas_are_loaded_with_their_references_and_date_time_formats():
    """The loading notes work: a $ref into another file is followed and date-times are checked."""
    meeting = {
        "id": "https://example.org/m/1",
        "type": OPARL + "Meeting",
        "created": "2016-09-22T18:00:00+02:00",
        "agendaItem": [{"id": "https://example.org/a/1", "type": OPARL + "AgendaItem"}],  # no order
        "location": {"id": "https://example.org/l/1", "type": OPARL + "Location", "created": "igår"},
    }
    messages = sorted(error.message for error in VALIDATORS["Meeting"].iter_errors(meeting))
    assert messages == ["'igår' is not a 'date-time'", "'order' is a required property"]
    assert set(VALIDATORS) == set(LISTS.values()) | {"System", "Body"}
    assert references("Membership") == {
        "person": "Person",
        "organization": "Organization",
        "onBehalfOf": "Organization",
    }
    assert not VALIDATORS["Body"].schema["properties"]["mainOrganization"].get("$ref")


def list_urls(client) -> dict[str, str]:
    """The Body's list URLs, found the way a client finds them."""
    system = client.get(SYSTEM).json()
    (body,) = client.get(system["body"]).json()["data"]
    return {key: body[key] for key in LISTS}


def check_files(crawler: Crawler, client, pdf_text) -> dict[str, bytes]:
    """Every File's accessUrl answers and its downloadUrl serves the PDF its size and checksum describe."""
    files = {
        url: obj
        for url, obj in {**crawler.embedded, **crawler.listed}.items()
        if obj.get("type") == OPARL + "File" and not obj.get("deleted")
    }
    served = {}
    for url, file in files.items():
        access = client.get(file["accessUrl"], follow=True)
        final = access.redirect_chain[-1][0] if access.redirect_chain else file["accessUrl"]
        if access.status_code != 200 or "/konto/" in final:
            crawler.violation(url, "accessUrl answers the public", (access.status_code, final))
        if "downloadUrl" not in file:
            crawler.violation(url, "a File has a downloadUrl", sorted(file))
            continue
        response = client.get(file["downloadUrl"], follow=True)
        data = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code != 200 or response.get("Content-Type") != "application/pdf":
            crawler.violation(url, "downloadUrl serves a PDF", (response.status_code, response.get("Content-Type")))
            continue
        for rule, expected, actual in [
            ("mimeType is application/pdf", file.get("mimeType"), "application/pdf"),
            ("size is the downloaded size", file.get("size"), len(data)),
            ("sha512Checksum is the downloaded SHA-512", file.get("sha512Checksum"), hashlib.sha512(data).hexdigest()),
            (
                "paragraf:sha256Checksum is the downloaded SHA-256",
                file.get("paragraf:sha256Checksum"),
                hashlib.sha256(data).hexdigest(),
            ),
        ]:
            if expected != actual:
                crawler.violation(url, rule, f"{expected!r} != {actual!r}")
        text = pdf_text(data)
        for secret in (SECRET, PRIVATE_NAME, SECRET_DNR):
            if secret in text:
                crawler.violation(url, "a public PDF withholds the confidential §", secret)
        served[url] = data
    return served


def person_names_in(item: Item) -> set[str]:
    """Everyone the records of a § name: movers, recused members and substitutes, voters, authors."""
    people = set()
    for motion in item.motions.all():
        people |= {mover.person for mover in motion.movers.all()}
    for recusal in item.recusals.all():
        people |= {recusal.person, recusal.substitute}
    for proposition in item.propositions.all():
        people |= {ballot.person for ballot in proposition.ballots.all()}
    for statement in item.statements.all():
        people |= {author.person for author in statement.authors.all()}
    return {person.full_name for person in people if person}


def test_a_crawl_finds_every_object_valid_reachable_and_only_public_data(client, visited, pdf_text):
    crawler = Crawler(client, extension_validators(), list_params={PAGE_SIZE: "5"})
    crawler.crawl()
    crawler.fetch_ids()
    crawler.check_references()
    pdfs = check_files(crawler, client, pdf_text)
    for meeting in crawler.lists.get("meeting", []):
        if meeting.get("resultsProtocol", {}).get("id") not in pdfs:
            crawler.violation(meeting["id"], "the sealed protocol is the resultsProtocol, served", None)
    # What must never be public: the confidential §'s text and the person it concerns, drafts, unannounced protocols.
    served = "\n".join(crawler.served)
    for secret in (SECRET, PRIVATE_NAME, SECRET_DNR, DRAFT_TITLE, UNANNOUNCED_TITLE):
        if secret in served:
            crawler.violation("the crawl", "never shows what is not public", secret)
    assert not crawler.violations, "\n".join(crawler.violations)

    assert crawler.pages > 2 * len(LISTS)  # lists went on over several pages
    meetings = {m["start"][:10]: m for m in crawler.lists["meeting"]}
    recent = Meeting.objects.filter(status="announced").latest("date").date.isoformat()
    assert sorted(meetings) == ["2016-09-22", "2016-10-20", recent]
    generated = meetings["2016-10-20"]
    assert [(a["name"], a["public"]) for a in generated["agendaItem"]] == [
        (VOTE_TITLE, True),
        (RECUSAL_TITLE, True),
        (PUBLIC_HEADING, False),
    ]

    confidential = generated["agendaItem"][2]
    person_ids = {p["id"] for p in crawler.lists["person"]}
    assert [s for s in all_strings(confidential) if s in person_ids] == []
    names = person_names_in(Item.objects.get(meeting=visited, confidential=True))
    assert len(names) >= 10  # movers, the recused member and substitute, the voters
    assert [n for n in names if n in json.dumps(confidential, ensure_ascii=False)] == []
    assert [key for key in confidential if key.startswith("paragraf:")] == ["paragraf:withheld"]
    assert (confidential["paragraf:withheld"], confidential.get("resolutionText")) == (True, None)

    committees = [o for o in crawler.lists["organization"] if o.get("organizationType") == "Gremium"]
    assert [o["name"] for o in committees] == [visited.committee.name]
    papers = {p.get("reference"): p for p in crawler.lists["paper"]}
    assert "1.5.1-392/2016" in papers  # § 10 of the demo
    consultations = [c for c in crawler.lists["consultation"] if c.get("paper") == papers[VOTE_DNR]["id"]]
    assert [(c["meeting"], c["agendaItem"]) for c in consultations] == [
        (generated["id"], generated["agendaItem"][0]["id"])
    ]


def test_every_announced_meeting_offers_its_sealed_protocol_before_anyone_asked_the_portal(client, announced, pdf_text):
    """The issue maps each meeting's sealed protocol to `resultsProtocol`; with a confidential §, its public version."""
    meetings = client.get(list_urls(client)["meeting"]).json()["data"]
    assert len(meetings) == 3
    assert [m["start"][:10] for m in meetings if "resultsProtocol" not in m] == []
    for meeting in meetings:
        response = client.get(meeting["resultsProtocol"]["downloadUrl"])
        text = pdf_text(b"".join(response.streaming_content))
        held = Meeting.objects.get(date=meeting["start"][:10], status="announced")
        assert (f"PROTOKOLL Nr {held.number}/{held.year}" in text, SECRET in text) == (True, False), meeting["id"]


VOTES = {"yes": "Ja", "no": "Nej", "abstain": "Avstår"}


def test_the_extension_records_the_vote_the_recusal_and_who_served(client, announced):
    """Per-member ballots (absent kept apart from abstained), the recusal with its substitute, the reservation."""
    meetings = client.get(list_urls(client)["meeting"]).json()["data"]
    (generated,) = [m for m in meetings if m["start"].startswith("2016-10-20")]
    vote, recusal, _confidential = generated["agendaItem"]
    item = Item.objects.get(meeting=announced, title=VOTE_TITLE)
    serving = Person.objects.in_bulk(rules.serving_on(item))
    cast = {b.person.full_name: VOTES[b.choice] for p in item.propositions.all() for b in p.ballots.all()}
    expected = sorted((p.full_name, cast.get(p.full_name, "Frånvarande")) for p in serving.values())

    def names(people: list[dict]) -> list[str]:
        return [person["name"] for person in people]

    assert [(m["kind"], names(m["movers"])) for m in vote["paragraf:motions"]] == [
        ("approve", ["Lars Bäck"]),
        ("reject", ["Arne Fredholm"]),
    ]
    (step,) = vote["paragraf:propositions"]
    ballot = step["vote"]
    assert (step["outcome"], ballot["yesMotion"], ballot["noMotion"]) == (1, 1, 2)
    assert [ballot[key] for key in ("yes", "no", "abstain", "absent", "castingVote")] == [7, 2, 1, 1, None]
    assert sorted((b["name"], b["vote"]) for b in ballot["ballots"]) == expected
    assert ("Karin Holm", "Frånvarande") in expected and ("Erik Nyström", "Avstår") in expected
    assert [(names(r["members"]), r["inFavourOf"]) for r in vote["paragraf:reservations"]] == [(["Peter Öberg"], 2)]
    # A client that ignores the extension still reads the reservation beside the decision.
    reserved = vote["paragraf:reservations"][0]["sentence"]
    assert "Öberg" in reserved
    assert (vote["paragraf:withheld"], vote["paragraf:dnr"], vote["resolutionText"]) == (
        False,
        VOTE_DNR,
        "Parken får namnet Årstavikens park.\n\n" + reserved,
    )

    (recused,) = recusal["paragraf:recusals"]
    assert (recused["name"], recused["party"], recused["leftRoom"], recused["substitute"]["name"]) == (
        "Arne Fredholm",
        "M",
        True,
        "Eva Lund",
    )
    assert recusal["resolutionText"].endswith("\n\n" + recused["sentence"])
    assert "Fredholm" in recused["sentence"]
    on_recusal = names(recusal["paragraf:serving"])
    assert ("Eva Lund" in on_recusal, "Arne Fredholm" in on_recusal, len(on_recusal)) == (True, False, 11)
    assert [(s["kind"], names(s["authors"])) for s in recusal["paragraf:statements"]] == [
        ("minute_note", ["Peter Öberg"])
    ]
    attendance = {(a["name"], a["function"]) for a in generated["paragraf:attendance"]}
    assert {("Eva Lund", "non_serving"), ("Karin Holm", "serving")} <= attendance


def test_deleted_objects_are_listed_only_with_modified_since(client, announced):
    """A deleted person and membership vanish from the lists, and come back as bare tombstones with modified_since."""
    newcomer = Person.objects.create(first_name="Nils", last_name="Nykomling")
    membership = Membership.objects.create(
        person=newcomer,
        committee=announced.committee,
        party=Party.objects.get(abbreviation="L"),
        role=Role.SUBSTITUTE,
        start=datetime.date(2019, 1, 1),
        position=99,
    )
    crawler = Crawler(client, extension_validators())
    lists = list_urls(client)
    kept = ("person", "membership")
    before = {key: {o["id"] for o in crawler.walk(lists[key], LISTS[key])} for key in kept}
    membership.delete()
    newcomer.delete()
    plain = {key: crawler.walk(lists[key], LISTS[key]) for key in LISTS}
    since = {key: crawler.walk(lists[key], LISTS[key], modified_since="2000-01-01T00:00:00+01:00") for key in LISTS}
    assert not crawler.violations, "\n".join(crawler.violations)

    gone = {key: before[key] - {o["id"] for o in plain[key]} for key in kept}
    assert [len(gone[key]) for key in kept] == [1, 1]
    for key in LISTS:
        assert [o["id"] for o in plain[key] if o.get("deleted")] == [], key
        tombstones = {o["id"] for o in since[key] if o.get("deleted") is True}
        assert tombstones == gone.get(key, set()), key
        alive = [o["id"] for o in since[key] if not o.get("deleted")]
        assert alive == [o["id"] for o in plain[key]], key
        for tombstone in (o for o in since[key] if o.get("deleted") is True):
            assert crawler.get(tombstone["id"]) == tombstone
    assert not crawler.violations, "\n".join(crawler.violations)


def test_the_date_filters_filter_and_are_carried_from_page_to_page(client, announced):
    lists = list_urls(client)
    window = {
        "created_since": "2000-01-01T00:00:00+01:00",
        "created_until": "2100-01-01T00:00:00+01:00",
        "modified_since": "2000-01-01T00:00:00+01:00",
        "modified_until": "2100-01-01T00:00:00+01:00",
    }
    crawler = Crawler(client, extension_validators())
    for key in LISTS:
        everything = crawler.walk(lists[key], LISTS[key], **{PAGE_SIZE: "2"})
        within = crawler.walk(lists[key], LISTS[key], **window, **{PAGE_SIZE: "2"})
        assert [o["id"] for o in within if not o.get("deleted")] == [o["id"] for o in everything], key
        future = crawler.walk(lists[key], LISTS[key], created_since="2100-01-01T00:00:00+01:00")
        past = crawler.walk(lists[key], LISTS[key], modified_until="2000-01-01T00:00:00+01:00")
        assert (future, past) == ([], []), key
    assert not crawler.violations, "\n".join(crawler.violations)


def test_a_list_page_reads_as_many_queries_for_3_meetings_as_for_1_and_on_every_page(client, published, settings):
    """The query count of a list page grows neither with the objects on it nor with the pages the list has."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    generated_meeting(published, datetime.date(2016, 10, 20))
    lists = list_urls(client)

    def counted(url: str) -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        return len(captured.captured_queries), response.json()

    def measure() -> dict[str, tuple[int, int]]:
        """Each list on one page: (queries, objects)."""
        found = {}
        for key, url in lists.items():
            queries, page = counted(with_query(url, **{PAGE_SIZE: "1000"}))
            assert "next" not in page["links"], key
            found[key] = (queries, len(page["data"]))
        return found

    measure()  # warm what is read once per process
    one = measure()
    generated_meeting(published, datetime.date(2016, 11, 17))
    generated_meeting(published, datetime.date(2016, 12, 15))
    three = measure()  # the first requests after two more announcements, as a harvester's next run would be
    assert {key: queries for key, (queries, _n) in three.items()} == {key: q for key, (q, _n) in one.items()}
    grown = sorted(key for key in LISTS if three[key][1] > one[key][1])
    assert grown == ["agendaItem", "consultation", "file", "meeting", "paper"]

    for key, url in lists.items():  # now two objects a page: every page reads what the single page read
        url, pages = with_query(url, **{PAGE_SIZE: "2"}), []
        while url:
            queries, page = counted(url)
            pages.append(queries)
            url = page["links"].get("next")
        assert pages == [three[key][0]] * len(pages), key
        assert len(pages) >= 3 or key in ("file", "locationList", "legislativeTermList"), (key, len(pages))


def bad_requests(client) -> list[tuple[str, str, set[int]]]:
    """(what, URL, statuses allowed): unknown ids, malformed filter dates, impossible page numbers and page sizes."""
    lists = list_urls(client)
    cases = [("unknown address", "http://testserver/oparl/v1/finns-inte", {404})]
    for url in lists.values():
        first = client.get(with_query(url, **{PAGE_SIZE: "1"})).json()
        some_id = first["data"][0]["id"] if first["data"] else None
        if some_id and re.search(r"\d+", some_id):
            cases += [
                ("unknown id", re.sub(r"\d+(?=\D*$)", "987654321", some_id), {404}),
                ("unknown id", re.sub(r"\d+(?=\D*$)", "abc", some_id), {404}),
                ("id not as its id is written", re.sub(r"(\d+)(?=\D*$)", r"0\1", some_id), {404}),
            ]
        for value in ("igår", "2016-13-45T25:61:00+01:00", "2016-09-22T18:00:00+01:00x"):
            cases += [("malformed filter date", with_query(url, **{name: value}), {400}) for name in FILTERS]
        for value in ("-5", "abc", "1.5"):
            cases.append(("bad page size", with_query(url, **{PAGE_SIZE: value}), {400}))
        cases.append(("huge page size", with_query(url, **{PAGE_SIZE: str(10**12)}), {200, 400}))
        next_url = first["links"].get("next")
        if next_url:
            this_page = query_of(first["links"].get("self", url))
            changed = [k for k, v in query_of(next_url).items() if this_page.get(k) != v]
            page_keys = [k for k in changed if k != PAGE_SIZE and k not in FILTERS and query_of(next_url)[k].isdigit()]
            for page_key in page_keys:
                for value in (str(10**12), "0", "-1", "abc"):
                    cases.append(("bad page number", with_query(next_url, **{page_key: value}), {400, 404}))
    return cases


def test_bad_input_gets_a_json_error_never_a_500_or_an_html_page(client, announced):
    failures = []
    cases = bad_requests(client)
    for what, url, allowed in cases:
        response = client.get(url)
        content_type = response.get("Content-Type", "").split(";")[0]
        try:
            body = json.loads(response.content)
        except ValueError:
            body = None
        if response.status_code not in allowed or content_type != "application/json" or not isinstance(body, dict):
            failures.append(f"{what}: {url}: {response.status_code} {content_type} {response.content[:120]!r}")
        elif response.get("Access-Control-Allow-Origin") != "*":
            failures.append(f"{what}: {url}: an error is readable from any origin too")
    assert sorted({what for what, _url, _allowed in cases}) == [
        "bad page number",
        "bad page size",
        "huge page size",
        "id not as its id is written",
        "malformed filter date",
        "unknown address",
        "unknown id",
    ]
    assert failures == [], "\n".join(failures)
