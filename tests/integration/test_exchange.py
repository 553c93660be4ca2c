"""The meeting exchange file: a byte-identical round trip, reuse of what exists, and refusals by JSON path."""

import copy
import datetime
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from committee.models import Committee, HouseStyle, HouseStyleVersion, Membership, Party, Person, Role
from minutes import rules, styles
from minutes.exchange import ExchangeError, Problem, export_meeting, import_meeting
from minutes.models import (
    Adjuster,
    Attendance,
    AttendanceFunction,
    Ballot,
    BallotChoice,
    Item,
    Meeting,
    MeetingStatus,
    Motion,
    MotionKind,
    MotionMover,
    Proposition,
    PropositionKind,
    Recusal,
    Reservation,
    ReservationMember,
    Statement,
    StatementAuthor,
    StatementKind,
)
from minutes.protocol import housestyle
from minutes.protocol.render import Request, render_text
from minutes.protocol.snapshot import build_snapshot

pytestmark = pytest.mark.django_db

MODELS = [
    Committee,
    Party,
    Person,
    Membership,
    Meeting,
    Adjuster,
    Attendance,
    Item,
    Motion,
    MotionMover,
    Proposition,
    Ballot,
    Recusal,
    Reservation,
    ReservationMember,
    Statement,
    StatementAuthor,
]
YES, NO, ABSTAIN = BallotChoice.YES, BallotChoice.NO, BallotChoice.ABSTAIN
# § 5's roll-call vote, in roll order: Holm is absent and Hedlund serves in her place.
VOTES = [
    ("Bäck", YES),
    ("Backman", YES),
    ("Fredholm", NO),
    ("Moreira Duarte", YES),
    ("Öberg", ABSTAIN),
    ("Lindqvist", YES),
    ("Sundberg", YES),
    ("Nyström", NO),
    ("Bergqvist", YES),
    ("Ekdahl", YES),
    ("Hedlund", NO),
]
VOTE_WORDING = "Omröstning begärdes och verkställdes enligt bilaga 1."
RECUSAL_WORDING = "Johan Sundberg (S) anmälde jäv. Eva Lund (S) tjänstgjorde i hans ställe."
L_STATEMENT = "Liberalerna avstår från att ta ställning till tertialrapporten."
V_NOTE = "Vänsterpartiet noterar att prognosen är osäker."


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The rules' messages in their source language, whatever catalogue is compiled."""
    with translation.override("en"):
        yield


def person(last_name: str) -> Person:
    return Person.objects.get(last_name=last_name)


def enrich(meeting: Meeting) -> None:
    """Give the demo what it lacks: a vote, a recusal with a substitute, statements, a § range, wordings."""
    item = {item.number: item for item in meeting.items.all()}

    ekdahl = Attendance.objects.get(meeting=meeting, person=person("Ekdahl"))
    ekdahl.to_item = item[8]
    ekdahl.save()
    Attendance.objects.create(
        meeting=meeting,
        person=person("Fors"),
        function=AttendanceFunction.SERVING,
        replaces=person("Ekdahl"),
        from_item=item[9],
        position=21,
    )

    approve = Motion.objects.create(item=item[5], position=0, kind=MotionKind.APPROVE)
    MotionMover.objects.create(motion=approve, person=person("Backman"), with_others=True, position=0)
    reject = Motion.objects.create(item=item[5], position=1, kind=MotionKind.REJECT)
    MotionMover.objects.create(motion=reject, person=person("Hedlund"), with_others=True, position=0)
    MotionMover.objects.create(motion=reject, person=person("Nyström"), position=1)
    vote = Proposition.objects.create(
        item=item[5],
        position=0,
        kind=PropositionKind.AGAINST_EACH_OTHER,
        outcome=approve,
        voted=True,
        yes_motion=approve,
        no_motion=reject,
        wording=VOTE_WORDING,
    )
    for last_name, choice in VOTES:
        Ballot.objects.create(proposition=vote, person=person(last_name), choice=choice)
    reservation = Reservation.objects.create(item=item[5], position=0, in_favour_of=reject, text="Vi vill annat.")
    ReservationMember.objects.create(reservation=reservation, person=person("Hedlund"), with_others=True, position=0)
    statement = Statement.objects.create(item=item[5], position=0, kind=StatementKind.SPECIAL, text=L_STATEMENT)
    StatementAuthor.objects.create(statement=statement, person=person("Öberg"), position=0)
    note = Statement.objects.create(item=item[5], position=1, kind=StatementKind.MINUTE_NOTE, text=V_NOTE)
    StatementAuthor.objects.create(statement=note, person=person("Fors"), with_others=True, position=0)

    motion = Motion.objects.create(item=item[7], position=0, kind=MotionKind.APPROVE, wording="Bifall yrkades.")
    MotionMover.objects.create(motion=motion, person=person("Lund"), position=0)
    Proposition.objects.create(item=item[7], position=0, kind=PropositionKind.SINGLE, outcome=motion)
    Recusal.objects.create(item=item[7], person=person("Sundberg"), substitute=person("Lund"), wording=RECUSAL_WORDING)

    item[10].report_wording = "Förvaltningen hade redovisat ärendet muntligen."
    item[10].immediately_adjusted = True
    item[10].save()
    for each in item.values():
        rules.check_item(each)


