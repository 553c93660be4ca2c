"""OParl's list pages: the query parameters they take, and the page object they return.

A list takes `page` (from 1) and `limit` (objects per page, default 100, at most 1000) and
OParl 1.1's four date filters. `links` carries every parameter given, so a client that
follows `next` keeps its filters.
"""

import datetime
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from committee.bounds import FIRST_DAY, ID_MAX, LAST_DAY, whole_number

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
EARLIEST = datetime.datetime.combine(FIRST_DAY, datetime.time(), tzinfo=datetime.UTC)
LATEST = datetime.datetime.combine(LAST_DAY, datetime.time.max, tzinfo=datetime.UTC)


class BadRequest(Exception):
    """A client error that the API answers with a 400 and this message."""


class NotFound(Exception):
    """Nothing at this address: the API answers with a 404 and this message."""


def stamp(moment: datetime.datetime) -> str:
    """OParl's date-time: local time with its offset, to the second (2016-09-22T18:00:00+02:00)."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def parse_moment(name: str, value: str) -> datetime.datetime:
    """An RFC 3339 date-time; a time without an offset is Swedish local time.

    A '+' in a query string that the client did not encode arrives as a space, so a space
    before the offset is read as '+'.
    """
    text = value.strip()
    if len(text) > 19 and text[19:20] == " ":
        text = text[:19] + "+" + text[20:]
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"{name} must be a date-time such as 2016-09-22T18:00:00+02:00, not {value!r}") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    # Nothing was made before the first or after the last day a protocol can carry: a bound past them
    # ("until 9999-12-31") means no bound, and would overflow when `_after` steps past it.
    return min(max(moment, EARLIEST), LATEST)


def _positive(request: HttpRequest, name: str, default: int, largest: int | None = None) -> int:
    raw = request.GET.get(name)
    if not raw:  # empty is absent, as for the date filters
        return default
    try:
        value = whole_number(raw, 1, ID_MAX)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number from 1, not {raw!r}") from None
    if largest is not None and value > largest:
        raise BadRequest(f"{name} must be at most {largest}, not {value}")
    return value


def _after(until: datetime.datetime) -> datetime.datetime:
    """The end of an `until` bound: objects are shown to the second, so `until` takes in its whole second."""
    step = datetime.timedelta(seconds=1) if until.microsecond == 0 else datetime.timedelta(microseconds=1)
    return until + step


@dataclass(frozen=True)
class ListQuery:
    page: int
    limit: int
    created_since: datetime.datetime | None
    created_until: datetime.datetime | None
    modified_since: datetime.datetime | None
    modified_until: datetime.datetime | None
    given: tuple[tuple[str, str], ...]  # the filters and limit as the client wrote them

    @classmethod
    def parse(cls, request: HttpRequest) -> "ListQuery":
        moments = {name: parse_moment(name, request.GET[name]) for name in FILTERS if request.GET.get(name)}
        given = tuple((name, request.GET[name]) for name in (*FILTERS, "limit") if request.GET.get(name))
        return cls(
            page=_positive(request, "page", 1),
            limit=_positive(request, "limit", DEFAULT_LIMIT, MAX_LIMIT),
            given=given,
            **{name: moments.get(name) for name in FILTERS},
        )

    @property
    def shows_deleted(self) -> bool:
        """OParl lists deleted objects only to a client that asks what changed since a time."""
        return self.modified_since is not None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def q(self, created: str = "oparl_created", modified: str = "oparl_modified") -> Q:
        """The date filters on the annotated (or plain) fields `created` and `modified`."""
        q = Q()
        if self.created_since:
            q &= Q(**{f"{created}__gte": self.created_since})
        if self.created_until:
            q &= Q(**{f"{created}__lt": _after(self.created_until)})
        if self.modified_since:
            q &= Q(**{f"{modified}__gte": self.modified_since})
        if self.modified_until:
            q &= Q(**{f"{modified}__lt": _after(self.modified_until)})
        return q

    def admits(self, created: datetime.datetime, modified: datetime.datetime) -> bool:
        """The date filters on one object's times, for lists kept in memory."""
        return (
            (self.created_since is None or created >= self.created_since)
            and (self.created_until is None or created < _after(self.created_until))
            and (self.modified_since is None or modified >= self.modified_since)
            and (self.modified_until is None or modified < _after(self.modified_until))
        )

    def link(self, base: str, page: int) -> str:
        return f"{base}?{urlencode((*self.given, ('page', page)))}"


@dataclass(frozen=True)
class Part:
    """One source of a list's objects: how many there are, and how to fetch a slice of them."""

    count: Callable[[], int]
    fetch: Callable[[int, int], Sequence[dict]]  # (offset, limit) -> serialized objects


def queryset_part(rows: QuerySet, serialize: Callable[[list], list[dict]]) -> Part:
    return Part(count=rows.count, fetch=lambda offset, limit: serialize(list(rows[offset : offset + limit])))


def memory_part(objects: Sequence[dict]) -> Part:
    return Part(count=lambda: len(objects), fetch=lambda offset, limit: objects[offset : offset + limit])


def list_page(query: ListQuery, base: str, parts: Sequence[Part]) -> dict:
    """The page `query.page` of the parts one after another (live objects, then tombstones).

    A page past the last one is a 404, except the first page of an empty list.
    """
    counts = [part.count() for part in parts]
    total = sum(counts)
    pages = max(1, math.ceil(total / query.limit))
    if query.page > pages:
        raise NotFound(f"page {query.page} is past the last page, {pages}")
    data: list[dict] = []
    start, end = query.offset, query.offset + query.limit
    before = 0
    for part, count in zip(parts, counts, strict=True):
        low, high = max(start - before, 0), min(end - before, count)
        if low < high:
            data.extend(part.fetch(low, high - low))
        before += count
    links = {"first": query.link(base, 1), "last": query.link(base, pages), "self": query.link(base, query.page)}
    if query.page > 1:
        links["prev"] = query.link(base, query.page - 1)
    if query.page < pages:
        links["next"] = query.link(base, query.page + 1)
    return {
        "data": data,
        "pagination": {
            "totalElements": total,
            "elementsPerPage": query.limit,
            "currentPage": query.page,
            "totalPages": pages,
        },
        "links": links,
    }
