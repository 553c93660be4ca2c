"""The public agenda: a meeting's public items and documents, before the protocol exists.

Everything here starts from `AgendaItem.objects.public()` and `AgendaDocument.objects.public()`:
a confidential or withdrawn item, and a confidential or replaced document, are not on the page
and their files are not at any public address (404, as for an id that never existed). The page writes
Dnr, dates and times as the committee's house style does (its labels.dnr and formats), like the notice.
"""

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from minutes.agenda.documents import download_name, read_document
from minutes.models import AgendaDocument, AgendaItem, Meeting, MeetingStatus
from minutes.protocol.snapshot import HouseStyle

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


COMING_HITS = 20  # the most coming agenda items a search lists above the published §§


def _matching(term) -> Q:
    """A public item whose title, preparing body, proposal or a public document's title holds the term."""
    text = term.literal if term.is_phrase or term.is_short else term.stem
    documents = AgendaDocument.objects.public().filter(agenda_item=OuterRef("pk"), title__icontains=text)
    return (
        Q(title__icontains=text)
        | Q(preparing__icontains=text)
        | Q(proposal__icontains=text)
        | Q(dnrs__contains=[term.literal])
        | Exists(documents)
    )


def coming_items_matching(query, filters) -> list[AgendaItem]:
    """The public items of coming agendas that match a portal search (`minutes.portal.search.Query`).

    Only `AgendaItem.objects.public()` is read, so a confidential or withdrawn item is never found, by its
    title or by anything else. Filters that only a held meeting has (party, person, vote, reservation)
    leave nothing here.
    """
    if not query or filters.party or filters.person or filters.has_vote or filters.has_reservation:
        return []
    items = AgendaItem.objects.public().filter(meeting__date__gte=timezone.localdate())
    items = items.exclude(meeting__status=MeetingStatus.ANNOUNCED)
    if filters.committee:
        items = items.filter(meeting__committee__slug=filters.committee)
    if filters.year:
        items = items.filter(meeting__date__year=filters.year)
    if filters.dnr:
        items = items.filter(dnrs__contains=[filters.dnr])
    for group in query.groups:
        matches = Q()
        for term in group:
            matches |= _matching(term)
        items = items.filter(matches)
    for term in query.excluded:
        items = items.exclude(_matching(term))
    ordered = items.select_related("meeting__committee").order_by("meeting__date", "meeting_id", "position")
    return list(ordered[:COMING_HITS])


def public_items(meeting: Meeting) -> list[AgendaItem]:
    documents = AgendaDocument.objects.public().order_by("date", "id")
    return list(
        meeting.agenda_items.public()
        .with_agenda_number()
        .order_by("position")
        .prefetch_related(Prefetch("documents", queryset=documents))
    )


def _meeting(committee: str, year: int, number: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("committee__house_style"),
        committee__slug=committee,
        date__year=year,
        number=number,
    )


def styled_agenda(meeting: Meeting, items: list[AgendaItem]) -> dict:
    """The meeting's date and time, and each item's Dnr line and documents' dates, in the committee's style."""
    style = HouseStyle.of(meeting.committee).compiled
    rows = [
        {
            "item": item,
            "dnr": style.render("label.dnr", dnr=item.dnr) if item.dnr else "",
            "documents": [(document, style.date(document.date)) for document in item.documents.all()],
        }
        for item in items
    ]
    return {"date": style.date(meeting.date), "time": style.time(meeting.start_time), "rows": rows}


@require_safe
def agenda(request: HttpRequest, committee: str, year: int, number: int) -> HttpResponse:
    meeting = _meeting(committee, year, number)
    items = public_items(meeting)
    if not items:
        raise Http404
    response = render(request, "portal/agenda.html", {"meeting": meeting, **styled_agenda(meeting, items)})
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
    response["Content-Disposition"] = content_disposition_header(
        bool(request.GET.get("download")), download_name(document)
    )
    response["ETag"] = f'"{document.sha256}"'
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
