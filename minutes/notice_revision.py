"""The agenda changed after the notice went out: what changed, and the revised notice (ändrad kallelse).

The notice is rendered anew whenever it is shown, so once items are added, withdrawn, reordered or
changed, or documents added or replaced, what the members hold by e-mail is out of date. The agenda
as it was when the notice (or its last revision) went out is read back from the audit trail's
historical rows and compared with the agenda now. The revised notice goes to everyone who had the
notice, with the list of changes and their personal link; those on the roll who never had it get the
notice itself (`notice.send_notice`).
"""

import datetime
import logging

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from minutes import notice as notices
from minutes.models import AgendaDocument, AgendaItem, Meeting, MeetingNotice
from minutes.notifications import SIGNATURE, describe, link, mail_configured

logger = logging.getLogger(__name__)


def _compared() -> tuple[tuple[str, str], ...]:
    """The fields of an item whose change the members are told of, with their Swedish names."""
    return (
        ("title", pgettext("agenda change", "title")),
        ("dnrs", pgettext("agenda change", "Dnr")),
        ("preparing", pgettext("agenda change", "preparing body")),
        ("proposal", pgettext("agenda change", "proposal for decision")),
        ("confidential", pgettext("agenda change", "confidentiality")),
    )


def since(notice: MeetingNotice) -> datetime.datetime:
    """When the members last had the agenda: the notice's sending, or its last revision."""
    return notice.revised_at or notice.sent_at


def agenda_then(meeting: Meeting, moment: datetime.datetime) -> dict[int, AgendaItem]:
    """The meeting's agenda items as they were at `moment`, by id (deleted ones left out)."""
    latest: dict[int, object] = {}
    rows = AgendaItem.history.filter(meeting_id=meeting.pk, history_date__lte=moment).order_by(
        "history_date", "history_id"
    )
    for row in rows:
        latest[row.id] = row
    return {pk: row for pk, row in latest.items() if row.history_type != "-"}


def agenda_changes(meeting: Meeting, moment: datetime.datetime) -> list[str]:
    """What changed in the agenda and its documents after `moment`, one Swedish line each, in agenda order."""
    before = agenda_then(meeting, moment)
    now = list(meeting.agenda_items.order_by("position", "id"))
    lines: list[str] = []
    for item in now:
        old = before.get(item.pk)
        if item.withdrawn_at is not None:
            if old is not None and old.withdrawn_at is None:
                lines.append(_("Withdrawn: %(title)s") % {"title": item.title})
            continue
        if old is None or old.withdrawn_at is not None:
            lines.append(_("New item: %(title)s") % {"title": item.title})
            continue
        what = [name for field, name in _compared() if getattr(old, field) != getattr(item, field)]
        if what:
            lines.append(_("Changed: %(title)s (%(what)s)") % {"title": item.title, "what": ", ".join(what)})
    current = {item.pk for item in now}
    for pk, old in before.items():
        if pk not in current and old.withdrawn_at is None:
            lines.append(_("Removed: %(title)s") % {"title": old.title})
    kept_now = [item.pk for item in now if item.withdrawn_at is None and item.pk in before]
    kept_then = sorted(kept_now, key=lambda pk: before[pk].position)
    if kept_now != kept_then:
        lines.append(_("The items are in a new order."))
    documents = (
        AgendaDocument.objects.current()
        .filter(agenda_item__meeting=meeting, agenda_item__withdrawn_at__isnull=True, uploaded_at__gt=moment)
        .select_related("agenda_item")
        .order_by("agenda_item__position", "date", "id")
    )
    for document in documents:
        item = document.agenda_item
        # As in the notice: a confidential document is not named in an e-mail.
        title = _("a confidential document") if document.confidential or item.confidential else document.title
        if document.previous_id is None:
            lines.append(_("New document under %(item)s: %(title)s") % {"item": item.title, "title": title})
        else:
            lines.append(_("New version under %(item)s: %(title)s") % {"item": item.title, "title": title})
    return lines


def pending_changes(meeting: Meeting) -> list[str]:
    """The changes the members have not been told of; [] before the notice is sent."""
    notice = notices.sent_notice(meeting)
    return agenda_changes(meeting, since(notice)) if notice is not None else []


def send_revised_notice(meeting: Meeting, *, by: AbstractBaseUser | None = None) -> int:
    """Send the revised notice to everyone who had the notice, and the notice to those who never had it;
    returns how many mails went out."""
    notice = notices.sent_notice(meeting)
    if notice is None:
        raise ValidationError(_("Send the notice before sending a revised one."), code="not_sent")
    if not mail_configured():
        raise ValidationError(_("No mail server is configured, so the notice cannot be sent."), code="no_mail")
    moment = since(notice)
    changes = agenda_changes(meeting, moment)
    if not changes:
        raise ValidationError(_("The agenda has not changed since the notice went out."), code="unchanged")
    snapshot = notices.notice_snapshot(meeting)
    text = notices.render_notice(snapshot, "text")
    attachment = notices.notice_pdf(snapshot)
    listed = "\n".join(f"- {line}" for line in changes)
    now = timezone.now()
    sent = 0
    for copy in notice.recipients.order_by("id"):
        body = (
            f"Kallelsen till {notices.when_and_where(meeting)} är ändrad.\n\n"
            f"Ändringar sedan {timezone.localtime(moment):%Y-%m-%d %H.%M}:\n{listed}\n\n{text}\n\n"
            f"Läs föredragningslistan och handlingarna i läsrummet (din personliga länk):\n"
            f"{link('reading:notice-open', copy.token)}{SIGNATURE}"
        )
        message = EmailMessage(f"Ändrad kallelse: {describe(meeting)}", body, to=[copy.email])
        message.attach(notices.pdf_name(meeting), attachment, "application/pdf")
        try:
            message.send()
        except Exception:  # the others still get theirs; the page says how many went out
            logger.exception("Could not send the revised notice of %s to %s", meeting, copy.email)
            continue
        sent += 1
    with transaction.atomic():
        if sent:
            notice.revised_at, notice.revised_by = now, by
            notice.save(update_fields=["revised_at", "revised_by"])
        sent += notices.send_notice(meeting, by=by)  # members new on the roll, officials new on the agenda
    return sent
