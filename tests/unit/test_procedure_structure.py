"""The procedure's structure in print: a single motion rejected, the chair's proposal, texts in appendices, the
roll-call list's words (no database: snapshot values and the shipped house styles)."""

import copy

import pytest

from minutes.models import BallotChoice, MotionKind, PropositionKind, StatementKind
from minutes.protocol import housestyle, phrases
from minutes.protocol.document import item_document
from minutes.protocol.snapshot import (
    BallotData,
    HouseStyle,
    MotionData,
    Named,
    PropositionData,
    ReservationData,
    StatementData,
)
from tests.unit.test_phrases import APPROVE, BACK, FREDHOLM, HOLM, OBERG, PAST, PRESENT, REJECT, item, protocol

OSTERSUND = HouseStyle.from_document(housestyle.preset("ostersund-ks"))
SUNNE = HouseStyle.from_document(housestyle.preset("sunne-kf"))
CHAIR = MotionData(15, MotionKind.CHAIR_PROPOSAL, (Named(BACK),), text="Nämnden beslutar enligt ordförandens förslag.")


def vote(*, appendix: str = "") -> PropositionData:
    cast = [(BACK, BallotChoice.YES), (FREDHOLM, BallotChoice.NO), (OBERG, BallotChoice.ABSTAIN)]
    return PropositionData(
        PropositionKind.AGAINST_EACH_OTHER,
        outcome_id=APPROVE.id,
        voted=True,
        yes_motion_id=APPROVE.id,
        no_motion_id=REJECT.id,
        ballots=tuple(BallotData(person, choice) for person, choice in cast),
        roll_call_appendix=appendix,
    )


def procedure(it, style: HouseStyle):
    return next(s for s in item_document(it, protocol(it, style=style)).sections if s.kind == "procedure")


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (PAST, "Ordföranden ställde proposition på yrkandet och fann att nämnden hade avslagit detsamma."),
        (PRESENT, "Ordföranden ställer proposition på yrkandet och finner att nämnden har avslagit detsamma."),
        (OSTERSUND, "Ordförande ställer proposition på yrkandet och finner att kommunstyrelsen avslår detsamma."),
    ],
)
def test_a_single_motion_found_rejected_is_worded_by_the_style(style, expected):
    it = item(motions=(REJECT,))
    rejected = PropositionData(PropositionKind.SINGLE, rejected=True)
    assert phrases.procedure_sentences(rejected, it, style) == [expected]


def test_the_chairs_proposal_is_moved_labelled_and_printed_with_its_text():
    it = item(
        motions=(CHAIR, REJECT), propositions=(PropositionData(PropositionKind.AGAINST_EACH_OTHER, outcome_id=15),)
    )
    motions, steps = (s for s in item_document(it, protocol(it)).sections if s.kind in ("motions", "procedure"))
    assert motions.paragraphs == (
        "Ordföranden Lars Bäck (V) yrkade att nämnden skulle besluta enligt ordförandens förslag.",
        "Nämnden beslutar enligt ordförandens förslag.",
        "Arne Fredholm m fl (M) yrkade avslag på förvaltningens förslag.",
    )
    assert steps.paragraphs == (
        "Ordföranden ställde yrkandena mot varandra och fann att nämnden hade beslutat enligt ordförandens förslag.",
    )
    assert phrases.motion_sentence(CHAIR, it, OSTERSUND, None) == "Lars Bäck, v: Enligt ordförandens förslag."


def test_a_statement_with_its_text_in_an_appendix_is_only_announced():
    it = item(
        statements=(
            StatementData(StatementKind.SPECIAL, (Named(OBERG),), "", in_appendix=True, appendix="2"),
            StatementData(StatementKind.MINUTE_NOTE, (Named(HOLM, True),), "", in_appendix=True),
        )
    )
    assert [(s.heading, s.names, s.paragraphs) for s in item_document(it, protocol(it)).sections] == [
        ("Särskilt uttalande", "", ("Peter Öberg (L) lämnade ett särskilt uttalande, se bilaga 2.",)),
        ("Protokollsanteckning", "", ("Karin Holm m fl (M) lämnade en protokollsanteckning.",)),
    ]
    ostersund = item_document(it, protocol(it, style=OSTERSUND)).sections[0]
    assert ostersund.paragraphs == ("Peter Öberg, l lämnar särskilt yttrande, se bilaga 2.",)


def test_a_written_reservation_in_an_appendix_is_announced_without_its_text():
    it = item(
        motions=(APPROVE, REJECT),
        reservations=(ReservationData((Named(FREDHOLM, True),), REJECT.id, "Vi vill annat.", appendix="3"),),
    )
    (reservation,) = [s for s in item_document(it, protocol(it)).sections if s.kind == "reservation"]
    assert (reservation.names, reservation.paragraphs) == (
        "",
        ("Arne Fredholm m fl (M) reserverade sig mot beslutet till förmån för eget yrkande, se bilaga 3.",),
    )


