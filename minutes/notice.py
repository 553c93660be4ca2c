"""The notice of a meeting (kallelse): gathered, rendered by the protocol's pipeline, sent and followed up.

gather (`notice_snapshot`, the only step that queries) -> render (Jinja2 templates `notice.*.j2` beside
the protocol's, with the words, dates and times of the committee's house style, its "notice" part) -> print
(`minutes.protocol.pdf`). A sent notice keeps the style it was first sent with (`MeetingNotice.style_document`),
so showing it later prints the words it went out with. Public items are listed in full; a confidential item
by its title and its ground in the Public Access to Information and Secrecy Act (OSL) only, because the
notice travels by e-mail. Withdrawn items are left out.

The notice goes to every member and substitute of the committee on the meeting's day who has an
address, each with a personal link to the reading room whose first use is recorded, and to the
officials invited to present an item (`AgendaInvitee`), each with a link to that item's page alone. Each copy is a
`NoticeRecipient` row committed with its mail, so a copy the mail server refused is not recorded as
sent, and sending again (the worker, or the secretary) reaches only those who did not get it.
"""

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import ROLE_TITLES, Committee, Membership
from minutes.completeness import Check
from minutes.models import AgendaDocument, AgendaInvitee, Meeting, MeetingNotice, MeetingStatus, NoticeRecipient
from minutes.notifications import SIGNATURE, describe, link, mail_configured
from minutes.protocol import housestyle
from minutes.protocol import render as pipeline
from minutes.protocol.snapshot import HouseStyle

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NoticeDocument:
    title: str
    date: datetime.date
    confidential: bool


@dataclass(frozen=True)
class NoticeItem:
    position: int
    title: str
    dnr: str
    preparing: str
    proposal: str
    confidential: bool
    secrecy_ground: str
    documents: tuple[NoticeDocument, ...]
    presenters: tuple[str, ...] = ()  # the officials invited to present it (föredragande)


@dataclass(frozen=True)
class NoticeSnapshot:
    committee_name: str
    municipality: str
    number: int
    year: int
    date: datetime.date
    start_time: datetime.time | None
    place: str
    secretary: str
    items: tuple[NoticeItem, ...]
    style: HouseStyle = HouseStyle()  # the committee's house style, or the one a sent notice went out with


# Gather


def notice_snapshot(meeting: Meeting) -> NoticeSnapshot:
    """Everything the notice says, as plain values: four queries after the meeting's own row (five when the
    committee has a style of its own and it was not selected with the meeting)."""
    documents = AgendaDocument.objects.current().order_by("date", "id")
    agenda = meeting.agenda_items.filter(withdrawn_at__isnull=True).prefetch_related(
        Prefetch("documents", queryset=documents), "invitees"
    )
    items = tuple(
        NoticeItem(
            position=number,
            title=item.title,
            dnr=item.dnr,
            preparing=item.preparing,
            proposal=item.proposal,
            confidential=item.confidential,
            secrecy_ground=item.secrecy_ground,
            documents=tuple(NoticeDocument(d.title, d.date, d.confidential) for d in item.documents.all()),
            presenters=tuple(invitee.name for invitee in item.invitees.all()),
        )
        for number, item in enumerate(agenda, start=1)
    )
    secretary = meeting.secretary.full_name if meeting.secretary_id else ""
    notice = MeetingNotice.objects.filter(meeting=meeting, sent_at__isnull=False, style_document__isnull=False).first()
    if notice is not None:
        style = HouseStyle.from_document(notice.style_document, version=notice.style_version)
    else:
        style = HouseStyle.of(meeting.committee)
    return NoticeSnapshot(
        committee_name=meeting.committee.name,
        municipality=meeting.committee.municipality,
        number=meeting.number,
        year=meeting.date.year,
        date=meeting.date,
        start_time=meeting.start_time,
        place=meeting.place,
        secretary=secretary,
        items=items,
        style=style,
    )


# Render and print


