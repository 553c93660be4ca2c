"""The standard sentences, generated from plain snapshot values (no database)."""

import dataclasses
import datetime

from minutes.models import BallotChoice, MotionKind, PropositionKind, StatementKind
from minutes.protocol import phrases
from minutes.protocol.document import item_document
from minutes.protocol.snapshot import (
    BallotData,
    HouseStyle,
    ItemSnapshot,
    MotionData,
    Named,
    PersonRef,
    PropositionData,
    ProtocolSnapshot,
    RecusalData,
    ReservationData,
    StatementData,
)

PAST = HouseStyle(
    "past",
    "nämnden",
    "BESLUT",
    "Ärendet",
    "Förslag till beslut",
    "Beslutsgång",
    "Reservation",
    "Särskilt uttalande",
    "Protokollsanteckning",
)
PRESENT = dataclasses.replace(PAST, tense="present")

BACK = PersonRef(1, "Lars", "Bäck", "V", "chair")
BACKMAN = PersonRef(2, "Kjell", "Backman", "S", "first_vice_chair")
DUARTE = PersonRef(3, "Mariana", "Moreira Duarte", "MP", "member")
OBERG = PersonRef(4, "Peter", "Öberg", "L", "member")
FREDHOLM = PersonRef(5, "Arne", "Fredholm", "M", "second_vice_chair")
HEDLUND = PersonRef(6, "Mats", "Hedlund", "M", "substitute")
HOLM = PersonRef(7, "Karin", "Holm", "M", "member")
LINDQVIST = PersonRef(8, "Anna", "Lindqvist", "S", "member")

APPROVE = MotionData(10, MotionKind.APPROVE, (Named(BACK), Named(BACKMAN, True), Named(DUARTE, True)))
LIBERAL = MotionData(11, MotionKind.APPROVE_WITH_TEXT, (Named(OBERG),), text="1. Eget förslag.\n\nMotivering.")
REJECT = MotionData(12, MotionKind.REJECT, (Named(FREDHOLM, True),))
REFER = MotionData(13, MotionKind.REFER_BACK, (Named(HOLM),), text="att utreda kostnaderna")
TABLE = MotionData(14, MotionKind.TABLE, (Named(OBERG), Named(HOLM)))


def item(**fields) -> ItemSnapshot:
    return ItemSnapshot(number=10, position=10, title="Strategi", **fields)


def protocol(*items: ItemSnapshot, style: HouseStyle = PAST) -> ProtocolSnapshot:
    return ProtocolSnapshot(
        committee_name="Årstadals stadsdelsnämnd",
        committee_short_name="Årstadal",
        municipality="Stockholms stad",
        seats=11,
        quorum=6,
        protocol_kept_at="",
        style=style,
        meeting_id=1,
        number=9,
        date=datetime.date(2016, 9, 22),
        start_time=None,
        end_time=None,
        place="",
        status="draft",
        chair=BACK,
        secretary=None,
        adjusters=(),
        adjustment_at=None,
        adjustment_place="",
        attendance=(),
        items=items,
    )


def test_join_swedish_enumeration():
    assert [phrases.join([]), phrases.join(["A"]), phrases.join(["A", "B"]), phrases.join(["A", "B", "C"])] == [
        "",
        "A",
        "A och B",
        "A, B och C",
    ]


def test_genitive_after_s_adds_nothing():
    assert [phrases.genitive("Peter Öberg"), phrases.genitive("Lars"), phrases.genitive("Max")] == [
        "Peter Öbergs",
        "Lars",
        "Max",
    ]


def test_motion_sentence_titles_the_chair_and_groups_movers():
    assert phrases.motion_sentence(APPROVE, item(motions=(APPROVE,)), PAST, chair_id=1) == (
        "Ordföranden Lars Bäck (V), Kjell Backman m fl (S) och Mariana Moreira Duarte m fl (MP) "
        "yrkade att nämnden skulle bifalla förvaltningens förslag."
    )


def test_motion_sentence_chair_not_first_is_lowercase():
    motion = MotionData(1, MotionKind.APPROVE, (Named(BACKMAN), Named(BACK)))
    assert phrases.motion_sentence(motion, item(), PAST, chair_id=1).startswith(
        "Kjell Backman (S) och ordföranden Lars Bäck (V) yrkade"
    )


