"""The OParl API: the objects it maps the protocols to, what it withholds, its lists, filters, tombstones and errors."""

import datetime
import hashlib
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft7Validator

from committee.models import Membership, Party, Person, Role
from minutes import adjustment, deadlines, rules, services
from minutes.demo import load_demo, publish_demo
from minutes.models import (
    AdjustmentRound,
    Announcement,
    DocumentKind,
    Item,
    Meeting,
    MeetingStatus,
    MotionKind,
    PropositionKind,
    RoundState,
    SealedDocument,
    StatementKind,
)
from minutes.oparl.listing import stamp
from minutes.protocol import adjusted

pytestmark = pytest.mark.django_db

ROOT = "http://testserver/oparl/v1/"
BODY = ROOT + "body/stockholms-stad"
OPARL = "https://schema.oparl.org/1.1/"
EXTENSION = json.loads((Path(__file__).resolve().parents[2] / "docs/oparl/extension.schema.json").read_text())
LISTS = {
    "organization": "organizations",
    "person": "persons",
    "membership": "memberships",
    "meeting": "meetings",
    "agendaItem": "agenda-items",
    "consultation": "consultations",
    "paper": "papers",
    "file": "files",
    "locationList": "locations",
    "legislativeTermList": "legislative-terms",
}
VOTE_TITLE = "Namnbyte på parken vid Årstaviken"
VOTE_DNR = "1.2.3-100/2016"
SECRET = "HEMLIGHETSFULL-UPPGIFT"
PUBLIC_HEADING = "Sekretessärende enligt OSL 26:1"


def add_vote(meeting: Meeting) -> Item:
    """A § with a roll-call vote: Öberg and Fredholm Nej, Nyström abstains, Lindqvist serves but casts no ballot."""
    people = {p.last_name: p for p in Person.objects.all()}
    item = services.add_item(meeting, title=VOTE_TITLE, decision="Parken får namnet Årstavikens park.", dnr=VOTE_DNR)
    approve = services.add_motion(item, kind=MotionKind.APPROVE, movers=[(people["Bäck"], False)])
    reject = services.add_motion(item, kind=MotionKind.REJECT, movers=[(people["Öberg"], True)])
    proposition = services.record_proposition(item, kind=PropositionKind.AGAINST_EACH_OTHER, outcome=approve)
    choice = {"Fredholm": "no", "Öberg": "no", "Nyström": "abstain"}
    serving = Person.objects.in_bulk(rules.serving_on(item)).values()
    ballots = {p: choice.get(p.last_name, "yes") for p in serving if p.last_name != "Lindqvist"}
    services.record_vote(proposition, yes_motion=approve, no_motion=reject, ballots=ballots)
    services.add_reservation(item, members=[(people["Öberg"], False)], in_favour_of=reject)
    services.add_statement(item, kind=StatementKind.MINUTE_NOTE, authors=[(people["Fredholm"], False)], text="Noterat.")
    return item


def add_secret(meeting: Meeting) -> Item:
    people = {p.last_name: p for p in Person.objects.all()}
    item = services.add_item(
        meeting,
        title=f"Ärende om {SECRET}",
        confidential=True,
        public_heading=PUBLIC_HEADING,
        decision=f"Beslut om {SECRET}.",
        dnr="1.5.1-999/2016",
    )
    services.record_recusal(item, people["Backman"], substitute=people["Lund"])
    services.record_proposition(
        item, kind="single", outcome=services.add_motion(item, kind="approve", movers=[(people["Sundberg"], False)])
    )
    return item


@pytest.fixture
def published(seal_certificate) -> Meeting:
    """The demo meeting with a vote § and a confidential §, sealed and announced, and the recent demo meeting."""
    meeting = load_demo()
    add_vote(meeting)
    add_secret(meeting)
    publish_demo(meeting)
    meeting.refresh_from_db()
    return meeting


