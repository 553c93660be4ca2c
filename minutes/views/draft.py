"""The § editor while the secretary types: the draft saved on its own, and a preview of what is not saved yet.

Both take exactly what the § form would post. The draft is saved through `services.save_item`
with the form's `version` (the optimistic lock): a stale version is refused with 409 and nothing
is saved, so the page can show the conflict with both texts. The preview binds the same form to
the § as read, sets the valid fields on it in memory only, and renders it through the protocol
pipeline the editor uses; nothing is written. Both answer in JSON, errors in the user's language
keyed by the field's name in the form, so the page puts each message at its field.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee.bounds import NUMBER_MAX
from committee.permissions import can_edit_meeting, can_prepare_meeting
from minutes import forms, services
from minutes.completeness import item_checks
from minutes.views.editor import Editor, editor_meetings, saved_now


def field_errors(form) -> dict[str, list[str]]:
    """The form's errors by the name each field has in the page ("item-dnr"); "" for the form as a whole."""
    return {
        (form[name].html_name if name in form.fields else ""): [str(message) for message in messages]
        for name, messages in form.errors.items()
    }


def rendered(request: HttpRequest, editor: Editor) -> dict[str, str]:
    """The preview and the checklist of the § as the editor holds it, as the editor page shows them."""
    checks = item_checks(editor.view, editor.snapshot)
    return {
        "preview": editor.preview(),
        "checks": render_to_string("minutes/item_edit.html#checks", {"checks": checks}, request=request),
    }


@login_required
@require_POST
def item_draft(request: HttpRequest, pk: int, number: int) -> JsonResponse:
    """Save the § text as typed so far, unless someone else saved the § since the page had it."""
    meeting = get_object_or_404(editor_meetings(), pk=pk)
    if not can_edit_meeting(request.user, meeting):
        if can_prepare_meeting(request.user, meeting):
            return JsonResponse({"message": _("This meeting can no longer be changed.")}, status=403)
        raise PermissionDenied
    expected = forms.posted_number(request.POST, "version", high=NUMBER_MAX)
    if expected is None:
        return JsonResponse({"message": _("The form is missing the § version.")}, status=400)
    # The § with everything in it, read once before the save: the save refuses any change since (every
    # change to a § moves its version), so what is read and then saved is what is stored.
    editor = Editor.read(meeting, number)
    item = editor.item
    item.meeting = meeting
    form = editor.form("item", request.POST)
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            saved = services.save_item(item, expected_version=form.cleaned_data["version"], **fields)
        except services.StaleEdit as error:
            message = _("Someone else saved this § while you were editing. Your text was not saved.")
            return JsonResponse({"message": message, "version": error.current.version}, status=409)
        except ValidationError as error:
            form.add_service_errors(error)
    if form.errors:
        message = _("Not saved: correct the fields marked.")
        return JsonResponse({"message": message, "errors": field_errors(form)}, status=400)
    return JsonResponse(
        {
            "version": saved.version,
            "message": saved_now(),
            **rendered(request, editor),
        }
    )


@login_required
@require_POST
def item_preview(request: HttpRequest, pk: int, number: int) -> JsonResponse:
    """The § as it would read with the typed text: rendered, checked, never stored."""
    meeting = get_object_or_404(editor_meetings(), pk=pk)
    if not can_prepare_meeting(request.user, meeting):
        raise PermissionDenied
    editor = Editor.read(meeting, number)
    # The form sets its valid fields on the § read for this request only; the rest stay as stored.
    form = editor.form("item", request.POST)
    form.is_valid()
    return JsonResponse({"errors": field_errors(form), **rendered(request, editor)})
