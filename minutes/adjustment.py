"""The adjustment round (justering) and the announcement (anslag): from locked draft to legal force.

1. `send_for_adjustment` locks the protocol (or opens the round for one immediately adjusted §).
2. The chair and each adjuster `approve`, signed in as themselves; one may note a disagreement.
   `reopen` instead cancels the round and its approvals (they stay on record) and unlocks it.
3. The last approval completes the round, and its data can no longer change: what it adjusted
   is frozen, names and house style included (`minutes.protocol.adjusted`), and every document
   of it is printed from that from then on. A worker prints, seals and stores the protocol and
   its extracts with their data and SHA-256 (`minutes.jobs` calls `seal_document`).
4. `announce` posts the adjustment on the notice board with the dates the law sets; a worker
   then seals the announcement certificate (anslagsbevis) that carries them.

Each verb is one transaction and refuses, with a Swedish reason, what the law or the state of
the round does not allow.
"""

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import Person
from committee.permissions import serves_as_clerk, signer_person
from minutes import deadlines, jobs, notifications
from minutes.completeness import item_checks, meeting_checks
from minutes.exchange.dump import meeting_document
from minutes.models import (
    AdjustmentRound,
    Announcement,
    Approval,
    ArchiveExport,
    DocumentKind,
    Item,
    JobStep,
    Meeting,
    MeetingStatus,
    RoundState,
    SealedDocument,
    SignerRole,
    Verdict,
)
from minutes.models import search as search_index
from minutes.protocol import adjusted
from minutes.protocol.adjusted import snapshot_for
from minutes.protocol.render import Adjustment, Notice, Request, Signature, render_html, render_text
from minutes.protocol.snapshot import ProtocolSnapshot, build_snapshot

ROLE_TITLES = {SignerRole.CHAIR: "Ordförande", SignerRole.ADJUSTER: "Justerare"}


def signers(meeting: Meeting) -> list[tuple[Person, str]]:
    """Who adjusts: the chair, then the adjusters appointed at the meeting, each once."""
    found: list[tuple[Person, str]] = []
    if meeting.chair is not None:
        found.append((meeting.chair, SignerRole.CHAIR))
    for adjuster in meeting.adjusters.select_related("person__user"):
        if all(person.pk != adjuster.person_id for person, _role in found):
            found.append((adjuster.person, SignerRole.ADJUSTER))
    return found


def open_round(meeting: Meeting, item: Item | None = None) -> AdjustmentRound | None:
    return meeting.adjustment_rounds.filter(state=RoundState.OPEN, item=item).prefetch_related("approvals").first()


def completed_round(meeting: Meeting, item: Item | None = None) -> AdjustmentRound | None:
    return meeting.adjustment_rounds.filter(state=RoundState.COMPLETED, item=item).first()


# 1. Send


