"""Phrase, second half: arrange a §'s sentences into the sections the protocol prints.

The result is plain text in a fixed structure, so the HTML and the text renderings cannot
drift apart: both templates only lay out what is decided here.
"""

from dataclasses import dataclass

from minutes.models import AttendanceFunction, BallotChoice, MotionKind
from minutes.models.item import paragraphs
from minutes.points import numbered
from minutes.protocol import housestyle, phrases
from minutes.protocol.snapshot import AttendanceData, HouseStyle, ItemSnapshot, PersonRef, ProtocolSnapshot

# The votes' names in the OParl API; the protocol takes them from the house style (roll_call.choice).
BALLOT_WORDS = {BallotChoice.YES: "Ja", BallotChoice.NO: "Nej", BallotChoice.ABSTAIN: "Avstår"}


@dataclass(frozen=True)
class RollCall:
    """A roll-call list (voteringslista): every serving member and how they voted."""

    question: str
    rows: tuple[tuple[str, str], ...]
    yes: int
    no: int
    abstain: int
    heading: str = "Voteringslista"
    member_label: str = "Ledamot"
    vote_label: str = "Röst"
    sum_label: str = "Summa"
    sum: str = ""  # "6 ja, 5 nej, 1 avstår"


@dataclass(frozen=True)
class Section:
    heading: str
    kind: str  # decision, matter, motions, procedure, reservation, statement, minute_note
    paragraphs: tuple[str, ...] = ()
    names: str = ""  # the members a reservation or statement is made by
    roll_calls: tuple[RollCall, ...] = ()


@dataclass(frozen=True)
class ItemDocument:
    number: int
    heading: str
    sections: tuple[Section, ...]
    withheld: bool = False  # a confidential § in the public version: heading only
    label: str = ""  # "§ 10", as the house style writes it
    dnr_lines: tuple[str, ...] = ()  # under the title, where the house style puts the Dnr there

    @property
    def title_line(self) -> str:
        return f"{self.label or f'§ {self.number}'} {self.heading}"


def split_paragraphs(text: str) -> list[str]:
    """A generated text as paragraphs: a style's template may write several, separated by an empty line."""
    if "\n\n" not in text:
        return [text]
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def roll_call(proposition, item: ItemSnapshot, style: HouseStyle) -> RollCall:
    cast = {b.person.id: b.choice for b in proposition.ballots}
    voters: list[PersonRef] = list(item.serving) + [
        b.person for b in proposition.ballots if b.person not in item.serving
    ]
    rows = tuple((phrases.person(p, style=style), phrases.roll_call_choice(cast.get(p.id, ""), style)) for p in voters)
    counts = phrases.tally(proposition)
    question = phrases.vote_question(proposition, item, style)
    c = style.compiled
    return RollCall(
        question,
        rows,
        counts.yes,
        counts.no,
        counts.abstain,
        heading=c.headings["roll_call"],
        member_label=c.render("roll_call.member_label"),
        vote_label=c.render("roll_call.vote_label"),
        sum_label=c.render("roll_call.sum_label"),
        sum=phrases.roll_call_sum(proposition, style),
    )


