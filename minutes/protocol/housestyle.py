"""The house style as data: one JSON document per style, read by one engine (like a CSL style file).

A style document is a plain dict (schema below, documented for users in README.md). Every sentence
the phrase step generates is a Jinja2 template in it, rendered in Jinja2's immutable sandbox with
StrictUndefined and only the placeholders documented in `PLACEHOLDERS`: plain str, int and bool
values and dicts of them, never a model instance. So no style can read files, settings or other
data, or run code; `validate` refuses a style whose template does not compile, uses a placeholder
its template does not have, or fails on sample values.

Schema (format 2; a format-1 document, written before the opening §§, signatures, certificate and
the new sections were style data, is read through `completed`):
    format          1
    name            the style's name
    tense           "past" or "present" (the opening §§ follow it)
    body_noun       what the protocol calls the committee ("nämnden")
    verbs           the verb forms of the sentences, by name (`VERBS`)
    headings        the § sections' headings, by section (`HEADINGS`)
    terms           words the templates may use: terms.statement, terms.minute_note
    labels          small templates: paragraph ("§ {{ number }}"), dnr, party, person, possessive, conjunction
    first_page      the first page's labels (`FIRST_PAGE_WORDS`) and templates: title, time_span,
                    adjustment_time, paragraph_range, substitute
    first_page_order the order of the first page's rows under the title (`FIRST_PAGE_ROWS`), each once
    formats         date: "iso" | "long" | "weekday_long"; time: "dot" | "colon"
    section_order   the order of a §'s sections (`SECTIONS`)
    dnr_position    "matter" (the Dnr lines end the matter section) or "title" (they stand under the § title)
    roll_call       "inline" (the roll-call list under Beslutsgång) or "omitted" (it is in an appendix)
    roll_placement  "first_page" (the roll under its label) or "own_page" (first_page.roll_reference under the
                    label, "Se sid 2", and the roll on a page of its own after the first)
    signatures      the signature block's heading and labels (`SIGNATURE_WORDS`)
    signature_layout "lines" (a line per signer: "Ordförande: name") or "columns" (the labels in a row, the
                    names under them)
    certificate     the announcement certificate's (anslagsbevis) heading, sentences and labels
                    (`CERTIFICATE_WORDS`); an empty label leaves its line out
    certificate_placement "first_page" or "end" (after the last §)
    opening         the opening §§' titles and decisions, templates (`PLACEHOLDERS`, opening.*)
    notice          the notice of a meeting (kallelse): its words (`NOTICE_WORDS`) and templates
                    (`PLACEHOLDERS`, notice.*); its dates and times follow `formats`, its Dnr `labels.dnr`
    sentences       the sentence templates, by name (`PLACEHOLDERS`)
"""

import copy
import datetime
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from minutes.protocol import jinja_errors

PRESETS = Path(__file__).parent / "styles"
FORMAT = 2  # 2: the opening §§, signatures, certificate, new sections and choices; a format-1 document is completed

VERBS = (
    "moved",
    "should",
    "put_forward",
    "put",
    "found",
    "had",
    "declared_recusal",
    "left_meeting",
    "took_no_part",
    "served",
    "reserved",
    "vote_held",
    "decided",
    "abstained",
    "declared_adjusted",
    "reported",
)
HEADINGS = ("decision", "matter", "motions", "procedure", "reservation", "statement", "minute_note", "roll_call")
HEADINGS += ("basis", "prepared_proposal", "speakers", "recipients")
SECTIONS = ("decision", "matter", "motions", "procedure", "reservations", "statements")
SECTIONS += ("basis", "prepared_proposal", "speakers", "recipients")
DNR_POSITIONS = ("matter", "title")  # title: under the § title; matter: the last lines of the matter section
TERMS = ("statement", "minute_note")
DATE_FORMATS = ("iso", "long", "weekday_long")
TIME_FORMATS = ("dot", "colon")
ROLL_CALLS = ("inline", "omitted")  # omitted: the roll-call list is printed elsewhere (an appendix)
ROLL_PLACEMENTS = ("first_page", "own_page")
SIGNATURE_LAYOUTS = ("lines", "columns")
CERTIFICATE_PLACEMENTS = ("first_page", "end")
# The choices of a style, with their allowed values; a style saved before a choice existed takes the first.
CHOICES = {
    "roll_call": ROLL_CALLS,
    "roll_placement": ROLL_PLACEMENTS,
    "signature_layout": SIGNATURE_LAYOUTS,
    "certificate_placement": CERTIFICATE_PLACEMENTS,
    "dnr_position": DNR_POSITIONS,
}
CHOICE_NAMES = {
    "roll_call": "Voteringslistan",
    "roll_placement": "Uppropets plats",
    "signature_layout": "Underskrifternas uppställning",
    "certificate_placement": "Anslagsbevisets plats",
    "dnr_position": "Diarienumrets plats",
}

