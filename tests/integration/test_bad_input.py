"""Input that reached a 500 (issue 18) answers 400, 404 or a message at its field, and a net keeps it so.

One committee with a meeting in every state, built once for the module as the committee scoping
tests build theirs; each test runs in a savepoint inside it. First each reproducer on its own,
then the net: generated values for every address, parameter and form field, as every role.
"""

import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django import forms as django_forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import LocalePrefixPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone, translation
from hypothesis import HealthCheck, Phase, example, given, strategies
from hypothesis import settings as hypothesis_settings

from committee.models import NumberingScheme, Tense
from minutes import adjustment, services
from minutes.agenda.documents import store_document
from minutes.agenda.forms import AgendaItemForm, DocumentForm, InviteeForm
from minutes.agenda.items import add_agenda_item
from minutes.exchange import ExchangeError, export_meeting, import_meeting
from minutes.forms import (
    AnnounceForm,
    ApprovalForm,
    ExtractChoiceForm,
    ItemForm,
    MeetingDetailsForm,
    MeetingForm,
    MotionForm,
    NewItemForm,
    OtherPresentForm,
    PropositionForm,
    RecusalForm,
    ReopenForm,
    ReservationForm,
    RollRowForm,
    StatementForm,
)
from minutes.models import (
    AgendaDocument,
    AgendaInvitee,
    Announcement,
    DocumentKind,
    Meeting,
    MeetingNotice,
    MeetingStatus,
    Motion,
    NoticeRecipient,
    RoundState,
    SealedDocument,
    SealingJob,
    Statement,
)
from minutes.models.statements import StatementKind
from minutes.oparl.addresses import body_slug
from minutes.oparl.listing import FILTERS
from minutes.oparl.views import LISTS, OBJECTS
from minutes.portal.search import SearchForm
from tests.agenda_files import pdf_bytes, upload
from tests.conftest import SEAL_PASSWORD
from tests.integration.test_committee_scoping import Side, build_side, fresh

pytestmark = pytest.mark.django_db

NUL_REFUSED = "Adressen eller en kaka innehåller ett nolltecken"
NUL_IN_FIELD = "Null-tecken är inte tillåtna."


@pytest.fixture(scope="module")
def installation(django_db_setup, django_db_blocker, seal_certificate_file, tmp_path_factory) -> Iterator[Side]:
    """A committee as the scoping tests build one, with a member's account and a statement in the draft's § 1.

    Its §§ are numbered per meeting, so that every meeting's § 1 may be edited (per year, only one could be).
    """
    seal = override_settings(
        PARAGRAF_SEAL_PKCS12=seal_certificate_file,
        PARAGRAF_SEAL_PASSWORD=SEAL_PASSWORD,
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    )
    with django_db_blocker.unblock(), seal, translation.override("sv"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            side = build_side("a", numbering=NumberingScheme.PER_MEETING, tense=Tense.PRESENT)
            member = User.objects.create_user("a.member", password=None)
            side.members[2].user = member
            side.members[2].save(update_fields=["user"])
            item = side.draft.items.get(number=1)
            services.add_statement(
                item, kind=StatementKind.SPECIAL, authors=[side.members[2]], text="Vi vill förtydliga beslutet."
            )
            for meeting in (side.adjusted, side.announced):  # so that asking for it finds it rather than seals it
                adjustment.seal_document(adjustment.completed_round(meeting), DocumentKind.EXTRACT, (1,))
            reading_room(side)
            yield side
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def reading_room(side: Side) -> None:
    """The draft's agenda with a public and a confidential document, and its notice's copy for the member."""
    agenda_item = add_agenda_item(side.draft, title="Budget", dnrs=["A-9/2026"])
    secret = add_agenda_item(side.draft, title="Bistånd", confidential=True, secrecy_ground="OSL 26 kap. 1 §")
    for item, confidential in ((agenda_item, False), (secret, True)):
        store_document(
            item, upload=upload(pdf_bytes()), title="Handling", date=side.draft.date, confidential=confidential
        )
    notice = MeetingNotice.objects.create(meeting=side.draft, sent_at=timezone.now())
    NoticeRecipient.objects.create(notice=notice, person=side.members[2], email="a@example.org", role="ledamot")
    AgendaInvitee.objects.create(
        agenda_item=agenda_item, name="Anna Berg", email="anna@example.org", sent_at=timezone.now()
    )


@pytest.fixture
def side(installation) -> Side:
    return fresh(installation)


def body(side: Side) -> str:
    return body_slug(side.committee.municipality)


# Anonymous: the portal and the API


@pytest.mark.parametrize(
    "path",
    [
        "{slug}/10000/1/",
        "{slug}/0/0/",
        "{slug}/99999999999999999999/1/",
        "{slug}/2026/99999999999999999999/",
        "{slug}/10000/1/protokoll.pdf",
        "{slug}/10000/1/paragraf-1/",
        "{slug}/2026/4/paragraf-99999999999999999999/utdrag.pdf",
        "person/99999999999999999999/",
    ],
)
def test_a_year_or_number_no_protocol_has_is_not_found(client, side, path):
    response = client.get("/protokoll/" + path.format(slug=side.committee.slug))
    assert response.status_code == 404


def test_the_portal_still_finds_an_announced_meeting_and_its_section(client, side):
    slug, number = side.committee.slug, side.announced.number
    statuses = [
        client.get(f"/protokoll/{slug}/2026/{number}/").status_code,
        client.get(f"/protokoll/{slug}/2026/{number}/paragraf-1/").status_code,
    ]
    assert statuses == [200, 200]


@pytest.mark.parametrize(
    "path",
    [
        "/protokoll/parti/%00/",
        "/protokoll/arende/%00/",
        "/forseglat/%00.pdf",
        "/oparl/v1/body/{body}/paper/%00",
        "/oparl/v1/body/{body}/location/%00",
        "/oparl/v1/body/%00",
    ],
)
def test_a_nul_byte_in_an_address_is_a_bad_request(client, side, path):
    response = client.get(path.format(body=body(side)))
    assert (response.status_code, NUL_REFUSED in response.content.decode()) == (400, True)


def test_a_nul_byte_in_the_session_cookie_is_a_bad_request(client, side):
    """The session is looked up by its cookie: on the workspace's first page, for one."""
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = client.get(reverse("minutes:committee-list"))
    assert response.status_code == 400


def test_a_nul_byte_in_a_query_is_refused_where_it_is_read(client, side):
    search = client.get("/protokoll/sok/", {"q": "ärende\x00"})
    api = client.get(f"/oparl/v1/body/{body(side)}/persons", {"created_since": "2026-01-01\x00"})
    assert (search.status_code, NUL_IN_FIELD in search.content.decode()) == (200, True)
    assert (api.status_code, api.json()["status"]) == (400, 400)


def test_an_api_error_for_a_nul_byte_is_json(client, side):
    response = client.get(f"/oparl/v1/body/{body(side)}/paper/%00")
    assert (response.status_code, response["Content-Type"], response.json()["status"]) == (
        400,
        "application/json; charset=utf-8",
        400,
    )


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("created_until", "9999-12-31T23:59:59+00:00"),
        ("modified_until", "9999-12-31T23:59:59.999999+00:00"),
        ("created_since", "0001-01-01T00:00:00"),
        ("modified_since", "0001-01-01T00:00:00+14:00"),
    ],
)
def test_an_api_date_filter_at_the_ends_of_time_lists_every_person(client, side, parameter, value):
    url = f"/oparl/v1/body/{body(side)}/persons"
    everyone = client.get(url).json()["pagination"]["totalElements"]
    response = client.get(url, {parameter: value})
    assert (response.status_code, response.json()["pagination"]["totalElements"]) == (200, everyone)