def send_for_adjustment(
    meeting: Meeting, *, user: AbstractBaseUser, item: Item | None = None, now: datetime.datetime | None = None
) -> AdjustmentRound:
    """Lock the protocol (or one §, for immediate adjustment) and ask its signers to approve it."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",)).select_related("chair", "committee").get(pk=meeting.pk)
        )
        if meeting.status != MeetingStatus.DRAFT:
            raise ValidationError(
                _("Only a draft can be sent for adjustment; this protocol is already %(status)s.")
                % {"status": meeting.get_status_display().lower()},
                code="not_draft",
            )
        if item is not None:
            item = Item.objects.select_for_update().get(pk=item.pk, meeting=meeting)
            if AdjustmentRound.objects.filter(item=item).exclude(state=RoundState.CANCELLED).exists():
                raise ValidationError(
                    _("§ %(number)s is already being adjusted or has been adjusted.") % {"number": item.number},
                    code="item_round",
                )
        _require_signers(meeting)
        _require_complete(meeting, item)
        round = AdjustmentRound.objects.create(
            meeting=meeting, item=item, opened_by=user, **({"opened_at": now} if now else {})
        )
        if item is None:
            meeting.status = MeetingStatus.LOCKED
            meeting.save(update_fields=["status"])
        elif not item.immediately_adjusted:
            _update(Item, item.pk, immediately_adjusted=True)
        notifications.sent_for_adjustment(round)
        return round


def _update(model, pk: int, **values) -> None:
    """Change a row through save(), fresh from the database, so that the audit trail records it."""
    row = model.objects.get(pk=pk)
    for name, value in values.items():
        setattr(row, name, value)
    row.save(update_fields=list(values))


def _require_signers(meeting: Meeting) -> None:
    people = signers(meeting)
    if meeting.chair is None:
        raise ValidationError(_("The meeting has no chair to adjust the protocol."), code="no_chair")
    if len(people) < 2:
        raise ValidationError(_("Appoint at least one adjuster besides the chair."), code="no_adjuster")
    without = [person.full_name for person, _role in people if person.user_id is None]
    if without:
        raise ValidationError(
            _("%(names)s has no user account and cannot approve the protocol in Paragraf.")
            % {"names": ", ".join(without)},
            code="signer_without_account",
        )


def _require_complete(meeting: Meeting, item: Item | None) -> None:
    snapshot = build_snapshot(meeting)
    failing = [] if item is not None else [c for c in meeting_checks(snapshot) if c.missing]
    for shown in snapshot.items:
        if item is None or shown.number == item.number:
            failing += [c for c in item_checks(shown, snapshot) if c.missing]
    if failing:
        raise ValidationError(
            [
                ValidationError(
                    _("Not complete: %(label)s (%(detail)s)") % {"label": c.label, "detail": c.detail},
                    code="incomplete",
                )
                for c in failing
            ]
        )


# 2. Approve, or reopen


@dataclass(frozen=True)
class Version:
    """The version a signer approves: sent for adjustment on `sent_at`, its text hashed."""

    sent_at: datetime.datetime
    sha256: str


def approved_text(round: AdjustmentRound, snapshot: ProtocolSnapshot | None = None) -> str:
    """The protocol (or the § adjusted on its own) as plain text: what the signers read and approve.

    `snapshot` saves gathering it again when the caller has the meeting's already.
    """
    snapshot = snapshot or snapshot_for(round.meeting)
    if round.item_id is not None:
        return render_text(snapshot, Request(kind="item", numbers=(round.item.number,)))
    return render_text(snapshot, Request(kind="protocol"))


def version_of(round: AdjustmentRound, snapshot: ProtocolSnapshot | None = None) -> Version:
    digest = hashlib.sha256(approved_text(round, snapshot).encode()).hexdigest()
    return Version(sent_at=timezone.localtime(round.opened_at), sha256=digest)


def approve(
    round: AdjustmentRound,
    *,
    user: AbstractBaseUser,
    disagreement: str = "",
    seen_sha256: str | None = None,
    now: datetime.datetime | None = None,
) -> Approval:
    """Record the signed-in signer's approval of the version they confirmed; the last one adjusts and seals it.

    `seen_sha256` is the hash of the text the signer was shown (`version_of`): an approval of
    another text than the one now locked is refused. The hash is kept on the approval either way.
    """
    with transaction.atomic():
        round = AdjustmentRound.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=round.pk)
        if round.state != RoundState.OPEN:
            raise ValidationError(
                _("This adjustment round is closed: %(state)s.") % {"state": round.get_state_display().lower()},
                code="round_closed",
            )
        person = signer_person(user)
        roles = {signer.pk: role for signer, role in signers(round.meeting)}
        if person is None or person.pk not in roles:
            raise ValidationError(
                _("Only the chair and the appointed adjusters approve the protocol."), code="not_a_signer"
            )
        if round.approvals.filter(person=person).exists():
            raise ValidationError(_("You have already approved this protocol."), code="already_approved")
        version = version_of(round)
        if seen_sha256 is not None and seen_sha256 != version.sha256:
            raise ValidationError(
                _("The protocol is not the version you confirmed. Read it again and approve what it says now."),
                code="other_version",
            )
        approval = Approval.objects.create(
            text_sha256=version.sha256,
            round=round,
            person=person,
            role=roles[person.pk],
            verdict=Verdict.DISAGREED if disagreement.strip() else Verdict.APPROVED,
            note=disagreement.strip(),
            user=user,
            **({"at": now} if now else {}),
        )
        notifications.approved(approval)
        if round.approvals.count() == len(roles):
            _complete(round, now=now)
        return approval


def reopen(round: AdjustmentRound, *, user: AbstractBaseUser, reason: str) -> AdjustmentRound:
    """A correction is needed: cancel the round (approvals stay recorded) and unlock the draft."""
    if not reason.strip():
        raise ValidationError(
            {"reason": ValidationError(_("Say why the protocol is reopened."), code="reason_required")}
        )
    with transaction.atomic():
        round = AdjustmentRound.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=round.pk)
        if round.state != RoundState.OPEN:
            raise ValidationError(_("Only a protocol awaiting adjustment can be reopened."), code="round_closed")
        round.state = RoundState.CANCELLED
        round.closed_at, round.closed_by, round.reason = timezone.now(), user, reason.strip()
        round.save(update_fields=["state", "closed_at", "closed_by", "reason"])
        if round.item_id is None:
            _update(Meeting, round.meeting_id, status=MeetingStatus.DRAFT)
        notifications.reopened(round)
        return round


def _complete(round: AdjustmentRound, *, now: datetime.datetime | None) -> None:
    round.state = RoundState.COMPLETED
    round.closed_at = now or timezone.now()
    round.save(update_fields=["state", "closed_at"])
    if round.item_id is None:
        _update(Meeting, round.meeting_id, status=MeetingStatus.ADJUSTED)
    adjusted.freeze(round, adjustment=adjustment_facts(round))  # what every document of it prints from now
    jobs.start(round)  # a worker seals the documents; the round's page follows its progress


def record_archive_export(document: SealedDocument, user: AbstractBaseUser) -> ArchiveExport | None:
    """Note that a registrar downloaded a protocol's sealed archive copy; any other download is not an export."""
    if (
        document.kind != DocumentKind.PROTOCOL
        or document.numbers
        or not serves_as_clerk(user, document.meeting.committee)
    ):
        return None
    return ArchiveExport.objects.create(
        round=document.round, meeting=document.meeting, document=document, exported_by=user
    )


