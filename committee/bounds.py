"""What an address or a form may give as an id, a number or a date: what a protocol and the database can hold.

Every id and number is read here, by the path converters (`<id:pk>`, `<number:number>`,
`<year:year>`) and by the form fields built on `digits`: ASCII digits only, so '²' or '١' (which
`str.isdigit()` takes), a sign or a space never reach `int()`, and a value past a column's range
never reaches a query. A committee's slug in an address (`<committee:slug>`) is no longer than
its column, so no address makes a cache key longer than a cache takes. An address that does not
fit is no address at all, a 404. Dates are held to the years a protocol can carry: the deadlines
counted from a date in 9999 overflow, and one before 1900 is a slip of the keyboard.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ID_MAX = 2**63 - 1  # a bigint primary key
NUMBER_MAX = 2**31 - 1  # an integer column: meeting and § numbers, versions
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2200, 12, 31)

DIGITS = re.compile(r"[0-9]{1,19}")


def digits(text: str) -> int:
    """ASCII digits as a number; ValueError for anything else, and for more digits than a bigint has."""
    if not DIGITS.fullmatch(text):
        raise ValueError(f"not a whole number: {text!r}")
    return int(text)


def whole_number(text: str, low: int, high: int) -> int:
    value = digits(text)
    if not low <= value <= high:
        raise ValueError(f"{value} is not from {low} to {high}")
    return value


class IdConverter:
    """A database row's id."""

    regex = "[0-9]{1,19}"
    low, high = 1, ID_MAX

    def to_python(self, value: str) -> int:
        return whole_number(value, self.low, self.high)

    def to_url(self, value: int) -> str:
        return str(value)


class NumberConverter(IdConverter):
    """A meeting's or a §'s number."""

    regex = "[0-9]{1,10}"
    low, high = 1, NUMBER_MAX


class YearConverter(IdConverter):
    """The year of a meeting."""

    regex = "[0-9]{4}"
    low, high = FIRST_DAY.year, LAST_DAY.year


class CommitteeConverter:
    """A committee's slug, no longer than the column that holds it: a longer one names no committee."""

    regex = "[-a-zA-Z0-9_]{1,60}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


CONVERTERS = {"id": IdConverter, "number": NumberConverter, "year": YearConverter, "committee": CommitteeConverter}


def validate_protocol_date(value: datetime.date | datetime.datetime) -> None:
    """A date, or the date of a time as the form read it, from FIRST_DAY to LAST_DAY: a form field's validator."""
    if isinstance(value, datetime.datetime):
        value = value.date()  # not converted: a time in year 1 has no UTC in Python's range
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(
            _("Enter a date from %(first)s to %(last)s.") % {"first": FIRST_DAY, "last": LAST_DAY},
            code="date_out_of_range",
        )
