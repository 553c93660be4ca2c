"""The OParl API's parameters, times, slugs and terms: pure functions, no database."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from minutes.oparl.addresses import body_slug
from minutes.oparl.files import is_public
from minutes.oparl.listing import BadRequest, ListQuery, Part, list_page, memory_part, parse_moment, stamp
from minutes.oparl.roll import term_start


def query(**params: str) -> ListQuery:
    return ListQuery.parse(RequestFactory().get("/oparl/v1/body/x/meetings", params))


def test_stamp_is_local_time_to_the_second_with_its_offset():
    summer = datetime.datetime(2016, 9, 22, 16, 0, 0, 123456, tzinfo=datetime.UTC)
    winter = datetime.datetime(2016, 12, 1, 17, 0, tzinfo=datetime.UTC)
    assert (stamp(summer), stamp(winter)) == ("2016-09-22T18:00:00+02:00", "2016-12-01T18:00:00+01:00")


def test_parse_moment_reads_offsets_local_times_and_a_plus_lost_to_the_query_string():
    expected = datetime.datetime(2016, 9, 22, 18, 0, tzinfo=timezone.get_fixed_timezone(120))
    assert parse_moment("x", "2016-09-22T18:00:00+02:00") == expected
    assert parse_moment("x", "2016-09-22T18:00:00 02:00") == expected
    assert parse_moment("x", "2016-09-22T16:00:00Z") == expected
    assert parse_moment("x", "2016-09-22T18:00:00") == expected  # Swedish summer time


@pytest.mark.parametrize("value", ["igår", "2016-13-45T25:61:00+01:00", "2016-09-22T18:00:00+01:00x", ""])
def test_parse_moment_refuses_what_is_not_a_date_time(value):
    with pytest.raises(BadRequest, match="a date-time such as"):
        parse_moment("modified_since", value or " ")


def test_list_query_defaults_and_given_parameters():
    plain = query()
    assert (plain.page, plain.limit, plain.given, plain.shows_deleted) == (1, 100, (), False)
    given = query(page="3", limit="20", modified_since="2016-01-01T00:00:00+01:00")
    assert (given.page, given.limit, given.offset, given.shows_deleted) == (3, 20, 40, True)
    assert given.given == (("modified_since", "2016-01-01T00:00:00+01:00"), ("limit", "20"))


@pytest.mark.parametrize(
    "params", [{"page": "0"}, {"page": "-1"}, {"page": "abc"}, {"limit": "1.5"}, {"limit": "1001"}, {"limit": "²"}]
)
def test_list_query_refuses_impossible_pages_and_sizes(params):
    with pytest.raises(BadRequest):
        query(**params)


def test_until_takes_in_its_whole_second():
    until = query(modified_until="2016-09-22T18:00:00+02:00")
    moment = parse_moment("x", "2016-09-22T18:00:00+02:00")
    assert until.admits(moment, moment + datetime.timedelta(microseconds=999999)) is True
    assert until.admits(moment, moment + datetime.timedelta(seconds=1)) is False


def test_a_page_runs_over_its_parts_and_links_its_neighbours_with_the_filters():
    parts = [memory_part([{"n": n} for n in range(5)]), memory_part([{"n": n} for n in range(5, 8)])]
    page = list_page(query(page="2", limit="3", created_since="2016-01-01"), "http://s/l", parts)
    assert [o["n"] for o in page["data"]] == [3, 4, 5]
    assert page["pagination"] == {"totalElements": 8, "elementsPerPage": 3, "currentPage": 2, "totalPages": 3}
    assert page["links"]["next"] == "http://s/l?created_since=2016-01-01&limit=3&page=3"
    assert page["links"]["prev"] == "http://s/l?created_since=2016-01-01&limit=3&page=1"


def test_a_page_fetches_only_the_parts_it_shows():
    def never(offset: int, limit: int) -> list[dict]:
        raise AssertionError("fetched a part the page does not show")

    page = list_page(query(limit="2"), "http://s/l", [memory_part([{}, {}]), Part(lambda: 4, never)])
    assert (len(page["data"]), page["links"]["last"]) == (2, "http://s/l?limit=2&page=3")


def test_body_slugs_and_terms():
    assert [body_slug(m) for m in ("Stockholms stad", "Örebro kommun", "Ystad")] == [
        "stockholms-stad",
        "orebro-kommun",
        "ystad",
    ]
    days = [
        datetime.date(2014, 12, 31),
        datetime.date(2015, 1, 1),
        datetime.date(2018, 12, 31),
        datetime.date(2019, 1, 1),
    ]
    assert [term_start(day) for day in days] == [2011, 2015, 2015, 2019]


def test_a_file_is_public_unless_it_prints_a_confidential_item():
    assert is_public("protocol", [], []) is True
    assert is_public("protocol", [], [6]) is False
    assert is_public("public", [], [6]) is True
    assert is_public("extract", [10], [6]) is True
    assert is_public("extract", [6, 10], [6]) is False
    assert is_public("certificate", [], [6]) is True