# Every template may use these; `verbs` and `terms` are dicts of the style's own words.
COMMON = {
    "body": "the committee as the protocol calls it (nämnden)",
    "Body": "the same, capitalised (Nämnden)",
    "verbs": "the style's verb forms: verbs.moved, verbs.found, …",
    "terms": "the style's terms: terms.statement, terms.minute_note",
}

MOTION = {
    "movers": "who moved it, capitalised (Kjell Backman m fl (S) och Peter Öberg (L))",
    "base_proposal": "what the § decides on (förvaltningens förslag)",
    "reason": "a referral's reason, without its full stop ('' when none)",
}

OUTCOME = {
    "base_proposal": "what the § decides on",
    "label": "the winning motion's label (Peter Öbergs (L) yrkande, or förvaltningens förslag)",
}

# The placeholders of each template, with what they hold; the keys are the template names.
PLACEHOLDERS: dict[str, dict[str, str]] = {
    "motion.approve": MOTION,
    "motion.reject": MOTION,
    "motion.approve_with_text": MOTION,
    "motion.refer_back": MOTION,
    "motion.table": MOTION,
    "motion.own_proposal": MOTION,
    "motion.chair_proposal": MOTION,
    "motion_label.base": {
        "base_proposal": "what the § decides on (förvaltningens förslag)",
        "movers_possessive": "who moved to approve it, in the genitive ('' when the proposal itself is meant)",
    },
    "motion_label.motion": {"movers_possessive": "the first mover in the genitive (Peter Öbergs (L))"},
    "motion_label.chair_proposal": {"movers_possessive": "the chair in the genitive (Lars Bäcks (V))"},
    "outcome.approve": OUTCOME,
    "outcome.reject": OUTCOME,
    "outcome.refer_back": OUTCOME,
    "outcome.table": OUTCOME,
    "outcome.motion": OUTCOME,
    "proposition.against_each_other": {
        "outcome": "what was decided (enligt förvaltningens förslag)",
        "winner_label": "the label of what won (Peter Öbergs (L) yrkande)",
        "motions_possessive": "every motion's movers in the genitive (Pär Löfstrands och AnnSofie Anderssons)",
    },
    "proposition.single": {"approved": "true if the motion was approved, false if the chair found it rejected"},
    "proposition.decide_today_or_refer": {"deferred": "true if the § was referred back"},
    "proposition.decide_today_or_table": {"deferred": "true if the § was tabled"},
    "vote": {
        "yes_label": "what Ja stood for",
        "no_label": "what Nej stood for",
        "yes": "number of yes votes",
        "no": "number of no votes",
        "abstain": "number who abstained",
        "tied": "true if the chair's casting vote decided",
        "outcome": "what was decided",
    },
    "vote_question": {"yes_label": "what Ja stood for", "no_label": "what Nej stood for"},
    "roll_call.member_label": {},
    "roll_call.vote_label": {},
    "roll_call.choice": {"choice": "how the member voted: yes, no, abstain or absent"},
    "roll_call.sum_label": {},
    "roll_call.sum": {"yes": "number of yes votes", "no": "number of no votes", "abstain": "number who abstained"},
    "roll_call.reference": {"appendix": "the appendix the roll-call list is in ('' when not given)"},
    "recusal": {
        "person": "who declared recusal (Arne Fredholm (M))",
        "person_genitive": "their name in the genitive (Arne Fredholms)",
        "left_room": "true if they left the meeting",
        "substitute": "who served instead ('' when nobody)",
    },
    "reservation": {
        "members": "who reserved themselves, capitalised",
        "has_motion": "true if the reservation favours a motion",
        "own": "true if it favours their own motion",
        "label": "the favoured motion's label ('' when none)",
    },
    "reservation.announced": {
        "members": "who reserved themselves, capitalised",
        "has_motion": "true if the reservation favours a motion",
        "own": "true if it favours their own motion",
        "label": "the favoured motion's label ('' when none)",
        "appendix": "the appendix the written reservation is in (1)",
    },
    "statement.announced": {
        "authors": "who made it, capitalised (Peter Öberg (L))",
        "minute_note": "true for a minute note, false for a special statement",
        "appendix": "the appendix its text is in ('' when not given)",
    },
    "report": {"date": "the date of the administration's report, formatted"},
    "immediate_adjustment": {},
    "first_page.title": {"number": "the meeting's number in its year", "year": "the year"},
    "first_page.place_and_time": {
        "place": "where the meeting was held",
        "start": "when it began, formatted ('' if not given)",
        "end": "when it ended ('' if not given)",
    },
    "first_page.adjustment": {
        "date": "the adjustment's date, formatted ('' if not decided)",
        "time": "its time ('' if none)",
        "place": "its place ('' if none)",
    },
    "first_page.adjusters": {
        "names": "the adjusters' names, a list",
        "joined": "the same joined with the conjunction (Jörn Okan och Tobias Eriksson)",
    },
    "first_page.paragraph_range": {"first": "the first § number", "last": "the last § number"},
    "first_page.member": {
        "name": "a serving member (Lars Bäck (V))",
        "title": "their office if they chair or vice-chair ('' otherwise): ordförande, vice ordförande",
    },
    "first_page.substitute": {
        "name": "the serving substitute (Mats Hedlund (M))",
        "replaces": "whom they serve for (Karin Holm (M))",
    },
    "opening.adjusters_title": {},
    "opening.adjustment_title": {},
    "opening.agenda_title": {},
    "opening.adjusters": {
        "adjusters": "the adjusters, joined with the conjunction (Jörn Okan (M) och Tobias Eriksson (S)),"
        " or opening.missing_adjusters while none is appointed",
    },
    "opening.adjustment": {
        "when": "date and time in words (den 4 april 2011 kl. 08.00; the date alone when no time is set),"
        " or opening.missing_time while not decided",
        "date": "the date in words (den 4 april 2011; '' when not decided)",
        "time": "the time (08.00; '' when none)",
        "place": "the place ('' when none)",
    },
    "opening.agenda": {
        "withdrawn": "the titles of agenda items withdrawn at the meeting, a list",
        "added": "the titles of agenda items added at the meeting, a list",
        "withdrawn_joined": "the same in quotes, joined with the conjunction (”A” och ”B”)",
        "added_joined": "the same for the added items",
    },
    "opening.missing_adjusters": {},
    "opening.missing_time": {},
    "notice.title": {
        "number": "the meeting's number in its year",
        "year": "the year",
        "committee": "the committee's name",
        "date": "the meeting's date, formatted",
    },
    "notice.document_title": {"committee": "the committee's name", "date": "the meeting's date, formatted"},
    "notice.time": {"date": "the meeting's date, formatted", "time": "when it begins, formatted ('' if not given)"},
    "notice.confidential": {"ground": "the item's ground for secrecy in the OSL (OSL 26 kap. 1 §)"},
    "label.paragraph": {"number": "the § number"},
    "label.dnr": {"dnr": "the registration number (diarienummer)"},
    "label.party": {"party": "the party abbreviation (S)"},
    "label.person": {
        "name": "first and last name",
        "with_others": "true for 'm fl'",
        "party": "the party abbreviation ('' when none)",
        "party_label": "the party as label.party prints it",
        "chair": "true if the person chairs the meeting",
    },
    "label.possessive": {
        "name_genitive": "the name in the genitive (Peter Öbergs)",
        "with_others": "true for 'm fl'",
        "party": "the party abbreviation ('' when none)",
        "party_label": "the party as label.party prints it",
    },
}