def wipe() -> None:
    """Leave the database as an installation that has never seen the committee."""
    Meeting.objects.all().delete()
    Membership.objects.all().delete()
    Person.objects.all().delete()
    Party.objects.all().delete()
    Committee.objects.all().delete()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def protocol_text(meeting: Meeting) -> str:
    return render_text(build_snapshot(meeting), Request(kind="protocol"))


def export(meeting: Meeting, path: Path) -> bytes:
    call_command("export_meeting", str(meeting.pk), "-o", str(path), stderr=io.StringIO())
    return path.read_bytes()


@pytest.fixture
def demo() -> Meeting:
    call_command("loaddemo", "--draft", stdout=io.StringIO())
    meeting = Meeting.objects.get()
    enrich(meeting)
    return meeting


@pytest.fixture
def document(demo) -> dict[str, Any]:
    """The demo's file, with the database emptied for importing it."""
    content = json.loads(export_meeting(demo))
    wipe()
    return content


def uids(document: dict[str, Any]) -> dict[str, str]:
    return {row["last_name"]: row["uid"] for row in document["people"]}


def refused(content: dict[str, Any] | str) -> list[Problem]:
    """Import the file, expecting it refused with the database exactly as before; return the problems."""
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    before = counts()
    with pytest.raises(ExchangeError) as raised:
        import_meeting(text)
    assert counts() == before
    return raised.value.problems


# The round trip


def test_export_import_export_is_byte_identical_on_an_empty_database(demo, tmp_path):
    first = export(demo, tmp_path / "first.json")
    rows = counts()
    text = protocol_text(demo)
    wipe()

    out = io.StringIO()
    call_command("import_meeting", str(tmp_path / "first.json"), stdout=out)

    meeting = Meeting.objects.get()
    assert out.getvalue() == f"{meeting.pk}\n"
    assert export(meeting, tmp_path / "second.json") == first
    assert counts() == rows
    assert protocol_text(meeting) == text


def test_the_parts_of_a_paragraph_round_trip_with_its_speakers_by_uid(demo, tmp_path):
    item = Item.objects.get(meeting=demo, number=10)
    item.basis = "Tjänsteutlåtande 2016-09-12\nRemissvar 2016-08-30"
    item.prepared_proposal = "Nämnden föreslås godkänna strategin."
    item.speakers = [person("Backman").pk, person("Öberg").pk]
    item.recipients = "Kommunstyrelsen"
    item.dnr = "1.5.1-123/2016, 1.5.1-124/2016"
    item.save()
    first = export(demo, tmp_path / "first.json")
    document = json.loads(first)
    uid = uids(document)
    text = protocol_text(demo)
    wipe()

    meeting = import_meeting(first)
    fields = ("basis", "prepared_proposal", "speakers", "recipients")
    assert {key: document["meeting"]["items"][9][key] for key in fields} == {
        "basis": "Tjänsteutlåtande 2016-09-12\nRemissvar 2016-08-30",
        "prepared_proposal": "Nämnden föreslås godkänna strategin.",
        "speakers": [uid["Backman"], uid["Öberg"]],
        "recipients": "Kommunstyrelsen",
    }
    assert Item.objects.get(meeting=meeting, number=10).speakers == [person("Backman").pk, person("Öberg").pk]
    assert (export(meeting, tmp_path / "second.json"), protocol_text(meeting)) == (first, text)