def test_the_roll_call_list_takes_its_words_from_the_style():
    it = item(motions=(APPROVE, REJECT), propositions=(vote(),), serving=(BACK, FREDHOLM, OBERG, HOLM))
    (stockholm,) = procedure(it, PAST).roll_calls
    assert (stockholm.member_label, stockholm.vote_label, stockholm.sum_label, stockholm.sum) == (
        "Ledamot",
        "Röst",
        "Summa",
        "1 ja, 1 nej, 1 avstår",
    )
    document = copy.deepcopy(housestyle.preset("stockholm-sdn"))
    document["sentences"].update(
        {
            "roll_call.member_label": "Namn",
            "roll_call.vote_label": "Votering",
            "roll_call.choice": "{{ {'yes': 'JA', 'no': 'NEJ', 'abstain': 'AVSTÅR', 'absent': '–'}[choice] }}",
            "roll_call.sum_label": "Totalt",
            "roll_call.sum": "Ja {{ yes }}, nej {{ no }}, avstår {{ abstain }}",
        }
    )
    assert housestyle.validate(document) == []
    (own,) = procedure(it, HouseStyle.from_document(document)).roll_calls
    assert (own.member_label, own.vote_label, own.sum_label, own.sum) == (
        "Namn",
        "Votering",
        "Totalt",
        "Ja 1, nej 1, avstår 1",
    )
    assert [choice for _name, choice in own.rows] == ["JA", "NEJ", "AVSTÅR", "–"]


def test_an_omitted_roll_call_list_is_referred_to_when_its_appendix_is_named():
    named = item(motions=(APPROVE, REJECT), propositions=(vote(appendix="1"),), serving=(BACK, FREDHOLM, OBERG))
    unnamed = item(motions=(APPROVE, REJECT), propositions=(vote(),), serving=(BACK, FREDHOLM, OBERG))
    assert procedure(named, OSTERSUND).roll_calls == ()
    assert procedure(named, OSTERSUND).paragraphs[-1] == "Voteringslista, se bilaga 1."
    assert "Voteringslista" not in " ".join(procedure(unnamed, OSTERSUND).paragraphs)
    # Inline, the list itself is printed and no reference: the appendix changes nothing.
    assert procedure(named, SUNNE).paragraphs == procedure(unnamed, SUNNE).paragraphs
    assert len(procedure(named, SUNNE).roll_calls) == 1


def test_every_preset_has_the_new_templates_and_validates():
    new = {name for name in housestyle.PLACEHOLDERS if name.startswith(("roll_call.", "statement.")) or "chair" in name}
    new.add("reservation.announced")
    for name in housestyle.preset_names():
        document = housestyle.preset(name)
        assert new <= set(document["sentences"]), name
        assert housestyle.validate(document) == [], name


def test_a_style_saved_before_the_new_templates_prints_the_roll_call_list_as_before():
    document = housestyle.preset("stockholm-sdn")
    for name in [key for key in document["sentences"] if key.startswith(("roll_call.", "statement.", "reservation."))]:
        del document["sentences"][name]
    old = HouseStyle.from_document(document)
    it = item(motions=(APPROVE, REJECT), propositions=(vote(),), serving=(BACK, FREDHOLM, OBERG, HOLM))
    (list_,) = procedure(it, old).roll_calls
    assert [choice for _name, choice in list_.rows] == ["Ja", "Nej", "Avstår", "Frånvarande"]
    assert (list_.member_label, list_.vote_label, list_.sum_label, list_.sum) == (
        "Ledamot",
        "Röst",
        "Summa",
        "1 ja, 1 nej, 1 avstår",
    )


def test_a_motions_text_stays_under_the_motions_when_the_reservation_for_it_is_in_an_appendix():
    liberal = MotionData(11, MotionKind.APPROVE_WITH_TEXT, (Named(OBERG),), text="Eget förslag.")
    printed = ReservationData((Named(OBERG),), liberal.id)
    appended = ReservationData((Named(OBERG),), liberal.id, appendix="1")

    def texts(reservation):
        it = item(motions=(liberal,), reservations=(reservation,))
        return [(s.kind, s.paragraphs) for s in item_document(it, protocol(it)).sections]

    sentence = (
        "Peter Öberg (L) yrkade att nämnden skulle bifalla förvaltningens förslag och lade därutöver fram en egen text."
    )
    assert texts(printed) == [("motions", (sentence,)), ("reservation", ("Eget förslag.",))]
    assert texts(appended) == [
        ("motions", (sentence, "Eget förslag.")),
        ("reservation", ("Peter Öberg (L) reserverade sig mot beslutet till förmån för eget yrkande, se bilaga 1.",)),
    ]
