"""Phrase: the standard Swedish sentences of a protocol (shared/domain.md §5), as pure functions.

Every function takes snapshot values and the committee's house style and returns text. A
sentence the secretary has rewritten (`wording`) is used as it stands.
"""

import datetime
from dataclasses import dataclass

from minutes.models import CastingVote, MotionKind, PropositionKind, StatementKind, Tally
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
    """The verb forms that differ between the past-tense and present-tense house styles."""

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


PAST = Words(
    moved="yrkade",
    should="skulle",
    put_forward="lade därutöver fram",
    put="ställde",
    found="fann",
    had="hade",
    declared_recusal="anmälde jäv",
    left_meeting="lämnade sammanträdet medan ärendet handlades",
    took_no_part="deltog inte i handläggningen av ärendet",
    served="tjänstgjorde",
    reserved="reserverade sig",
    vote_held="Omröstning begärdes och verkställdes.",
    decided="beslutade",
    abstained="avstod",
    declared_adjusted="Paragrafen förklarades omedelbart justerad.",
    reported="Förvaltningen hade redovisat ärendet i ett tjänsteutlåtande daterat",
)

PRESENT = Words(
    moved="yrkar",
    should="ska",
    put_forward="lägger därutöver fram",
    put="ställer",
    found="finner",
    had="har",
    declared_recusal="anmäler jäv",
    left_meeting="lämnar sammanträdet medan ärendet handläggs",
    took_no_part="deltar inte i handläggningen av ärendet",
    served="tjänstgör",
    reserved="reserverar sig",
    vote_held="Omröstning begärs och verkställs.",
    decided="beslutar",
    abstained="avstår",
    declared_adjusted="Paragrafen förklaras omedelbart justerad.",
    reported="Förvaltningen har redovisat ärendet i ett tjänsteutlåtande daterat",
)


def words(style: HouseStyle) -> Words:
    return PRESENT if style.tense == "present" else PAST


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


def person(ref: PersonRef, *, with_others: bool = False, chair_id: int | None = None) -> str:
    """ "Kjell Backman m fl (S)", and "ordföranden Lars Bäck (V)" for the meeting's chair."""
    text = ref.name + (" m fl" if with_others else "")
    if ref.party:
        text += f" ({ref.party})"
    if chair_id is not None and ref.id == chair_id:
        text = "ordföranden " + text
    return text


def names(named: tuple[Named, ...], *, chair_id: int | None = None) -> str:
    return join([person(n.person, with_others=n.with_others, chair_id=chair_id) for n in named])


def possessive(named: tuple[Named, ...]) -> str:
    """ "Peter Öbergs (L) m fl" for a motion's first mover, as in "Peter Öbergs (L) yrkande"."""
    if not named:
        return "ett"
    first = named[0]
    text = genitive(first.person.name) + (" m fl" if first.with_others or len(named) > 1 else "")
    return text + (f" ({first.person.party})" if first.person.party else "")


def motion_sentence(motion: MotionData, item: ItemSnapshot, style: HouseStyle, chair_id: int | None) -> str:
    if motion.wording:
        return motion.wording
    w = words(style)
    movers = capitalize(names(motion.movers, chair_id=chair_id))
    body = style.body_noun
    base = item.base_proposal
    match motion.kind:
        case MotionKind.APPROVE:
            return f"{movers} {w.moved} att {body} {w.should} bifalla {base}."
        case MotionKind.REJECT:
            return f"{movers} {w.moved} avslag på {base}."
        case MotionKind.APPROVE_WITH_TEXT:
            return f"{movers} {w.moved} att {body} {w.should} bifalla {base} och {w.put_forward} en egen text."
        case MotionKind.REFER_BACK:
            reason = motion.text.strip().rstrip(".")
            return f"{movers} {w.moved} att ärendet {w.should} återremitteras till förvaltningen" + (
                f" för {reason}." if reason else "."
            )
        case MotionKind.TABLE:
            return f"{movers} {w.moved} att ärendet {w.should} bordläggas."
        case MotionKind.OWN_PROPOSAL:
            return f"{movers} {w.moved} att {body} {w.should} besluta enligt eget förslag."
    raise ValueError(f"Unknown motion kind {motion.kind!r}")


def motion_label(motion: MotionData | None, item: ItemSnapshot) -> str:
    """What a vote is for: "förvaltningens förslag" or "Peter Öbergs (L) yrkande"."""
    if motion is None or motion.kind == MotionKind.APPROVE:
        return item.base_proposal
    return f"{possessive(motion.movers)} yrkande"


