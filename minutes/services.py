"""The operations on a meeting's protocol.

Every verb runs in one transaction, writes, then runs `rules.check_item` on every § it touched:
a broken rule raises ValidationError and rolls the whole change back. Only draft meetings can
be changed.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from committee.models import Committee, Membership, NumberingScheme, Person, Role
from minutes import rules
from minutes.attendance import Presence, first_at, item_starts, last_before, serving_ids, span
from minutes.models import (
    Adjuster,
    AdjustmentRound,
    Attendance,
    AttendanceFunction,
    Ballot,
    BallotChoice,
    Item,
    Meeting,
    MeetingStatus,
    Motion,
    MotionMover,
    Proposition,
    Recusal,
    Reservation,
    ReservationMember,
    RoundState,
    Statement,
    StatementAuthor,
)
from minutes.models.meeting import ADJUSTMENT_DAYS

# Set by the numbering itself; everything else on an Item is the secretary's to edit.
STRUCTURAL_FIELDS = frozenset({"id", "pk", "meeting", "meeting_id", "position", "number", "version"})

Participants = Sequence[Person | tuple[Person, bool]]


class StaleEdit(Exception):
    """Someone saved the § since the editor loaded it; `current` is what is stored now."""

    def __init__(self, current: Item) -> None:
        super().__init__(f"§ {current.number} was changed by someone else (version {current.version}).")
        self.current = current


# Meetings


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


# Items and their numbers


def add_item(meeting: Meeting, *, title: str, **fields) -> Item:
    with transaction.atomic():
        meeting = _editable(meeting)
        _refuse_structural(fields)
        top = meeting.items.aggregate(position=Max("position"), number=Max("number"))
        item = Item(
            meeting=meeting,
            title=title,
            position=(top["position"] or 0) + 1,
            number=(top["number"] or 0) + 1,  # until renumbered, just beyond every number in use
            **fields,
        )
        item.full_clean()
        item.save()
        _renumber_and_check(meeting)
        item.refresh_from_db()
    return item


def move_item(item: Item, *, to_position: int) -> Item:
    with transaction.atomic():
        meeting = _editable(item.meeting)
        order = list(meeting.items.order_by("position"))
        if not 1 <= to_position <= len(order):
            raise ValidationError({"position": _("Choose a position from 1 to %(count)s.") % {"count": len(order)}})
        moving = next(other for other in order if other.pk == item.pk)
        order.remove(moving)
        order.insert(to_position - 1, moving)
        _renumber_and_check(meeting, order)
        item.refresh_from_db()
    return item


def remove_item(item: Item) -> None:
    with transaction.atomic():
        meeting = _editable(item.meeting)
        _narrow_attendance_around(item)
        item.delete()
        _renumber_and_check(meeting)


def renumber(meeting: Meeting) -> None:
    """Number the §§ by the committee's scheme: from 1 in each meeting, or running through the year.

    When the year runs on, later draft meetings of that year are renumbered too.
    """
    with transaction.atomic():
        _renumber_and_check(_editable(meeting))


def _renumber_and_check(meeting: Meeting, order: list[Item] | None = None) -> None:
    _keep_adjusted_items_in_place(meeting, order)
    touched = _renumber(meeting, order)
    _attach_by_time(meeting)
    elsewhere = [item for item in touched if item.meeting_id != meeting.pk]
    Meeting.objects.filter(pk__in={meeting.pk} | {item.meeting_id for item in elsewhere}).update(
        version=F("version") + 1
    )
    meeting.refresh_from_db(fields=["version"])
    for item in [*meeting.items.order_by("position"), *elsewhere]:
        rules.check_item(item)


def _attach_by_time(meeting: Meeting) -> None:
    """Point the lines of the roll given by time at the §§ their times now fall on, and the lines
    given by a § not yet added at that § once it is there.

    Run whenever the §§, their order or their start times change, so that a late arrival entered
    before the §§ existed attaches to them as they are added.
    """
    rows = list(
        meeting.attendances.filter(
            Q(from_time__isnull=False)
            | Q(to_time__isnull=False)
            | Q(pending_from_number__isnull=False)
            | Q(pending_to_number__isnull=False)
        )
    )
    if not rows:
        return
    items = list(meeting.items.order_by("position"))
    at_position = {item.position: item for item in items}
    by_number = {item.number: item for item in items}
    starts = item_starts([(item.position, item.started_at) for item in items], meeting.start_time)
    for row in rows:
        first, last = row.from_item, row.to_item
        if row.from_time:
            first = at_position.get(first_at(row.from_time, starts))
        elif row.pending_from_number in by_number:
            first, row.pending_from_number = by_number[row.pending_from_number], None
        if row.to_time:
            last = at_position.get(last_before(row.to_time, starts))
        elif row.pending_to_number in by_number:
            last, row.pending_to_number = by_number[row.pending_to_number], None
        row.from_item, row.to_item = first, last
        row.save(update_fields=["from_item", "to_item", "pending_from_number", "pending_to_number"])


def set_item_times(meeting: Meeting, *, times: dict[int, datetime.time | None]) -> None:
    """Record when §§ (by number) started; the lines of the roll given by time follow."""
    with transaction.atomic():
        meeting = _editable(meeting)
        for item in meeting.items.filter(number__in=times):
            if item.started_at != times[item.number]:
                item.started_at = times[item.number]
                item.save(update_fields=["started_at"])
        _renumber_and_check(meeting)


def _keep_adjusted_items_in_place(meeting: Meeting, order: list[Item] | None) -> None:
    """A § sent for immediate adjustment keeps the place and number it is adjusted under."""
    locked = set(
        AdjustmentRound.objects.filter(item__meeting=meeting)
        .exclude(state=RoundState.CANCELLED)
        .values_list("item_id", flat=True)
    )
    if not locked:
        return
    for index, item in enumerate(order if order is not None else meeting.items.order_by("position"), start=1):
        if item.pk in locked and item.position != index:
            raise ValidationError(
                _("§ %(number)s is immediately adjusted: the §§ before it cannot be added, moved or removed.")
                % {"number": item.number},
                code="adjusted_item_moved",
            )


def _renumber(meeting: Meeting, order: list[Item] | None = None) -> list[Item]:
    """Give the §§ positions 1..n and numbers by the scheme; return the §§ that changed."""
    if order is None:
        order = list(meeting.items.order_by("position"))
    if meeting.committee.numbering != NumberingScheme.PER_YEAR:
        return _place(order, first=1)

    year = Meeting.objects.filter(committee=meeting.committee_id, date__year=meeting.date.year)
    earlier = Q(date__lt=meeting.date) | Q(date=meeting.date, number__lt=meeting.number)
    later = Q(date__gt=meeting.date) | Q(date=meeting.date, number__gt=meeting.number)
    last = Item.objects.filter(meeting__in=year.filter(earlier)).aggregate(last=Max("number"))["last"] or 0
    touched = _place(order, first=last + 1)
    last += len(order)
    # Locked in date order, the same order every renumbering takes, so two cannot deadlock.
    for other in year.filter(later).order_by("date", "number").select_for_update():
        items = list(other.items.order_by("position"))
        if other.is_editable:
            touched += _place(items, first=last + 1)
            last += len(items)
        else:
            # An adjusted protocol keeps its numbers; a clash with it is for check_item to report.
            last = max([last] + [item.number for item in items])
    return touched


def _place(items: list[Item], *, first: int) -> list[Item]:
    """Store positions 1..n and numbers first..first+n-1; return the §§ that changed.

    (meeting, position) and (meeting, number) are unique and checked row by row, so the §§
    that move are first parked above every value in use or wanted.
    """
    wanted = {item.pk: (position, first + position - 1) for position, item in enumerate(items, start=1)}
    moving = [item for item in items if (item.position, item.number) != wanted[item.pk]]
    if not moving:
        return []
    park_position = max([len(items)] + [item.position for item in items])
    park_number = max([first + len(items)] + [item.number for item in items])
    for offset, item in enumerate(moving, start=1):
        item.position, item.number = park_position + offset, park_number + offset
    Item.objects.bulk_update(moving, ["position", "number"])  # the parking is not part of the trail
    for item in moving:
        item.position, item.number = wanted[item.pk]
    bulk_update_with_history(moving, Item, ["position", "number"])
    return moving


def _narrow_attendance_around(item: Item) -> None:
    """Keep who served on the other §§ when a § that bounds a range is removed.

    The range's foreign keys would otherwise be set to NULL, which opens the range to the
    start or end of the meeting.
    """
    others = list(item.meeting.items.exclude(pk=item.pk).order_by("position"))
    after = next((other for other in others if other.position > item.position), None)
    before = next((other for other in reversed(others) if other.position < item.position), None)
    # Lines given by time are left to _attach_by_time, which finds their §§ again after the removal.
    rows = Attendance.objects.filter(
        Q(from_item=item) | Q(to_item=item), from_time__isnull=True, to_time__isnull=True
    ).select_related("from_item", "to_item")
    for row in rows:
        first = after if row.from_item_id == item.pk else row.from_item
        last = before if row.to_item_id == item.pk else row.to_item
        emptied = (row.from_item_id == item.pk and first is None) or (row.to_item_id == item.pk and last is None)
        if emptied or (first and last and first.position > last.position):
            row.delete()
        else:
            row.from_item, row.to_item = first, last
            row.save(update_fields=["from_item", "to_item"])


# The content of a §


def save_item(item: Item, *, expected_version: int, **fields) -> Item:
    """Save the secretary's edit unless someone else saved the § since it was loaded."""
    with transaction.atomic():
        _refuse_structural(fields)
        current = _editable_item(item)
        if current.version != expected_version:
            raise StaleEdit(current)
        for name, value in fields.items():
            setattr(current, name, value)
        current.full_clean()
        current.version += 1
        current.save()
        rules.check_item(current)
    return current


