"""The audit trail read back: every recorded change to a meeting's data, newest first.

`minutes.models.history` stores a historical row per save and delete. Here the rows of one
meeting are read (one query per tracked model, however long the trail) and each is turned into
a change: who, when, what, and the old and new value of every field that changed.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from committee.models import Person
from minutes.models import (
    Adjuster,
    AdjustmentRound,
    AgendaDocument,
    AgendaItem,
    Announcement,
    Approval,
    ArchiveExport,
    Attendance,
    Ballot,
    Item,
    Meeting,
    Motion,
    MotionMover,
    Proposition,
    Recusal,
    Reservation,
    ReservationMember,
    SealedDocument,
    Statement,
    StatementAuthor,
)

# The key that ties a row to the thing it belongs to; never shown as a change of its own.
PARENT = {
    Item: "meeting_id",
    Attendance: "meeting_id",
    Adjuster: "meeting_id",
    Motion: "item_id",
    Proposition: "item_id",
    Recusal: "item_id",
    Reservation: "item_id",
    Statement: "item_id",
    MotionMover: "motion_id",
    Ballot: "proposition_id",
    ReservationMember: "reservation_id",
    StatementAuthor: "statement_id",
    AdjustmentRound: "meeting_id",
    Approval: "round_id",
    SealedDocument: "meeting_id",
    Announcement: "meeting_id",
    ArchiveExport: "meeting_id",
    AgendaItem: "meeting_id",
    AgendaDocument: "agenda_item_id",
}
CHILDREN = {Motion: MotionMover, Proposition: Ballot, Reservation: ReservationMember, Statement: StatementAuthor}
OF_MEETING = (Attendance, Adjuster, AdjustmentRound, SealedDocument, Announcement, ArchiveExport, AgendaItem)
OF_ITEM = (Motion, Proposition, Recusal, Reservation, Statement)
NOT_SHOWN = {"id", "position", "round_id", "numbers", "snapshot_sha256", "file", "size", "document_id"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    at: datetime.datetime
    by: str  # the account's name, or "" for a change made outside a request (import, command)
    action: str  # "added", "changed" or "removed"
    kind: str  # what sort of thing changed: "§", "motion", "approval" ...
    subject: str  # which one
    item_id: int | None  # the § it belongs to, None for the meeting's own data
    number: int | None
    fields: tuple[FieldChange, ...]

    @property
    def action_label(self) -> str:
        return {"added": _("added"), "changed": _("changed"), "removed": _("removed")}[self.action]


ACTIONS = {"+": "added", "~": "changed", "-": "removed"}


def meeting_trail(meeting: Meeting, item: Item | None = None) -> list[Change]:
    """Every recorded change to the meeting's data (or to one § of it), newest first."""
    rows = _history_of(meeting)
    items = _latest(rows[Item])
    item_of = _item_of(rows)
    names = _names(rows)
    changes = []
    for model, history in rows.items():
        previous: dict[int, models.Model] = {}
        for row in sorted(history, key=lambda row: (row.history_date, row.history_id)):
            item_id = item_of(model, row)
            fields = _fields(model, row, previous.get(row.id), names, items)
            previous[row.id] = row
            if item is not None and item_id != item.pk:
                continue
            if row.history_type == "~" and not fields:
                continue
            changes.append(
                Change(
                    at=row.history_date,
                    by=_account(row.history_user),
                    action=ACTIONS[row.history_type],
                    kind=str(model._meta.verbose_name),
                    subject=_subject(model, row, names, items),
                    item_id=item_id,
                    number=items[item_id].number if item_id in items else None,
                    fields=fields,
                )
            )
    changes.sort(key=lambda change: change.at, reverse=True)
    return changes


def _history_of(meeting: Meeting) -> dict[type[models.Model], list]:
    """The historical rows of everything that ever belonged to the meeting."""

    def read(model, **lookup) -> list:
        return list(model.history.filter(**lookup).select_related("history_user"))

    rows = {Meeting: read(Meeting, id=meeting.pk), Item: read(Item, meeting_id=meeting.pk)}
    item_ids = {row.id for row in rows[Item]}
    for model in OF_ITEM:
        rows[model] = read(model, item_id__in=item_ids)
    for parent, child in CHILDREN.items():
        rows[child] = read(child, **{f"{PARENT[child]}__in": {row.id for row in rows[parent]}})
    for model in OF_MEETING:
        rows[model] = read(model, meeting_id=meeting.pk)
    rows[Approval] = read(Approval, round_id__in={row.id for row in rows[AdjustmentRound]})
    rows[AgendaDocument] = read(AgendaDocument, agenda_item_id__in={row.id for row in rows[AgendaItem]})
    return rows