def test_a_file_without_the_parts_of_a_paragraph_is_read_as_having_none(document):
    for item in document["meeting"]["items"]:
        for key in ("prepared_proposal", "basis", "speakers", "recipients"):
            del item[key]
    meeting = import_meeting(json.dumps(document, ensure_ascii=False))
    parts = Item.objects.filter(meeting=meeting).values_list("prepared_proposal", "basis", "speakers", "recipients")
    assert [list(row) for row in parts] == [["", "", [], ""]] * len(document["meeting"]["items"])


def test_a_speaker_who_is_not_on_the_roll_is_refused(document):
    stranger = "00000000-0000-4000-8000-000000000001"
    document["people"].append({"uid": stranger, "first_name": "Utom", "last_name": "Stående"})
    document["meeting"]["items"][9]["speakers"] = [uids(document)["Backman"], stranger]

    assert refused(document) == [
        Problem(
            "$.meeting.items[9].speakers[1]",
            f"Person {stranger} is not on the roll of the meeting, so cannot have spoken.",
        )
    ]


def by_time_and_pending(meeting: Meeting) -> None:
    """§§ with start times, a substitute present by the clock, one given §§ that are not added yet."""
    Item.objects.filter(meeting=meeting, number=1).update(started_at=datetime.time(18, 0))
    Item.objects.filter(meeting=meeting, number=6).update(started_at=datetime.time(19, 10, 30))
    Attendance.objects.create(
        meeting=meeting,
        person=person("Dahl"),
        function=AttendanceFunction.NON_SERVING,
        from_time=datetime.time(18, 30),
        to_time=datetime.time(19, 45),
        position=22,
    )
    Attendance.objects.create(
        meeting=meeting,
        person=person("Strand"),
        function=AttendanceFunction.NON_SERVING,
        pending_from_number=14,
        pending_to_number=15,
        position=23,
    )


def test_attendance_times_pending_numbers_and_start_times_round_trip(demo, tmp_path):
    by_time_and_pending(demo)
    first = export(demo, tmp_path / "first.json")
    document = json.loads(first)
    rows = {row["person"]: row for row in document["meeting"]["attendance"]}
    uid = uids(document)
    times = ("from_time", "to_time", "pending_from_number", "pending_to_number")
    assert [{key: rows[uid[name]][key] for key in times} for name in ("Dahl", "Strand", "Ekdahl")] == [
        {"from_time": "18:30", "to_time": "19:45", "pending_from_number": None, "pending_to_number": None},
        {"from_time": None, "to_time": None, "pending_from_number": 14, "pending_to_number": 15},
        {"from_time": None, "to_time": None, "pending_from_number": None, "pending_to_number": None},
    ]
    assert [item["started_at"] for item in document["meeting"]["items"]][:6] == [
        "18:00",
        None,
        None,
        None,
        None,
        "19:10:30",
    ]
    wipe()

    meeting = import_meeting(first)
    stored = {
        row.person.last_name: (row.from_time, row.to_time, row.pending_from_number, row.pending_to_number)
        for row in Attendance.objects.filter(meeting=meeting).select_related("person")
    }
    assert (stored["Dahl"], stored["Strand"]) == (
        (datetime.time(18, 30), datetime.time(19, 45), None, None),
        (None, None, 14, 15),
    )
    started = dict(Item.objects.filter(meeting=meeting).values_list("number", "started_at"))
    assert (started[1], started[2], started[6]) == (datetime.time(18, 0), None, datetime.time(19, 10, 30))
    assert export(meeting, tmp_path / "second.json") == first


def test_a_file_without_times_or_pending_numbers_is_read_as_having_none(document):
    for row in document["meeting"]["attendance"]:
        for key in ("from_time", "to_time", "pending_from_number", "pending_to_number"):
            del row[key]
    for item in document["meeting"]["items"]:
        del item["started_at"]
    meeting = import_meeting(json.dumps(document, ensure_ascii=False))
    assert list(Attendance.objects.filter(meeting=meeting).exclude(from_time=None, pending_from_number=None)) == []
    assert list(Item.objects.filter(meeting=meeting).exclude(started_at=None)) == []


