"""The audit trail: who changed what and when, old and new value, per meeting and per §."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from committee.models import Person
from minutes import adjustment, services
from minutes.audit import meeting_trail
from minutes.demo import load_demo
from minutes.models import AttendanceFunction, Item, Meeting, MotionKind
from tests.integration.test_editor import item_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(seal_certificate) -> Meeting:
    return load_demo()


@pytest.fixture
def secretary(meeting) -> User:
    return User.objects.get(username="helena.wik")


def signed_in(client, username: str):
    client.force_login(User.objects.get(username=username))
    return client


def changes_of(meeting: Meeting, item: Item | None = None, *, kind: str | None = None) -> list:
    return [c for c in meeting_trail(meeting, item) if kind is None or c.kind == kind]


def test_an_edit_in_the_editor_records_who_and_the_old_and_new_value(client, meeting, secretary):
    item = Item.objects.get(meeting=meeting, number=10)
    old_dnr = item.dnr
    response = signed_in(client, "helena.wik").post(
        reverse("minutes:item-edit", args=[meeting.pk, 10]), item_post(item, dnr="1.5.1-999/2016")
    )
    assert response.status_code == 200
    latest = meeting_trail(meeting)[0]
    assert (latest.action, latest.kind, latest.number, latest.by) == (
        "changed",
        "paragraf",
        10,
        secretary.get_full_name(),
    )
    assert [(f.label, f.old, f.new) for f in latest.fields] == [("Dnr", old_dnr, "1.5.1-999/2016")]


def test_the_pages_show_the_change_per_meeting_and_per_item(client, meeting):
    item = Item.objects.get(meeting=meeting, number=10)
    other = Item.objects.get(meeting=meeting, number=3)
    services.save_item(item, expected_version=item.version, dnr="DNR-TIO")
    services.save_item(other, expected_version=other.version, dnr="DNR-TRE")
    client = signed_in(client, "helena.wik")
    whole = client.get(reverse("minutes:audit-trail", args=[meeting.pk])).content.decode()
    one = client.get(reverse("minutes:item-audit-trail", args=[meeting.pk, 10])).content.decode()
    assert "DNR-TIO" in whole and "DNR-TRE" in whole
    assert "DNR-TIO" in one and "DNR-TRE" not in one
    assert "<del>" in one and "<ins>DNR-TIO</ins>" in one


def test_user_text_on_the_trail_is_escaped(client, meeting):
    item = Item.objects.get(meeting=meeting, number=10)
    services.save_item(item, expected_version=item.version, subtitle="<script>alert(1)</script>")
    page = signed_in(client, "helena.wik").get(reverse("minutes:item-audit-trail", args=[meeting.pk, 10]))
    assert "<script>alert(1)</script>" not in page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()


def test_adding_and_removing_a_motion_are_recorded_with_its_values(meeting):
    item = Item.objects.get(meeting=meeting, number=3)
    mover = Person.objects.get(last_name="Nyström")
    motion = services.add_motion(item, kind=MotionKind.TABLE, movers=[(mover, False)])
    services.remove_part(motion)
    removed, added = changes_of(meeting, item, kind="yrkande")[:2]
    assert (removed.action, added.action) == ("removed", "added")
    assert ("typ", "—", "Bordläggning") in [(f.label, f.old, f.new) for f in added.fields]
    assert any(c.kind == "förslagsställare" and c.subject == mover.full_name for c in changes_of(meeting, item))


def test_saving_the_roll_records_only_the_line_that_changed(meeting):
    rows = [
        services.RollRow(person=a.person, function=a.function, replaces=a.replaces, title=a.title)
        for a in meeting.attendances.order_by("position")
    ]
    first_serving = next(i for i, row in enumerate(rows) if row.function == AttendanceFunction.SERVING)
    rows[first_serving] = services.RollRow(
        person=rows[first_serving].person, function=AttendanceFunction.SERVING, to_number=12
    )
    before = len(meeting_trail(meeting))
    services.save_roll(meeting, rows=rows)
    new = meeting_trail(meeting)[: len(meeting_trail(meeting)) - before]
    assert [(c.action, c.kind, c.subject) for c in new] == [
        ("changed", "närvaro", rows[first_serving].person.full_name)
    ]
    assert [(f.label, f.old, f.new) for f in new[0].fields] == [("till §", "—", "§ 12")]


def test_the_adjustment_round_is_on_the_trail(client, meeting, secretary):
    signed_in(client, "helena.wik").post(reverse("minutes:adjustment-action", args=[meeting.pk]), {"action": "send"})
    round = adjustment.open_round(meeting)
    chair = User.objects.get(username="lars.back")
    adjustment.approve(round, user=chair)
    signed_in(client, "helena.wik").post(
        reverse("minutes:adjustment-action", args=[meeting.pk]),
        {"action": "reopen", "round": round.pk, "reason": "Fel Dnr i § 10"},
    )
    trail = changes_of(meeting)
    sent = next(c for c in trail if c.kind == "justeringsomgång" and c.action == "added")
    approval = next(c for c in trail if c.kind == "godkännande")
    reopened = next(c for c in trail if c.kind == "justeringsomgång" and c.action == "changed")
    assert sent.by == secretary.get_full_name() and sent.number is None
    assert approval.subject == chair.person.full_name
    assert ("skäl för att öppna igen", "—", "Fel Dnr i § 10") in [(f.label, f.old, f.new) for f in reopened.fields]
    statuses = [(f.old, f.new) for c in trail if c.kind == "sammanträde" for f in c.fields if f.label == "status"]
    assert ("Utkast", "Skickat för justering") in statuses and ("Skickat för justering", "Utkast") in statuses


def test_announcing_is_on_the_trail(meeting, secretary):
    round = adjustment.send_for_adjustment(meeting, user=secretary)
    for person, _role in adjustment.signers(meeting):
        adjustment.approve(round, user=person.user)
    adjustment.announce(meeting, user=secretary)
    kinds = {(c.kind, c.action) for c in changes_of(meeting)}
    assert {("anslag", "added"), ("förseglat dokument", "added"), ("godkännande", "added")} <= kinds


@pytest.mark.parametrize(
    ("username", "status"),
    [("helena.wik", 200), ("registrator", 200), ("admin", 200), ("lars.back", 403), ("peter.oberg", 403)],
)
def test_who_sees_the_trail(client, meeting, username, status):
    signed_in(client, username)
    assert client.get(reverse("minutes:audit-trail", args=[meeting.pk])).status_code == status
    assert client.get(reverse("minutes:item-audit-trail", args=[meeting.pk, 10])).status_code == status


def test_anonymous_is_sent_to_sign_in(client, meeting):
    response = client.get(reverse("minutes:audit-trail", args=[meeting.pk]))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_the_trail_reads_the_same_number_of_queries_however_long(client, meeting, django_assert_num_queries):
    client = signed_in(client, "helena.wik")
    url = reverse("minutes:audit-trail", args=[meeting.pk])
    client.get(url)  # session and user warm
    item = Item.objects.get(meeting=meeting, number=10)
    # one query per kind of row recorded: the archive exports (issue 14) and the agenda (issue 17) made it 23
    with django_assert_num_queries(23) as short:
        client.get(url)
    for n in range(3):
        item = services.save_item(item, expected_version=item.version, dnr=f"DNR-{n}")
    with django_assert_num_queries(len(short.captured_queries)):
        client.get(url)
