"""The admin: the protocol's editor until the secretariat has its own views.

Every save goes through the rules: after the rows are written (inside the transaction that
`changeform_view` opens) each § the change touched is checked. A broken rule rolls the whole
save back, and the form is shown again with the problems as its errors.

Only a draft can be written, and no § that is being or has been adjusted on its own: the pages
of anything else are read-only, and an add form refuses such a parent at its field. A meeting's
status is in no form at all; `minutes.adjustment` alone moves it. Should a write get past all
that, the database's triggers (migration 0004) refuse it, and that refusal is shown as a message
too, never as an error page.
"""

from operator import attrgetter

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import F
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minutes import rules, services
from minutes.models import (
    AdjustedSnapshot,
    Adjuster,
    AdjustmentRound,
    AgendaDocument,
    AgendaInvitee,
    AgendaItem,
    Announcement,
    Approval,
    ArchiveExport,
    Attendance,
    Ballot,
    DocumentNote,
    Item,
    Meeting,
    MeetingNotice,
    Motion,
    MotionMover,
    NoticeRecipient,
    Notification,
    Preview,
    Proposition,
    PublishedFile,
    Recusal,
    Reservation,
    ReservationMember,
    RoundState,
    SealedDocument,
    SealingJob,
    Statement,
    StatementAuthor,
)
from minutes.models.search import SearchEntry

# How to get from a row to the meeting it belongs to.
MEETING_OF = {
    Meeting: None,
    Item: "meeting",
    Attendance: "meeting",
    Adjuster: "meeting",
    Motion: "item.meeting",
    Proposition: "item.meeting",
    Recusal: "item.meeting",
    Reservation: "item.meeting",
    Statement: "item.meeting",
    MotionMover: "motion.item.meeting",
    Ballot: "proposition.item.meeting",
    ReservationMember: "reservation.item.meeting",
    StatementAuthor: "statement.item.meeting",
}


def meeting_of(obj) -> Meeting | None:
    if obj is None:
        return None
    path = MEETING_OF[type(obj)]
    return attrgetter(path)(obj) if path else obj


def item_of(obj) -> Item | None:
    """The § a row belongs to, or None for the meeting and its meeting-wide rows."""
    if isinstance(obj, Item):
        return obj
    path = MEETING_OF[type(obj)]
    return attrgetter(path.removesuffix(".meeting"))(obj) if path and path.endswith("item.meeting") else None


def refusal(obj) -> str | None:
    """Why `obj` cannot be written, as the services would say it, or None when it can."""
    meeting = meeting_of(obj)
    if meeting is None:
        return None
    if not meeting.is_editable:
        return _("The meeting %(meeting)s is no longer a draft and cannot be changed.") % {"meeting": meeting}
    item = item_of(obj)
    if item is not None and item.pk and item.adjustment_rounds.exclude(state=RoundState.CANCELLED).exists():
        # A § sent for immediate adjustment is locked like a protocol sent for adjustment.
        return _("§ %(number)s is being adjusted or has been adjusted and cannot be changed.") % {"number": item.number}
    return None


def refused_by_the_database(error: IntegrityError) -> bool:
    """Whether one of Paragraf's triggers refused the write (their messages start "Paragraf:")."""
    diag = getattr(error.__cause__, "diag", None)
    return (getattr(diag, "message_primary", None) or "").startswith("Paragraf:")


def items_of(obj) -> list[Item]:
    """The §§ a change to `obj` can break: its own §, or every § when it is meeting-wide."""
    if isinstance(obj, Item):
        return [obj]
    path = MEETING_OF[type(obj)]
    if path and path.endswith("item.meeting"):
        return [attrgetter(path.removesuffix(".meeting"))(obj)]
    return list(meeting_of(obj).items.order_by("position"))


class RulesBroken(Exception):
    """Raised inside the admin's transaction so that leaving it rolls the save back."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        self.problems = problems


def problems_in(items: list[Item]) -> list[str]:
    problems = []
    for item in items:
        try:
            rules.check_item(item)
        except ValidationError as error:
            problems += [f"§ {item.number}: {message}" for message in error.messages]
    return problems


class DraftOnly:
    """Nothing in a meeting can be added, changed or deleted once it is no longer a draft."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and refusal(obj) is None

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and refusal(obj) is None


