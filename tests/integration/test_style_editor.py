"""The house-style editor: who may use it, the preview, saving versions, export, import and diffs."""

import io
import json
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from committee.models import Committee, HouseStyleVersion
from minutes import styles
from minutes.protocol import adjusted, housestyle
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
    assert ('data-field="labels.paragraph">Etiketter: label.paragraph</dt>' in page, "motion.approve" in page) == (
        True,
        False,
    )
    assert 'data-field="sentences.motion.approve">Yrkanden: motion.approve</dt>' in against_preset


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


def test_the_diff_names_fields_as_the_editor_does_and_shows_no_phantom_changes(secretary_client, demo):
    """A version saved before a choice existed (no roll_call) does not differ from one that spells out its default."""
    style = styles.own_style(demo.committee)
    document = styles.committee_document(demo.committee)
    document.pop("roll_call", None)
    styles.save_style(style, document | {"body_noun": "förvaltningen"})
    styles.save_style(
        style,
        document
        | {
            "roll_call": "inline",
            "first_page_order": ["paragraphs", "place", "attendance", "others", "adjusters", "adjustment"],
        }
        | {"sentences": document["sentences"] | {"motion.approve": CHANGED}},
    )
    page = secretary_client.get(url("style-diff", demo.committee), {"a": "v2", "b": "v3"}).content.decode()
    fields = re.findall(r'<dt class="mt-2" data-field="([^"]+)">([^<]+)</dt>', page)
    assert fields == [
        ("body_noun", "Vad protokollet kallar nämnden"),
        ("first_page_order", "Ordningen på första sidans rader"),
        ("sentences.motion.approve", "Yrkanden: motion.approve"),
    ]
    assert "Yrkande om bifall till förslaget." in page  # the field's help, as on the editor page
    assert "Paragrafer, Plats och tid, Beslutande" in page  # the rows by their Swedish names
    assert "roll_call" not in page


def test_the_diff_shows_no_file_paths_and_does_not_compare_a_style_with_itself(secretary_client, demo):
    against_preset = secretary_client.get(
        url("style-diff", demo.committee), {"a": "preset:sunne-kf", "b": "preset:ostersund-ks"}
    ).content.decode()
    itself = secretary_client.get(url("style-diff", demo.committee), {"a": "current", "b": "current"})
    default = secretary_client.get(url("style-diff", demo.committee)).content.decode()
    assert ("style-samples" in against_preset, ".txt" in against_preset, "Beskrivning av stilen" in against_preset) == (
        False,
        False,
        True,
    )
    assert (itself.status_code, re.search(r'<p id="no-changes">([^<]+)</p>', itself.content.decode())[1]) == (
        200,
        "Inga skillnader: ”nuvarande” jämförs med sig själv. Välj två olika stilar eller versioner.",
    )
    # By default the committee's style is compared with the standard preset it was made from: no differences.
    assert re.search(r'<p id="no-changes">([^<]+)</p>', default)[1].startswith("Inga skillnader: ")
    assert '<option value="preset:stockholm-sdn" selected>' in default


def test_reimporting_the_export_or_saving_unchanged_adds_no_version(secretary_client, demo):
    secretary_client.post(url("style-edit", demo.committee), {"motion.approve": CHANGED}, follow=True)
    exported = io.BytesIO(secretary_client.get(url("style-export", demo.committee)).content)
    exported.name = "husstil.json"
    imported = secretary_client.post(url("style-import", demo.committee), {"file": exported}, follow=True)
    saved = secretary_client.post(url("style-edit", demo.committee), {"motion.approve": CHANGED}, follow=True)
    messages = [[str(m) for m in response.context["messages"]] for response in (imported, saved)]
    assert messages == [["Ingen ändring: stilen är redan densamma, så ingen ny version sparades."]] * 2
    assert HouseStyleVersion.objects.count() == 2


