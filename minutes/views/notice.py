"""The secretary's notice page: the notice as it reads, sending it now or on a day, reminders, who opened it.

Only the committee's secretaries see it. The notice itself is served as HTML, text and PDF from
the same pipeline as the protocol.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from committee.headers import allow_own_styles
from committee.models import Committee
from committee.permissions import can_prepare_meeting, serves_as_secretary
from minutes import notice as notices
from minutes import notice_revision
from minutes.models import AgendaInvitee, Meeting, MeetingNotice


class ScheduleForm(forms.Form):
    send_on = forms.DateField(label=gettext_lazy("Send on"), widget=forms.DateInput(attrs={"type": "date"}))


class RuleForm(forms.Form):
    """This meeting's own rule; empty follows the committee's."""

    notice_days = forms.IntegerField(
        label=gettext_lazy("Days before this meeting"),
        min_value=0,
        max_value=60,
        required=False,
        help_text=gettext_lazy("Leave empty to follow the committee's rule."),
    )


class CommitteeRuleForm(forms.Form):
    notice_days = forms.IntegerField(
        label=gettext_lazy("Days before the meeting"),
        min_value=0,
        max_value=60,
        help_text=gettext_lazy(
            "How many days before a meeting its notice goes out. A meeting may have its own rule on its notice page."
        ),
    )


def _meeting_for(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("committee__house_style", "secretary"), pk=pk)
    if not can_prepare_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def _notice(meeting: Meeting) -> MeetingNotice | None:
    return MeetingNotice.objects.filter(meeting=meeting).first()


@login_required
def notice_page(
    request: HttpRequest, pk: int, *, form: ScheduleForm | None = None, rule: RuleForm | None = None
) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    notice = _notice(meeting)
    today = timezone.localdate()
    if form is None:
        planned = notice.send_on if notice is not None and notice.send_on else max(today, notices.due_on(meeting))
        form = ScheduleForm(initial={"send_on": min(planned, meeting.date)})
    copies = list(notice.recipients.select_related("person").order_by("id")) if notice is not None else []
    got = {copy.person_id for copy in copies}
    roll = notices.recipients(meeting)
    unaddressed = [m for m in roll if m.person_id not in got and (m.person.user is None or not m.person.user.email)]
    # Who "send" would reach once the notice is out: members new on the roll, officials new on the agenda.
    waiting = len({m.person_id for m in roll if m.person_id not in got} - {m.person_id for m in unaddressed})
    waiting += notices.uninvited(meeting).count()
    context = {
        "meeting": meeting,
        "notice": notice,
        "copies": copies,
        "opened": sum(1 for copy in copies if copy.opened_at),
        "unaddressed": unaddressed,
        "waiting": waiting,
        "roll": len(roll),
        "body": notices.render_notice(notices.notice_snapshot(meeting), "html", bare=True),
        "due": notices.due_on(meeting),
        "check": notices.notice_check(meeting, today),
        "form": form,
        "rule": rule or RuleForm(initial={"notice_days": meeting.notice_days}),
        "committee_days": meeting.committee.notice_days,
        "invitees": list(
            AgendaInvitee.objects.filter(agenda_item__meeting=meeting, agenda_item__withdrawn_at__isnull=True)
            .select_related("agenda_item")
            .order_by("agenda_item__position", "id")
        ),
        "coming": meeting.date >= today,
        "changes": notice_revision.pending_changes(meeting),
        "revised_since": notice_revision.since(notice) if notice is not None and notice.sent else None,
    }
    invalid = form.errors or (rule is not None and rule.errors)
    return render(request, "minutes/notice.html", context, status=400 if invalid else 200)


@login_required
@require_POST
def notice_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the notice now, plan it for a day, or remind those who have not opened it."""
    meeting = _meeting_for(request, pk)
    action = request.POST.get("action")
    if meeting.date < timezone.localdate():
        messages.error(request, _("The meeting has been held: no notice goes out for it."))
        return redirect("minutes:notice", meeting.pk)
    try:
        if action == "send":
            sent = notices.send_notice(meeting, by=request.user)
            messages.success(
                request,
                ngettext("The notice went to %(count)s person.", "The notice went to %(count)s people.", sent)
                % {"count": sent},
            )
        elif action == "schedule":
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                return notice_page(request, pk, form=form)
            try:
                notices.schedule_notice(meeting, send_on=form.cleaned_data["send_on"])
            except ValidationError as error:
                form.add_error("send_on", error)
                return notice_page(request, pk, form=form)
            messages.success(
                request,
                _("The notice goes out on %(day)s.") % {"day": form.cleaned_data["send_on"].isoformat()},
            )
        elif action == "rule":
            rule = RuleForm(request.POST)
            if not rule.is_valid():
                return notice_page(request, pk, rule=rule)
            notices.set_notice_days(meeting, rule.cleaned_data["notice_days"])
            messages.success(request, _("The rule is saved."))
        elif action == "remind":
            sent = notices.remind(meeting)
            messages.success(
                request,
                ngettext("%(count)s reminder sent.", "%(count)s reminders sent.", sent) % {"count": sent},
            )
        elif action == "revise":
            sent = notice_revision.send_revised_notice(meeting, by=request.user)
            messages.success(
                request,
                ngettext(
                    "The revised notice went to %(count)s person.", "The revised notice went to %(count)s people.", sent
                )
                % {"count": sent},
            )
        else:
            return HttpResponseBadRequest()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("minutes:notice", meeting.pk)


@login_required
def notice_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    snapshot = notices.notice_snapshot(meeting)
    if fmt == "pdf":
        response = HttpResponse(notices.notice_pdf(snapshot), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{notices.pdf_name(meeting)}"'
    elif fmt == "html":
        response = HttpResponse(notices.render_notice(snapshot, "html"), content_type="text/html; charset=utf-8")
        allow_own_styles(response)  # the document's print stylesheet is inline, as in the protocol's
    elif fmt == "txt":
        response = HttpResponse(notices.render_notice(snapshot, "text"), content_type="text/plain; charset=utf-8")
    else:
        raise Http404
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def committee_notice_rule(request: HttpRequest, slug: str) -> HttpResponse:
    """The committee's rule for how many days before a meeting its notice goes out, for its secretaries."""
    committee = get_object_or_404(Committee, slug=slug)
    if not serves_as_secretary(request.user, committee):
        raise PermissionDenied
    form = CommitteeRuleForm(request.POST or None, initial={"notice_days": committee.notice_days})
    if request.method == "POST" and form.is_valid():
        notices.set_committee_notice_days(committee, form.cleaned_data["notice_days"])
        messages.success(request, _("The rule is saved."))
        return redirect("minutes:committee-notice-rule", committee.slug)
    own = committee.meetings.filter(notice_days__isnull=False, date__gte=timezone.localdate()).order_by("date")
    context = {"committee": committee, "form": form, "own": own}
    return render(request, "minutes/notice_rule.html", context, status=400 if form.errors else 200)