class DraftOnlyInline(DraftOnly):
    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and refusal(obj) is None


class TabularInline(DraftOnlyInline, admin.TabularInline):
    extra = 0


class RuleCheckedAdmin(DraftOnly, admin.ModelAdmin):
    # Rows in another meeting's § cannot be reached by moving them: the parent is fixed once made.
    parent_field: str = ""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and self.parent_field:
            fields.append(self.parent_field)
        return fields

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        # A bulk delete would skip the rules and the numbering.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.check_rules(form.instance)

    def items_to_check(self, obj) -> list[Item]:
        return items_of(obj)

    def check_rules(self, obj) -> None:
        meeting = Meeting.objects.get(pk=meeting_of(obj).pk)
        if not meeting.is_editable:
            raise RulesBroken([_("The meeting is no longer a draft and cannot be changed.")])
        if problems := problems_in(self.items_to_check(obj)):
            raise RulesBroken(problems)
        changed = [item.pk for item in items_of(obj)]
        Item.objects.filter(pk__in=changed).update(version=F("version") + 1)

    def delete_model(self, request, obj):
        items = [item for item in items_of(obj) if item != obj]
        super().delete_model(request, obj)
        if problems := problems_in(items):
            raise RulesBroken(problems)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RulesBroken as broken:
            problems = broken.problems
        except IntegrityError as error:
            if not refused_by_the_database(error):
                raise
            problems = [ADJUSTED_REFUSED]
        # Leaving super()'s transaction.atomic() with the exception rolled the save back.
        # Render the form again from the same POST, refusing it with the problems.
        request.paragraf_problems = problems
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except RulesBroken as broken:
            problems = broken.problems
        except IntegrityError as error:
            if not refused_by_the_database(error):
                raise
            problems = [ADJUSTED_REFUSED]
        for problem in problems:
            self.message_user(request, problem, level=messages.ERROR)
        opts = self.opts
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        problems = getattr(request, "paragraf_problems", None)
        if problems:
            return refusing(form, problems)
        return into_drafts(form, self.parent_field) if self.parent_field else form


# What the database's refusal is shown as: its own message names a table, not what the user did.
ADJUSTED_REFUSED = gettext_lazy("This belongs to a protocol that has been adjusted and can no longer change.")


def into_drafts(form_class: type[forms.ModelForm], parent_field: str) -> type[forms.ModelForm]:
    """The admin's form, refusing at the parent's field a parent that can no longer be written."""

    class IntoDrafts(form_class):
        def clean(self):
            cleaned = super().clean()
            parent = cleaned.get(parent_field) if parent_field in self.fields else None
            if parent is not None and (message := refusal(self._meta.model(**{parent_field: parent}))):
                self.add_error(parent_field, message)
            return cleaned

    return IntoDrafts


def refusing(form_class: type[forms.ModelForm], problems: list[str]) -> type[forms.ModelForm]:
    """The admin's form, made invalid with the rule problems of the save that was rolled back."""

    class Refused(form_class):
        def clean(self):
            super().clean()
            raise ValidationError(problems)

    return Refused


# Meeting


