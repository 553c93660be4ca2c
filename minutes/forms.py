"""The secretary's forms. They collect input; the services and `minutes.rules` decide what holds."""

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from committee.bounds import ID_MAX, NUMBER_MAX, digits, validate_protocol_date
from committee.models import Person
from minutes.models import (
    Attendance,
    AttendanceFunction,
    BallotChoice,
    CastingVote,
    Item,
    Meeting,
    Motion,
    MotionKind,
    PropositionKind,
    StatementKind,
)

# The empty choice of the editor's dropdowns: a dash, as on the roll, never Django's "- Select an option -".
NO_CHOICE = "—"


def time_field(label: str) -> forms.TimeField:
    """An optional time, typed as hh:mm in the browser's own time input."""
    return forms.TimeField(label=label, required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


class WholeNumberField(forms.IntegerField):
    """An id or a number from a form, read as addresses read theirs (committee.bounds): ASCII digits, 1 to `high`."""

    def __init__(self, *, high: int = ID_MAX, **kwargs) -> None:
        super().__init__(min_value=1, max_value=high, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return digits(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def posted_number(data, name: str, *, high: int = ID_MAX) -> int | None:
    """The id or number a form posted as `name`, or None when it is missing or is not one."""
    try:
        return WholeNumberField(high=high).clean(data.get(name))
    except ValidationError:
        return None


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
    """The text of a §. `speakers` offers the people in the room for it, as (id, name) in the order of the roll."""

    action = "item"
    version = WholeNumberField(high=NUMBER_MAX, widget=forms.HiddenInput)
    speakers = forms.TypedMultipleChoiceField(
        label=_("Speakers"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Who spoke on the matter; printed under its own heading."),
    )

    class Meta:
        model = Item
        fields = [
            "title",
            "subtitle",
            "dnr",
            "decision",
            "matter",
            "basis",
            "report_date",
            "base_proposal",
            "report_wording",
            "prepared_proposal",
            "speakers",
            "recipients",
            "confidential",
            "public_heading",
            "immediately_adjusted",
        ]
        widgets = {
            "decision": forms.Textarea(attrs={"rows": 8}),
            "matter": forms.Textarea(attrs={"rows": 8}),
            "report_wording": forms.Textarea(attrs={"rows": 2}),
            "report_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "basis": forms.Textarea(attrs={"rows": 4}),
            "prepared_proposal": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, speakers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.fields["report_date"].validators.append(validate_protocol_date)
        self.fields["speakers"].choices = speakers  # a callable is read only when the field is shown or ticked
        self.helper.layout = Layout(*(InlineCheckboxes(name) if name == "speakers" else name for name in self.fields))
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def clean_speakers(self) -> list[int]:
        """The speakers in the order of the roll, whatever order they were ticked in."""
        chosen = set(self.cleaned_data["speakers"])
        return [pk for pk, _name in self.fields["speakers"].choices if pk in chosen] if chosen else []

    def clean_basis(self) -> str:
        return "\n".join(line.strip() for line in self.cleaned_data["basis"].splitlines() if line.strip())

    def clean_recipients(self) -> str:
        return "\n".join(line.strip() for line in self.cleaned_data["recipients"].splitlines() if line.strip())

    def validate_constraints(self) -> None:
        """Left to `services.save_item`, whose full_clean checks them in the save's transaction (three queries
        fewer per save); the one a secretary can break, a confidential § without its public heading, `clean` says."""

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
    """A step of the procedure, and the roll-call vote on it: a ballot for each serving member.

    Its markup is `minutes/_vote_form.html` (the ballots as a voting list, the party buttons,
    the tally), its script `static/vote-form.js`; without the script it is plain selects.
    """

    action = "proposition"
    kind = forms.ChoiceField(label=_("How the chair put it"), choices=PropositionKind.choices)
    outcome = forms.ModelChoiceField(
        label=_("The chair found"), queryset=Motion.objects.none(), required=False, empty_label=NO_CHOICE
    )
    rejected = forms.BooleanField(
        label=_("The chair found the motion rejected"),
        required=False,
        help_text=_("Only for a single motion put: the committee rejected it, so no motion was adopted."),
    )
    voted = forms.BooleanField(label=_("A roll-call vote was demanded"), required=False)
    yes_motion = forms.ModelChoiceField(
        label=_("Ja for"), queryset=Motion.objects.none(), required=False, empty_label=NO_CHOICE
    )
    no_motion = forms.ModelChoiceField(
        label=_("Nej for"), queryset=Motion.objects.none(), required=False, empty_label=NO_CHOICE
    )
    casting_vote = forms.ChoiceField(
        label=_("Chair's casting vote (tie only)"), choices=[("", "—"), *CastingVote.choices], required=False
    )
    roll_call_appendix = forms.CharField(
        label=_("Roll-call list in appendix"),
        max_length=20,
        required=False,
        help_text=_("When the house style prints the roll-call list in an appendix: its number (1, A)."),
    )

    def __init__(self, *args, motions, serving, labels, voters=(), decisions=(), sides=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.template = "minutes/_vote_form.html"
        for name in ("outcome", "yes_motion", "no_motion"):
            self.fields[name].queryset = motions
            self.fields[name].label_from_instance = lambda m: labels.get(m.pk, str(m))
        self.voters = list(serving)
        self.about = {voter.id: voter for voter in voters}  # party and seat of each, from the snapshot
        self.decisions = dict(decisions)  # what is decided if a motion's side wins, by motion id
        self.sides = {motion: list(parties) for motion, parties in sides}  # the movers' parties, by motion id
        for person in self.voters:
            self.fields[f"ballot_{person.pk}"] = forms.ChoiceField(
                label=person.full_name,
                choices=[("", _("Absent")), *BallotChoice.choices],
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm", "data-ballot": ""}),
            )

    def ballot_rows(self) -> list[tuple]:
        """(bound field, party, whose seat) for each voter, in the order of the voting list."""
        rows = []
        for person in self.voters:
            about = self.about.get(person.pk)
            rows.append((self[f"ballot_{person.pk}"], about.party if about else "", about.replaces if about else ""))
        return rows

    def parties(self) -> list[str]:
        """The voters' parties, in the order they first come on the list."""
        return list(dict.fromkeys(party for _field, party, _seat in self.ballot_rows() if party))

    def ballots(self) -> dict[Person, str]:
        return {p: self.cleaned_data[f"ballot_{p.pk}"] for p in self.voters if self.cleaned_data[f"ballot_{p.pk}"]}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rejected"):
            if cleaned.get("kind") != PropositionKind.SINGLE:
                self.add_error("rejected", _("Only a single motion put can be found rejected as a whole."))
            elif cleaned.get("outcome") or cleaned.get("voted"):
                self.add_error("rejected", _("A rejected motion has no adopted motion and no vote: leave those empty."))
        if cleaned.get("roll_call_appendix") and not cleaned.get("voted"):
            self.add_error("roll_call_appendix", _("Only a roll-call vote has a roll-call list."))
        if cleaned.get("voted"):
            if not cleaned.get("yes_motion"):
                self.add_error("yes_motion", _("Say which motion Ja stands for."))
            if not cleaned.get("no_motion"):
                self.add_error("no_motion", _("Say which motion Nej stands for."))
        return cleaned


class RecusalForm(EditorForm):
    action = "recusal"
    person = forms.ModelChoiceField(
        label=_("Member who declared a conflict of interest"), queryset=Person.objects.none(), empty_label=NO_CHOICE
    )
    left_room = forms.BooleanField(label=_("Left the room while the matter was handled"), required=False, initial=True)
    substitute = forms.ModelChoiceField(
        label=_("Substitute serving instead"), queryset=Person.objects.none(), required=False, empty_label=NO_CHOICE
    )

    def __init__(self, *args, members, substitutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members
        self.fields["substitute"].queryset = substitutes


class ReservationForm(EditorForm):
    action = "reservation"
    members = PeopleField(label=_("Reserving members"), queryset=Person.objects.none())
    in_favour_of = forms.ModelChoiceField(
        label=_("In favour of"), queryset=Motion.objects.none(), required=False, empty_label=NO_CHOICE
    )
    text = forms.CharField(label=_("Own text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    appendix = forms.CharField(
        label=_("Written reservation in appendix"),
        max_length=20,
        required=False,
        help_text=_("Its number (1, A): the § then only says who reserved themselves, with a reference."),
    )

    def __init__(self, *args, took_part, motions, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = took_part
        self.fields["in_favour_of"].queryset = motions
        self.fields["in_favour_of"].label_from_instance = lambda m: labels.get(m.pk, str(m))


class StatementForm(EditorForm):
    action = "statement"
    kind = forms.ChoiceField(label=_("Kind"), choices=StatementKind.choices)
    authors = PeopleField(label=_("By"), queryset=Person.objects.none())
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    in_appendix = forms.BooleanField(
        label=_("Text in an appendix"),
        required=False,
        help_text=_("The § only says the statement was made (lämnade särskilt uttalande); its text is in an appendix."),
    )
    appendix = forms.CharField(label=_("Appendix"), max_length=20, required=False, help_text=_("Its number (1, A)."))

    def __init__(self, *args, present, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authors"].queryset = present

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("in_appendix"):
            if not cleaned.get("text", "").strip() and "text" not in self.errors:
                self.add_error("text", _("Write the statement, or say that its text is in an appendix."))
            if cleaned.get("appendix"):
                self.add_error("appendix", _("An appendix is named only for a statement whose text is in it."))
        return cleaned


class WordingForm(forms.Form):
    """A part's own sentence in place of the generated one; empty restores the generated sentence."""

    wording = forms.CharField(required=False, strip=False)


class MeetingForm(forms.Form):
    """A new meeting: the roll is pre-filled from the memberships in force on its date."""

    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_protocol_date]
    )
    start_time = time_field(_("Start time"))
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


# The roll and the meeting's own fields

ABSENT = "absent"


def model_label(model, name: str):
    """A form field's label from the model field's verbose name, so both read the same."""
    return capfirst(model._meta.get_field(name).verbose_name)


def with_bootstrap_classes(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        elif isinstance(widget, forms.TextInput):
            widget.attrs.setdefault("class", "form-control form-control-sm")


class RollRowForm(forms.Form):
    """One line of the roll. "Absent" leaves the person off it; a person may have several lines, each for its §§."""

    person = forms.TypedChoiceField(label=model_label(Attendance, "person"), coerce=int)
    function = forms.ChoiceField(
        label=model_label(Attendance, "function"),
        choices=[(ABSENT, _("Absent")), *AttendanceFunction.choices],
        initial=AttendanceFunction.SERVING,
    )
    replaces = forms.TypedChoiceField(
        label=model_label(Attendance, "replaces"), coerce=int, empty_value=None, required=False
    )
    from_item = forms.TypedChoiceField(
        label=model_label(Attendance, "from_item"), coerce=int, empty_value=None, required=False
    )
    to_item = forms.TypedChoiceField(
        label=model_label(Attendance, "to_item"), coerce=int, empty_value=None, required=False
    )
    from_time = time_field(model_label(Attendance, "from_time"))
    to_time = time_field(model_label(Attendance, "to_time"))
    title = forms.CharField(label=model_label(Attendance, "title"), max_length=120, required=False)

    def __init__(self, *args, people, members, numbers, names, fixed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed = fixed
        self.names = names
        self.fields["person"].choices = [("", "—"), *people]
        self.fields["replaces"].choices = [("", "—"), *members]
        self.fields["from_item"].choices = self.fields["to_item"].choices = [("", "—"), *numbers]
        if fixed:
            self.fields["person"].widget = forms.HiddenInput()
        with_bootstrap_classes(self)

    @property
    def who(self) -> str:
        """Whose line this is, for its header and its fields' labels."""
        value = self["person"].value()
        try:
            return self.names[int(value)]
        except (KeyError, TypeError, ValueError):
            return ""


class BaseRollFormSet(forms.BaseFormSet):
    """The whole roll: a line for each member and substitute (absent or not) and each other present.

    `people`, `members` and `numbers` are the choices of (person id, label) and (§ number, label),
    computed once for every line.
    """

    def __init__(self, *args, people, members, numbers, names, **kwargs):
        self.choices = {"people": people, "members": members, "numbers": numbers, "names": names}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**self.choices, "fixed": index is not None and index < self.initial_form_count()}

    def entries(self) -> list[tuple[int, dict]]:
        """(form index, cleaned data) of every line that puts someone on the roll."""
        return [
            (index, form.cleaned_data)
            for index, form in enumerate(self.forms)
            if form.cleaned_data and form.cleaned_data["function"] != ABSENT
        ]

    def add_service_errors(self, error: ValidationError, indices: list[int]) -> None:
        """Put `rows[i].field` errors at the field of the form that gave row i, the rest above the roll."""
        for where, messages in error.message_dict.items():
            form, field = None, None
            if where.startswith("rows["):
                row, _dot, field = where.removeprefix("rows[").partition("].")
                form = self.forms[indices[int(row)]]
            for message in messages:
                if form is None:
                    self.non_form_errors().append(message)
                else:
                    form.add_error(field if field in form.fields and field != "person" else None, message)


RollFormSet = forms.formset_factory(RollRowForm, formset=BaseRollFormSet, extra=2)


class ItemTimesForm(forms.Form):
    """When each § started: a line of the roll given by time attaches to the §§ by these."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        for number, heading, started_at in items:
            self.fields[f"started_{number}"] = forms.TimeField(
                label=f"§ {number} {heading}",
                required=False,
                initial=started_at,
                widget=forms.TimeInput(attrs={"type": "time", "class": "form-control form-control-sm"}, format="%H:%M"),
            )

    def times(self) -> dict[int, object]:
        return {int(name.removeprefix("started_")): value for name, value in self.cleaned_data.items()}


class OtherPresentForm(forms.Form):
    """Someone on no committee, e.g. an official: added to the roll as other present."""

    first_name = forms.CharField(label=model_label(Person, "first_name"), max_length=100)
    last_name = forms.CharField(label=model_label(Person, "last_name"), max_length=100)
    title = forms.CharField(
        label=model_label(Attendance, "title"),
        max_length=120,
        required=False,
        help_text=Attendance._meta.get_field("title").help_text,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    add_service_errors = EditorForm.add_service_errors


class MeetingDetailsForm(forms.Form):
    """The meeting's own fields, as the first page of the protocol prints them."""

    version = WholeNumberField(high=NUMBER_MAX, widget=forms.HiddenInput)
    date = forms.DateField(
        label=model_label(Meeting, "date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_protocol_date],
    )
    start_time = time_field(model_label(Meeting, "start_time"))
    end_time = time_field(model_label(Meeting, "end_time"))
    place = forms.CharField(label=model_label(Meeting, "place"), max_length=200, required=False)
    chair = forms.ModelChoiceField(
        label=model_label(Meeting, "chair"), queryset=Person.objects.none(), required=False, empty_label="—"
    )
    secretary = forms.ModelChoiceField(
        label=model_label(Meeting, "secretary"), queryset=Person.objects.none(), required=False, empty_label="—"
    )
    adjusters = PeopleField(label=_("Adjusters"), queryset=Person.objects.none(), required=False)
    # The day in the browser's date input and the time in its own, optional one: a day without a time is
    # adjusted "den 4 april" without a clock time. (A day and time posted together, 2016-09-27T15:00, still reads.)
    adjustment_at = forms.DateTimeField(
        label=_("Day of adjustment"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_protocol_date],
    )
    adjustment_time = forms.TimeField(
        label=_("Time of adjustment"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Leave empty when the protocol is adjusted on the day without a set time."),
    )
    adjustment_date_only = forms.BooleanField(
        label=_("Only the day, no time"),
        required=False,
        help_text=_("The protocol prints the date of adjustment without a time; the time entered is not kept."),
    )
    adjustment_place = forms.CharField(label=model_label(Meeting, "adjustment_place"), max_length=200, required=False)

    def __init__(self, *args, chairs, secretaries, adjusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chairs
        self.fields["secretary"].queryset = secretaries
        self.fields["adjusters"].queryset = adjusters
        for name in ("chair", "secretary"):
            self.fields[name].label_from_instance = lambda person: person.full_name
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        """The day and the time as one moment; no time (or the box ticked) is a day without a set time."""
        data = super().clean()
        at = data.get("adjustment_at")
        time = data.pop("adjustment_time", None)
        if at is not None and time is not None:
            at = data["adjustment_at"] = at.replace(hour=time.hour, minute=time.minute, second=0, microsecond=0)
        if time is not None and at is None and "adjustment_at" not in self.errors:
            self.add_error("adjustment_at", _("Enter the day of adjustment."))
        untimed = at is not None and time is None and (at.hour, at.minute) == (0, 0)
        if data.get("adjustment_date_only") or untimed:
            if at is None and "adjustment_at" not in self.errors:
                self.add_error("adjustment_date_only", _("Enter the day of adjustment."))
            elif at is not None:  # the day alone: the time entered is not kept
                data["adjustment_at"] = at.replace(hour=0, minute=0, second=0, microsecond=0)
                data["adjustment_date_only"] = True
        return data

    add_service_errors = EditorForm.add_service_errors


# Adjustment, announcement and verification


class EmbeddedForm(forms.Form):
    """Fields that crispy renders inside a <form> the template writes itself."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ApprovalForm(EmbeddedForm):
    disagreement = forms.CharField(
        label=_("Disagreement to note in the protocol (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty to approve the protocol as it stands."),
    )
    # Set by the confirmation step: the SHA-256 of the version the signer was shown and confirms.
    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", required=False, widget=forms.HiddenInput)


class ReopenForm(EmbeddedForm):
    reason = forms.CharField(
        label=_("Why the draft is reopened"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnnounceForm(EmbeddedForm):
    posted_on = forms.DateField(
        label=_("Date posted on the notice board"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_protocol_date],
    )


class ExtractChoiceForm(EmbeddedForm):
    numbers = forms.TypedMultipleChoiceField(label=_("§§ to extract"), coerce=int, widget=forms.CheckboxSelectMultiple)
    as_zip = forms.BooleanField(label=_("As one zip file"), required=False)

    def __init__(self, *args, numbers: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["numbers"].choices = [(n, f"§ {n}") for n in numbers]


class VerifyForm(EmbeddedForm):
    file = forms.FileField(
        label=_("PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("At most 20 MB."),
    )


class MeetingImportForm(EmbeddedForm):
    file = forms.FileField(
        label=_("Exchange file (JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
        help_text=_("A meeting exported from Paragraf, format version 1 or 2, at most 10 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MEETING_FILE_LIMIT:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


MEETING_FILE_LIMIT = 10 * 1024 * 1024
