"""The notice of a meeting (kallelse), to whom it went and who opened it; and members' notes on documents.

A notice is sent once (the secretary's "send now" or the worker on the chosen day), to every member and
substitute of the committee with an address; each recipient gets a personal link whose first use is
recorded. Reminders are recorded on the same rows. The notice is rendered again whenever it is shown,
with the house style it was first sent with, kept on its row.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import Person
from minutes.models.agenda import AgendaDocument, AgendaItem
from minutes.models.meeting import Meeting


def new_token() -> str:
    return secrets.token_urlsafe(24)


class MeetingNotice(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="notice")
    send_on = models.DateField(_("send on"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    # The last revised notice (ändrad kallelse), sent when the agenda changed after the notice went out.
    revised_at = models.DateTimeField(_("last revised"), null=True, blank=True)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The house style the notice was first sent with: a sent notice prints with its words, whatever the
    # committee's style says later (None: not sent yet, or sent before notices were styled).
    style_document = models.JSONField(_("style document"), null=True, blank=True, editable=False)
    style_version = models.PositiveIntegerField(_("style version"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return f"Kallelse {self.meeting}"

    @property
    def sent(self) -> bool:
        return self.sent_at is not None


class NoticeRecipient(models.Model):
    """One member's or substitute's copy of the notice: the address it went to, and their personal link."""

    notice = models.ForeignKey(MeetingNotice, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=40)  # "andre vice ordförande" is 21
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)

    class Meta:
        ordering = ["notice", "id"]
        verbose_name = _("notice recipient")
        verbose_name_plural = _("notice recipients")
        constraints = [models.UniqueConstraint(fields=["notice", "person"], name="notice_once_per_person")]

    def __str__(self) -> str:
        return f"{self.person} <{self.email}>"


class AgendaInvitee(models.Model):
    """An official invited to present an agenda item (föredragande): named in the notice at the item, and
    sent a personal link to that item and its public documents alone, whose first use is recorded."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="invitees")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)

    class Meta:
        ordering = ["agenda_item", "id"]
        verbose_name = _("invited official")
        verbose_name_plural = _("invited officials")
        constraints = [models.UniqueConstraint(fields=["agenda_item", "email"], name="invitee_once_per_item")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class DocumentNote(models.Model):
    """A reader's own note on a case document: only its writer ever sees it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_notes")
    document = models.ForeignKey(AgendaDocument, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"), max_length=10000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("note on a document")
        verbose_name_plural = _("notes on documents")
        constraints = [models.UniqueConstraint(fields=["user", "document"], name="one_note_per_user_and_document")]

    def __str__(self) -> str:
        return f"{self.user} / {self.document}"