# Staff: numbers and ids in forms


def post_as(client, user: User, name: str, meeting: Meeting, data: dict):
    client.force_login(user)
    return client.post(reverse(f"minutes:{name}", args=[meeting.pk]), data)


def test_a_superscript_two_is_not_a_section_number_on_the_agenda(client, side):
    response = post_as(client, side.secretary, "agenda", side.draft, {"action": "up", "number": "²"})
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["²", "١", "+1", " 1", "99999999999999999999999"])
def test_a_part_id_that_is_not_ascii_digits_is_refused(client, side, value):
    item = side.draft.items.get(number=1)
    motion = Motion.objects.get(item=item)
    client.force_login(side.secretary)
    data = {"action": "motion", "remove": "1", "id": value, "version": str(item.version)}
    response = client.post(reverse("minutes:item-edit", args=[side.draft.pk, 1]), data)
    assert (response.status_code, Motion.objects.filter(pk=motion.pk).exists()) == (400, True)


def test_a_superscript_two_is_not_a_roll_version(client, side):
    response = post_as(client, side.secretary, "attendance", side.draft, {"action": "roll", "version": "²"})
    assert response.status_code == 400


def test_a_superscript_two_is_not_a_section_to_send(client, side):
    response = post_as(client, side.secretary, "adjustment-action", side.draft, {"action": "send", "item": "²"})
    side.draft.refresh_from_db()
    assert (response.status_code, side.draft.status) == (400, MeetingStatus.DRAFT)


def test_a_superscript_two_is_not_a_round_to_approve(client, side):
    response = post_as(client, side.adjuster, "adjustment-action", side.locked, {"action": "approve", "round": "²"})
    round = side.locked.adjustment_rounds.get()
    assert (response.status_code, round.state, round.approvals.count()) == (400, RoundState.OPEN, 0)


def test_a_superscript_two_is_not_a_sealing_job(client, side):
    client.force_login(side.registrar)
    response = client.post(reverse("minutes:sealing-retry", args=[side.adjusted.pk]), {"job": "²"})
    assert (response.status_code, SealingJob.objects.filter(round__meeting=side.adjusted).count() > 0) == (400, True)


# Staff: the own wording of a part


def test_a_statement_has_no_own_wording_to_set(client, side):
    item = side.draft.items.get(number=1)
    statement = Statement.objects.get(item=item)
    client.force_login(side.secretary)
    data = {"action": "wording", "part": "statement", "id": str(statement.pk), "version": str(item.version)}
    response = client.post(reverse("minutes:item-edit", args=[side.draft.pk, 1]), {**data, "wording": "Annat."})
    item.refresh_from_db()
    assert (response.status_code, item.version) == (400, side.draft.items.get(number=1).version)
    assert Statement.objects.get(pk=statement.pk).text == "Vi vill förtydliga beslutet."


def test_a_nul_byte_in_an_own_wording_is_refused_at_the_field(client, side):
    item = side.draft.items.get(number=1)
    motion = Motion.objects.get(item=item)
    client.force_login(side.secretary)
    data = {"action": "wording", "part": "motion", "id": str(motion.pk), "version": str(item.version)}
    response = client.post(reverse("minutes:item-edit", args=[side.draft.pk, 1]), {**data, "wording": "Ja\x00nej"})
    page = response.content.decode()
    assert (response.status_code, NUL_IN_FIELD in page, f'id="wording-motion-{motion.pk}"' in page) == (200, True, True)
    assert Motion.objects.get(pk=motion.pk).wording == ""


def test_an_own_wording_is_still_saved(client, side):
    item = side.draft.items.get(number=1)
    motion = Motion.objects.get(item=item)
    client.force_login(side.secretary)
    data = {"action": "wording", "part": "motion", "id": str(motion.pk), "version": str(item.version)}
    response = client.post(reverse("minutes:item-edit", args=[side.draft.pk, 1]), {**data, "wording": "Egen mening."})
    assert (response.status_code, Motion.objects.get(pk=motion.pk).wording) == (200, "Egen mening.")