# Sample values for validation and the editor's help: every placeholder of every template.
SAMPLES: dict[str, Any] = {
    "movers": "Kjell Backman m fl (S)",
    "base_proposal": "förvaltningens förslag",
    "reason": "att utreda kostnaderna",
    "movers_possessive": "Peter Öbergs (L)",
    "motions_possessive": "Peter Öbergs (L) och Arne Fredholms (M)",
    "winner_label": "Peter Öbergs (L) yrkande",
    "label": "Peter Öbergs (L) yrkande",
    "outcome": "enligt förvaltningens förslag",
    "approved": True,
    "deferred": False,
    "yes_label": "förvaltningens förslag",
    "no_label": "Peter Öbergs (L) yrkande",
    "yes": 6,
    "no": 5,
    "abstain": 1,
    "tied": False,
    "person": "Arne Fredholm (M)",
    "person_genitive": "Arne Fredholms",
    "left_room": True,
    "substitute": "Mats Hedlund (M)",
    "members": "Arne Fredholm m fl (M)",
    "has_motion": True,
    "own": False,
    "date": "2016-09-12",
    "number": 10,
    "dnr": "1.2.3-456/2016",
    "party": "S",
    "name": "Kjell Backman",
    "name_genitive": "Kjell Backmans",
    "with_others": True,
    "party_label": "(S)",
    "chair": False,
    "year": 2016,
    "start": "18.00",
    "end": "20.15",
    "time": "15.00",
    "place": "Årstadals stadsdelsförvaltning",
    "names": ["Jörn Okan", "Tobias Eriksson"],
    "joined": "Jörn Okan och Tobias Eriksson",
    "first": 1,
    "last": 12,
    "replaces": "Karin Holm (M)",
    "title": "ordförande",
    "adjusters": "Jörn Okan (M) och Tobias Eriksson (S)",
    "when": "den 4 april 2011 kl. 08.00",
    "withdrawn": ["Motion om badplats"],
    "added": ["Val av revisor", "Avsägelse"],
    "withdrawn_joined": "”Motion om badplats”",
    "added_joined": "”Val av revisor” och ”Avsägelse”",
    "choice": "yes",
    "appendix": "1",
    "authors": "Peter Öberg (L)",
    "minute_note": False,
    "committee": "Årstadals stadsdelsnämnd",
    "ground": "OSL 26 kap. 1 §",
}

