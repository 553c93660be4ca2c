"""House styles as data: a committee's style changes its protocol; versions are kept; adjusted protocols keep theirs."""

import copy

import pytest
from django.contrib.auth.models import User

from committee.models import Committee, HouseStyleVersion
from minutes import styles
from minutes.demo import load_demo, publish_demo
from minutes.protocol import housestyle
from minutes.protocol.adjusted import snapshot_for
from minutes.protocol.render import Request, render_text
from minutes.protocol.snapshot import build_snapshot

pytestmark = pytest.mark.django_db

SENTENCE = "{{ movers }}: Bifall till {{ base_proposal }}."


def item_10(meeting) -> str:
    return render_text(build_snapshot(meeting), Request(kind="item", numbers=(10,)))


def test_own_style_of_a_committee_on_old_fields_prints_the_same(demo):
    before = item_10(demo)
    style = styles.own_style(demo.committee)
    assert (style.version, style.versions.count(), item_10(demo)) == (1, 1, before)


def test_a_saved_version_changes_the_protocol_and_keeps_the_old_one(demo):
    style = styles.own_style(demo.committee)
    document = copy.deepcopy(style.document)
    document["sentences"]["motion.approve"] = SENTENCE
    document["labels"]["paragraph"] = "§{{ number }}"
    version = styles.save_style(style, document)
    text = item_10(demo)
    assert (version.number, style.versions.count()) == (2, 2)
    assert text.splitlines()[0].startswith("§10 ")
    assert "Lars Bäck (V), Kjell Backman m fl (S) och Mariana Moreira Duarte m fl (MP): Bifall till" in text
    assert style.versions.get(number=1).document["sentences"]["motion.approve"] != SENTENCE


def test_saving_an_unchanged_document_adds_no_version(demo):
    style = styles.own_style(demo.committee)
    assert (styles.save_style(style, copy.deepcopy(style.document)).number, style.versions.count()) == (1, 1)


def test_an_invalid_document_is_never_saved(demo):
    style = styles.own_style(demo.committee)
    document = copy.deepcopy(style.document)
    document["sentences"]["vote"] = "{{ secret_key }}"
    with pytest.raises(styles.StyleInvalid) as raised:
        styles.save_style(style, document)
    style.refresh_from_db()
    assert ([p.path for p in raised.value.problems], style.version, style.versions.count()) == (
        ["$.sentences.vote"],
        1,
        1,
    )


def test_versions_are_immutable(demo):
    version = styles.own_style(demo.committee).versions.get()
    version.sha256 = "0" * 64
    with pytest.raises(ValueError):
        version.save()
    with pytest.raises(ValueError):
        version.delete()
    assert HouseStyleVersion.objects.get().sha256 != "0" * 64


def test_an_adjusted_protocol_keeps_the_style_version_it_was_printed_with(seal_certificate):
    meeting = load_demo()
    style = styles.own_style(meeting.committee)
    publish_demo(meeting)
    meeting.refresh_from_db()
    before = render_text(snapshot_for(meeting))
    document = copy.deepcopy(style.document)
    document["sentences"]["motion.approve"] = SENTENCE
    styles.save_style(style, document)
    assert (snapshot_for(meeting).style.version, render_text(snapshot_for(meeting))) == (1, before)
    assert ": Bifall till" in render_text(build_snapshot(meeting))


def test_import_is_all_or_nothing_with_json_paths():
    document = housestyle.preset("stockholm-sdn")
    document["sentences"]["recusal"] = "{{ person.__class__ }}"
    document["verbs"]["moved"] = ""
    with pytest.raises(styles.StyleInvalid) as raised:
        styles.parse(styles.export_text(document))
    assert [p.path for p in raised.value.problems] == ["$.verbs.moved", "$.sentences.recusal"]
    with pytest.raises(styles.StyleInvalid) as raised:
        styles.parse("{ not json")
    assert [p.message for p in raised.value.problems] == ["Filen är inte giltig JSON (rad 1)."]
    assert styles.parse(styles.export_text(housestyle.preset("stockholm-sdn"))) == housestyle.preset("stockholm-sdn")


