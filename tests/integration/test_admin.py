"""The admin as an editor: every page opens, and no save gets past the rules."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from committee.models import HouseStyleVersion
from minutes.models import (
    AdjustedSnapshot,
    Adjuster,
    AdjustmentRound,
    AgendaDocument,
    AgendaInvitee,
    Announcement,
    Approval,
    ArchiveExport,
    Attendance,
    AttendanceFunction,
    DocumentNote,
    Item,
    Meeting,
    MeetingNotice,
    MeetingStatus,
    Motion,
    MotionKind,
    MotionMover,
    NoticeRecipient,
    Notification,
    Preview,
    PublishedFile,
    Recusal,
    RoundState,
    SealedDocument,
    SealingJob,
)
from minutes.models.search import SearchEntry
from minutes.services import add_motion
from tests.factories import serving_meeting

pytestmark = pytest.mark.django_db

MODELS = [
    model
    for app in ("committee", "minutes")
    for model in apps.get_app_config(app).get_models()
    # The audit trail's historical rows are read on its own pages, never in the admin.
    if not model._meta.auto_created and not hasattr(model, "instance_type")
]
# The adjustment's records (written by Paragraf once), the workers' jobs and the search index: read-only.
RECORDS = [
    *(AdjustmentRound, Approval, SealedDocument, AdjustedSnapshot, Announcement, SearchEntry, SealingJob, Preview),
    Notification,
    ArchiveExport,
    AgendaDocument,  # checked and stored whole by minutes.agenda.documents
    *(MeetingNotice, NoticeRecipient, AgendaInvitee, DocumentNote),
    PublishedFile,
    HouseStyleVersion,
]
EDITABLE = [model for model in MODELS if model not in RECORDS]


@pytest.fixture
def admin_client(client, django_user_model):
    """A superuser without a password: hashing one costs a second per test."""
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", password=None)
    client.force_login(user)
    return client


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_has_an_admin():
    assert [model for model in MODELS if not admin.site.is_registered(model)] == []


@pytest.mark.parametrize("model", EDITABLE, ids=lambda model: model.__name__)
def test_changelist_opens(admin_client, model):
    serving_meeting(n_members=3)

    response = admin_client.get(url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["title"] == gettext("Select %s to change") % model._meta.verbose_name
    assert str(model._meta.verbose_name) in response.text


@pytest.mark.parametrize("model", EDITABLE, ids=lambda model: model.__name__)
def test_add_page_opens(admin_client, model):
    response = admin_client.get(url(model, "add"))

    assert response.status_code == 200
    assert response.context["title"] == gettext("Add %s") % model._meta.verbose_name
    assert str(model._meta.verbose_name) in response.text


@pytest.mark.parametrize("model", RECORDS, ids=lambda model: model.__name__)
def test_adjustment_records_are_read_only(admin_client, model):
    response = admin_client.get(url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["title"] == gettext("Select %s to view") % model._meta.verbose_name
    assert admin_client.get(url(model, "add")).status_code == 403


def form_data(response) -> dict[str, object]:
    """What the browser would post back from the change form as it was rendered."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, object] = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form[name].html_name] = "on"
            elif value is not None and value is not False:
                data[form[name].html_name] = value
    return data


def add_inline_row(data: dict, prefix: str, **fields) -> None:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value


def test_item_save_with_a_recused_mover_is_refused(admin_client):
    meeting = serving_meeting(n_members=5)
    item = meeting.items.get()
    mover = meeting.attendances.order_by("position")[2].person
    add_motion(item, kind=MotionKind.APPROVE, movers=[(mover, True)])
    item.refresh_from_db()
    page = admin_client.get(url(Item, "change", item.pk))
    data = form_data(page)
    data["title"] = "Ändrad titel"
    add_inline_row(data, "recusals", person=mover.pk, left_room="on")

    response = admin_client.post(url(Item, "change", item.pk), data)

    assert response.status_code == 200  # the form again, not a redirect
    assert response.context["adminform"].form.non_field_errors() == [
        f"§ 1: {mover} är jävig i denna paragraf och kan inte yrka."
    ]
    item.refresh_from_db()
    assert (item.title, item.version, Recusal.objects.count()) == (page.context["original"].title, 2, 0)