def notice_words(snapshot: NoticeSnapshot) -> dict[str, Any]:
    """The notice's words in the house style (its "notice" part): the plain words, the templates rendered,
    and each item's Dnr line (`labels.dnr`) and secrecy sentence by its position."""
    style = snapshot.style.compiled
    words = {key: value for key, value in style.document["notice"].items() if key in housestyle.NOTICE_WORDS}
    date = style.date(snapshot.date)
    return {
        **words,
        "title": style.render(
            "notice.title", number=snapshot.number, year=snapshot.year, committee=snapshot.committee_name, date=date
        ),
        "document_title": style.render("notice.document_title", committee=snapshot.committee_name, date=date),
        "time": style.render("notice.time", date=date, time=style.time(snapshot.start_time)),
        "dnr": {item.position: style.render("label.dnr", dnr=item.dnr) for item in snapshot.items if item.dnr},
        "confidential": {
            item.position: style.render("notice.confidential", ground=item.secrecy_ground)
            for item in snapshot.items
            if item.confidential
        },
    }


def render_notice(snapshot: NoticeSnapshot, fmt: str, *, bare: bool = False) -> str:
    suffix = {"html": "html.j2", "text": "txt.j2"}[fmt]
    template = pipeline.environment(fmt).get_template(f"notice.{suffix}")
    token = pipeline.FORMATS.set(snapshot.style.compiled.document["formats"])
    try:
        return template.render(p=snapshot, items=snapshot.items, n=notice_words(snapshot), bare=bare)
    finally:
        pipeline.FORMATS.reset(token)


def notice_pdf(snapshot: NoticeSnapshot) -> bytes:
    from minutes.protocol.pdf import html_to_pdf

    return html_to_pdf(render_notice(snapshot, "html"))


def pdf_name(meeting: Meeting) -> str:
    return f"kallelse-{meeting.committee.slug}-{meeting.number}-{meeting.date.year}.pdf"


# When it is due


def due_on(meeting: Meeting) -> datetime.date:
    """The last day the committee's rule allows for sending the notice."""
    return meeting.date - datetime.timedelta(days=meeting.notice_rule)


def set_notice_days(meeting: Meeting, days: int | None) -> Meeting:
    """Change how many days before this meeting its notice goes out; None follows the committee's rule.
    Recorded in the meeting's history."""
    meeting.notice_days = days
    meeting.save(update_fields=["notice_days"])
    return meeting


def set_committee_notice_days(committee: Committee, days: int) -> Committee:
    """Change the committee's rule, which every meeting without its own follows (recorded in its history)."""
    with transaction.atomic():
        committee = Committee.objects.select_for_update().get(pk=committee.pk)
        committee.notice_days = days
        committee.save(update_fields=["notice_days"])
    return committee


def sent_notice(meeting: Meeting) -> MeetingNotice | None:
    try:
        notice = meeting.notice
    except MeetingNotice.DoesNotExist:
        return None
    return notice if notice.sent else None


def notice_check(meeting: Meeting, today: datetime.date) -> Check | None:
    """The checklist's warning when a coming meeting's notice is late, or planned later than the rule allows."""
    if meeting.status != MeetingStatus.DRAFT or meeting.date < today:
        return None
    try:
        notice = meeting.notice
    except MeetingNotice.DoesNotExist:
        notice = None
    if notice is not None and notice.sent:
        return None
    due = due_on(meeting)
    label = _("Notice")
    if notice is not None and notice.send_on is not None and notice.send_on > due:
        detail = _("The notice is planned for %(planned)s, later than the rule of %(days)s days (%(due)s).")
        values = {"planned": notice.send_on.isoformat(), "days": meeting.notice_rule, "due": due.isoformat()}
        return Check(label, False, detail % values, advisory=True)
    if today > due:
        detail = _("The notice should have gone out by %(due)s (%(days)s days before the meeting) and is not sent.")
        return Check(label, False, detail % {"due": due.isoformat(), "days": meeting.notice_rule}, advisory=True)
    return None


# Sending


def recipients(meeting: Meeting) -> list[Membership]:
    """Every member and substitute of the committee on the meeting's day, in the order of the roll."""
    return list(
        Membership.objects.on(meeting.date)
        .filter(committee=meeting.committee)
        .select_related("person__user")
        .order_by("position", "id")
    )


