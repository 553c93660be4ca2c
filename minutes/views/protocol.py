"""The protocol as a document: the full protocol, one §, or an extract, as HTML, text or PDF."""

import datetime
import hashlib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from committee.headers import allow_own_styles
from committee.permissions import can_prepare_meeting
from minutes import jobs
from minutes.models import JobState, Meeting, Preview
from minutes.protocol.adjusted import snapshot_for
from minutes.protocol.preview import protocol_html
from minutes.protocol.render import Request, render_html, render_text
from minutes.views.adjustment import can_follow_adjustment

CONTENT_TYPES = {"html": "text/html; charset=utf-8", "txt": "text/plain; charset=utf-8", "pdf": "application/pdf"}


@login_required
def protocol_document(
    request: HttpRequest, pk: int, fmt: str, number: int | None = None, kind: str = "protocol"
) -> HttpResponse:
    """Preview for the secretariat; `?version=public` gives the web version."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    # The signers read the official version they are asked to approve.
    if not (can_prepare_meeting(request.user, meeting) or can_follow_adjustment(request.user, meeting)):
        raise PermissionDenied
    if fmt not in CONTENT_TYPES:
        raise Http404
    public = request.GET.get("version") == "public"
    if fmt == "pdf" and number is None and kind == "protocol":
        return _whole_protocol_pdf(request, meeting, public=public)
    snapshot = snapshot_for(meeting)  # as adjusted, once it is
    if number is not None and number not in {item.number for item in snapshot.items}:
        raise Http404
    doc = Request(
        kind=kind, numbers=(number,) if number is not None else (), public=public, certified_on=datetime.date.today()
    )
    if fmt == "txt":
        body: str | bytes = render_text(snapshot, doc)
    else:
        body = render_html(snapshot, doc)
        if fmt == "pdf":
            from minutes.protocol.pdf import html_to_pdf

            body = html_to_pdf(body)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    if fmt == "html":
        allow_own_styles(response)  # the document's print stylesheet is inline
    else:
        name = f"{meeting.committee.slug}-{meeting.date:%Y-%m-%d}" + (f"-p{number}" if number else "")
        response["Content-Disposition"] = f'inline; filename="{name}{"-public" if public else ""}.{fmt}"'
    return response


def _whole_protocol_pdf(request: HttpRequest, meeting: Meeting, *, public: bool) -> HttpResponse:
    """Printing a whole protocol takes seconds: a worker does it, and the page waits for it."""
    html = protocol_html(meeting, public=public)
    preview = jobs.ask_preview(meeting.pk, public=public, digest=hashlib.sha256(html.encode()).hexdigest())
    if preview.state == JobState.DONE:
        name = f"{meeting.committee.slug}-{meeting.date:%Y-%m-%d}{'-public' if public else ''}.pdf"
        with preview.file.open("rb") as handle:
            response = HttpResponse(handle.read(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
    return render(request, "minutes/preview.html", {"meeting": meeting, "preview": preview}, status=202)


@login_required
def preview_state(request: HttpRequest, pk: int, preview: int) -> HttpResponse:
    """Whether the preview is printed yet: the waiting page asks every two seconds."""
    found = get_object_or_404(Preview.objects.select_related("meeting__committee"), pk=preview, meeting_id=pk)
    if not (can_prepare_meeting(request.user, found.meeting) or can_follow_adjustment(request.user, found.meeting)):
        raise PermissionDenied
    return render(request, "minutes/_preview_state.html", {"meeting": found.meeting, "preview": found})
