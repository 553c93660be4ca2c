"""Decision points as the secretary types them, and the numbers the protocol prints on them.

A secretary writes a decision the way she would in Word: "1." or "2 ." or "a)" or a bullet
before each point, or pasted from Word with a tab after the number, or points without any
marker, one paragraph each. `decision_points` is the one place that reads such text: it strips
whatever marker was typed, so that `numbered` can number the points itself and a typed "1."
never reaches the protocol, the portal or search beside the printed one ("1. 1. …").

`layout_problems` says what would still print oddly, for the checklist. Pure functions of
text, no database.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Line breaks as pasted from Word and browsers: CRLF, CR, Word's soft break (vertical tab) and
# the Unicode line and paragraph separators.
_LINE_BREAK = re.compile(r"\r\n|[\r\x0b\x0c\u2028\u2029\x85]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Bullets: Word's Symbol and Wingdings bullets arrive as private-use characters.
_BULLETS = "-–—•·‣◦▪▫●○■□⁃*\uf0b7\uf0a7\uf0d8\uf0fc\uf076"
# A number of one or two digits ("1.", "2 .", "3)", "(4)"), a lower-case letter ("a)", "b."),
# an upper-case letter with a parenthesis ("A)"), or a bullet. The marker must be followed by
# white space or the line's end (a number also by a letter: "1.Stadsdelsnämnden"), so that
# "1.5.1-392/2016", "2.4 miljoner" or "t.ex." is text.
MARKER = re.compile(
    r"""^\s*(?P<marker>
        \(?(?P<number>\d{1,2})\s?[.)](?=\s|$|[^\W\d_])
      | \(?(?P<letter>[a-zåäö])[.)](?=\s|$)
      | \(?(?P<capital>[A-ZÅÄÖ])\)(?=\s|$)
      | (?P<bullet>["""
    + re.escape(_BULLETS)
    + r"""])(?=\s|$)
    )\s*""",
    re.VERBOSE,
)
# A point that begins with a bare number and a word ("1 Stadsdelsnämnden"): a marker missing
# its full stop, which would print as "1. 1 Stadsdelsnämnden".
_BARE_NUMBER = re.compile(r"^\d{1,2}\s+[^\W\d_]")


@dataclass(frozen=True)
class Point:
    marker: str  # as typed: "1.", "2 .", "a)", "•", or "" for a paragraph without one
    text: str  # the point's words on one line, without any marker

    @property
    def style(self) -> str:
        """What kind of marker it was: number, letter, bullet or none."""
        match = MARKER.match(self.marker + " ")
        if match is None:
            return "none"
        return "number" if match["number"] else "bullet" if match["bullet"] else "letter"

    @property
    def number(self) -> int | None:
        match = MARKER.match(self.marker + " ")
        return int(match["number"]) if match and match["number"] else None


def lines(text: str) -> list[str]:
    return _LINE_BREAK.sub("\n", _INVISIBLE.sub("", text)).split("\n")


def strip_markers(line: str) -> tuple[str, str]:
    """(the first marker typed, the rest); every leading marker goes, so "1. 1. Text" is "Text"."""
    first = ""
    while match := MARKER.match(line):
        first = first or " ".join(match["marker"].split())
        rest = line[match.end() :]
        if rest == line:
            break
        line = rest
    return first, line


def parse(text: str) -> list[Point]:
    """The points of a typed decision, in order.

    A line with a marker starts a point. A line without one continues the line above it; after a
    blank line it starts a point of its own (a paragraph), unless the point above is still only
    its marker ("1." on a line of its own, its text below, as Word pastes sometimes come).
    """
    points: list[tuple[str, list[str]]] = []
    after_blank = True
    for line in lines(text):
        if not line.strip():
            after_blank = True
            continue
        marker, rest = strip_markers(line)
        if marker:
            points.append((marker, [rest] if rest.strip() else []))
        elif points and (not after_blank or not points[-1][1]):
            points[-1][1].append(line)
        else:
            points.append(("", [line]))
        after_blank = False
    return [Point(marker, " ".join(" ".join(words).split())) for marker, words in points]


def decision_points(text: str) -> list[str]:
    """The decision's points as the protocol prints them, before numbering; empty points left out."""
    return [point.text for point in parse(text) if point.text]


def numbered(points: list[str]) -> list[str]:
    """A single point stands alone; several are numbered 1, 2, 3 whatever the secretary typed."""
    if len(points) <= 1:
        return list(points)
    return [f"{n}. {point}" for n, point in enumerate(points, start=1)]


def layout_problems(text: str) -> list[str]:
    """What in a typed decision would print otherwise than it reads in the form."""
    points = parse(text)
    problems: list[str] = []
    for index, point in enumerate(points, start=1):
        if not point.text:
            problems.append(
                _("point %(index)d is only “%(marker)s” and is not printed") % {"index": index, "marker": point.marker}
            )
        elif _BARE_NUMBER.match(point.text):
            problems.append(
                _("point %(index)d begins with the number %(number)s without a full stop; it prints as text")
                % {"index": index, "number": point.text.split()[0]}
            )
    if len(points) > 1:
        styles = {point.style for point in points if point.text}
        if "none" in styles and len(styles) > 1:
            problems.append(_("numbered points and paragraphs without a number are mixed; every paragraph is numbered"))
        elif len(styles - {"none"}) > 1:
            problems.append(
                _("different kinds of numbering are mixed (digits, letters, dashes); the points are numbered 1, 2, 3")
            )
        typed = [point.number for point in points if point.text]
        if styles == {"number"} and typed != list(range(1, len(typed) + 1)):
            problems.append(
                _("the points are numbered %(typed)s; the protocol numbers them 1–%(count)d")
                % {"typed": ", ".join(str(n) for n in typed), "count": len(typed)}
            )
    return problems


def folded_markers(text: str) -> list[str]:
    """Markers typed at the start of a line inside a paragraph of prose, which prints the lines run together.

    Prose (the matter, a motion's or reservation's text) is printed paragraph by paragraph, its
    line breaks folded: "… av\\n2. Stadsdelsnämnden …" would print "… av 2. Stadsdelsnämnden …".
    """
    found: list[str] = []
    previous_blank = True
    for line in lines(text):
        if not line.strip():
            previous_blank = True
            continue
        marker, _rest = strip_markers(line)
        if marker and not previous_blank and MARKER.match(line)["number"] is not None:
            found.append(marker)
        previous_blank = False
    return found
