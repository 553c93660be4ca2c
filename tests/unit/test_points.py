"""Decision points as the secretary types them: markers recognised and stripped, numbers printed once."""

import pytest

from minutes.completeness import layout_check
from minutes.points import decision_points, folded_markers, layout_problems, numbered, parse
from minutes.protocol.document import item_document
from minutes.protocol.snapshot import ItemSnapshot, MotionData
from tests.unit.test_phrases import protocol

GODKANNER = "Stadsdelsnämnden godkänner förvaltningens förslag."
ANFOR = "Stadsdelsnämnden anför därutöver följande."


@pytest.mark.parametrize(
    ("typed", "points"),
    [
        ("", []),
        ("  \n\n \t\n", []),
        (GODKANNER, [GODKANNER]),
        ("1. " + GODKANNER, [GODKANNER]),
        ("1. 1. " + GODKANNER, [GODKANNER]),
        (f"1. {GODKANNER}\n2. {ANFOR}", [GODKANNER, ANFOR]),
        (f"1) {GODKANNER}\n2) {ANFOR}", [GODKANNER, ANFOR]),
        (f"(1) {GODKANNER}\n(2) {ANFOR}", [GODKANNER, ANFOR]),
        (f"1 . {GODKANNER}\n2 . {ANFOR}", [GODKANNER, ANFOR]),
        (f"1.{GODKANNER}\n2.{ANFOR}", [GODKANNER, ANFOR]),
        (f"a) {GODKANNER}\nb) {ANFOR}", [GODKANNER, ANFOR]),
        (f"A) {GODKANNER}\nB) {ANFOR}", [GODKANNER, ANFOR]),
        (f"- {GODKANNER}\n- {ANFOR}", [GODKANNER, ANFOR]),
        (f"• {GODKANNER}\n• {ANFOR}", [GODKANNER, ANFOR]),
        (f"– {GODKANNER}\n– {ANFOR}", [GODKANNER, ANFOR]),
        # Word: a tab after the number, CRLF, a no-break space, Symbol's private-use bullet, soft breaks.
        (f"1.\t{GODKANNER}\r\n2.\t{ANFOR}\r\n", [GODKANNER, ANFOR]),
        (f"1.\xa0{GODKANNER}\r\n\r\n2.\xa0{ANFOR}", [GODKANNER, ANFOR]),
        (f"\uf0b7\t{GODKANNER}\n\uf0b7\t{ANFOR}", [GODKANNER, ANFOR]),
        (f"\ufeff1.\t{GODKANNER}\x0b2.\t{ANFOR}", [GODKANNER, ANFOR]),
        # Blank lines between points, and the number on a line (or a paragraph) of its own.
        (f"1. {GODKANNER}\n\n\n2. {ANFOR}\n\n", [GODKANNER, ANFOR]),
        (f"1.\n{GODKANNER}\n2.\n{ANFOR}", [GODKANNER, ANFOR]),
        (f"1.\n\n{GODKANNER}\n\n2.\n\n{ANFOR}", [GODKANNER, ANFOR]),
        # Continuation lines join their point; after a blank line, a line without a marker is a point of its own.
        (
            "1. Stadsdelsnämnden godkänner\nförvaltningens förslag.\n2. Stadsdelsnämnden anför\n  därutöver följande.",
            [GODKANNER, ANFOR],
        ),
        (f"{GODKANNER}\n\n{ANFOR}", [GODKANNER, ANFOR]),
        ("Stadsdelsnämnden godkänner\nförvaltningens förslag.", [GODKANNER]),
        # Text that only looks like a marker stays text.
        ("1.5.1-392/2016 avskrivs.", ["1.5.1-392/2016 avskrivs."]),
        ("2.4 miljoner kronor anvisas.", ["2.4 miljoner kronor anvisas."]),
        ("t.ex. bidrag ges.", ["t.ex. bidrag ges."]),
        ("2016 års budget gäller.", ["2016 års budget gäller."]),
        ("i enlighet med förslaget.", ["i enlighet med förslaget."]),
        # A point that is only its marker is not printed.
        (f"1. {GODKANNER}\n2.", [GODKANNER]),
    ],
)
def test_decision_points_strip_what_was_typed(typed, points):
    assert decision_points(typed) == points


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        (f"1. {GODKANNER}", [GODKANNER]),
        (f"1. {GODKANNER}\n1. {ANFOR}", [f"1. {GODKANNER}", f"2. {ANFOR}"]),
        (f"3. {GODKANNER}\n7. {ANFOR}", [f"1. {GODKANNER}", f"2. {ANFOR}"]),
        (f"- {GODKANNER}\n- {ANFOR}", [f"1. {GODKANNER}", f"2. {ANFOR}"]),
        (f"{GODKANNER}\n\n{ANFOR}", [f"1. {GODKANNER}", f"2. {ANFOR}"]),
    ],
)
def test_numbered_prints_each_number_once(typed, printed):
    assert numbered(decision_points(typed)) == printed


