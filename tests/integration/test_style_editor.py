"""The house-style editor: who may use it, the preview, saving versions, export, import and diffs."""

import io
import json
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from committee.models import Committee, HouseStyleVersion
from minutes import styles
from minutes.protocol import housestyle
from minutes.protocol.preview import protocol_html

pytestmark = pytest.mark.django_db

CHANGED = "{{ movers }} yrkade bifall till {{ base_proposal }} i sin helhet."


def url(name: str, committee: Committee) -> str:
    return reverse(f"minutes:{name}", args=[committee.slug])


def test_the_editor_is_the_committees_secretaries_own(client, demo):
    committee = demo.committee
    anonymous = client.get(url("style-edit", committee))
    client.force_login(User.objects.create_user("utomstaende", password="x"))
    other = [client.get(url(name, committee)).status_code for name in ("style-edit", "style-export", "style-diff")]
    posted = client.post(url("style-preview", committee), {"motion.approve": CHANGED}).status_code
    assert (anonymous.status_code, anonymous.url.split("?")[0], other, posted) == (
        302,
        reverse("login"),
        [403, 403, 403],
        403,
    )


def test_the_committee_page_links_to_the_editor_which_lists_templates_with_placeholders(secretary_client, demo):
    committee_page = secretary_client.get(url("meeting-list", demo.committee)).content.decode()
    page = secretary_client.get(url("style-edit", demo.committee)).content.decode()
    assert url("style-edit", demo.committee) in committee_page
    assert 'name="motion.approve"' in page
    assert "<code>movers</code>" in page
    assert "Kjell Backman m fl (S)" in page  # the preview of the demo meeting


def test_preview_uses_the_typed_style_and_stores_nothing(secretary_client, demo):
    answer = secretary_client.post(url("style-preview", demo.committee), {"motion.approve": CHANGED}).json()
    assert (answer["errors"], "i sin helhet." in answer["preview"], HouseStyleVersion.objects.count()) == ({}, True, 0)


def test_preview_shows_the_whole_protocol_as_the_typed_style_prints_it(secretary_client, demo):
    """First page, roll page, §§, signatures and anslagsbevis all follow the unsaved style."""
    before = Committee.objects.get(pk=demo.committee_id).house_style_id
    posted = {
        "first_page.paragraphs_label": "Paragrafnummer",
        "roll_placement": "own_page",
        "first_page.roll_reference": "Se uppropet",
        "signatures.heading": "Namnteckningar",
        "certificate.heading": "BEVIS OM ANSLAG",
        "motion.approve": CHANGED,
    }
    preview = secretary_client.post(url("style-preview", demo.committee), posted).json()["preview"]
    start = preview.index('<section class="protocol-start">')
    parts = [
        preview.index(text, start)
        for text in (
            "<dd>Se uppropet</dd>",
            "<dt>Paragrafnummer</dt>",
            "<h2>Namnteckningar</h2>",
            "<h2>BEVIS OM ANSLAG</h2>",
            '<section class="roll-page">',
            "i sin helhet.",
        )
    ]
    assert parts == sorted(parts)
    assert (HouseStyleVersion.objects.count(), Committee.objects.get(pk=demo.committee_id).house_style_id) == (
        0,
        before,
    )
    page = secretary_client.get(url("style-edit", demo.committee)).content.decode()
    assert ("<h2>ANSLAGSBEVIS</h2>" in page, "Namnteckningar" in page) == (True, False)


def test_the_first_page_order_moves_the_rows_in_the_preview(secretary_client, demo):
    order = "paragraphs, place, attendance, others, adjusters, adjustment"
    preview = secretary_client.post(url("style-preview", demo.committee), {"first_page_order": order}).json()["preview"]
    labels = re.findall(r"<dt>([^<]+)</dt>", preview.split('<div class="signatures')[0])
    assert (labels[0], labels[1]) == ("Paragrafer", "Plats och tid")