def quickly_announced(
    committee,
    day: datetime.date,
    *,
    items: int = 2,
    fill=None,
    at: datetime.datetime | None = None,
    frozen: bool = False,
) -> Meeting:
    """A meeting announced the way bench/decade.py does it, with a stand-in for its sealed protocol: no time taken.

    Like a protocol adjusted before snapshots were frozen, it is read as its data stands, unless `frozen`.
    """
    meeting = services.create_meeting(committee=committee, date=day, place="Stadshuset")
    chair = Person.objects.get(last_name="Bäck")
    for n in range(items):
        item = services.add_item(meeting, title=f"Ärende {n}", decision="Beslut.", dnr=f"9.9-{day:%m%d}{n}/2016")
        motion = services.add_motion(item, kind=MotionKind.APPROVE, movers=[(chair, False)])
        services.record_proposition(item, kind=PropositionKind.SINGLE, outcome=motion)
    if fill is not None:
        fill(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.ADJUSTED)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.ANNOUNCED)
    user = User.objects.get(username="helena.wik")
    now = timezone.now()
    round = AdjustmentRound.objects.create(
        meeting=meeting, state=RoundState.COMPLETED, opened_by=user, closed_at=now, closed_by=user
    )
    data = f"%PDF-1.7 {meeting.pk}".encode()
    document = SealedDocument(
        round=round,
        meeting=meeting,
        kind=DocumentKind.PROTOCOL,
        snapshot={},
        snapshot_sha256="",
        sha256=hashlib.sha256(data).hexdigest(),
        sha512=hashlib.sha512(data).hexdigest(),
        size=len(data),
    )
    document.file.save(f"protocol-{meeting.pk}.pdf", ContentFile(data))
    Announcement.objects.create(
        round=round,
        meeting=meeting,
        adjusted_on=now.date(),
        posted_on=now.date(),
        appeal_ends_on=deadlines.appeal_ends(now.date()),
        take_down_on=deadlines.take_down_on(now.date()),
        kept_at="",
        announced_by=user,
        announced_at=at or now,
    )
    if frozen:
        adjusted.freeze(round, adjustment=adjustment.adjustment_facts(round))
    return meeting


