"""The demo: loaded once into an empty database, its logins printable on every start."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from committee.models import Committee, Membership
from minutes import notice as notices
from minutes import notice_revision
from minutes.agenda.documents import read_document
from minutes.demo import DEMO_ACCOUNTS
from minutes.models import (
    AgendaDocument,
    Announcement,
    Item,
    Meeting,
    MeetingNotice,
    MeetingStatus,
    SealedDocument,
)
from minutes.seal.verify import check_seal

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_demo_loads_the_seed_meeting_and_prints_a_login_for_each_role():
    loaded = run("loaddemo", "--draft")
    meeting = Meeting.objects.get()
    assert (meeting.committee.seats, meeting.items.count(), Item.objects.get(number=10).dnr) == (
        11,
        12,
        "1.5.1-392/2016",
    )
    assert meeting.status == MeetingStatus.DRAFT
    printed = run("demo_logins").strip().splitlines()
    assert printed[0].strip() == "administratör: admin / paragraf-demo"
    for role, username, _person in DEMO_ACCOUNTS:
        assert f"{role}: {username} / paragraf-demo" in loaded
        assert f"{role}: {username} / paragraf-demo" in [line.strip() for line in printed]
    assert meeting.committee.secretaries.filter(username="helena.wik").exists()
    assert meeting.committee.clerks.filter(username="registrator").exists()
    assert meeting.chair.user.username == "lars.back"


def test_the_demo_adjusts_seals_and_announces(seal_certificate):
    run("loaddemo")
    seed, recent, _coming = Meeting.objects.order_by("date")
    assert seed.status == recent.status == MeetingStatus.ANNOUNCED
    for meeting in (seed, recent):
        document = SealedDocument.objects.get(meeting=meeting, kind="protocol")
        verdict = check_seal(document.read_verified())
        assert verdict.ok and verdict.demo
    notice = Announcement.objects.get(meeting=recent)
    today = datetime.date.today()
    assert notice.posted_on < today < notice.appeal_ends_on  # the appeal period still runs
    assert Announcement.objects.get(meeting=seed).posted_on == datetime.date(2016, 9, 30)


def test_demo_refuses_a_database_with_data_unless_asked_to_skip():
    run("loaddemo", "--draft")
    with pytest.raises(CommandError, match="already has committees"):
        run("loaddemo")
    assert "not loaded" in run("loaddemo", "--if-empty") and Committee.objects.count() == 1


def test_the_demos_coming_meeting_has_an_agenda_with_documents_one_confidential(seal_certificate, client):
    run("loaddemo")
    coming = Meeting.objects.order_by("date").last()
    agenda = list(coming.agenda_items.order_by("position"))

    assert coming.date == datetime.date.today() + datetime.timedelta(days=12)
    assert [(a.title, a.confidential, a.documents.count()) for a in agenda] == [
        ("Val av justerare", False, 0),
        ("Justeringens tid och plats", False, 0),
        ("Godkännande av föredragningslistan", False, 0),
        ("Verksamhetsplan och budget 2027", False, 2),
        ("Trafiksäkerhet vid Årstaskolan. Svar på medborgarförslag", False, 2),
        ("Ansökan om bistånd i form av boende", True, 1),
        ("Anmälan av delegationsbeslut", False, 0),
    ]
    for document in AgendaDocument.objects.all():
        assert read_document(document).startswith(b"%PDF-")
    page = client.get(
        reverse("portal:agenda", args=[coming.committee.slug, coming.year, coming.number])
    ).content.decode()
    assert "Verksamhetsplan och budget 2027" in page
    assert "Ansökan om bistånd" not in page


def test_the_demos_coming_meeting_has_a_sent_notice_with_its_recipients(seal_certificate, client):
    run("loaddemo")
    coming = Meeting.objects.order_by("date").last()
    notice = MeetingNotice.objects.get(meeting=coming)
    roll = Membership.objects.on(coming.date).filter(committee=coming.committee)
    client.force_login(User.objects.get(username="helena.wik"))

    page = client.get(reverse("minutes:notice", args=[coming.pk])).content.decode()
    snapshot = notices.notice_snapshot(coming)

    assert notice.sent_at.date() == datetime.date.today() - datetime.timedelta(days=1)
    assert notice.sent_by.username == "helena.wik"
    assert notice.recipients.count() == roll.values("person").distinct().count()
    assert notice.recipients.filter(opened_at__isnull=False).count() == 3
    assert "Skickad " in page and 'id="notice-recipients"' in page
    assert notice.recipients.get(person__user__username="peter.oberg").email == "peter.oberg@example.invalid"
    (budget,) = [item for item in snapshot.items if item.title == "Verksamhetsplan och budget 2027"]
    assert budget.presenters == ("Maria Lind, controller",)
    assert notices.notice_check(coming, datetime.date.today()) is None
    # The agenda was built before the notice went out: nothing waits for a revised notice.
    assert notice_revision.pending_changes(coming) == []
    assert 'id="notice-changes"' not in page
