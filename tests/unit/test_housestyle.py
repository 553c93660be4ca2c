"""The house style document: presets, the sandbox, validation and diffs (no database)."""

import copy
import re

import pytest

from minutes.protocol import housestyle
from minutes.protocol.housestyle import Problem, validate

STOCKHOLM = housestyle.preset("stockholm-sdn")


def changed(**sentences: str) -> dict:
    document = copy.deepcopy(STOCKHOLM)
    for name, text in sentences.items():
        document["sentences"][name.replace("__", ".")] = text
    return document


def test_presets_are_valid():
    assert {name: validate(housestyle.preset(name)) for name in housestyle.preset_names()} == {
        "ostersund-ks": [],
        "sunne-kf": [],
        "stockholm-sdn": [],
        "stockholm-sdn-presens": [],
    }


def test_legacy_fields_make_the_stockholm_preset():
    headings = ("BESLUT", "Ärendet", "Förslag till beslut", "Beslutsgång", "Reservation", "Särskilt uttalande")
    document, sha = housestyle.legacy_document("past", "nämnden", (*headings, "Protokollsanteckning"))
    assert (document, sha) == (STOCKHOLM, housestyle.digest(STOCKHOLM))


def test_validate_refuses_a_syntax_error_naming_template_and_line():
    problems = validate(changed(motion__approve="{{ movers }} yrkade\nbifall {% if %}"))
    assert [(p.path, p.field, p.message.split(":")[0]) for p in problems] == [
        ("$.sentences['motion.approve']", "motion.approve", "Mallen motion.approve, rad 2")
    ]
    assert "syntaxfel" in problems[0].message


def test_validate_refuses_an_unknown_placeholder_naming_it():
    problems = validate(changed(recusal="{{ person }} anmälde jäv.\n{{ password }}"))
    assert [(p.field, p.message.split(" (")[0]) for p in problems] == [
        ("recusal", "Mallen recusal, rad 2: okänd platshållare password")
    ]


def test_validate_refuses_an_unknown_key_of_a_known_placeholder():
    problems = validate(changed(report="{{ verbs.nonsense }} {{ date }}."))
    assert [(p.field, p.message) for p in problems] == [
        ("report", "Mallen report, rad 1: okänd platshållare nonsense.")
    ]


def test_sandbox_refuses_attributes_of_python_objects():
    problems = validate(changed(vote="{{ ''.__class__.__mro__[1].__subclasses__() }}"))
    assert [(p.field, p.message.split(":")[0], "otillåtet i en mall" in p.message) for p in problems] == [
        ("vote", "Mallen vote, rad 1", True)
    ]


def test_sandbox_has_no_range_and_no_huge_powers_or_repetitions():
    problems = validate(
        changed(
            motion__reject="{% for i in range(10**9) %}x{% endfor %}",
            motion__table="{{ 'x' * 10**9 }}",
            motion__approve="{{ 'x' * 100000000 }}",
        )
    )
    assert [(p.field, p.message.split(" (")[0]) for p in problems] == [
        ("motion.approve", "Mallen motion.approve, rad 1: otillåtet i en mall: för många upprepningar."),
        ("motion.reject", "Mallen motion.reject, rad 1: okänd platshållare range"),
        ("motion.table", "Mallen motion.table, rad 1: otillåtet i en mall: för många upprepningar."),
    ]


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ movers ", "rad 1: syntaxfel: mallen tar slut innan »}}« kommer."),
        ("{{ }}", "rad 1: syntaxfel: ett värde eller en platshållare väntades före »}}«."),
        ("x\n{% if movers %}x", "rad 2: syntaxfel: »{% endif %}« saknas."),
        ("{% foo %}", "rad 1: syntaxfel: okänd tagg »foo«."),
        ("{{ movers | nofilter }}", "rad 1: syntaxfel: okänt filter »nofilter«."),
        ("{{ 2 ** 100 }}", "rad 1: otillåtet i en mall: för stor potens."),
        ("{# x", "rad 1: syntaxfel: kommentaren avslutas inte (#} saknas)."),
        ("{{ movers $ }}", "rad 1: syntaxfel: tecknet »$« hör inte hemma här."),
        ("{{ movers ) }}", "rad 1: syntaxfel: »)« hör inte hemma här."),
        ("{{ movers base_proposal }}", "rad 1: syntaxfel: »}}« väntades, men här står »base_proposal«."),
        ("{{ movers.__class__ }}", "rad 1: otillåtet i en mall: __class__ får inte läsas."),
        (
            "{{ movers + 1 }}",
            "rad 1: fel vid provutskrift: värden av olika slag kan inte räknas ihop (text och tal, till exempel).",
        ),
    ],
)
def test_a_broken_template_is_explained_in_swedish(template, message):
    problems = validate(changed(motion__approve=template))
    assert [p.message for p in problems] == [f"Mallen motion.approve, {message}"]