def schedule_notice(meeting: Meeting, *, send_on: datetime.date, today: datetime.date | None = None) -> MeetingNotice:
    """Plan the notice for a day; the worker sends it then."""
    today = today or timezone.localdate()
    if send_on < today:
        raise ValidationError(_("The day has passed: choose today or a later day."), code="past")
    if send_on > meeting.date:
        raise ValidationError(_("The notice must go out before the meeting."), code="after_meeting")
    with transaction.atomic():
        notice, _created = MeetingNotice.objects.select_for_update().get_or_create(meeting=meeting)
        if notice.sent:
            raise ValidationError(_("The notice is sent already."), code="sent")
        notice.send_on = send_on
        notice.save(update_fields=["send_on"])
    return notice


def send_notice(meeting: Meeting, *, by: AbstractBaseUser | None = None) -> int:
    """Send the notice now to everyone on the roll with an address who has not had it; returns how many."""
    if not mail_configured():
        raise ValidationError(_("No mail server is configured, so the notice cannot be sent."), code="no_mail")
    snapshot = notice_snapshot(meeting)
    text = render_notice(snapshot, "text")
    attachment = notice_pdf(snapshot)
    with transaction.atomic():
        notice, _created = MeetingNotice.objects.select_for_update().get_or_create(meeting=meeting)
        had = set(notice.recipients.values_list("person_id", flat=True))
        roll = [m for m in recipients(meeting) if m.person_id not in had]
        addressed = [m for m in roll if m.person.user is not None and m.person.user.email]
        invited = list(uninvited(meeting))
        if not had and not addressed and not invited:
            raise ValidationError(_("No member or substitute has an e-mail address."), code="nobody")
        sent, seen = 0, set()
        for membership in addressed:
            if membership.person_id in seen:
                continue
            seen.add(membership.person_id)
            sent += _send_copy(notice, membership, text, attachment)
        for invitee in invited:
            sent += _send_invitation(meeting, invitee, text, attachment)
        if notice.sent_at is None and (sent or had):
            notice.sent_at = timezone.now()
            notice.sent_by = by
            notice.style_document = snapshot.style.as_document
            notice.style_version = snapshot.style.version
            notice.save(update_fields=["sent_at", "sent_by", "style_document", "style_version"])
    return sent


def _send_copy(notice: MeetingNotice, membership: Membership, text: str, attachment: bytes) -> int:
    meeting = notice.meeting
    user = membership.person.user
    try:
        with transaction.atomic():
            copy = NoticeRecipient.objects.create(
                notice=notice, person=membership.person, email=user.email, role=ROLE_TITLES[membership.role]
            )
            body = (
                f"{text}\n\nLäs föredragningslistan och handlingarna i läsrummet (din personliga länk):\n"
                f"{link('reading:notice-open', copy.token)}{SIGNATURE}"
            )
            message = EmailMessage(f"Kallelse: {describe(meeting)}", body, to=[user.email])
            message.attach(pdf_name(meeting), attachment, "application/pdf")
            message.send()
    except Exception:  # the mail server said no: not recorded, so sending again tries this person again
        logger.exception("Could not send the notice of %s to %s", meeting, user.email)
        return 0
    return 1


def uninvited(meeting: Meeting):
    """The officials invited to present an item still on the agenda who have not had their link."""
    return AgendaInvitee.objects.filter(
        agenda_item__meeting=meeting, agenda_item__withdrawn_at__isnull=True, sent_at__isnull=True
    ).select_related("agenda_item")


def _send_invitation(meeting: Meeting, invitee: AgendaInvitee, text: str, attachment: bytes) -> int:
    """The notice to an official invited to present an item, with a link to that item and its public documents."""
    item = invitee.agenda_item
    body = (
        f'Du är inbjuden som föredragande till punkten "{item.title}" vid {describe(meeting)}.\n\n'
        f"Punkten och dess offentliga handlingar (din personliga länk):\n"
        f"{link('reading:invitation', invitee.token)}\n\n{text}{SIGNATURE}"
    )
    try:
        with transaction.atomic():
            updated = AgendaInvitee.objects.filter(pk=invitee.pk, sent_at__isnull=True).update(sent_at=timezone.now())
            if not updated:
                return 0
            message = EmailMessage(f"Kallelse (föredragande): {describe(meeting)}", body, to=[invitee.email])
            message.attach(pdf_name(meeting), attachment, "application/pdf")
            message.send()
    except Exception:  # not recorded: sending again tries this official again
        logger.exception("Could not send the invitation to %s to %s", meeting, invitee.email)
        return 0
    return 1


