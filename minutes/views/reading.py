"""The members' reading room: the coming meetings of one's committees, their agendas and case documents,
and private notes on each document. Built for a phone: one page per meeting, one tap per document.

Members and substitutes of the committee (and its secretaries) read here; to anyone else a meeting or
document does not exist (404). A confidential item's documents, and confidential documents, need a
second factor (TOTP, django-otp) in this session; without it the document answers the page that asks
for the code. A note is its writer's alone: every query for notes is filtered by the signed-in user.
"""

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from committee.models import Committee, Membership
from committee.permissions import can_read_agenda
from minutes import notice as notices
from minutes.models import AgendaDocument, DocumentNote, Meeting
from minutes.reading.summons import summoned_meetings
from minutes.views.agenda import document_response
from minutes.views.second_factor import code_page

NOTE_MAX = 10000


def reader_committees(user) -> list[Committee]:
    """The committees whose agendas the user reads: where they sit now or later, or serve as secretary."""
    today = timezone.localdate()
    person = getattr(user, "person", None)
    query = Q(secretaries=user)
    if person is not None:
        sitting = Membership.objects.filter(person=person).filter(Q(end__isnull=True) | Q(end__gte=today))
        query |= Q(pk__in=sitting.values("committee_id"))
    return list(Committee.objects.filter(query).distinct().order_by("name"))


def needs_second_factor(document: AgendaDocument) -> bool:
    return document.confidential or document.agenda_item.confidential


def verified(request: HttpRequest) -> bool:
    return request.user.is_verified()


@login_required
def reading_home(request: HttpRequest) -> HttpResponse:
    """The coming meetings of the reader's committees; those they are summoned to say so, first."""
    committees = reader_committees(request.user)
    today = timezone.localdate()
    summons = summoned_meetings(request.user, today=today)
    summoned = {entry.meeting.pk for entry in summons}
    meetings = [
        meeting
        for meeting in Meeting.objects.filter(committee__in=committees, date__gte=today)
        .select_related("committee")
        .order_by("date", "start_time", "pk")
        if meeting.pk not in summoned
    ]
    context = {"committees": committees, "summons": summons, "meetings": meetings}
    response = render(request, "reading/home.html", context)
    response["Cache-Control"] = "private, no-cache"  # kept by the service worker for offline reading
    return response


def _readable_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_read_agenda(request.user, meeting):
        raise Http404
    return meeting


@login_required
def reading_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _readable_meeting(request, pk)
    documents = AgendaDocument.objects.current().order_by("date", "id")
    agenda = list(
        meeting.agenda_items.filter(withdrawn_at__isnull=True).prefetch_related(
            Prefetch("documents", queryset=documents)
        )
    )
    notes = {
        note.document_id: note
        for note in DocumentNote.objects.filter(user=request.user, document__agenda_item__meeting=meeting)
    }
    # Every version's predecessor, so that a replaced document shows its history and keeps the
    # reader's note written on an earlier version.
    versions = {
        document.pk: document
        for document in AgendaDocument.objects.filter(agenda_item__meeting=meeting).only(
            "pk", "previous_id", "title", "date", "uploaded_at"
        )
    }
    notice = notices.sent_notice(meeting)
    has_second_factor = verified(request)
    rows = []
    for number, item in enumerate(agenda, start=1):
        entries = []
        for document in item.documents.all():
            locked = (document.confidential or item.confidential) and not has_second_factor
            older = _older_versions(document, versions)
            note, note_on = None, None
            if not locked:
                note, note_on = _latest_note(document, older, notes)
            entries.append(
                {
                    "document": document,
                    "locked": locked,
                    "note": note,
                    "note_on_version": note_on,
                    "version": len(older) + 1,
                    "older": older,
                    "after_notice": bool(older and notice and document.uploaded_at > notice.sent_at),
                }
            )
        rows.append({"number": number, "item": item, "documents": entries})
    context = {
        "meeting": meeting,
        "rows": rows,
        "verified": has_second_factor,
        "note_max": NOTE_MAX,
    }
    response = render(request, "reading/meeting.html", context)
    # Without the second factor the page holds nothing the notice's e-mail does not, besides the
    # reader's own notes on public documents: the service worker may keep it for offline reading.
    # With it, confidential proposals show, and nothing may keep the page.
    response["Cache-Control"] = "private, no-store" if has_second_factor else "private, no-cache"
    return response


