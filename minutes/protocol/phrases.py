"""Phrase: the protocol's sentences, rendered from the committee's house style (shared/domain.md §5).

Every function takes snapshot values and the house style and returns text. The wording is the
style's: its templates run in Jinja2's sandbox (minutes/protocol/housestyle.py) with the plain
values gathered here, the placeholders the style documents. A sentence the secretary has
rewritten (`wording`) is used as it stands.
"""

import datetime
from dataclasses import dataclass

from minutes.models import CastingVote, MotionKind, PropositionKind, StatementKind, Tally
from minutes.protocol.housestyle import Compiled
from minutes.protocol.snapshot import (
    HouseStyle,
    ItemSnapshot,
    MotionData,
    Named,
    PersonRef,
    PropositionData,
    RecusalData,
    ReservationData,
    StatementData,
)


@dataclass(frozen=True)
class Words:
    """The style's verb forms, by name (the document's "verbs")."""

    moved: str
    should: str
    put_forward: str
    put: str
    found: str
    had: str
    declared_recusal: str
    left_meeting: str
    took_no_part: str
    served: str
    reserved: str
    vote_held: str
    decided: str
    abstained: str
    declared_adjusted: str
    reported: str


def words(style: HouseStyle) -> Words:
    return Words(**style.compiled.verbs)


def _style(style: HouseStyle | None) -> Compiled:
    return (style or DEFAULT).compiled


def join(parts: list[str]) -> str:
    """Swedish enumeration: "A", "A och B", "A, B och C"."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def genitive(name: str) -> str:
    """Swedish genitive of a name: Öberg → Öbergs, Lars → Lars (no s after s, x or z)."""
    return name if name[-1:].lower() in ("s", "x", "z") else name + "s"


def person(
    ref: PersonRef, *, with_others: bool = False, chair_id: int | None = None, style: HouseStyle | None = None
) -> str:
    """ "Kjell Backman m fl (S)", and "ordföranden Lars Bäck (V)" for the meeting's chair."""
    c = _style(style)
    return c.render(
        "label.person",
        name=ref.name,
        with_others=with_others,
        party=ref.party,
        party_label=c.render("label.party", party=ref.party) if ref.party else "",
        chair=chair_id is not None and ref.id == chair_id,
    )


def join_words(parts: list[str], style: HouseStyle | None = None) -> str:
    """Swedish enumeration with the style's conjunction: "A", "A och B", "A, B och C"."""
    if len(parts) <= 1:
        return "".join(parts)
    conjunction = _style(style).document["labels"]["conjunction"]
    return ", ".join(parts[:-1]) + f" {conjunction} " + parts[-1]


def names(named: tuple[Named, ...], *, chair_id: int | None = None, style: HouseStyle | None = None) -> str:
    return join_words(
        [person(n.person, with_others=n.with_others, chair_id=chair_id, style=style) for n in named], style
    )


def possessive(named: tuple[Named, ...], style: HouseStyle | None = None) -> str:
    """ "Peter Öbergs (L) m fl" for a motion's first mover, as in "Peter Öbergs (L) yrkande"."""
    if not named:
        return "ett"
    c = _style(style)
    first = named[0]
    party = first.person.party
    return c.render(
        "label.possessive",
        name_genitive=genitive(first.person.name),
        with_others=first.with_others or len(named) > 1,
        party=party,
        party_label=c.render("label.party", party=party) if party else "",
    )


MOTION_TEMPLATES = {
    MotionKind.APPROVE: "motion.approve",
    MotionKind.REJECT: "motion.reject",
    MotionKind.APPROVE_WITH_TEXT: "motion.approve_with_text",
    MotionKind.REFER_BACK: "motion.refer_back",
    MotionKind.TABLE: "motion.table",
    MotionKind.OWN_PROPOSAL: "motion.own_proposal",
    MotionKind.CHAIR_PROPOSAL: "motion.chair_proposal",
}


