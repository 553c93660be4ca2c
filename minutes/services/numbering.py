"""A meeting's §§ and their numbers: adding, moving and removing §§, renumbering, and
attaching attendance given by time or by a § still to come."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from committee.models import NumberingScheme
from minutes import rules
from minutes.attendance import first_at, item_starts, last_before
from minutes.models import (
    AdjustmentRound,
    Attendance,
    Item,
    Meeting,
    MeetingStatus,
    RoundState,
)
from minutes.services.guards import _editable, _refuse_structural


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