def test_validate_accepts_a_valid_change():
    document = changed(motion__approve="{{ movers }}: Bifall till {{ base_proposal }}.")
    assert validate(document) == []
    compiled = housestyle.compiled(document)
    assert compiled.render("motion.approve", movers="Eva Ek (S)", base_proposal="förslaget", reason="") == (
        "Eva Ek (S): Bifall till förslaget."
    )


def test_validate_names_missing_and_unknown_fields_by_json_path():
    document = copy.deepcopy(STOCKHOLM)
    del document["sentences"]["vote"]
    document["headings"]["extra"] = "X"
    document["formats"]["date"] = "us"
    document["section_order"] = ["matter"]
    assert [p.path for p in validate(document)] == [
        "$.headings.extra",
        "$.formats.date",
        "$.section_order",
        "$.sentences.vote",
    ]


def test_validate_refuses_what_is_not_a_document():
    assert validate([1, 2]) == [Problem("$", "", "En husstil är ett JSON-objekt.")]


def test_diff_lists_the_changed_templates():
    document = changed(motion__approve="{{ movers }} yrkade bifall.")
    document["headings"]["decision"] = "Beslut"
    assert housestyle.diff(STOCKHOLM, document) == [
        ("headings.decision", "BESLUT", "Beslut"),
        ("sentences.motion.approve", STOCKHOLM["sentences"]["motion.approve"], "{{ movers }} yrkade bifall."),
    ]


def test_date_and_time_formats():
    import datetime

    day, time = datetime.date(2012, 8, 29), datetime.time(14, 0)
    assert [housestyle.format_date(day, kind) for kind in housestyle.DATE_FORMATS] + [
        housestyle.format_time(time, kind) for kind in housestyle.TIME_FORMATS
    ] == ["2012-08-29", "den 29 augusti 2012", "onsdag den 29 augusti 2012", "14.00", "14:00"]


def test_validate_checks_the_first_page_templates_and_allows_empty_labels():
    document = copy.deepcopy(STOCKHOLM)
    document["first_page"]["members_label"] = ""
    document["first_page"]["adjusters"] = "{{ names|join(', ') }} {{ chair }}"
    assert [(p.path, p.message.split(" (")[0]) for p in validate(document)] == [
        ("$.first_page.adjusters", "Mallen first_page.adjusters, rad 1: okänd platshållare chair")
    ]


def test_completed_fills_keys_added_since_a_style_was_saved():
    document = housestyle.preset("sunne-kf")
    del document["sentences"]["vote"]
    del document["headings"]["decision"]
    del document["formats"]
    document["section_order"].remove("reservations")
    done = housestyle.completed(document)
    base = housestyle.preset("stockholm-sdn")
    assert done["sentences"]["vote"] == base["sentences"]["vote"]
    assert done["headings"]["decision"] == base["headings"]["decision"]
    assert done["formats"] == base["formats"]
    order = base["section_order"]
    assert (
        done["section_order"].index("reservations")
        == done["section_order"].index(order[order.index("reservations") - 1]) + 1
    )
    assert housestyle.validate(done) == []
    # What the style had stays its own
    assert done["labels"] == housestyle.preset("sunne-kf")["labels"]
    assert housestyle.completed(housestyle.preset("sunne-kf")) == housestyle.preset("sunne-kf")
    assert housestyle.completed([1]) == [1]


def test_completed_gives_an_older_style_the_stockholm_opening_signatures_and_certificate():
    document = housestyle.preset("ostersund-ks")
    for key in ("opening", "signatures", "certificate", "roll_placement", "signature_layout", "certificate_placement"):
        del document[key]
    del document["first_page"]["label_separator"]
    done = housestyle.completed(document)
    base = housestyle.preset("stockholm-sdn-presens")
    assert (done["opening"], done["signatures"], done["certificate"]) == (
        base["opening"],
        base["signatures"],
        base["certificate"],
    )
    assert (done["first_page"]["label_separator"], done["signature_layout"], done["roll_placement"]) == (
        ":",
        "lines",
        "first_page",
    )
    assert validate(done) == []