def _older_versions(document: AgendaDocument, versions: dict[int, AgendaDocument]) -> list[AgendaDocument]:
    """The document's earlier versions, newest first."""
    older, previous = [], document.previous_id
    while previous is not None and previous in versions:
        older.append(versions[previous])
        previous = versions[previous].previous_id
    return older


def _latest_note(
    document: AgendaDocument, older: list[AgendaDocument], notes: dict[int, DocumentNote]
) -> tuple[DocumentNote | None, int | None]:
    """The reader's note on this version, else the one on the newest earlier version that has one (and
    that version's number): a note follows the document when it is replaced."""
    if document.pk in notes:
        return notes[document.pk], None
    for index, version in enumerate(older):
        if version.pk in notes:
            return notes[version.pk], len(older) - index
    return None, None


def _readable_document(request: HttpRequest, document_pk: int) -> AgendaDocument:
    document = get_object_or_404(
        AgendaDocument.objects.select_related("agenda_item__meeting__committee"), pk=document_pk
    )
    if not can_read_agenda(request.user, document.agenda_item.meeting):
        raise Http404
    return document


@login_required
def reading_document(request: HttpRequest, document_pk: int) -> HttpResponse:
    """One tap: the PDF inline. A confidential one asks for the second factor first."""
    document = _readable_document(request, document_pk)
    if needs_second_factor(document) and not verified(request):
        return second_factor_page(request, next_url=request.get_full_path(), status=403)
    response = document_response(document)
    response["Cache-Control"] = "private, no-store" if needs_second_factor(document) else "private, max-age=3600"
    return response


@login_required
@require_POST
def reading_note(request: HttpRequest, document_pk: int) -> HttpResponse:
    """Save the reader's own note on a document; an empty note removes it."""
    document = _readable_document(request, document_pk)
    meeting = document.agenda_item.meeting
    if needs_second_factor(document) and not verified(request):
        return second_factor_page(request, next_url=reverse("reading:meeting", args=[meeting.pk]), status=403)
    text = request.POST.get("text", "").replace("\x00", "").strip()[:NOTE_MAX]
    if text:
        DocumentNote.objects.update_or_create(user=request.user, document=document, defaults={"text": text})
    else:
        DocumentNote.objects.filter(user=request.user, document=document).delete()
    return redirect(f"{reverse('reading:meeting', args=[meeting.pk])}#doc-{document.pk}")


def notice_open(request: HttpRequest, token: str) -> HttpResponse:
    """A recipient's personal link: its first use is recorded, then the reading room (after signing in)."""
    copy = notices.record_open(token)
    if copy is None:
        raise Http404
    return redirect("reading:meeting", copy.notice.meeting_id)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invited official's link: the one item they present and its public documents, nothing else.

    No sign-in: the unguessable token is the key, so the page shows only what the public agenda may
    show of that item (a confidential item by its title and ground, without documents or proposal).
    """
    invitee = notices.record_invitation_open(token)
    if invitee is None:
        raise Http404
    item = invitee.agenda_item
    documents = list(item.documents.public().order_by("date", "id")) if item.is_public else []
    context = {"invitee": invitee, "item": item, "meeting": item.meeting, "documents": documents}
    response = render(request, "reading/invitation.html", context)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"  # the token is in the address
    return response


def invitation_document(request: HttpRequest, token: str, document_pk: int) -> HttpResponse:
    """A public document of the invited official's item; any other document does not exist at this address."""
    invitee = notices.record_invitation_open(token)
    if invitee is None:
        raise Http404
    document = get_object_or_404(AgendaDocument.objects.public(), pk=document_pk, agenda_item=invitee.agenda_item)
    response = document_response(document)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def second_factor_page(request: HttpRequest, *, next_url: str, status: int = 200) -> HttpResponse:
    return code_page(request, next_url=next_url, status=status)


def reading_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /las/ so that its scope is the reading room."""
    path = finders.find("reading-worker.js")
    if path is None:
        raise Http404
    response = HttpResponse(Path(path).read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
