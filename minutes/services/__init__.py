"""The operations on a meeting's protocol, by capability: the meeting and its roll (`meetings`),
its §§ and their numbers (`numbering`), the content of a § (`content`), and what they share (`guards`).

Every verb runs in one transaction, writes, then runs `rules.check_item` on every § it touched
(but `save_item`, which writes only text no rule reads): a broken rule raises ValidationError and
rolls the whole change back. A caller that has locked the meeting and the § itself says so with
`locked_item`, and the verb does not read them again. Only draft meetings can
be changed. Callers use `from minutes import services` and `services.<verb>`.
"""

from minutes.services.content import (
    add_motion,
    add_reservation,
    add_statement,
    record_proposition,
    record_recusal,
    record_vote,
    remove_part,
    save_item,
    set_wording,
)
from minutes.services.guards import STRUCTURAL_FIELDS, Participants, StaleEdit, StaleMeeting, locked_item
from minutes.services.meetings import (
    RollRow,
    add_other_present,
    create_meeting,
    quorum_state,
    save_meeting_details,
    save_roll,
)
from minutes.services.numbering import add_item, move_item, remove_item, renumber, set_item_times

__all__ = [
    "STRUCTURAL_FIELDS",
    "Participants",
    "RollRow",
    "StaleEdit",
    "StaleMeeting",
    "add_item",
    "add_motion",
    "add_other_present",
    "add_reservation",
    "add_statement",
    "create_meeting",
    "locked_item",
    "move_item",
    "quorum_state",
    "record_proposition",
    "record_recusal",
    "record_vote",
    "remove_item",
    "remove_part",
    "renumber",
    "save_item",
    "save_meeting_details",
    "save_roll",
    "set_item_times",
    "set_wording",
]
