"""E-mail to the people a step of the adjustment concerns, through Django's mail API.

The adjustment services call these functions explicitly (no signals): sent for adjustment (to
each signer, with the link), each approval or disagreement (to the secretary), reopened, sealed
and announced. The worker calls `send_due_reminders` between batches: one reminder before each
legal deadline (KL 5:69 for the adjustment, KL 8:12 for the announcement).

Each mail is one `Notification` row whose unique key names the event and the recipient. An
event's mails go out after its transaction commits, so a refused step sends nothing; the row
and the mail are one transaction, so a mail the server refused is not recorded as sent, and a
reminder is tried again by the next pass. Mails link to PARAGRAF_SITE_URL. Without a mailer
(production with no PARAGRAF_EMAIL_HOST) nothing is sent or recorded.
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from minutes import deadlines
from minutes.models import (
    AdjustmentRound,
    Announcement,
    Approval,
    Meeting,
    MeetingStatus,
    Notification,
    RoundState,
    SignerRole,
    Verdict,
)
from minutes.models.meeting import ADJUSTMENT_DAYS

logger = logging.getLogger(__name__)

# A reminder goes out this many days before the deadline (or on any later day up to it, if the worker was down).
REMIND_DAYS = {"adjustment": deadlines.WARN_DAYS, "announcement": 1}
DEVELOPMENT_SITE = "http://127.0.0.1:8000"  # `./paragraf run` serves here; it sets PARAGRAF_SITE_URL to its address


def site_url() -> str:
    return settings.PARAGRAF_SITE_URL or DEVELOPMENT_SITE


def link(name: str, *args) -> str:
    with translation.override("sv"):
        return site_url() + reverse(name, args=args)


def describe(meeting: Meeting, round: AdjustmentRound | None = None) -> str:
    """ "Årstadals stadsdelsnämnd, sammanträde 9/2016 (2016-09-22)", with the § of an immediate adjustment."""
    text = f"{meeting.committee.name}, sammanträde {meeting.number}/{meeting.year} ({meeting.date:%Y-%m-%d})"
    if round is not None and round.item_id is not None:
        text += f", § {round.item.number}"
    return text


# The events, called by minutes.adjustment inside its transactions


def sent_for_adjustment(round: AdjustmentRound) -> None:
    from minutes.adjustment import signers

    meeting = round.meeting
    for person, role in signers(meeting):
        title = "ordförande" if role == SignerRole.CHAIR else "justerare"
        body = (
            f"Protokollet från {describe(meeting, round)} är skickat för justering, "
            f"och du justerar det som {title}.\n\n"
            f"Läs och godkänn det här:\n{link('minutes:adjustment', meeting.pk)}\n\n"
            f"Protokollet ska vara justerat senast {deadlines.adjustment_deadline(meeting.date):%Y-%m-%d} (KL 5:69)."
        )
        _later(f"sent:{round.pk}", [person.user], f"Att justera: {describe(meeting, round)}", body)


def approved(approval: Approval) -> None:
    round = approval.round
    meeting = round.meeting
    if approval.verdict == Verdict.DISAGREED:
        subject = f"Avvikande mening: {describe(meeting, round)}"
        said = f"har godkänt protokollet med en avvikande mening:\n\n{approval.note}"
    else:
        subject = f"Godkänt: {describe(meeting, round)}"
        said = "har godkänt protokollet."
    given = round.approvals.count()
    from minutes.adjustment import signers

    body = (
        f"{approval.person.full_name} ({'ordförande' if approval.role == SignerRole.CHAIR else 'justerare'}) {said}\n\n"
        f"{given} av {len(signers(meeting))} har godkänt. Följ justeringen här:\n"
        f"{link('minutes:adjustment', meeting.pk)}"
    )
    _later(f"approval:{approval.pk}", secretaries(meeting, round), subject, body)


def reopened(round: AdjustmentRound) -> None:
    from minutes.adjustment import signers

    meeting = round.meeting
    body = (
        f"Protokollet från {describe(meeting, round)} har öppnats igen för rättelse, och godkännanden som "
        f"redan lämnats gäller inte längre. Skäl: {round.reason}\n\n"
        f"Du får ett nytt meddelande när det skickas för justering igen.\n{link('minutes:adjustment', meeting.pk)}"
    )
    _later(
        f"reopened:{round.pk}",
        [p.user for p, _role in signers(meeting)],
        f"Öppnat igen: {describe(meeting, round)}",
        body,
    )


def sealed(round: AdjustmentRound) -> None:
    meeting = round.meeting
    body = (
        f"Protokollet från {describe(meeting, round)} är justerat {round.adjusted_on:%Y-%m-%d} och förseglat.\n\n"
        f"Anslå justeringen på anslagstavlan senast "
        f"{deadlines.announcement_deadline(round.adjusted_on):%Y-%m-%d} (KL 8:12):\n"
        f"{link('minutes:adjustment', meeting.pk)}\n\nExport och arkivering:\n{link('minutes:export', meeting.pk)}"
    )
    _later(
        f"sealed:{round.pk}",
        [*secretaries(meeting, round), *registrars(meeting)],
        f"Justerat: {describe(meeting, round)}",
        body,
    )


def announced(announcement: Announcement) -> None:
    from minutes.adjustment import signers

    round = announcement.round
    meeting = round.meeting
    body = (
        f"Justeringen av protokollet från {describe(meeting, round)} är anslagen på anslagstavlan "
        f"{announcement.posted_on:%Y-%m-%d}. Tiden för överklagande går ut {announcement.appeal_ends_on:%Y-%m-%d}.\n\n"
        f"{link('notice-board')}"
    )
    everyone = [*secretaries(meeting, round), *registrars(meeting), *(p.user for p, _role in signers(meeting))]
    _later(f"announced:{announcement.pk}", everyone, f"Anslaget: {describe(meeting, round)}", body)


def secretaries(meeting: Meeting, round: AdjustmentRound | None = None) -> list[AbstractBaseUser]:
    """Who sent the round and who keeps the minutes; the committee's secretaries if neither has an account."""
    found = [round.opened_by] if round is not None else []
    if meeting.secretary is not None and meeting.secretary.user is not None:
        found.append(meeting.secretary.user)
    return found or list(meeting.committee.secretaries.all())


