"""The secretary's forms for the agenda: an item, and a document upload."""

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minutes.agenda.convert import OFFICE_EXTENSIONS, office_converter
from minutes.agenda.documents import receive

DNR_SEPARATOR = re.compile(r"[,;\n]+")
DNR_MAX = 60  # what a § holds (Item.dnr)


class TaglessForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class AgendaItemForm(TaglessForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    dnrs = forms.CharField(label=_("Dnr"), required=False, max_length=200, help_text=_("Separate several with commas."))
    preparing = forms.CharField(
        label=_("Prepared by"), required=False, max_length=200, help_text=_("The preparing body or official.")
    )
    proposal = forms.CharField(
        label=_("Proposal for decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Becomes the decision of the § as drafted; one point per paragraph."),
    )
    confidential = forms.BooleanField(label=_("Confidential (secrecy under OSL)"), required=False)
    secrecy_ground = forms.CharField(
        label=_("Ground for secrecy"), required=False, max_length=120, help_text=_('E.g. "OSL 26 kap. 1 §".')
    )
    public_heading = forms.CharField(
        label=_("Heading in the public version"),
        required=False,
        max_length=300,
        help_text=_("For a confidential item; the public agenda never shows it."),
    )
    added_at_meeting = forms.BooleanField(label=_("Added at the meeting"), required=False)

    def clean_dnrs(self) -> list[str]:
        dnrs = [part.strip() for part in DNR_SEPARATOR.split(self.cleaned_data["dnrs"]) if part.strip()]
        if len(", ".join(dnrs)) > DNR_MAX:
            raise ValidationError(
                _("The Dnr together may be at most %(max)s characters, as the § prints them."), params={"max": DNR_MAX}
            )
        return dnrs

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("confidential") and not cleaned.get("secrecy_ground", "").strip():
            self.add_error("secrecy_ground", _('Give the ground for secrecy, e.g. "OSL 26 kap. 1 §".'))
        if not cleaned.get("confidential"):
            cleaned["secrecy_ground"] = ""
            cleaned["public_heading"] = ""
        return cleaned

    @classmethod
    def initial_of(cls, agenda_item) -> dict:
        fields = {name: getattr(agenda_item, name) for name in cls.base_fields if name != "dnrs"}
        return {**fields, "dnrs": agenda_item.dnr}


class InviteeForm(TaglessForm):
    """An official invited to present the item (föredragande)."""

    name = forms.CharField(label=_("Name"), max_length=200, help_text=_('E.g. "Anna Berg, controller".'))
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("Sending the notice mails a link to this item and its public documents.")
    )


class PdfUploadForm(TaglessForm):
    """A PDF (or an Office file, converted) and its date, checked before anything is stored.

    The cleaned file is the received PDF (minutes.agenda.documents.Received): an Office file is
    converted once, here, and its errors come back at the field.
    """

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    file = forms.FileField(
        label=_("File (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        if office_converter() is not None:
            field = self.fields["file"]
            field.label = _("File (PDF or Office document)")
            field.help_text = _(
                "Word, Excel, PowerPoint and OpenDocument files are converted to PDF with LibreOffice; the PDF "
                "is what is kept and shown, with the original's checksum."
            )
            field.widget.attrs["accept"] = ",".join(["application/pdf", ".pdf", *sorted(OFFICE_EXTENSIONS)])

    def clean_file(self):
        return receive(self.cleaned_data["file"])


class DocumentForm(PdfUploadForm):
    title = forms.CharField(label=_("Title of the document"), max_length=300, help_text=_('E.g. "Tjänsteutlåtande".'))
    confidential = forms.BooleanField(label=_("Confidential"), required=False)
    field_order = ["title", "date", "confidential", "file"]


class ReplaceForm(PdfUploadForm):
    """A new version of a document: the file, and the date of the new version."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        converts = office_converter() is not None
        self.fields["file"].label = _("New version (PDF or Office document)") if converts else _("New version (PDF)")
