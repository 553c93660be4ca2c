"""The demo committee's coming meeting, with an agenda, its case documents (small PDFs) and one confidential item,
an official invited to present the budget, and the notice recorded as sent a day ago."""

import datetime
import html

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from committee.models import ROLE_TITLES, Membership
from minutes.agenda.documents import store_document
from minutes.agenda.items import add_agenda_item, add_invitee, add_opening_items
from minutes.models import Adjuster, AgendaDocument, AgendaInvitee, AgendaItem, Meeting, MeetingNotice, NoticeRecipient
from minutes.protocol.pdf import html_to_pdf

COMING_IN_DAYS = 12

# title, Dnr, prepared by, proposal, confidential ground, public heading, [(document title, days before, confidential)]
AGENDA = [
    (
        "Verksamhetsplan och budget 2027",
        ["1.1-301/2026"],
        "Ekonomiavdelningen",
        "Stadsdelsnämnden godkänner förslaget till verksamhetsplan och budget för 2027.\n\n"
        "Stadsdelsnämnden överlämnar beslutet till kommunstyrelsen.",
        "",
        "",
        [("Tjänsteutlåtande", 14, False), ("Bilaga 1. Förslag till verksamhetsplan 2027", 14, False)],
    ),
    (
        "Trafiksäkerhet vid Årstaskolan. Svar på medborgarförslag",
        ["1.2-288/2026", "1.2-290/2026"],
        "Avdelningen för stadsmiljö, Anna Ek",
        "Stadsdelsnämnden överlämnar förvaltningens tjänsteutlåtande som svar på medborgarförslagen.",
        "",
        "",
        [("Tjänsteutlåtande", 10, False), ("Medborgarförslag", 60, False)],
    ),
    (
        "Ansökan om bistånd i form av boende",
        ["3.2-1044/2026"],
        "Avdelningen för individ- och familjeomsorg",
        "Stadsdelsnämnden beviljar bistånd enligt förvaltningens förslag.",
        "OSL 26 kap. 1 §",
        "Individärende enligt socialtjänstlagen",
        [("Utredning", 8, True)],
    ),
    (
        "Anmälan av delegationsbeslut",
        [],
        "",
        "Stadsdelsnämnden lägger anmälan av delegationsbeslut till handlingarna.",
        "",
        "",
        [],
    ),
]


# The official who presents the budget: (item title, name, address).
PRESENTER = ("Verksamhetsplan och budget 2027", "Maria Lind, controller", "maria.lind@example.invalid")
OPENED = 3  # how many of the first recipients on the roll have opened the notice


def document_pdf(title: str, agenda_title: str, committee: str, day: datetime.date) -> bytes:
    """A one-page PDF that reads like a case document: who, what and when."""
    body = (
        f"<h1>{html.escape(title)}</h1><p>{html.escape(committee)}</p><p>Ärende: {html.escape(agenda_title)}</p>"
        f"<p>Datum: {day:%Y-%m-%d}</p><p>Demonstrationshandling skapad av Paragraf.</p>"
    )
    return html_to_pdf(
        f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
        f"<body>{body}</body></html>",
        archival=False,
    )


@transaction.atomic
def add_coming_meeting(earlier: Meeting, *, today: datetime.date) -> Meeting:
    """A meeting in twelve days with its agenda built, as the secretary leaves it before the notice."""
    committee = earlier.committee
    date = today + datetime.timedelta(days=COMING_IN_DAYS)
    number = Meeting.objects.filter(committee=committee, date__year=date.year).count() + 1
    meeting = Meeting.objects.create(
        committee=committee,
        number=number,
        date=date,
        start_time=datetime.time(18, 0),
        place=earlier.place,
        chair=earlier.chair,
        secretary=earlier.secretary,
        adjustment_place=earlier.adjustment_place,
    )
    for adjuster in earlier.adjusters.all():
        Adjuster.objects.create(meeting=meeting, person=adjuster.person, position=adjuster.position)
    secretary = get_user_model().objects.filter(username="helena.wik").first()
    add_opening_items(meeting)
    for title, dnrs, preparing, proposal, ground, heading, documents in AGENDA:
        item = add_agenda_item(
            meeting,
            title=title,
            dnrs=dnrs,
            preparing=preparing,
            proposal=proposal,
            confidential=bool(ground),
            secrecy_ground=ground,
            public_heading=heading,
        )
        for document_title, days_before, confidential in documents:
            day = date - datetime.timedelta(days=days_before)
            data = document_pdf(document_title, title, committee.name, day)
            store_document(
                item,
                upload=SimpleUploadedFile(f"{document_title}.pdf", data, content_type="application/pdf"),
                title=document_title,
                date=day,
                confidential=confidential,
                by=secretary,
            )
        if title == PRESENTER[0]:
            add_invitee(item, name=PRESENTER[1], email=PRESENTER[2])
    notice = record_sent_notice(meeting, by=secretary, today=today)
    built_before(meeting, notice.sent_at - datetime.timedelta(hours=1))
    return meeting


def built_before(meeting: Meeting, moment: datetime.datetime) -> None:
    """The demo builds the agenda now, as the secretary did before the notice went out: its recorded times
    move to before the notice, so that nothing shows as changed since the members had it."""
    items = AgendaItem.objects.filter(meeting=meeting)
    items.update(created_at=moment)
    AgendaItem.history.filter(meeting_id=meeting.pk).update(history_date=moment, created_at=moment)
    AgendaDocument.objects.filter(agenda_item__in=items).update(uploaded_at=moment)
    AgendaDocument.history.filter(agenda_item_id__in=items.values("pk")).update(history_date=moment, uploaded_at=moment)


def record_sent_notice(meeting: Meeting, *, by, today: datetime.date) -> MeetingNotice:
    """The notice as sent yesterday morning to every member and substitute and the invited official.

    Recorded, not mailed: the demo has no mail server, and its people have no real addresses
    (those without an account are listed at an example.invalid one). The first few have opened it.
    """
    sent_at = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time(9)))
    notice = MeetingNotice.objects.create(meeting=meeting, sent_at=sent_at, sent_by=by)
    memberships = (
        Membership.objects.on(meeting.date)
        .filter(committee=meeting.committee)
        .select_related("person__user")
        .order_by("position", "id")
    )
    seen = set()
    for membership in memberships:
        person = membership.person
        if person.pk in seen:
            continue
        seen.add(person.pk)
        user = person.user
        email = (
            user.email
            if user is not None and user.email
            else (f"{slugify(person.first_name)}.{slugify(person.last_name)}@example.invalid")
        )
        opened = sent_at + datetime.timedelta(hours=2 + len(seen)) if len(seen) <= OPENED else None
        NoticeRecipient.objects.create(
            notice=notice,
            person=person,
            email=email,
            role=ROLE_TITLES[membership.role],
            sent_at=sent_at,
            opened_at=opened,
        )
    AgendaInvitee.objects.filter(agenda_item__meeting=meeting).update(
        sent_at=sent_at, opened_at=sent_at + datetime.timedelta(hours=5)
    )
    return notice