def add_motion(
    item: Item, *, kind: str, movers: Sequence[tuple[Person, bool]], text: str = "", wording: str = ""
) -> Motion:
    with transaction.atomic():
        item = _editable_item(item)
        motion = _create(
            Motion, item=item, position=_next_position(item.motions), kind=kind, text=text, wording=wording
        )
        for position, (person, with_others) in enumerate(movers, start=1):
            _create(MotionMover, motion=motion, person=person, position=position, with_others=with_others)
        _done(item)
    return motion


def record_recusal(
    item: Item, person: Person, *, left_room: bool = True, substitute: Person | None = None, wording: str = ""
) -> Recusal:
    with transaction.atomic():
        item = _editable_item(item)
        recusal = _create(
            Recusal, item=item, person=person, left_room=left_room, substitute=substitute, wording=wording
        )
        _done(item)
    return recusal


def add_reservation(
    item: Item,
    *,
    members: Participants,
    in_favour_of: Motion | None = None,
    text: str = "",
    wording: str = "",
) -> Reservation:
    with transaction.atomic():
        item = _editable_item(item)
        reservation = _create(
            Reservation,
            item=item,
            position=_next_position(item.reservations),
            in_favour_of=in_favour_of,
            text=text,
            wording=wording,
        )
        for position, (person, with_others) in enumerate(_participants(members), start=1):
            _create(
                ReservationMember,
                reservation=reservation,
                person=person,
                position=position,
                with_others=with_others,
            )
        _done(item)
    return reservation