GROUPS = (
    ("motion", "Yrkanden"),
    ("motion_label", "Yrkandenas namn"),
    ("outcome", "Beslutets innehåll"),
    ("proposition", "Propositioner"),
    ("vote", "Omröstning"),
    ("vote_question", "Omröstning"),
    ("roll_call", "Voteringslista"),
    ("recusal", "Jäv"),
    ("reservation", "Reservation"),
    ("statement", "Särskilda uttalanden och protokollsanteckningar"),
    ("report", "Ärendet"),
    ("immediate_adjustment", "Omedelbar justering"),
    ("label", "Etiketter"),
    ("first_page", "Första sidan"),
    ("opening", "Inledande paragrafer"),
    ("notice", "Kallelse"),
)
# The first page's plain labels, by name (the document's "first_page" holds them beside its templates).
FIRST_PAGE_WORDS = (
    "date_label",
    "place_label",
    "attendance_label",
    "members_label",
    "substitutes_label",
    "non_serving_label",
    "others_label",
    "adjusters_label",
    "adjustment_label",
    "paragraphs_label",
    "label_separator",
    "roll_reference",
)
# The rows of the first page under its title, in the order of the document's "first_page_order" (each once):
# place and time, the roll (or first_page.roll_reference when it has a page of its own), others present,
# the adjusters, the adjustment's time and place, and the §§.
FIRST_PAGE_ROWS = ("place", "attendance", "others", "adjusters", "adjustment", "paragraphs")
# The signature block's words; an empty heading is not printed.
SIGNATURE_WORDS = ("heading", "secretary_label", "chair_label", "adjuster_label")
# The announcement certificate's words; an empty label leaves its line out.
CERTIFICATE_WORDS = (
    "heading",
    "sentence",
    "sealed_sentence",
    "organ_label",
    "meeting_date_label",
    "posted_label",
    "appeal_label",
    "take_down_label",
    "kept_at_label",
    "posted_by_label",
    "signature_label",
)
# The notice's plain words (the document's "notice" holds them beside its templates); none may be empty.
NOTICE_WORDS = (
    "heading",
    "time_label",
    "place_label",
    "secretary_label",
    "agenda_heading",
    "agenda_missing",
    "presenters_label",
    "preparing_label",
    "proposal_label",
    "confidential_document",
)


def template_names() -> tuple[str, ...]:
    return tuple(PLACEHOLDERS)


def allowed(name: str) -> set[str]:
    return set(COMMON) | set(PLACEHOLDERS[name])


def templates_of(document: Mapping[str, Any]) -> dict[str, str]:
    """The document's templates by name: "sentences" under their names, "labels" as label.<name>."""
    found = dict(document.get("sentences", {}))
    for name, text in document.get("labels", {}).items():
        if name != "conjunction":
            found[f"label.{name}"] = text
    for name, text in document.get("first_page", {}).items():
        if name not in FIRST_PAGE_WORDS:
            found[f"first_page.{name}"] = text
    for name, text in document.get("opening", {}).items():
        found[f"opening.{name}"] = text
    for name, text in document.get("notice", {}).items():
        if name not in NOTICE_WORDS:
            found[f"notice.{name}"] = text
    return found


# The sandbox


class StyleSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with string repetition and powers kept small (a template is user text)."""

    intercepted_binops = frozenset(["*", "**"])
    LIMIT = 10_000

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and (not isinstance(right, int) or abs(right) > 64):
            raise jinja2.sandbox.SecurityError("the power is too large")
        if operator == "*" and any(isinstance(v, int) and v > self.LIMIT for v in (left, right)):
            raise jinja2.sandbox.SecurityError("the repetition is too large")
        return super().call_binop(context, operator, left, right)


@cache
def sandbox() -> StyleSandbox:
    env = StyleSandbox(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.globals.clear()  # no range(), dict(), lipsum(), cycler(): a style gets its values and nothing else
    return env


def canonical(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(document: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(document).encode()).hexdigest()


@dataclass(frozen=True)
class Compiled:
    """A style version's templates, compiled once, and its plain words."""

    document: dict
    templates: dict[str, jinja2.Template]
    common: dict[str, Any]
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def render(self, template: str, /, **values: Any) -> str:
        """The template rendered with `values`; the same values give the same text, so it is kept (a name
        is rendered hundreds of times in a protocol)."""
        key = (template, *sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in values.items()))
        found = self.memo.get(key)
        if found is None:
            if len(self.memo) > MEMO_SIZE:
                self.memo.clear()
            found = self.memo[key] = self.templates[template].render(**self.common, **values)
        return found

    @property
    def verbs(self) -> dict[str, str]:
        return self.document["verbs"]

    @property
    def headings(self) -> dict[str, str]:
        return self.document["headings"]

    def date(self, day: datetime.date | None) -> str:
        return format_date(day, self.document.get("formats", {}).get("date", "iso"))

    def time(self, value: datetime.time | None) -> str:
        return format_time(value, self.document.get("formats", {}).get("time", "dot"))


_compiled: dict[str, Compiled] = {}
MEMO_SIZE = 20_000


def compiled(document: Mapping[str, Any], sha256: str = "") -> Compiled:
    """The compiled templates of a style version, cached by the document's SHA-256."""
    key = sha256 or digest(document)
    found = _compiled.get(key)
    if found is None:
        if len(_compiled) > 256:
            _compiled.clear()
        env = sandbox()
        document = completed(document)
        body = document["body_noun"]
        found = Compiled(
            document=copy.deepcopy(dict(document)),
            templates={name: env.from_string(text) for name, text in templates_of(document).items()},
            common={
                "body": body,
                "Body": body[:1].upper() + body[1:],
                "verbs": dict(document["verbs"]),
                "terms": dict(document.get("terms", {})),
            },
        )
        _compiled[key] = found
    return found


# Dates and times

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober")
MONTHS += ("november", "december")
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def format_date(day: datetime.date | None, kind: str = "iso") -> str:
    if day is None:
        return ""
    if kind == "long":
        return f"den {day.day} {MONTHS[day.month - 1]} {day.year}"
    if kind == "weekday_long":
        return f"{WEEKDAYS[day.weekday()]} den {day.day} {MONTHS[day.month - 1]} {day.year}"
    return day.isoformat()


def format_time(value: datetime.time | None, kind: str = "dot") -> str:
    if value is None:
        return ""
    return value.strftime("%H:%M" if kind == "colon" else "%H.%M")


# Presets


def preset_names() -> list[str]:
    return sorted(path.stem for path in PRESETS.glob("*.json"))


@cache
def _preset_text(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9-]+", name):
        raise KeyError(name)
    return (PRESETS / f"{name}.json").read_text()


def preset(name: str) -> dict[str, Any]:
    """A shipped style document, as a fresh dict."""
    return json.loads(_preset_text(name))


DEFAULT_PRESET = "stockholm-sdn"
LEGACY_HEADINGS = ("decision", "matter", "motions", "procedure", "reservation", "statement", "minute_note")


@cache
def _legacy(tense: str, body_noun: str, headings: tuple[str, ...]) -> tuple[dict, str]:
    document = preset("stockholm-sdn-presens" if tense == "present" else DEFAULT_PRESET)
    document["body_noun"] = body_noun
    document["headings"].update(zip(LEGACY_HEADINGS, headings, strict=True))
    return document, digest(document)


def legacy_document(tense: str, body_noun: str, headings: tuple[str, ...]) -> tuple[dict, str]:
    """The style document equal to a committee's old style fields (tense, body noun, seven headings), and its hash.

    Committees without a style of their own, and protocols adjusted before styles were documents,
    print with it: the Stockholm preset in their tense, with their body noun and headings.
    """
    document, sha = _legacy(tense, body_noun, tuple(headings))
    return document, sha


def completed(document: Any) -> Any:
    """The document with what a newer Paragraf added to the schema filled in from the preset of its tense.

    A stored style (and the style of an adjusted protocol) was valid when it was saved; a key added since
    then takes the preset's value, which prints as Paragraf printed before the key existed. A section
    added since then is put after the section it follows in the preset. Anything not a dict is returned
    as it is, for `validate` to refuse.
    """
    if not isinstance(document, Mapping):
        return document
    base = preset("stockholm-sdn-presens" if document.get("tense") == "present" else DEFAULT_PRESET)
    out = copy.deepcopy(dict(document))
    if out.get("format") == 1:
        out["format"] = FORMAT
    for key, value in base.items():
        if key not in out:
            out[key] = value
        elif isinstance(value, dict) and isinstance(out[key], dict):
            out[key] = {**{k: v for k, v in value.items() if k not in out[key]}, **out[key]}
    order = out.get("section_order")
    if isinstance(order, list) and all(isinstance(part, str) for part in order):
        order = list(order)
        for index, section in enumerate(base["section_order"]):
            if section not in order:
                before = base["section_order"][index - 1] if index else None
                order.insert(order.index(before) + 1 if before in order else len(order), section)
        out["section_order"] = order
    return out