# Staff: dates a protocol cannot carry


DATE_RANGE = "Ange ett datum mellan 1900-01-01 och 2200-12-31."


@pytest.mark.parametrize("posted_on", ["9999-12-31", "2999-01-01", "tomorrow"])
def test_an_announcement_cannot_be_posted_after_today(client, side, posted_on):
    if posted_on == "tomorrow":
        posted_on = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = {"action": "announce", "posted_on": posted_on}
    response = post_as(client, side.registrar, "adjustment-action", side.adjusted, data)
    side.adjusted.refresh_from_db()
    form = response.context["announce_form"]
    assert (response.status_code, side.adjusted.status, Announcement.objects.filter(meeting=side.adjusted).count()) == (
        400,
        MeetingStatus.ADJUSTED,
        0,
    )
    assert form.errors["posted_on"] in (
        [DATE_RANGE],
        [f"Anslaget kan inte sättas upp efter i dag ({timezone.localdate():%Y-%m-%d})."],
    )


def test_an_announcement_posted_today_is_still_made(client, side):
    data = {"action": "announce", "posted_on": timezone.localdate().isoformat()}
    response = post_as(client, side.registrar, "adjustment-action", side.adjusted, data)
    side.adjusted.refresh_from_db()
    assert (response.status_code, side.adjusted.status) == (302, MeetingStatus.ANNOUNCED)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01"])
def test_a_new_meeting_dated_where_no_protocol_can_be_is_refused_at_the_field(client, side, day):
    client.force_login(side.secretary)
    response = client.post(reverse("minutes:meeting-list", args=[side.committee.slug]), {"date": day})
    assert (response.status_code, response.context["form"].errors["date"]) == (400, [DATE_RANGE])
    assert Meeting.objects.filter(committee=side.committee).count() == 4


@pytest.mark.parametrize(
    ("field", "value"), [("date", "9999-12-31"), ("date", "0001-01-01"), ("adjustment_at", "0001-01-01T00:10")]
)
def test_a_meeting_cannot_be_moved_where_no_protocol_can_be(client, side, field, value):
    data = {
        "version": str(side.draft.version),
        "date": "2026-09-01",
        "chair": str(side.members[0].pk),
        "secretary": str(side.secretary_person.pk),
        "adjusters": [str(side.members[1].pk)],
        field: value,
    }
    response = post_as(client, side.secretary, "meeting-edit", side.draft, data)
    before = side.draft.date, side.draft.adjustment_at
    side.draft.refresh_from_db()
    assert (response.status_code, response.context["form"].errors[field]) == (400, [DATE_RANGE])
    assert (side.draft.date, side.draft.adjustment_at) == before


def test_a_report_date_where_no_protocol_can_be_is_refused_at_the_field(client, side):
    item = side.draft.items.get(number=1)
    client.force_login(side.secretary)
    data = {
        "action": "item",
        "version": str(item.version),
        "item-title": item.title,
        "item-decision": item.decision,
        "item-report_date": "9999-12-31",
    }
    response = client.post(reverse("minutes:item-edit", args=[side.draft.pk, 1]), data)
    assert (response.status_code, response.context["item_form"].errors["report_date"]) == (200, [DATE_RANGE])
    assert side.draft.items.get(number=1).report_date is None


# The import: a file that is no meeting is refused with a path, never a traceback


def document(side: Side) -> dict:
    """The draft meeting as a file, moved to a day and number of its own so that it could be imported."""
    data = json.loads(export_meeting(side.draft))
    data["meeting"].update(date="2026-10-15", number=9)
    return data


def problems(text: str) -> list[str]:
    with pytest.raises(ExchangeError) as refused:
        import_meeting(text)
    return [str(problem) for problem in refused.value.problems]


def test_the_meeting_file_of_these_tests_imports(side):
    meeting = import_meeting(json.dumps(document(side)))
    assert list(meeting.items.values_list("number", flat=True)) == [1]


def test_an_import_refuses_section_zero(side):
    data = document(side)
    data["meeting"]["items"][0]["number"] = 0
    assert problems(json.dumps(data)) == ["$.meeting.items[0].number: 0 is less than the minimum of 1"]
    assert not Meeting.objects.filter(date="2026-10-15").exists()


def test_an_import_refuses_a_duplicate_key(side):
    text = json.dumps(document(side), indent=2).replace('"place": ', '"place": "Någon annanstans", "place": ', 1)
    assert problems(text) == ['$.meeting: Nyckeln "place" förekommer två gånger i samma objekt.']


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a": ' * 100_000, "[" * 40 + "]" * 40])
def test_an_import_refuses_deep_nesting(side, tmp_path, text):
    path = tmp_path / "nested.json"
    path.write_text(text)
    with pytest.raises(CommandError):
        call_command("import_meeting", str(path))
    assert problems(text) == ["$: Filen har för djupt nästlade listor eller objekt (högst 32 nivåer)."]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_an_import_refuses_a_meeting_date_no_protocol_can_carry(side, day):
    data = document(side)
    data["meeting"]["date"] = day
    assert problems(json.dumps(data)) == [f"$.meeting.date: {DATE_RANGE}"]


# The net: every address of the portal, the API and the workspace, every parameter, as every role
#
# Each request starts from one that works (BASES) and changes one thing in it (a path parameter,
# a query parameter, a form field, or who asks) to a generated value. A request that works
# reaches the code that reads every other value, so the one changed value is read where it
# counts. The reproducers are explicit examples, sent on every run.


ROLES = ("anonymous", "secretary", "registrar", "chair", "adjuster", "member")
NAMESPACES = ("portal", "oparl", "minutes", "reading")
PUBLIC = ("notice-board", "notice-archive", "notice-feed", "verify", "sealed-file", "health")
EXAMPLES = 500