class AttendanceInline(TabularInline):
    model = Attendance
    fields = ["position", "person", "function", "replaces", "from_item", "to_item", "title"]
    autocomplete_fields = ["person", "replaces"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        items = obj.items.all() if obj else Item.objects.none()
        for name in ("from_item", "to_item"):
            if name in formset.form.base_fields:
                formset.form.base_fields[name].queryset = items
        return formset


class AdjusterInline(TabularInline):
    model = Adjuster
    fields = ["position", "person"]
    autocomplete_fields = ["person"]


class ItemInline(TabularInline):
    model = Item
    fields = ["position", "number", "title", "dnr", "confidential", "public_heading"]
    show_change_link = True
    can_delete = False  # removing a § renumbers the rest: delete it from its own page


@admin.register(Meeting)
class MeetingAdmin(RuleCheckedAdmin):
    list_display = ["__str__", "committee", "date", "number", "status"]
    list_filter = ["committee", "status", "date"]
    list_select_related = ["committee"]
    date_hierarchy = "date"
    autocomplete_fields = ["chair", "secretary"]
    readonly_fields = ["status", "version"]  # the status moves through the adjustment pages alone
    inlines = [AttendanceInline, AdjusterInline, ItemInline]
    actions = ["renumber_items"]

    def check_rules(self, obj) -> None:
        # A change to a draft's own fields can break any of its §§; check them, then count the edit.
        if problems := problems_in(items_of(obj)):
            raise RulesBroken(problems)
        Meeting.objects.filter(pk=obj.pk).update(version=F("version") + 1)

    def delete_model(self, request, obj):
        # Everything in the meeting goes with it: no § is left to check.
        super(RuleCheckedAdmin, self).delete_model(request, obj)

    @admin.action(description=gettext_lazy("Renumber the §§ of the selected meetings"))
    def renumber_items(self, request, queryset):
        for meeting in queryset:
            try:
                services.renumber(meeting)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, f"{meeting}: {message}", level=messages.ERROR)


@admin.register(Attendance)
class AttendanceAdmin(RuleCheckedAdmin):
    list_display = ["person", "meeting", "function", "replaces", "from_item", "to_item"]
    list_filter = ["function", "meeting__committee"]
    list_select_related = ["person", "meeting__committee", "replaces", "from_item", "to_item"]
    autocomplete_fields = ["person", "replaces"]
    parent_field = "meeting"


@admin.register(Adjuster)
class AdjusterAdmin(RuleCheckedAdmin):
    list_display = ["person", "meeting"]
    list_select_related = ["person", "meeting__committee"]
    autocomplete_fields = ["person"]
    parent_field = "meeting"


# A § and its parts


class MotionInline(TabularInline):
    model = Motion
    fields = ["position", "kind", "text", "wording"]
    show_change_link = True  # the movers are edited on the motion's page


class PropositionInline(TabularInline):
    model = Proposition
    fields = ["position", "kind", "outcome", "voted", "yes_motion", "no_motion", "casting_vote", "wording"]
    show_change_link = True  # the ballots are edited on the proposition's page

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        motions = obj.motions.all() if obj else Motion.objects.none()
        for name in ("outcome", "yes_motion", "no_motion"):
            if name in formset.form.base_fields:
                formset.form.base_fields[name].queryset = motions
        return formset


class RecusalInline(TabularInline):
    model = Recusal
    fields = ["person", "left_room", "substitute", "wording"]
    autocomplete_fields = ["person", "substitute"]


class ReservationInline(TabularInline):
    model = Reservation
    fields = ["position", "in_favour_of", "text", "wording"]
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if "in_favour_of" in formset.form.base_fields:
            motions = obj.motions.all() if obj else Motion.objects.none()
            formset.form.base_fields["in_favour_of"].queryset = motions
        return formset


class StatementInline(TabularInline):
    model = Statement
    fields = ["position", "kind", "text"]
    show_change_link = True


@admin.register(Item)
class ItemAdmin(RuleCheckedAdmin):
    list_display = ["number", "title", "meeting", "dnr", "confidential"]
    list_display_links = ["number", "title"]
    list_filter = ["meeting__committee", "confidential", "immediately_adjusted"]
    list_select_related = ["meeting__committee"]
    search_fields = ["title", "subtitle", "dnr"]
    readonly_fields = ["version"]
    inlines = [MotionInline, PropositionInline, RecusalInline, ReservationInline, StatementInline]
    parent_field = "meeting"

    def items_to_check(self, obj) -> list[Item]:
        # Its position decides which serving ranges cover the other §§ too.
        return list(obj.meeting.items.order_by("position"))

    def delete_model(self, request, obj):
        try:
            services.remove_item(obj)  # renumbers the rest and keeps the serving ranges
        except ValidationError as error:
            raise RulesBroken(error.messages) from error