def test_motion_sentences_of_every_kind_past_tense():
    it = item(motions=(LIBERAL, REJECT, REFER, TABLE))
    assert [phrases.motion_sentence(m, it, PAST, chair_id=1) for m in it.motions] == [
        "Peter Öberg (L) yrkade att nämnden skulle bifalla förvaltningens förslag och lade därutöver fram en "
        "egen text.",
        "Arne Fredholm m fl (M) yrkade avslag på förvaltningens förslag.",
        "Karin Holm (M) yrkade att ärendet skulle återremitteras till förvaltningen för att utreda kostnaderna.",
        "Peter Öberg (L) och Karin Holm (M) yrkade att ärendet skulle bordläggas.",
    ]


def test_motion_sentences_present_tense():
    it = item(motions=(APPROVE, LIBERAL))
    assert [phrases.motion_sentence(m, it, PRESENT, chair_id=None) for m in it.motions] == [
        "Lars Bäck (V), Kjell Backman m fl (S) och Mariana Moreira Duarte m fl (MP) yrkar att nämnden ska bifalla "
        "förvaltningens förslag.",
        "Peter Öberg (L) yrkar att nämnden ska bifalla förvaltningens förslag och lägger därutöver fram en egen text.",
    ]


def test_secretary_wording_replaces_the_generated_sentence():
    own = dataclasses.replace(APPROVE, wording="Alla partier yrkade bifall.")
    assert phrases.motion_sentence(own, item(), PAST, chair_id=1) == "Alla partier yrkade bifall."


def test_acclamation_against_each_other():
    it = item(motions=(APPROVE, LIBERAL))
    prop = PropositionData(PropositionKind.AGAINST_EACH_OTHER, outcome_id=APPROVE.id)
    assert phrases.procedure_sentences(prop, it, PAST) == [
        "Ordföranden ställde yrkandena mot varandra och fann att nämnden hade beslutat enligt förvaltningens förslag."
    ]


def test_single_motion_proposition():
    it = item(motions=(APPROVE,))
    prop = PropositionData(PropositionKind.SINGLE, outcome_id=APPROVE.id)
    assert phrases.procedure_sentences(prop, it, PAST) == [
        "Ordföranden ställde proposition på yrkandet och fann att nämnden hade bifallit detsamma."
    ]


def test_referral_back_is_put_first_and_can_win():
    it = item(motions=(APPROVE, REFER))
    won = PropositionData(PropositionKind.DECIDE_TODAY_OR_REFER, outcome_id=REFER.id)
    lost = PropositionData(PropositionKind.DECIDE_TODAY_OR_REFER)
    assert [phrases.proposition_sentence(p, it, PAST) for p in (won, lost)] == [
        "Ordföranden ställde proposition på om ärendet skulle avgöras i dag eller återremitteras och fann att "
        "ärendet skulle återremitteras.",
        "Ordföranden ställde proposition på om ärendet skulle avgöras i dag eller återremitteras och fann att "
        "ärendet skulle avgöras i dag.",
    ]


def test_tabling_present_tense():
    it = item(motions=(APPROVE, TABLE))
    prop = PropositionData(PropositionKind.DECIDE_TODAY_OR_TABLE, outcome_id=TABLE.id)
    assert phrases.proposition_sentence(prop, it, PRESENT) == (
        "Ordföranden ställer proposition på om ärendet ska avgöras i dag eller bordläggas och finner att ärendet "
        "ska bordläggas."
    )


def ballots(yes: list[PersonRef], no: list[PersonRef], abstain: list[PersonRef] = ()) -> tuple[BallotData, ...]:
    return tuple(
        [BallotData(p, BallotChoice.YES) for p in yes]
        + [BallotData(p, BallotChoice.NO) for p in no]
        + [BallotData(p, BallotChoice.ABSTAIN) for p in abstain]
    )


