"""The § editor: every part of a § on one page, each change saved at once, the protocol beside it.

Each form posts here with an `action`; the view saves through the services (which check the
rules in the same transaction) and answers with the editor again — only its panel for htmx,
the whole page otherwise. A stale `version` (someone else saved the § meanwhile) is refused.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import replace
from functools import cached_property

from crispy_forms.utils import render_crispy_form
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, When
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from committee.bounds import NUMBER_MAX
from committee.models import Person
from committee.permissions import can_edit_meeting, can_prepare_meeting
from minutes import forms, services, voting
from minutes.attendance import present_ids
from minutes.completeness import item_checks
from minutes.models import (
    AttendanceFunction,
    Item,
    Meeting,
    MeetingStatus,
    Motion,
    MotionKind,
    Proposition,
    Recusal,
    Reservation,
    RoundState,
    Statement,
)
from minutes.protocol import phrases
from minutes.protocol.adjusted import adjusted_protocol
from minutes.protocol.document import item_document
from minutes.protocol.render import Request, render_html
from minutes.protocol.snapshot import ItemSnapshot, MeetingRows, ProtocolSnapshot, read_meeting, snapshot_of

FORM_ACTIONS = ("item", "motion", "proposition", "recusal", "reservation", "statement")
ADD_FORMS = FORM_ACTIONS[1:]
PARTS = {
    "motion": Motion,
    "proposition": Proposition,
    "recusal": Recusal,
    "reservation": Reservation,
    "statement": Statement,
}
WORDED = ("motion", "proposition", "recusal", "reservation")  # the parts whose sentence may be worded anew


def in_order(ids: list[int]):
    """People with these ids, in this order (the order of the roll)."""
    if not ids:
        return Person.objects.none()
    order = Case(*[When(pk=pk, then=i) for i, pk in enumerate(ids)], output_field=IntegerField())
    return Person.objects.filter(pk__in=ids).order_by(order)


def offer(field, rows: list) -> None:
    """Let a model choice field render these rows, in this order, without asking the database again.

    The labels and values are the field's own, exactly as its queryset would give them; the
    queryset still decides what a submitted value may be.
    """
    choice = field.iterator(field).choice
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = empty + [choice(row) for row in rows]


class RenderedFields:
    """The add-forms' fields as HTML, kept in this process for the last few hundred states of a §.

    An add-form's fields change only with what they offer (the people on the roll, the §'s
    motions, with their names) and the language: saving the § text changes none of them, and
    rendering them is most of a response's time. The key holds all of that, so any change
    renders anew; a form with errors is never kept. With DEBUG nothing is kept, so that a
    changed template shows at once in development.
    """

    def __init__(self, size: int = 256):
        self.size = size
        self.html: OrderedDict[tuple, str] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, render: Callable[[], str]) -> str:
        if settings.DEBUG:
            return render()
        with self.lock:
            if key in self.html:
                self.html.move_to_end(key)
                return self.html[key]
        html = render()
        with self.lock:
            self.html[key] = html
            while len(self.html) > self.size:
                self.html.popitem(last=False)
        return html


rendered_fields = RenderedFields()


class Editor:
    """The § being edited, with the choices its forms offer, read fresh for each response.

    `Editor.read` reads the § with everything in it at once (the 14 queries of a snapshot);
    an `Editor(item)` reads on first use, so binding the § text form reads nothing more. The
    preview, the checks, the forms' choices and the parts' sentences all come from that one
    read of this one §.
    """

    def __init__(self, item: Item):
        self.item = item

    @classmethod
    def read(cls, meeting: Meeting, number: int) -> "Editor":
        """The editor of § `number` as stored now: the § itself comes with the read of its parts.

        `meeting` is used as given: read it from `editor_meetings()`.
        """
        rows = read_meeting(meeting, numbers=(number,), fresh=False)
        if not rows.items:
            raise Http404
        editor = cls(rows.items[0])
        editor.rows = rows
        return editor

    @cached_property
    def rows(self) -> MeetingRows:
        return read_meeting(self.item.meeting_id, numbers=(self.item.number,))

    @cached_property
    def snapshot(self) -> ProtocolSnapshot:
        """The § as read; once the protocol is adjusted, as adjusted (the rows are the same, the names may not be)."""
        frozen = adjusted_protocol(self.rows.meeting)  # no query for a draft
        if frozen is None:
            return snapshot_of(self.rows)
        items = tuple(i for i in frozen.snapshot.items if i.number == self.item.number)
        return replace(frozen.snapshot, items=items)

    @cached_property
    def view(self) -> ItemSnapshot:
        return next(i for i in self.snapshot.items if i.position == self.item.position)

    def parts(self, kind: str) -> list:
        """This §'s rows of one kind (motions, propositions, ...), as read for the snapshot."""
        return getattr(self.rows, kind).get(self.item.pk, [])

    @cached_property
    def roll(self) -> dict[str, list[int]]:
        """The ids each form offers, in roll order: who serves, who may recuse, who may step in, who is there."""
        presences = self.rows.presences
        position = self.item.position
        serving = [p.id for p in self.view.serving]
        recused = [r.person.id for r in self.view.recusals]
        present = present_ids(presences, position)
        return {
            "serving": serving,
            "members": serving + [pid for pid in recused if pid not in serving],
            "substitutes": [
                p.person_id for p in presences if p.function == AttendanceFunction.NON_SERVING and p.covers(position)
            ],
            "present": [p.person_id for p in presences if p.person_id in present],
        }

    @cached_property
    def people(self) -> dict[str, list[Person]]:
        """The people of `roll`, from the roll and recusals read; each list as `in_order` would give it."""
        found = {row.person_id: row.person for row in self.rows.attendance}
        for recusal in self.parts("recusals"):
            found.setdefault(recusal.person_id, recusal.person)
            if recusal.substitute:
                found.setdefault(recusal.substitute_id, recusal.substitute)
        return {role: [found[pid] for pid in dict.fromkeys(ids) if pid in found] for role, ids in self.roll.items()}

    @cached_property
    def present(self) -> list[Person]:
        """Who is in the room for this §, in the order of the roll: those the § may name as its speakers.

        Read from the rows alone, not the snapshot: the draft and the preview bind the § form before
        the snapshot is made from the text they set on the § in memory.
        """
        here = present_ids(self.rows.presences, self.item.position)
        found = {row.person_id: row.person for row in self.rows.attendance if row.person_id in here}
        return list(found.values())

    @cached_property
    def motions(self) -> list[Motion]:
        motions = self.parts("motions")
        for motion in motions:
            motion.item = self.item  # a motion's str() names its §: no query for it
        return motions

    @cached_property
    def offered(self) -> tuple:
        """Everything the add-forms' fields are made of besides the code: the key to their rendered HTML."""
        people = tuple((role, tuple((p.pk, p.full_name, str(p)) for p in rows)) for role, rows in self.people.items())
        labels = self.motion_labels()
        motions = tuple((m.pk, labels.get(m.pk), str(m)) for m in self.motions)
        vote = self.vote_offer
        return (get_language(), people, motions, tuple(vote["voters"]), vote["decisions"], vote["sides"])

    @cached_property
    def vote_offer(self) -> dict:
        """What the vote form shows beside the names: parties, whose seat, what each side's win decides."""
        decisions = voting.decisions(self.view, self.snapshot)
        sides = tuple((motion, tuple(parties)) for motion, parties in sorted(voting.sides(self.view).items()))
        return {
            "voters": voting.voters(self.view, self.snapshot),
            "decisions": tuple(sorted(decisions.items())),
            "sides": sides,
        }

    def motion_labels(self) -> dict[int, str]:
        return {m.id: f"{dict(MotionKind.choices)[m.kind]} – {phrases.names(m.movers)}" for m in self.view.motions}

    def form(self, action: str, data=None) -> BaseForm:
        """The form of one part, bound to `data` if given, offering this §'s choices."""
        if action == "item":

            def speakers() -> list[tuple[int, str]]:
                """Offered lazily: a save of the § text with no speaker ticked reads no roll for them."""
                return [(person.pk, person.full_name) for person in self.present]

            return forms.ItemForm(data, prefix=action, instance=self.item, speakers=speakers)
        motions = Motion.objects.filter(item=self.item).order_by("position", "id")
        roll, people = self.roll, self.people
        if action == "motion":
            form = forms.MotionForm(data, prefix=action, serving=in_order(roll["serving"]))
            offers = {"movers": people["serving"], "with_others": people["serving"]}
        elif action == "proposition":
            labels = self.motion_labels()
            # The form only lists who serves, for a ballot each: the people read already will do.
            serving = people["serving"]
            form = forms.PropositionForm(
                data, prefix=action, motions=motions, serving=serving, labels=labels, **self.vote_offer
            )
            offers = {"outcome": self.motions, "yes_motion": self.motions, "no_motion": self.motions}
        elif action == "recusal":
            form = forms.RecusalForm(
                data, prefix=action, members=in_order(roll["members"]), substitutes=in_order(roll["substitutes"])
            )
            offers = {"person": people["members"], "substitute": people["substitutes"]}
        elif action == "reservation":
            labels = self.motion_labels()
            form = forms.ReservationForm(
                data, prefix=action, took_part=in_order(roll["serving"]), motions=motions, labels=labels
            )
            offers = {"members": people["serving"], "in_favour_of": self.motions}
        elif action == "statement":
            form = forms.StatementForm(data, prefix=action, present=in_order(roll["present"]))
            offers = {"authors": people["present"]}
        else:
            raise KeyError(action)
        for name, rows in offers.items():
            offer(form.fields[name], rows)
        return form

    def fields(self, action: str, bound: BaseForm | None = None) -> str:
        """An add-form's fields as HTML: the form with errors if given, else the empty form, rendered once."""
        if bound is not None:
            return render_crispy_form(bound)
        return rendered_fields.get((action, *self.offered), lambda: render_crispy_form(self.form(action)))

    def preview(self) -> str:
        return render_html(self.snapshot, Request(kind="fragment", numbers=(self.view.number,)))

    def sentences(self) -> dict:
        """Each part's generated sentence, for the 'own wording' fields."""
        document = item_document(self.view, self.snapshot)
        style = self.snapshot.style
        chair = self.snapshot.chair_id
        return {
            "document": document,
            "motions": [
                (row, phrases.motion_sentence(data, self.view, style, chair))
                for row, data in zip(self.motions, self.view.motions, strict=True)
            ],
            "propositions": [
                (row, " ".join(phrases.procedure_sentences(data, self.view, style)))
                for row, data in zip(self.parts("propositions"), self.view.propositions, strict=True)
            ],
            "recusals": [
                (row, phrases.recusal_sentence(data, style))
                for row, data in zip(self.parts("recusals"), self.view.recusals, strict=True)
            ],
            "reservations": [
                (row, phrases.reservation_sentence(data, self.view, style))
                for row, data in zip(self.parts("reservations"), self.view.reservations, strict=True)
            ],
            "statements": [
                (statement, [author.person for author in self.rows.authors.get(statement.pk, [])])
                for statement in self.parts("statements")
            ],
        }