NUMBERS = ("²", "١٢", "0", "-1", "+1", " 1", "1.0", "1e3", "10000", str(2**31), str(2**63), "9" * 20, "9" * 400)
DATES = (
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "2201-01-01",
    "2999-01-01",
    "2016-02-30",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00",
    "0001-01-01T00:10",
)
TEXTS = ("", " ", "\x00", "a\x00b", "%00", "x" * 3000, "../../etc/passwd", "<script>", "'", '"', "\\", "%", "\u202e")
NUMBER_NAMES = {"pk", "preview", "number", "item", "year", "id", "version", "round", "job", "page", "sida", "limit"}
NUMBER_NAMES |= {"item_pk", "document_pk", "document", "notice_days", "invitee"}  # the agenda's and the notice's
DATE_NAMES = {"date", "posted_on", "report_date", "adjustment_at", "send_on", *FILTERS}


def typed(name: str) -> tuple[str, ...]:
    """The hostile values for a name: digits that are not ASCII for a number, the ends of time for a date."""
    field = name.rsplit("-", 1)[-1]
    if field in NUMBER_NAMES or field in ("person", "replaces", "from_item", "to_item") or field.endswith("FORMS"):
        return NUMBERS
    if field in DATE_NAMES:
        return DATES
    return TEXTS


# Values that lead somewhere, by name: "{draft}" is resolved against the committee of the test.
ALTERNATIVES = {
    "pk": ("{draft}", "{locked}", "{adjusted}", "{announced}", "{person}"),
    "number": ("1", "2", "4"),
    "item": ("1", "4"),
    "fmt": ("html", "txt"),  # a PDF is printed by a worker (seconds each) from the same parameters
    "name": tuple(LISTS),
    "kind": tuple(OBJECTS),
    "part": ("motion", "proposition", "recusal", "reservation", "statement"),
    "id": ("{motion}", "{statement}"),
    "version": ("public", "{draft_version}", "{item_version}"),
    "action": ("add", "up", "down", "remove", "roll", "other", "send", "approve", "reopen", "announce")
    + ("item", "motion", "proposition", "recusal", "reservation", "statement", "wording")
    + ("opening", "make-items", "withdraw"),
    "form": ("item", "document", "replace"),
    "posted_on": ("2026-09-01",),  # today would announce, and seal the public version: seconds
    "document_pk": ("{document}", "{secret_document}"),
    "next": ("/las/", "https://example.org/", "//example.org/"),
}


@dataclass(frozen=True)
class Request:
    address: str
    role: str = "anonymous"
    path: tuple[tuple[str, str], ...] = ()
    query: tuple[tuple[str, str], ...] = ()
    data: tuple[tuple[str, str], ...] | None = None  # None: a GET

    def slots(self) -> list[tuple[str, str]]:
        """What a mutation may change: who asks, each path parameter, each query parameter, each field."""
        query = dict.fromkeys([*dict(self.query), *QUERIES.get(self.address, ())])
        data = dict.fromkeys([*dict(self.data), *POSTS.get(self.address, ())]) if self.data is not None else {}
        return [("role", ""), *(("path", n) for n, _v in self.path), *(("query", n) for n in query)] + [
            ("data", n) for n in data
        ]

    def changed(self, slot: tuple[str, str], value: str) -> "Request":
        where, name = slot
        if where == "role":
            return replace(self, role=value)
        return replace(self, **{where: tuple({**dict(getattr(self, where)), name: value}.items())})


def get(address: str, role: str = "anonymous", *, query: dict | None = None, **path: str) -> Request:
    return Request(address, role, tuple(path.items()), tuple((query or {}).items()))


def post(address: str, role: str, data: dict, **path: str) -> Request:
    return Request(address, role, tuple(path.items()), (), tuple(data.items()))


PORTAL = {"committee": "{slug}", "year": "2026", "number": "4"}
VERSIONED = {"version": "{item_version}"}
PORTAL_MEETING = get("portal:meeting", **PORTAL)
PERSONS = get("oparl:list", body="{body}", name="persons", query={"created_until": "2026-12-31T23:59:59+01:00"})
PARTY = get("portal:party", abbreviation="S")
MATTER = get("portal:matter", dnr="A-4/2026")
SEALED = get("sealed-file", sha256="{sealed}", query={"download": "1"})
PAPER = get("oparl:paper", body="{body}", dnr="A-4/2026")
NEW_MEETING = post("minutes:meeting-list", "secretary", {"date": "2026-10-01", "place": "Rum"}, slug="{slug}")
MOVE_UP = post("minutes:agenda", "secretary", {"action": "up", "number": "1"}, pk="{draft}")
ROLL = post(
    "minutes:attendance",
    "secretary",
    {
        "action": "roll",
        "version": "{draft_version}",
        "roll-TOTAL_FORMS": "1",
        "roll-INITIAL_FORMS": "0",
        "roll-0-person": "{person}",
        "roll-0-function": "serving",
    },
    pk="{draft}",
)
MEETING_DETAILS = post(
    "minutes:meeting-edit",
    "secretary",
    {
        "version": "{draft_version}",
        "date": "2026-09-01",
        "start_time": "18:00",
        "place": "Rum A",
        "chair": "{person}",
        "secretary": "{secretary}",
        "adjusters": "{adjuster}",
        "adjustment_at": "2026-09-01T20:00",
    },
    pk="{draft}",
)
EDITOR = {"pk": "{draft}", "number": "1"}
REMOVE_MOTION = post(
    "minutes:item-edit", "secretary", {"action": "motion", "remove": "1", "id": "{motion}", **VERSIONED}, **EDITOR
)
WORDING = post(
    "minutes:item-edit",
    "secretary",
    {"action": "wording", "part": "motion", "id": "{motion}", "wording": "Egen mening.", **VERSIONED},
    **EDITOR,
)
STATEMENT_WORDING = post(
    "minutes:item-edit",
    "secretary",
    {"action": "wording", "part": "statement", "id": "{statement}", "wording": "Egen.", **VERSIONED},
    **EDITOR,
)
SEND = post("minutes:adjustment-action", "secretary", {"action": "send"}, pk="{draft}")
APPROVE = post("minutes:adjustment-action", "adjuster", {"action": "approve", "round": "{round}"}, pk="{locked}")
ANNOUNCE = post(
    "minutes:adjustment-action", "registrar", {"action": "announce", "posted_on": "2026-09-01"}, pk="{adjusted}"
)
RETRY = post("minutes:sealing-retry", "registrar", {"job": "{job}"}, pk="{adjusted}")