def outcome(motion: MotionData | None, item: ItemSnapshot) -> str:
    """What the committee decided, as it follows "beslutat"/"beslutade nämnden"."""
    if motion is None or motion.kind == MotionKind.APPROVE:
        return f"enligt {item.base_proposal}"
    match motion.kind:
        case MotionKind.REJECT:
            return f"att avslå {item.base_proposal}"
        case MotionKind.REFER_BACK:
            return "att återremittera ärendet"
        case MotionKind.TABLE:
            return "att bordlägga ärendet"
    return f"enligt {motion_label(motion, item)}"


def proposition_sentence(proposition: PropositionData, item: ItemSnapshot, style: HouseStyle) -> str:
    w = words(style)
    body = style.body_noun
    found = item.motion(proposition.outcome_id)
    match proposition.kind:
        case PropositionKind.AGAINST_EACH_OTHER:
            return (
                f"Ordföranden {w.put} yrkandena mot varandra och {w.found} att {body} "
                f"{w.had} beslutat {outcome(found, item)}."
            )
        case PropositionKind.SINGLE:
            verdict = "bifallit" if found is not None else "avslagit"
            return f"Ordföranden {w.put} proposition på yrkandet och {w.found} att {body} {w.had} {verdict} detsamma."
        case PropositionKind.DECIDE_TODAY_OR_REFER | PropositionKind.DECIDE_TODAY_OR_TABLE:
            deferred = "återremitteras" if proposition.kind == PropositionKind.DECIDE_TODAY_OR_REFER else "bordläggas"
            verdict = deferred if found is not None else "avgöras i dag"
            return (
                f"Ordföranden {w.put} proposition på om ärendet {w.should} avgöras i dag eller {deferred} "
                f"och {w.found} att ärendet {w.should} {verdict}."
            )
    raise ValueError(f"Unknown proposition kind {proposition.kind!r}")


def tally(proposition: PropositionData) -> Tally:
    return Tally.of(b.choice for b in proposition.ballots)


def vote_winner(proposition: PropositionData, item: ItemSnapshot) -> MotionData | None:
    counts = tally(proposition)
    yes_wins = counts.yes > counts.no or (counts.tied and proposition.casting_vote == CastingVote.YES)
    return item.motion(proposition.yes_motion_id if yes_wins else proposition.no_motion_id)


def vote_sentence(proposition: PropositionData, item: ItemSnapshot, style: HouseStyle) -> str:
    w = words(style)
    counts = tally(proposition)
    yes_label = motion_label(item.motion(proposition.yes_motion_id), item)
    no_label = motion_label(item.motion(proposition.no_motion_id), item)
    abstained = f" ({counts.abstain} {w.abstained})" if counts.abstain else ""
    casting = " med ordförandens utslagsröst" if counts.tied else ""
    return (
        f"{w.vote_held} Ja för bifall till {yes_label}, nej för bifall till {no_label}. "
        f"Med {counts.yes} ja-röster mot {counts.no} nej-röster{abstained} {w.decided} {style.body_noun}"
        f"{casting} {outcome(vote_winner(proposition, item), item)}."
    )


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
    w = words(style)
    action = w.left_meeting if recusal.left_room else w.took_no_part
    sentence = f"{person(recusal.person)} {w.declared_recusal} och {action}."
    if recusal.substitute:
        sentence += f" {person(recusal.substitute)} {w.served} i {genitive(recusal.person.name)} ställe."
    return sentence


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
    w = words(style)
    who = capitalize(names(reservation.members))
    motion = item.motion(reservation.in_favour_of_id)
    if motion is None:
        return f"{who} {w.reserved} mot beslutet."
    reserving = {n.person.id for n in reservation.members}
    own = any(m.person.id in reserving for m in motion.movers)
    favour = "eget yrkande" if own else motion_label(motion, item)
    return f"{who} {w.reserved} mot beslutet till förmån för {favour}."


def report_sentence(item: ItemSnapshot, style: HouseStyle) -> str:
    if item.report_wording:
        return item.report_wording
    if item.report_date is None:
        return ""
    return f"{words(style).reported} {iso(item.report_date)}."


def immediate_adjustment_sentence(style: HouseStyle) -> str:
    return words(style).declared_adjusted


def statement_heading(statement: StatementData, style: HouseStyle) -> str:
    return style.heading_minute_note if statement.kind == StatementKind.MINUTE_NOTE else style.heading_statement


def iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""
