"""Adjustment in the browser: the round's page, its actions, the clerk's export and the sealed files."""

import io
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee.bounds import NUMBER_MAX
from committee.permissions import can_announce_meeting, can_export_meeting, can_prepare_meeting, signer_person
from minutes import adjustment, deadlines, jobs
from minutes.exchange import export_meeting
from minutes.forms import AnnounceForm, ApprovalForm, ExtractChoiceForm, ReopenForm, posted_number
from minutes.models import (
    AdjustmentRound,
    Announcement,
    DocumentKind,
    Item,
    JobState,
    Meeting,
    MeetingStatus,
    RoundState,
    SealedDocument,
    SealingJob,
    TamperedFile,
)
from minutes.protocol.adjusted import snapshot_for
from minutes.protocol.render import Request, render_html


def is_signer(user, meeting: Meeting) -> bool:
    person = signer_person(user)
    return person is not None and any(p.pk == person.pk for p, _role in adjustment.signers(meeting))


def can_follow_adjustment(user, meeting: Meeting) -> bool:
    """The secretariat, the registrars and the signers themselves see the round."""
    return can_export_meeting(user, meeting) or is_signer(user, meeting)


@login_required
def my_adjustments(request: HttpRequest) -> HttpResponse:
    """The protocols waiting for the signed-in chair's or adjuster's approval."""
    person = signer_person(request.user)
    rounds = AdjustmentRound.objects.none()
    if person is not None:
        rounds = (
            AdjustmentRound.objects.filter(state=RoundState.OPEN)
            .filter(Q(meeting__chair=person) | Q(meeting__adjusters__person=person))
            .exclude(approvals__person=person)
            .select_related("meeting__committee", "item")
            .distinct()
        )
    return render(request, "minutes/my_adjustments.html", {"rounds": rounds})


@login_required
def adjustment_page(request: HttpRequest, pk: int, forms: dict | None = None) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("committee", "chair"), pk=pk)
    if not can_follow_adjustment(request.user, meeting):
        raise PermissionDenied
    rounds = list(
        meeting.adjustment_rounds.select_related("item", "opened_by", "closed_by")
        .prefetch_related("approvals__person", "documents")
        .order_by("-opened_at", "-id")
    )
    open_rounds = [r for r in rounds if r.state == RoundState.OPEN]
    person = signer_person(request.user)
    signers = adjustment.signers(meeting)
    today = timezone.localdate()
    announcements = {a.round_id: a for a in Announcement.objects.filter(meeting=meeting)}
    completed = [r for r in rounds if r.state == RoundState.COMPLETED]
    awaiting_notice = [r for r in completed if r.pk not in announcements]
    forms = forms or {}
    confirming = forms.get("confirm")
    snapshot = snapshot_for(meeting) if open_rounds else None  # gathered once for the text, its hash and the page
    context = {
        "meeting": meeting,
        "rounds": rounds,
        "open_rounds": [
            (
                r,
                [(p, role, next((a for a in r.approvals.all() if a.person_id == p.pk), None)) for p, role in signers],
                person is not None
                and any(p.pk == person.pk for p, _role in signers)
                and all(a.person_id != person.pk for a in r.approvals.all()),
                adjustment.version_of(r, snapshot),
            )
            for r in open_rounds
        ],
        # The signers read what they approve here, in the page, and confirm it by its date and hash.
        "protocol": render_html(snapshot, Request(kind="protocol", bare=True)) if snapshot else "",
        "confirm": (
            {
                "round": confirming[0],
                "disagreement": confirming[1],
                "version": adjustment.version_of(confirming[0], snapshot),
            }
            if confirming
            else None
        ),
        "awaiting_notice": [
            (r, deadlines.deadline_state(deadlines.announcement_deadline(r.adjusted_on), today))
            for r in awaiting_notice
        ],
        "announcements": list(announcements.values()),
        "adjustment_deadline": deadlines.deadline_state(deadlines.adjustment_deadline(meeting.date), today),
        "signers": signers,
        "can_send": can_prepare_meeting(request.user, meeting) and meeting.status == MeetingStatus.DRAFT,
        "can_reopen": can_prepare_meeting(request.user, meeting),
        "can_announce": can_announce_meeting(request.user, meeting),
        "can_export": can_export_meeting(request.user, meeting),
        "immediate_items": meeting.items.filter(immediately_adjusted=True)
        if meeting.status == MeetingStatus.DRAFT
        else Item.objects.none(),
        "approval_form": forms.get("approve") or ApprovalForm(),
        "reopen_form": forms.get("reopen") or ReopenForm(),
        "announce_form": forms.get("announce") or AnnounceForm(initial={"posted_on": today}),
        "errors": forms.get("errors", []),
        "sealing_shown": bool(completed),
        **sealing_context(meeting, request.user),
    }
    return render(request, "minutes/adjustment.html", context, status=400 if forms and not confirming else 200)


