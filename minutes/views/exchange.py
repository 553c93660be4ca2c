"""A meeting imported from an exchange file (docs/exchange/) by the committee's secretary, all or nothing."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from committee.models import Committee
from committee.permissions import serves_as_secretary
from minutes.exchange import ExchangeError, Problem, import_meeting
from minutes.forms import MeetingImportForm


@login_required
def meeting_import(request: HttpRequest, slug: str) -> HttpResponse:
    """The file must be of this committee (by slug); the audit trail records the secretary as the importer."""
    committee = get_object_or_404(Committee, slug=slug)
    if not serves_as_secretary(request.user, committee):
        raise PermissionDenied
    form = MeetingImportForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        try:
            slug_in_file = _committee_slug(content)
            if slug_in_file is not None and slug_in_file != committee.slug:
                raise ExchangeError(
                    [
                        Problem(
                            "$.committee.slug",
                            _("The file is a meeting of the committee %(found)s, not of %(committee)s.")
                            % {"found": slug_in_file, "committee": committee.slug},
                        )
                    ]
                )
            meeting = import_meeting(content, by=request.user)
        except ExchangeError as error:
            problems = error.problems
            form.add_error("file", _("The file was not imported: nothing was changed. Correct the places listed."))
        else:
            messages.success(request, _("Meeting %(number)s imported as a draft.") % {"number": meeting.number})
            return redirect("minutes:meeting-detail", meeting.pk)
    context = {"committee": committee, "form": form, "problems": problems}
    return render(request, "minutes/meeting_import.html", context, status=400 if form.errors else 200)


def _committee_slug(content: bytes) -> str | None:
    """The slug the file names, read leniently: a file too broken to say is refused by the import itself."""
    try:
        slug = json.loads(content)["committee"]["slug"]
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
    return slug if isinstance(slug, str) else None
