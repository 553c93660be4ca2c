"""The secretary's workspace: meetings by committee, a meeting's §§ and its checklist."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from committee.bounds import NUMBER_MAX
from committee.models import Committee, Person
from committee.permissions import can_edit_meeting, can_prepare_meeting, serves_as_clerk, serves_as_secretary
from minutes import opening, services, todo
from minutes.completeness import item_checks, meeting_checks
from minutes.forms import MeetingForm, NewItemForm, posted_number
from minutes.models import Item, Meeting
from minutes.protocol.adjusted import snapshot_for
from minutes.reading.summons import summoned_meetings
from minutes.views.reading import reader_committees


def committee_list(request: HttpRequest) -> HttpResponse:
    """The start page ("Att göra"): what waits on the signed-in user in each role; visitors get the portal."""
    if not request.user.is_authenticated:
        return redirect("portal:start")
    today = timezone.localdate()
    sections = todo.sections(request.user, today=today)
    committees = todo.secretary_committees(request.user)
    context = {
        "committees": committees,
        "sections": sections,
        "reads": bool(reader_committees(request.user)),
        "summons": summoned_meetings(request.user, today=today),
    }
    return render(request, "minutes/committee_list.html", context)


@login_required
def committee_archive(request: HttpRequest, slug: str) -> HttpResponse:
    """Every meeting of a committee, for its secretaries and registrars, with the pages of each."""
    committee = get_object_or_404(Committee, slug=slug)
    if not (serves_as_secretary(request.user, committee) or serves_as_clerk(request.user, committee)):
        raise PermissionDenied
    meetings = committee.meetings.order_by("-date", "-number")
    years = [(year, list(group)) for year, group in groupby(meetings, key=lambda m: m.date.year)]
    context = {"committee": committee, "years": years, "secretary": serves_as_secretary(request.user, committee)}
    return render(request, "minutes/committee_archive.html", context)


def creator_as_secretary(request: HttpRequest, committee: Committee) -> Person | None:
    """The signed-in person, when they are one of the committee's secretaries (not merely an administrator)."""
    person = getattr(request.user, "person", None)
    if person is None or not committee.secretaries.filter(pk=request.user.pk).exists():
        return None
    return person


@login_required
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    committee = get_object_or_404(Committee, slug=slug)
    if not serves_as_secretary(request.user, committee):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(
                committee=committee, secretary=creator_as_secretary(request, committee), **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("date", message)
        else:
            return redirect("minutes:meeting-detail", meeting.pk)
    meetings = committee.meetings.order_by("-date", "-number")
    years = [(year, list(group)) for year, group in groupby(meetings, key=lambda m: m.date.year)]
    context = {"committee": committee, "years": years, "form": form}
    return render(request, "minutes/meeting_list.html", context, status=400 if form.errors else 200)


@login_required
def meeting_detail(request: HttpRequest, pk: int, new_item_form: NewItemForm | None = None) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    editable = can_edit_meeting(request.user, meeting)  # who may edit may prepare: one check for the usual case
    if not editable and not can_prepare_meeting(request.user, meeting):
        raise PermissionDenied
    snapshot = snapshot_for(meeting)
    items = [(item, item_checks(item, snapshot)) for item in snapshot.items]
    checks = meeting_checks(snapshot)
    return render(
        request,
        "minutes/meeting_detail.html",
        {
            "meeting": meeting,
            "snapshot": snapshot,
            "items": items,
            "meeting_checks": checks,
            "complete": not any(c.missing for c in checks) and not any(c.missing for _i, cs in items for c in cs),
            "editable": editable,
            # Agenda items still to become §§: the meeting page offers to make them (minutes.agenda.protocol).
            "agenda_to_make": editable
            and meeting.agenda_items.filter(item__isnull=True, withdrawn_at__isnull=True).count(),
            "new_item_form": new_item_form or NewItemForm(),
        },
        status=400 if new_item_form is not None else 200,
    )


@login_required
@require_POST
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a §, move one up or down, or remove one; the numbers follow the committee's scheme."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_edit_meeting(request.user, meeting):
        raise PermissionDenied
    action = request.POST.get("action")
    if action == "add":
        form = NewItemForm(request.POST)
        if not form.is_valid():
            return meeting_detail(request, pk, new_item_form=form)
        services.add_item(meeting, title=form.cleaned_data["title"])
    elif action == "opening":
        try:
            opening.write(meeting)
        except ValidationError as error:  # e.g. a § already immediately adjusted cannot be moved down
            for message in error.messages:
                messages.error(request, message)
    elif action in ("up", "down", "remove"):
        number = posted_number(request.POST, "number", high=NUMBER_MAX)
        if number is None:
            return HttpResponseBadRequest()
        item = get_object_or_404(Item, number=number, meeting=meeting)
        if action == "remove":
            services.remove_item(item)
        else:
            last = meeting.items.count()
            target = item.position + (1 if action == "down" else -1)
            if 1 <= target <= last:
                services.move_item(item, to_position=target)
    else:
        return HttpResponseBadRequest()
    return redirect("minutes:meeting-detail", meeting.pk)