def test_parse_keeps_the_marker_as_typed():
    assert parse(f"2 .\t{GODKANNER}\n\n• {ANFOR}\n{GODKANNER}") == [
        parse(f"2 . {GODKANNER}")[0],
        parse(f"• {ANFOR} {GODKANNER}")[0],
    ]
    assert [(p.marker, p.style, p.number) for p in parse("2 . a\nb) b\n• c\nd")] == [
        ("2 .", "number", 2),
        ("b)", "letter", None),
        ("•", "bullet", None),
    ]


@pytest.mark.parametrize(
    ("typed", "problems"),
    [
        (GODKANNER, []),
        (f"1. {GODKANNER}", []),
        (f"1. {GODKANNER}\n2. {ANFOR}", []),
        (f"- {GODKANNER}\n- {ANFOR}", []),
        (f"{GODKANNER}\n\n{ANFOR}", []),
        ("1.", ["punkt 1 består bara av ”1.” och skrivs inte ut"]),
        (f"1. {GODKANNER}\n2.", ["punkt 2 består bara av ”2.” och skrivs inte ut"]),
        (
            f"1 {GODKANNER}",
            ["punkt 1 börjar med talet 1 utan punkt efter; det skrivs ut som text"],
        ),
        (
            f"Stadsdelsnämnden beslutar\n1. {GODKANNER}\n2. {ANFOR}",
            ["numrerade punkter och stycken utan nummer blandas; varje stycke numreras"],
        ),
        (
            f"1. {GODKANNER}\na) {ANFOR}",
            ["olika slags numrering blandas (siffror, bokstäver, tankstreck); punkterna numreras 1, 2, 3"],
        ),
        (f"1. {GODKANNER}\n3. {ANFOR}", ["punkterna är numrerade 1, 3; i protokollet numreras de 1–2"]),
    ],
)
def test_layout_problems_name_what_prints_oddly(typed, problems):
    assert layout_problems(typed) == problems


def test_folded_markers_find_numbers_inside_a_paragraph_only():
    assert folded_markers(f"Förvaltningen föreslår att\n1. {GODKANNER}\n2. {ANFOR}") == ["1.", "2."]
    assert folded_markers(f"1. {GODKANNER}\n\n2. {ANFOR}\n\nLiberalerna har länge drivit frågan.") == []
    assert folded_markers("Budgeten för\n2016 års verksamhet.") == []


def test_a_decision_typed_with_numbers_prints_them_once_in_the_document():
    item = ItemSnapshot(number=4, position=4, title="Budget", decision=f"1. {GODKANNER}\n\n2. {ANFOR}")
    decision = item_document(item, protocol(item)).sections[0]
    assert (decision.kind, decision.paragraphs) == ("decision", (f"1. {GODKANNER}", f"2. {ANFOR}"))


def test_layout_check_names_the_paragraph_and_does_not_stop_the_adjustment():
    item = ItemSnapshot(
        number=7,
        position=7,
        title="Budget",
        decision="1.\n",
        motions=(MotionData(1, "approve_with_text", (), f"Vi föreslår att\n2. {ANFOR}"),),
    )
    check = layout_check(item)
    assert (check.label, check.ok, check.missing) == ("Hur texten skrivs ut", False, False)
    assert check.detail == (
        "§ 7: beslutet: punkt 1 består bara av ”1.” och skrivs inte ut; "
        "ett yrkande: en rad som börjar med ”2.” skrivs ihop med raden ovanför; lägg en tom rad före den."
    )
    assert layout_check(ItemSnapshot(number=7, position=7, title="Budget", decision=GODKANNER)).ok is True