def test_roll_call_vote_sentence_with_abstention():
    it = item(motions=(APPROVE, REJECT))
    prop = PropositionData(
        PropositionKind.AGAINST_EACH_OTHER,
        outcome_id=APPROVE.id,
        voted=True,
        yes_motion_id=APPROVE.id,
        no_motion_id=REJECT.id,
        ballots=ballots([BACK, BACKMAN, DUARTE], [FREDHOLM, HOLM], [OBERG]),
    )
    assert phrases.procedure_sentences(prop, it, PAST) == [
        "Ordföranden ställde yrkandena mot varandra och fann att nämnden hade beslutat enligt förvaltningens förslag.",
        "Omröstning begärdes och verkställdes. Ja för bifall till förvaltningens förslag, nej för bifall till "
        "Arne Fredholms m fl (M) yrkande. Med 3 ja-röster mot 2 nej-röster (1 avstod) beslutade nämnden enligt "
        "förvaltningens förslag.",
    ]


def test_tie_is_decided_by_the_chairs_casting_vote():
    it = item(motions=(APPROVE, REJECT))
    prop = PropositionData(
        PropositionKind.AGAINST_EACH_OTHER,
        outcome_id=APPROVE.id,
        voted=True,
        yes_motion_id=APPROVE.id,
        no_motion_id=REJECT.id,
        casting_vote="no",
        ballots=ballots([BACK, BACKMAN], [FREDHOLM, HOLM]),
    )
    assert phrases.vote_sentence(prop, it, PAST) == (
        "Omröstning begärdes och verkställdes. Ja för bifall till förvaltningens förslag, nej för bifall till "
        "Arne Fredholms m fl (M) yrkande. Med 2 ja-röster mot 2 nej-röster beslutade nämnden med ordförandens "
        "utslagsröst att avslå förvaltningens förslag."
    )


def test_recusal_with_and_without_substitute():
    assert [
        phrases.recusal_sentence(RecusalData(FREDHOLM), PAST),
        phrases.recusal_sentence(RecusalData(FREDHOLM, substitute=HEDLUND), PAST),
        phrases.recusal_sentence(RecusalData(FREDHOLM, left_room=False), PRESENT),
    ] == [
        "Arne Fredholm (M) anmälde jäv och lämnade sammanträdet medan ärendet handlades.",
        "Arne Fredholm (M) anmälde jäv och lämnade sammanträdet medan ärendet handlades. Mats Hedlund (M) "
        "tjänstgjorde i Arne Fredholms ställe.",
        "Arne Fredholm (M) anmäler jäv och deltar inte i handläggningen av ärendet.",
    ]


def test_short_form_reservation_for_own_and_for_others_motion():
    it = item(motions=(APPROVE, REJECT))
    own = ReservationData((Named(FREDHOLM, True),), in_favour_of_id=REJECT.id)
    others = ReservationData((Named(HOLM),), in_favour_of_id=REJECT.id)
    bare = ReservationData((Named(OBERG),))
    assert [phrases.reservation_sentence(r, it, PAST) for r in (own, others, bare)] == [
        "Arne Fredholm m fl (M) reserverade sig mot beslutet till förmån för eget yrkande.",
        "Karin Holm (M) reserverade sig mot beslutet till förmån för Arne Fredholms m fl (M) yrkande.",
        "Peter Öberg (L) reserverade sig mot beslutet.",
    ]


def test_report_sentence_from_the_date_and_immediate_adjustment():
    it = item(report_date=datetime.date(2016, 9, 1))
    assert (phrases.report_sentence(it, PAST), phrases.immediate_adjustment_sentence(PAST)) == (
        "Förvaltningen hade redovisat ärendet i ett tjänsteutlåtande daterat 2016-09-01.",
        "Paragrafen förklarades omedelbart justerad.",
    )


def sections(it: ItemSnapshot, **kwargs) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(s.heading, s.names, s.paragraphs) for s in item_document(it, protocol(it), **kwargs).sections]


def test_several_reservations_from_different_parties_each_get_a_section():
    it = item(
        decision="Bifall.",
        motions=(APPROVE, LIBERAL, REJECT),
        propositions=(PropositionData(PropositionKind.AGAINST_EACH_OTHER, outcome_id=APPROVE.id),),
        reservations=(
            ReservationData((Named(OBERG),), in_favour_of_id=LIBERAL.id),
            ReservationData((Named(FREDHOLM, True), Named(HOLM)), in_favour_of_id=REJECT.id),
        ),
    )
    assert sections(it)[-2:] == [
        ("Reservation", "Peter Öberg (L)", ("1. Eget förslag.", "Motivering.")),
        (
            "Reservation",
            "",
            ("Arne Fredholm m fl (M) och Karin Holm (M) reserverade sig mot beslutet till förmån för eget yrkande.",),
        ),
    ]