def motion_sentence(motion: MotionData, item: ItemSnapshot, style: HouseStyle, chair_id: int | None) -> str:
    if motion.wording:
        return motion.wording
    if motion.kind not in MOTION_TEMPLATES:
        raise ValueError(f"Unknown motion kind {motion.kind!r}")
    reason = motion.text.strip().rstrip(".") if motion.kind == MotionKind.REFER_BACK else ""
    return style.compiled.render(
        MOTION_TEMPLATES[motion.kind],
        movers=capitalize(names(motion.movers, chair_id=chair_id, style=style)),
        base_proposal=item.base_proposal,
        reason=reason,
    )


def motion_label(motion: MotionData | None, item: ItemSnapshot, style: HouseStyle | None = None) -> str:
    """What a vote is for: "förvaltningens förslag" or "Peter Öbergs (L) yrkande"."""
    c = _style(style)
    if motion is None or motion.kind == MotionKind.APPROVE:
        movers = possessive(motion.movers, style) if motion is not None and motion.movers else ""
        return c.render("motion_label.base", base_proposal=item.base_proposal, movers_possessive=movers)
    if motion.kind == MotionKind.CHAIR_PROPOSAL:
        return c.render("motion_label.chair_proposal", movers_possessive=possessive(motion.movers, style))
    return c.render("motion_label.motion", movers_possessive=possessive(motion.movers, style))


OUTCOME_TEMPLATES = {
    MotionKind.REJECT: "outcome.reject",
    MotionKind.REFER_BACK: "outcome.refer_back",
    MotionKind.TABLE: "outcome.table",
}


def outcome(motion: MotionData | None, item: ItemSnapshot, style: HouseStyle | None = None) -> str:
    """What the committee decided, as it follows "beslutat"/"beslutade nämnden"."""
    c = _style(style)
    label = motion_label(motion, item, style)
    if motion is None or motion.kind == MotionKind.APPROVE:
        return c.render("outcome.approve", base_proposal=item.base_proposal, label=label)
    name = OUTCOME_TEMPLATES.get(motion.kind, "outcome.motion")
    return c.render(name, base_proposal=item.base_proposal, label=label)


def proposition_sentence(proposition: PropositionData, item: ItemSnapshot, style: HouseStyle) -> str:
    c = style.compiled
    found = item.motion(proposition.outcome_id)
    match proposition.kind:
        case PropositionKind.AGAINST_EACH_OTHER:
            return c.render(
                "proposition.against_each_other",
                outcome=outcome(found, item, style),
                winner_label=motion_label(found, item, style),
                motions_possessive=join_words([possessive(m.movers, style) for m in item.motions if m.movers], style),
            )
        case PropositionKind.SINGLE:
            return c.render("proposition.single", approved=found is not None)
        case PropositionKind.DECIDE_TODAY_OR_REFER:
            return c.render("proposition.decide_today_or_refer", deferred=found is not None)
        case PropositionKind.DECIDE_TODAY_OR_TABLE:
            return c.render("proposition.decide_today_or_table", deferred=found is not None)
    raise ValueError(f"Unknown proposition kind {proposition.kind!r}")


def tally(proposition: PropositionData) -> Tally:
    return Tally.of(b.choice for b in proposition.ballots)


def vote_winner(proposition: PropositionData, item: ItemSnapshot) -> MotionData | None:
    counts = tally(proposition)
    yes_wins = counts.yes > counts.no or (counts.tied and proposition.casting_vote == CastingVote.YES)
    return item.motion(proposition.yes_motion_id if yes_wins else proposition.no_motion_id)


def vote_sentence(proposition: PropositionData, item: ItemSnapshot, style: HouseStyle) -> str:
    counts = tally(proposition)
    return style.compiled.render(
        "vote",
        yes_label=motion_label(item.motion(proposition.yes_motion_id), item, style),
        no_label=motion_label(item.motion(proposition.no_motion_id), item, style),
        yes=counts.yes,
        no=counts.no,
        abstain=counts.abstain,
        tied=counts.tied,
        outcome=outcome(vote_winner(proposition, item), item, style),
    )