STYLE = {"meeting": "{draft}", "name": "Stil", "body_noun": "nämnden", "tense": "past"} | {
    "section_order": "decision, matter, motions, procedure, reservations, statements"
}

BASES = [
    get("portal:start"),
    get(
        "portal:search",
        query={"q": "ärende", "committee": "{slug}", "year": "2026", "party": "S", "person": "Agnes"}
        | {"dnr": "A-4/2026", "vote": "on", "reservation": "on", "page": "1"},
    ),
    get("portal:feed"),
    get("portal:person", pk="{person}"),
    PARTY,
    MATTER,
    get("portal:committee", committee="{slug}"),
    get("portal:committee-feed", committee="{slug}"),
    get("portal:committee-calendar", committee="{slug}"),
    PORTAL_MEETING,
    get("portal:protocol-pdf", **PORTAL),
    get("portal:certificate-pdf", **PORTAL),
    get("portal:item", item="1", **PORTAL),
    get("portal:extract", item="1", **PORTAL),
    get("oparl:root"),
    get("oparl:system"),
    get("oparl:documentation"),
    get("oparl:extension-schema"),
    get("oparl:body-list", query={"page": "1", "limit": "10", "modified_since": "2026-01-01T00:00:00"}),
    get("oparl:body", body="{body}"),
    PAPER,
    PERSONS,
    get("oparl:list", body="{body}", name="meetings", query={"page": "1", "limit": "2"}),
    get("oparl:object", body="{body}", kind="meeting", key="{announced}"),
    get("oparl:object", body="{body}", kind="person", key="{person}"),
    get("oparl:not-found", path="nothing"),
    get("notice-board"),
    get("notice-archive"),
    get("notice-feed"),
    get("verify"),
    Request("verify", data=(("file", ""),)),
    SEALED,
    get("health"),
    get("minutes:committee-list", "secretary"),
    get("minutes:meeting-list", "secretary", slug="{slug}"),
    get("minutes:committee-archive", "registrar", slug="{slug}"),
    NEW_MEETING,
    get("minutes:meeting-detail", "secretary", pk="{draft}"),
    MOVE_UP,
    post("minutes:agenda", "secretary", {"action": "add", "title": "Nytt ärende"}, pk="{draft}"),
    get("minutes:attendance", "secretary", pk="{draft}"),
    ROLL,
    post(
        "minutes:attendance",
        "secretary",
        {"action": "other", "other-first_name": "Ny", "other-last_name": "Person", "other-title": "chef"},
        pk="{draft}",
    ),
    get("minutes:meeting-edit", "secretary", pk="{draft}"),
    MEETING_DETAILS,
    get("minutes:item-edit", "secretary", **EDITOR),
    post(
        "minutes:item-edit",
        "secretary",
        {"action": "item", "item-title": "Ärende", "item-decision": "Beslut.", "item-report_date": "2026-08-01"}
        | {"item-dnr": "A-1/2026", **VERSIONED},
        **EDITOR,
    ),
    post(
        "minutes:item-draft",
        "secretary",
        {"item-title": "Ärende", "item-decision": "Utkast.", "item-report_date": "2026-08-01"}
        | {"item-version": "{item_version}", **VERSIONED},
        **EDITOR,
    ),
    post(
        "minutes:item-preview",
        "secretary",
        {"item-title": "Ärende", "item-decision": "Osparat.", "item-report_date": "2026-08-01"},
        **EDITOR,
    ),
    post(
        "minutes:item-edit",
        "secretary",
        {"action": "motion", "motion-kind": "approve", "motion-movers": "{person}", **VERSIONED},
        **EDITOR,
    ),
    post(
        "minutes:item-edit",
        "secretary",
        {"action": "proposition", "proposition-kind": "single", "proposition-outcome": "{motion}", **VERSIONED},
        **EDITOR,
    ),
    post(
        "minutes:item-edit",
        "secretary",
        {"action": "recusal", "recusal-person": "{member}", "recusal-left_room": "on", **VERSIONED},
        **EDITOR,
    ),
    post(
        "minutes:item-edit",
        "secretary",
        {"action": "reservation", "reservation-members": "{person}", "reservation-in_favour_of": "{motion}"}
        | VERSIONED,
        **EDITOR,
    ),
    post(
        "minutes:item-edit",
        "secretary",
        {"action": "statement", "statement-kind": "special", "statement-authors": "{member}"}
        | {"statement-text": "Ett uttalande.", **VERSIONED},
        **EDITOR,
    ),
    WORDING,
    STATEMENT_WORDING,
    REMOVE_MOTION,
    get("minutes:audit-trail", "registrar", pk="{draft}", query={"sida": "1"}),
    get("minutes:item-audit-trail", "registrar", pk="{draft}", number="1", query={"sida": "1"}),
    get("minutes:protocol-document", "secretary", pk="{draft}", fmt="html", query={"version": "public"}),
    get("minutes:item-document", "secretary", pk="{draft}", number="1", fmt="txt"),
    get("minutes:extract-document", "registrar", pk="{adjusted}", number="1", fmt="html"),
    get("minutes:preview-state", "secretary", pk="{draft}", preview="{preview}"),
    get("minutes:my-adjustments", "chair"),
    get("minutes:adjustment", "chair", pk="{locked}"),
    SEND,
    APPROVE,
    post(
        "minutes:adjustment-action",
        "secretary",
        {"action": "reopen", "round": "{round}", "reason": "Fel"},
        pk="{locked}",
    ),
    ANNOUNCE,
    get("minutes:export", "registrar", pk="{adjusted}"),
    post("minutes:export", "registrar", {"numbers": "1", "as_zip": "on"}, pk="{adjusted}"),
    get("minutes:sealing", "registrar", pk="{adjusted}"),
    RETRY,
    get("minutes:exchange-file", "registrar", pk="{draft}"),
    get("minutes:agenda-page", "secretary", pk="{draft}"),
    post("minutes:agenda-add", "secretary", {"title": "Ny punkt", "dnrs": "A-5/2026, A-6/2026"}, pk="{draft}"),
    post("minutes:agenda-action", "secretary", {"action": "up", "item": "{agenda_item}"}, pk="{draft}"),
    get("minutes:agenda-item", "secretary", pk="{draft}", item_pk="{agenda_item}"),
    post(
        "minutes:agenda-item",
        "secretary",
        {"form": "item", "title": "Punkt", "confidential": "on", "secrecy_ground": "OSL 26 kap. 1 §"},
        pk="{draft}",
        item_pk="{agenda_item}",
    ),
    post(
        "minutes:agenda-item",
        "secretary",
        {"form": "document", "doc-title": "Bilaga", "doc-date": "2026-09-01", "document": "{agenda_document}"},
        pk="{draft}",
        item_pk="{agenda_item}",
    ),
    get("minutes:agenda-document", "secretary", pk="{draft}", document_pk="{agenda_document}"),
    get("portal:agenda", committee="{slug}", year="2026", number="1"),
    get(
        "portal:agenda-document",
        committee="{slug}",
        year="2026",
        number="1",
        pk="{agenda_document}",
        query={"download": "1"},
    ),
    get("minutes:notice", "secretary", pk="{draft}"),
    post("minutes:notice-action", "secretary", {"action": "schedule", "send_on": "2026-09-01"}, pk="{draft}"),
    post("minutes:notice-action", "secretary", {"action": "rule", "notice_days": "7"}, pk="{draft}"),
    get("minutes:committee-notice-rule", "secretary", slug="{slug}"),
    post("minutes:committee-notice-rule", "secretary", {"notice_days": "10"}, slug="{slug}"),
    post(
        "minutes:agenda-item",
        "secretary",
        {"form": "invitee", "inv-name": "Bo Ek", "inv-email": "bo@example.org"},
        pk="{draft}",
        item_pk="{agenda_item}",
    ),
    post(
        "minutes:agenda-item",
        "secretary",
        {"form": "uninvite", "invitee": "{invitee}"},
        pk="{draft}",
        item_pk="{agenda_item}",
    ),
    get("reading:invitation", token="{invitation}"),
    get("reading:invitation-document", token="{invitation}", document_pk="{document}"),
    get("minutes:notice-document", "secretary", pk="{draft}", fmt="txt"),
    get("reading:home", "member"),
    get("reading:worker"),
    get("reading:meeting", "member", pk="{draft}"),
    get("reading:document", "member", document_pk="{document}"),
    post("reading:note", "member", {"text": "Min anteckning."}, document_pk="{document}"),
    get("reading:notice-open", token="{token}"),
    get("reading:second-factor-enrol", "member", query={"next": "/las/"}),
    post("reading:second-factor-enrol", "member", {"code": "123456", "next": "/las/"}),
    post("reading:second-factor-verify", "member", {"code": "123456", "next": "/las/"}),
    get("minutes:style-edit", "secretary", slug="{slug}", query={"meeting": "{draft}"}),
    post("minutes:style-edit", "secretary", {"motion.approve": "{{ movers }} yrkade bifall.", **STYLE}, slug="{slug}"),
    post("minutes:style-preview", "secretary", {"recusal": "{{ person }} anmälde jäv.", **STYLE}, slug="{slug}"),
    get("minutes:style-export", "secretary", slug="{slug}"),
    post("minutes:style-import", "secretary", {"preset": "ostersund-ks", "confirm": "yes"}, slug="{slug}"),
    get("minutes:style-diff", "secretary", slug="{slug}", query={"a": "preset:stockholm-sdn", "b": "current"}),
    post("minutes:style-share", "secretary", {"committee": "1", "action": "share"}, slug="{slug}"),
    post("minutes:style-use", "secretary", {"style": "1"}, slug="{slug}"),
    get("minutes:meeting-import", "secretary", slug="{slug}"),
    post("minutes:meeting-import", "secretary", {"file": "{}"}, slug="{slug}"),
]

