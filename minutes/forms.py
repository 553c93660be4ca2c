"""The secretary's forms. They collect input; the services and `minutes.rules` decide what holds."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from committee.models import Person
from minutes.models import BallotChoice, CastingVote, Item, Motion, MotionKind, PropositionKind, StatementKind


class PeopleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


class EditorForm(forms.Form):
    """A part of the § editor: crispy renders it without its own <form> tag."""

    action = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def add_service_errors(self, error: ValidationError) -> None:
        """Put each rule's message at the field it is about, or above the form."""
        for where, messages in error.message_dict.items():
            field = where.rsplit(".", 1)[-1].split("[")[0]
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class ItemForm(forms.ModelForm):
    action = "item"
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Item
        fields = [
            "title",
            "subtitle",
            "dnr",
            "decision",
            "matter",
            "report_date",
            "base_proposal",
            "report_wording",
            "confidential",
            "public_heading",
            "immediately_adjusted",
        ]
        widgets = {
            "decision": forms.Textarea(attrs={"rows": 3}),
            "matter": forms.Textarea(attrs={"rows": 6}),
            "report_wording": forms.Textarea(attrs={"rows": 2}),
            "report_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("confidential") and not cleaned.get("public_heading"):
            self.add_error("public_heading", _("A confidential § needs a heading for the public version."))
        return cleaned

    add_service_errors = EditorForm.add_service_errors


class MotionForm(EditorForm):
    action = "motion"
    kind = forms.ChoiceField(label=_("Kind"), choices=MotionKind.choices)
    movers = PeopleField(label=_("Movers"), queryset=Person.objects.none())
    with_others = PeopleField(
        label=_("m fl (on behalf of their group)"), queryset=Person.objects.none(), required=False
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("An own text, or for a referral back what it is for."),
    )

    def __init__(self, *args, serving, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["movers"].queryset = serving
        self.fields["with_others"].queryset = serving


class PropositionForm(EditorForm):
    action = "proposition"
    kind = forms.ChoiceField(label=_("How the chair put it"), choices=PropositionKind.choices)
    outcome = forms.ModelChoiceField(label=_("The chair found"), queryset=Motion.objects.none(), required=False)
    voted = forms.BooleanField(label=_("A roll-call vote was demanded"), required=False)
    yes_motion = forms.ModelChoiceField(label=_("Ja for"), queryset=Motion.objects.none(), required=False)
    no_motion = forms.ModelChoiceField(label=_("Nej for"), queryset=Motion.objects.none(), required=False)
    casting_vote = forms.ChoiceField(
        label=_("Chair's casting vote (tie only)"), choices=[("", "—"), *CastingVote.choices], required=False
    )

    def __init__(self, *args, motions, serving, labels, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("outcome", "yes_motion", "no_motion"):
            self.fields[name].queryset = motions
            self.fields[name].label_from_instance = lambda m: labels.get(m.pk, str(m))
        self.voters = list(serving)
        for person in self.voters:
            self.fields[f"ballot_{person.pk}"] = forms.ChoiceField(
                label=person.full_name, choices=[("", _("Absent")), *BallotChoice.choices], required=False
            )

    def ballots(self) -> dict[Person, str]:
        return {p: self.cleaned_data[f"ballot_{p.pk}"] for p in self.voters if self.cleaned_data[f"ballot_{p.pk}"]}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("voted"):
            if not cleaned.get("yes_motion"):
                self.add_error("yes_motion", _("Say which motion Ja stands for."))
            if not cleaned.get("no_motion"):
                self.add_error("no_motion", _("Say which motion Nej stands for."))
        return cleaned


class RecusalForm(EditorForm):
    action = "recusal"
    person = forms.ModelChoiceField(
        label=_("Member who declared a conflict of interest"), queryset=Person.objects.none()
    )
    left_room = forms.BooleanField(label=_("Left the room while the matter was handled"), required=False, initial=True)
    substitute = forms.ModelChoiceField(
        label=_("Substitute serving instead"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, members, substitutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members
        self.fields["substitute"].queryset = substitutes


class ReservationForm(EditorForm):
    action = "reservation"
    members = PeopleField(label=_("Reserving members"), queryset=Person.objects.none())
    in_favour_of = forms.ModelChoiceField(label=_("In favour of"), queryset=Motion.objects.none(), required=False)
    text = forms.CharField(label=_("Own text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, took_part, motions, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = took_part
        self.fields["in_favour_of"].queryset = motions
        self.fields["in_favour_of"].label_from_instance = lambda m: labels.get(m.pk, str(m))


class StatementForm(EditorForm):
    action = "statement"
    kind = forms.ChoiceField(label=_("Kind"), choices=StatementKind.choices)
    authors = PeopleField(label=_("By"), queryset=Person.objects.none())
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, present, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authors"].queryset = present


class MeetingForm(forms.Form):
    """A new meeting: the roll is pre-filled from the memberships in force on its date."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class NewItemForm(forms.Form):
    title = forms.CharField(label=_("Title of the new §"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
