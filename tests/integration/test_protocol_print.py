"""The protocol on paper: a voting list across a page boundary, printed by WeasyPrint and read back per page.

A list never leaves fewer than three rows (or its whole self) on a page, its header row repeats
on each page it spans, and the sum follows the last row only. The vote is pushed down the page a
line at a time by the text before it, so that it meets the page boundary at every row.
"""

import re
import subprocess

import pytest

from minutes import services
from minutes.models import Item, MotionKind, PropositionKind
from minutes.protocol.document import item_document
from minutes.protocol.pdf import html_to_pdf
from minutes.protocol.render import Request, render_html
from minutes.protocol.snapshot import build_snapshot
from tests.factories import serving_meeting

pytestmark = pytest.mark.django_db

HEADER = "Ledamot Röst"
SUM = "Summa 6 ja, 4 nej, 1 avstår"
# One line of text before the vote per step: the list moves down the page by about a row each time.
FILLER = "Förvaltningen har berett ärendet och redovisar här ett av flera skäl för sitt förslag."


@pytest.fixture
def vote_item() -> Item:
    """A § with a roll-call vote of eleven serving members: 6 ja, 4 nej, 1 avstår."""
    meeting = serving_meeting(11)
    item = meeting.items.get()
    serving = list(meeting.attendances.select_related("person").order_by("position"))
    people = [a.person for a in serving]
    approve = services.add_motion(item, kind=MotionKind.APPROVE, movers=[(people[0], False)])
    reject = services.add_motion(item, kind=MotionKind.REJECT, movers=[(people[1], True)])
    proposition = services.record_proposition(item, kind=PropositionKind.AGAINST_EACH_OTHER, outcome=approve)
    ballots = dict(zip(people, ["yes"] * 6 + ["no"] * 4 + ["abstain"], strict=True))
    services.record_vote(proposition, yes_motion=approve, no_motion=reject, ballots=ballots)
    return item


def printed_pages(item: Item, lines_before: int, kind: str = "item") -> list[str]:
    """The § (or the protocol) with `lines_before` lines before the vote: each page's text, spaces squeezed."""
    item.refresh_from_db()
    services.save_item(item, expected_version=item.version, matter="\n\n".join([FILLER] * lines_before))
    numbers = (item.number,) if kind == "item" else ()
    pdf = html_to_pdf(render_html(build_snapshot(item.meeting), Request(kind=kind, numbers=numbers)), archival=False)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [" ".join(page.split()) for page in text.decode().split("\f")[:-1]]


def voters(item: Item) -> list[str]:
    snapshot = build_snapshot(item.meeting)
    (roll_call,) = [r for s in item_document(snapshot.items[0], snapshot).sections for r in s.roll_calls]
    return [f"{name} {choice}" for name, choice in roll_call.rows]


def list_on_pages(pages: list[str], rows: list[str], where: str) -> tuple[int, ...]:
    """How many rows of the list each page it spans holds, after checking the header and the sum there."""
    on_page = [sum(len(re.findall(re.escape(row), page)) for row in rows) for page in pages]
    spanned = [n for n, count in enumerate(on_page) if count]
    where = f"{where}: rows per page {on_page}"
    assert sum(on_page) == len(rows), where
    assert spanned == list(range(spanned[0], spanned[-1] + 1)), where
    for n in spanned:
        assert on_page[n] >= 3, where
        assert pages[n].count(HEADER) == 1, where
    assert [page.count(SUM) for page in pages] == [int(n == spanned[-1]) for n in range(len(pages))], where
    assert re.search(re.escape(rows[-1]) + r"\s*" + re.escape(SUM), pages[spanned[-1]]), where
    return tuple(on_page[n] for n in spanned)


def test_a_voting_list_keeps_three_rows_its_header_and_its_sum_on_every_page(vote_item):
    rows = voters(vote_item)
    assert len(rows) == 11
    splits = [list_on_pages(printed_pages(vote_item, n), rows, f"{n} lines before") for n in range(5, 17)]
    # The steps met the boundary at every row: the list stayed whole, split as far as allowed
    # either way (8 + 3, 3 + 8: a lone row or a lone sum moved with its neighbours), then moved whole.
    assert splits[0] == (11,) and splits[-1] == (11,), splits
    assert {(8, 3), (3, 8)} <= set(splits), splits
    assert len({s for s in splits if len(s) == 2}) >= 4, splits


def test_the_protocol_splits_a_voting_list_the_same_way(vote_item):
    rows = voters(vote_item)
    pages = printed_pages(vote_item, 12, kind="protocol")
    assert len(list_on_pages(pages, rows, "the protocol")) == 2
