"""Import: a meeting file into this database, all of it or nothing.

A file is checked in three passes, each reporting JSON paths: the JSON Schema; the references
the schema cannot see (uids, party abbreviations, § numbers, motion indexes); then, inside one
transaction, the models' own validation and `rules.check_item` on every §. Any problem rolls
the whole import back. What the database already has (the committee by slug, parties by
abbreviation, people by uid, identical memberships) is reused as it is, never duplicated or
overwritten. A house style (version 2) the committee does not know yet is added for that committee
alone; the committee prints with it if it had no style of its own. Every row written is recorded in
the audit trail as the importer's.
"""

import contextvars
import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from committee.models import Committee, HouseStyleVersion, Membership, Party, Person
from minutes import rules, styles
from minutes.exchange.dump import COMMITTEE_FIELDS
from minutes.exchange.schema import ExchangeError, Problem, check_format, parse, refuse, schema_problems
from minutes.models import (
    Adjuster,
    Attendance,
    Ballot,
    Item,
    Meeting,
    MeetingStatus,
    Motion,
    MotionMover,
    Proposition,
    Recusal,
    Reservation,
    ReservationMember,
    Statement,
    StatementAuthor,
)
from minutes.protocol import housestyle

ITEM_FIELDS = (
    "number",
    "title",
    "subtitle",
    "dnr",
    "decision",
    "matter",
    "base_proposal",
    "report_wording",
    "confidential",
    "public_heading",
    "immediately_adjusted",
)
# Fields added after the format's first files: a file without them is read as having none.
OPTIONAL_ITEM_TEXTS = ("prepared_proposal", "basis", "recipients")


def read_document(text: str | bytes) -> dict[str, Any]:
    """Parse and check a document as far as that is possible without the database."""
    document = parse(text)
    check_format(document)
    if problems := schema_problems(document):
        raise ExchangeError(problems)
    if problems := reference_problems(document) + style_problems(document.get("style")):
        raise ExchangeError(problems)
    return document


# Who imports: every row `_create` saves is recorded in the audit trail as theirs.
_importer: contextvars.ContextVar = contextvars.ContextVar("importer", default=None)


def import_meeting(text: str | bytes, *, by=None) -> Meeting:
    """Create the meeting the document describes, or raise ExchangeError and write nothing."""
    document = read_document(text)
    _refuse_adjusted(document["meeting"])
    token = _importer.set(by)
    try:
        return _import(document)
    finally:
        _importer.reset(token)


def _import(document: dict[str, Any]) -> Meeting:
    with transaction.atomic():
        new = not Committee.objects.filter(slug=document["committee"]["slug"]).exists()
        committee = _committee(document["committee"])
        if document.get("style") is not None:
            _style(document["style"], committee, new=new)
        _refuse_existing_meeting(committee, document["meeting"])
        parties = _parties(document["parties"])
        people = _people(document["people"])
        _memberships(document["memberships"], committee, parties, people)
        meeting, items = _meeting(document["meeting"], committee, people)
        problems: list[Problem] = []
        for index, item in enumerate(items):
            try:
                rules.check_item(item)
            except ValidationError as error:
                problems += _validation_problems(error, f"$.meeting.items[{index}]")
        if problems:
            raise ExchangeError(problems)
    return meeting


def _refuse_adjusted(data: dict[str, Any]) -> None:
    """A protocol sent for adjustment, adjusted or announced elsewhere cannot become one here.

    Its round, approvals, seal and notice are not in the file, and a status is only ever the
    outcome of those. Importing it as a draft instead would make an adjusted protocol editable
    again without a word, so the registrar is told what to do instead.
    """
    if data["status"] != MeetingStatus.DRAFT:
        raise refuse(
            "$.meeting.status",
            _(
                "Only a draft can be imported, and this meeting is %(status)s. The file does not carry "
                "its adjustment (the approvals, the seal and the notice): the sealed PDF of the installation "
                "that adjusted it remains the protocol's record. To take the meeting in as a draft to work on, "
                'set its status to "draft".'
            )
            % {"status": MeetingStatus(data["status"]).label.lower()},
        )


# References the schema cannot check