class MoverInline(TabularInline):
    model = MotionMover
    fields = ["position", "person", "with_others"]
    autocomplete_fields = ["person"]


@admin.register(Motion)
class MotionAdmin(RuleCheckedAdmin):
    list_display = ["__str__", "item", "kind"]
    list_filter = ["kind", "item__meeting__committee"]
    list_select_related = ["item__meeting__committee"]
    inlines = [MoverInline]
    parent_field = "item"


class BallotInline(TabularInline):
    model = Ballot
    fields = ["person", "choice"]
    autocomplete_fields = ["person"]


@admin.register(Proposition)
class PropositionAdmin(RuleCheckedAdmin):
    list_display = ["__str__", "item", "kind", "voted", "casting_vote"]
    list_filter = ["kind", "voted", "item__meeting__committee"]
    list_select_related = ["item__meeting__committee"]
    inlines = [BallotInline]
    parent_field = "item"


@admin.register(Recusal)
class RecusalAdmin(RuleCheckedAdmin):
    list_display = ["person", "item", "left_room", "substitute"]
    list_select_related = ["person", "item", "substitute"]
    autocomplete_fields = ["person", "substitute"]
    parent_field = "item"


class ReservationMemberInline(TabularInline):
    model = ReservationMember
    fields = ["position", "person", "with_others"]
    autocomplete_fields = ["person"]


@admin.register(Reservation)
class ReservationAdmin(RuleCheckedAdmin):
    list_display = ["__str__", "item", "in_favour_of"]
    list_select_related = ["item", "in_favour_of__item"]
    inlines = [ReservationMemberInline]
    parent_field = "item"


class StatementAuthorInline(TabularInline):
    model = StatementAuthor
    fields = ["position", "person", "with_others"]
    autocomplete_fields = ["person"]


@admin.register(Statement)
class StatementAdmin(RuleCheckedAdmin):
    list_display = ["__str__", "item", "kind"]
    list_filter = ["kind"]
    list_select_related = ["item"]
    inlines = [StatementAuthorInline]
    parent_field = "item"


@admin.register(MotionMover)
class MotionMoverAdmin(RuleCheckedAdmin):
    list_display = ["person", "motion", "with_others"]
    list_select_related = ["person", "motion__item"]
    autocomplete_fields = ["person"]
    parent_field = "motion"


@admin.register(Ballot)
class BallotAdmin(RuleCheckedAdmin):
    list_display = ["person", "proposition", "choice"]
    list_select_related = ["person", "proposition__item"]
    autocomplete_fields = ["person"]
    parent_field = "proposition"


@admin.register(ReservationMember)
class ReservationMemberAdmin(RuleCheckedAdmin):
    list_display = ["person", "reservation", "with_others"]
    list_select_related = ["person", "reservation__item"]
    autocomplete_fields = ["person"]
    parent_field = "reservation"


@admin.register(StatementAuthor)
class StatementAuthorAdmin(RuleCheckedAdmin):
    list_display = ["person", "statement", "with_others"]
    list_select_related = ["person", "statement__item"]
    autocomplete_fields = ["person"]
    parent_field = "statement"