# The query parameters each view reads, and the fields each form posts (the forms' own and those the
# views read themselves): the mutations add them where a base leaves them out.
QUERIES = {
    "portal:search": (*SearchForm.base_fields, "page"),
    "oparl:list": (*FILTERS, "page", "limit"),
    "oparl:body-list": (*FILTERS, "page", "limit"),
    "minutes:audit-trail": ("sida",),
    "minutes:item-audit-trail": ("sida",),
    "minutes:protocol-document": ("version",),
    "minutes:item-document": ("version",),
    "minutes:extract-document": ("version",),
    "sealed-file": ("download",),
    "portal:agenda-document": ("download",),
    "reading:second-factor-enrol": ("next",),
    "minutes:style-edit": ("meeting",),
    "minutes:style-diff": ("a", "b"),
}


def prefixed(prefix: str, form: type[django_forms.BaseForm]) -> tuple[str, ...]:
    return tuple(f"{prefix}{name}" for name in form.base_fields)


POSTS = {
    "minutes:meeting-list": prefixed("", MeetingForm),
    "minutes:agenda": ("action", "number", *prefixed("", NewItemForm)),
    "minutes:attendance": (
        "action",
        "version",
        "roll-TOTAL_FORMS",
        "roll-INITIAL_FORMS",
        *(f"roll-0-{name}" for name in RollRowForm.base_fields),
        *prefixed("other-", OtherPresentForm),
    ),
    "minutes:meeting-edit": prefixed("", MeetingDetailsForm),
    "minutes:item-edit": ("action", "version", "remove", "part", "id", "wording")
    + prefixed("item-", ItemForm)
    + prefixed("motion-", MotionForm)
    + prefixed("proposition-", PropositionForm)
    + prefixed("recusal-", RecusalForm)
    + prefixed("reservation-", ReservationForm)
    + prefixed("statement-", StatementForm),
    "minutes:adjustment-action": ("action", "item", "round")
    + prefixed("", ApprovalForm)
    + prefixed("", ReopenForm)
    + prefixed("", AnnounceForm),
    "minutes:export": prefixed("", ExtractChoiceForm),
    "minutes:sealing-retry": ("job",),
    "minutes:agenda-add": prefixed("", AgendaItemForm),
    "minutes:agenda-action": ("action", "item"),
    "minutes:agenda-item": (
        "form",
        "document",
        "invitee",
        *prefixed("", AgendaItemForm),
        *prefixed("doc-", DocumentForm),
        *prefixed("inv-", InviteeForm),
    ),
    "minutes:committee-notice-rule": ("notice_days",),
    "verify": ("file",),
    "minutes:notice-action": ("action", "send_on", "notice_days"),
    "reading:note": ("text",),
    "reading:second-factor-enrol": ("code", "next"),
    "reading:second-factor-verify": ("code", "next"),
    "minutes:style-edit": tuple(STYLE),
    "minutes:style-preview": tuple(STYLE),
    "minutes:style-import": ("preset", "file", "confirm"),
    "minutes:style-share": ("committee", "action"),
    "minutes:style-use": ("style",),
    "minutes:meeting-import": ("file",),
}