def test_admin_creates_a_committee_from_a_preset(admin_client):
    response = admin_client.post(
        "/admin/committee/committee/add/",
        {
            "name": "Kulturnämnden",
            "short_name": "Kultur",
            "slug": "kultur",
            "municipality": "Sunne kommun",
            "seats": 9,
            "body_noun": "nämnden",
            "numbering": "per_meeting",
            "tense": "past",
            "heading_decision": "BESLUT",
            "heading_matter": "Ärendet",
            "heading_motions": "Förslag till beslut",
            "heading_procedure": "Beslutsgång",
            "heading_reservation": "Reservation",
            "heading_statement": "Särskilt uttalande",
            "heading_minute_note": "Protokollsanteckning",
            "preset": "stockholm-sdn-presens",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        },
    )
    committee = Committee.objects.get(slug="kultur")
    assert (response.status_code, committee.house_style.document, committee.house_style.municipality) == (
        302,
        housestyle.preset("stockholm-sdn-presens"),
        "Sunne kommun",
    )
    assert User.objects.filter(is_superuser=True).count() == 1


def test_the_styles_date_and_time_formats_reach_the_whole_document(demo):
    style = styles.own_style(demo.committee)
    document = copy.deepcopy(style.document)
    document["formats"] = {"date": "weekday_long", "time": "colon"}
    styles.save_style(style, document)
    text = render_text(build_snapshot(demo))
    assert "Sammanträdesdatum torsdag den 22 september 2016" in text
    assert "Justeringens tid och plats: torsdag den 29 september 2016 kl. 15:00" in text


def test_a_snapshot_reads_the_committees_style_in_the_same_queries(demo, django_assert_num_queries):
    styles.own_style(demo.committee)
    with django_assert_num_queries(14):
        snapshot = build_snapshot(demo.pk)
    assert (snapshot.style.version, snapshot.style.document) == (1, demo.committee.house_style.document)


def test_the_first_page_follows_the_style(demo):
    style = styles.own_style(demo.committee)
    document = copy.deepcopy(style.document)
    document["formats"]["time"] = "colon"
    document["first_page"].update(
        {
            "title": "Sammanträdesprotokoll",
            "place_and_time": "{{ place }}, kl {{ start }}-{{ end }}",
            "adjustment": "{{ place }}, {{ date }}, kl {{ time }}",
            "adjusters": "{{ joined }}",
            "paragraph_range": "{{ first }}-{{ last }}",
            "substitute": "{{ name }}, ersättare för {{ replaces }}",
            "attendance_label": "Beslutande",
            "adjusters_label": "Utses att justera",
            "adjustment_label": "Justeringens plats och tid",
        }
    )
    styles.save_style(style, document)
    text = render_text(build_snapshot(demo))
    lines = [line.strip() for line in text.splitlines()]
    assert lines[1] == "Sammanträdesprotokoll"
    assert "Mats Hedlund (M), ersättare för Karin Holm (M)" in lines
    assert "Paragrafer: 1-12" in lines
    assert [line for line in lines if line.startswith(("Utses", "Justeringens plats", "Beslutande"))] == [
        "Beslutande",
        "Utses att justera: Sofia Bergqvist",
        "Justeringens plats och tid: Årstadals stadsdelsförvaltning, 2016-09-29, kl 15:00",
    ]


def test_the_certificate_can_stand_after_the_last_item_and_leave_out_empty_labels(demo):
    style = styles.own_style(demo.committee)
    document = copy.deepcopy(style.document)
    document["certificate_placement"] = "end"
    document["certificate"].update({"heading": "ANSLAG/BEVIS", "meeting_date_label": "", "organ_label": "Organ"})
    document["signatures"].update({"heading": "Underskrifter", "secretary_label": "Sekreterare"})
    styles.save_style(style, document)
    text = render_text(build_snapshot(demo))
    last_item = text.rindex("\n§ 12 ")
    assert (text.index("ANSLAG/BEVIS") > last_item, "Sammanträdesdatum:" in text[last_item:]) == (True, False)
    assert "\nUnderskrifter\nSekreterare: Helena Wik\nOrdförande: Lars Bäck\n" in text
