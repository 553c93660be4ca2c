"""A meeting and its roll: creating it, its own fields, who attended and for which §§."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from committee.models import Committee, Membership, NumberingScheme, Person, Role
from minutes import rules
from minutes.attendance import Presence, first_at, item_starts, last_before, serving_ids, span
from minutes.models import (
    Adjuster,
    Attendance,
    AttendanceFunction,
    Item,
    Meeting,
)
from minutes.models.meeting import ADJUSTMENT_DAYS
from minutes.services.guards import _bump, _editable, _next_position, _refuse_stale, _replace_rows
from minutes.services.numbering import _attach_by_time, _renumber_moved


def create_meeting(
    *,
    committee: Committee,
    date: datetime.date,
    number: int | None = None,
    start_time: datetime.time | None = None,
    place: str = "",
    secretary: Person | None = None,
    prefill_roll: bool = True,
) -> Meeting:
    """Open a draft meeting, with the members in force on the day on the roll as serving.

    `secretary` is usually whoever creates it, so that they need not pick themselves.
    """
    with transaction.atomic():
        same_year = Meeting.objects.filter(committee=committee, date__year=date.year)
        if number is None:
            number = (same_year.aggregate(last=Max("number"))["last"] or 0) + 1
        elif same_year.filter(number=number).exists():
            raise ValidationError(
                {"number": _("Meeting %(number)s/%(year)s already exists.") % {"number": number, "year": date.year}}
            )
        meeting = Meeting(
            committee=committee, date=date, number=number, start_time=start_time, place=place, secretary=secretary
        )
        meeting.full_clean()
        meeting.save()
        if prefill_roll:
            _prefill_roll(meeting)
    return meeting


def _prefill_roll(meeting: Meeting) -> None:
    memberships = meeting.committee.memberships.on(meeting.date).exclude(role=Role.SUBSTITUTE).select_related("person")
    on_roll: dict[int, Person] = {}
    for membership in memberships:
        on_roll.setdefault(membership.person_id, membership.person)
        if membership.role == Role.CHAIR and meeting.chair_id is None:
            meeting.chair = membership.person
    bulk_create_with_history(
        [
            Attendance(meeting=meeting, person=person, function=AttendanceFunction.SERVING, position=index)
            for index, person in enumerate(on_roll.values(), start=1)
        ],
        Attendance,
    )
    if meeting.chair_id:
        meeting.save(update_fields=["chair"])


def quorum_state(item: Item) -> tuple[int, int, bool]:
    """(serving, needed, ok): the committee may decide only with more than half its seats serving."""
    serving = len(rules.serving_on(item))
    needed = item.meeting.committee.quorum
    return serving, needed, serving >= needed


@dataclass(frozen=True)
class RollRow:
    """One line of the roll as the secretary enters it; §§ by number, None for the meeting's start or end."""

    person: Person
    function: str
    replaces: Person | None = None
    from_number: int | None = None
    to_number: int | None = None
    title: str = ""
    # Given by the clock instead of by §: the §§ follow from their start times (minutes.attendance).
    from_time: datetime.time | None = None
    to_time: datetime.time | None = None


def save_roll(meeting: Meeting, *, rows: Sequence[RollRow], expected_version: int | None = None) -> list[Attendance]:
    """Replace the meeting's roll with `rows`, in their order, or change nothing.

    A problem with one line is keyed `rows[<index>].<field>`. What the roll as a whole breaks
    (too many serving, the chair not serving, a § whose recorded motions, votes or recusals no
    longer fit who serves on it) is keyed `__all__`.
    """
    with transaction.atomic():
        meeting = _editable(meeting)
        _refuse_stale(meeting, expected_version)
        items = list(meeting.items.order_by("position"))
        attendances, errors = _checked_roll(meeting, items, rows)
        if errors:
            raise ValidationError(errors)
        _replace_rows(meeting.attendances.all(), attendances, key=lambda row: row.person_id)
        _bump(meeting)
        # Who serves decides who may move, vote, recuse and reserve: every § must still hold.
        problems = [
            _("§ %(number)s: %(problem)s") % {"number": item.number, "problem": problem.message}
            for item in items
            for problem in rules.item_problems(item)
        ]
        if problems:
            raise ValidationError({NON_FIELD_ERRORS: problems})
    return attendances


