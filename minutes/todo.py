"""What waits on a person ("Att göra"): for each role they hold, each protocol that needs them, and by when.

The start page of the workspace shows this list, so that nobody has to know an address to find
their work. Plain functions over the database; the page only lays them out.

- The secretary prepares drafts (the checklist's gaps, or ready to send), follows the rounds
  out for approval (approvals received, disagreements) and announces adjusted protocols by the
  second day after the adjustment (KL 8:12).
- The chair and the adjusters approve the protocols sent to them, by the day the law sets for
  the adjustment (KL 5:69: fourteen days after the meeting).
- The registrar announces adjusted protocols too, and exports the recently adjusted ones not yet
  downloaded for the archive (`ArchiveExport`).
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from committee.models import Committee
from committee.permissions import signer_person
from minutes import adjustment, deadlines
from minutes.completeness import Check, item_checks, meeting_checks
from minutes.models import AdjustmentRound, Approval, Meeting, MeetingStatus, RoundState, Verdict
from minutes.notice import notice_check
from minutes.oparl.reading import read_snapshots

EXPORT_DAYS = 30  # a protocol adjusted this recently is still offered to the registrar to export


class Kind:
    """What a task asks for; the start page words each."""

    PREPARE = "prepare"  # a draft with gaps in its checklist
    SEND = "send"  # a complete draft, ready to send for adjustment
    FOLLOW = "follow"  # out for approval: approvals and disagreements so far
    ANNOUNCE = "announce"  # adjusted, not yet on the notice board
    APPROVE = "approve"  # the signer's own approval is awaited
    EXPORT = "export"  # adjusted lately: the sealed files for the archive


class Role:
    SECRETARY = "secretary"
    SIGNER = "signer"
    REGISTRAR = "registrar"


@dataclass(frozen=True)
class Task:
    kind: str
    meeting: Meeting
    round: AdjustmentRound | None = None
    deadline: deadlines.DeadlineState | None = None
    gaps: tuple[Check, ...] = ()  # PREPARE: what the checklist still misses
    approvals: tuple[Approval, ...] = ()  # FOLLOW: given so far
    signers: int = 0  # FOLLOW: how many approve in all
    role: str = ""  # APPROVE: the signer's own role, chair or adjuster

    @property
    def disagreements(self) -> tuple[Approval, ...]:
        return tuple(a for a in self.approvals if a.verdict == Verdict.DISAGREED)

    @property
    def item(self):
        return self.round.item if self.round is not None else None


@dataclass(frozen=True)
class Section:
    role: str
    committees: tuple[Committee, ...] = ()
    tasks: tuple[Task, ...] = field(default_factory=tuple)


def secretary_committees(user: AbstractBaseUser) -> QuerySet[Committee]:
    return Committee.objects.all() if user.is_superuser else user.committees_served.all()


def registrar_committees(user: AbstractBaseUser) -> QuerySet[Committee]:
    return Committee.objects.all() if user.is_superuser else user.committees_registered.all()


def sections(user: AbstractBaseUser, *, today: datetime.date) -> list[Section]:
    """The roles the user holds, each with what waits on them, most urgent first; empty for a member only."""
    found = []
    served = list(secretary_committees(user))
    if served:
        found.append(Section(Role.SECRETARY, tuple(served), tuple(secretary_tasks(served, today=today))))
    person = signer_person(user)
    if person is not None:
        asked = signer_tasks(person, today=today)
        if asked or _ever_signer(person):
            found.append(Section(Role.SIGNER, (), tuple(asked)))
    registered = list(registrar_committees(user))
    if registered:
        found.append(Section(Role.REGISTRAR, tuple(registered), tuple(registrar_tasks(registered, today=today))))
    return found


def secretary_tasks(committees: list[Committee], *, today: datetime.date) -> list[Task]:
    meetings = Meeting.objects.filter(committee__in=committees).select_related("committee", "chair")
    tasks: list[Task] = []
    drafts = list(meetings.filter(status=MeetingStatus.DRAFT).select_related("notice").order_by("date", "pk"))
    snapshots = read_snapshots(meeting.pk for meeting in drafts)  # all at once: as many queries for one as for ten
    for meeting in drafts:
        snapshot = snapshots[meeting.pk].snapshot
        gaps = [c for c in meeting_checks(snapshot) if not c.ok]
        late = notice_check(meeting, today)
        if late is not None:
            gaps.append(late)
        for item in snapshot.items:
            gaps += [
                Check(f"§ {item.number}: {c.label}", c.ok, c.detail) for c in item_checks(item, snapshot) if not c.ok
            ]
        state = deadlines.deadline_state(deadlines.adjustment_deadline(meeting.date), today)
        tasks.append(Task(Kind.PREPARE if gaps else Kind.SEND, meeting, deadline=state, gaps=tuple(gaps)))
    rounds = (
        AdjustmentRound.objects.filter(meeting__committee__in=committees, state=RoundState.OPEN)
        .select_related("meeting__committee", "meeting__chair", "item")
        .prefetch_related("approvals__person")
        .order_by("meeting__date", "pk")
    )
    for round in rounds:
        state = deadlines.deadline_state(deadlines.adjustment_deadline(round.meeting.date), today)
        tasks.append(
            Task(
                Kind.FOLLOW,
                round.meeting,
                round,
                deadline=state,
                approvals=tuple(round.approvals.all()),
                signers=len(adjustment.signers(round.meeting)),
            )
        )
    tasks += announce_tasks(committees, today=today)
    return _by_urgency(tasks)


def announce_tasks(committees: list[Committee], *, today: datetime.date) -> list[Task]:
    """Adjusted and not announced: KL 8:12 wants the notice up by the second day after the adjustment."""
    rounds = (
        AdjustmentRound.objects.filter(
            meeting__committee__in=committees, state=RoundState.COMPLETED, announcement__isnull=True
        )
        .select_related("meeting__committee", "item")
        .order_by("closed_at", "pk")
    )
    return [
        Task(
            Kind.ANNOUNCE,
            round.meeting,
            round,
            deadline=deadlines.deadline_state(deadlines.announcement_deadline(round.adjusted_on), today),
        )
        for round in rounds
    ]


def signer_tasks(person, *, today: datetime.date) -> list[Task]:
    """The open rounds the person adjusts and has not approved yet, with the KL 5:69 deadline."""
    rounds = (
        AdjustmentRound.objects.filter(state=RoundState.OPEN)
        .filter(Q(meeting__chair=person) | Q(meeting__adjusters__person=person))
        .exclude(approvals__person=person)
        .select_related("meeting__committee", "meeting__chair", "item")
        .distinct()
        .order_by("meeting__date", "pk")
    )
    tasks = []
    for round in rounds:
        roles = {signer.pk: role for signer, role in adjustment.signers(round.meeting)}
        if person.pk not in roles:
            continue
        state = deadlines.deadline_state(deadlines.adjustment_deadline(round.meeting.date), today)
        tasks.append(Task(Kind.APPROVE, round.meeting, round, deadline=state, role=roles[person.pk]))
    return tasks


def registrar_tasks(committees: list[Committee], *, today: datetime.date) -> list[Task]:
    since = today - datetime.timedelta(days=EXPORT_DAYS)
    recent = (
        AdjustmentRound.objects.filter(
            meeting__committee__in=committees,
            state=RoundState.COMPLETED,
            item__isnull=True,
            closed_at__date__gte=since,
            exports__isnull=True,  # a registrar has downloaded the sealed protocol for the archive
        )
        .select_related("meeting__committee")
        .order_by("-closed_at", "-pk")
    )
    return _by_urgency(announce_tasks(committees, today=today)) + [Task(Kind.EXPORT, r.meeting, r) for r in recent]


def _ever_signer(person) -> bool:
    """A chair or adjuster of any meeting sees their section, empty or not: "nothing waits on you" is news too."""
    return Meeting.objects.filter(Q(chair=person) | Q(adjusters__person=person)).exists()


def _by_urgency(tasks: list[Task]) -> list[Task]:
    """The nearest deadline first; a task without one last, in the order found."""
    return sorted(tasks, key=lambda t: (t.deadline is None, t.deadline.deadline if t.deadline else datetime.date.max))