def test_motion_save_with_a_recused_mover_inline_is_refused(admin_client):
    meeting = serving_meeting(n_members=5)
    item = meeting.items.get()
    people = [attendance.person for attendance in meeting.attendances.order_by("position")]
    motion = add_motion(item, kind=MotionKind.APPROVE, movers=[(people[0], True)])
    Recusal.objects.create(item=item, person=people[3])
    page = admin_client.get(url(Motion, "change", motion.pk))
    data = form_data(page)
    data["kind"] = MotionKind.REJECT
    add_inline_row(data, "movers", person=people[3].pk, position=2)

    response = admin_client.post(url(Motion, "change", motion.pk), data)

    assert response.context["adminform"].form.non_field_errors() == [
        f"§ 1: {people[3]} är jävig i denna paragraf och kan inte yrka."
    ]
    motion.refresh_from_db()
    assert (motion.kind, list(MotionMover.objects.values_list("person", flat=True))) == (
        MotionKind.APPROVE,
        [people[0].pk],
    )


def test_item_save_that_keeps_the_rules_is_saved(admin_client):
    meeting = serving_meeting(n_members=5)
    item = meeting.items.get()
    data = form_data(admin_client.get(url(Item, "change", item.pk)))
    data["title"] = "Ändrad titel"
    add_inline_row(data, "recusals", person=meeting.attendances.order_by("position")[4].person.pk, left_room="on")

    response = admin_client.post(url(Item, "change", item.pk), data)

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.version, Recusal.objects.filter(item=item).count()) == ("Ändrad titel", 2, 1)


def test_new_motion_without_mover_is_refused(admin_client):
    meeting = serving_meeting(n_members=3)
    item = meeting.items.get()
    data = form_data(admin_client.get(url(Motion, "add")))
    data.update(item=item.pk, kind=MotionKind.APPROVE, position=1)

    response = admin_client.post(url(Motion, "add"), data)

    assert response.context["adminform"].form.non_field_errors() == [
        "§ 1: Ett yrkande måste ha minst en förslagsställare."
    ]
    assert Motion.objects.count() == 0


@pytest.mark.parametrize("model", [Meeting, Item], ids=lambda model: model.__name__)
def test_meeting_that_is_not_a_draft_cannot_be_changed(admin_client, model):
    meeting = serving_meeting(n_members=3)
    item = meeting.items.get()
    obj = meeting if model is Meeting else item
    data = form_data(admin_client.get(url(model, "change", obj.pk)))
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.LOCKED)
    data["place"] = data["title"] = "Ändrat"

    view = admin_client.get(url(model, "change", obj.pk))
    response = admin_client.post(url(model, "change", obj.pk), data)

    assert (view.context["has_change_permission"], response.status_code) == (False, 403)
    item.refresh_from_db()
    meeting.refresh_from_db()
    assert "Ändrat" not in (item.title, meeting.place)


def test_deleting_the_last_mover_is_refused(admin_client):
    meeting = serving_meeting(n_members=3)
    item = meeting.items.get()
    mover = meeting.attendances.order_by("position")[0].person
    motion = add_motion(item, kind=MotionKind.APPROVE, movers=[(mover, True)])
    row = motion.movers.get()

    response = admin_client.post(url(MotionMover, "delete", row.pk), {"post": "yes"})

    assert response.url == url(MotionMover, "change", row.pk)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "§ 1: Ett yrkande måste ha minst en förslagsställare."
    ]
    assert list(motion.movers.values_list("person", flat=True)) == [mover.pk]


def test_deleting_an_item_renumbers_the_rest(admin_client):
    meeting = serving_meeting(n_members=3, n_items=3)
    first, second, third = meeting.items.order_by("position")

    admin_client.post(url(Item, "delete", first.pk), {"post": "yes"})

    assert list(meeting.items.order_by("position").values_list("pk", "position", "number")) == [
        (second.pk, 1, 1),
        (third.pk, 2, 2),
    ]


# The status moves through the adjustment alone; what is adjusted is refused with a message, never a 500


def test_a_posted_status_changes_nothing(admin_client):
    """Before, status=announced published a draft with no round, approvals or seal (and then answered 500)."""
    meeting = serving_meeting(n_members=3)
    page = admin_client.get(url(Meeting, "change", meeting.pk))
    data = form_data(page)
    data.update(status=MeetingStatus.ANNOUNCED, place="Stadshuset")

    response = admin_client.post(url(Meeting, "change", meeting.pk), data)

    assert ("status" in page.context["adminform"].form.fields, response.status_code) == (False, 302)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.place, Announcement.objects.count()) == (MeetingStatus.DRAFT, "Stadshuset", 0)
    assert "Utkast" in admin_client.get(url(Meeting, "change", meeting.pk)).text  # shown, read-only


