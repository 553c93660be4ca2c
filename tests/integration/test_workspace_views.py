"""Every secretariat view checks who may see it; the pages show what the meeting holds."""

import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from pypdf import PdfReader

from minutes.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(demo) -> User:
    user = User.objects.create_user("sekreterare", password="x")
    demo.committee.secretaries.add(user)
    return user


@pytest.fixture
def outsider() -> User:
    return User.objects.create_user("annan", password="x")


def urls(meeting: Meeting) -> list[str]:
    return [
        reverse("minutes:meeting-list", args=[meeting.committee.slug]),
        reverse("minutes:meeting-detail", args=[meeting.pk]),
        reverse("minutes:protocol-document", args=[meeting.pk, "html"]),
        reverse("minutes:item-document", args=[meeting.pk, 10, "txt"]),
        reverse("minutes:extract-document", args=[meeting.pk, 10, "html"]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, demo):
    for url in urls(demo):
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("login"))


def test_users_who_are_not_the_committees_secretaries_are_refused(client, demo, outsider):
    client.force_login(outsider)
    assert [client.get(url).status_code for url in urls(demo)] == [403] * 5


def test_the_committees_secretary_sees_every_page(client, demo, secretary):
    client.force_login(secretary)
    assert [client.get(url).status_code for url in urls(demo)] == [200] * 5


def test_meeting_page_lists_items_and_checklist(client, demo, secretary):
    client.force_login(secretary)
    page = client.get(reverse("minutes:meeting-detail", args=[demo.pk])).content.decode()
    assert page.count('<tr>\n<td data-label="§">') == 12
    assert "Strategi för Stockholm som smart och uppkopplad stad" in page


def test_item_text_preview_is_the_protocol_text(client, demo, secretary):
    client.force_login(secretary)
    response = client.get(reverse("minutes:item-document", args=[demo.pk, 10, "txt"]))
    assert response.content.decode().split()[:3] == ["§", "10", "Strategi"]


def test_public_pdf_withholds_the_confidential_item(client, demo, secretary):
    client.force_login(secretary)
    response = client.get(reverse("minutes:protocol-document", args=[demo.pk, "pdf"]) + "?version=public")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert ("Individärende enligt socialtjänstlagen" in text, "Ansökan om bistånd" in text) == (True, False)


def test_unknown_item_and_format_give_404(client, demo, secretary):
    client.force_login(secretary)
    assert [
        client.get(reverse("minutes:item-document", args=[demo.pk, 99, "html"])).status_code,
        client.get(reverse("minutes:protocol-document", args=[demo.pk, "docx"])).status_code,
    ] == [404, 404]


def test_secretary_creates_a_meeting_with_the_roll_prefilled(client, demo, secretary):
    client.force_login(secretary)
    response = client.post(
        reverse("minutes:meeting-list", args=[demo.committee.slug]), {"date": "2016-10-20", "place": "Rummet"}
    )
    meeting = Meeting.objects.get(date="2016-10-20")
    assert response["Location"] == reverse("minutes:meeting-detail", args=[meeting.pk])
    assert (meeting.number, meeting.attendances.count(), meeting.chair.last_name) == (10, 11, "Bäck")


def test_impossible_date_is_refused_at_the_field_in_swedish(client, demo, secretary):
    client.force_login(secretary)
    response = client.post(reverse("minutes:meeting-list", args=[demo.committee.slug]), {"date": "2016-02-30"})
    page = response.content.decode()
    assert "Fyll i ett giltigt datum." in page.split('id="div_id_date"')[1].split('id="div_id_start_time"')[0]
    assert Meeting.objects.count() == 1


def test_agenda_add_move_and_remove_renumber_the_items(client, demo, secretary):
    client.force_login(secretary)
    url = reverse("minutes:agenda", args=[demo.pk])
    client.post(url, {"action": "add", "title": "Extra ärende"})
    client.post(url, {"action": "up", "number": "13"})
    assert list(demo.items.order_by("position").values_list("number", "title"))[-2:] == [
        (12, "Extra ärende"),
        (13, "Frågor från ledamöterna"),
    ]
    client.post(url, {"action": "remove", "number": "1"})
    numbers = list(demo.items.order_by("position").values_list("number", flat=True))
    assert numbers == list(range(1, 13)) and demo.items.get(number=9).title.startswith("Strategi")


def test_agenda_refuses_outsiders_and_bad_input(client, demo, secretary, outsider):
    url = reverse("minutes:agenda", args=[demo.pk])
    client.force_login(outsider)
    assert client.post(url, {"action": "add", "title": "X"}).status_code == 403
    client.force_login(secretary)
    assert [
        client.post(url, {"action": "add", "title": ""}).status_code,
        client.post(url, {"action": "up", "number": "x"}).status_code,
        client.post(url, {"action": "nonsense"}).status_code,
        client.get(url).status_code,
    ] == [400, 400, 400, 405]
