"""The audit trail's storage: django-simple-history keeps a historical row for every save and
delete of a meeting's data, with the user of the request that made it.

Bulk writes bypass the model signals it listens to, so the services write these models row by
row or through simple-history's bulk helpers; `minutes.audit` reads the rows back as changes.
"""

from simple_history import register

from minutes.models.adjustment import AdjustmentRound, Announcement, Approval, ArchiveExport, SealedDocument
from minutes.models.agenda import AgendaDocument, AgendaItem
from minutes.models.item import Item
from minutes.models.meeting import Adjuster, Attendance, Meeting
from minutes.models.procedure import Ballot, Motion, MotionMover, Proposition
from minutes.models.statements import Recusal, Reservation, ReservationMember, Statement, StatementAuthor

# The edit counter changes with every save and says nothing to a reader; the sealed snapshot
# is a copy of the data the trail already holds.
NOT_RECORDED = {"version", "snapshot"}

TRACKED = (
    Meeting,
    Attendance,
    Adjuster,
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
    AdjustmentRound,
    Approval,
    SealedDocument,
    Announcement,
    ArchiveExport,
    AgendaItem,
    AgendaDocument,
)

for model in TRACKED:
    register(
        model,
        app="minutes",
        excluded_fields=[field.name for field in model._meta.fields if field.name in NOT_RECORDED],
        user_db_constraint=False,  # a removed account must not take its part of the trail with it
    )

# Who sits on the committees is tracked too: the OParl API serves a deleted record's tombstone
# from its last historical row (minutes/oparl/roll.py).
from committee.models import Committee, Membership, Party, Person  # noqa: E402

for model in (Committee, Party, Person, Membership):
    register(model, app="committee", user_db_constraint=False)
