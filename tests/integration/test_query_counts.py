"""The secretary's workspace reads the database a fixed number of times, however long the meeting.

The § editor, its htmx save-and-preview and the meeting page are each counted on a meeting of
3 §§ with two motions a § and 9 members, and on one of 12 §§ with four motions a § and 13
members: the counts must be the same.
"""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from minutes import rules
from minutes.models import AttendanceFunction, Item, Meeting, MotionKind, PropositionKind
from tests.factories import (
    AttendanceFactory,
    MotionFactory,
    MotionMoverFactory,
    PropositionFactory,
    RecusalFactory,
    ReservationFactory,
    ReservationMemberFactory,
    StatementAuthorFactory,
    StatementFactory,
    serving_meeting,
)

pytestmark = pytest.mark.django_db

SIZES = pytest.mark.parametrize(
    ("items", "motions", "members"), [(3, 2, 9), (12, 4, 13)], ids=["3 §§, 9 members", "12 §§, 13 members"]
)

EDITOR_GET = 17
EDITOR_SAVE = 28  # one the audit trail's historical row of the §; 45 before the meeting and § were read once
MEETING_GET = 19  # one of them counts the agenda items still to become §§


def full_meeting(items: int, motions: int, members: int) -> Meeting:
    """A draft meeting of `members` (at least 9) and two substitutes present; on every §: `motions`
    motions, the chair's proposition, a recusal with a substitute serving instead, a reservation and
    a statement."""
    meeting = serving_meeting(n_members=members, n_items=items)
    people = [a.person for a in meeting.attendances.order_by("position")]
    substitutes = [
        AttendanceFactory(meeting=meeting, function=AttendanceFunction.NON_SERVING, position=20 + n).person
        for n in range(2)
    ]
    for item in meeting.items.order_by("position"):
        rows = []
        for position in range(motions):
            motion = MotionFactory(
                item=item, position=position, kind=MotionKind.APPROVE if position == 0 else MotionKind.REJECT
            )
            MotionMoverFactory(motion=motion, person=people[1 + position], position=0)
            MotionMoverFactory(motion=motion, person=people[5 + position % 3], position=1, with_others=True)
            rows.append(motion)
        PropositionFactory(item=item, position=0, kind=PropositionKind.AGAINST_EACH_OTHER, outcome=rows[0])
        RecusalFactory(item=item, person=people[8], substitute=substitutes[0])
        reservation = ReservationFactory(item=item, position=0, in_favour_of=rows[1])
        ReservationMemberFactory(reservation=reservation, person=people[2], position=0)
        statement = StatementFactory(item=item, position=0)
        StatementAuthorFactory(statement=statement, person=people[3], position=0)
        rules.check_item(item)
    return meeting


@pytest.fixture
def secretary_client(client):
    def signed_in(meeting: Meeting):
        user = User.objects.create_user("sekreterare", password="x")
        meeting.committee.secretaries.add(user)
        client.force_login(user)
        return client

    return signed_in


def csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def without_nonces(page: str) -> str:
    """The page with its Content-Security-Policy nonces blanked: each response gets new ones."""
    return re.sub(r'nonce="[^"]+"', 'nonce=""', page)


def item_post(item: Item) -> dict:
    """What the editor's § form posts, with a changed matter."""
    return {
        "action": "item",
        "version": item.version,
        "item-version": item.version,
        "item-title": item.title,
        "item-subtitle": item.subtitle,
        "item-dnr": item.dnr,
        "item-decision": "Nämnden godkänner förslaget.",
        "item-matter": f"Ändrad text, version {item.version}.",
        "item-report_date": "",
        "item-base_proposal": item.base_proposal,
        "item-report_wording": item.report_wording,
        "item-public_heading": item.public_heading,
    }


@SIZES
def test_editor_page_query_count_is_fixed(secretary_client, django_assert_num_queries, items, motions, members):
    meeting = full_meeting(items, motions, members)
    client = secretary_client(meeting)
    url = reverse("minutes:item-edit", args=[meeting.pk, 2])
    with django_assert_num_queries(EDITOR_GET):
        response = client.get(url)
    with django_assert_num_queries(EDITOR_GET):  # the add-forms' fields now come from the rendered ones kept
        again = client.get(url)
    page = response.content.decode()
    assert without_nonces(again.content.decode()) == without_nonces(
        page.replace(csrf(page), csrf(again.content.decode()))
    )
    # Everyone serving is offered as a mover (the recused member's substitute in their place).
    assert (response.status_code, page.count('name="motion-movers"')) == (200, members)


@SIZES
def test_htmx_save_and_preview_query_count_is_fixed(
    secretary_client, django_assert_num_queries, items, motions, members
):
    meeting = full_meeting(items, motions, members)
    client = secretary_client(meeting)
    item = meeting.items.get(number=2)
    url = reverse("minutes:item-edit", args=[meeting.pk, 2])
    client.get(url)  # as a secretary does before saving
    with django_assert_num_queries(EDITOR_SAVE):
        response = client.post(url, item_post(item), headers={"HX-Request": "true"})
    item.refresh_from_db()
    assert (response.status_code, item.version, item.matter) == (200, 2, "Ändrad text, version 1.")
    assert "Ändrad text, version 1." in response.content.decode()


@SIZES
def test_meeting_page_query_count_is_fixed(secretary_client, django_assert_num_queries, items, motions, members):
    meeting = full_meeting(items, motions, members)
    client = secretary_client(meeting)
    with django_assert_num_queries(MEETING_GET):
        response = client.get(reverse("minutes:meeting-detail", args=[meeting.pk]))
    page = response.content.decode()
    edit_links = [reverse("minutes:item-edit", args=[meeting.pk, n]) for n in range(1, items + 1)]
    assert (response.status_code, [link in page for link in edit_links]) == (200, [True] * items)