def test_file_carries_the_vote_recusal_statements_ranges_and_wordings(demo):
    document = json.loads(export_meeting(demo))
    uid = uids(document)
    items = document["meeting"]["items"]

    assert items[4]["propositions"] == [
        {
            "kind": "against_each_other",
            "outcome": 0,
            "rejected": False,
            "voted": True,
            "yes_motion": 0,
            "no_motion": 1,
            "casting_vote": "",
            "roll_call_appendix": "",
            "wording": VOTE_WORDING,
            "ballots": [{"person": uid[last_name], "choice": choice} for last_name, choice in VOTES],
        }
    ]
    assert items[4]["reservations"] == [
        {
            "in_favour_of": 1,
            "text": "Vi vill annat.",
            "appendix": "",
            "wording": "",
            "members": [{"person": uid["Hedlund"], "with_others": True}],
        }
    ]
    assert items[4]["statements"] == [
        {
            "kind": "special",
            "text": L_STATEMENT,
            "in_appendix": False,
            "appendix": "",
            "authors": [{"person": uid["Öberg"], "with_others": False}],
        },
        {
            "kind": "minute_note",
            "text": V_NOTE,
            "in_appendix": False,
            "appendix": "",
            "authors": [{"person": uid["Fors"], "with_others": True}],
        },
    ]
    assert items[6]["recusals"] == [
        {"person": uid["Sundberg"], "left_room": True, "substitute": uid["Lund"], "wording": RECUSAL_WORDING}
    ]
    assert items[6]["motions"] == [
        {
            "kind": "approve",
            "text": "",
            "wording": "Bifall yrkades.",
            "movers": [{"person": uid["Lund"], "with_others": False}],
        }
    ]
    assert (items[5]["confidential"], items[5]["public_heading"]) == (True, "Individärende enligt socialtjänstlagen")
    assert (items[9]["report_wording"], items[9]["immediately_adjusted"]) == (
        "Förvaltningen hade redovisat ärendet muntligen.",
        True,
    )
    ranges = [
        (row["person"], row["function"], row["replaces"], row["from_number"], row["to_number"])
        for row in document["meeting"]["attendance"]
        if row["person"] in (uid["Ekdahl"], uid["Fors"])
    ]
    assert ranges == [
        (uid["Ekdahl"], "serving", None, None, 8),
        (uid["Fors"], "serving", uid["Ekdahl"], 9, None),
        (uid["Fors"], "non_serving", None, None, None),
    ]


def test_file_lists_the_people_named_and_the_members_of_the_day(demo):
    later = Person.objects.create(first_name="Nils", last_name="Ny")
    Membership.objects.create(
        person=later, committee=demo.committee, role=Role.MEMBER, start=datetime.date(2017, 1, 1), position=99
    )

    document = json.loads(export_meeting(demo))

    names = [f"{row['first_name']} {row['last_name']}" for row in document["people"]]
    assert len(names) == 21  # the 19 on the roll, the secretary and the director; not Nils Ny
    assert names[:3] == ["Fatima Ali", "Kjell Backman", "Sofia Bergqvist"]
    assert [row["abbreviation"] for row in document["parties"]] == ["C", "KD", "L", "M", "MP", "S", "V"]
    assert len(document["memberships"]) == 19
    assert document["memberships"][0] == {
        "person": uids(document)["Bäck"],
        "party": "V",
        "role": "chair",
        "start": "2015-01-01",
        "end": "2018-12-31",
        "position": 0,
    }
    assert document["meeting"]["adjustment_at"] == "2016-09-29T15:00:00+02:00"
    assert (document["meeting"]["start_time"], document["meeting"]["end_time"]) == ("18:00", "20:05")


def test_import_reuses_the_committee_parties_people_and_memberships(demo, tmp_path):
    first = export(demo, tmp_path / "first.json")
    demo.delete()
    shared = ("Committee", "Party", "Person", "Membership")
    before = {name: counts()[name] for name in shared}

    meeting = import_meeting(first)

    after = {name: counts()[name] for name in shared}
    assert after == before == {"Committee": 1, "Party": 7, "Person": 21, "Membership": 19}
    assert export(meeting, tmp_path / "second.json") == first


def test_import_refuses_a_meeting_that_is_already_there(demo):
    problems = refused(export_meeting(demo))

    assert problems == [
        Problem("$.meeting", f"Årstadal SDN already has meeting nr 9 on 2016-09-22 (meeting {demo.pk}).")
    ]


# Bad files: refused, by JSON path, with nothing written