class RecordAdmin(admin.ModelAdmin):
    """The adjustment's records are written by Paragraf alone, once; the admin only reads them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdjustmentRound)
class AdjustmentRoundAdmin(RecordAdmin):
    list_display = ["meeting", "item", "state", "opened_at", "closed_at"]
    list_filter = ["state"]
    list_select_related = ["meeting__committee", "item"]


@admin.register(Approval)
class ApprovalAdmin(RecordAdmin):
    list_display = ["round", "person", "role", "verdict", "at"]
    list_select_related = ["round__meeting__committee", "person"]


@admin.register(SealedDocument)
class SealedDocumentAdmin(RecordAdmin):
    list_display = ["meeting", "kind", "numbers", "sha256", "created_at"]
    list_select_related = ["meeting__committee"]
    exclude = ["snapshot"]


@admin.register(AdjustedSnapshot)
class AdjustedSnapshotAdmin(RecordAdmin):
    list_display = ["round", "created_at"]
    list_select_related = ["round__meeting__committee", "round__item"]
    exclude = ["protocol", "document"]


@admin.register(Announcement)
class AnnouncementAdmin(RecordAdmin):
    list_display = ["meeting", "adjusted_on", "posted_on", "appeal_ends_on", "take_down_on"]
    list_select_related = ["meeting__committee"]


@admin.register(ArchiveExport)
class ArchiveExportAdmin(RecordAdmin):
    """Written when a registrar downloads a sealed protocol for the archive (`adjustment.record_archive_export`)."""

    list_display = ["meeting", "exported_by", "exported_at"]
    list_select_related = ["meeting__committee", "exported_by"]


@admin.register(SearchEntry)
class SearchEntryAdmin(RecordAdmin):
    """The search index is written from announced protocols (`reindex_search` rebuilds it), never by hand."""

    list_display = ["item", "committee", "year", "dnr", "has_vote", "has_reservation"]
    list_select_related = ["item", "committee"]
    exclude = ["folded_title", "folded_text", "vector", "people", "parties"]


@admin.register(SealingJob)
class SealingJobAdmin(RecordAdmin):
    """Workers write the jobs; the secretariat retries a failed one from the adjustment page."""

    list_display = ["round", "state", "step", "done", "total", "attempts", "worker", "created_at", "finished_at"]
    list_filter = ["state"]
    list_select_related = ["round__meeting__committee", "round__item"]


@admin.register(Preview)
class PreviewAdmin(RecordAdmin):
    list_display = ["meeting", "public", "state", "created_at"]
    list_filter = ["state"]
    list_select_related = ["meeting__committee"]


@admin.register(Notification)
class NotificationAdmin(RecordAdmin):
    """The mails Paragraf sent (minutes.notifications): a record, so that none goes out twice."""

    list_display = ["sent_at", "recipient", "subject", "key"]
    search_fields = ["recipient", "subject", "key"]


@admin.register(PublishedFile)
class PublishedFileAdmin(RecordAdmin):
    """An announced protocol's pages and files as written once (minutes.publication); repaired by verify_published."""

    list_display = ["path", "encoding", "meeting", "size", "created_at", "verified_at"]
    list_select_related = ["meeting__committee"]
    search_fields = ["path"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    """The agenda is built on its own page (minutes.views.agenda); the admin corrects a row."""

    list_display = ["title", "meeting", "position", "confidential", "withdrawn_at", "item"]
    list_filter = ["confidential"]
    list_select_related = ["meeting__committee", "item"]
    raw_id_fields = ["meeting", "item"]


@admin.register(AgendaDocument)
class AgendaDocumentAdmin(RecordAdmin):
    """A stored document is checked and written whole by minutes.agenda.documents, never by hand."""

    list_display = ["title", "agenda_item", "date", "confidential", "sha256", "uploaded_at"]
    list_select_related = ["agenda_item__meeting__committee"]


@admin.register(MeetingNotice)
class MeetingNoticeAdmin(RecordAdmin):
    """Notices are planned and sent from the meeting's notice page (minutes.notice); the admin reads them."""

    list_display = ["meeting", "send_on", "sent_at", "reminded_at"]
    list_select_related = ["meeting__committee"]


@admin.register(NoticeRecipient)
class NoticeRecipientAdmin(RecordAdmin):
    list_display = ["notice", "person", "email", "role", "sent_at", "reminded_at", "opened_at"]
    list_select_related = ["notice__meeting__committee", "person"]
    exclude = ["token"]  # the personal link is its recipient's


@admin.register(AgendaInvitee)
class AgendaInviteeAdmin(RecordAdmin):
    list_display = ["agenda_item", "name", "email", "sent_at", "reminded_at", "opened_at"]
    list_select_related = ["agenda_item__meeting__committee"]
    exclude = ["token"]  # the personal link is the official's


@admin.register(DocumentNote)
class DocumentNoteAdmin(RecordAdmin):
    """A member's note is theirs alone: the admin shows that it exists, never what it says."""

    list_display = ["user", "document", "updated_at"]
    list_select_related = ["user", "document"]
    exclude = ["text"]
