"""The agenda items of a meeting: add, edit, reorder, withdraw, and the standard opening items."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from minutes import opening
from minutes.models import AgendaInvitee, AgendaItem, Meeting, OpeningKind
from minutes.opening import ORDER
from minutes.protocol.snapshot import HouseStyle
from minutes.services.guards import _editable

EDITABLE_FIELDS = frozenset(
    {"title", "dnrs", "preparing", "proposal", "confidential", "secrecy_ground", "public_heading", "added_at_meeting"}
)


def _check_fields(fields: dict) -> None:
    if unknown := fields.keys() - EDITABLE_FIELDS:
        raise TypeError(f"Not an editable field of an agenda item: {', '.join(sorted(unknown))}")


def _editable_agenda_item(agenda_item: AgendaItem) -> AgendaItem:
    meeting = _editable(agenda_item.meeting)
    agenda_item = AgendaItem.objects.select_for_update().get(pk=agenda_item.pk)
    agenda_item.meeting = meeting
    return agenda_item


def agenda_numbers(items: Iterable[AgendaItem]) -> dict[int, int]:
    """Each item's number on the agenda, as the notice and the reading room print it: items in the order given,
    counted without the withdrawn ones (which have none)."""
    numbers: dict[int, int] = {}
    for item in items:
        if item.withdrawn_at is None:
            numbers[item.pk] = len(numbers) + 1
    return numbers


def add_agenda_item(meeting: Meeting, *, title: str, **fields) -> AgendaItem:
    """A new item at the end of the agenda."""
    _check_fields(fields)
    with transaction.atomic():
        meeting = _editable(meeting)
        last = meeting.agenda_items.aggregate(position=Max("position"))["position"] or 0
        agenda_item = AgendaItem(meeting=meeting, position=last + 1, title=title, **fields)
        agenda_item.full_clean()
        agenda_item.save()
        if agenda_item.added_at_meeting:
            opening.follow(meeting)  # the agenda § lists what was added
    return agenda_item


def save_agenda_item(agenda_item: AgendaItem, **fields) -> AgendaItem:
    _check_fields(fields)
    with transaction.atomic():
        agenda_item = _editable_agenda_item(agenda_item)
        for name, value in fields.items():
            setattr(agenda_item, name, value)
        agenda_item.full_clean()
        agenda_item.save()
        if {"title", "added_at_meeting"} & fields.keys():
            opening.follow(agenda_item.meeting)  # the agenda § names the items added at the meeting
    return agenda_item


def move_agenda_item(agenda_item: AgendaItem, *, by: int) -> AgendaItem:
    """Swap the item with its neighbour `by` places away (-1 up, +1 down); at either end nothing moves."""
    with transaction.atomic():
        agenda_item = _editable_agenda_item(agenda_item)
        order = list(agenda_item.meeting.agenda_items.select_for_update().order_by("position"))
        index = next(i for i, other in enumerate(order) if other.pk == agenda_item.pk)
        target = index + by
        if not 0 <= target < len(order):
            return agenda_item
        other = order[target]
        # The unique position is checked at commit (deferred), so the two may swap in place.
        agenda_item.position, other.position = other.position, agenda_item.position
        agenda_item.save(update_fields=["position"])
        other.save(update_fields=["position"])
    return agenda_item


def withdraw_agenda_item(agenda_item: AgendaItem) -> AgendaItem:
    """Withdraw (or, when withdrawn, restore) an item: it stays on the record, struck from the agenda."""
    with transaction.atomic():
        agenda_item = _editable_agenda_item(agenda_item)
        if agenda_item.item_id is not None:
            raise ValidationError(
                _("This item is already § %(number)s of the protocol; remove the § instead.")
                % {"number": agenda_item.item.number},
                code="became_item",
            )
        agenda_item.withdrawn_at = None if agenda_item.withdrawn else timezone.now()
        agenda_item.save(update_fields=["withdrawn_at"])
        opening.follow(agenda_item.meeting)  # the agenda § lists what was withdrawn
    return agenda_item


def add_opening_items(meeting: Meeting) -> list[AgendaItem]:
    """The committee's standard opening items, at the head of the agenda, each once.

    Their titles come from the committee's house style, as the opening §§ do (`minutes.opening`);
    the §§ made from them are written from the meeting's details.
    """
    with transaction.atomic():
        meeting = _editable(meeting)
        style = HouseStyle.of(meeting.committee)
        present = {item.opening for item in meeting.agenda_items.exclude(opening="")}
        missing = [kind for kind in ORDER if kind not in present]
        if not missing:
            return []
        order = list(meeting.agenda_items.select_for_update().order_by("position"))
        created = [
            AgendaItem(meeting=meeting, position=0, title=opening.title(kind, style), opening=OpeningKind(kind))
            for kind in missing
        ]
        heads = [item for item in order if item.opening]
        rest = [item for item in order if not item.opening]
        by_kind = {item.opening: item for item in [*heads, *created]}
        new_order = [by_kind[kind] for kind in ORDER if kind in by_kind] + rest
        for position, item in enumerate(new_order, start=1):
            item.position = position
            item.save()
    return created


def add_invitee(agenda_item: AgendaItem, *, name: str, email: str) -> AgendaInvitee:
    """Invite an official to present the item; the notice names them, and sending it mails them their link."""
    with transaction.atomic():
        agenda_item = _editable_agenda_item(agenda_item)
        email = email.strip()
        if agenda_item.invitees.filter(email__iexact=email).exists():
            raise ValidationError({"email": _("This address is invited to the item already.")}, code="twice")
        invitee = AgendaInvitee(agenda_item=agenda_item, name=name.strip(), email=email)
        invitee.full_clean()
        invitee.save()
    return invitee


def remove_invitee(invitee: AgendaInvitee) -> None:
    """Take an invitation back (the link stops working); one already mailed has been read by its address."""
    with transaction.atomic():
        _editable_agenda_item(invitee.agenda_item)
        AgendaInvitee.objects.filter(pk=invitee.pk).delete()