def get(client, url: str, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def everything(client, name: str, **params) -> list[dict]:
    """Every object of a list, following links.next."""
    found, url = [], f"{BODY}/{name}"
    page = get(client, url, **params)
    while True:
        found += page["data"]
        if "next" not in page["links"]:
            return found
        page = get(client, page["links"]["next"])


def embedded(value) -> list[dict]:
    """Every OParl object inside a value, at any depth."""
    if isinstance(value, dict):
        inner = [value] if str(value.get("type", "")).startswith(OPARL) else []
        return inner + [o for child in value.values() for o in embedded(child)]
    if isinstance(value, list):
        return [o for child in value for o in embedded(child)]
    return []


def test_system_leads_to_one_body_per_municipality_with_every_list(client, published):
    system = get(client, ROOT + "system")
    assert (system["id"], system["type"], system["oparlVersion"]) == (ROOT + "system", OPARL + "System", OPARL)
    bodies = get(client, system["body"])
    assert [b["id"] for b in bodies["data"]] == [BODY]
    body = bodies["data"][0]
    assert {key: body[key] for key in LISTS} == {key: f"{BODY}/{name}" for key, name in LISTS.items()}
    assert (body["name"], body["system"]) == ("Stockholms stad", ROOT + "system")
    assert [t["name"] for t in body["legislativeTerm"]] == ["2015–2018", "2019–2022", "2023–2026"][
        : len(body["legislativeTerm"])
    ]
    assert get(client, BODY) == body
    assert client.get(ROOT)["Location"] == "/oparl/v1/system"


def test_every_object_is_served_at_its_id_as_listed(client, published):
    for name in LISTS.values():
        objects = everything(client, name, limit=3)
        assert objects, name
        for obj in objects:
            assert get(client, obj["id"]) == obj, obj["id"]
            for inner in embedded(obj)[1:]:
                assert {"created", "modified"} <= set(inner), inner["id"]
                assert get(client, inner["id"])["id"] == inner["id"]


def test_the_maps_of_committee_party_membership_and_meeting(client, published):
    organizations = {o["name"]: o for o in everything(client, "organizations")}
    committee = organizations["Årstadals stadsdelsnämnd"]
    assert (committee["organizationType"], committee["shortName"]) == ("Gremium", "Årstadal SDN")
    liberals = organizations["Liberalerna"]
    assert (liberals["organizationType"], liberals["shortName"]) == ("Partei", "L")
    memberships = {(m["person"], m["startDate"]): m for m in everything(client, "memberships")}
    oberg = Person.objects.get(last_name="Öberg")
    mine = memberships[(f"{BODY}/person/{oberg.pk}", "2015-01-01")]
    assert (mine["role"], mine["votingRight"], mine["onBehalfOf"], mine["endDate"]) == (
        "ledamot",
        True,
        liberals["id"],
        "2018-12-31",
    )
    lund = Person.objects.get(last_name="Lund")
    assert memberships[(f"{BODY}/person/{lund.pk}", "2015-01-01")]["votingRight"] is False
    assert committee["membership"] == [
        m["id"] for m in everything(client, "memberships") if m["organization"] == committee["id"]
    ]

    meeting = get(client, f"{BODY}/meeting/{published.pk}")
    assert (meeting["start"], meeting["end"], meeting["meetingState"]) == (
        "2016-09-22T18:00:00+02:00",
        "2016-09-22T20:05:00+02:00",
        "durchgeführt",
    )
    assert meeting["location"]["description"] == "Årstadals stadsdelsförvaltning, sammanträdesrummet"
    assert meeting["organization"] == [committee["id"]]
    announced = Announcement.objects.get(meeting=published, round__item__isnull=True).announced_at
    assert meeting["created"] == timezone.localtime(announced).replace(microsecond=0).isoformat()
    numbers = [f"§ {n}" for n in published.items.order_by("position").values_list("number", flat=True)]
    assert [a["number"] for a in meeting["agendaItem"]] == numbers
    assert f"{BODY}/person/{oberg.pk}" in meeting["participant"]
    sjo = next(a for a in meeting["paragraf:attendance"] if a["name"] == "Birgitta Sjö")
    assert (sjo["function"], sjo["title"]) == ("other", "stadsdelsdirektör")


def test_a_roll_call_vote_keeps_the_absent_apart_from_the_abstaining(client, published):
    item = Item.objects.get(meeting=published, title=VOTE_TITLE)
    served = get(client, f"{BODY}/agenda-item/{item.pk}")
    assert list(Draft7Validator(EXTENSION).iter_errors(served)) == []
    assert (served["resolutionText"], served["result"], served["public"]) == (
        "Parken får namnet Årstavikens park.\n\n"
        "Peter Öberg (L) reserverade sig mot beslutet till förmån för eget yrkande.",
        "Beslutat",
        True,
    )
    (proposition,) = served["paragraf:propositions"]
    vote = proposition["vote"]
    assert (vote["yes"], vote["no"], vote["abstain"], vote["absent"]) == (7, 2, 1, 1)
    by_name = {b["name"]: b["vote"] for b in vote["ballots"]}
    assert (by_name["Anna Lindqvist"], by_name["Erik Nyström"], by_name["Peter Öberg"]) == (
        "Frånvarande",
        "Avstår",
        "Nej",
    )
    assert (vote["yesMotion"], vote["noMotion"], proposition["outcome"]) == (1, 2, 1)
    movers = served["paragraf:motions"][1]["movers"]
    assert [(m["name"], m["party"], m["withOthers"]) for m in movers] == [("Peter Öberg", "L", True)]
    (reservation,) = served["paragraf:reservations"]
    assert (reservation["inFavourOf"], [m["name"] for m in reservation["members"]]) == (2, ["Peter Öberg"])
    assert [(s["kind"], s["text"]) for s in served["paragraf:statements"]] == [("minute_note", "Noterat.")]
    assert served["paragraf:procedure"][0].startswith("Ordföranden ställde yrkandena mot varandra")
    assert [s["kind"] for s in served["paragraf:sections"]] == [
        "decision",
        "matter",
        "motions",
        "procedure",
        "reservation",
        "minute_note",
    ]
    assert len(served["paragraf:serving"]) == 11


def test_every_agenda_item_validates_against_the_extension_schema(client, published):
    validator = Draft7Validator(EXTENSION)
    items = everything(client, "agenda-items")
    assert len(items) == Item.objects.filter(meeting__status=MeetingStatus.ANNOUNCED).count() == 17
    assert [list(validator.iter_errors(item)) for item in items] == [[]] * len(items)
    for meeting in everything(client, "meetings"):
        schema = {**EXTENSION, "$ref": "#/definitions/meetingAttendance"}
        assert list(Draft7Validator(schema).iter_errors(meeting["paragraf:attendance"])) == []


def test_a_confidential_item_is_its_public_heading_and_nothing_else(client, published):
    secret = Item.objects.get(meeting=published, confidential=True, title__contains=SECRET)
    served = get(client, f"{BODY}/agenda-item/{secret.pk}")
    assert {key: served[key] for key in ("name", "public", "paragraf:withheld")} == {
        "name": PUBLIC_HEADING,
        "public": False,
        "paragraf:withheld": True,
    }
    assert sorted(k for k in served if k.startswith("paragraf:")) == ["paragraf:withheld"]
    assert "resolutionText" not in served and "consultation" not in served and "result" not in served
    everything_served = json.dumps([everything(client, name) for name in LISTS.values()], ensure_ascii=False)
    assert SECRET not in everything_served
    assert "1.5.1-999/2016" not in everything_served  # its Dnr tells nothing either
    assert "Eva Lund" not in json.dumps(served, ensure_ascii=False)


def test_drafts_and_unannounced_protocols_are_absent(client, published):
    draft = services.create_meeting(committee=published.committee, date=datetime.date(2016, 11, 17))
    services.add_item(draft, title="UTKAST", decision="Utkast.")
    meetings = everything(client, "meetings")
    assert len(meetings) == 2
    assert str(draft.pk) not in {m["id"].rsplit("/", 1)[1] for m in meetings}
    assert client.get(f"{BODY}/meeting/{draft.pk}").status_code == 404
    draft_item = draft.items.get()
    assert client.get(f"{BODY}/agenda-item/{draft_item.pk}").status_code == 404
    assert "UTKAST" not in json.dumps(everything(client, "agenda-items"))


def test_files_are_the_public_sealed_pdfs_and_serve_them(client, published):
    # The demo has a confidential §: its sealed protocol is never offered, its public version
    # (sealed by a worker at the announcement) is.
    protocol = SealedDocument.objects.get(meeting=published, kind=DocumentKind.PROTOCOL)
    public = SealedDocument.objects.get(meeting=published, kind=DocumentKind.PUBLIC)
    meeting = get(client, f"{BODY}/meeting/{published.pk}")
    file = meeting["resultsProtocol"]
    assert (file["id"], file["mimeType"], file["size"], file["sha512Checksum"], file["paragraf:sha256Checksum"]) == (
        f"{BODY}/file/{public.pk}",
        "application/pdf",
        public.size,
        public.sha512,
        public.sha256,
    )
    assert meeting["modified"] == file["created"] == stamp(public.created_at)  # the meeting changed with it
    response = client.get(file["downloadUrl"])
    data = b"".join(response.streaming_content)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert hashlib.sha512(data).hexdigest() == file["sha512Checksum"]
    assert get(client, file["id"]) == file
    get(client, f"{BODY}/meeting/{published.pk}")
    assert SealedDocument.objects.filter(meeting=published, kind=DocumentKind.PUBLIC).count() == 1  # reads seal nothing

    recent = Meeting.objects.exclude(pk=published.pk).get(status=MeetingStatus.ANNOUNCED)
    assert sorted(f["id"] for f in everything(client, "files")) == sorted(
        f"{BODY}/file/{d.pk}" for d in SealedDocument.objects.exclude(pk=protocol.pk)
    )
    assert client.get(f"{BODY}/file/{protocol.pk}").status_code == 404
    assert get(client, f"{BODY}/meeting/{recent.pk}")["resultsProtocol"]["name"].startswith("Protokoll, Årstadals")


def tabled(meeting: Meeting) -> None:
    item = services.add_item(meeting, title=VOTE_TITLE, decision="Ärendet bordläggs.", dnr=VOTE_DNR)
    table = services.add_motion(item, kind=MotionKind.TABLE, movers=[(Person.objects.get(last_name="Bäck"), False)])
    services.record_proposition(item, kind=PropositionKind.DECIDE_TODAY_OR_TABLE, outcome=table)


def test_a_paper_per_dnr_with_a_consultation_per_item(client, published):
    later = timezone.now() + datetime.timedelta(days=1)
    again = quickly_announced(published.committee, datetime.date(2016, 10, 20), items=0, fill=tabled, at=later)

    paper = get(client, f"{BODY}/paper/{VOTE_DNR}")
    assert (paper["id"], paper["reference"], paper["name"]) == (f"{BODY}/paper/{VOTE_DNR}", VOTE_DNR, VOTE_TITLE)
    assert [(c["role"], c["authoritative"]) for c in paper["consultation"]] == [
        ("Beslutat", True),
        ("Bordlagt", False),
    ]
    assert [c["meeting"] for c in paper["consultation"]] == [
        f"{BODY}/meeting/{published.pk}",
        f"{BODY}/meeting/{again.pk}",
    ]
    assert paper["created"] < paper["modified"]
    assert get(client, paper["consultation"][1]["agendaItem"])["result"] == "Bordlagt"


def test_a_deleted_membership_and_person_are_tombstones_only_with_modified_since(client, published):
    newcomer = Person.objects.create(first_name="Nils", last_name="Nykomling")
    membership = Membership.objects.create(
        person=newcomer,
        committee=published.committee,
        party=Party.objects.get(abbreviation="L"),
        role=Role.SUBSTITUTE,
        start=datetime.date(2019, 1, 1),
    )
    backman = Person.objects.get(last_name="Backman")
    before = get(client, f"{BODY}/person/{backman.pk}")["modified"]
    old = Membership.objects.filter(person=backman).first()
    modified = max(backman.modified, *Membership.objects.filter(person=backman).values_list("modified", flat=True))
    old_id = old.pk
    Membership.objects.filter(pk=old_id).delete()  # a queryset delete, as the admin's action does
    new_id, newcomer_id = membership.pk, newcomer.pk
    membership.delete()
    newcomer.delete()
    deleted = [Model.history.filter(history_type="-").count() for Model in (Membership, Person, Party)]
    assert deleted == [2, 1, 0]

    plain = everything(client, "memberships")
    assert [m for m in plain if m.get("deleted")] == []
    since = everything(client, "memberships", modified_since="2000-01-01T00:00:00+01:00")
    stones = [m for m in since if m.get("deleted")]
    assert sorted(m["id"] for m in stones) == sorted(f"{BODY}/membership/{pk}" for pk in (old_id, new_id))
    assert [m["id"] for m in since if not m.get("deleted")] == [m["id"] for m in plain]
    assert set(stones[0]) == {"id", "type", "created", "modified", "deleted"}
    assert get(client, f"{BODY}/membership/{old_id}")["deleted"] is True
    person = get(client, f"{BODY}/person/{newcomer_id}")
    assert (person["type"], person["deleted"]) == (OPARL + "Person", True)
    lost = Membership.history.get(id=old_id, history_type="-").history_date
    assert lost > modified
    assert get(client, f"{BODY}/person/{backman.pk}")["modified"] == stamp(lost)  # it lost a membership
    assert stamp(lost) >= before
    future = everything(client, "persons", modified_since="2100-01-01T00:00:00+01:00")
    assert future == []


def test_a_membership_deleted_since_moves_its_meetings_modified_on(client, published):
    """Regression: the live and the deleted memberships are one UNION, and Membership has a default ordering.

    On SQLite that union answered "ORDER BY not allowed in subqueries of compound statements", a 500
    on every list built from meetings; the union must read both halves on the one engine there is.

    Only a protocol read as its data stands (adjusted before snapshots were frozen) names the party
    as it stands: a protocol adjusted since names the one it was adjusted with, and keeps its date.
    """
    assert Membership._meta.ordering
    at = timezone.make_aware(datetime.datetime(2020, 1, 1, 12, 0))  # announced long before the deletion
    unfrozen = quickly_announced(published.committee, datetime.date(2016, 10, 20), at=at)
    meeting_url, adjusted_url = f"{BODY}/meeting/{unfrozen.pk}", f"{BODY}/meeting/{published.pk}"
    before, adjusted_before = get(client, meeting_url), get(client, adjusted_url)
    in_force = Membership.objects.filter(committee=published.committee, start__lte=published.date).first()
    Membership.objects.filter(pk=in_force.pk).delete()
    lost = Membership.history.get(id=in_force.pk, history_type="-").history_date

    meeting = get(client, meeting_url)
    # Stamps have whole seconds: the deletion may fall in the second of the last change before it.
    assert (meeting["modified"], before["modified"] <= meeting["modified"]) == (stamp(lost), True)
    assert [m["id"] for m in everything(client, "meetings")].count(meeting_url) == 1
    assert get(client, adjusted_url) == adjusted_before


def test_date_filters_select_objects_and_are_carried_into_next(client, published):
    at = timezone.make_aware(datetime.datetime(2020, 1, 1, 12, 0))
    early = quickly_announced(published.committee, datetime.date(2016, 10, 20), items=5, at=at)
    meetings = everything(client, "meetings")
    assert len(meetings) == 3
    until = everything(client, "agenda-items", created_until="2020-01-01T12:00:00+01:00", limit=4)
    assert ({a["meeting"] for a in until}, len(until)) == ({f"{BODY}/meeting/{early.pk}"}, 5)
    assert everything(client, "agenda-items", created_until="2020-01-01T11:59:59+01:00") == []
    since = everything(client, "meetings", created_since="2020-01-01T12:00:01+01:00")
    assert sorted(m["id"] for m in since) == sorted(
        m["id"] for m in meetings if m["id"] != f"{BODY}/meeting/{early.pk}"
    )
    window = {"modified_since": "2000-01-01T00:00:00+01:00", "created_until": "2100-01-01T00:00:00+01:00"}
    page = get(client, f"{BODY}/agenda-items", limit=2, **window)
    assert "modified_since=2000-01-01T00%3A00%3A00%2B01%3A00" in page["links"]["next"]
    assert "created_until=2100-01-01T00%3A00%3A00%2B01%3A00" in page["links"]["next"]
    assert "limit=2" in page["links"]["next"]
    assert page["pagination"]["totalElements"] == len(everything(client, "agenda-items"))
    # An unencoded '+' arrives as a space; it is read as the '+' it was.
    assert get(client, f"{BODY}/meetings?created_since=2000-01-01T00:00:00+01:00")["data"] == meetings


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("finns-inte", 404),
        ("body/ingen-kommun", 404),
        ("body/stockholms-stad/ingen-lista", 404),
        ("body/stockholms-stad/meeting/987654321", 404),
        ("body/stockholms-stad/meeting/abc", 404),
        ("body/stockholms-stad/meeting/99999999999999999999999", 404),
        ("body/stockholms-stad/agenda-item/-1", 404),
        ("body/stockholms-stad/paper/0.0-0/1900", 404),
        ("body/stockholms-stad/location/abc", 404),
        ("body/stockholms-stad/legislative-term/1900", 404),
        ("body/stockholms-stad/meetings?page=999999999999", 404),
        ("body/stockholms-stad/meetings?page=0", 400),
        ("body/stockholms-stad/meetings?page=abc", 400),
        ("body/stockholms-stad/meetings?limit=-5", 400),
        ("body/stockholms-stad/meetings?limit=1.5", 400),
        ("body/stockholms-stad/meetings?limit=%C2%B2", 400),
        ("body/stockholms-stad/meetings?limit=1000000", 400),
        ("body/stockholms-stad/meetings?modified_since=igår", 400),
        ("body/stockholms-stad/meetings?created_until=2016-13-45T25:61:00%2B01:00", 400),
        ("body/stockholms-stad/persons?modified_until=2016-09-22T18:00:00%2B01:00x", 400),
    ],
)
def test_bad_input_is_a_json_error(client, published, path, status):
    response = client.get(ROOT + path)
    assert (response.status_code, response["Content-Type"], response["Access-Control-Allow-Origin"]) == (
        status,
        "application/json; charset=utf-8",
        "*",
    )
    assert response.json()["status"] == status