def add_statement(item: Item, *, kind: str, authors: Participants, text: str) -> Statement:
    with transaction.atomic():
        item = _editable_item(item)
        statement = _create(Statement, item=item, position=_next_position(item.statements), kind=kind, text=text)
        for position, (person, with_others) in enumerate(_participants(authors), start=1):
            _create(
                StatementAuthor,
                statement=statement,
                person=person,
                position=position,
                with_others=with_others,
            )
        _done(item)
    return statement


def record_proposition(item: Item, *, kind: str, outcome: Motion | None = None, wording: str = "") -> Proposition:
    with transaction.atomic():
        item = _editable_item(item)
        proposition = _create(
            Proposition,
            item=item,
            position=_next_position(item.propositions),
            kind=kind,
            outcome=outcome,
            wording=wording,
        )
        _done(item)
    return proposition


def record_vote(
    proposition: Proposition,
    *,
    yes_motion: Motion,
    no_motion: Motion,
    ballots: dict[Person, BallotChoice],
    casting_vote: str = "",
) -> Proposition:
    """Record a demanded roll-call vote on a proposition, replacing any ballots recorded before."""
    with transaction.atomic():
        item = _editable_item(proposition.item)
        proposition = Proposition.objects.get(pk=proposition.pk)
        proposition.voted = True
        proposition.yes_motion = yes_motion
        proposition.no_motion = no_motion
        proposition.casting_vote = casting_vote
        proposition.full_clean()
        proposition.save()
        wanted = [Ballot(proposition=proposition, person=person, choice=choice) for person, choice in ballots.items()]
        for ballot in wanted:
            ballot.full_clean(validate_unique=False, validate_constraints=False)  # replaced below, not added
        _replace_rows(proposition.ballots.all(), wanted, key=lambda row: row.person_id)
        _done(item)
    return proposition


Part = Motion | Proposition | Recusal | Reservation | Statement


def set_wording(part: Part, *, wording: str) -> Part:
    """The secretary's own sentence in place of the generated one; empty goes back to generated."""
    if not any(field.name == "wording" for field in part._meta.fields):
        raise TypeError(f"{type(part).__name__} has no wording of its own")
    with transaction.atomic():
        item = _editable_item(part.item)
        part = type(part).objects.get(pk=part.pk)
        part.wording = wording
        part.full_clean()
        part.save(update_fields=["wording"])
        _done(item)
    return part