def test_malformed_json_is_refused(document):
    text = json.dumps(document, ensure_ascii=False, indent=2)[
        :-1
    ]  # cut off the final brace, leaving an empty last line

    problems = refused(text)

    last_line = text.count("\n") + 1
    assert problems == [
        Problem("$", f"The file is not valid JSON at line {last_line}, column 1: Expecting ',' delimiter.")
    ]


def test_another_version_is_refused(document):
    document["version"] = 3

    assert refused(document) == [Problem("$.version", "Version 3 is not supported: this Paragraf reads versions 1, 2.")]


def test_a_missing_field_is_refused(document):
    del document["meeting"]["items"][9]["title"]

    assert refused(document) == [Problem("$.meeting.items[9].title", "This required field is missing.")]


def test_a_value_of_the_wrong_kind_is_refused(document):
    document["meeting"]["items"][4]["propositions"][0]["ballots"][0]["choice"] = "ja"
    document["meeting"]["date"] = "2016-09-31"

    assert refused(document) == [
        Problem("$.meeting.date", "'2016-09-31' is not a 'date'"),
        Problem(
            "$.meeting.items[4].propositions[0].ballots[0].choice",
            "'ja' is not one of ['yes', 'no', 'abstain']",
        ),
    ]


def test_a_mover_who_is_not_serving_is_refused(document):
    holm = uids(document)["Holm"]  # a member, absent: Hedlund serves in her place
    document["meeting"]["items"][9]["motions"][1]["movers"].append({"person": holm, "with_others": False})

    assert refused(document) == [
        Problem("$.meeting.items[9].motions[1].movers", "Karin Holm is not serving on this § and cannot move.")
    ]


def test_a_ballot_from_a_recused_member_is_refused(document):
    lindqvist = uids(document)["Lindqvist"]
    document["meeting"]["items"][4]["recusals"].append(
        {"person": lindqvist, "left_room": True, "substitute": None, "wording": ""}
    )

    assert refused(document) == [
        Problem(
            "$.meeting.items[4].propositions[0].ballots",
            "Anna Lindqvist is recused on this § and cannot vote.",
        )
    ]


def test_a_dangling_person_uid_is_refused(document):
    stranger = "00000000-0000-4000-8000-000000000000"
    document["meeting"]["items"][9]["motions"][0]["movers"][0]["person"] = stranger
    document["meeting"]["adjusters"].append(stranger)

    assert refused(document) == [
        Problem("$.meeting.adjusters[1]", f"There is no person with uid {stranger} in $.people."),
        Problem(
            "$.meeting.items[9].motions[0].movers[0].person", f"There is no person with uid {stranger} in $.people."
        ),
    ]


def test_a_motion_index_or_item_number_out_of_range_is_refused(document):
    document["meeting"]["items"][9]["propositions"][0]["outcome"] = 2
    document["meeting"]["items"][0]["propositions"].append(
        copy.deepcopy(document["meeting"]["items"][4]["propositions"][0])
    )
    document["meeting"]["attendance"][0]["to_number"] = 13

    assert refused(document) == [
        Problem("$.meeting.attendance[0].to_number", "The meeting has no § 13."),
        Problem("$.meeting.items[0].propositions[0].outcome", "§ 1 has no motions."),
        Problem("$.meeting.items[0].propositions[0].yes_motion", "§ 1 has no motions."),
        Problem("$.meeting.items[0].propositions[0].no_motion", "§ 1 has no motions."),
        Problem(
            "$.meeting.items[9].propositions[0].outcome",
            "§ 10 has no motion 2: its motions are numbered 0 to 1.",
        ),
    ]


def test_a_person_listed_twice_is_refused(document):
    document["people"].append(copy.deepcopy(document["people"][0]))

    assert refused(document) == [
        Problem(
            f"$.people[{len(document['people']) - 1}].uid",
            f"{document['people'][0]['uid']} is already used at $.people[0].",
        )
    ]


def test_a_model_constraint_is_reported_at_the_row(document):
    document["meeting"]["items"][5]["public_heading"] = ""

    assert refused(document) == [
        Problem("$.meeting.items[5]", "Constraint “confidential_item_has_public_heading” is violated.")
    ]


# Only a draft comes in: a status is the outcome of an adjustment, which a file does not carry


