from minutes.models.adjustment import (
    AdjustedSnapshot,
    AdjustmentRound,
    Announcement,
    Approval,
    ArchiveExport,
    DocumentKind,
    RoundState,
    SealedDocument,
    SignerRole,
    TamperedFile,
    Verdict,
)
from minutes.models.agenda import AgendaDocument, AgendaItem
from minutes.models.item import Item, OpeningKind
from minutes.models.jobs import JobState, JobStep, Preview, SealingJob
from minutes.models.meeting import Adjuster, Attendance, AttendanceFunction, Meeting, MeetingStatus
from minutes.models.notice import AgendaInvitee, DocumentNote, MeetingNotice, NoticeRecipient
from minutes.models.notification import Notification
from minutes.models.procedure import (
    Ballot,
    BallotChoice,
    CastingVote,
    Motion,
    MotionKind,
    MotionMover,
    Proposition,
    PropositionKind,
    Tally,
)
from minutes.models.published import PublishedFile
from minutes.models.statements import (
    Recusal,
    Reservation,
    ReservationMember,
    Statement,
    StatementAuthor,
    StatementKind,
)

__all__ = [
    "AgendaDocument",
    "AgendaItem",
    "AgendaInvitee",
    "Notification",
    "DocumentNote",
    "MeetingNotice",
    "NoticeRecipient",
    "AdjustedSnapshot",
    "AdjustmentRound",
    "Announcement",
    "Approval",
    "ArchiveExport",
    "DocumentKind",
    "RoundState",
    "SealedDocument",
    "SignerRole",
    "TamperedFile",
    "Verdict",
    "Adjuster",
    "Attendance",
    "AttendanceFunction",
    "Ballot",
    "BallotChoice",
    "CastingVote",
    "Item",
    "OpeningKind",
    "JobState",
    "JobStep",
    "Preview",
    "SealingJob",
    "Meeting",
    "MeetingStatus",
    "Motion",
    "MotionKind",
    "MotionMover",
    "Proposition",
    "PropositionKind",
    "PublishedFile",
    "Recusal",
    "Reservation",
    "ReservationMember",
    "Statement",
    "StatementAuthor",
    "StatementKind",
    "Tally",
]

# Registered last, once every tracked model exists.
from minutes.models import history  # noqa: F401
from minutes.models.search import SearchEntry  # noqa: F401
