"""The public agenda: a meeting's public items and documents, before the protocol exists.

Everything here starts from `AgendaItem.objects.public()` and `AgendaDocument.objects.public()`:
a confidential or withdrawn item, and a confidential or replaced document, are not on the page
and their files are not at any public address (404, as for an id that never existed).
"""

from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from minutes.agenda.documents import read_document
from minutes.models import AgendaDocument, AgendaItem, Meeting

MAX_AGE = 60  # the agenda changes until the meeting; a minute's staleness is harmless


def with_public_agenda(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.annotate(has_agenda=Exists(AgendaItem.objects.public().filter(meeting=OuterRef("pk"))))


def coming_meetings(committee_id: int) -> QuerySet[Meeting]:
    today = timezone.localdate()
    return with_public_agenda(Meeting.objects.filter(committee_id=committee_id, date__gte=today)).order_by(
        "date", "start_time"
    )


def agenda_stamp() -> str:
    """Changes whenever an agenda item or document changes anywhere: part of the listing pages' ETags."""
    item = AgendaItem.history.aggregate(last=Max("history_id"))["last"]
    document = AgendaDocument.history.aggregate(last=Max("history_id"))["last"]
    return f"{item}-{document}"


def public_items(meeting: Meeting) -> list[AgendaItem]:
    documents = AgendaDocument.objects.public().order_by("date", "id")
    return list(
        meeting.agenda_items.public().order_by("position").prefetch_related(Prefetch("documents", queryset=documents))
    )


def _meeting(committee: str, year: int, number: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("committee"), committee__slug=committee, date__year=year, number=number
    )


@require_safe
def agenda(request: HttpRequest, committee: str, year: int, number: int) -> HttpResponse:
    meeting = _meeting(committee, year, number)
    items = public_items(meeting)
    if not items:
        raise Http404
    response = render(request, "portal/agenda.html", {"meeting": meeting, "items": items})
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def agenda_document(request: HttpRequest, committee: str, year: int, number: int, pk: int) -> HttpResponse:
    """A public document's PDF; a confidential one, or one of a confidential item, is not here."""
    meeting = _meeting(committee, year, number)
    document = get_object_or_404(AgendaDocument.objects.public(), pk=pk, agenda_item__meeting=meeting)
    try:
        data = read_document(document)
    except OSError:
        raise Http404 from None
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="handling-{document.pk}.pdf"'
    response["ETag"] = f'"{document.sha256}"'
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