def reference_problems(document: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    uids = _unique(document["people"], "uid", "$.people", problems)
    abbreviations = _unique(document["parties"], "abbreviation", "$.parties", problems)
    meeting = document["meeting"]
    numbers = _unique(meeting["items"], "number", "$.meeting.items", problems)

    def person(value: str | None, path: str) -> None:
        if value is not None and value not in uids:
            problems.append(Problem(path, _("There is no person with uid %(uid)s in $.people.") % {"uid": value}))

    def item_number(value: int | None, path: str) -> None:
        if value is not None and value not in numbers:
            problems.append(Problem(path, _("The meeting has no § %(number)s.") % {"number": value}))

    for index, membership in enumerate(document["memberships"]):
        path = f"$.memberships[{index}]"
        person(membership["person"], f"{path}.person")
        if membership["party"] is not None and membership["party"] not in abbreviations:
            problems.append(
                Problem(
                    f"{path}.party",
                    _("There is no party %(abbreviation)s in $.parties.") % {"abbreviation": membership["party"]},
                )
            )
    person(meeting["chair"], "$.meeting.chair")
    person(meeting["secretary"], "$.meeting.secretary")
    for index, adjuster in enumerate(meeting["adjusters"]):
        person(adjuster, f"$.meeting.adjusters[{index}]")
    for index, row in enumerate(meeting["attendance"]):
        path = f"$.meeting.attendance[{index}]"
        person(row["person"], f"{path}.person")
        person(row["replaces"], f"{path}.replaces")
        item_number(row["from_number"], f"{path}.from_number")
        item_number(row["to_number"], f"{path}.to_number")

    on_roll = {row["person"] for row in meeting["attendance"]}
    for index, item in enumerate(meeting["items"]):
        path = f"$.meeting.items[{index}]"
        count = len(item["motions"])

        def motion(value: int | None, where: str, number: int = item["number"], count: int = count) -> None:
            if value is not None and value >= count:
                message = (
                    _("§ %(number)s has no motions.")
                    if count == 0
                    else _("§ %(number)s has no motion %(index)s: its motions are numbered 0 to %(last)s.")
                )
                problems.append(Problem(where, message % {"number": number, "index": value, "last": count - 1}))

        def named(rows: list[dict[str, Any]], where: str) -> None:
            for position, row in enumerate(rows):
                person(row["person"], f"{where}[{position}].person")

        for m, row in enumerate(item["motions"]):
            named(row["movers"], f"{path}.motions[{m}].movers")
        for p, row in enumerate(item["propositions"]):
            for field in ("outcome", "yes_motion", "no_motion"):
                motion(row[field], f"{path}.propositions[{p}].{field}")
            for b, ballot in enumerate(row["ballots"]):
                person(ballot["person"], f"{path}.propositions[{p}].ballots[{b}].person")
        for r, row in enumerate(item["recusals"]):
            person(row["person"], f"{path}.recusals[{r}].person")
            person(row["substitute"], f"{path}.recusals[{r}].substitute")
        for r, row in enumerate(item["reservations"]):
            motion(row["in_favour_of"], f"{path}.reservations[{r}].in_favour_of")
            named(row["members"], f"{path}.reservations[{r}].members")
        for s, row in enumerate(item["statements"]):
            named(row["authors"], f"{path}.statements[{s}].authors")
        for index, speaker in enumerate(item.get("speakers", [])):
            where = f"{path}.speakers[{index}]"
            person(speaker, where)
            if speaker in uids and speaker not in on_roll:
                problems.append(
                    Problem(
                        where,
                        _("Person %(uid)s is not on the roll of the meeting, so cannot have spoken.")
                        % {"uid": speaker},
                    )
                )
    return problems


def style_problems(data: dict[str, Any] | None) -> list[Problem]:
    """The style block's document must be a valid style (as completed for this Paragraf) with that digest."""
    if data is None:
        return []
    document = data["document"]
    problems = [
        Problem("$.style.document" + problem.path.removeprefix("$"), problem.message)
        for problem in housestyle.validate(housestyle.completed(document))
    ]
    if housestyle.digest(document) != data["sha256"]:
        problems.append(
            Problem(
                "$.style.sha256",
                _("This is not the SHA-256 of the style document, which is %(sha)s.")
                % {"sha": housestyle.digest(document)},
            )
        )
    return problems


def _unique(rows: list[dict[str, Any]], key: str, path: str, problems: list[Problem]) -> set:
    """The values of `key` in `rows`, noting any value that names two rows."""
    first: dict[Any, int] = {}
    for index, row in enumerate(rows):
        value = row[key]
        if value in first:
            problems.append(
                Problem(
                    f"{path}[{index}].{key}",
                    _("%(value)s is already used at %(path)s.") % {"value": value, "path": f"{path}[{first[value]}]"},
                )
            )
        else:
            first[value] = index
    return set(first)


# Writing, inside the transaction


def _committee(data: dict[str, Any]) -> Committee:
    committee = Committee.objects.filter(slug=data["slug"]).first()
    if committee is None:
        committee = _create(Committee, "$.committee", **{name: data[name] for name in COMMITTEE_FIELDS})
    return committee


def _style(data: dict[str, Any], committee: Committee, *, new: bool) -> None:
    """Add a style the committee does not know as its own; a committee without a style prints with it."""
    current = committee.house_style if committee.house_style_id else None
    printing = current.sha256 if current is not None else housestyle.digest(styles.committee_document(committee))
    known = HouseStyleVersion.objects.filter(style__in=styles.usable_styles(committee), sha256=data["sha256"])
    if printing == data["sha256"] or known.exists():
        return
    try:
        style = styles.create_style(
            name=data["name"],
            municipality=committee.municipality,
            document=housestyle.completed(data["document"]),  # as a style saved here is: with every key
            by=_importer.get(),
            owner=committee,
            version=data["version"] or 1,
        )
    except styles.StyleInvalid as error:  # style_problems has checked the completed document
        raise ExchangeError(
            [Problem("$.style.document" + p.path.removeprefix("$"), p.message) for p in error.problems]
        ) from None
    if new or current is None:
        committee.house_style = style
        _as_importer(committee)
        committee.save(update_fields=["house_style", "modified"])


def _refuse_existing_meeting(committee: Committee, data: dict[str, Any]) -> None:
    existing = Meeting.objects.filter(committee=committee, date=data["date"], number=data["number"]).first()
    if existing is not None:
        raise refuse(
            "$.meeting",
            _("%(committee)s already has meeting nr %(number)s on %(date)s (meeting %(pk)s).")
            % {"committee": committee.short_name, "number": data["number"], "date": data["date"], "pk": existing.pk},
        )


def _parties(rows: list[dict[str, Any]]) -> dict[str, Party]:
    existing = {
        party.abbreviation: party for party in Party.objects.filter(abbreviation__in=[r["abbreviation"] for r in rows])
    }
    parties: dict[str, Party] = {}
    for index, row in enumerate(rows):
        abbreviation = row["abbreviation"]
        parties[abbreviation] = existing.get(abbreviation) or _create(
            Party, f"$.parties[{index}]", abbreviation=abbreviation, name=row["name"]
        )
    return parties


def _people(rows: list[dict[str, Any]]) -> dict[str, Person]:
    existing = {str(person.uid): person for person in Person.objects.filter(uid__in=[r["uid"] for r in rows])}
    people: dict[str, Person] = {}
    for index, row in enumerate(rows):
        uid = row["uid"]
        people[uid] = existing.get(uid) or _create(
            Person, f"$.people[{index}]", uid=uid, first_name=row["first_name"], last_name=row["last_name"]
        )
    return people


def _memberships(
    rows: list[dict[str, Any]], committee: Committee, parties: dict[str, Party], people: dict[str, Person]
) -> None:
    for index, row in enumerate(rows):
        same = Membership.objects.filter(
            person=people[row["person"]],
            committee=committee,
            role=row["role"],
            start=_date(row["start"]),
            end=_date(row["end"]),
        )
        if not same.exists():
            _create(
                Membership,
                f"$.memberships[{index}]",
                person=people[row["person"]],
                committee=committee,
                party=parties[row["party"]] if row["party"] is not None else None,
                role=row["role"],
                start=_date(row["start"]),
                end=_date(row["end"]),
                position=row["position"],
            )


def _meeting(data: dict[str, Any], committee: Committee, people: dict[str, Person]) -> tuple[Meeting, list[Item]]:
    def person(uid: str | None) -> Person | None:
        return people[uid] if uid is not None else None

    meeting = _create(
        Meeting,
        "$.meeting",
        committee=committee,
        number=data["number"],
        date=_date(data["date"]),
        start_time=_time(data["start_time"]),
        end_time=_time(data["end_time"]),
        place=data["place"],  # a draft, as every new meeting is (_refuse_adjusted)
        chair=person(data["chair"]),
        secretary=person(data["secretary"]),
        adjustment_at=datetime.datetime.fromisoformat(data["adjustment_at"]) if data["adjustment_at"] else None,
        adjustment_place=data["adjustment_place"],
        adjustment_date_only=data.get("adjustment_date_only", False),  # optional: files written before it
    )
    for index, uid in enumerate(data["adjusters"]):
        _create(Adjuster, f"$.meeting.adjusters[{index}]", meeting=meeting, person=people[uid], position=index + 1)
    items = [
        _create(
            Item,
            f"$.meeting.items[{index}]",
            meeting=meeting,
            position=index + 1,
            report_date=_date(row["report_date"]),
            started_at=_time(row.get("started_at")),
            speakers=[people[uid].pk for uid in row.get("speakers", [])],
            **{name: row[name] for name in ITEM_FIELDS},
            **{name: row.get(name, "") for name in OPTIONAL_ITEM_TEXTS},
        )
        for index, row in enumerate(data["items"])
    ]
    by_number = {item.number: item for item in items}
    for index, row in enumerate(data["attendance"]):
        _create(
            Attendance,
            f"$.meeting.attendance[{index}]",
            rename={"from_item": "from_number", "to_item": "to_number"},
            meeting=meeting,
            person=people[row["person"]],
            function=row["function"],
            replaces=person(row["replaces"]),
            from_item=by_number.get(row["from_number"]),
            to_item=by_number.get(row["to_number"]),
            # Times and numbers of §§ not added yet came with the format later: a file without them has none.
            from_time=_time(row.get("from_time")),
            to_time=_time(row.get("to_time")),
            pending_from_number=row.get("pending_from_number"),
            pending_to_number=row.get("pending_to_number"),
            title=row["title"],
            position=index + 1,
        )
    for index, (item, row) in enumerate(zip(items, data["items"], strict=True)):
        _item_records(item, row, f"$.meeting.items[{index}]", person)
    return meeting, items


def _item_records(item: Item, data: dict[str, Any], path: str, person) -> None:
    """Motions, the procedure, recusals, reservations and statements of one §, in file order."""

    def named(model: type[models.Model], owner: dict[str, Any], rows: list[dict[str, Any]], where: str) -> None:
        for position, row in enumerate(rows, start=1):
            _create(
                model,
                f"{where}[{position - 1}]",
                person=person(row["person"]),
                with_others=row["with_others"],
                position=position,
                **owner,
            )

    motions: list[Motion] = []
    for index, row in enumerate(data["motions"]):
        where = f"{path}.motions[{index}]"
        motion = _create(
            Motion, where, item=item, position=index + 1, kind=row["kind"], text=row["text"], wording=row["wording"]
        )
        named(MotionMover, {"motion": motion}, row["movers"], f"{where}.movers")
        motions.append(motion)

    def motion(index: int | None) -> Motion | None:
        return motions[index] if index is not None else None

    for index, row in enumerate(data["propositions"]):
        where = f"{path}.propositions[{index}]"
        proposition = _create(
            Proposition,
            where,
            item=item,
            position=index + 1,
            kind=row["kind"],
            outcome=motion(row["outcome"]),
            rejected=row.get("rejected", False),
            voted=row["voted"],
            yes_motion=motion(row["yes_motion"]),
            no_motion=motion(row["no_motion"]),
            casting_vote=row["casting_vote"],
            roll_call_appendix=row.get("roll_call_appendix", ""),
            wording=row["wording"],
        )
        for number, ballot in enumerate(row["ballots"]):
            _create(
                Ballot,
                f"{where}.ballots[{number}]",
                proposition=proposition,
                person=person(ballot["person"]),
                choice=ballot["choice"],
            )
    for index, row in enumerate(data["recusals"]):
        _create(
            Recusal,
            f"{path}.recusals[{index}]",
            item=item,
            person=person(row["person"]),
            left_room=row["left_room"],
            substitute=person(row["substitute"]),
            wording=row["wording"],
        )
    for index, row in enumerate(data["reservations"]):
        where = f"{path}.reservations[{index}]"
        reservation = _create(
            Reservation,
            where,
            item=item,
            position=index + 1,
            in_favour_of=motion(row["in_favour_of"]),
            text=row["text"],
            appendix=row.get("appendix", ""),
            wording=row["wording"],
        )
        named(ReservationMember, {"reservation": reservation}, row["members"], f"{where}.members")
    for index, row in enumerate(data["statements"]):
        where = f"{path}.statements[{index}]"
        statement = _create(
            Statement,
            where,
            item=item,
            position=index + 1,
            kind=row["kind"],
            text=row["text"],
            in_appendix=row.get("in_appendix", False),
            appendix=row.get("appendix", ""),
        )
        named(StatementAuthor, {"statement": statement}, row["authors"], f"{where}.authors")


def _create[M: models.Model](model: type[M], path: str, *, rename: dict[str, str] | None = None, **values) -> M:
    """Validate a row as the models do and save it, or refuse the file at the row's path."""
    row = model(**values)
    try:
        row.full_clean()
    except ValidationError as error:
        raise ExchangeError(_validation_problems(error, path, rename or {})) from None
    _as_importer(row)
    row.save()
    return row


def _as_importer(row: models.Model) -> None:
    """Name the importer as the user of the row's historical record (simple-history reads `_history_user`)."""
    if (by := _importer.get()) is not None:
        row._history_user = by


def _validation_problems(error: ValidationError, path: str, rename: dict[str, str] | None = None) -> list[Problem]:
    """A model or rules ValidationError, its keys ("motions[0].movers", a field name) as JSON paths."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        return [Problem(path, message) for message in error.messages]
    return [
        Problem(path if key == NON_FIELD_ERRORS else f"{path}.{rename.get(key, key)}", message)
        for key, messages in error.message_dict.items()
        for message in messages
    ]


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _time(value: str | None) -> datetime.time | None:
    return datetime.time.fromisoformat(value) if value else None