def _latest(history: list) -> dict[int, models.Model]:
    """Each object's last recorded state, by id."""
    latest = {}
    for row in sorted(history, key=lambda row: (row.history_date, row.history_id)):
        latest[row.id] = row
    return latest


def _item_of(rows: dict):
    """A function giving the § a historical row belongs to, if any."""
    owner = {model: {row.id: row.item_id for row in rows[model]} for model in (*OF_ITEM, AdjustmentRound)}
    parent_of = {child: parent for parent, child in CHILDREN.items()}

    def item_of(model, row) -> int | None:
        if model is Item:
            return row.id
        if model in OF_ITEM or model is AdjustmentRound:
            return row.item_id
        if model in parent_of:
            return owner[parent_of[model]].get(getattr(row, PARENT[model]))
        if model in (Approval, SealedDocument, Announcement, ArchiveExport):
            return owner[AdjustmentRound].get(row.round_id)
        return None  # the agenda and its documents belong to the meeting, not to a §

    return item_of


def _names(rows: dict) -> dict[type[models.Model], dict[int, str]]:
    """Names for the ids that historical rows point at: people, accounts and motions."""
    person_ids, user_ids = set(), set()
    for model, history in rows.items():
        for field in _shown_fields(model):
            if isinstance(field, models.ForeignKey):
                target = field.related_model
                ids = {getattr(row, field.attname) for row in history} - {None}
                if target is Person:
                    person_ids |= ids
                elif target is get_user_model():
                    user_ids |= ids
    person_ids |= {pk for row in rows[Item] for pk in row.speakers}  # a § names its speakers by their ids
    user_model = get_user_model()
    return {
        Person: {person.pk: person.full_name for person in Person.objects.filter(pk__in=person_ids)},
        user_model: {user.pk: _account(user) for user in user_model.objects.filter(pk__in=user_ids)},
        Motion: {pk: row.get_kind_display() for pk, row in _latest(rows[Motion]).items()},
    }


def _account(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _shown_fields(model) -> list[models.Field]:
    skip = NOT_SHOWN | {PARENT.get(model, "")}
    if model is AgendaItem:
        skip -= {"position"}  # the agenda's order is the secretary's to set, and its changes are recorded
    return [
        field
        for field in model._meta.concrete_fields
        if field.attname not in skip and hasattr(model.history.model, field.attname)
    ]


def _fields(model, row, before, names, items) -> tuple[FieldChange, ...]:
    """The fields that changed from `before` (nothing when added, everything when removed)."""
    changed = []
    for field in _shown_fields(model):
        new = getattr(row, field.attname)
        if row.history_type == "+":
            old, shown = None, new not in (None, "", [], False)
        elif row.history_type == "-":
            old, new, shown = new, None, new not in (None, "", [], False)
        else:
            old = getattr(before, field.attname) if before is not None else None
            shown = before is not None and old != new
        if shown:
            changed.append(
                FieldChange(str(field.verbose_name), _value(field, old, names, items), _value(field, new, names, items))
            )
    return tuple(changed)


def _value(field: models.Field, value, names, items) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(field, models.ForeignKey):
        if field.related_model is Item:
            return f"§ {items[value].number}" if value in items else "—"
        return names.get(field.related_model, {}).get(value, str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.model is Item and field.name == "speakers":
        return ", ".join(names[Person].get(pk, str(pk)) for pk in value) or "—"
    if isinstance(value, list):  # an agenda item's Dnr
        return ", ".join(str(part) for part in value) or "—"
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return formats.localize(value)
    return str(value)


def _subject(model, row, names, items) -> str:
    """Which thing changed, in words, from the row's own values."""
    if model is Meeting:
        return _("the meeting")
    if model is Item:
        return f"§ {items[row.id].number} {items[row.id].title}"
    if hasattr(row, "person_id"):
        return names[Person].get(row.person_id, "")
    if hasattr(row, "kind") and hasattr(row, "get_kind_display"):
        return str(row.get_kind_display())
    if model is AdjustmentRound:
        return _("immediate adjustment") if row.item_id else _("adjustment of the protocol")
    if model is Announcement:
        return formats.localize(row.posted_on)
    if model is ArchiveExport:
        return _("the sealed protocol, downloaded for the archive")
    if model is AgendaItem or model is AgendaDocument:
        return row.title
    return ""