# The reproducers: each answered 500 (or led to a page that did) before it was fixed.
REPRODUCERS = [
    (PORTAL_MEETING, ("path", "year"), "10000"),
    (PORTAL_MEETING, ("path", "year"), "0"),
    (PORTAL_MEETING, ("path", "year"), "9" * 20),
    (PERSONS, ("query", "created_until"), "9999-12-31T23:59:59+00:00"),
    (PARTY, ("path", "abbreviation"), "\x00"),
    (MATTER, ("path", "dnr"), "\x00"),
    (SEALED, ("path", "sha256"), "\x00"),
    (PAPER, ("path", "dnr"), "\x00"),
    (MOVE_UP, ("data", "number"), "²"),
    (REMOVE_MOTION, ("data", "id"), "²"),
    (ROLL, ("data", "version"), "²"),
    (SEND, ("data", "item"), "²"),
    (APPROVE, ("data", "round"), "²"),
    (RETRY, ("data", "job"), "²"),
    (STATEMENT_WORDING, ("data", "wording"), "Annat."),
    (WORDING, ("data", "wording"), "Ja\x00nej"),
    (ANNOUNCE, ("data", "posted_on"), "9999-12-31"),
    (NEW_MEETING, ("data", "date"), "9999-12-31"),  # created, and its page could never be opened again
    (MEETING_DETAILS, ("data", "date"), "9999-12-31"),
    (MEETING_DETAILS, ("data", "adjustment_at"), "0001-01-01T00:10"),
]


def mutations():
    """One base request, one of its slots, and a value for it: typed, hostile, any text, or another that works."""

    def slot(base: Request) -> strategies.SearchStrategy:
        return strategies.tuples(strategies.just(base), strategies.sampled_from(base.slots()))

    def value(pair) -> strategies.SearchStrategy:
        where, name = pair[1]
        if where == "role":
            choices = [strategies.sampled_from(ROLES)]
        else:
            choices = [strategies.sampled_from(typed(name)), strategies.text(max_size=40)]
            if name.rsplit("-", 1)[-1] in ALTERNATIVES:
                choices.append(strategies.sampled_from(ALTERNATIVES[name.rsplit("-", 1)[-1]]))
        return strategies.tuples(strategies.just(pair[0]), strategies.just(pair[1]), strategies.one_of(choices))

    return strategies.sampled_from(BASES).flatmap(slot).flatmap(value)


def references(side: Side) -> dict[str, str]:
    """What "{draft}" and the like stand for in this committee."""
    item = side.draft.items.get(number=1)
    locked_round = side.locked.adjustment_rounds.get()
    return {
        "slug": side.committee.slug,
        "body": body(side),
        "draft": str(side.draft.pk),
        "locked": str(side.locked.pk),
        "adjusted": str(side.adjusted.pk),
        "announced": str(side.announced.pk),
        "draft_version": str(side.draft.version),
        "item_version": str(item.version),
        "person": str(side.members[0].pk),
        "adjuster": str(side.members[1].pk),
        "member": str(side.members[2].pk),
        "secretary": str(side.secretary_person.pk),
        "motion": str(Motion.objects.get(item=item).pk),
        "statement": str(Statement.objects.get(item=item).pk),
        "round": str(locked_round.pk),
        "job": str(SealingJob.objects.filter(round__meeting=side.adjusted).first().pk),
        "preview": str(side.draft.previews.get().pk),
        "sealed": SealedDocument.objects.filter(meeting=side.announced, kind=DocumentKind.PROTOCOL).get().sha256,
        "agenda_item": str(side.draft.agenda_items.get(confidential=False).pk),
        "agenda_document": str(
            AgendaDocument.objects.current()
            .filter(agenda_item__meeting=side.draft, confidential=False)
            .earliest("pk")
            .pk
        ),
        "document": str(
            AgendaDocument.objects.current()
            .filter(agenda_item__meeting=side.draft, confidential=False)
            .earliest("pk")
            .pk
        ),
        "secret_document": str(
            AgendaDocument.objects.current()
            .filter(agenda_item__meeting=side.draft, confidential=True)
            .earliest("pk")
            .pk
        ),
        "token": NoticeRecipient.objects.get(notice__meeting=side.draft).token,
        "invitation": AgendaInvitee.objects.get(agenda_item__meeting=side.draft).token,
        "invitee": str(AgendaInvitee.objects.get(agenda_item__meeting=side.draft).pk),
    }