# Validation


@dataclass(frozen=True)
class Problem:
    """A reason a style cannot be saved: where (a JSON path and a form field) and why, in Swedish."""

    path: str  # JSON path: "$.sentences['motion.approve']"
    field: str  # the form field: "motion.approve", "body_noun", "headings.decision"
    message: str


def json_path(*parts: str) -> str:
    return "$" + "".join(f".{p}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", p) else f"[{p!r}]" for p in parts)


def template_path(name: str) -> tuple[str, str]:
    """Where a template stands in the document: ("sentences", "vote"), ("labels", "party"), ("first_page", "title")."""
    if name.startswith("label."):
        return ("labels", name.removeprefix("label."))
    if name.startswith("first_page."):
        return ("first_page", name.removeprefix("first_page."))
    if name.startswith("opening."):
        return ("opening", name.removeprefix("opening."))
    if name.startswith("notice."):
        return ("notice", name.removeprefix("notice."))
    return ("sentences", name)


def _line_of(ast: nodes.Template, placeholder: str) -> int:
    for node in ast.find_all(nodes.Name):
        if node.name == placeholder:
            return node.lineno
    return 1


def check_template(name: str, text: Any) -> str:
    """'' if the template is sound, else why not (Swedish, with the line and the placeholder)."""
    if not isinstance(text, str):
        return f"Mallen {name} måste vara text."
    if len(text) > TEXT_LIMIT:
        return f"Mallen {name}: högst {TEXT_LIMIT} tecken."
    env = sandbox()
    try:
        ast = env.parse(text)
        found = meta.find_undeclared_variables(ast)  # compiles: an unknown filter or test is found here
    except jinja2.TemplateSyntaxError as error:
        return f"Mallen {name}, rad {error.lineno}: {jinja_errors.syntax_error(error)}."
    unknown = sorted(found - allowed(name))
    if unknown:
        first = unknown[0]
        known = ", ".join(sorted(allowed(name)))
        return f"Mallen {name}, rad {_line_of(ast, first)}: okänd platshållare {first} (tillåtna: {known})."
    try:
        template = env.from_string(text)
        values = {key: SAMPLES[key] for key in PLACEHOLDERS[name]}
        common = {
            "body": "nämnden",
            "Body": "Nämnden",
            "verbs": dict.fromkeys(VERBS, "verb"),
            "terms": dict.fromkeys(TERMS, "term"),
        }
        template.render(**common, **values)
    except jinja2.sandbox.SecurityError as error:
        return f"Mallen {name}, rad {_error_line(error)}: {jinja_errors.security_error(error)}."
    except jinja2.UndefinedError as error:
        return f"Mallen {name}, rad {_error_line(error)}: {jinja_errors.undefined_error(error)}."
    except Exception as error:  # a template is user text: any failure on sample values refuses it
        return f"Mallen {name}, rad {_error_line(error)}: {jinja_errors.render_error(error)}."
    return ""


