"""What every operation shares: the draft-only and version checks, and small helpers for rows."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db.models import F, Max
from django.utils.translation import gettext as _

from committee.models import Person
from minutes import rules
from minutes.models import (
    Item,
    Meeting,
    RoundState,
)

# Set by the numbering itself; everything else on an Item is the secretary's to edit.
STRUCTURAL_FIELDS = frozenset({"id", "pk", "meeting", "meeting_id", "position", "number", "version"})

Participants = Sequence[Person | tuple[Person, bool]]


class StaleEdit(Exception):
    """Someone saved the § since the editor loaded it; `current` is what is stored now."""

    def __init__(self, current: Item) -> None:
        super().__init__(f"§ {current.number} was changed by someone else (version {current.version}).")
        self.current = current


class StaleMeeting(Exception):
    """Someone changed the meeting since the form was loaded; nothing was saved."""

    def __init__(self, current: Meeting) -> None:
        super().__init__(f"{current} was changed by someone else (version {current.version}).")
        self.current = current


def _editable(meeting: Meeting) -> Meeting:
    """The meeting, locked for this transaction, if it may still be changed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_editable:
        raise ValidationError(
            _("The meeting %(meeting)s is no longer a draft and cannot be changed.") % {"meeting": meeting},
            code="not_editable",
        )
    return meeting


def locked_item(item: Item, meeting: Meeting) -> Item:
    """Mark `item` as locked by the caller: read with select_for_update in the current transaction, after
    `meeting` was (also with select_for_update). The services then check it without reading either again."""
    item.meeting = meeting
    item._locked_in_transaction = True
    return item


def _editable_item(item: Item) -> Item:
    if getattr(item, "_locked_in_transaction", False):
        meeting = item.meeting
        if not meeting.is_editable:
            _editable(meeting)  # raises, with the message every service gives
    else:
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


def _refuse_stale(meeting: Meeting, expected_version: int | None) -> None:
    if expected_version is not None and meeting.version != expected_version:
        raise StaleMeeting(meeting)


def _bump(meeting: Meeting) -> None:
    """Count the change, so that a form loaded before it is refused as stale."""
    Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1)
    meeting.refresh_from_db(fields=["version"])
