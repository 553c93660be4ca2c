"""No page a role needs is reachable only by its address: from the start page, following links alone.

Each role signs in, opens the start page and follows every link into the workspace (and to the
notice board), as a person clicking would; the pages the role's work needs must all be reached.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.urls import Resolver404, resolve, reverse

from minutes import adjustment
from minutes.demo import load_demo
from minutes.models import Meeting

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a [^>]*href="([^"#]*)')
# Pages followed further; the documents (protocol, §, extract as HTML, text or PDF) are reached but not read.
FOLLOWED = {
    "minutes:committee-list",
    "minutes:meeting-list",
    "minutes:committee-archive",
    "minutes:meeting-detail",
    "minutes:item-edit",
    "minutes:attendance",
    "minutes:meeting-edit",
    "minutes:adjustment",
    "minutes:my-adjustments",
    "minutes:export",
}
OPENED = FOLLOWED | {"notice-board"}  # opened, to show it answers, but not followed: it is the portal's


@pytest.fixture
def meeting(seal_certificate) -> Meeting:
    return load_demo()


def crawl(client, username: str) -> dict[str, str]:
    """Every page reached from the start page by following links: its URL name and the first such page's HTML."""
    client.force_login(User.objects.get(username=username))
    queue, seen, pages = [reverse("minutes:committee-list")], set(), {}
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert (path, response.status_code) == (path, 200)
        name = resolve(path).view_name
        html = response.content.decode()
        pages.setdefault(name, html)
        if name not in FOLLOWED:
            continue
        for href in LINK.findall(html):
            target = urlsplit(href)
            if target.netloc or not target.path.startswith("/"):
                continue
            try:
                found = resolve(target.path).view_name
            except Resolver404:
                continue
            if found in OPENED and target.path not in seen:
                queue.append(target.path)
    return pages


def send(meeting):
    return adjustment.send_for_adjustment(meeting, user=User.objects.get(username="helena.wik"))


def adjust(meeting):
    round = send(meeting)
    for username in ("lars.back", "sofia.bergqvist"):
        adjustment.approve(round, user=User.objects.get(username=username))
    return round


def test_the_secretary_reaches_every_page_of_the_cycle(client, meeting):
    pages = crawl(client, "helena.wik")  # a draft: the meeting, its §§, the attendance, sending
    assert {
        "minutes:meeting-list",
        "minutes:committee-archive",
        "minutes:meeting-detail",
        "minutes:item-edit",
        "minutes:attendance",
        "minutes:meeting-edit",
        "minutes:adjustment",
        "notice-board",
    } <= set(pages)
    assert "Skicka protokollet för justering" in pages["minutes:adjustment"]
    adjust(meeting)
    pages = crawl(client, "helena.wik")  # adjusted: to announce, and the export
    assert {"minutes:adjustment", "minutes:export", "minutes:meeting-detail", "notice-board"} <= set(pages)
    assert 'value="announce"' in pages["minutes:adjustment"]


@pytest.mark.parametrize("username", ["lars.back", "sofia.bergqvist"])
def test_the_chair_and_the_adjuster_reach_the_protocol_to_approve(client, meeting, username):
    send(meeting)
    pages = crawl(client, username)
    assert {"minutes:my-adjustments", "minutes:adjustment", "notice-board"} <= set(pages)
    assert "Godkänn protokollet" in pages["minutes:adjustment"]
    assert 'id="protocol"' in pages["minutes:adjustment"]  # the protocol to read, in the page


def test_the_registrar_reaches_the_announcement_the_export_and_the_notice_board(client, meeting):
    adjust(meeting)
    pages = crawl(client, "registrator")
    assert {"minutes:committee-archive", "minutes:adjustment", "minutes:export", "notice-board"} <= set(pages)
    assert 'value="announce"' in pages["minutes:adjustment"]
    assert "minutes:meeting-detail" not in pages  # the secretariat's page: no link leads a registrar to a refusal