def when_and_where(meeting: Meeting) -> str:
    """ "Årstadals stadsdelsnämnd, sammanträde 1/2027 (2027-01-14), kl. 18.00, Årstadals …" for a reminder."""
    time = f", kl. {meeting.start_time:%H.%M}" if meeting.start_time else ""
    place = f", {meeting.place}" if meeting.place else ""
    return f"{describe(meeting)}{time}{place}"


def _send_reminder(row: NoticeRecipient | AgendaInvitee, meeting: Meeting, body: str, now: datetime.datetime) -> int:
    """One reminder, recorded on its row in the same transaction: a mail the server refuses is not recorded."""
    try:
        with transaction.atomic():
            type(row).objects.filter(pk=row.pk).update(reminded_at=now)
            EmailMessage(f"Påminnelse, kallelse: {describe(meeting)}", body, to=[row.email]).send()
    except Exception:
        logger.exception("Could not send the reminder of %s to %s", meeting, row.email)
        return 0
    return 1


def _remind_invitees(meeting: Meeting, now: datetime.datetime) -> int:
    pending = AgendaInvitee.objects.filter(
        agenda_item__meeting=meeting,
        agenda_item__withdrawn_at__isnull=True,
        sent_at__isnull=False,
        opened_at__isnull=True,
    ).select_related("agenda_item")
    sent = 0
    for invitee in pending:
        body = (
            f'Påminnelse: du är inbjuden som föredragande till punkten "{invitee.agenda_item.title}" vid '
            f"{when_and_where(meeting)}.\n\n"
            f"Punkten och dess offentliga handlingar:\n{link('reading:invitation', invitee.token)}{SIGNATURE}"
        )
        sent += _send_reminder(invitee, meeting, body, now)
    return sent


def record_invitation_open(token: str) -> AgendaInvitee | None:
    """The invitation a personal link names, its first opening recorded; None for an unknown or withdrawn one."""
    invitee = (
        AgendaInvitee.objects.select_related("agenda_item__meeting__committee")
        .filter(token=token, sent_at__isnull=False)
        .first()
    )
    if invitee is not None and invitee.opened_at is None:
        AgendaInvitee.objects.filter(pk=invitee.pk, opened_at__isnull=True).update(opened_at=timezone.now())
    return invitee


def remind(meeting: Meeting) -> int:
    """Remind those who have not opened the notice; returns how many reminders went out."""
    notice = sent_notice(meeting)
    if notice is None:
        raise ValidationError(_("Send the notice before reminding anyone of it."), code="not_sent")
    if not mail_configured():
        raise ValidationError(_("No mail server is configured, so the notice cannot be sent."), code="no_mail")
    sent = 0
    now = timezone.now()
    for copy in notice.recipients.filter(opened_at__isnull=True).select_related("person"):
        body = (
            f"Påminnelse: du är kallad till {when_and_where(meeting)}.\n\n"
            f"Föredragningslistan och handlingarna finns i läsrummet:\n{link('reading:notice-open', copy.token)}"
            f"{SIGNATURE}"
        )
        sent += _send_reminder(copy, meeting, body, now)
    sent += _remind_invitees(meeting, now)
    if sent:
        MeetingNotice.objects.filter(pk=notice.pk).update(reminded_at=now)
    return sent


def record_open(token: str) -> NoticeRecipient | None:
    """The copy a personal link names, its first opening recorded; None for an unknown link."""
    copy = NoticeRecipient.objects.select_related("notice__meeting").filter(token=token).first()
    if copy is not None and copy.opened_at is None:
        NoticeRecipient.objects.filter(pk=copy.pk, opened_at__isnull=True).update(opened_at=timezone.now())
    return copy


def send_due_notices(today: datetime.date | None = None) -> int:
    """The worker's part: send the notices planned for today or before, for meetings still to come."""
    if not mail_configured():
        return 0
    today = today or timezone.localdate()
    due = MeetingNotice.objects.filter(sent_at__isnull=True, send_on__lte=today, meeting__date__gte=today)
    sent = 0
    for notice in due.select_related("meeting__committee", "meeting__secretary"):
        try:
            sent += send_notice(notice.meeting)
        except ValidationError as error:
            logger.warning("The notice of %s was not sent: %s", notice.meeting, "; ".join(error.messages))
    return sent