# 3. Seal


def adjustment_facts(round: AdjustmentRound) -> Adjustment:
    approvals = round.approvals.select_related("person").order_by("at", "id")
    return Adjustment(
        adjusted_on=round.adjusted_on,
        signatures=tuple(
            Signature(
                name=a.person.full_name,
                role=ROLE_TITLES[a.role],
                at=timezone.localtime(a.at),
                disagreement=a.note,
            )
            for a in sorted(approvals, key=lambda a: a.role != SignerRole.CHAIR)
        ),
    )


def notice_facts(announcement: Announcement) -> Notice:
    by = announcement.announced_by
    return Notice(
        posted_on=announcement.posted_on,
        appeal_ends_on=announcement.appeal_ends_on,
        take_down_on=announcement.take_down_on,
        kept_at=announcement.kept_at,
        posted_by=by.get_full_name() or by.get_username(),
    )


def announced_facts(meeting: Meeting, item: Item | None = None) -> tuple[Adjustment, Notice] | None:
    """What an announced protocol's pages print: who adjusted it and when, and the notice's dates."""
    announcement = (
        Announcement.objects.filter(meeting=meeting, round__item=item, round__state=RoundState.COMPLETED)
        .select_related("round", "announced_by")
        .first()
    )
    if announcement is None:
        return None
    frozen = adjusted.of_round(announcement.round)  # who signed, as they were at the adjustment
    signed = adjusted.thaw(frozen.protocol).adjustment if frozen is not None else adjustment_facts(announcement.round)
    return signed, notice_facts(announcement)