def test_motion_text_is_printed_once_by_the_reservation_in_its_favour():
    it = item(motions=(LIBERAL,), reservations=(ReservationData((Named(OBERG),), in_favour_of_id=LIBERAL.id),))
    motions = next(s for s in item_document(it, protocol(it)).sections if s.kind == "motions")
    assert motions.paragraphs == (phrases.motion_sentence(LIBERAL, it, PAST, chair_id=1),)


def test_an_own_proposal_is_printed_under_the_motions_and_by_the_reservation_in_its_favour():
    own = MotionData(15, MotionKind.OWN_PROPOSAL, (Named(OBERG),), text="1. Nämnden inför öppna data.\n\nMotivering.")
    it = item(motions=(APPROVE, own), reservations=(ReservationData((Named(OBERG),), in_favour_of_id=own.id),))
    assert sections(it) == [
        (
            "Förslag till beslut",
            "",
            (
                "Ordföranden Lars Bäck (V), Kjell Backman m fl (S) och Mariana Moreira Duarte m fl (MP) yrkade att "
                "nämnden skulle bifalla förvaltningens förslag.",
                "Peter Öberg (L) yrkade att nämnden skulle besluta enligt eget förslag.",
                "1. Nämnden inför öppna data.",
                "Motivering.",
            ),
        ),
        ("Reservation", "Peter Öberg (L)", ("1. Nämnden inför öppna data.", "Motivering.")),
    ]


def test_special_statement_and_minute_note_sections():
    it = item(
        statements=(
            StatementData(StatementKind.SPECIAL, (Named(LINDQVIST, True),), "Vi välkomnar strategin."),
            StatementData(StatementKind.MINUTE_NOTE, (Named(HEDLUND),), "Jag vill ha detta antecknat."),
        )
    )
    assert sections(it) == [
        ("Särskilt uttalande", "Anna Lindqvist m fl (S)", ("Vi välkomnar strategin.",)),
        ("Protokollsanteckning", "Mats Hedlund (M)", ("Jag vill ha detta antecknat.",)),
    ]


def test_several_decision_points_are_numbered():
    it = item(decision="Nämnden godkänner rapporten.\n\nNämnden överlämnar rapporten.")
    assert sections(it) == [("BESLUT", "", ("1. Nämnden godkänner rapporten.", "2. Nämnden överlämnar rapporten."))]


def test_confidential_item_public_version_shows_only_its_public_heading():
    it = item(
        confidential=True, public_heading="Individärende", decision="Bistånd beviljas till N.N.", motions=(APPROVE,)
    )
    official = item_document(it, protocol(it))
    public = item_document(it, protocol(it), public=True)
    assert (public.title_line, public.sections, public.withheld) == ("§ 10 Individärende", (), True)
    assert official.title_line == "§ 10 Strategi" and official.sections[0].paragraphs == ("Bistånd beviljas till N.N.",)


def test_roll_call_list_marks_serving_members_without_a_ballot_absent():
    prop = PropositionData(
        PropositionKind.AGAINST_EACH_OTHER,
        outcome_id=APPROVE.id,
        voted=True,
        yes_motion_id=APPROVE.id,
        no_motion_id=REJECT.id,
        ballots=ballots([BACK], [FREDHOLM], [OBERG]),
    )
    it = item(motions=(APPROVE, REJECT), propositions=(prop,), serving=(BACK, FREDHOLM, OBERG, HOLM))
    procedure = next(s for s in item_document(it, protocol(it)).sections if s.kind == "procedure")
    assert procedure.roll_calls[0].rows == (
        ("Lars Bäck (V)", "Ja"),
        ("Arne Fredholm (M)", "Nej"),
        ("Peter Öberg (L)", "Avstår"),
        ("Karin Holm (M)", "Frånvarande"),
    )
