"""The § editor: saves through the services, refuses stale and rule-breaking input, escapes text."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from committee.models import Person
from minutes.models import Item, Meeting, Motion, MotionKind

pytestmark = pytest.mark.django_db


def url(meeting: Meeting, number: int = 10) -> str:
    return reverse("minutes:item-edit", args=[meeting.pk, number])


def item_post(item: Item, **changes) -> dict:
    data = {
        "action": "item",
        "version": item.version,
        "item-version": item.version,
        "item-title": item.title,
        "item-subtitle": item.subtitle,
        "item-dnr": item.dnr,
        "item-decision": item.decision,
        "item-matter": item.matter,
        "item-report_date": item.report_date.isoformat() if item.report_date else "",
        "item-base_proposal": item.base_proposal,
        "item-report_wording": item.report_wording,
        "item-public_heading": item.public_heading,
    }
    data.update({f"item-{k}": v for k, v in changes.items()})
    return data


def test_editor_page_shows_the_preview_of_the_item(secretary_client, demo):
    page = secretary_client.get(url(demo)).content.decode()
    assert "Arne Fredholm (M) anmälde jäv och lämnade sammanträdet medan ärendet handlades." in page


def test_editor_refuses_other_users_and_anonymous(client, demo):
    assert client.get(url(demo)).status_code == 302
    client.force_login(User.objects.create_user("annan", password="x"))
    assert [client.get(url(demo)).status_code, client.post(url(demo), {"action": "item"}).status_code] == [403, 403]


def test_saving_the_item_updates_the_preview(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    response = secretary_client.post(url(demo), item_post(item, dnr="1.5.1-999/2016"), HTTP_HX_REQUEST="true")
    assert "Dnr 1.5.1-999/2016" in response.content.decode()
    assert Item.objects.get(pk=item.pk).dnr == "1.5.1-999/2016"


def test_second_save_with_a_stale_version_is_refused_and_nothing_lost(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    first = item_post(item, dnr="FÖRSTA")
    second = item_post(item, dnr="ANDRA")
    assert secretary_client.post(url(demo), first).status_code == 200
    response = secretary_client.post(url(demo), second)
    page = response.content.decode()
    assert (response.status_code, Item.objects.get(pk=item.pk).dnr) == (409, "FÖRSTA")
    assert 'id="stale"' in page and "ANDRA" in page


def test_adding_a_motion_by_a_recused_member_is_refused_at_the_field(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    fredholm = Person.objects.get(last_name="Fredholm")
    before = Motion.objects.count()
    response = secretary_client.post(
        url(demo),
        {"action": "motion", "version": item.version, "motion-kind": MotionKind.REJECT, "motion-movers": [fredholm.pk]},
    )
    assert Motion.objects.count() == before
    page = response.content.decode()
    movers_field = page.split('id="div_id_motion-movers"')[1].split('id="div_id_motion-with_others"')[0]
    # He is not among the choices (only members serving on this § are), so Django's own Swedish message says so.
    assert f"{fredholm.pk} finns inte bland tillgängliga alternativ." in movers_field


def test_adding_a_motion_shows_its_sentence(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=3)
    holm = Person.objects.get(last_name="Nyström")
    response = secretary_client.post(
        url(demo, 3),
        {
            "action": "motion",
            "version": item.version,
            "motion-kind": MotionKind.TABLE,
            "motion-movers": [holm.pk],
            "motion-with_others": [holm.pk],
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Erik Nyström m fl (M) yrkade att ärendet skulle bordläggas." in response.content.decode()


def test_script_in_text_is_stored_as_text_and_escaped(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    secretary_client.post(url(demo), item_post(item, decision="<script>alert(1)</script>"))
    page = secretary_client.get(url(demo)).content.decode()
    assert Item.objects.get(pk=item.pk).decision == "<script>alert(1)</script>"
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_wording_replaces_a_sentence_and_restoring_brings_it_back(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    recusal = item.recusals.get()
    generated = "Arne Fredholm (M) anmälde jäv och lämnade sammanträdet medan ärendet handlades."
    own = {"action": "wording", "part": "recusal", "id": recusal.pk, "wording": "Arne Fredholm (M) deltog inte."}
    page = secretary_client.post(url(demo), {**own, "version": item.version}, HTTP_HX_REQUEST="true").content.decode()
    preview = page.split('id="preview"')[1]
    assert ("Arne Fredholm (M) deltog inte." in preview, generated in preview) == (True, False)
    item.refresh_from_db()
    restore = {**own, "wording": "", "version": item.version}
    preview = (
        secretary_client.post(url(demo), restore, HTTP_HX_REQUEST="true").content.decode().split('id="preview"')[1]
    )
    assert generated in preview


def test_malformed_part_requests_are_refused_not_errors(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    base = {"action": "wording", "version": item.version, "wording": "x"}
    assert [
        secretary_client.post(url(demo), {**base, "part": "nonsense", "id": "1"}).status_code,
        secretary_client.post(url(demo), {**base, "part": "recusal", "id": "abc"}).status_code,
        secretary_client.post(url(demo), {"action": "item"}).status_code,
        secretary_client.post(url(demo), {"action": "bogus", "version": item.version}).status_code,
    ] == [400, 400, 400, 400]