@dataclass
class Sent:
    cases: int = 0
    requests: int = 0
    failures: list[str] = field(default_factory=list)


def test_no_input_reaches_a_500(side):
    """Every reproducer, then EXAMPLES generated mutations: deterministic (derandomized) and each rolled back.

    A POST that succeeds is followed to the page it leads to: a meeting dated 9999-12-31 was
    created fine, and it was its page that answered 500. Every 5xx is reported at the end with
    the request that caused it.
    """
    refs = references(side)
    clients = {role: Client(raise_request_exception=False) for role in ROLES}
    for role in ROLES[1:]:
        clients[role].force_login(side.user(role) if role != "member" else User.objects.get(username="a.member"))
    sent = Sent()

    def resolve(text: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda match: refs.get(match[1], match[0]), text)

    def one(mutation: tuple[Request, tuple[str, str], str]) -> None:
        base, slot, value = mutation
        request = base.changed(slot, value)
        addressed = dict(request.path)
        template = next(a.template for a in ADDRESSES if a.name == request.address)
        path = template.format(**{name: quote(resolve(addressed[name]), safe="") for name in addressed})
        query = {name: resolve(value) for name, value in request.query}
        client = clients[request.role]
        with transaction.atomic():
            if request.data is None:
                response = client.get(path, query)
            else:
                data = {name: resolve(value) for name, value in request.data}
                url = path + (f"?{urlencode(query)}" if query else "")
                response = client.post(url, data, follow=True)
            transaction.set_rollback(True)
        sent.cases += 1
        sent.requests += 1 + len(getattr(response, "redirect_chain", []))
        if response.status_code >= 500:
            method = "GET" if request.data is None else "POST"
            sent.failures.append(f"{response.status_code} for {request.role}: {method} {path} {slot}={value[:80]!r}")

    run = given(mutation=mutations())(one)
    for reproducer in REPRODUCERS:
        run = example(mutation=reproducer)(run)
    hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )(run)()
    assert sent.failures == [], f"{len(sent.failures)} of {sent.cases} requests answered 5xx:\n" + "\n".join(
        sent.failures
    )
    assert sent.cases == len(REPRODUCERS) + EXAMPLES


@dataclass(frozen=True)
class Address:
    name: str
    template: str  # "/sammantrade/{pk}/paragraf/{number}/"
    parameters: tuple[str, ...]


def route(pattern) -> tuple[str, tuple[str, ...]]:
    """A pattern's text with its parameters as {name}, and their names."""
    if isinstance(pattern, LocalePrefixPattern):
        return "", ()  # the portal in Swedish, the language without a prefix
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern)), tuple(pattern.converters)
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", str(pattern).removeprefix("^").removesuffix("$"))
    return text, tuple(pattern.regex.groupindex)


def addresses() -> list[Address]:
    """Every named address of the portal, the API and the workspace, and the public pages at the root."""
    found: list[Address] = []

    def walk(patterns, prefix: str, parameters: tuple[str, ...], namespace: str | None) -> None:
        for pattern in patterns:
            text, names = route(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + text, parameters + names, pattern.namespace or namespace)
            elif pattern.name and (namespace in NAMESPACES or (namespace is None and pattern.name in PUBLIC)):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.append(Address(name, "/" + prefix + text, parameters + names))

    walk(get_resolver().url_patterns, "", (), None)
    return found


ADDRESSES = addresses()


def test_every_address_has_a_request_in_the_net():
    """A new view is sent generated values too: it needs a working request in BASES, with all its parameters."""
    assert sorted({base.address for base in BASES}) == sorted(address.name for address in ADDRESSES)
    parameters = {address.name: set(address.parameters) for address in ADDRESSES}
    assert [base for base in BASES if set(dict(base.path)) != parameters[base.address]] == []
    assert {a.name: a.template for a in ADDRESSES if a.name in ("portal:extract", "oparl:not-found")} == {
        "portal:extract": "/protokoll/{committee}/{year}/{number}/paragraf-{item}/utdrag.pdf",
        "oparl:not-found": "/oparl/v1/{path}",
    }


def read_parameters(source: str) -> set[str]:
    """The names a view reads by hand from request.GET or request.POST (forms are listed by their fields)."""
    found = set(re.findall(r"request\.(?:GET|POST)\.get\(\s*\"([\w-]+)\"", source))
    found |= set(re.findall(r"request\.(?:GET|POST)\[\"([\w-]+)\"\]", source))
    found |= set(re.findall(r"\"([\w-]+)\" in request\.(?:GET|POST)", source))
    return found | set(re.findall(r"posted_number\(request\.POST, \"([\w-]+)\"", source))


def test_every_parameter_a_view_reads_is_sent():
    sources = [path.read_text() for path in (Path(settings.BASE_DIR) / "minutes").rglob("*.py")]
    read = set().union(*(read_parameters(source) for source in sources))
    sent = {name for names in (*QUERIES.values(), *POSTS.values()) for name in names}
    assert read - sent == set()
    assert {"action", "number", "id", "version", "item", "job", "round", "sida", "download"} <= read
