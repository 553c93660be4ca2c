"""From agenda to protocol: each agenda item becomes a § once, with nothing typed twice.

The § takes the item's title, Dnr and confidentiality; the proposal for decision becomes the
§'s decision as drafted (the committee decides on "förvaltningens förslag", the Item's base
proposal, unless the secretary records otherwise); the date of the officials' report comes from
a document titled "Tjänsteutlåtande"; and the item's current documents are remembered on the §
as its basis for the decision (`item.basis_documents`) and written, a line each ("Tjänsteutlåtande
2016-09-12"), into its "Beslutsunderlag" (`Item.basis`), where the secretary may edit them; a
confidential document's title is left for the secretary to add, as it may itself say too much.
Withdrawn items are skipped and stay on the record with the time they were withdrawn. Pressing it
again adds only what is new.
"""

from dataclasses import dataclass, field

from django.db import transaction

from minutes import opening, services
from minutes.models import AgendaItem, Item, Meeting
from minutes.services.guards import _editable

REPORT_TITLE = "tjänsteutlåtande"


@dataclass
class Outcome:
    created: list[Item] = field(default_factory=list)
    already: list[AgendaItem] = field(default_factory=list)
    withdrawn: list[AgendaItem] = field(default_factory=list)


def make_items(meeting: Meeting) -> Outcome:
    """Create the §§ of the agenda items that have none yet, in the agenda's order, after any §§ there are."""
    outcome = Outcome()
    with transaction.atomic():
        meeting = _editable(meeting)
        openings = {item.opening: item for item in meeting.items.exclude(opening="")}
        agenda = list(meeting.agenda_items.select_for_update(of=("self",)).select_related("item").order_by("position"))
        for agenda_item in agenda:
            if agenda_item.item_id is not None:
                outcome.already.append(agenda_item)
            elif agenda_item.withdrawn:
                outcome.withdrawn.append(agenda_item)
            elif agenda_item.opening and agenda_item.opening in openings:
                _link(agenda_item, openings[agenda_item.opening])
                outcome.already.append(agenda_item)
            else:
                item = services.add_item(meeting, title=agenda_item.title, **_fields(agenda_item))
                _link(agenda_item, item)
                outcome.created.append(item)
        if any(item.opening for item in outcome.created):
            opening.follow(Meeting.objects.get(pk=meeting.pk))  # their decisions, from the meeting's details
    return outcome


def _fields(agenda_item: AgendaItem) -> dict:
    if agenda_item.opening:
        return {"opening": agenda_item.opening}
    documents = list(agenda_item.documents.current().order_by("date", "id"))
    reports = [document.date for document in documents if document.title.strip().lower().startswith(REPORT_TITLE)]
    fields = {
        "dnr": agenda_item.dnr,
        "decision": agenda_item.proposal,
        "confidential": agenda_item.confidential,
        "report_date": reports[0] if reports else None,
        "basis": "\n".join(f"{d.title} {d.date.isoformat()}" for d in documents if not d.confidential),
    }
    if agenda_item.confidential:
        fields["public_heading"] = agenda_item.public_heading or f"Sekretessärende ({agenda_item.secrecy_ground})"
    return fields


def _link(agenda_item: AgendaItem, item: Item) -> None:
    agenda_item.item = item
    agenda_item.save(update_fields=["item"])
    for document in agenda_item.documents.current():  # row by row, so the audit trail records it
        document.basis_of = item
        document.save(update_fields=["basis_of"])