def test_a_preset_replaces_the_style_only_once_confirmed(secretary_client, demo):
    asked = secretary_client.post(url("style-import", demo.committee), {"preset": "ostersund-ks"})
    page = asked.content.decode()
    assert (asked.status_code, HouseStyleVersion.objects.count()) == (200, 0)
    assert "Förinställningen ”Östersund, kommunstyrelsen” ersätter hela stilen" in page
    assert '<button class="btn btn-primary" type="submit" name="confirm" value="yes">Ersätt stilen</button>' in page
    same = secretary_client.post(url("style-import", demo.committee), {"preset": "stockholm-sdn"}, follow=True)
    assert [str(m) for m in same.context["messages"]] == [
        "Ingen ändring: stilen är redan densamma, så ingen ny version sparades."
    ]
    confirmed = secretary_client.post(url("style-import", demo.committee), {"preset": "ostersund-ks", "confirm": "yes"})
    style = Committee.objects.get(pk=demo.committee_id).house_style
    assert (confirmed.status_code, style.document["name"], style.name) == (
        302,
        "Östersund, kommunstyrelsen",
        "Östersund, kommunstyrelsen",
    )


def test_a_renamed_style_is_named_by_its_new_name_in_the_heading(secretary_client, demo):
    secretary_client.post(url("style-edit", demo.committee), {"name": "Årstadals egen stil"})
    page = secretary_client.get(url("style-edit", demo.committee)).content.decode()
    assert "Stilen ”Årstadals egen stil”, version 2." in page


def test_field_errors_are_clear_swedish_at_their_fields(secretary_client, demo):
    order = "decision, matter, motions, procedure, reservations, statements"
    response = secretary_client.post(
        url("style-edit", demo.committee), {"section_order": order, "verbs.moved": "yrkade {{ body }}"}
    )
    page = response.content.decode()
    section = page.split('id="f-order-error">')[1].split("</div>")[0].strip()
    assert (response.status_code, section) == (
        400,
        "Avsnittet basis saknas (alla avsnitt ska stå med, åtskilda av komma: decision, matter, motions, procedure, "
        "reservations, statements, basis, prepared_proposal, speakers, recipients).",
    )
    assert (
        '<div class="invalid-feedback">verbs.moved skrivs ut precis som det står: platshållare som {{ … }} '
        "fungerar bara i mallarna.</div>" in page
    )


def test_an_import_error_names_numbers_as_numbers_and_has_no_bare_path(secretary_client, demo):
    document = styles.committee_document(demo.committee)
    document["headings"]["decision"] = 7
    bad = io.BytesIO(json.dumps(document).encode())
    bad.name = "husstil.json"
    broken = io.BytesIO(b"{")
    broken.name = "husstil.json"
    problems = [
        re.search(r'<ul id="import-problems">(.*?)</ul>', response.content.decode())[1]
        for response in (
            secretary_client.post(url("style-import", demo.committee), {"file": bad}),
            secretary_client.post(url("style-import", demo.committee), {"file": broken}),
        )
    ]
    assert problems == [
        "<li><code>$.headings.decision</code>: "
        "headings.decision ska vara en text inom citattecken, inte ett tal (7).</li>",
        "<li>Filen är inte giltig JSON (rad 1).</li>",
    ]


def test_the_preview_of_an_adjusted_meeting_says_which_style_version_prints(client, seal_certificate):
    from minutes.demo import load_demo, publish_demo

    meeting = load_demo()
    styles.own_style(meeting.committee)  # version 1, which the protocol is adjusted with
    publish_demo(meeting)
    secretary = User.objects.create_user("sekreterare-justerat", password="x")
    meeting.committee.secretaries.add(secretary)
    committee = Committee.objects.get(pk=meeting.committee_id)
    styles.save_style(committee.house_style, styles.committee_document(committee) | {"body_noun": "styrelsen"})
    client.force_login(secretary)
    page = client.get(url("style-edit", committee), {"meeting": meeting.pk}).content.decode()
    note = re.search(r'<p class="alert alert-info small" id="preview-note" role="note">([^<]+)</p>', page)
    answer = client.post(url("style-preview", committee), {"meeting": meeting.pk}).json()
    expected = (
        "Protokollet är justerat och skrivs ut med stilversion 1; "
        "förhandsgranskningen visar hur den här stilen skulle se ut."
    )
    current = Committee.objects.get(pk=committee.pk).house_style.version
    assert (adjusted.protocol_styles([meeting.pk])[meeting.pk].version, current) == (1, 2)
    assert (note[1] if note else None, answer["note"]) == (expected, expected)
