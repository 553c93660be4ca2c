"""The secretary's agenda page: items, their order and documents, and the button that makes the §§.

Only the committee's secretaries see it; only a draft meeting changes. A document's file is
served to them alone here (the public reads public documents through the portal): to anyone
else the address does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from committee.permissions import can_edit_meeting, can_prepare_meeting
from minutes import notice_revision
from minutes.agenda import items as agenda_items
from minutes.agenda import protocol as agenda_protocol
from minutes.agenda.convert import office_converter
from minutes.agenda.documents import (
    deletable,
    delete_document,
    download_name,
    handed_out,
    max_bytes,
    read_document,
    store_document,
)
from minutes.agenda.forms import AgendaItemForm, DocumentForm, InviteeForm, ReplaceForm
from minutes.forms import posted_number
from minutes.models import AgendaDocument, AgendaInvitee, AgendaItem, Meeting


def _meeting_for(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_prepare_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def _agenda(meeting: Meeting) -> list[AgendaItem]:
    documents = AgendaDocument.objects.current().order_by("date", "id")
    return list(meeting.agenda_items.select_related("item").prefetch_related(Prefetch("documents", queryset=documents)))


@login_required
def agenda_page(request: HttpRequest, pk: int, *, form: AgendaItemForm | None = None) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    editable = can_edit_meeting(request.user, meeting)
    if form is None:
        form = AgendaItemForm(initial={"added_at_meeting": timezone.localdate() >= meeting.date})
    agenda = _agenda(meeting)
    numbers = agenda_items.agenda_numbers(agenda)
    for item in agenda:
        item.agenda_number = numbers.get(item.pk)
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "editable": editable,
        "form": form,
        "to_make": sum(1 for item in agenda if item.item_id is None and not item.withdrawn),
        "unannounced": len(notice_revision.pending_changes(meeting)) if meeting.date >= timezone.localdate() else 0,
    }
    return render(request, "minutes/agenda.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    if not can_edit_meeting(request.user, meeting):
        raise PermissionDenied
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        return agenda_page(request, pk, form=form)
    try:
        agenda_item = agenda_items.add_agenda_item(meeting, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return agenda_page(request, pk, form=form)
    messages.success(request, _("Added item %(position)s: %(title)s.") % vars(agenda_item))
    return redirect("minutes:agenda-item", meeting.pk, agenda_item.pk)


@login_required
@require_POST
def agenda_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an item up or down, withdraw or restore it, add the opening items, or make the §§."""
    meeting = _meeting_for(request, pk)
    if not can_edit_meeting(request.user, meeting):
        raise PermissionDenied
    action = request.POST.get("action")
    try:
        if action in ("up", "down", "withdraw"):
            agenda_id = posted_number(request.POST, "item")
            if agenda_id is None:
                return HttpResponseBadRequest()
            agenda_item = get_object_or_404(AgendaItem, pk=agenda_id, meeting=meeting)
            if action == "withdraw":
                agenda_item = agenda_items.withdraw_agenda_item(agenda_item)
                if agenda_item.withdrawn:
                    messages.success(request, _("Withdrew %(title)s.") % vars(agenda_item))
                else:
                    messages.success(request, _("Restored %(title)s to the agenda.") % vars(agenda_item))
            else:
                agenda_items.move_agenda_item(agenda_item, by=-1 if action == "up" else 1)
        elif action == "opening":
            agenda_items.add_opening_items(meeting)
        elif action == "make-items":
            outcome = agenda_protocol.make_items(meeting)
            messages.success(request, _outcome_message(outcome))
            return redirect("minutes:meeting-detail", meeting.pk)
        else:
            return HttpResponseBadRequest()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("minutes:agenda-page", meeting.pk)


def _outcome_message(outcome: agenda_protocol.Outcome) -> str:
    parts = [
        ngettext("%(count)s § made from the agenda.", "%(count)s §§ made from the agenda.", len(outcome.created))
        % {"count": len(outcome.created)}
    ]
    if outcome.already:
        parts.append(
            ngettext("%(count)s item was a § already.", "%(count)s items were §§ already.", len(outcome.already))
            % {"count": len(outcome.already)}
        )
    if outcome.withdrawn:
        parts.append(
            _("Withdrawn, so not made: %(titles)s.") % {"titles": "; ".join(item.title for item in outcome.withdrawn)}
        )
    return " ".join(parts)