def add_other_present(meeting: Meeting, *, first_name: str, last_name: str, title: str = "") -> Attendance:
    """Put someone who sits on no committee (an official, a staff representative) on the roll."""
    with transaction.atomic():
        meeting = _editable(meeting)
        person = Person(first_name=first_name.strip(), last_name=last_name.strip())
        attendance = Attendance(
            meeting=meeting,
            function=AttendanceFunction.OTHER,
            title=title.strip(),
            position=_next_position(meeting.attendances),
        )
        errors: dict[str, list[str]] = {}
        for checked in (person.full_clean, attendance.clean_fields):
            try:
                checked(exclude=["meeting", "person", "replaces", "from_item", "to_item"])
            except ValidationError as error:
                errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)
        person.save()
        attendance.person = person
        attendance.save()
        _bump(meeting)
    return attendance


def save_meeting_details(
    meeting: Meeting,
    *,
    date: datetime.date,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    place: str,
    chair: Person | None,
    secretary: Person | None,
    adjusters: Sequence[Person],
    adjustment_at: datetime.datetime | None,
    adjustment_place: str,
    adjustment_date_only: bool | None = None,
    expected_version: int | None = None,
) -> Meeting:
    """Set the meeting's own fields and its adjusters, in the order given, or change nothing.

    The chair and the adjusters must serve at the meeting; adjustment falls within 14 days
    after it (KL 5:69). Moving a meeting renumbers the year's §§ when they run on through it.
    `adjustment_date_only` (None: as it was) prints the day of adjustment without its time.
    """
    with transaction.atomic():
        meeting = _editable(meeting)
        _refuse_stale(meeting, expected_version)
        errors: dict[str, list[str]] = {}

        def refuse(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        old_date = meeting.date
        if (
            date.year != old_date.year
            and Meeting.objects.filter(committee_id=meeting.committee_id, date__year=date.year, number=meeting.number)
            .exclude(pk=meeting.pk)
            .exists()
        ):
            refuse(
                "date", _("Meeting %(number)s/%(year)s already exists.") % {"number": meeting.number, "year": date.year}
            )
        if start_time and end_time and end_time < start_time:
            refuse("end_time", _("The meeting cannot end before it starts."))
        serving = set(meeting.attendances.filter(function=AttendanceFunction.SERVING).values_list("person", flat=True))
        if chair is not None and chair.pk not in serving:
            refuse("chair", _("%(name)s is not serving at the meeting and cannot chair it.") % {"name": chair})
        adjusters = list(dict.fromkeys(adjusters))
        for person in adjusters:
            if person.pk not in serving:
                refuse(
                    "adjusters",
                    _("%(name)s is not serving at the meeting and cannot adjust the protocol.") % {"name": person},
                )
        if adjustment_at is not None:
            day = timezone.localtime(adjustment_at).date() if timezone.is_aware(adjustment_at) else adjustment_at.date()
            deadline = date + datetime.timedelta(days=ADJUSTMENT_DAYS)
            if day < date:
                refuse("adjustment_at", _("The protocol cannot be adjusted before the meeting."))
            elif day > deadline:
                refuse(
                    "adjustment_at",
                    _("The protocol must be adjusted within 14 days of the meeting, by %(deadline)s.")
                    % {"deadline": deadline.isoformat()},
                )
        if errors:
            raise ValidationError(errors)

        meeting.date, meeting.start_time, meeting.end_time, meeting.place = date, start_time, end_time, place
        meeting.chair, meeting.secretary = chair, secretary
        meeting.adjustment_at, meeting.adjustment_place = adjustment_at, adjustment_place
        if adjustment_date_only is not None:
            meeting.adjustment_date_only = adjustment_date_only and adjustment_at is not None
        meeting.full_clean()
        meeting.save()
        _replace_rows(
            meeting.adjusters.all(),
            [
                Adjuster(meeting=meeting, person=person, position=position)
                for position, person in enumerate(adjusters, 1)
            ],
            key=lambda row: row.person_id,
        )
        if date != old_date and meeting.committee.numbering == NumberingScheme.PER_YEAR:
            _renumber_moved(meeting, old_date)
        _bump(meeting)
        # Imported here: the opening §§ are written through this module's own verbs.
        from minutes import opening

        _attach_by_time(meeting)  # the meeting's start is the first §'s unless it has its own
        for item in meeting.items.order_by("position"):
            rules.check_item(item)
        opening.follow(meeting)
    return meeting


def _checked_roll(
    meeting: Meeting, items: list[Item], rows: Sequence[RollRow]
) -> tuple[list[Attendance], dict[str, list[str]]]:
    """The rows as unsaved Attendance, and what is wrong with them, keyed by row and field."""
    by_number = {item.number: item for item in items}
    memberships = Membership.objects.on(meeting.date).filter(committee_id=meeting.committee_id)
    on_committee = {m.person_id: m.role for m in memberships}
    voting = {m.person_id for m in memberships if m.role != Role.SUBSTITUTE}
    errors: dict[str, list[str]] = {}

    def refuse(index: int | None, field: str, message: str) -> None:
        errors.setdefault(NON_FIELD_ERRORS if index is None else f"rows[{index}].{field}", []).append(message)

    attendances: list[Attendance] = []
    presences: list[Presence] = []
    starts = item_starts([(item.position, item.started_at) for item in items], meeting.start_time)
    at_position = {item.position: item for item in items}
    highest = max(by_number, default=0)
    for index, row in enumerate(rows):
        ends: dict[str, Item | None] = {}
        pending: dict[str, int | None] = {"from_item": None, "to_item": None}
        for field, number in (("from_item", row.from_number), ("to_item", row.to_number)):
            ends[field] = by_number.get(number) if number is not None else None
            if number is not None and ends[field] is None:
                if number > highest:  # a § still to be added: the line attaches to it then
                    pending[field] = number
                else:
                    refuse(index, field, _("The meeting has no § %(number)s.") % {"number": number})
        # A time, when given, decides the § (and keeps deciding it as §§ are added or timed).
        if row.from_time is not None:
            ends["from_item"] = at_position.get(first_at(row.from_time, starts))
        if row.to_time is not None:
            ends["to_item"] = at_position.get(last_before(row.to_time, starts))
        if row.from_time and row.to_time and row.to_time <= row.from_time:
            refuse(index, "to_time", _("The time of leaving comes before the time of arriving."))
        first, last = ends["from_item"], ends["to_item"]
        if first and last and first.position > last.position:
            refuse(index, "to_item", _("The last § comes before the first."))
        attendance = Attendance(
            meeting=meeting,
            person=row.person,
            function=row.function,
            replaces=row.replaces,
            from_item=first,
            to_item=last,
            from_time=row.from_time,
            to_time=row.to_time,
            pending_from_number=pending["from_item"] if row.from_time is None else None,
            pending_to_number=pending["to_item"] if row.to_time is None else None,
            title=row.title,
            position=index + 1,
        )
        try:
            attendance.clean_fields(exclude=["meeting", "person", "replaces", "from_item", "to_item"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    refuse(index, field, message)
        name = row.person.full_name
        if row.replaces is not None and row.function != AttendanceFunction.SERVING:
            refuse(index, "replaces", _("Only a serving substitute serves in someone's place."))
        elif row.function == AttendanceFunction.SERVING:
            if row.person.pk not in on_committee:
                refuse(
                    index,
                    "function",
                    _("%(name)s is neither a member nor a substitute of the committee on the meeting day.")
                    % {"name": name},
                )
            elif row.replaces is None and row.person.pk not in voting:
                refuse(index, "replaces", _("Say in whose place %(name)s serves.") % {"name": name})
            elif row.replaces is not None and row.replaces.pk == row.person.pk:
                refuse(index, "replaces", _("A member cannot serve in their own place."))
            elif row.replaces is not None and row.person.pk in voting:
                refuse(index, "replaces", _("%(name)s is a member and serves in their own seat.") % {"name": name})
            elif row.replaces is not None and row.replaces.pk not in voting:
                refuse(
                    index,
                    "replaces",
                    _("%(name)s is not a member of the committee, so no one serves in their place.")
                    % {"name": row.replaces.full_name},
                )
        first_position, last_position = span(
            first.position if first else None,
            last.position if last else None,
            row.from_time,
            row.to_time,
            attendance.pending_from_number,
        )
        presence = Presence(
            person_id=row.person.pk,
            function=row.function,
            replaces_id=row.replaces.pk if row.replaces else None,
            first=first_position,
            last=last_position,
        )
        if any(p.person_id == presence.person_id and _overlap(p, presence) for p in presences):
            refuse(
                index, "from_item", _("%(name)s is already on the roll; give each line its own §§.") % {"name": name}
            )
        attendances.append(attendance)
        presences.append(presence)

    names = {row.person.pk: row.person.full_name for row in rows}
    names.update({row.replaces.pk: row.replaces.full_name for row in rows if row.replaces})
    reported: set[int] = set()
    too_many = False
    # Without §§ the roll is checked once, for the whole meeting: every line then covers it all.
    for item in items or [None]:
        position = item.position if item else 0
        serving = set(serving_ids(presences, [], position))
        taken: set[int] = set()
        for index, presence in enumerate(presences):
            if index in reported or not (
                presence.replaces_id and presence.function == AttendanceFunction.SERVING and presence.covers(position)
            ):
                continue
            member = names[presence.replaces_id]
            if presence.replaces_id in serving:
                reported.add(index)
                refuse(
                    index,
                    "replaces",
                    _("A member and the substitute serving in their place both serve on § %(number)s.")
                    % {"number": item.number}
                    if item
                    else _("%(name)s serves at the meeting, so no substitute can serve in their place.")
                    % {"name": member},
                )
            elif presence.replaces_id in taken:
                reported.add(index)
                refuse(
                    index,
                    "replaces",
                    _("%(name)s already has a substitute serving in their place on § %(number)s.")
                    % {"name": member, "number": item.number}
                    if item
                    else _("%(name)s already has a substitute serving in their place.") % {"name": member},
                )
            taken.add(presence.replaces_id)
        if len(serving) > meeting.committee.seats and not too_many:
            too_many = True
            values = {"count": len(serving), "seats": meeting.committee.seats}
            refuse(
                None,
                "",
                _("%(count)s would serve on § %(number)s, but the committee has %(seats)s seats.")
                % {**values, "number": item.number}
                if item
                else _("%(count)s would serve, but the committee has %(seats)s seats.") % values,
            )

    serving_anywhere = {p.person_id for p in presences if p.function == AttendanceFunction.SERVING}
    if meeting.chair_id and meeting.chair_id not in serving_anywhere:
        refuse(
            None,
            "",
            _("%(name)s chairs the meeting and must serve at it; choose another chair first.")
            % {"name": meeting.chair},
        )
    for adjuster in meeting.adjusters.select_related("person"):
        if adjuster.person_id not in serving_anywhere:
            refuse(
                None,
                "",
                _("%(name)s adjusts the protocol and must serve at the meeting; choose another adjuster first.")
                % {"name": adjuster.person},
            )
    return attendances, errors


def _overlap(one: Presence, other: Presence) -> bool:
    """Whether two lines of the roll share a §; an open end reaches the meeting's start or end."""
    starts = [p.first for p in (one, other) if p.first is not None]
    ends = [p.last for p in (one, other) if p.last is not None]
    return not starts or not ends or max(starts) <= min(ends)
