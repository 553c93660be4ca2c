"""The start page's list ("Att göra"): what waits on each role, through one protocol's whole cycle."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation

from minutes import adjustment, audit, services, todo
from minutes.demo import load_demo
from minutes.models import ArchiveExport, DocumentKind, Meeting

pytestmark = pytest.mark.django_db

SENT = datetime.date(2016, 9, 26)  # the demo meeting is on 2016-09-22; KL 5:69 gives until 2016-10-06
ADJUSTED_AT = timezone.make_aware(datetime.datetime(2016, 9, 29, 15, 0))


@pytest.fixture
def meeting(seal_certificate) -> Meeting:
    return load_demo()


def user(username: str) -> User:
    return User.objects.get(username=username)


def kinds(username: str, today: datetime.date = SENT) -> dict[str, list[tuple[str, int]]]:
    """Each role's tasks as (kind, meeting number), by role."""
    return {
        section.role: [(task.kind, task.meeting.number) for task in section.tasks]
        for section in todo.sections(user(username), today=today)
    }


def only_task(username: str, role: str, today: datetime.date = SENT) -> todo.Task:
    (section,) = [s for s in todo.sections(user(username), today=today) if s.role == role]
    (task,) = section.tasks
    return task


def send(meeting: Meeting):
    return adjustment.send_for_adjustment(meeting, user=user("helena.wik"))


def test_a_complete_draft_is_the_secretarys_to_send_by_the_adjustment_deadline(meeting):
    assert kinds("helena.wik") == {"secretary": [("send", 9)]}
    task = only_task("helena.wik", "secretary", today=datetime.date(2016, 10, 4))
    assert (task.deadline.deadline, task.deadline.days_left, task.deadline.near) == (
        datetime.date(2016, 10, 6),
        2,
        True,
    )


def test_a_draft_with_gaps_lists_them_for_the_secretary(meeting):
    meeting.adjusters.all().delete()
    task = only_task("helena.wik", "secretary")
    assert task.kind == "prepare"
    assert [(gap.label, gap.detail) for gap in task.gaps] == [("Justerare", "Utse en justerare.")]


def test_the_chair_and_the_adjuster_are_asked_to_approve_once_sent(meeting):
    send(meeting)
    assert kinds("lars.back") == {"signer": [("approve", 9)]}
    assert kinds("sofia.bergqvist") == {"signer": [("approve", 9)]}
    assert (only_task("lars.back", "signer").role, only_task("sofia.bergqvist", "signer").role) == ("chair", "adjuster")
    assert only_task("lars.back", "signer").deadline.deadline == datetime.date(2016, 10, 6)
    assert kinds("helena.wik") == {"secretary": [("follow", 9)]}
    assert kinds("registrator") == {"registrar": []}


def test_the_secretary_follows_approvals_and_disagreements(meeting):
    round = send(meeting)
    adjustment.approve(round, user=user("sofia.bergqvist"), disagreement="Jag delar inte beskrivningen i § 2.")
    task = only_task("helena.wik", "secretary")
    assert (task.kind, len(task.approvals), task.signers) == ("follow", 1, 2)
    assert [(a.person.full_name, a.note) for a in task.disagreements] == [
        ("Sofia Bergqvist", "Jag delar inte beskrivningen i § 2.")
    ]
    assert kinds("sofia.bergqvist") == {"signer": []}  # approved: nothing more for her, the section stays
    assert kinds("lars.back") == {"signer": [("approve", 9)]}


def test_an_adjusted_protocol_is_to_announce_by_the_second_day_and_to_export(meeting):
    round = send(meeting)
    adjustment.approve(round, user=user("sofia.bergqvist"), now=ADJUSTED_AT)
    adjustment.approve(round, user=user("lars.back"), now=ADJUSTED_AT)
    today = datetime.date(2016, 9, 30)
    assert kinds("helena.wik", today) == {"secretary": [("announce", 9)]}
    assert kinds("registrator", today) == {"registrar": [("announce", 9), ("export", 9)]}
    task = only_task("helena.wik", "secretary", today)
    assert (task.deadline.deadline, task.deadline.days_left) == (datetime.date(2016, 10, 1), 1)
    assert kinds("lars.back", today) == {"signer": []}