def only_a_draft(status: str) -> str:
    return (
        f"Only a draft can be imported, and this meeting is {status}. The file does not carry its adjustment "
        "(the approvals, the seal and the notice): the sealed PDF of the installation that adjusted it remains "
        'the protocol\'s record. To take the meeting in as a draft to work on, set its status to "draft".'
    )


@pytest.mark.parametrize(
    ("status", "label"),
    [("locked", "sent for adjustment"), ("adjusted", "adjusted"), ("announced", "announced")],
)
def test_a_meeting_that_is_not_a_draft_is_refused(document, status, label):
    """Before, "locked" came in as a protocol no one could edit, send or reopen, and "announced" as a traceback."""
    document["meeting"]["status"] = status

    assert refused(document) == [Problem("$.meeting.status", only_a_draft(label))]


def test_the_same_file_as_a_draft_is_imported_as_a_draft(document):
    document["meeting"]["status"] = "draft"

    meeting = import_meeting(json.dumps(document, ensure_ascii=False))

    assert (meeting.status, meeting.adjustment_rounds.count()) == (MeetingStatus.DRAFT, 0)


def test_import_command_refuses_an_announced_meeting_in_swedish(document, tmp_path):
    document["meeting"]["status"] = "announced"
    path = tmp_path / "announced.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    err = io.StringIO()

    with translation.override("sv"), pytest.raises(CommandError):
        call_command("import_meeting", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "$.meeting.status: Bara ett utkast kan importeras, och det här sammanträdet är anslaget. Filen innehåller "
        "inte dess justering (godkännandena, sigillet och anslaget): det förseglade PDF-dokumentet från den "
        "installation som justerade det är fortfarande protokollets handling. Ändra dess status till "
        '"draft" för att ta in sammanträdet som ett utkast att arbeta vidare med.'
    ]
    assert counts()["Meeting"] == 0


# The commands


def test_import_command_prints_each_problem_and_fails(document, tmp_path):
    del document["committee"]["seats"]
    document["meeting"]["items"][9]["motions"][0]["kind"] = "bifall"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_meeting", str(path), stdout=io.StringIO(), stderr=err)

    assert str(raised.value) == f"{path} was refused (2 problems); nothing was imported."
    assert err.getvalue().splitlines() == [
        "$.committee.seats: This required field is missing.",
        "$.meeting.items[9].motions[0].kind: 'bifall' is not one of "
        "['approve', 'reject', 'approve_with_text', 'refer_back', 'table', 'own_proposal', 'chair_proposal']",
    ]
    assert counts()["Meeting"] == 0


def test_export_command_writes_standard_output_as_the_file(demo, tmp_path):
    out = io.StringIO()
    call_command("export_meeting", str(demo.pk), "-o", "-", stdout=out)

    assert out.getvalue().encode() == export(demo, tmp_path / "file.json")


