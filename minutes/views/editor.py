"""The § editor: every part of a § on one page, each change saved at once, the protocol beside it.

Each form posts here with an `action`; the view saves through the services (which check the
rules in the same transaction) and answers with the editor again — only its panel for htmx,
the whole page otherwise. A stale `version` (someone else saved the § meanwhile) is refused.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, When
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from committee.models import Person
from committee.permissions import can_edit_meeting, can_prepare_meeting
from minutes import forms, rules, services
from minutes.attendance import present_ids
from minutes.completeness import item_checks
from minutes.models import (
    AttendanceFunction,
    Item,
    Meeting,
    Motion,
    MotionKind,
    Proposition,
    Recusal,
    Reservation,
    Statement,
)
from minutes.protocol import phrases
from minutes.protocol.document import item_document
from minutes.protocol.render import Request, render_html
from minutes.protocol.snapshot import build_snapshot

FORM_ACTIONS = ("item", "motion", "proposition", "recusal", "reservation", "statement")
PARTS = {
    "motion": Motion,
    "proposition": Proposition,
    "recusal": Recusal,
    "reservation": Reservation,
    "statement": Statement,
}


def in_order(ids: list[int]):
    """People with these ids, in this order (the order of the roll)."""
    if not ids:
        return Person.objects.none()
    order = Case(*[When(pk=pk, then=i) for i, pk in enumerate(ids)], output_field=IntegerField())
    return Person.objects.filter(pk__in=ids).order_by(order)


class Editor:
    """The § being edited, with the choices its forms offer, read fresh for each response."""

    def __init__(self, item: Item):
        self.item = item
        self.snapshot = build_snapshot(item.meeting_id)
        self.view = next(i for i in self.snapshot.items if i.position == item.position)
        presences = rules.presences(item.meeting_id)
        serving_ids = [p.id for p in self.view.serving]
        recused_ids = [r.person.id for r in self.view.recusals]
        present = present_ids(presences, item.position)
        self.serving = in_order(serving_ids)
        self.members = in_order(serving_ids + [pid for pid in recused_ids if pid not in serving_ids])
        self.substitutes = in_order(
            [p.person_id for p in presences if p.function == AttendanceFunction.NON_SERVING and p.covers(item.position)]
        )
        self.present = in_order([p.person_id for p in presences if p.person_id in present])
        self.motions = Motion.objects.filter(item=item).order_by("position", "id")

    def motion_labels(self) -> dict[int, str]:
        return {m.id: f"{dict(MotionKind.choices)[m.kind]} – {phrases.names(m.movers)}" for m in self.view.motions}

    def form_specs(self) -> dict[str, tuple[type[BaseForm], dict]]:
        """Each part's form class and the choices it offers on this §."""
        labels = self.motion_labels()
        return {
            "item": (forms.ItemForm, {"instance": self.item}),
            "motion": (forms.MotionForm, {"serving": self.serving}),
            "proposition": (
                forms.PropositionForm,
                {"motions": self.motions, "serving": self.serving, "labels": labels},
            ),
            "recusal": (forms.RecusalForm, {"members": self.members, "substitutes": self.substitutes}),
            "reservation": (
                forms.ReservationForm,
                {"took_part": self.serving, "motions": self.motions, "labels": labels},
            ),
            "statement": (forms.StatementForm, {"present": self.present}),
        }

    def all_forms(self, bound: dict | None = None) -> dict[str, BaseForm]:
        built = {action: cls(prefix=action, **kwargs) for action, (cls, kwargs) in self.form_specs().items()}
        built.update(bound or {})
        return built

    def bind(self, action: str, data) -> BaseForm:
        cls, kwargs = self.form_specs()[action]
        return cls(data, prefix=action, **kwargs)

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
                for row, data in zip(
                    Proposition.objects.filter(item=self.item).order_by("position", "id"),
                    self.view.propositions,
                    strict=True,
                )
            ],
            "recusals": [
                (row, phrases.recusal_sentence(data, style))
                for row, data in zip(
                    Recusal.objects.filter(item=self.item).select_related("person").order_by("id"),
                    self.view.recusals,
                    strict=True,
                )
            ],
            "reservations": [
                (row, phrases.reservation_sentence(data, self.view, style))
                for row, data in zip(
                    Reservation.objects.filter(item=self.item).order_by("position", "id"),
                    self.view.reservations,
                    strict=True,
                )
            ],
            "statements": Statement.objects.filter(item=self.item).prefetch_related("authors__person"),
        }


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
            proposition = services.record_proposition(item, kind=data["kind"], outcome=data["outcome"])
            if data["voted"]:
                services.record_vote(
                    proposition,
                    yes_motion=data["yes_motion"],
                    no_motion=data["no_motion"],
                    ballots=form.ballots(),
                    casting_vote=data["casting_vote"],
                )
    elif action == "recusal":
        services.record_recusal(item, data["person"], left_room=data["left_room"], substitute=data["substitute"])
    elif action == "reservation":
        services.add_reservation(
            item, members=list(data["members"]), in_favour_of=data["in_favour_of"], text=data["text"]
        )
    elif action == "statement":
        services.add_statement(item, kind=data["kind"], authors=list(data["authors"]), text=data["text"])


@login_required
def item_edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_prepare_meeting(request.user, meeting):
        raise PermissionDenied
    item = get_object_or_404(Item, meeting=meeting, number=number)
    editable = can_edit_meeting(request.user, meeting)
    bound: dict = {}
    stale = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            expected = int(request.POST.get("version", ""))
        except ValueError:
            return HttpResponseBadRequest(_("The form is missing the § version."))
        if action in PARTS and "remove" in request.POST or action == "wording":
            model = PARTS.get(request.POST.get("part", action))
            part_id = request.POST.get("id", "")
            if model is None or not part_id.isdigit():
                return HttpResponseBadRequest(_("Unknown part of the §."))
            part = get_object_or_404(model, pk=int(part_id), item=item)
        with transaction.atomic():
            current = Item.objects.select_for_update().get(pk=item.pk)
            if current.version != expected:
                stale = current
            elif action == "wording":
                services.set_wording(part, wording=request.POST.get("wording", ""))
            elif "remove" in request.POST and action in PARTS:
                services.remove_part(part)
            elif action in FORM_ACTIONS:
                editor = Editor(current)
                form = editor.bind(action, request.POST)
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
        item.refresh_from_db()
    editor = Editor(item)
    context = {
        "meeting": meeting,
        "item": item,
        "editable": editable,
        "forms": editor.all_forms(bound),
        "preview": editor.preview(),
        "checks": item_checks(editor.view, editor.snapshot),
        "stale": stale,
        "parts": editor.sentences(),
        "items": meeting.items.order_by("position").only("number", "title"),
    }
    if stale:
        context["unsaved"] = {k.removeprefix("item-"): v for k, v in request.POST.items() if k.startswith("item-")}
    if request.htmx:
        return render(request, "minutes/item_edit.html#editor", context)
    return render(request, "minutes/item_edit.html", context, status=409 if stale else 200)