@pytest.mark.parametrize("path", ["/oparl/v2/system", "/oparl/nothing", "/oparl/v1x"])
def test_addresses_beside_the_version_are_json_errors_too(client, path):
    response = client.get(path)
    assert (response.status_code, response["Content-Type"]) == (404, "application/json; charset=utf-8")
    assert response.json()["status"] == 404


def test_the_entry_point_leads_to_the_system(client):
    response = client.get("/oparl/")
    assert (response.status_code, response["Location"]) == (302, "/oparl/v1/system")


def test_the_api_is_read_only(client, published):
    response = client.post(ROOT + "system")
    assert (response.status_code, response.json()["status"], response["Allow"]) == (405, 405, "GET, HEAD, OPTIONS")


# Each list page reads a fixed number of queries, whatever the number of objects on it (the cache off):
# for protocols frozen at their adjustment, and for those read as their data stands (UNFROZEN).
LIST_QUERIES = {
    "organizations": 4,
    "persons": 4,
    "memberships": 3,
    "meetings": 11,  # one of them looks for coming meetings with a public agenda (minutes.oparl.agenda)
    "agenda-items": 11,
    "consultations": 7,  # one looks for coming public items with a Dnr (minutes.oparl.agenda)
    "papers": 7,
    "files": 10,  # one of them reads the house styles that name the §§ of extracts
    "locations": 5,  # one looks for the places of coming meetings with a public agenda
    "legislative-terms": 3,
}
# Unfrozen, the meetings' times also read who attended, and their snapshots are read from 12 tables more.
UNFROZEN = {
    **LIST_QUERIES,
    "meetings": 24,
    "agenda-items": 24,
    "consultations": 8,
    "papers": 8,
    "files": 11,
    "locations": 6,
}