def _error_line(error: BaseException) -> int:
    tb = error.__traceback__
    line = 1
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def validate(document: Any) -> list[Problem]:
    """Every reason the document is not a usable style; [] when it is."""
    if not isinstance(document, dict):
        return [Problem("$", "", "En husstil är ett JSON-objekt.")]
    problems: list[Problem] = []

    def need_text(parts: tuple[str, ...], field: str, *, blank: bool = False) -> None:
        value: Any = document
        for part in parts:
            value = value.get(part) if isinstance(value, dict) else None
        message = _text_problem(field, value, blank=blank)
        if message:
            problems.append(Problem(json_path(*parts), field, message))

    if document.get("format") != FORMAT:
        problems.append(
            Problem("$.format", "format", f"Okänt format {document.get('format')!r}: det ska vara {FORMAT}.")
        )
    need_text(("name",), "name")
    need_text(("body_noun",), "body_noun")
    if document.get("tense") not in ("past", "present"):
        problems.append(Problem("$.tense", "tense", "Tempus ska vara past eller present."))
    for group, names in (("verbs", VERBS), ("headings", HEADINGS), ("terms", TERMS)):
        if not isinstance(document.get(group), dict):
            problems.append(Problem(json_path(group), group, f"{group} saknas eller är inte ett objekt."))
            continue
        for name in names:  # a heading may be empty: the section is then printed without one
            need_text((group, name), f"{group}.{name}", blank=group == "headings")
        for extra in sorted(set(document[group]) - set(names)):
            problems.append(Problem(json_path(group, extra), f"{group}.{extra}", f"Okänt fält {group}.{extra}."))
    formats = document.get("formats")
    if not isinstance(formats, dict):
        problems.append(Problem("$.formats", "formats", "formats saknas eller är inte ett objekt."))
    else:
        if formats.get("date") not in DATE_FORMATS:
            problems.append(
                Problem("$.formats.date", "formats.date", f"Datumformatet ska vara ett av {', '.join(DATE_FORMATS)}.")
            )
        if formats.get("time") not in TIME_FORMATS:
            problems.append(
                Problem("$.formats.time", "formats.time", f"Tidsformatet ska vara ett av {', '.join(TIME_FORMATS)}.")
            )
    problems += _section_order(document.get("section_order"))
    problems += _first_page_order(document.get("first_page_order"))
    labels = document.get("labels")
    if not isinstance(labels, dict) or not isinstance(labels.get("conjunction"), str):
        problems.append(Problem("$.labels.conjunction", "labels.conjunction", "labels.conjunction saknas (och)."))
    elif _has_placeholder(labels["conjunction"]):
        problems.append(Problem("$.labels.conjunction", "labels.conjunction", PLAIN_WORD % "labels.conjunction"))
    first_page = document.get("first_page")
    if not isinstance(first_page, dict):
        problems.append(Problem("$.first_page", "first_page", "first_page saknas eller är inte ett objekt."))
    else:
        for name in FIRST_PAGE_WORDS:
            need_text(("first_page", name), f"first_page.{name}", blank=True)
    for group, names in (("signatures", SIGNATURE_WORDS), ("certificate", CERTIFICATE_WORDS)):
        if not isinstance(document.get(group), dict):
            problems.append(Problem(json_path(group), group, f"{group} saknas eller är inte ett objekt."))
            continue
        for name in names:  # an empty label leaves its line out
            need_text((group, name), f"{group}.{name}", blank=True)
        for extra in sorted(set(document[group]) - set(names)):
            problems.append(Problem(json_path(group, extra), f"{group}.{extra}", f"Okänt fält {group}.{extra}."))
    sentences = document.get("sentences")
    if not isinstance(sentences, dict):
        problems.append(Problem("$.sentences", "sentences", "sentences saknas eller är inte ett objekt."))
    if not isinstance(document.get("opening"), dict):
        problems.append(Problem("$.opening", "opening", "opening saknas eller är inte ett objekt."))
    if not isinstance(document.get("notice"), dict):
        problems.append(Problem("$.notice", "notice", "notice (kallelsen) saknas eller är inte ett objekt."))
    else:
        for name in NOTICE_WORDS:
            need_text(("notice", name), f"notice.{name}")
    template_parts = ("sentences", "labels", "first_page", "opening", "notice")
    parts_ok = all(isinstance(document.get(key), dict) for key in template_parts)
    found = templates_of(document) if parts_ok else {}
    for name in PLACEHOLDERS:
        if name not in found:
            problems.append(Problem(json_path(*template_path(name)), name, f"Mallen {name} saknas."))
            continue
        message = check_template(name, found[name])
        if message:
            problems.append(Problem(json_path(*template_path(name)), name, message))
    for name in sorted(set(found) - set(PLACEHOLDERS)):
        problems.append(Problem(json_path(*template_path(name)), name, f"Okänd mall {name}."))
    problems += _text_limits(document)
    known = {"format", "name", "description", "tense", "body_noun", "verbs", "headings", "terms", "labels"}
    known |= {"first_page_order"}
    known |= {"formats", "section_order", "sentences", "first_page", "opening", "signatures", "certificate", *CHOICES}
    known.add("notice")
    for key, values in CHOICES.items():
        if document.get(key, values[0]) not in values:
            problems.append(Problem(json_path(key), key, f"{CHOICE_NAMES[key]} ska vara en av {', '.join(values)}."))
    for extra in sorted(set(document) - known):
        problems.append(Problem(json_path(extra), extra, f"Okänt fält {extra}."))
    return problems


# A plain word is printed as it is written: only templates fill in placeholders.
PLAIN_WORD = "%s skrivs ut precis som det står: platshållare som {{ … }} fungerar bara i mallarna."


def _has_placeholder(text: str) -> bool:
    return "{{" in text or "{%" in text


