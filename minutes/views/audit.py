"""The audit trail of a meeting and of one §, for the secretariat and the registrars."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from committee.permissions import can_export_meeting
from minutes.audit import meeting_trail
from minutes.models import Meeting

PER_PAGE = 100


@login_required
def audit_trail(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_export_meeting(request.user, meeting):
        raise PermissionDenied
    item = get_object_or_404(meeting.items, number=number) if number is not None else None
    page = Paginator(meeting_trail(meeting, item), PER_PAGE).get_page(request.GET.get("sida"))
    return render(request, "minutes/audit_trail.html", {"meeting": meeting, "item": item, "page": page})