@login_required
def agenda_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """One agenda item: its details and its documents, with their versions."""
    meeting = _meeting_for(request, pk)
    agenda_item = get_object_or_404(AgendaItem.objects.select_related("item"), pk=item_pk, meeting=meeting)
    editable = can_edit_meeting(request.user, meeting)
    form = AgendaItemForm(initial=AgendaItemForm.initial_of(agenda_item))
    document_form, replace_forms = DocumentForm(prefix="doc"), {}
    invitee_form = InviteeForm(prefix="inv")
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        what = request.POST.get("form")
        if what == "item":
            form = AgendaItemForm(request.POST)
            if form.is_valid():
                try:
                    agenda_items.save_agenda_item(agenda_item, **form.cleaned_data)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("The item is saved."))
                    return redirect("minutes:agenda-item", meeting.pk, agenda_item.pk)
        elif what == "document":
            document_form = DocumentForm(request.POST, request.FILES, prefix="doc")
            if document_form.is_valid() and _store(request, agenda_item, document_form):
                return redirect("minutes:agenda-item", meeting.pk, agenda_item.pk)
        elif what == "replace":
            replaces = get_object_or_404(
                AgendaDocument, pk=posted_number(request.POST, "document") or 0, agenda_item=agenda_item
            )
            replace = ReplaceForm(request.POST, request.FILES, prefix=f"r{replaces.pk}")
            replace_forms[replaces.pk] = replace
            if replace.is_valid() and _store(request, agenda_item, replace, replaces=replaces):
                return redirect("minutes:agenda-item", meeting.pk, agenda_item.pk)
        elif what == "delete-document":
            document = get_object_or_404(
                AgendaDocument, pk=posted_number(request.POST, "document") or 0, agenda_item=agenda_item
            )
            try:
                delete_document(document)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The document %(title)s is removed.") % {"title": document.title})
            return redirect("minutes:agenda-item", meeting.pk, agenda_item.pk)
        elif what == "invitee":
            invitee_form = InviteeForm(request.POST, prefix="inv")
            if invitee_form.is_valid():
                try:
                    invitee = agenda_items.add_invitee(agenda_item, **invitee_form.cleaned_data)
                except ValidationError as error:
                    invitee_form.add_error(None, error)
                else:
                    messages.success(request, _("%(name)s is invited to present the item.") % {"name": invitee.name})
                    return redirect("minutes:agenda-item", meeting.pk, agenda_item.pk)
        elif what == "uninvite":
            invitee = get_object_or_404(
                AgendaInvitee, pk=posted_number(request.POST, "invitee") or 0, agenda_item=agenda_item
            )
            try:
                agenda_items.remove_invitee(invitee)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The invitation of %(name)s is taken back.") % {"name": invitee.name})
            return redirect("minutes:agenda-item", meeting.pk, agenda_item.pk)
        else:
            return HttpResponseBadRequest()
    documents = list(agenda_item.documents.select_related("uploaded_by", "previous").order_by("date", "id"))
    current = [document for document in documents if not any(d.previous_id == document.pk for d in documents)]
    older = {document.pk: _versions(document, documents) for document in current}
    handed_out_at = handed_out(meeting)
    rows = [
        (
            document,
            older[document.pk],
            replace_forms.get(document.pk) or ReplaceForm(prefix=f"r{document.pk}"),
            deletable(document, handed_out_at),
        )
        for document in current
    ]
    invalid = (
        form.errors or document_form.errors or invitee_form.errors or any(f.errors for f in replace_forms.values())
    )
    context = {
        "meeting": meeting,
        "agenda_item": agenda_item,
        "editable": editable,
        "form": form,
        "document_form": document_form,
        "documents": rows,
        "invitee_form": invitee_form,
        "invitees": list(agenda_item.invitees.order_by("id")),
        "max_mb": max_bytes() // (1024 * 1024),
        "office_converter": office_converter(),
    }
    return render(request, "minutes/agenda_item.html", context, status=400 if invalid else 200)


def _versions(document: AgendaDocument, documents: list[AgendaDocument]) -> list[AgendaDocument]:
    """The earlier versions of a document, newest first."""
    by_pk = {d.pk: d for d in documents}
    older, previous = [], document.previous_id
    while previous is not None and previous in by_pk:
        older.append(by_pk[previous])
        previous = by_pk[previous].previous_id
    return older


def _store(request, agenda_item: AgendaItem, form, *, replaces: AgendaDocument | None = None) -> bool:
    data = form.cleaned_data
    try:
        document = store_document(
            agenda_item,
            upload=data["file"],
            title=data.get("title") or replaces.title,
            date=data["date"],
            confidential=data["confidential"] if replaces is None else replaces.confidential,
            by=request.user,
            replaces=replaces,
        )
    except ValidationError as error:
        at_file = not hasattr(error, "error_dict") and error.code != "not_editable"
        form.add_error("file" if at_file else None, error.messages)
        return False
    except OSError as error:  # the storage refused it: nothing was kept
        form.add_error("file", str(error))
        return False
    messages.success(request, _("The document %(title)s is stored.") % {"title": document.title})
    return True


def agenda_document_file(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """A document's PDF for the committee's secretaries; to anyone else this address does not exist."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_prepare_meeting(request.user, meeting):
        raise Http404
    document = get_object_or_404(AgendaDocument, pk=document_pk, agenda_item__meeting=meeting)
    return document_response(document)


def document_response(document: AgendaDocument) -> HttpResponse:
    try:
        data = read_document(document)
    except OSError:
        raise Http404 from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, download_name(document))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if not document.is_public else "public, max-age=300"
    return response