def registrars(meeting: Meeting) -> list[AbstractBaseUser]:
    return list(meeting.committee.clerks.all())


# The reminders, sent by the worker


def send_due_reminders(today: datetime.date | None = None) -> int:
    """One reminder per deadline and person, on the days before it; returns how many mails went out."""
    if not mail_configured():
        return 0
    today = today or timezone.localdate()
    sent = 0
    # Only meetings whose KL 5:69 deadline falls in the reminder window are looked at.
    latest = today - datetime.timedelta(days=ADJUSTMENT_DAYS - REMIND_DAYS["adjustment"])
    earliest = today - datetime.timedelta(days=ADJUSTMENT_DAYS)
    for meeting in Meeting.objects.filter(
        status__in=(MeetingStatus.DRAFT, MeetingStatus.LOCKED), date__range=(earliest, latest)
    ).select_related("committee", "secretary__user"):
        deadline = deadlines.adjustment_deadline(meeting.date)
        if not _due(deadline, today, "adjustment"):
            continue
        sent += _adjustment_reminders(meeting, deadline)
    for round in AdjustmentRound.objects.filter(state=RoundState.COMPLETED, announcement__isnull=True).select_related(
        "meeting__committee", "meeting__secretary__user", "item", "opened_by"
    ):
        deadline = deadlines.announcement_deadline(round.adjusted_on)
        if _due(deadline, today, "announcement"):
            body = (
                f"Påminnelse: justeringen av protokollet från {describe(round.meeting, round)} ska anslås på "
                f"anslagstavlan senast {deadline:%Y-%m-%d} (KL 8:12).\n\n{link('minutes:adjustment', round.meeting_id)}"
            )
            recipients = [*secretaries(round.meeting, round), *registrars(round.meeting)]
            sent += _send(
                f"remind-announce:{round.pk}",
                recipients,
                f"Anslå senast {deadline:%Y-%m-%d}: {describe(round.meeting, round)}",
                body,
            )
    return sent


def _adjustment_reminders(meeting: Meeting, deadline: datetime.date) -> int:
    from minutes.adjustment import open_round, signers

    subject = f"Justeras senast {deadline:%Y-%m-%d}: {describe(meeting)}"
    url = link("minutes:adjustment", meeting.pk)
    round = open_round(meeting)
    if round is None:  # still a draft: the secretary is late in sending it
        body = (
            f"Påminnelse: protokollet från {describe(meeting)} ska vara justerat senast {deadline:%Y-%m-%d} "
            f"(KL 5:69) och är inte skickat för justering än.\n\n{url}"
        )
        return _send(f"remind-adjust:{meeting.pk}", secretaries(meeting), subject, body)
    approved = {a.person_id for a in round.approvals.all()}
    waiting = [person.user for person, _role in signers(meeting) if person.pk not in approved]
    body = (
        f"Påminnelse: protokollet från {describe(meeting)} väntar på ditt godkännande och ska vara justerat "
        f"senast {deadline:%Y-%m-%d} (KL 5:69).\n\n{url}"
    )
    return _send(f"remind-adjust:{meeting.pk}", waiting, subject, body)


def _due(deadline: datetime.date, today: datetime.date, kind: str) -> bool:
    return 0 <= (deadline - today).days <= REMIND_DAYS[kind]


# Delivery


def mail_configured() -> bool:
    return "default" in settings.MAILERS


def _later(event: str, users: Iterable[AbstractBaseUser | None], subject: str, body: str) -> None:
    """Send once the calling transaction commits: a step that is rolled back tells nobody."""
    users = list(users)
    transaction.on_commit(lambda: _send(event, users, subject, body))


def _send(event: str, users: Iterable[AbstractBaseUser | None], subject: str, body: str) -> int:
    """Mail each user with an address once for this event; returns how many mails went out now."""
    if not mail_configured():
        return 0
    sent = 0
    seen: set[int] = set()
    for user in users:
        if user is None or not user.email or user.pk in seen:
            continue
        seen.add(user.pk)
        key = f"{event}:{user.pk}"
        try:
            with transaction.atomic():
                Notification.objects.create(key=key, recipient=user.email, subject=subject[:300])
                EmailMessage(subject, body + SIGNATURE, to=[user.email]).send()
        except IntegrityError:
            continue  # sent before, by this process or another
        except Exception:  # the mail server said no: not recorded, so a reminder is tried again
            logger.exception("Could not send the notification %s to %s", key, user.email)
            continue
        sent += 1
    return sent


SIGNATURE = "\n\n-- \nParagraf. Du får det här meddelandet för att du har en roll i nämndens protokoll."