@pytest.mark.parametrize("frozen", [True, False], ids=["frozen", "unfrozen"])
@pytest.mark.parametrize("meetings", [1, 3])
def test_a_list_page_reads_a_fixed_number_of_queries(client, seal_certificate, settings, meetings, frozen):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    demo = load_demo()
    for n in range(meetings):
        day = datetime.date(2016, 10, 1) + datetime.timedelta(days=7 * n)
        quickly_announced(demo.committee, day, items=2 + n, frozen=frozen)
    counted = {}
    for name in LIST_QUERIES:
        with CaptureQueriesContext(connection) as queries:
            page = get(client, f"{BODY}/{name}")
        assert page["data"], name
        counted[name] = len(queries)
    assert counted == (LIST_QUERIES if frozen else UNFROZEN)


def test_a_page_of_cached_meetings_reads_only_what_tells_it_they_are_unchanged(client, seal_certificate):
    demo = load_demo()
    for n in range(3):
        quickly_announced(demo.committee, datetime.date(2016, 10, 1) + datetime.timedelta(days=7 * n))
    first = get(client, f"{BODY}/agenda-items")
    with CaptureQueriesContext(connection) as queries:
        again = get(client, f"{BODY}/agenda-items")
    reads = [q["sql"] for q in queries if "paragraf_cache" not in q["sql"]]
    assert (again, len(reads)) == (first, 7)  # one for the coming meetings' agendas
    assert len(queries) - len(reads) <= 1  # the cache's own read, when the cache is the database
    Person.objects.filter(last_name="Bäck").update(first_name="Lasse", modified=timezone.now())
    renamed = get(client, f"{BODY}/agenda-items")
    movers = [m["name"] for a in renamed["data"] for motion in a["paragraf:motions"] for m in motion["movers"]]
    assert set(movers) == {"Lasse Bäck"}
    assert all(a["modified"] >= b["modified"] for a, b in zip(renamed["data"], first["data"], strict=True))


def test_web_addresses_are_the_swedish_portal_pages_whatever_the_client_prefers(client, published):
    english = client.get(f"{BODY}/meeting/{published.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["web"] == "http://testserver/protokoll/arstadal/2016/9/"
    assert english["agendaItem"][0]["web"] == "http://testserver/protokoll/arstadal/2016/9/paragraf-1/"