def vote_question(proposition: PropositionData, item: ItemSnapshot, style: HouseStyle) -> str:
    """What the roll-call list says Ja and Nej stood for."""
    return style.compiled.render(
        "vote_question",
        yes_label=motion_label(item.motion(proposition.yes_motion_id), item, style),
        no_label=motion_label(item.motion(proposition.no_motion_id), item, style),
    )


def roll_call_choice(choice: str, style: HouseStyle) -> str:
    """A member's vote on the roll-call list: "Ja", "Nej", "Avstår", or "Frånvarande" ("absent") without a ballot."""
    return style.compiled.render("roll_call.choice", choice=choice or "absent")


def roll_call_sum(proposition: PropositionData, style: HouseStyle) -> str:
    counts = tally(proposition)
    return style.compiled.render("roll_call.sum", yes=counts.yes, no=counts.no, abstain=counts.abstain)


def roll_call_reference(proposition: PropositionData, style: HouseStyle) -> str:
    """Where the roll-call list is, when the style prints it in an appendix ("" when the style says nothing)."""
    return style.compiled.render("roll_call.reference", appendix=proposition.roll_call_appendix)


def procedure_sentences(proposition: PropositionData, item: ItemSnapshot, style: HouseStyle) -> list[str]:
    if proposition.wording:
        return [proposition.wording]
    sentences = [proposition_sentence(proposition, item, style)]
    if proposition.voted:
        sentences.append(vote_sentence(proposition, item, style))
    return sentences


def recusal_sentence(recusal: RecusalData, style: HouseStyle) -> str:
    if recusal.wording:
        return recusal.wording
    return style.compiled.render(
        "recusal",
        person=person(recusal.person, style=style),
        person_genitive=genitive(recusal.person.name),
        left_room=recusal.left_room,
        substitute=person(recusal.substitute, style=style) if recusal.substitute else "",
    )


def reservation_text(reservation: ReservationData, item: ItemSnapshot) -> str:
    """The reservation's own text, else the text of the motion it is in favour of."""
    if reservation.text.strip():
        return reservation.text
    motion = item.motion(reservation.in_favour_of_id)
    return motion.text if motion else ""


def reservation_sentence(reservation: ReservationData, item: ItemSnapshot, style: HouseStyle) -> str:
    """The short form, for a reservation that has no text of its own to print."""
    if reservation.wording:
        return reservation.wording
    motion = item.motion(reservation.in_favour_of_id)
    reserving = {n.person.id for n in reservation.members}
    own = motion is not None and any(m.person.id in reserving for m in motion.movers)
    values = {
        "members": capitalize(names(reservation.members, style=style)),
        "has_motion": motion is not None,
        "own": own,
        "label": motion_label(motion, item, style) if motion is not None else "",
    }
    if reservation.appendix:
        return style.compiled.render("reservation.announced", appendix=reservation.appendix, **values)
    return style.compiled.render("reservation", **values)


def report_sentence(item: ItemSnapshot, style: HouseStyle) -> str:
    if item.report_wording:
        return item.report_wording
    if item.report_date is None:
        return ""
    c = style.compiled
    return c.render("report", date=c.date(item.report_date))


def immediate_adjustment_sentence(style: HouseStyle) -> str:
    return style.compiled.render("immediate_adjustment")


def statement_sentence(statement: StatementData, style: HouseStyle) -> str:
    """A statement announced in the §, its text in an appendix: "Peter Öberg (L) lämnade ett särskilt uttalande"."""
    return style.compiled.render(
        "statement.announced",
        authors=capitalize(names(statement.authors, style=style)),
        minute_note=statement.kind == StatementKind.MINUTE_NOTE,
        appendix=statement.appendix,
    )


def statement_heading(statement: StatementData, style: HouseStyle) -> str:
    headings = style.compiled.headings
    return headings["minute_note"] if statement.kind == StatementKind.MINUTE_NOTE else headings["statement"]


def paragraph_label(number: int, style: HouseStyle) -> str:
    """ "§ 17" (or "§17", as the style has it)."""
    return style.compiled.render("label.paragraph", number=number)


def dnr_label(dnr: str, style: HouseStyle) -> str:
    return style.compiled.render("label.dnr", dnr=dnr)


def iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


DEFAULT = HouseStyle()