@pytest.mark.parametrize(
    ("order", "message"),
    [
        ("place, attendance, others, adjusters, adjustment, paragraphs, weather", "Okänd rad ”weather”"),
        ("place, place, attendance, others, adjusters, adjustment, paragraphs", "Raden place står mer än en gång"),
    ],
)
def test_a_bad_first_page_order_is_refused_at_the_field_in_swedish(secretary_client, demo, order, message):
    answer = secretary_client.post(url("style-preview", demo.committee), {"first_page_order": order}).json()
    response = secretary_client.post(url("style-edit", demo.committee), {"first_page_order": order})
    field = response.content.decode().split('id="f-first-order-error">')[1].split("</div>")[0]
    assert (list(answer["errors"]), answer["errors"]["first_page_order"][0].startswith(message)) == (
        ["first_page_order"],
        True,
    )
    assert (response.status_code, field.strip().startswith(message), HouseStyleVersion.objects.count()) == (
        400,
        True,
        0,
    )


def test_preview_puts_a_templates_problem_at_its_field(secretary_client, demo):
    answer = secretary_client.post(
        url("style-preview", demo.committee), {"recusal": "{{ person }} {{ secret }}"}
    ).json()
    assert (answer["preview"], list(answer["errors"]), answer["errors"]["recusal"][0].split(" (")[0]) == (
        "",
        ["recusal"],
        "Mallen recusal, rad 1: okänd platshållare secret",
    )


def test_saving_adds_a_version_that_the_next_protocol_preview_uses(secretary_client, demo):
    response = secretary_client.post(url("style-edit", demo.committee), {"motion.approve": CHANGED}, follow=True)
    committee = Committee.objects.get(pk=demo.committee_id)
    # Version 1 is the style the committee's old settings made; version 2 the change.
    assert (response.status_code, committee.house_style.version) == (200, 2)
    assert "i sin helhet." in protocol_html(demo, public=False)
    second = secretary_client.post(url("style-edit", demo.committee), {"headings.decision": "Beslut"})
    committee.house_style.refresh_from_db()
    assert (second.status_code, committee.house_style.version, committee.house_style.versions.count()) == (302, 3, 3)


def test_a_broken_style_is_not_saved_and_the_error_stands_at_the_field(secretary_client, demo):
    response = secretary_client.post(url("style-edit", demo.committee), {"vote": "{% if yes %}"})
    page = response.content.decode()
    assert (response.status_code, HouseStyleVersion.objects.count()) == (400, 0)
    assert "Mallen vote, rad 1: syntaxfel" in page


def test_export_then_import_round_trips_and_a_bad_file_changes_nothing(secretary_client, demo):
    exported = secretary_client.get(url("style-export", demo.committee))
    document = json.loads(exported.content)
    assert (exported["Content-Disposition"], document) == (
        'attachment; filename="husstil-arstadal.json"',
        styles.committee_document(demo.committee),
    )
    document["sentences"]["report"] = "{{ date.__class__ }}"
    document["headings"].pop("matter")
    bad = io.BytesIO(json.dumps(document).encode())
    bad.name = "husstil.json"
    refused = secretary_client.post(url("style-import", demo.committee), {"file": bad})
    assert (refused.status_code, HouseStyleVersion.objects.count()) == (400, 0)
    assert "<code>$.headings.matter</code>" in refused.content.decode()
    assert "<code>$.sentences.report</code>" in refused.content.decode()
    document = housestyle.preset("stockholm-sdn-presens")
    good = io.BytesIO(json.dumps(document).encode())
    good.name = "husstil.json"
    accepted = secretary_client.post(url("style-import", demo.committee), {"file": good})
    committee = Committee.objects.get(pk=demo.committee_id)
    assert (accepted.status_code, committee.house_style.document) == (302, document)


def test_diff_lists_the_changed_templates_of_two_versions(secretary_client, demo):
    secretary_client.post(url("style-edit", demo.committee), {"motion.approve": CHANGED})
    secretary_client.post(
        url("style-edit", demo.committee), {"motion.approve": CHANGED, "label.paragraph": "§{{ number }}"}
    )
    page = secretary_client.get(url("style-diff", demo.committee), {"a": "v2", "b": "v3"}).content.decode()
    against_preset = secretary_client.get(
        url("style-diff", demo.committee), {"a": "preset:stockholm-sdn", "b": "v3"}
    ).content.decode()
    assert ("<code>labels.paragraph</code>" in page, "<code>sentences.motion.approve</code>" in page) == (True, False)
    assert "<code>sentences.motion.approve</code>" in against_preset


