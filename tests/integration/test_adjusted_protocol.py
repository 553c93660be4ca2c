"""An adjusted protocol is printed from what was adjusted: nothing done later in the registers reaches it.

The snapshot is frozen at the last approval (`minutes.protocol.adjusted`). Every output of the
protocol is taken before and after a person is renamed, a party renamed, a membership changed
and the committee's house style changed, and compared byte for byte.
"""

import dataclasses
import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from committee.models import Committee, Membership, Party, Person, Role, Tense
from minutes import adjustment, jobs
from minutes.demo import load_demo, publish_demo
from minutes.models import (
    AdjustedSnapshot,
    AdjustmentRound,
    DocumentKind,
    Meeting,
    MeetingStatus,
    RoundState,
    SealedDocument,
)
from minutes.models.search import SearchEntry
from minutes.protocol.adjusted import snapshot_for, thaw
from minutes.protocol.preview import protocol_html
from minutes.protocol.render import Request, render_html, render_text
from minutes.protocol.snapshot import build_snapshot
from minutes.views.editor import Editor
from tests.factories import serving_meeting

pytestmark = pytest.mark.django_db

NUMBER = 10  # the demo's § with motions, a recusal and a reservation
BODY = "/oparl/v1/body/stockholms-stad"


@pytest.fixture
def announced(seal_certificate) -> Meeting:
    """The demo meeting, adjusted, sealed and announced through the services."""
    meeting = load_demo()
    publish_demo(meeting)
    meeting.refresh_from_db()
    return meeting


def outputs(client, meeting: Meeting) -> dict[str, bytes]:
    """Every output that prints the protocol, each as the bytes it gives now, made anew (no cache)."""
    cache.clear()
    client.force_login(User.objects.get(username="helena.wik"))  # the committee's secretary
    pk, slug, year, number = meeting.pk, meeting.committee.slug, meeting.year, meeting.number
    item_id = meeting.items.get(number=NUMBER).pk
    addresses = {
        "protocol.txt": reverse("minutes:protocol-document", args=[pk, "txt"]),
        "protocol.html": reverse("minutes:protocol-document", args=[pk, "html"]),
        "public protocol.html": reverse("minutes:protocol-document", args=[pk, "html"]) + "?version=public",
        "§.txt": reverse("minutes:item-document", args=[pk, NUMBER, "txt"]),
        "§.html": reverse("minutes:item-document", args=[pk, NUMBER, "html"]),
        "extract.txt": reverse("minutes:extract-document", args=[pk, NUMBER, "txt"]),
        "extract.html": reverse("minutes:extract-document", args=[pk, NUMBER, "html"]),
        "portal meeting": reverse("portal:meeting", args=[slug, year, number]),
        "portal §": reverse("portal:item", args=[slug, year, number, NUMBER]),
        "oparl meeting": f"{BODY}/meeting/{pk}",
        "oparl agenda item": f"{BODY}/agenda-item/{item_id}",
    }
    found = {}
    for name, address in addresses.items():
        response = client.get(address)
        assert response.status_code == 200, (name, response.content[:300])
        found[name] = response.content
    found["print preview"] = protocol_html(meeting, public=False).encode()
    found["editor preview"] = Editor.read(meeting, NUMBER).preview().encode()
    printed = io.StringIO()
    call_command("render_protocol", str(pk), "--format", "text", "-o", "-", stdout=printed)
    found["render_protocol"] = printed.getvalue().encode()
    call_command("reindex_search", stdout=io.StringIO())
    entries = SearchEntry.objects.filter(meeting=meeting).order_by("number")
    found["search index"] = json.dumps(
        list(entries.values_list("number", "title", "decision", "body", "names", "folded_text")), ensure_ascii=False
    ).encode()
    return found


def change_the_people(meeting: Meeting) -> None:
    """The chair (who moved, signed and is named in the header) and a reserving member renamed, and more."""
    for last_name, first, last in [("Bäck", "Lasse", "Bäckström"), ("Öberg", "Per-Olof", "Öhrn")]:
        person = Person.objects.get(last_name=last_name)
        person.first_name, person.last_name = first, last
        person.save()
    party = Party.objects.get(abbreviation="L")
    party.abbreviation, party.name = "LIB", "Liberala partiet"
    party.save()
    membership = Membership.objects.get(person__last_name="Lindqvist", committee=meeting.committee, start__year=2015)
    membership.role = Role.SECOND_VICE_CHAIR
    membership.save()


