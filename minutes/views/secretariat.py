"""The secretary's workspace: meetings by committee, a meeting's §§ and its checklist."""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from committee.models import Committee
from committee.permissions import can_edit_meeting, can_prepare_meeting, serves_as_secretary
from minutes.completeness import item_checks, meeting_checks
from minutes.models import Meeting
from minutes.protocol.snapshot import build_snapshot


@login_required
def committee_list(request: HttpRequest) -> HttpResponse:
    committees = Committee.objects.all() if request.user.is_superuser else request.user.committees_served.all()
    return render(request, "minutes/committee_list.html", {"committees": committees})


@login_required
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    committee = get_object_or_404(Committee, slug=slug)
    if not serves_as_secretary(request.user, committee):
        raise PermissionDenied
    meetings = committee.meetings.order_by("-date", "-number")
    years = [(year, list(group)) for year, group in groupby(meetings, key=lambda m: m.date.year)]
    return render(request, "minutes/meeting_list.html", {"committee": committee, "years": years})


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_prepare_meeting(request.user, meeting):
        raise PermissionDenied
    snapshot = build_snapshot(meeting)
    items = [(item, item_checks(item, snapshot)) for item in snapshot.items]
    return render(
        request,
        "minutes/meeting_detail.html",
        {
            "meeting": meeting,
            "snapshot": snapshot,
            "items": items,
            "meeting_checks": meeting_checks(snapshot),
            "complete": all(c.ok for c in meeting_checks(snapshot)) and all(c.ok for _i, cs in items for c in cs),
            "editable": can_edit_meeting(request.user, meeting),
        },
    )