def test_an_announced_protocol_leaves_only_the_export(meeting):
    round = send(meeting)
    adjustment.approve(round, user=user("sofia.bergqvist"), now=ADJUSTED_AT)
    adjustment.approve(round, user=user("lars.back"), now=ADJUSTED_AT)
    adjustment.announce(meeting, user=user("registrator"), posted_on=timezone.localdate())
    today = timezone.localdate()
    assert kinds("helena.wik", today) == {"secretary": []}
    # Adjusted in 2016: long past the registrar's export window.
    assert kinds("registrator", today) == {"registrar": []}
    assert kinds("registrator", datetime.date(2016, 10, 2)) == {"registrar": [("export", 9)]}


def test_a_member_without_a_role_has_nothing_and_is_told_so(client, meeting):
    assert kinds("peter.oberg") == {}
    client.force_login(user("peter.oberg"))
    page = client.get(reverse("minutes:committee-list")).content.decode()
    assert "du har ingen roll som sekreterare, ordförande, justerare eller registrator" in page


def test_the_start_page_shows_the_chair_the_protocol_to_approve_with_its_deadline(client, meeting):
    send(meeting)
    client.force_login(user("lars.back"))
    response = client.get(reverse("minutes:committee-list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "läs och godkänn protokollet som ordförande." in page
    assert "Justeras senast 2016-10-06 (KL 5:69)." in page
    assert f'href="{reverse("minutes:adjustment", args=[meeting.pk])}"' in page


@pytest.mark.parametrize("drafts", [1, 5])
def test_the_secretarys_start_page_reads_the_drafts_in_a_fixed_number_of_queries(
    client, meeting, drafts, django_assert_num_queries
):
    """Every draft's checklist needs its snapshot: all are read at once, so one draft costs as many queries as five."""
    # 24 + 10 a draft before the drafts were read together; one asks for the reading room link, one for the
    # meetings the user is summoned to
    queries = 27
    for day in range(1, drafts):
        services.create_meeting(committee=meeting.committee, date=datetime.date(2016, 10, day))
    client.force_login(user("helena.wik"))
    client.get(reverse("minutes:committee-list"))  # the session and the catalogue loaded once
    with django_assert_num_queries(queries):
        response = client.get(reverse("minutes:committee-list"))
    tasks = [task.kind for section in response.context["sections"] for task in section.tasks]
    assert tasks == ["send"] + ["prepare"] * (drafts - 1)


def test_a_registrars_download_of_the_sealed_protocol_is_recorded_and_ends_the_export(client, meeting):
    round = send(meeting)
    adjustment.approve(round, user=user("sofia.bergqvist"), now=ADJUSTED_AT)
    adjustment.approve(round, user=user("lars.back"), now=ADJUSTED_AT)
    today = datetime.date(2016, 9, 30)
    protocol = round.documents.get(kind=DocumentKind.PROTOCOL, numbers=[])
    url = reverse("sealed-file", args=[protocol.sha256])
    # Neither the secretary's download nor the registrar reading it in the browser is an export.
    client.force_login(user("helena.wik"))
    assert client.get(f"{url}?download=1").status_code == 200
    client.force_login(user("registrator"))
    assert client.get(url).status_code == 200
    assert (ArchiveExport.objects.count(), kinds("registrator", today)) == (
        0,
        {"registrar": [("announce", 9), ("export", 9)]},
    )

    response = client.get(f"{url}?download=1")
    assert (response.status_code, b"".join(response.streaming_content)[:5]) == (200, b"%PDF-")
    export = ArchiveExport.objects.get()
    assert (export.round, export.document, export.exported_by) == (round, protocol, user("registrator"))
    assert kinds("registrator", today) == {"registrar": [("announce", 9)]}
    with translation.override("en"):
        trail = [
            (c.action, c.kind, c.subject, c.by) for c in audit.meeting_trail(meeting) if c.kind == "archive export"
        ]
    assert trail == [("added", "archive export", "the sealed protocol, downloaded for the archive", "Rut Registrator")]