def change_the_house_style(meeting: Meeting) -> None:
    committee = Committee.objects.get(pk=meeting.committee_id)
    committee.tense = Tense.PRESENT
    committee.body_noun = "stadsdelsnämnden"
    committee.heading_decision = "Nämndens beslut"
    committee.heading_procedure = "Så gick beslutet till"
    committee.heading_reservation = "Reservationer"
    committee.save()


def unstamped(value: Any) -> Any:
    """An OParl object without its `modified` stamps."""
    if isinstance(value, dict):
        return {key: unstamped(part) for key, part in value.items() if key != "modified"}
    if isinstance(value, list):
        return [unstamped(part) for part in value]
    return value


def test_nothing_done_in_the_registers_changes_any_output_of_an_adjusted_protocol(client, announced):
    """Before, a rename or a new heading changed the workspace's documents, the portal, OParl and the index."""
    before = outputs(client, announced)
    text = before["protocol.txt"].decode()
    assert ("Lars Bäck" in text, "Peter Öberg (L)" in text, "BESLUT" in text) == (True, True, True)

    change_the_people(announced)
    assert outputs(client, announced) == before

    change_the_house_style(announced)
    after = outputs(client, announced)
    # OParl dates its objects by their committee too, whose address and name they carry: a change
    # to its row moves `modified` on, and nothing else.
    oparl = {"oparl meeting", "oparl agenda item"}
    assert {name: after[name] for name in after if name not in oparl} == {
        name: before[name] for name in before if name not in oparl
    }
    for name in oparl:
        assert unstamped(json.loads(after[name])) == unstamped(json.loads(before[name])), name
        assert json.loads(after[name])["modified"] > json.loads(before[name])["modified"]

    # The registers did change: the meeting's data printed as it stands now says so.
    live = render_text(build_snapshot(announced))
    assert ("Lasse Bäckström" in live, "Per-Olof Öhrn (LIB)" in live, "Nämndens beslut" in live) == (True, True, True)


def test_a_rename_does_not_move_the_oparl_dates_of_an_adjusted_protocol(client, announced):
    """Nothing the API shows of it changed, so clients that sync by `modified` are not sent to fetch it again."""
    url = f"{BODY}/meeting/{announced.pk}"
    before = client.get(url).json()["modified"]

    change_the_people(announced)
    cache.clear()

    assert client.get(url).json()["modified"] == before


def test_the_frozen_snapshot_is_the_one_taken_at_adjustment_and_prints_the_same(announced):
    frozen = AdjustedSnapshot.objects.get(round__meeting=announced, round__item__isnull=True)
    thawed = thaw(frozen.protocol)
    live = build_snapshot(announced)

    assert thawed.snapshot == dataclasses.replace(live, status=MeetingStatus.ADJUSTED)
    assert thawed.adjustment == adjustment.adjustment_facts(adjustment.completed_round(announced))
    request = Request(kind="protocol", adjustment=thawed.adjustment, certified_on=thawed.adjustment.adjusted_on)
    assert render_html(thawed.snapshot, request) == render_html(live, request)


def test_an_extract_sealed_after_a_rename_prints_the_names_it_was_adjusted_with(announced):
    """Extracts are sealed when first asked for, weeks later perhaps: before, from the registers of that day."""
    change_the_people(announced)
    round = adjustment.completed_round(announced)

    jobs.seal_extracts(round, [NUMBER])

    document = SealedDocument.objects.get(round=round, kind=DocumentKind.EXTRACT, numbers=[NUMBER])
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(document.read_verified())).pages)
    assert ("Lars Bäck" in text, "Bäckström" in text, "Öhrn" in text) == (True, False, False)
    assert document.snapshot == AdjustedSnapshot.objects.get(round=round).document
    assert {p["last_name"] for p in document.snapshot["people"]} >= {"Bäck", "Öberg"}


def test_freeze_adjusted_freezes_what_was_adjusted_before_snapshots_were_frozen():
    meeting = serving_meeting(n_members=3)
    user = User.objects.create_user("sekreterare")
    AdjustmentRound.objects.create(
        meeting=meeting, opened_by=user, state=RoundState.COMPLETED, closed_at=timezone.now(), closed_by=user
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.ADJUSTED)
    meeting.refresh_from_db()
    out = io.StringIO()

    call_command("freeze_adjusted", stdout=out)
    printed = render_text(snapshot_for(meeting))
    meeting.chair.first_name = "Omdöpt"
    meeting.chair.save()
    call_command("freeze_adjusted", stdout=out)

    assert out.getvalue().splitlines() == ["Froze 1 adjusted protocols and §§.", "Froze 0 adjusted protocols and §§."]
    assert render_text(snapshot_for(meeting)) == printed
    assert "Omdöpt" in render_text(build_snapshot(meeting))