def _text_problem(field: str, value: Any, *, blank: bool) -> str:
    """Why `value` cannot be the plain text of `field` ('' when it can), in the words of what is wrong with it."""
    if value is None:
        return f"{field} saknas."
    if isinstance(value, bool):
        return f"{field} ska vara en text inom citattecken, inte true eller false."
    if isinstance(value, int | float):
        return f"{field} ska vara en text inom citattecken, inte ett tal ({value})."
    if not isinstance(value, str):
        return f"{field} ska vara en text inom citattecken, inte en lista eller ett objekt."
    if not blank and not value.strip():
        return f"{field} måste vara en text som inte är tom."
    if _has_placeholder(value):
        return PLAIN_WORD % field
    return ""


def _order_problems(order: Any, known: tuple[str, ...], field: str, words: dict[str, str]) -> list[Problem]:
    """Why an order of parts is unusable: not a list, a part not known, named twice or left out ([] when
    sound). `words` holds the Swedish messages, with {part} and {known}."""
    names = ", ".join(known)

    def problem(key: str, part: str = "") -> list[Problem]:
        return [Problem(f"$.{field}", field, words[key].format(part=part, known=names))]

    if not isinstance(order, list) or not all(isinstance(part, str) for part in order):
        return problem("list")
    unknown = [part for part in order if part not in known]
    if unknown:
        return problem("unknown", unknown[0])
    repeated = [part for part in known if order.count(part) > 1]
    if repeated:
        return problem("repeated", repeated[0])
    missing = [part for part in known if part not in order]
    if missing:
        return problem("missing", missing[0])
    return []


def _section_order(order: Any) -> list[Problem]:
    return _order_problems(
        order,
        SECTIONS,
        "section_order",
        {
            "list": "Avsnittens ordning ska vara en lista av avsnitten {known}.",
            "unknown": "Okänt avsnitt ”{part}” (kända avsnitt: {known}).",
            "repeated": "Avsnittet {part} står mer än en gång.",
            "missing": "Avsnittet {part} saknas (alla avsnitt ska stå med, åtskilda av komma: {known}).",
        },
    )


def _first_page_order(order: Any) -> list[Problem]:
    return _order_problems(
        order,
        FIRST_PAGE_ROWS,
        "first_page_order",
        {
            "list": "Första sidans ordning ska vara en lista av raderna {known}.",
            "unknown": "Okänd rad ”{part}” på första sidan (kända rader: {known}).",
            "repeated": "Raden {part} står mer än en gång på första sidan.",
            "missing": "Raden {part} saknas på första sidan (alla rader ska stå med: {known}).",
        },
    )


TEXT_LIMIT = 4000
NAME_LIMIT = 200


def _text_limits(document: dict) -> list[Problem]:
    """Every text of the document stored as it is: no NUL (PostgreSQL refuses it), nothing huge."""
    problems: list[Problem] = []

    def walk(value: Any, parts: tuple[str, ...]) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, (*parts, str(key)))
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(inner, (*parts, str(index)))
        elif isinstance(value, str):
            field = ".".join(parts[1:]) if parts[:1] in (("sentences",),) else ".".join(parts)
            if parts[:1] == ("labels",) and parts[1:] != ("conjunction",):
                field = "label." + ".".join(parts[1:])
            if parts[:1] in (("first_page",), ("opening",), ("notice",)):
                field = parts[0] + "." + ".".join(parts[1:])
            limit = NAME_LIMIT if parts == ("name",) else TEXT_LIMIT
            if "\x00" in value or "\x00" in "".join(parts):
                problems.append(Problem(json_path(*parts), field, f"{field}: tecknet NUL får inte förekomma."))
            elif len(value) > limit and field not in PLACEHOLDERS:  # a template's length is checked with it
                problems.append(Problem(json_path(*parts), field, f"{field}: högst {limit} tecken."))

    walk(document, ())
    return problems


def effective(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document as it prints: what it leaves out is what it prints with (`completed`, and each
    choice's first value), so that a key missing on one side is no difference."""
    out = completed(document)
    for key, values in CHOICES.items():
        out.setdefault(key, values[0])
    return out


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """What differs between two style documents as they print, as (field, old, new), templates and words alike."""

    def flat(document: Mapping[str, Any]) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, value in document.items():
            if isinstance(value, dict):
                for inner, text in value.items():
                    out[f"{key}.{inner}"] = text if isinstance(text, str) else json.dumps(text, ensure_ascii=False)
            elif isinstance(value, list):
                out[key] = ", ".join(str(v) for v in value)
            else:
                out[key] = str(value)
        return out

    before, after = flat(effective(old)), flat(effective(new))
    return [
        (key, before.get(key, ""), after.get(key, ""))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    ]
