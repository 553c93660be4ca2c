"""The meeting itself: who attended (with the quorum per §) and its own fields.

Both pages save through the services, which refuse anything that breaks a rule and change
nothing then; the page comes back with the messages at their fields and status 400.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, QuerySet, When
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.bounds import NUMBER_MAX
from committee.models import Membership, Person, Role
from committee.permissions import can_edit_meeting, can_prepare_meeting
from minutes import services
from minutes.forms import ABSENT, ItemTimesForm, MeetingDetailsForm, OtherPresentForm, RollFormSet, posted_number
from minutes.models import AttendanceFunction, Meeting
from minutes.protocol.snapshot import PersonRef, ProtocolSnapshot, build_snapshot

FUTURE_ITEMS = 30  # §§ beyond the last one that the roll offers before they exist


def in_order(ids: list[int]) -> QuerySet[Person]:
    """People with these ids, in this order (the order of the roll)."""
    order = Case(*[When(pk=pk, then=index) for index, pk in enumerate(ids)], output_field=IntegerField())
    return Person.objects.filter(pk__in=ids).order_by(order) if ids else Person.objects.none()


@dataclass(frozen=True)
class Quorum:
    """Whether the committee may decide: more than half its seats serving (KL 6:27)."""

    number: int | None  # the §, or None for the meeting as a whole
    heading: str
    serving: int
    seats: int
    needed: int

    @property
    def ok(self) -> bool:
        return self.serving >= self.needed


def quorum_per_item(snapshot: ProtocolSnapshot) -> list[Quorum]:
    return [
        Quorum(item.number, item.heading, len(item.serving), snapshot.seats, snapshot.quorum) for item in snapshot.items
    ]


def quorum_of_meeting(snapshot: ProtocolSnapshot, per_item: list[Quorum]) -> Quorum:
    """At the first §, or by the roll alone while the meeting has no §§."""
    if per_item:
        serving = per_item[0].serving
    else:
        serving = len({a.person.id for a in snapshot.attendance if a.function == AttendanceFunction.SERVING})
    return Quorum(None, "", serving, snapshot.seats, snapshot.quorum)


class Roll:
    """The roll screen's lines and choices, read with a fixed number of queries whatever the meeting's size."""

    def __init__(self, meeting: Meeting, snapshot: ProtocolSnapshot):
        self.meeting = meeting
        self.snapshot = snapshot
        memberships = list(
            Membership.objects.on(meeting.date)
            .filter(committee_id=meeting.committee_id)
            .select_related("person", "party")
            .order_by("position", "id")
        )
        voting = [m for m in memberships if m.role != Role.SUBSTITUTE]
        substitutes = [m for m in memberships if m.role == Role.SUBSTITUTE]
        labels: dict[int, str] = {}
        for membership in voting + substitutes:
            party = f" ({membership.party.abbreviation})" if membership.party else ""
            labels.setdefault(membership.person_id, membership.person.full_name + party)
        for entry in snapshot.attendance:
            labels.setdefault(entry.person.id, self.label(entry.person))
        # Officials who attended the committee before, so that they need not be typed in again.
        earlier = (
            Person.objects.filter(
                attendances__meeting__committee_id=meeting.committee_id,
                attendances__function=AttendanceFunction.OTHER,
            )
            .exclude(pk__in=labels.keys())
            .distinct()
        )
        for person in earlier:
            labels.setdefault(person.pk, person.full_name)
        self.names = labels
        self.people = sorted(labels.items(), key=lambda pair: pair[1])
        self.members = [(pk, labels[pk]) for pk in dict.fromkeys(m.person_id for m in voting)]
        self.numbers = [(item.number, f"§ {item.number}") for item in snapshot.items]
        # A late arrival or departure may be given by a § still to be added; it attaches when it is.
        after = max((item.number for item in snapshot.items), default=0)
        self.numbers += [
            (number, _("§ %(number)s (not yet added)") % {"number": number})
            for number in range(after + 1, after + 1 + FUTURE_ITEMS)
        ]
        self.lines = self.initial_lines(
            list(dict.fromkeys(m.person_id for m in voting)),
            list(dict.fromkeys(m.person_id for m in substitutes)),
        )

    @staticmethod
    def label(person: PersonRef) -> str:
        return f"{person.name} ({person.party})" if person.party else person.name

    def initial_lines(self, voting: list[int], substitutes: list[int]) -> list[dict]:
        """Every member, then every substitute, each with their lines or one marked absent; then others present."""
        lines: list[dict] = []
        by_person: dict[int, list[dict]] = {}
        for entry in self.snapshot.attendance:
            by_person.setdefault(entry.person.id, []).append(
                {
                    "person": entry.person.id,
                    "function": entry.function,
                    "replaces": entry.replaces.id if entry.replaces else None,
                    "from_item": entry.from_number,
                    "to_item": entry.to_number,
                    "from_time": entry.from_time,
                    "to_time": entry.to_time,
                    "title": entry.title,
                }
            )
        for group, ids in (("members", voting), ("substitutes", [pid for pid in substitutes if pid not in voting])):
            for person_id in ids:
                rows = by_person.pop(person_id, None) or [{"person": person_id, "function": ABSENT}]
                lines += [{**row, "group": group} for row in rows]
        for rows in by_person.values():
            lines += [{**row, "group": "others"} for row in rows]
        return lines

    def formset(self, data=None) -> RollFormSet:
        return RollFormSet(
            data,
            prefix="roll",
            initial=self.lines,
            people=self.people,
            members=self.members,
            numbers=self.numbers,
            names=self.names,
        )


def roll_rows(formset: RollFormSet) -> tuple[list[services.RollRow], list[int]]:
    """The lines that put someone on the roll, as the service takes them, and the form each came from."""
    entries = formset.entries()
    ids = {data["person"] for _index, data in entries} | {data["replaces"] for _index, data in entries}
    people = Person.objects.in_bulk([pk for pk in ids if pk is not None])
    rows = [
        services.RollRow(
            person=people[data["person"]],
            function=data["function"],
            replaces=people.get(data["replaces"]) if data["replaces"] else None,
            from_number=data["from_item"],
            to_number=data["to_item"],
            from_time=data["from_time"],
            to_time=data["to_time"],
            title=data["title"],
        )
        for _index, data in entries
    ]
    return rows, [index for index, _data in entries]


def posted_version(request: HttpRequest) -> int | None:
    return posted_number(request.POST, "version", high=NUMBER_MAX)


def post_roll(request: HttpRequest, meeting: Meeting, roll: Roll) -> RollFormSet | None:
    """Save the posted roll: None when saved, else the formset with the errors at their lines.

    A roll loaded before someone else's change would undo it, so it is refused before it is read.
    """
    if posted_version(request) != meeting.version:
        raise services.StaleMeeting(meeting)
    formset = roll.formset(request.POST)
    if formset.is_valid():
        rows, indices = roll_rows(formset)
        try:
            services.save_roll(meeting, rows=rows, expected_version=meeting.version)
        except ValidationError as error:
            formset.add_service_errors(error, indices)
        else:
            return None
    return formset


def post_other(request: HttpRequest, meeting: Meeting) -> OtherPresentForm | None:
    """Add someone else present: None when added, else the form with its errors. Adding overwrites nothing."""
    form = OtherPresentForm(request.POST, prefix="other")
    if form.is_valid():
        try:
            services.add_other_present(meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return None
    return form


def item_times_form(meeting: Meeting, data=None) -> ItemTimesForm:
    items = meeting.items.order_by("position").values_list("number", "title", "started_at")
    return ItemTimesForm(data, prefix="times", items=list(items))


def post_times(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Save when the §§ started; the roll's lines given by time attach to them."""
    form = item_times_form(meeting, request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Give the times as hh:mm."))
    try:
        services.set_item_times(meeting, times=form.times())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The times of the §§ are saved."))
    return redirect("minutes:attendance", meeting.pk)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll on one screen, with the quorum for the meeting and for every §."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_prepare_meeting(request.user, meeting):
        raise PermissionDenied
    snapshot = build_snapshot(meeting)
    roll = Roll(meeting, snapshot)
    formset = roll.formset()
    add_form = OtherPresentForm(prefix="other")
    status = 200
    if request.method == "POST":
        if not can_edit_meeting(request.user, meeting):
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "times":
            return post_times(request, meeting)
        if action not in ("roll", "other") or (action == "roll" and posted_version(request) is None):
            return HttpResponseBadRequest(_("Unknown action."))
        try:
            invalid = post_roll(request, meeting, roll) if action == "roll" else post_other(request, meeting)
        except services.StaleMeeting:
            status = 409  # the page shows the roll as it is now
        else:
            if invalid is None:
                messages.success(request, _("The roll is saved."))
                return redirect("minutes:attendance", meeting.pk)
            if action == "roll":
                formset = invalid
            else:
                add_form = invalid
            status = 400
    per_item = quorum_per_item(snapshot)
    return render(
        request,
        "minutes/attendance.html",
        {
            "meeting": meeting,
            "editable": can_edit_meeting(request.user, meeting),
            "formset": formset,
            "add_form": add_form,
            "stale": status == 409,
            "quorum": quorum_of_meeting(snapshot, per_item),
            "per_item": per_item,
            "not_quorate": [q.number for q in per_item if not q.ok],
            "times_form": item_times_form(meeting),
        },
        status=status,
    )


def meeting_details_form(request: HttpRequest, meeting: Meeting, snapshot: ProtocolSnapshot, data=None):
    """The chair and adjusters come from who serves; the secretary from the roll and earlier meetings."""
    serving = list(dict.fromkeys(a.person.id for a in snapshot.attendance if a.function == AttendanceFunction.SERVING))
    present = list(dict.fromkeys(a.person.id for a in snapshot.attendance))
    earlier_secretaries = Meeting.objects.filter(committee_id=meeting.committee_id, secretary__isnull=False)
    secretaries = present + [
        pk
        for pk in [
            meeting.secretary_id,
            getattr(getattr(request.user, "person", None), "pk", None),
            *earlier_secretaries.values_list("secretary", flat=True).distinct(),
        ]
        if pk is not None and pk not in present
    ]
    chairs = serving + ([meeting.chair_id] if meeting.chair_id and meeting.chair_id not in serving else [])
    adjusters = [a.id for a in snapshot.adjusters]
    initial = {
        "version": meeting.version,
        "date": meeting.date,
        "start_time": meeting.start_time,
        "end_time": meeting.end_time,
        "place": meeting.place,
        "chair": meeting.chair_id,
        "secretary": meeting.secretary_id,
        "adjusters": adjusters,
        "adjustment_at": meeting.adjustment_at,
        "adjustment_time": (
            timezone.localtime(meeting.adjustment_at).time()
            if meeting.adjustment_at and not meeting.adjustment_date_only
            else None
        ),
        "adjustment_place": meeting.adjustment_place,
        "adjustment_date_only": meeting.adjustment_date_only,
    }
    return MeetingDetailsForm(
        data,
        initial=initial,
        chairs=in_order(chairs),
        secretaries=in_order(list(dict.fromkeys(secretaries))),
        adjusters=in_order(serving + [pk for pk in adjusters if pk not in serving]),
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Date, time, place, chair, secretary, adjusters and the time and place of adjustment."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_prepare_meeting(request.user, meeting):
        raise PermissionDenied
    snapshot = build_snapshot(meeting)
    form = meeting_details_form(request, meeting, snapshot)
    status, stale = 200, False
    if request.method == "POST":
        if not can_edit_meeting(request.user, meeting):
            raise PermissionDenied
        form = meeting_details_form(request, meeting, snapshot, request.POST)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            version = fields.pop("version")
            try:
                services.save_meeting_details(meeting, expected_version=version, **fields)
            except services.StaleMeeting:
                stale = True
                form = meeting_details_form(request, meeting, snapshot)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The meeting is saved."))
                return redirect("minutes:meeting-detail", meeting.pk)
        status = 409 if stale else 400
    return render(
        request,
        "minutes/meeting_edit.html",
        {"meeting": meeting, "editable": can_edit_meeting(request.user, meeting), "form": form, "stale": stale},
        status=status,
    )