def item_document(item: ItemSnapshot, protocol: ProtocolSnapshot, *, public: bool = False) -> ItemDocument:
    style = protocol.style
    label = phrases.paragraph_label(item.number, style)
    if public and item.confidential:
        return ItemDocument(item.number, item.public_heading, (), withheld=True, label=label)
    headings = style.compiled.headings
    chair_id = protocol.chair_id
    parts: dict[str, list[Section]] = {name: [] for name in housestyle.SECTIONS}

    if item.decision_points:
        parts["decision"].append(Section(headings["decision"], "decision", tuple(numbered(item.decision_points))))

    dnr_lines = tuple(phrases.dnr_label(dnr, style) for dnr in item.dnrs)
    under_title = style.compiled.document.get("dnr_position", "matter") == "title"
    matter = list(item.matter_paragraphs)
    report = phrases.report_sentence(item, style)
    if report:
        matter.append(report)
    if not under_title:
        matter.extend(dnr_lines)
    if matter:
        parts["matter"].append(Section(headings["matter"], "matter", tuple(matter)))
    if item.basis:
        parts["basis"].append(Section(headings["basis"], "basis", item.basis))
    if item.prepared_proposal.strip():
        proposal = tuple(paragraphs(item.prepared_proposal))
        parts["prepared_proposal"].append(Section(headings["prepared_proposal"], "prepared_proposal", proposal))
    if item.speakers:
        speakers = phrases.join_words([phrases.person(p, chair_id=chair_id, style=style) for p in item.speakers], style)
        parts["speakers"].append(Section(headings["speakers"], "speakers", (speakers,)))

    # A reservation without text of its own prints the text of the motion it favours; that motion's
    # own text is then not printed twice (the seed's "egen text"). An own proposal is the exception:
    # "besluta enligt eget förslag" says nothing without it, so its text stands under the motions too.
    shown_by_reservation = {
        r.in_favour_of_id
        for r in item.reservations
        if not r.text.strip() and not r.appendix and r.in_favour_of_id is not None
    }
    motions: list[str] = []
    for motion in item.motions:
        motions.extend(split_paragraphs(phrases.motion_sentence(motion, item, style, chair_id)))
        shown_elsewhere = motion.id in shown_by_reservation and motion.kind not in (
            MotionKind.OWN_PROPOSAL,
            MotionKind.CHAIR_PROPOSAL,
        )
        if motion.text.strip() and not shown_elsewhere and motion.kind != MotionKind.REFER_BACK:
            motions.extend(paragraphs(motion.text))
    if motions:
        parts["motions"].append(Section(headings["motions"], "motions", tuple(motions)))

    procedure: list[str] = []
    inline = style.compiled.document.get("roll_call", "inline") == "inline"
    for proposition in item.propositions:
        procedure.extend(
            part for text in phrases.procedure_sentences(proposition, item, style) for part in split_paragraphs(text)
        )
        reference = phrases.roll_call_reference(proposition, style) if proposition.voted and not inline else ""
        if reference.strip():
            procedure.append(reference)
    procedure.extend(phrases.recusal_sentence(r, style) for r in item.recusals)
    if item.immediately_adjusted:
        procedure.append(phrases.immediate_adjustment_sentence(style))
    roll_calls = tuple(roll_call(p, item, style) for p in item.propositions if p.voted and inline)
    if procedure or roll_calls:
        parts["procedure"].append(Section(headings["procedure"], "procedure", tuple(procedure), roll_calls=roll_calls))

    for reservation in item.reservations:
        # A written reservation in an appendix is only announced here; its text is not printed twice.
        text = "" if reservation.appendix else phrases.reservation_text(reservation, item)
        if text.strip():
            parts["reservations"].append(
                Section(
                    headings["reservation"],
                    "reservation",
                    tuple(paragraphs(text)),
                    names=phrases.names(reservation.members, style=style),
                )
            )
        else:
            sentence = phrases.reservation_sentence(reservation, item, style)
            parts["reservations"].append(Section(headings["reservation"], "reservation", (sentence,)))

    for statement in item.statements:
        if statement.in_appendix:
            sentence = phrases.statement_sentence(statement, style)
            parts["statements"].append(
                Section(phrases.statement_heading(statement, style), statement.kind, (sentence,))
            )
            continue
        parts["statements"].append(
            Section(
                phrases.statement_heading(statement, style),
                statement.kind,
                tuple(paragraphs(statement.text)),
                names=phrases.names(statement.authors, style=style),
            )
        )
    if item.recipients:
        parts["recipients"].append(Section(headings["recipients"], "recipients", item.recipients))
    order = style.compiled.document["section_order"]
    sections = tuple(section for name in order for section in parts[name])
    return ItemDocument(item.number, item.heading, sections, label=label, dnr_lines=dnr_lines if under_title else ())


@dataclass(frozen=True)
class RollEntry:
    text: str  # "Lars Bäck (V), ordförande" or "Eva Ek (M) för Arne Fredholm (M) §§ 1–9"


def _range(entry: AttendanceData) -> str:
    return _numbers(entry) + _times(entry)


def _times(entry: AttendanceData) -> str:
    """ " (ankom kl. 18.30)", " (gick kl. 20.15)", " (kl. 18.30–20.15)": a line the secretary gave by time."""
    arrived, left = (f"{t:%H.%M}" if t else None for t in (entry.from_time, entry.to_time))
    if arrived and left:
        return f" (kl. {arrived}–{left})"
    if arrived:
        return f" (ankom kl. {arrived})"
    return f" (gick kl. {left})" if left else ""


def _numbers(entry: AttendanceData) -> str:
    first, last = entry.from_number, entry.to_number
    if first is None and last is None:
        return ""
    if first is not None and last is not None:
        return f" § {first}" if first == last else f" §§ {first}–{last}"
    return f" från § {first}" if first is not None else f" till och med § {last}"


def roll_entries(protocol: ProtocolSnapshot) -> dict[str, list[str]]:
    """The first page's lists of who attended, in roll order."""
    roll: dict[str, list[str]] = {"members": [], "substitutes": [], "non_serving": [], "others": []}
    style = protocol.style
    for entry in protocol.attendance:
        name = phrases.person(entry.person, style=style)
        if entry.function == AttendanceFunction.SERVING and entry.replaces is None:
            chairs = entry.person.role in ("chair", "first_vice_chair", "second_vice_chair")
            title = entry.person.role_title if chairs else ""
            roll["members"].append(style.compiled.render("first_page.member", name=name, title=title) + _range(entry))
        elif entry.function == AttendanceFunction.SERVING:
            replaces = phrases.person(entry.replaces, style=style)
            line = style.compiled.render("first_page.substitute", name=name, replaces=replaces)
            roll["substitutes"].append(line + _range(entry))
        elif entry.function == AttendanceFunction.NON_SERVING:
            roll["non_serving"].append(name + _range(entry))
        else:
            roll["others"].append(name + (f", {entry.title}" if entry.title else "") + _range(entry))
    for item in protocol.items:
        for recusal in item.recusals:
            if recusal.substitute:
                substitute = phrases.person(recusal.substitute, style=style)
                replaces = phrases.person(recusal.person, style=style)
                line = style.compiled.render("first_page.substitute", name=substitute, replaces=replaces)
                roll["substitutes"].append(f"{line} § {item.number}")
    return roll
