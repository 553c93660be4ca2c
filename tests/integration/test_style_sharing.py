"""Sharing a house style between committees of one municipality, from the style page."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from committee.models import Committee, HouseStyle
from minutes import styles
from minutes.protocol.preview import protocol_html
from tests.factories import CommitteeFactory, ItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def url(name: str, committee: Committee) -> str:
    return reverse(f"minutes:{name}", args=[committee.slug])


@pytest.fixture
def owner(demo) -> Committee:
    committee = demo.committee
    committee.house_style = styles.create_from_preset(
        "ostersund-ks", municipality=committee.municipality, owner=committee
    )
    committee.save()
    return committee


@pytest.fixture
def neighbour(owner) -> Committee:
    return CommitteeFactory(
        municipality=owner.municipality, name="Grannämnden", short_name="Grannämnden", slug="granne"
    )


@pytest.fixture
def neighbour_client(client, neighbour) -> object:
    user = User.objects.create_user("grannsekreterare", password="x")
    neighbour.secretaries.add(user)
    client.force_login(user)
    return client


def test_the_owner_shares_from_the_style_page_and_the_neighbour_prints_with_it(
    secretary_client, owner, neighbour, client
):
    page = secretary_client.get(url("style-edit", owner)).content.decode()
    assert f'<input type="hidden" name="committee" value="{neighbour.pk}">' in page
    assert "Dela husstilen" in page

    response = secretary_client.post(url("style-share", owner), {"committee": neighbour.pk, "action": "share"})

    assert (response.status_code, response.url) == (302, url("style-edit", owner))
    assert list(owner.house_style.shared_with.all()) == [neighbour]
    user = User.objects.create_user("grannsekreterare", password="x")
    neighbour.secretaries.add(user)
    client.force_login(user)
    page = client.get(url("style-edit", neighbour)).content.decode()
    assert f'<input type="hidden" name="style" value="{owner.house_style_id}">' in page

    client.post(url("style-use", neighbour), {"style": owner.house_style_id})

    neighbour.refresh_from_db()
    assert neighbour.house_style_id == owner.house_style_id
    meeting = MeetingFactory(committee=neighbour)
    ItemFactory(meeting=meeting, number=1, decision="Nämnden beslutar att godkänna rapporten.")
    html = protocol_html(meeting, public=False)
    assert (">Beslut</h3>" in html, "BESLUT" in html) == (True, False)  # Östersund's heading, not Stockholm's


def test_a_committee_of_another_municipality_is_neither_offered_nor_shared_with(secretary_client, owner):
    stranger = CommitteeFactory(municipality="Sunne kommun", slug="sunne-kf")

    page = secretary_client.get(url("style-edit", owner)).content.decode()
    response = secretary_client.post(url("style-share", owner), {"committee": stranger.pk}, follow=True)

    assert f'name="committee" value="{stranger.pk}"' not in page
    assert list(owner.house_style.shared_with.all()) == []
    assert "Välj en nämnd i samma kommun." in response.content.decode()


def test_a_style_not_shared_with_the_committee_cannot_be_used(neighbour_client, owner, neighbour):
    response = neighbour_client.post(url("style-use", neighbour), {"style": owner.house_style_id}, follow=True)

    neighbour.refresh_from_db()
    assert neighbour.house_style_id is None
    assert "Nämnden får inte använda den husstilen." in response.content.decode()


def test_only_the_committees_secretary_shares_or_chooses(neighbour_client, owner, neighbour):
    share = neighbour_client.post(url("style-share", owner), {"committee": neighbour.pk})
    use = neighbour_client.post(url("style-use", owner), {"style": owner.house_style_id})

    assert (share.status_code, use.status_code) == (403, 403)
    assert list(owner.house_style.shared_with.all()) == []


def test_a_borrowed_style_is_copied_when_the_borrower_edits_it(neighbour_client, owner, neighbour):
    styles.share_style(owner, neighbour)
    styles.use_style(neighbour, owner.house_style_id)

    neighbour_client.post(url("style-edit", neighbour), {"headings.decision": "Grannens beslut"})

    neighbour.refresh_from_db()
    owner.house_style.refresh_from_db()
    assert neighbour.house_style.owner == neighbour
    assert neighbour.house_style.document["headings"]["decision"] == "Grannens beslut"
    assert owner.house_style.document["headings"]["decision"] != "Grannens beslut"
    assert owner.house_style.version == 1


def test_sharing_ends_only_once_the_neighbour_prints_with_another_style(secretary_client, owner, neighbour):
    styles.share_style(owner, neighbour)
    styles.use_style(neighbour, owner.house_style_id)

    refused = secretary_client.post(
        url("style-share", owner), {"committee": neighbour.pk, "action": "unshare"}, follow=True
    )
    still = list(owner.house_style.shared_with.all())
    neighbour.house_style = None
    neighbour.save()
    secretary_client.post(url("style-share", owner), {"committee": neighbour.pk, "action": "unshare"})

    assert still == [neighbour]
    assert "Grannämnden trycker med husstilen" in refused.content.decode()
    assert list(owner.house_style.shared_with.all()) == []
    assert HouseStyle.objects.count() == 1
