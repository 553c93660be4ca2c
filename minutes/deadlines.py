"""The dates the law sets around a protocol: adjustment, announcement, appeal, take-down.

A period that ends on a Saturday, Sunday or public holiday (or on midsummer, Christmas or
New Year's Eve) ends on the next working day instead (lag (1930:173) om beräkning av
lagstadgad tid), which is how Swedish notice boards state the last day of appeal.
"""

import datetime
from dataclasses import dataclass
from functools import cache

from minutes.models.adjustment import ANNOUNCEMENT_DAYS, APPEAL_WEEKS
from minutes.models.meeting import ADJUSTMENT_DAYS

WARN_DAYS = 3  # a deadline this close is shown as a warning


def easter_sunday(year: int) -> datetime.date:
    """Western Easter (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _saturday_between(start: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=(5 - start.weekday()) % 7)


@cache
def public_holidays(year: int) -> frozenset[datetime.date]:
    """Swedish public holidays, plus the eves that the 1930 act treats as holidays."""
    easter = easter_sunday(year)
    midsummer_day = _saturday_between(datetime.date(year, 6, 20))
    day = datetime.timedelta(days=1)
    return frozenset(
        {
            datetime.date(year, 1, 1),
            datetime.date(year, 1, 6),
            easter - 2 * day,
            easter,
            easter + day,
            datetime.date(year, 5, 1),
            easter + 39 * day,
            easter + 49 * day,
            datetime.date(year, 6, 6),
            midsummer_day - day,
            midsummer_day,
            _saturday_between(datetime.date(year, 10, 31)),
            datetime.date(year, 12, 24),
            datetime.date(year, 12, 25),
            datetime.date(year, 12, 26),
            datetime.date(year, 12, 31),
        }
    )


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def period_end(day: datetime.date) -> datetime.date:
    """The day a period ending on `day` really ends: the next working day if `day` is not one."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def adjustment_deadline(meeting_date: datetime.date) -> datetime.date:
    return meeting_date + datetime.timedelta(days=ADJUSTMENT_DAYS)


def announcement_deadline(adjusted_on: datetime.date) -> datetime.date:
    return adjusted_on + datetime.timedelta(days=ANNOUNCEMENT_DAYS)


def appeal_ends(posted_on: datetime.date) -> datetime.date:
    return period_end(posted_on + datetime.timedelta(weeks=APPEAL_WEEKS))


def take_down_on(posted_on: datetime.date) -> datetime.date:
    """The notice stays up through the last day of appeal and may come down the day after."""
    return appeal_ends(posted_on) + datetime.timedelta(days=1)


@dataclass(frozen=True)
class DeadlineState:
    deadline: datetime.date
    days_left: int

    @property
    def passed(self) -> bool:
        return self.days_left < 0

    @property
    def near(self) -> bool:
        return 0 <= self.days_left <= WARN_DAYS


def deadline_state(deadline: datetime.date, today: datetime.date) -> DeadlineState:
    return DeadlineState(deadline, (deadline - today).days)
