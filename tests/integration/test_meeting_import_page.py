"""The secretary imports a meeting's exchange file from the committee page; the trail names them."""

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minutes.exchange import export_meeting
from minutes.models import Item, Meeting

pytestmark = pytest.mark.django_db


def upload(content: dict | str) -> SimpleUploadedFile:
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return SimpleUploadedFile("mote.json", text.encode(), content_type="application/json")


@pytest.fixture
def moved(demo) -> dict:
    """The demo's file, renumbered as a meeting the committee does not have yet."""
    content = json.loads(export_meeting(demo))
    content["meeting"]["number"] += 1
    return content


def test_the_committee_page_links_to_the_import_and_the_import_names_the_secretary(secretary_client, demo, moved):
    committee_page = secretary_client.get(reverse("minutes:meeting-list", args=[demo.committee.slug])).content.decode()
    import_url = reverse("minutes:meeting-import", args=[demo.committee.slug])
    assert f'href="{import_url}"' in committee_page

    response = secretary_client.post(import_url, {"file": upload(moved)})

    meeting = Meeting.objects.get(number=moved["meeting"]["number"])
    secretary = User.objects.get(username="sekreterare")
    assert (response.status_code, response.url) == (302, reverse("minutes:meeting-detail", args=[meeting.pk]))
    assert [row.history_user for row in meeting.history.all()] == [secretary]
    assert {row.history_user for row in Item.history.filter(meeting_id=meeting.pk)} == {secretary}


def test_a_refused_file_lists_its_problems_by_path_in_swedish_and_writes_nothing(secretary_client, demo, moved):
    moved["meeting"]["items"][0]["title"] = 17
    before = Meeting.objects.count()

    response = secretary_client.post(
        reverse("minutes:meeting-import", args=[demo.committee.slug]), {"file": upload(moved)}
    )

    page = response.content.decode()
    assert (response.status_code, Meeting.objects.count()) == (400, before)
    assert "<code>$.meeting.items[0].title</code>" in page
    assert "Filen importerades inte" in page


def test_a_file_of_another_committee_is_refused(secretary_client, demo, moved):
    moved["committee"]["slug"] = "annan-namnd"

    response = secretary_client.post(
        reverse("minutes:meeting-import", args=[demo.committee.slug]), {"file": upload(moved)}
    )

    assert response.status_code == 400
    assert "<code>$.committee.slug</code>" in response.content.decode()
    assert Meeting.objects.count() == 1


def test_only_the_committees_secretary_imports(client, demo, moved):
    client.force_login(User.objects.create_user("utomstaende", password="x"))

    response = client.post(reverse("minutes:meeting-import", args=[demo.committee.slug]), {"file": upload(moved)})

    assert (response.status_code, Meeting.objects.count()) == (403, 1)