def test_export_command_refuses_an_unknown_meeting(demo, tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("export_meeting", str(demo.pk + 1), "-o", str(tmp_path / "out.json"))

    assert str(raised.value) == f"There is no meeting {demo.pk + 1}"


def test_an_adjustment_without_a_time_round_trips_and_an_older_file_has_one(demo, tmp_path):
    Meeting.objects.filter(pk=demo.pk).update(adjustment_date_only=True)
    first = export(demo, tmp_path / "first.json")
    document = json.loads(first)
    assert document["meeting"]["adjustment_date_only"] is True
    wipe()
    meeting = import_meeting(first)
    assert (meeting.adjustment_date_only, export(meeting, tmp_path / "second.json")) == (True, first)
    del document["meeting"]["adjustment_date_only"]  # a file written before the field existed
    Meeting.objects.all().delete()
    assert import_meeting(json.dumps(document, ensure_ascii=False)).adjustment_date_only is False


# The procedure's structure (a rejected single motion, the chair's proposal, texts in appendices)


def structure(meeting: Meeting) -> None:
    """§ 7's single motion found rejected, § 5's chair's proposal and its appendices."""
    item = {item.number: item for item in meeting.items.all()}
    Proposition.objects.filter(item=item[7]).update(outcome=None, rejected=True)
    Proposition.objects.filter(item=item[5]).update(roll_call_appendix="1")
    Reservation.objects.filter(item=item[5]).update(appendix="2")
    statement = Statement.objects.create(
        item=item[5], position=2, kind=StatementKind.SPECIAL, in_appendix=True, appendix="3"
    )
    StatementAuthor.objects.create(statement=statement, person=person("Fredholm"), position=0)
    chair = Motion.objects.create(item=item[5], position=2, kind=MotionKind.CHAIR_PROPOSAL, text="Nämnden beslutar så.")
    MotionMover.objects.create(motion=chair, person=meeting.chair, position=0)
    for number in (5, 7):
        rules.check_item(item[number])


def test_the_procedure_structure_round_trips_byte_identical(demo, tmp_path):
    structure(demo)
    first = export(demo, tmp_path / "first.json")
    items = json.loads(first)["meeting"]["items"]
    wipe()
    imported = import_meeting(first.decode("utf-8"))
    again = export(imported, tmp_path / "again.json")

    assert again == first
    assert (items[6]["propositions"][0]["rejected"], items[6]["propositions"][0]["outcome"]) == (True, None)
    assert items[4]["propositions"][0]["roll_call_appendix"] == "1"
    assert items[4]["reservations"][0]["appendix"] == "2"
    assert [(s["in_appendix"], s["appendix"], s["text"]) for s in items[4]["statements"]] == [
        (False, "", L_STATEMENT),
        (False, "", V_NOTE),
        (True, "3", ""),
    ]
    assert items[4]["motions"][2]["kind"] == "chair_proposal"


def test_a_file_without_the_procedure_structure_is_read_as_before(document):
    """A file written before these fields existed imports with their defaults: exported again, it is the full file."""
    old = copy.deepcopy(document)
    for item in old["meeting"]["items"]:
        for row in item["propositions"]:
            del row["rejected"], row["roll_call_appendix"]
        for row in item["reservations"]:
            del row["appendix"]
        for row in item["statements"]:
            del row["in_appendix"], row["appendix"]

    meeting = import_meeting(json.dumps(old, ensure_ascii=False))

    assert json.loads(export_meeting(meeting)) == document


def test_a_statement_without_text_outside_an_appendix_is_refused_at_its_text(document):
    document["meeting"]["items"][4]["statements"][0]["text"] = ""

    assert refused(document) == [
        Problem("$.meeting.items[4].statements[0].text", "Write the statement, or say that its text is in an appendix.")
    ]


def test_a_rejected_proposition_that_also_names_a_winner_is_refused(document):
    document["meeting"]["items"][6]["propositions"][0]["rejected"] = True

    assert refused(document) == [
        Problem(
            "$.meeting.items[6].propositions[0].rejected",
            "A rejected motion has no adopted motion and no vote: leave those empty.",
        )
    ]


# Version 2: the house style the meeting prints with

V1_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "exchange" / "meeting-v1.json"


def test_a_version_1_file_from_before_the_style_block_still_imports():
    """The fixture is the demo as main's dump wrote it before version 2: no style block."""
    content = V1_FIXTURE.read_bytes()
    assert json.loads(content)["version"] == 1
    assert "style" not in json.loads(content)

    meeting = import_meeting(content)

    assert meeting.committee.house_style is None  # it prints with its style fields, as before
    assert meeting.items.count() == len(json.loads(content)["meeting"]["items"])
    exported = json.loads(export_meeting(meeting))
    assert exported["version"] == 2
    assert exported["style"]["version"] is None
    assert exported["style"]["document"]["headings"]["decision"] == "BESLUT"
    fixture = {key: value for key, value in json.loads(content).items() if key != "version"}
    # Fields added to the format since the fixture was written are left out: what it has is kept as it was
    assert within(exported, fixture) == fixture


def within(value: Any, shape: Any) -> Any:
    """`value` with only the keys `shape` has, at every level."""
    if isinstance(shape, dict) and isinstance(value, dict):
        return {key: within(value.get(key), inner) for key, inner in shape.items()}
    if isinstance(shape, list) and isinstance(value, list) and len(shape) == len(value):
        return [within(v, s) for v, s in zip(value, shape, strict=True)]
    return value


def test_a_version_2_file_without_a_style_is_refused(document):
    del document["style"]

    assert refused(document) == [Problem("$.style", "This required field is missing.")]


def ostersund(meeting: Meeting) -> None:
    """Give the meeting's committee a style of its own from the Östersund preset, saved twice."""
    committee = meeting.committee
    style = styles.create_from_preset("ostersund-ks", municipality=committee.municipality, owner=committee)
    changed = copy.deepcopy(style.document)
    changed["headings"]["decision"] = "Nämndens beslut"
    styles.save_style(style, changed)
    committee.house_style = style
    committee.save()


def test_the_style_travels_with_the_meeting_and_prints_the_same(demo, tmp_path):
    ostersund(demo)
    first = export(demo, tmp_path / "first.json")
    block = json.loads(first)["style"]
    text = protocol_text(demo)
    wipe()
    HouseStyleVersion.objects.all().delete()  # a queryset's delete: the model's own refuses
    HouseStyle.objects.all().delete()

    meeting = import_meeting(first)

    style = meeting.committee.house_style
    assert (style.name, style.version, style.sha256, style.owner) == (
        "Östersund, kommunstyrelsen",
        2,
        block["sha256"],
        meeting.committee,
    )
    assert "Nämndens beslut" in text
    assert protocol_text(meeting) == text
    assert export(meeting, tmp_path / "second.json") == first


def test_a_style_the_committee_has_already_is_not_added_again(demo):
    ostersund(demo)
    content = json.loads(export_meeting(demo))
    committee = demo.committee
    committee.house_style = styles.create_from_preset("sunne-kf", owner=committee)
    committee.save()
    before = list(HouseStyle.objects.order_by("pk").values_list("pk", flat=True))
    content["meeting"]["number"] += 1

    import_meeting(json.dumps(content, ensure_ascii=False))

    committee.refresh_from_db()
    assert committee.house_style.name == "Sunne, kommunfullmäktige"  # the style it chose stands
    assert list(HouseStyle.objects.order_by("pk").values_list("pk", flat=True)) == before


def test_an_unknown_style_is_added_for_the_committee_alone_and_not_switched_to(demo):
    committee = demo.committee
    committee.house_style = styles.create_from_preset("sunne-kf", owner=committee)
    committee.save()
    neighbour = Committee.objects.create(
        name="Grannämnden", short_name="GN", slug="granne", municipality=committee.municipality, seats=5
    )
    content = json.loads(export_meeting(demo))
    content["style"]["document"]["headings"]["decision"] = "Beslut i korthet"
    content["style"]["sha256"] = housestyle.digest(content["style"]["document"])
    content["meeting"]["number"] += 1

    import_meeting(json.dumps(content, ensure_ascii=False))
    content["meeting"]["number"] += 1
    import_meeting(json.dumps(content, ensure_ascii=False))  # now known: not added twice

    committee.refresh_from_db()
    added = HouseStyle.objects.get(sha256=content["style"]["sha256"])
    assert (added.owner, added.version, list(added.shared_with.all())) == (committee, 1, [])
    assert committee.house_style.name == "Sunne, kommunfullmäktige"
    assert set(styles.usable_styles(committee)) == {added, committee.house_style}
    assert list(styles.usable_styles(neighbour)) == []


def test_an_invalid_style_is_refused_at_its_path_and_nothing_is_written(document):
    document["style"]["document"]["formats"]["date"] = "roman"
    document["style"]["document"]["sentences"]["vote"] = "{{ nonsense }}"
    document["style"]["sha256"] = housestyle.digest(document["style"]["document"])

    problems = refused(document)

    assert [problem.path for problem in problems] == [
        "$.style.document.formats.date",
        "$.style.document.sentences.vote",
    ]


def test_a_style_whose_digest_does_not_match_is_refused(document):
    document["style"]["document"]["body_noun"] = "styrelsen"

    assert refused(document) == [
        Problem(
            "$.style.sha256",
            "This is not the SHA-256 of the style document, which is "
            f"{housestyle.digest(document['style']['document'])}.",
        )
    ]


def test_import_command_records_who_imported(document, tmp_path, django_user_model):
    registrar = django_user_model.objects.get(username="registrator")  # loaddemo made the account
    path = tmp_path / "meeting.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    call_command("import_meeting", str(path), "--by", "registrator", stdout=io.StringIO())

    meeting = Meeting.objects.get()
    assert [row.history_user for row in meeting.history.all()] == [registrar]
    assert {row.history_user for row in Item.history.filter(meeting_id=meeting.pk)} == {registrar}


def test_import_command_refuses_an_unknown_importer(document, tmp_path):
    path = tmp_path / "meeting.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        call_command("import_meeting", str(path), "--by", "nobody", stdout=io.StringIO())
    assert Meeting.objects.count() == 0
