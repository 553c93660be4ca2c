"""Render: Jinja2 templates turn a snapshot into the protocol's HTML and plain text.

The protocol is a legal document, so rendering is strict: an undefined name is an error
(StrictUndefined), user text is always escaped in HTML, and nothing here queries the database.
"""

import contextvars
import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from minutes.protocol import housestyle, phrases
from minutes.protocol.document import ItemDocument, item_document, roll_entries
from minutes.protocol.snapshot import ProtocolSnapshot

TEMPLATES = Path(__file__).parent / "templates"

Format = str  # "html" or "text"


@dataclass(frozen=True)
class Signature:
    """One signer's approval at adjustment, as the adjusted protocol states it."""

    name: str
    role: str  # "Ordförande" or "Justerare"
    at: datetime.datetime
    disagreement: str = ""


@dataclass(frozen=True)
class Adjustment:
    adjusted_on: datetime.date
    signatures: tuple[Signature, ...]


@dataclass(frozen=True)
class Notice:
    """The announcement of the adjustment, which fills the announcement certificate (anslagsbevis)."""

    posted_on: datetime.date
    appeal_ends_on: datetime.date
    take_down_on: datetime.date
    kept_at: str
    posted_by: str = ""  # who announced it, by name


@dataclass(frozen=True)
class Request:
    """What to render: the whole protocol, one § as it stands in it, or a certified extract."""

    kind: str = "protocol"  # protocol, item, extract, certificate
    numbers: tuple[int, ...] = ()
    public: bool = False
    certified_on: datetime.date | None = None
    adjustment: Adjustment | None = None
    notice: Notice | None = None
    bare: bool = False  # the body alone, to embed in a web page


# The date and time formats of the house style being rendered (its "formats"); set by `render`.
FORMATS: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("formats", default=None)


def swedish_date(day: datetime.date | None) -> str:
    return housestyle.format_date(day, (FORMATS.get() or {}).get("date", "iso"))


def clock(value: datetime.time | None) -> str:
    return housestyle.format_time(value, (FORMATS.get() or {}).get("time", "dot"))


@cache
def environment(fmt: Format) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=fmt == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = swedish_date
    env.filters["clock"] = clock
    return env


def documents(snapshot: ProtocolSnapshot, request: Request) -> list[ItemDocument]:
    items = snapshot.items
    if request.numbers:
        wanted = set(request.numbers)
        missing = wanted - {item.number for item in items}
        if missing:
            raise KeyError(f"The meeting has no § {', '.join(str(n) for n in sorted(missing))}")
        items = tuple(item for item in items if item.number in wanted)
    return [item_document(item, snapshot, public=request.public) for item in items]


def render(snapshot: ProtocolSnapshot, request: Request, fmt: Format) -> str:
    suffix = {"html": "html.j2", "text": "txt.j2"}[fmt]
    template = environment(fmt).get_template(f"{request.kind}.{suffix}")
    items = documents(snapshot, request)
    token = FORMATS.set(snapshot.style.compiled.document.get("formats", {}))
    try:
        return _render(template, snapshot, request, items)
    finally:
        FORMATS.reset(token)


def first_page(snapshot: ProtocolSnapshot, items: list[ItemDocument]) -> dict[str, str]:
    """The first page's labels and values in the house style's words (its "first_page")."""
    style = snapshot.style.compiled
    words = {key: value for key, value in style.document["first_page"].items() if key in housestyle.FIRST_PAGE_WORDS}
    at = snapshot.adjustment_at
    adjusters = [a.name for a in snapshot.adjusters]
    return {
        **words,
        "title": style.render("first_page.title", number=snapshot.number, year=snapshot.year),
        "place_and_time": style.render(
            "first_page.place_and_time",
            place=snapshot.place,
            start=clock(snapshot.start_time),
            end=clock(snapshot.end_time) if snapshot.start_time else "",
        ),
        "adjustment": style.render(
            "first_page.adjustment",
            date=swedish_date(at.date()) if at else "",
            time=clock(at.time()) if at and not snapshot.adjustment_date_only else "",
            place=snapshot.adjustment_place,
        ),
        "adjusters": style.render(
            "first_page.adjusters", names=adjusters, joined=phrases.join_words(adjusters, snapshot.style)
        ),
        "paragraph_range": style.render("first_page.paragraph_range", first=items[0].number, last=items[-1].number)
        if items
        else "",
    }


def signature_block(snapshot: ProtocolSnapshot) -> dict[str, Any]:
    """The unsigned signature block in the house style's words and layout ("signatures", "signature_layout").

    For the columns layout, `columns` holds (label, names) per column and `lines` the plain text: the
    labels in a row, the names under them.
    """
    document = snapshot.style.compiled.document
    words = document["signatures"]
    columns = [
        (words["secretary_label"], [snapshot.secretary.name] if snapshot.secretary else [""]),
        (words["chair_label"], [snapshot.chair.name] if snapshot.chair else [""]),
        (words["adjuster_label"], [a.name for a in snapshot.adjusters] or [""]),
    ]
    widths = [max(len(text) for text in [label, *names]) + 2 for label, names in columns]
    names_of = [names for _, names in columns]
    rows = [[label for label, _ in columns]]
    rows += [[names[row] if row < len(names) else "" for _, names in columns] for row in range(max(map(len, names_of)))]
    lines = ["".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    return {
        **words,
        "layout": document["signature_layout"],
        "separator": document["first_page"]["label_separator"],
        "columns": columns,
        "lines": lines,
    }


def certificate_words(snapshot: ProtocolSnapshot) -> dict[str, str]:
    """The announcement certificate's words ("certificate"), its label separator and where it stands."""
    document = snapshot.style.compiled.document
    return {
        **document["certificate"],
        "separator": document["first_page"]["label_separator"],
        "placement": document["certificate_placement"],
    }


def _render(template: jinja2.Template, snapshot: ProtocolSnapshot, request: Request, items: list[ItemDocument]) -> str:
    return template.render(
        fp=first_page(snapshot, items),
        sig=signature_block(snapshot),
        cert=certificate_words(snapshot),
        roll_placement=snapshot.style.compiled.document["roll_placement"],
        first_page_order=snapshot.style.compiled.document["first_page_order"],
        p=snapshot,
        items=items,
        roll=roll_entries(snapshot),
        public=request.public,
        certified_on=request.certified_on,
        adjustment=request.adjustment,
        notice=request.notice,
        numbers=", ".join(str(i.number) for i in items),
        bare=request.bare,
    )


def render_html(snapshot: ProtocolSnapshot, request: Request = Request()) -> str:
    return render(snapshot, request, "html")


def render_text(snapshot: ProtocolSnapshot, request: Request = Request()) -> str:
    return render(snapshot, request, "text")