def seal_document(
    round: AdjustmentRound,
    kind: str,
    numbers: tuple[int, ...] = (),
    *,
    progress: Callable[[str], None] = lambda step: None,
) -> SealedDocument:
    """Print and seal the protocol, an extract or the announcement certificate, once, and store it.

    The document is printed from what the round adjusted, frozen at its last approval, whenever
    it is sealed (an extract may be asked for weeks later); the stored JSON is that data in the
    exchange format, hashed alongside the PDF. It takes seconds: web requests never call it,
    workers do (`minutes.jobs`), telling `progress` each step.
    """
    existing = _sealed(round, kind, numbers)
    if existing is not None:
        return existing
    if round.state != RoundState.COMPLETED:
        raise ValidationError(_("Only an adjusted protocol is sealed."), code="not_adjusted")
    from minutes.protocol.pdf import html_to_pdf
    from minutes.seal.sign import adjustment_stamp_lines, seal_pdf

    meeting = round.meeting
    frozen = adjusted.of_round(round)
    if frozen is not None:
        protocol = adjusted.thaw(frozen.protocol)
        snapshot, adjustment, data = protocol.snapshot, protocol.adjustment, frozen.document
    else:  # adjusted before snapshots were frozen: its data as it stands
        snapshot, adjustment, data = build_snapshot(meeting), adjustment_facts(round), meeting_document(meeting)
    announcement = Announcement.objects.filter(round=round).select_related("announced_by").first()
    request = Request(
        kind=DocumentKind.PROTOCOL if kind == DocumentKind.PUBLIC else kind,
        public=kind == DocumentKind.PUBLIC,
        numbers=numbers,
        certified_on=adjustment.adjusted_on,
        adjustment=adjustment,
        notice=notice_facts(announcement) if announcement else None,
    )
    printed = html_to_pdf(render_html(snapshot, request))
    progress(JobStep.SEALING)
    pdf = seal_pdf(
        printed,
        stamp_lines=adjustment_stamp_lines(
            adjusted_on=adjustment.adjusted_on, adjusters=[s.name for s in adjustment.signatures]
        ),
        reason=_reason(kind, snapshot, numbers),
        location=snapshot.protocol_kept_at or snapshot.municipality,
    )
    digest = hashlib.sha256(pdf).hexdigest()
    document = SealedDocument(
        round=round,
        meeting=meeting,
        kind=kind,
        numbers=list(numbers),
        snapshot=data,
        snapshot_sha256=hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest(),
        sha256=digest,
        sha512=hashlib.sha512(pdf).hexdigest(),
        size=len(pdf),
    )
    progress(JobStep.STORING)
    name = f"{meeting.date:%Y-%m-%d}-{kind}" + "".join(f"-p{n}" for n in numbers) + f"-{digest[:12]}.pdf"
    with transaction.atomic():
        # One writer per round at a time; a document that another worker stored meanwhile wins.
        AdjustmentRound.objects.select_for_update().filter(pk=round.pk).first()
        existing = _sealed(round, kind, numbers)
        if existing is not None:
            return existing
        document.file.save(name, ContentFile(pdf), save=False)
        document.save()
        if (kind, numbers) in jobs.planned(round):  # the document the adjustment itself is sealed as
            notifications.sealed(round)
    return document


def _sealed(round: AdjustmentRound, kind: str, numbers: tuple[int, ...]) -> SealedDocument | None:
    return SealedDocument.objects.filter(round=round, kind=kind, numbers=list(numbers)).first()


def _reason(kind: str, snapshot: ProtocolSnapshot, numbers: tuple[int, ...]) -> str:
    what = {
        DocumentKind.PROTOCOL: "Justerat protokoll",
        DocumentKind.PUBLIC: "Justerat protokoll, offentlig version",
        DocumentKind.EXTRACT: "Protokollsutdrag",
        DocumentKind.CERTIFICATE: "Anslagsbevis",
    }[kind]
    paragraphs = f", § {', '.join(str(n) for n in numbers)}" if numbers else ""
    return f"{what}, {snapshot.committee_name} {snapshot.date:%Y-%m-%d}{paragraphs}"


# 4. Announce


def announce(
    meeting: Meeting,
    *,
    user: AbstractBaseUser,
    item: Item | None = None,
    posted_on: datetime.date | None = None,
) -> Announcement:
    """Post the adjustment on the notice board; the appeal period runs from `posted_on`."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("committee").get(pk=meeting.pk)
        round = completed_round(meeting, item)
        if round is None:
            raise ValidationError(_("Only an adjusted protocol can be announced."), code="not_adjusted")
        if Announcement.objects.filter(round=round).exists():
            raise ValidationError(_("The adjustment has already been announced."), code="already_announced")
        today = timezone.localdate()
        posted_on = posted_on or today
        if posted_on < round.adjusted_on:
            message = _("The notice cannot be posted before the protocol was adjusted (%(date)s).") % {
                "date": f"{round.adjusted_on:%Y-%m-%d}"
            }
            raise ValidationError({"posted_on": ValidationError(message, code="before_adjustment")})
        if posted_on > today:  # announcing publishes now: a later date would start the appeal period in the future
            message = _("The notice cannot be posted after today (%(date)s).") % {"date": f"{today:%Y-%m-%d}"}
            raise ValidationError({"posted_on": ValidationError(message, code="after_today")})
        announcement = Announcement.objects.create(
            round=round,
            meeting=meeting,
            adjusted_on=round.adjusted_on,
            posted_on=posted_on,
            appeal_ends_on=deadlines.appeal_ends(posted_on),
            take_down_on=deadlines.take_down_on(posted_on),
            kept_at=meeting.committee.protocol_kept_at,
            announced_by=user,
        )
        if item is None:
            _update(Meeting, meeting.pk, status=MeetingStatus.ANNOUNCED)
            search_index.index_meeting(meeting)
        jobs.seal_announced(round)
        notifications.announced(announcement)
        return announcement
