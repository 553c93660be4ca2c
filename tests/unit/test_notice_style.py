"""The notice (kallelse) in the house style: Stockholm's notice prints word for word as before the notice was
style data, and another style's words, formats and Dnr label print instead (no database)."""

import copy
import datetime
import re
from pathlib import Path

from minutes import notice as notices
from minutes.protocol import housestyle
from minutes.protocol.snapshot import HouseStyle

# Recorded from the notice templates before their words moved into the house style (commit d891811).
RECORDED = Path(__file__).parent.parent / "fixtures" / "notice"
DAY = datetime.date(2016, 9, 22)
LEGACY = HouseStyle()  # a committee without a style of its own


def snapshot(style: HouseStyle = LEGACY) -> notices.NoticeSnapshot:
    documents = (
        notices.NoticeDocument("Tjänsteutlåtande budget", datetime.date(2016, 9, 1), False),
        notices.NoticeDocument("Bilaga", datetime.date(2016, 9, 2), True),
    )
    return notices.NoticeSnapshot(
        committee_name="Årstadals stadsdelsnämnd",
        municipality="Stockholm",
        number=9,
        year=2016,
        date=DAY,
        start_time=datetime.time(18, 0),
        place="Årstadals stadsdelsförvaltning, Årstasalen",
        secretary="Mats Hedlund",
        items=(
            notices.NoticeItem(
                1,
                "Budget 2027 & <mål>",
                "1.1-12/2026",
                "Ekonomienheten",
                "Nämnden godkänner.",
                False,
                "",
                documents,
                ("Eva Ek", "Olle Berg"),
            ),
            notices.NoticeItem(2, "Ansökan om bistånd", "2.1-99/2026", "", "Avslag.", True, "OSL 26 kap. 1 §", ()),
            notices.NoticeItem(3, "Anmälan", "", "Kansliet", "", False, "", ()),
        ),
        style=style,
    )


def without_css(html: str) -> str:
    return re.sub(r"<style>.*?</style>", "<style></style>", html, flags=re.S)


def test_the_stockholm_notice_prints_as_it_did_before_its_words_were_style_data():
    preset = HouseStyle.from_document(housestyle.preset("stockholm-sdn"))
    printed = {
        (name, fmt): (
            without_css(notices.render_notice(snapshot(style), "html"))
            if fmt == "html"
            else notices.render_notice(snapshot(style), "html", bare=True)
            if fmt == "bare.html"
            else notices.render_notice(snapshot(style), "text")
        )
        for name, style in (("legacy", LEGACY), ("preset", preset))
        for fmt in ("txt", "bare.html", "html")
    }
    recorded = {fmt: (RECORDED / f"stockholm.{fmt}").read_text() for fmt in ("txt", "bare.html", "html")}
    assert printed == {(name, fmt): recorded[fmt] for name in ("legacy", "preset") for fmt in recorded}


def test_an_empty_agenda_prints_as_before():
    day = datetime.date(2016, 1, 5)
    empty = notices.NoticeSnapshot("Årstadals stadsdelsnämnd", "Stockholm", 1, 2016, day, None, "", "", ())
    assert notices.render_notice(empty, "text") == (RECORDED / "stockholm-empty.txt").read_text()


def test_a_style_stored_before_the_notice_was_style_data_prints_stockholms_notice():
    document = copy.deepcopy(housestyle.preset("stockholm-sdn"))
    del document["notice"]
    style = HouseStyle.from_document(document)
    assert notices.render_notice(snapshot(style), "text") == (RECORDED / "stockholm.txt").read_text()


def test_the_styles_words_formats_and_dnr_label_print_in_the_notice():
    document = copy.deepcopy(housestyle.preset("stockholm-sdn"))
    document["notice"].update(
        heading="KUNGÖRELSE",
        time_label="Tidpunkt",
        agenda_heading="Ärenden",
        title="{{ committee }} sammanträder",
        confidential="Hemligt enligt {{ ground }}.",
    )
    document["formats"] = {"date": "long", "time": "colon"}
    document["labels"]["dnr"] = "Diarienr {{ dnr }}"
    assert housestyle.validate(document) == []
    text = notices.render_notice(snapshot(HouseStyle.from_document(document)), "text")
    assert text.splitlines()[:5] == [
        "Årstadals stadsdelsnämnd",
        "KUNGÖRELSE",
        "Årstadals stadsdelsnämnd sammanträder",
        "",
        "Tidpunkt: den 22 september 2016, kl. 18:00",
    ]
    styled = ("ÄRENDEN", "   Diarienr", "   Hemligt", "   -")
    assert [line for line in text.splitlines() if line.startswith(styled)] == [
        "ÄRENDEN",
        "   Diarienr 1.1-12/2026",
        "   - Tjänsteutlåtande budget (den 1 september 2016)",
        "   - Sekretessbelagd handling (den 2 september 2016)",
        "   Hemligt enligt OSL 26 kap. 1 §.",
    ]


def test_the_sunne_preset_announces_the_meeting():
    text = notices.render_notice(snapshot(HouseStyle.from_document(housestyle.preset("sunne-kf"))), "text")
    assert text.splitlines()[:5] == [
        "Årstadals stadsdelsnämnd",
        "KUNGÖRELSE",
        "Årstadals stadsdelsnämnd sammanträder",
        "",
        "Tid: 2016-09-22, kl 18:00",
    ]


def test_a_style_word_in_the_notice_is_escaped_in_html():
    document = copy.deepcopy(housestyle.preset("stockholm-sdn"))
    document["notice"]["heading"] = "<b>KALLELSE</b>"
    html = notices.render_notice(snapshot(HouseStyle.from_document(document)), "html", bare=True)
    assert ("<h1>&lt;b&gt;KALLELSE&lt;/b&gt;</h1>" in html, "<b>" in html) == (True, False)


def test_a_broken_notice_template_or_an_empty_word_is_refused_at_its_field():
    document = copy.deepcopy(housestyle.preset("stockholm-sdn"))
    document["notice"]["time"] = "{{ date }}{% if time %}, kl. {{ clock }}{% endif %}"
    document["notice"]["title"] = "Sammanträde {{ number"
    document["notice"]["heading"] = " "
    problems = housestyle.validate(document)
    assert [(p.path, p.field, p.message.split(" (")[0]) for p in problems] == [
        ("$.notice.heading", "notice.heading", "notice.heading måste vara en text som inte är tom."),
        ("$.notice.title", "notice.title", "Mallen notice.title, rad 1: syntaxfel: mallen tar slut innan »}}« kommer."),
        ("$.notice.time", "notice.time", "Mallen notice.time, rad 1: okänd platshållare clock"),
    ]