def remove_part(part: Part) -> None:
    """Remove a motion, proposition, recusal, reservation or statement from its §.

    The § is checked afterwards: removing a motion that the chair found adopted, for one, is
    refused.
    """
    with transaction.atomic():
        item = _editable_item(part.item)
        type(part).objects.filter(pk=part.pk, item=item).delete()
        _done(item)


# Helpers


def _editable(meeting: Meeting) -> Meeting:
    """The meeting, locked for this transaction, if it may still be changed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_editable:
        raise ValidationError(
            _("The meeting %(meeting)s is no longer a draft and cannot be changed.") % {"meeting": meeting},
            code="not_editable",
        )
    return meeting


def _editable_item(item: Item) -> Item:
    meeting = _editable(item.meeting)
    item = Item.objects.select_for_update().get(pk=item.pk)
    item.meeting = meeting
    # A § sent for immediate adjustment is locked like a protocol sent for adjustment.
    if item.adjustment_rounds.exclude(state=RoundState.CANCELLED).exists():
        raise ValidationError(
            _("§ %(number)s is being adjusted or has been adjusted and cannot be changed.") % {"number": item.number},
            code="not_editable",
        )
    return item


def _done(item: Item) -> None:
    """Bump the § version (so an editor that loaded it sees its edit is stale) and check the rules."""
    item.version = F("version") + 1
    item.save(update_fields=["version"])
    item.refresh_from_db(fields=["version"])
    rules.check_item(item)


def _replace_rows(stored: Iterable, wanted: list, *, key: Callable) -> None:
    """Store `wanted` in place of `stored`, keeping the rows that stand for the same thing.

    A row kept is saved only if it changed, so the audit trail shows what changed rather than
    every row removed and written anew.
    """
    by_key = defaultdict(list)
    for row in stored:
        by_key[key(row)].append(row)
    changed = []
    for row in wanted:
        same = by_key[key(row)]
        if not same:
            changed.append(row)
            continue
        old = same.pop(0)
        row.pk, row._state.adding = old.pk, False
        if any(getattr(row, field.attname) != getattr(old, field.attname) for field in old._meta.concrete_fields):
            changed.append(row)
    for rows in by_key.values():
        for row in rows:
            row.delete()
    for row in changed:
        row.save()


def _create(model, **values):
    row = model(**values)
    row.full_clean()
    row.save()
    return row


def _next_position(rows) -> int:
    return (rows.aggregate(last=Max("position"))["last"] or 0) + 1


def _participants(entries: Participants) -> Iterable[tuple[Person, bool]]:
    """People named on a reservation or statement, each alone or with a "m fl" flag."""
    for entry in entries:
        yield entry if isinstance(entry, tuple) else (entry, False)


def _refuse_structural(fields: dict) -> None:
    if structural := STRUCTURAL_FIELDS & fields.keys():
        raise TypeError(f"Set by the numbering, not by hand: {', '.join(sorted(structural))}")


# The roll and the meeting's own fields


class StaleMeeting(Exception):
    """Someone changed the meeting since the form was loaded; nothing was saved."""

    def __init__(self, current: Meeting) -> None:
        super().__init__(f"{current} was changed by someone else (version {current.version}).")
        self.current = current


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
    expected_version: int | None = None,
) -> Meeting:
    """Set the meeting's own fields and its adjusters, in the order given, or change nothing.

    The chair and the adjusters must serve at the meeting; adjustment falls within 14 days
    after it (KL 5:69). Moving a meeting renumbers the year's §§ when they run on through it.
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


def _renumber_moved(meeting: Meeting, old_date: datetime.date) -> None:
    """Renumber a year whose §§ run on, from wherever the moved meeting was or now is.

    Adjusted protocols keep their numbers; a clash with one is refused by the rules.
    """
    since: dict[int, datetime.date] = {}
    for day in (old_date, meeting.date):
        since[day.year] = min(day, since.get(day.year, day))
    try:
        for year, day in since.items():
            first = (
                Meeting.objects.filter(
                    committee_id=meeting.committee_id, date__year=year, date__gte=day, status=MeetingStatus.DRAFT
                )
                .order_by("date", "number")
                .first()
            )
            if first is not None:
                _renumber_and_check(first)
    except ValidationError as error:
        raise ValidationError({"date": error.messages}) from error


def _refuse_stale(meeting: Meeting, expected_version: int | None) -> None:
    if expected_version is not None and meeting.version != expected_version:
        raise StaleMeeting(meeting)


def _bump(meeting: Meeting) -> None:
    """Count the change, so that a form loaded before it is refused as stale."""
    Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1)
    meeting.refresh_from_db(fields=["version"])
