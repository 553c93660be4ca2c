"""The § editor's draft save and live preview: the lock, nothing stored by a preview, who may, errors at the field."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from committee.models import Person
from minutes.models import Item, Meeting, MeetingStatus, Motion, MotionKind
from tests.integration.test_editor import item_post

pytestmark = pytest.mark.django_db


def draft_url(meeting: Meeting, number: int = 10) -> str:
    return reverse("minutes:item-draft", args=[meeting.pk, number])


def preview_url(meeting: Meeting, number: int = 10) -> str:
    return reverse("minutes:item-preview", args=[meeting.pk, number])


def test_draft_save_stores_the_text_and_answers_the_new_version(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    response = secretary_client.post(draft_url(demo), item_post(item, decision="Nämnden beslutar att bygga en bro."))
    data = response.json()
    stored = Item.objects.get(pk=item.pk)
    assert (response.status_code, stored.decision, data["version"]) == (
        200,
        "Nämnden beslutar att bygga en bro.",
        item.version + 1,
    )
    assert data["message"].startswith("Sparat ")
    assert "Nämnden beslutar att bygga en bro." in data["preview"]


def test_draft_save_with_a_stale_version_is_refused_and_stores_nothing(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    first = secretary_client.post(draft_url(demo), item_post(item, dnr="FÖRSTA"))
    assert first.status_code == 200
    second = secretary_client.post(draft_url(demo), item_post(item, dnr="ANDRA"))  # still the old version
    stored = Item.objects.get(pk=item.pk)
    assert (second.status_code, stored.dnr, stored.version) == (409, "FÖRSTA", item.version + 1)
    assert second.json() == {
        "message": "Någon annan sparade paragrafen medan du skrev. Din text sparades inte.",
        "version": item.version + 1,
    }


def test_draft_save_puts_swedish_errors_at_the_field(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    response = secretary_client.post(
        draft_url(demo), item_post(item, confidential="on", public_heading="", report_date="inte ett datum")
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "item-report_date": ["Fyll i ett giltigt datum."],
        "item-public_heading": ["En paragraf med sekretess behöver en rubrik för den offentliga versionen."],
    }
    assert Item.objects.get(pk=item.pk).version == item.version


def test_preview_renders_the_typed_text_without_storing_it(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    response = secretary_client.post(preview_url(demo), item_post(item, decision="Osparad text om en ny skola."))
    stored = Item.objects.get(pk=item.pk)
    assert response.status_code == 200
    assert "Osparad text om en ny skola." in response.json()["preview"]
    assert (stored.decision, stored.version) == (item.decision, item.version)


def test_preview_of_an_invalid_field_keeps_the_stored_value_and_names_the_error(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    response = secretary_client.post(preview_url(demo), item_post(item, report_date="2099-99-99", dnr="NY-DNR 7"))
    data = response.json()
    assert (response.status_code, data["errors"]) == (200, {"item-report_date": ["Fyll i ett giltigt datum."]})
    assert "NY-DNR 7" in data["preview"]
    assert Item.objects.get(pk=item.pk).dnr == item.dnr


def test_draft_and_preview_are_refused_to_others_and_to_anonymous(client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    data = item_post(item, dnr="INTRÅNG")
    anonymous = [client.post(draft_url(demo), data).status_code, client.post(preview_url(demo), data).status_code]
    client.force_login(User.objects.create_user("utomstående", password="x"))
    stranger = [client.post(draft_url(demo), data).status_code, client.post(preview_url(demo), data).status_code]
    assert (anonymous, stranger) == ([302, 302], [403, 403])
    assert Item.objects.get(pk=item.pk).dnr == item.dnr


def test_draft_save_is_refused_once_the_protocol_is_sent_for_adjustment(secretary_client, demo):
    Meeting.objects.filter(pk=demo.pk).update(status=MeetingStatus.LOCKED)
    item = Item.objects.get(meeting=demo, number=10)
    response = secretary_client.post(draft_url(demo), item_post(item, dnr="FÖR SENT"))
    assert (response.status_code, response.json()) == (
        403,
        {"message": "Sammanträdets protokoll kan inte längre ändras."},
    )
    assert Item.objects.get(pk=item.pk).dnr == item.dnr


def test_draft_and_preview_only_answer_posts(secretary_client, demo):
    assert [secretary_client.get(draft_url(demo)).status_code, secretary_client.get(preview_url(demo)).status_code] == [
        405,
        405,
    ]


def test_locked_editor_disables_its_fields_and_says_why(secretary_client, demo):
    Meeting.objects.filter(pk=demo.pk).update(status=MeetingStatus.LOCKED)
    html = secretary_client.get(reverse("minutes:item-edit", args=[demo.pk, 10])).content.decode()
    assert '<fieldset class="editor-fields" disabled>' in html
    assert "Protokollet är skickat för justering." in html
    assert 'id="draft-state"' not in html


def test_editor_dropdowns_offer_a_dash_not_djangos_english_empty_label(secretary_client, demo):
    html = secretary_client.get(reverse("minutes:item-edit", args=[demo.pk, 3])).content.decode()
    assert "Select an option" not in html
    # Six dropdowns with an empty choice (outcome, Ja, Nej, conflict of interest, substitute, reservation),
    # and the casting vote's.
    assert html.count('<option value="" selected>—</option>') == 7


def test_editor_decision_box_is_eight_rows(secretary_client, demo):
    html = secretary_client.get(reverse("minutes:item-edit", args=[demo.pk, 10])).content.decode()
    assert 'name="item-decision" cols="40" rows="8"' in html


def test_json_errors_are_plain_json(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    response = secretary_client.post(draft_url(demo), {**item_post(item), "version": "x"})
    assert (response.status_code, json.loads(response.content)) == (
        400,
        {"message": "Formuläret saknar paragrafens versionsnummer."},
    )


DRAFT_SAVE = 27  # the meeting read once, the § with all its parts (13), the save in its transaction, one historical row
PREVIEW = 17


def test_draft_save_and_preview_query_counts_are_fixed(secretary_client, demo, django_assert_num_queries):
    item = Item.objects.get(meeting=demo, number=10)
    with django_assert_num_queries(DRAFT_SAVE):
        saved = secretary_client.post(draft_url(demo), item_post(item, dnr="RÄKNAD 1"))
    item.refresh_from_db()
    with django_assert_num_queries(PREVIEW):
        previewed = secretary_client.post(preview_url(demo), item_post(item, dnr="RÄKNAD 2"))
    assert (saved.status_code, previewed.status_code) == (200, 200)


def draft_state(page: str) -> tuple[str, str]:
    """The state line beside the § form: its data-state and its text."""
    found = re.search(r'<span id="draft-state"[^>]*?(?: data-state="(\w+)")?>([^<]*)</span>', page)
    return found.group(1) or "", found.group(2)


def test_the_editor_says_when_it_was_saved_after_an_in_page_action(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    editor = reverse("minutes:item-edit", args=[demo.pk, 10])
    assert draft_state(secretary_client.get(editor).content.decode()) == ("", "")
    backman = Person.objects.get(last_name="Backman")
    motions = Motion.objects.filter(item=item).count()
    motion = {"action": "motion", "version": item.version, "motion-kind": MotionKind.APPROVE}

    added = secretary_client.post(editor, motion | {"motion-movers": [backman.pk]}, HTTP_HX_REQUEST="true")
    now = timezone.localtime()
    assert (added.status_code, Motion.objects.filter(item=item).count()) == (200, motions + 1)
    assert draft_state(added.content.decode()) in {
        ("saved", f"Sparat {at:%H.%M}") for at in (now - datetime.timedelta(minutes=1), now)
    }
    # Nothing saved, nothing said: a motion without a mover is refused at its field.
    refused = secretary_client.post(editor, motion | {"version": item.version + 1}, HTTP_HX_REQUEST="true")
    assert (Motion.objects.filter(item=item).count(), draft_state(refused.content.decode())) == (motions + 1, ("", ""))