@login_required
@require_POST
def adjustment_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Send for adjustment, approve, reopen or announce; each checks its own role."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_follow_adjustment(request.user, meeting):  # an outsider learns nothing, whatever is posted
        raise PermissionDenied
    action = request.POST.get("action")
    item = None
    if request.POST.get("item"):
        number = posted_number(request.POST, "item", high=NUMBER_MAX)
        if number is None:
            return HttpResponseBadRequest()
        item = get_object_or_404(Item, meeting=meeting, number=number)
    if action in ("send", "reopen") and not can_prepare_meeting(request.user, meeting):
        raise PermissionDenied
    if action == "announce" and not can_announce_meeting(request.user, meeting):
        raise PermissionDenied
    if action == "approve" and not is_signer(request.user, meeting):
        raise PermissionDenied
    try:
        if action == "send":
            adjustment.send_for_adjustment(meeting, user=request.user, item=item)
            messages.success(request, _("The protocol was sent for adjustment and is locked."))
        elif action == "approve":
            form = ApprovalForm(request.POST)
            if not form.is_valid():
                return adjustment_page(request, pk, {"approve": form})
            round, disagreement = _round(meeting, request), form.cleaned_data["disagreement"]
            if not form.cleaned_data["sha256"]:  # first the signer confirms which version they approve
                return adjustment_page(request, pk, {"confirm": (round, disagreement)})
            adjustment.approve(
                round, user=request.user, disagreement=disagreement, seen_sha256=form.cleaned_data["sha256"]
            )
            messages.success(request, _("Your approval was recorded."))
        elif action == "reopen":
            form = ReopenForm(request.POST)
            if not form.is_valid():
                return adjustment_page(request, pk, {"reopen": form})
            adjustment.reopen(_round(meeting, request), user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The protocol was reopened; the approvals given so far are cancelled."))
        elif action == "announce":
            form = AnnounceForm(request.POST)
            if not form.is_valid():
                return adjustment_page(request, pk, {"announce": form})
            adjustment.announce(meeting, user=request.user, item=item, posted_on=form.cleaned_data["posted_on"])
            messages.success(request, _("The adjustment is announced on the notice board."))
        else:
            return HttpResponseBadRequest()
    except ValidationError as error:
        if action in ("reopen", "announce") and hasattr(error, "error_dict"):
            form = {"reopen": ReopenForm, "announce": AnnounceForm}[action](request.POST)
            form.is_valid()
            for field, errors in error.error_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            return adjustment_page(request, pk, {action: form})
        return adjustment_page(request, pk, {"errors": error.messages})
    return redirect("minutes:adjustment", meeting.pk)


def _round(meeting: Meeting, request: HttpRequest) -> AdjustmentRound:
    round_id = posted_number(request.POST, "round")
    if round_id is None:
        raise ValidationError(_("Choose the adjustment round."), code="no_round")
    return get_object_or_404(AdjustmentRound, pk=round_id, meeting=meeting)


# The registrar's export


@login_required
def export_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_export_meeting(request.user, meeting):
        raise PermissionDenied
    round = adjustment.completed_round(meeting)
    numbers = list(meeting.items.values_list("number", flat=True))
    form = ExtractChoiceForm(request.POST or None, numbers=numbers)
    if request.method == "POST":
        if round is None:
            raise Http404
        if form.is_valid():
            chosen = form.cleaned_data["numbers"]
            with transaction.atomic():  # queues what is neither sealed nor on its way
                jobs.seal_extracts(round, chosen)
            sealed = {tuple(d.numbers): d for d in round.documents.filter(kind=DocumentKind.EXTRACT)}
            documents = [sealed[(n,)] for n in chosen if (n,) in sealed]
            if len(documents) < len(chosen):  # the first time: a worker seals them, the page follows
                messages.info(request, _("The extracts are being sealed. Download them here when they are ready."))
                return redirect("minutes:export", meeting.pk)
            if form.cleaned_data["as_zip"] or len(documents) > 1:
                return _zip(meeting, documents)
            return _file_response(documents[0], attachment=True)
    announcement = Announcement.objects.filter(round=round).first() if round is not None else None
    certificate = (
        round.documents.filter(kind=DocumentKind.CERTIFICATE, numbers=[]).defer("snapshot").first()
        if announcement is not None
        else None
    )
    return render(
        request,
        "minutes/export.html",
        {
            "meeting": meeting,
            "round": round,
            "form": form,
            "announcement": announcement,
            "certificate": certificate,
            **sealing_context(meeting, request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


# Sealing, on a worker: its progress, and a retry after a failure


@login_required
def sealing(request: HttpRequest, pk: int) -> HttpResponse:
    """The sealed documents and the jobs still sealing, for the page to ask every few seconds."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_follow_adjustment(request.user, meeting):
        raise PermissionDenied
    return render(request, "minutes/_sealing.html", {"meeting": meeting, **sealing_context(meeting, request.user)})


@login_required
@require_POST
def sealing_retry(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_export_meeting(request.user, meeting):
        raise PermissionDenied
    job_id = posted_number(request.POST, "job")
    if job_id is None:
        return HttpResponseBadRequest()
    job = get_object_or_404(SealingJob, pk=job_id, round__meeting=meeting)
    if jobs.retry(job):
        messages.success(request, _("The sealing is queued again."))
    return redirect("minutes:adjustment", meeting.pk)


def sealing_context(meeting: Meeting, user) -> dict:
    """The meeting's sealed documents, and its jobs that are under way or failed."""
    shown = [
        job
        for job in SealingJob.objects.filter(round__meeting=meeting).order_by("created_at", "pk")
        if job.state != JobState.DONE
    ]
    return {
        "documents": SealedDocument.objects.filter(meeting=meeting).order_by("kind", "created_at", "id"),
        "jobs": [(job, job_status(job)) for job in shown],
        "polling": any(not job.settled for job in shown),
        "can_retry": can_export_meeting(user, meeting),
    }


def job_status(job: SealingJob) -> str:
    """What the job is doing, in words: "Protokollsutdrag § 12: förseglar (3 av 5)"."""
    if job.state == JobState.FAILED:
        return _("Sealing failed after %(attempts)s attempts: %(reason)s") % {
            "attempts": job.attempts,
            "reason": job.error,
        }
    if job.state == JobState.QUEUED:
        waiting = _("Queued, waiting for a worker (%(total)s documents).") % {"total": job.total}
        if job.error:
            waiting += " " + _("The last attempt failed: %(reason)s") % {"reason": job.error}
        return waiting
    kind = dict(DocumentKind.choices).get(job.document, "")
    what = f"{kind} § {job.number}" if job.number is not None and job.document == DocumentKind.EXTRACT else kind
    return _("%(document)s: %(step)s (%(done)s of %(total)s)") % {
        "document": what,
        "step": job.get_step_display().lower(),
        "done": job.done + 1,
        "total": job.total,
    }


@login_required
def exchange_file(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_export_meeting(request.user, meeting):
        raise PermissionDenied
    response = HttpResponse(export_meeting(meeting), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.committee.slug}-{meeting.date:%Y-%m-%d}.json"'
    return response


def sealed_file(request: HttpRequest, sha256: str) -> HttpResponse:
    """A sealed PDF: public once announced, before that for the secretariat, registrars and signers.

    A file that prints a confidential § in full stays with them after the announcement too; the
    public reads the public version instead.
    """
    found = SealedDocument.objects.select_related("meeting__committee", "round").defer("snapshot")
    document = get_object_or_404(found, sha256=sha256)
    public = document.has_confidential_text is False and Announcement.objects.filter(round=document.round).exists()
    if not public and not can_follow_adjustment(request.user, document.meeting):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    attachment = request.GET.get("download") == "1"
    response = _file_response(document, attachment=attachment)
    if attachment and response.status_code == 200:
        adjustment.record_archive_export(document, request.user)
    return response


def _file_response(document: SealedDocument, *, attachment: bool) -> HttpResponse:
    try:
        data = document.read_verified()
    except TamperedFile:
        return HttpResponse(
            _("The stored file no longer matches its recorded checksum and is not served. Tell the registrar."),
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    return FileResponse(
        io.BytesIO(data), as_attachment=attachment, filename=download_name(document), content_type="application/pdf"
    )


def download_name(document: SealedDocument) -> str:
    meeting = document.meeting
    suffix = "".join(f"-p{n}" for n in document.numbers)
    kind = {
        "protocol": "protokoll",
        "public": "protokoll-offentlig",
        "extract": "utdrag",
        "certificate": "anslagsbevis",
    }[document.kind]
    return f"{meeting.committee.slug}-{meeting.date:%Y-%m-%d}-{kind}{suffix}.pdf"


def _zip(meeting: Meeting, documents: list[SealedDocument]) -> HttpResponse:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for document in documents:
            try:
                archive.writestr(download_name(document), document.read_verified())
            except TamperedFile:
                return _file_response(document, attachment=True)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    name = f"{meeting.committee.slug}-{meeting.date:%Y-%m-%d}-utdrag.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
