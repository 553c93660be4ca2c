"""The `paragraf:` extension of an AgendaItem: what KL 5:67 makes a protocol record and OParl cannot say.

Motions and their movers, the order the chair put them in, each member's ballot in a
roll-call vote (absent kept apart from abstaining), recusals, reservations, statements and
minute notes, who served on the §, and the § as the public protocol prints it. Everything
comes from the protocol snapshot and the pipeline's own sentences; a confidential § gets
nothing but `paragraf:withheld`. docs/oparl/extension.schema.json describes every key.
"""

from minutes.models import MotionKind
from minutes.oparl.addresses import Links
from minutes.protocol import phrases
from minutes.protocol.document import BALLOT_WORDS, ItemDocument
from minutes.protocol.snapshot import HouseStyle, ItemSnapshot, Named, PersonRef, PropositionData, ProtocolSnapshot

PREFIX = "paragraf:"
ABSENT = "Frånvarande"  # a serving member who cast no ballot: not the same as Avstår


def result(item: ItemSnapshot) -> str:
    """What became of the matter: tabled, referred back, or decided."""
    won = {m.kind for p in item.propositions if (m := item.motion(p.outcome_id)) is not None}
    if MotionKind.TABLE in won:
        return "Bordlagt"
    if MotionKind.REFER_BACK in won:
        return "Återremitterat"
    return "Beslutat"


def _person(links: Links, ref: PersonRef) -> dict:
    return {"person": links("person", ref.id), "name": ref.name, "party": ref.party}


def _named(links: Links, named: tuple[Named, ...]) -> list[dict]:
    return [{**_person(links, n.person), "withOthers": n.with_others} for n in named]


def _motion_number(item: ItemSnapshot, motion_id: int | None) -> int | None:
    for number, motion in enumerate(item.motions, start=1):
        if motion.id == motion_id:
            return number
    return None


def _vote(links: Links, proposition: PropositionData, item: ItemSnapshot, style: HouseStyle) -> dict:
    cast = {b.person.id: b.choice for b in proposition.ballots}
    voters = list(item.serving) + [b.person for b in proposition.ballots if b.person not in item.serving]
    ballots = [{**_person(links, p), "vote": BALLOT_WORDS.get(cast.get(p.id), ABSENT)} for p in voters]
    counts = phrases.tally(proposition)
    return {
        "question": phrases.vote_question(proposition, item, style),
        "yesMotion": _motion_number(item, proposition.yes_motion_id),
        "noMotion": _motion_number(item, proposition.no_motion_id),
        "yes": counts.yes,
        "no": counts.no,
        "abstain": counts.abstain,
        "absent": sum(1 for b in ballots if b["vote"] == ABSENT),
        "castingVote": BALLOT_WORDS.get(proposition.casting_vote),
        "ballots": ballots,
    }


def agenda_item_extension(
    links: Links, item: ItemSnapshot, protocol: ProtocolSnapshot, document: ItemDocument
) -> dict[str, object]:
    if document.withheld:
        return {PREFIX + "withheld": True}
    style, chair_id = protocol.style, protocol.chair_id
    return {
        PREFIX + "withheld": False,
        PREFIX + "dnr": item.dnr,
        PREFIX + "motions": [
            {
                "number": number,
                "kind": motion.kind,
                "movers": _named(links, motion.movers),
                "text": motion.text,
                "sentence": phrases.motion_sentence(motion, item, style, chair_id),
            }
            for number, motion in enumerate(item.motions, start=1)
        ],
        PREFIX + "propositions": [
            {
                "kind": proposition.kind,
                "outcome": _motion_number(item, proposition.outcome_id),
                "sentences": phrases.procedure_sentences(proposition, item, style),
                "vote": _vote(links, proposition, item, style) if proposition.voted else None,
            }
            for proposition in item.propositions
        ],
        PREFIX + "procedure": [
            text for section in document.sections if section.kind == "procedure" for text in section.paragraphs
        ],
        PREFIX + "recusals": [
            {
                **_person(links, recusal.person),
                "leftRoom": recusal.left_room,
                "substitute": _person(links, recusal.substitute) if recusal.substitute else None,
                "sentence": phrases.recusal_sentence(recusal, style),
            }
            for recusal in item.recusals
        ],
        PREFIX + "reservations": [
            {
                "members": _named(links, reservation.members),
                "inFavourOf": _motion_number(item, reservation.in_favour_of_id),
                "text": phrases.reservation_text(reservation, item),
                "sentence": phrases.reservation_sentence(reservation, item, style),
            }
            for reservation in item.reservations
        ],
        PREFIX + "statements": [
            {
                "kind": statement.kind,
                "heading": phrases.statement_heading(statement, style),
                "authors": _named(links, statement.authors),
                "text": statement.text,
            }
            for statement in item.statements
        ],
        PREFIX + "serving": [{**_person(links, ref), "role": ref.role_title} for ref in item.serving],
        PREFIX + "sections": [
            {
                "heading": section.heading,
                "kind": section.kind,
                "paragraphs": list(section.paragraphs),
                "names": section.names,
            }
            for section in document.sections
        ],
    }