def lock_reason(meeting: Meeting, item: Item, *, editable: bool) -> str:
    """Why this § cannot be changed, in a sentence for the editor's notice; "" if it can."""
    if meeting.status == MeetingStatus.LOCKED:
        return _("The protocol has been sent for adjustment. Reopen it from the adjustment page to change this §.")
    if not meeting.is_editable:
        return _("The protocol has been adjusted and can no longer be changed.")
    # Only a § marked for immediate adjustment can have been sent on its own: no query for the others.
    if editable and item.immediately_adjusted and item.adjustment_rounds.exclude(state=RoundState.CANCELLED).exists():
        return _("This § has been sent for immediate adjustment and can no longer be changed.")
    return ""


def save(action: str, form, item: Item) -> None:
    data = form.cleaned_data
    if action == "item":
        fields = {k: v for k, v in data.items() if k != "version"}
        services.save_item(item, expected_version=data["version"], **fields)
    elif action == "motion":
        others = set(data["with_others"])
        services.add_motion(
            item, kind=data["kind"], movers=[(p, p in others) for p in data["movers"]], text=data["text"]
        )
    elif action == "proposition":
        with transaction.atomic():
            proposition = services.record_proposition(
                item, kind=data["kind"], outcome=data["outcome"], rejected=data["rejected"]
            )
            if data["voted"]:
                services.record_vote(
                    proposition,
                    yes_motion=data["yes_motion"],
                    no_motion=data["no_motion"],
                    ballots=form.ballots(),
                    casting_vote=data["casting_vote"],
                    roll_call_appendix=data["roll_call_appendix"],
                )
    elif action == "recusal":
        services.record_recusal(item, data["person"], left_room=data["left_room"], substitute=data["substitute"])
    elif action == "reservation":
        services.add_reservation(
            item,
            members=list(data["members"]),
            in_favour_of=data["in_favour_of"],
            text=data["text"],
            appendix=data["appendix"],
        )
    elif action == "statement":
        services.add_statement(
            item,
            kind=data["kind"],
            authors=list(data["authors"]),
            text=data["text"],
            in_appendix=data["in_appendix"],
            appendix=data["appendix"],
        )