def test_validate_checks_the_opening_templates_and_the_new_words_and_choices():
    document = housestyle.preset("stockholm-sdn")
    document["opening"]["agenda"] = "Föredragningslistan godkändes. {{ movers }}"
    document["certificate"]["organ_label"] = 7
    document["signatures"]["stamp"] = "Sigill"
    document["certificate_placement"] = "middle"
    assert [(p.path, p.message.split(" (")[0]) for p in validate(document)] == [
        ("$.signatures.stamp", "Okänt fält signatures.stamp."),
        ("$.certificate.organ_label", "certificate.organ_label ska vara en text inom citattecken, inte ett tal"),
        ("$.opening.agenda", "Mallen opening.agenda, rad 1: okänd platshållare movers"),
        ("$.certificate_placement", "Anslagsbevisets plats ska vara en av first_page, end."),
    ]


def test_the_opening_agenda_template_names_what_changed_at_the_meeting():
    compiled = housestyle.compiled(housestyle.preset("stockholm-sdn-presens"))
    values = {"withdrawn": ["A"], "added": [], "withdrawn_joined": "”A”", "added_joined": ""}
    assert compiled.render("opening.agenda", **values) == (
        "Föredragningslistan godkänns med följande ändringar: ärendet ”A” utgår."
    )
    none = {"withdrawn": [], "added": [], "withdrawn_joined": "", "added_joined": ""}
    assert compiled.render("opening.agenda", **none) == "Föredragningslistan godkänns."


def test_the_first_page_order_is_refused_when_a_row_is_unknown_repeated_or_left_out():
    def problems(order):
        document = housestyle.preset("stockholm-sdn")
        document["first_page_order"] = order
        return [(p.field, p.message) for p in housestyle.validate(document)]

    rows = list(housestyle.FIRST_PAGE_ROWS)
    assert problems(["place", "paragraphs", *rows[1:5]]) == []
    assert problems([*rows, "weather"]) == [
        (
            "first_page_order",
            "Okänd rad ”weather” på första sidan (kända rader: place, attendance, others, adjusters, adjustment, "
            "paragraphs).",
        )
    ]
    assert problems([*rows, "others"]) == [("first_page_order", "Raden others står mer än en gång på första sidan.")]
    assert problems(rows[:-1]) == [
        (
            "first_page_order",
            "Raden paragraphs saknas på första sidan (alla rader ska stå med: place, attendance, others, adjusters, "
            "adjustment, paragraphs).",
        )
    ]
    assert [field for field, _message in problems("place")] == ["first_page_order"]


def test_an_older_style_without_a_first_page_order_keeps_stockholms():
    document = housestyle.preset("sunne-kf")
    del document["first_page_order"]
    done = housestyle.completed(document)
    assert done["first_page_order"] == housestyle.preset("stockholm-sdn")["first_page_order"]
    assert done["first_page_order"] == ["place", "attendance", "others", "adjusters", "adjustment", "paragraphs"]
    assert housestyle.validate(done) == []


def test_diff_sees_no_change_where_a_key_left_out_prints_as_its_default():
    document = copy.deepcopy(STOCKHOLM)
    spelled_out = copy.deepcopy(STOCKHOLM) | {"roll_call": "inline"}
    older = {k: v for k, v in STOCKHOLM.items() if k not in ("signatures", "roll_placement")}
    assert (housestyle.diff(document, spelled_out), housestyle.diff(older, document)) == ([], [])
    assert housestyle.diff(document, spelled_out | {"roll_call": "omitted"}) == [("roll_call", "inline", "omitted")]


def test_a_placeholder_in_a_plain_word_is_refused_and_a_section_order_problem_named():
    document = copy.deepcopy(STOCKHOLM)
    document["headings"]["decision"] = "Beslut {{ body }}"
    document["labels"]["conjunction"] = "{% if x %}och{% endif %}"
    document["section_order"] = [*document["section_order"], "matter"]
    assert [(p.field, p.message) for p in validate(document)] == [
        ("headings.decision", housestyle.PLAIN_WORD % "headings.decision"),
        ("section_order", "Avsnittet matter står mer än en gång."),
        ("labels.conjunction", housestyle.PLAIN_WORD % "labels.conjunction"),
    ]


def test_the_presets_describe_themselves_without_file_paths():
    descriptions = [housestyle.preset(name)["description"] for name in housestyle.preset_names()]
    assert [d for d in descriptions if re.search(r"\.\./|\.txt|seeden", d)] == []