def test_a_new_meeting_is_a_draft_whatever_is_posted(admin_client):
    meeting = serving_meeting(n_members=3)
    data = form_data(admin_client.get(url(Meeting, "add")))
    data.update(committee=meeting.committee.pk, number=2, date="2016-10-20", status=MeetingStatus.ANNOUNCED)

    response = admin_client.post(url(Meeting, "add"), data)

    assert response.status_code == 302
    assert Meeting.objects.get(number=2).status == MeetingStatus.DRAFT


def add_rows(meeting: Meeting) -> dict[type, dict[str, object]]:
    """For each kind of row, a valid add form under the meeting's one §, the parent included."""
    item = meeting.items.get()
    people = [attendance.person for attendance in meeting.attendances.order_by("position")]
    motion = add_motion(item, kind=MotionKind.APPROVE, movers=[(people[0], False)])
    return {
        Item: {"meeting": meeting.pk, "position": 2, "number": 2, "title": "Nytt ärende"},
        Attendance: {
            "meeting": meeting.pk,
            "person": people[1].pk,
            "function": AttendanceFunction.OTHER,
            "position": 9,
        },
        Adjuster: {"meeting": meeting.pk, "person": people[1].pk, "position": 1},
        Recusal: {"item": item.pk, "person": people[2].pk, "left_room": "on"},
        MotionMover: {"motion": motion.pk, "person": people[1].pk, "position": 2},
    }


@pytest.mark.parametrize("model", [Item, Attendance, Adjuster, Recusal, MotionMover], ids=lambda m: m.__name__)
def test_adding_under_an_adjusted_meeting_is_refused_at_the_parent(admin_client, model):
    """Before, the add page answered 500: the database's trigger refused the row."""
    meeting = serving_meeting(n_members=3)
    fields = add_rows(meeting)[model]
    data = form_data(admin_client.get(url(model, "add")))
    data.update(fields)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.ADJUSTED)
    before = model.objects.count()

    response = admin_client.post(url(model, "add"), data)

    parent = next(iter(fields))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        parent: [f"Protokollet för sammanträdet {meeting} är inte längre ett utkast och kan inte ändras."]
    }
    assert model.objects.count() == before


def test_the_same_row_under_a_draft_is_added(admin_client):
    meeting = serving_meeting(n_members=3)
    data = form_data(admin_client.get(url(Recusal, "add")))
    data.update(add_rows(meeting)[Recusal])

    assert admin_client.post(url(Recusal, "add"), data).status_code == 302
    assert Recusal.objects.count() == 1


def test_a_section_awaiting_its_immediate_adjustment_is_read_only(admin_client):
    """Before, the admin changed a § whose own adjustment round was open, under its signers' eyes."""
    meeting = serving_meeting(n_members=3)
    item = meeting.items.get()
    data = form_data(admin_client.get(url(Item, "change", item.pk)))
    user = admin_client.get(url(Item, "change", item.pk)).wsgi_request.user
    AdjustmentRound.objects.create(meeting=meeting, item=item, opened_by=user)
    data["title"] = "Ändrat"

    view = admin_client.get(url(Item, "change", item.pk))
    response = admin_client.post(url(Item, "change", item.pk), data)

    assert (view.context["has_change_permission"], response.status_code) == (False, 403)
    item.refresh_from_db()
    assert item.title != "Ändrat"


def test_a_write_the_database_refuses_is_a_message_on_the_form(admin_client):
    """The triggers are the floor: a write the pages let through is refused by them, and shown as an error.

    Here the meeting is a draft, but its § was adjusted on its own: the meeting's page edits its §§
    in a table, which does not ask each § whether it may change.
    """
    meeting = serving_meeting(n_members=3)
    item = meeting.items.get()
    page = admin_client.get(url(Meeting, "change", meeting.pk))
    data = form_data(page)
    user = page.wsgi_request.user
    AdjustmentRound.objects.create(
        meeting=meeting, item=item, opened_by=user, state=RoundState.COMPLETED, closed_at=timezone.now()
    )
    data["items-0-title"] = "Ändrat"

    response = admin_client.post(url(Meeting, "change", meeting.pk), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Detta hör till ett protokoll som har justerats och inte längre kan ändras."
    ]
    item.refresh_from_db()
    assert item.title != "Ändrat"