def test_the_editor_saves_first_page_templates_words_and_the_roll_call_choice(secretary_client, demo):
    posted = {"first_page.title": "Sammanträdesprotokoll", "first_page.adjusters_label": "Utses att justera"}
    secretary_client.post(url("style-edit", demo.committee), posted | {"roll_call": "omitted"})
    document = Committee.objects.get(pk=demo.committee_id).house_style.document
    assert (document["first_page"]["title"], document["first_page"]["adjusters_label"], document["roll_call"]) == (
        "Sammanträdesprotokoll",
        "Utses att justera",
        "omitted",
    )
    assert "Sammanträdesprotokoll" in protocol_html(demo, public=False)


def test_markup_in_a_template_is_printed_as_text_in_the_html(secretary_client, demo):
    posted = {"motion.approve": "<script>alert(1)</script>{{ movers }} yrkade bifall."}
    answer = secretary_client.post(url("style-preview", demo.committee), posted).json()
    assert ("<script>" in answer["preview"], "&lt;script&gt;alert(1)&lt;/script&gt;" in answer["preview"]) == (
        False,
        True,
    )


def test_the_editor_saves_the_signature_and_certificate_words_and_choices(secretary_client, demo):
    page = secretary_client.get(url("style-edit", demo.committee)).content.decode()
    posted = {
        "signatures.adjuster_label": "Justerande",
        "certificate.heading": "ANSLAG/BEVIS",
        "certificate.appeal_label": "",
        "first_page.label_separator": "",
        "roll_placement": "own_page",
        "signature_layout": "columns",
        "certificate_placement": "end",
        "opening.agenda_title": "Ändringar i föredragningslistan",
    }
    secretary_client.post(url("style-edit", demo.committee), posted)
    document = Committee.objects.get(pk=demo.committee_id).house_style.document
    saved = {
        "signatures.adjuster_label": document["signatures"]["adjuster_label"],
        "certificate.heading": document["certificate"]["heading"],
        "certificate.appeal_label": document["certificate"]["appeal_label"],
        "first_page.label_separator": document["first_page"]["label_separator"],
        **{key: document[key] for key in ("roll_placement", "signature_layout", "certificate_placement")},
        "opening.agenda_title": document["opening"]["agenda_title"],
    }
    assert saved == posted
    assert ('id="w-certificate-appeal_label-help"' in page, 'name="opening.agenda"' in page) == (True, True)
    html = protocol_html(demo, public=False)
    roll_page_first = html.index('<section class="roll-page">') < html.index("<article")
    assert (roll_page_first, "Sista dag för överklagande" in html) == (True, False)


def test_the_editor_refuses_an_unknown_choice_at_its_field_in_swedish(secretary_client, demo):
    answer = secretary_client.post(url("style-edit", demo.committee), {"signature_layout": "diagonal"})
    assert answer.status_code == 400
    assert "Underskrifternas uppställning ska vara en av lines, columns." in answer.content.decode()
    assert 'class="form-select is-invalid" id="f-signature-layout"' in answer.content.decode()
    assert Committee.objects.get(pk=demo.committee_id).house_style_id is None  # nothing saved


def test_a_style_file_of_format_1_imports_with_the_keys_added_since_from_the_preset(secretary_client, demo):
    """A file exported before format 2 lacks the opening §§, signatures, anslagsbevis and new sections."""
    document = housestyle.preset("sunne-kf")
    document["format"] = 1
    for key in ("opening", "signatures", "certificate", "roll_placement"):
        document.pop(key, None)
    document["headings"].pop("basis")
    document["section_order"].remove("basis")
    old = io.BytesIO(json.dumps(document).encode())
    old.name = "husstil.json"
    accepted = secretary_client.post(url("style-import", demo.committee), {"file": old})
    stored = Committee.objects.get(pk=demo.committee_id).house_style.document
    base = housestyle.preset("stockholm-sdn-presens")
    assert (accepted.status_code, stored["format"], stored["opening"], stored["headings"]["basis"]) == (
        302,
        2,
        base["opening"],
        base["headings"]["basis"],
    )
    assert stored["labels"] == housestyle.preset("sunne-kf")["labels"]  # its own words stay
    document["format"] = 2  # a format-2 file must be whole
    bad = io.BytesIO(json.dumps(document).encode())
    bad.name = "husstil.json"
    assert secretary_client.post(url("style-import", demo.committee), {"file": bad}).status_code == 400