def saved_now() -> str:
    """The editor's "Sparat hh.mm": what the state line beside the § form says after a save."""
    return _("Saved %(time)s") % {"time": timezone.localtime().strftime("%H.%M")}


def editor_meetings():
    """Meetings as `read_meeting` reads them (with committee, chair and secretary), so the editor reads one once."""
    return Meeting.objects.select_related("committee", "chair", "secretary")


@login_required
def item_edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    bound: dict = {}
    stale = None
    wording_error = None
    posted = request.method == "POST"
    # A change reads the meeting and the § once, locked for this transaction, and the § as saved in it.
    with transaction.atomic() if posted else nullcontext():
        meetings = editor_meetings().select_for_update(of=("self",)) if posted else editor_meetings()
        meeting = get_object_or_404(meetings, pk=pk)
        editable = can_edit_meeting(request.user, meeting)  # who may edit may prepare: one check for the usual case
        if not editable and not can_prepare_meeting(request.user, meeting):
            raise PermissionDenied
        if posted:
            current = get_object_or_404(Item.objects.select_for_update(), meeting=meeting, number=number)
            if not editable:
                raise PermissionDenied
            services.locked_item(current, meeting)
            action = request.POST.get("action", "")
            expected = forms.posted_number(request.POST, "version", high=NUMBER_MAX)
            if expected is None:
                return HttpResponseBadRequest(_("The form is missing the § version."))
            if action in PARTS and "remove" in request.POST or action == "wording":
                kind = request.POST.get("part", action)
                model = PARTS.get(kind) if action != "wording" or kind in WORDED else None
                part_id = forms.posted_number(request.POST, "id")
                if model is None or part_id is None:
                    return HttpResponseBadRequest(_("Unknown part of the §."))
                part = get_object_or_404(model, pk=part_id, item=current)
                part.item = current
            if current.version != expected:
                stale = current
            elif action == "wording":
                wording = forms.WordingForm(request.POST)
                if wording.is_valid():
                    services.set_wording(part, wording=wording.cleaned_data["wording"])
                else:
                    wording_error = {"part": kind, "id": part.pk, "messages": wording.errors["wording"]}
            elif "remove" in request.POST and action in PARTS:
                services.remove_part(part)
            elif action in FORM_ACTIONS:
                form = Editor(current).form(action, request.POST)
                if form.is_valid():
                    try:
                        save(action, form, current)
                    except services.StaleEdit as error:
                        stale = error.current
                    except ValidationError as error:
                        form.add_service_errors(error)
                        bound[action] = form
                else:
                    bound[action] = form
            else:
                return HttpResponseBadRequest(_("Unknown action."))
        editor = Editor.read(meeting, number)
    item = editor.item
    locked = lock_reason(meeting, item, editable=editable)
    editable = editable and not locked
    if stale and request.POST.get("action") in ADD_FORMS:
        # The refused part's form comes back as it was filled in: nothing typed is lost.
        bound[request.POST["action"]] = editor.form(request.POST["action"], request.POST)
    context = {
        "meeting": meeting,
        "item": item,
        "editable": editable,
        "locked": locked,
        "item_form": bound["item"] if "item" in bound else editor.form("item"),
        "fields": {action: editor.fields(action, bound.get(action)) for action in ADD_FORMS},
        "preview": editor.preview(),
        "checks": item_checks(editor.view, editor.snapshot),
        "stale": stale,
        "wording_error": wording_error,
        # After an in-page action (a motion added, a vote, ...) the re-rendered editor still says when it was saved.
        "saved": saved_now() if posted and not (stale or bound or wording_error) else "",
        "parts": editor.sentences(),
        "items": meeting.items.order_by("position").only("number", "title"),
    }
    if stale:
        context["unsaved"] = [
            (field.label, request.POST[field.html_name])
            for field in editor.form("item")
            if field.name not in ("version", "speakers") and request.POST.get(field.html_name, "").strip()
        ]
    if request.htmx:
        return render(request, "minutes/item_edit.html#editor", context)
    return render(request, "minutes/item_edit.html", context, status=409 if stale else 200)
