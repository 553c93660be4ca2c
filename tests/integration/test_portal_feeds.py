"""The portal's feeds: Atom of announced protocols (public version only), iCal of the meetings."""

import datetime
import re

import feedparser
import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from minutes import services
from minutes.demo import load_demo, publish_demo
from minutes.models import AdjustmentRound, Announcement, Meeting, MeetingStatus, RoundState
from tests.factories import CommitteeFactory, ItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

SECRET = "HEMLIGHETSFULL-UPPGIFT"
STOCKHOLM = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /en/ leaves English active in the thread: start and end each test without it."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def registrar(django_user_model):
    return django_user_model.objects.create_user(username="registrator-feeds")


def announce(meeting: Meeting, user, at: datetime.datetime, *, item=None) -> Announcement:
    """Record a completed round and its announcement directly: the feeds read these rows, not the seal."""
    round = AdjustmentRound.objects.create(
        meeting=meeting, item=item, state=RoundState.COMPLETED, opened_by=user, closed_at=at, closed_by=user
    )
    announcement = Announcement.objects.create(
        round=round,
        meeting=meeting,
        adjusted_on=at.date(),
        posted_on=at.date(),
        appeal_ends_on=at.date() + datetime.timedelta(weeks=3),
        take_down_on=at.date() + datetime.timedelta(weeks=3, days=1),
        kept_at="Stadsdelsförvaltningen",
        announced_by=user,
        announced_at=at,
    )
    if item is None:
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.ADJUSTED)
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.ANNOUNCED)
    return announcement


def announced_meeting(committee, user, day: int, *, items: int = 2, **meeting) -> Meeting:
    meeting = MeetingFactory(committee=committee, date=datetime.date(2016, 9, day), **meeting)
    for _ in range(items):
        ItemFactory(meeting=meeting)
    announce(meeting, user, datetime.datetime(2016, 9, day + 7, 10, 0, tzinfo=STOCKHOLM))
    return meeting


def parse_feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def parse_calendar(client, url: str) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def portal_url(name: str, *args, language: str = "sv") -> str:
    """An absolute portal address in the given language, whatever the last request activated."""
    with translation.override(language):
        return "http://testserver" + reverse(f"portal:{name}", args=args)


def protocol_url(meeting: Meeting, language: str = "sv") -> str:
    return portal_url("meeting", meeting.committee.slug, meeting.year, meeting.number, language=language)


# The Atom feed


def test_feed_lists_announced_protocols_newest_first(client, registrar):
    one, other = CommitteeFactory(name="Årstadal stadsdelsnämnd"), CommitteeFactory(name="Bromma stadsdelsnämnd")
    older = announced_meeting(one, registrar, 8)
    newer = announced_meeting(other, registrar, 15)

    feed = parse_feed(client, "/en/protokoll/atom.xml")

    assert feed.feed.title == "Published protocols"
    assert [entry.title for entry in feed.entries] == [
        "Bromma stadsdelsnämnd, meeting 2016-09-15",
        "Årstadal stadsdelsnämnd, meeting 2016-09-08",
    ]
    assert [entry.link for entry in feed.entries] == [
        protocol_url(newer, "en"),
        protocol_url(older, "en"),
    ]
    assert [entry.id for entry in feed.entries] == [entry.link for entry in feed.entries]
    assert feed.entries[0].updated_parsed[:5] == (2016, 9, 22, 8, 0)  # 10.00 in Stockholm, summer time
    assert feed.entries[0].author == "Bromma stadsdelsnämnd"


def test_feed_in_swedish_links_the_swedish_pages(client, registrar):
    meeting = announced_meeting(CommitteeFactory(name="Årstadal stadsdelsnämnd"), registrar, 8)

    feed = parse_feed(client, reverse("portal:feed"))

    assert feed.feed.language == "sv"
    assert [entry.link for entry in feed.entries] == [protocol_url(meeting)]


def test_feed_leaves_out_protocols_not_announced(client, registrar):
    committee = CommitteeFactory()
    for status in (MeetingStatus.DRAFT, MeetingStatus.LOCKED, MeetingStatus.ADJUSTED):
        meeting = ItemFactory(meeting__committee=committee).meeting
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
    unannounced = MeetingFactory(committee=committee, date=datetime.date(2016, 10, 6))
    immediate = ItemFactory(meeting=unannounced, immediately_adjusted=True)
    announce(unannounced, registrar, datetime.datetime(2016, 10, 7, 9, 0, tzinfo=STOCKHOLM), item=immediate)
    both = MeetingFactory(committee=committee, date=datetime.date(2016, 10, 13))
    immediate = ItemFactory(meeting=both, immediately_adjusted=True)
    announce(both, registrar, datetime.datetime(2016, 10, 14, 9, 0, tzinfo=STOCKHOLM), item=immediate)
    announce(both, registrar, datetime.datetime(2016, 10, 20, 9, 0, tzinfo=STOCKHOLM))

    feed = parse_feed(client, reverse("portal:feed"))

    # Only the whole protocol: not the § announced alone, nor a meeting whose protocol is unannounced.
    assert [entry.link for entry in feed.entries] == [protocol_url(both)]


def test_committee_feed_lists_that_committee_only(client, registrar):
    one, other = CommitteeFactory(name="Årstadal stadsdelsnämnd"), CommitteeFactory()
    first = announced_meeting(one, registrar, 1)
    announced_meeting(other, registrar, 8)
    second = announced_meeting(one, registrar, 15)

    feed = parse_feed(client, f"/en/protokoll/{one.slug}/atom.xml")

    assert feed.feed.title == "Årstadal stadsdelsnämnd: published protocols"
    assert feed.feed.link == portal_url("committee", one.slug, language="en")
    assert feed.feed.author == "Årstadal stadsdelsnämnd"
    assert [entry.link for entry in feed.entries] == [protocol_url(second, "en"), protocol_url(first, "en")]


def test_feed_summary_lists_the_paragraphs_confidential_by_public_heading(client, registrar):
    committee = CommitteeFactory()
    meeting = MeetingFactory(committee=committee, date=datetime.date(2016, 9, 22))
    ItemFactory(meeting=meeting, number=10, title="Budget för 2017", subtitle="Förslag från <förvaltningen>")
    ItemFactory(
        meeting=meeting,
        number=11,
        title=f"Ärende om {SECRET}",
        subtitle=SECRET,
        decision=f"Beslut om {SECRET}.",
        matter=f"Ärendet gäller {SECRET}.",
        confidential=True,
        public_heading="Sekretessärende enligt OSL 26:1",
    )
    announce(meeting, registrar, datetime.datetime(2016, 9, 30, 9, 0, tzinfo=STOCKHOLM))

    for url in (reverse("portal:feed"), reverse("portal:committee-feed", args=[committee.slug])):
        response = client.get(url)
        feed = feedparser.parse(response.content)

        assert SECRET not in response.content.decode()
        assert feed.entries[0].summary == (
            "<ul><li>§ 10 Budget för 2017. Förslag från &lt;förvaltningen&gt;</li>"
            "<li>§ 11 Sekretessärende enligt OSL 26:1</li></ul>"
        )


def test_feed_of_the_demo_withholds_the_confidential_paragraph(client, seal_certificate):
    """The demo, adjusted, sealed and announced by the services, with a confidential § 11 added."""
    meeting = load_demo()
    item = services.add_item(
        meeting,
        title=f"Ärende om {SECRET}",
        confidential=True,
        public_heading="Sekretessärende enligt OSL 26:1",
        decision=f"Beslut om {SECRET}.",
        matter=f"Ärendet gäller {SECRET}.",
        dnr="1.5.1-999/2016",
    )
    services.record_proposition(
        item, kind="single", outcome=services.add_motion(item, kind="approve", movers=[(meeting.chair, False)])
    )
    recent = publish_demo(meeting)
    meeting.refresh_from_db()

    response = client.get(reverse("portal:committee-feed", args=[meeting.committee.slug]))
    feed = feedparser.parse(response.content)

    assert SECRET not in response.content.decode()
    assert meeting.chair.last_name not in response.content.decode()
    assert [entry.link for entry in feed.entries] == [protocol_url(recent), protocol_url(meeting)]
    summary = feed.entries[1].summary
    assert summary.count("<li>") == meeting.items.count()
    assert summary.startswith("<ul><li>§ 1 Val av justerare samt justeringens tid och plats</li>")
    assert summary.endswith(f"<li>§ {item.number} Sekretessärende enligt OSL 26:1</li></ul>")


@pytest.mark.parametrize("per_committee", [False, True])
def test_feed_query_count_is_fixed(client, registrar, django_assert_num_queries, settings, per_committee):
    # The feed's own queries: production's database cache adds a fixed few of its own (a read,
    # and on a miss a write), which would hide what this counts.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    committee = CommitteeFactory()
    url = reverse("portal:committee-feed", args=[committee.slug]) if per_committee else reverse("portal:feed")
    # (committee,) announcement for the ETag, announcements, their §§, their protocols' house styles
    expected = 5 if per_committee else 4
    announced_meeting(committee, registrar, 1, items=1)
    with django_assert_num_queries(expected):
        assert len(parse_feed(client, url).entries) == 1

    announced_meeting(committee, registrar, 8, items=4)
    announced_meeting(committee, registrar, 15, items=6)
    with django_assert_num_queries(expected):
        assert len(parse_feed(client, url).entries) == 3


def test_feed_is_revalidated_by_its_etag(client, registrar):
    committee = CommitteeFactory()
    announced_meeting(committee, registrar, 1)
    url = reverse("portal:committee-feed", args=[committee.slug])
    etag = client.get(url)["ETag"]

    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    announced_meeting(committee, registrar, 8)
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert len(feedparser.parse(again.content).entries) == 2


def test_feed_of_a_committee_without_protocols_is_empty(client, registrar):
    committee = CommitteeFactory(name="Årstadal stadsdelsnämnd")
    announced_meeting(CommitteeFactory(), registrar, 1)

    feed = parse_feed(client, f"/en/protokoll/{committee.slug}/atom.xml")

    assert feed.feed.title == "Årstadal stadsdelsnämnd: published protocols"
    assert feed.entries == []


def test_feed_of_an_unknown_committee_is_404(client):
    response = client.get(reverse("portal:committee-feed", args=["finns-inte"]))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# The iCal of the meetings


def test_calendar_lists_the_coming_and_recent_meetings(client, registrar):
    committee = CommitteeFactory(name="Årstadal stadsdelsnämnd", slug="arstadal")
    today = timezone.localdate()
    evening = MeetingFactory(
        committee=committee,
        date=today + datetime.timedelta(days=10),
        start_time=datetime.time(18, 0),
        end_time=datetime.time(20, 30),
        place="Årstadalsvägen 1, sal 3",
    )
    ItemFactory(meeting=evening, title=f"Utkast om {SECRET}")
    whole_day = MeetingFactory(committee=committee, date=today + datetime.timedelta(days=40), start_time=None, place="")
    open_ended = MeetingFactory(committee=committee, date=today, start_time=datetime.time(9, 0), end_time=None)
    recent = MeetingFactory(committee=committee, date=today - datetime.timedelta(days=90))
    MeetingFactory(committee=committee, date=today - datetime.timedelta(days=91))
    MeetingFactory(date=today + datetime.timedelta(days=3))  # another committee's

    response = client.get(reverse("portal:committee-calendar", args=[committee.slug]))
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {event.uid: event for event in calendar.events}

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert SECRET not in response.content.decode()
    assert calendar.calendar_name == "Årstadal stadsdelsnämnd: sammanträden"
    assert [event.uid for event in calendar.events] == [
        f"meeting-{m.pk}@paragraf" for m in (recent, open_ended, evening, whole_day)
    ]
    event = events[f"meeting-{evening.pk}@paragraf"]
    assert event.start == datetime.datetime.combine(evening.date, datetime.time(18, 0), tzinfo=STOCKHOLM)
    assert event.end == datetime.datetime.combine(evening.date, datetime.time(20, 30), tzinfo=STOCKHOLM)
    assert str(event.start.tzinfo) == "Europe/Stockholm"
    assert event["SUMMARY"] == "Årstadal stadsdelsnämnd, sammanträde"
    assert event["LOCATION"] == "Årstadalsvägen 1, sal 3"
    assert event["URL"] == "http://testserver/protokoll/arstadal/"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Stockholm"]
    event = events[f"meeting-{whole_day.pk}@paragraf"]
    assert (event.start, event.end) == (whole_day.date, whole_day.date + datetime.timedelta(days=1))
    assert "LOCATION" not in event
    event = events[f"meeting-{open_ended.pk}@paragraf"]
    assert event.start == datetime.datetime.combine(today, datetime.time(9, 0), tzinfo=STOCKHOLM)
    assert "DTEND" not in event


def test_calendar_links_an_announced_meeting_to_its_protocol(client, registrar):
    committee = CommitteeFactory(slug="arstadal")
    today = timezone.localdate()
    held = MeetingFactory(committee=committee, date=today - datetime.timedelta(days=20))
    ItemFactory(meeting=held)
    announce(held, registrar, timezone.now())
    adjusted = MeetingFactory(committee=committee, date=today - datetime.timedelta(days=10), status="adjusted")

    calendar = parse_calendar(client, f"/en/protokoll/{committee.slug}/sammantraden.ics")
    urls = {event.uid: event["URL"] for event in calendar.events}

    assert urls == {
        f"meeting-{held.pk}@paragraf": protocol_url(held, "en"),
        f"meeting-{adjusted.pk}@paragraf": "http://testserver/en/protokoll/arstadal/",
    }
    assert [str(event["SUMMARY"]) for event in calendar.events] == [f"{committee.name}, meeting"] * 2


def test_calendar_query_count_is_fixed(client, django_assert_num_queries):
    committee = CommitteeFactory()
    url = reverse("portal:committee-calendar", args=[committee.slug])
    coming = timezone.localdate() + datetime.timedelta(days=7)
    MeetingFactory(committee=committee, date=coming)
    with django_assert_num_queries(2):
        assert len(parse_calendar(client, url).events) == 1

    MeetingFactory(committee=committee, date=coming + datetime.timedelta(days=14), start_time=None)
    MeetingFactory(committee=committee, date=coming + datetime.timedelta(days=28), end_time=datetime.time(21, 0))
    with django_assert_num_queries(2):
        assert len(parse_calendar(client, url).events) == 3


def test_calendar_of_an_unknown_committee_is_404(client):
    response = client.get(reverse("portal:committee-calendar", args=["finns-inte"]))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# Links from the configured site address (issue 18, finding 8)

SITE = "https://paragraf.example.se"


@pytest.fixture
def two_host_names(settings):
    """The site answers to its public name and to an internal one; the public one is configured."""
    settings.ALLOWED_HOSTS = ["paragraf.example.se", "intern.example.se"]
    settings.PARAGRAF_SITE_URL = SITE


def test_feed_links_name_the_site_url_whatever_host_asked_first(client, registrar, two_host_names):
    meeting = announced_meeting(CommitteeFactory(slug="arstadal"), registrar, 8)

    first = client.get(reverse("portal:feed"), headers={"host": "intern.example.se"})
    second = client.get(reverse("portal:feed"), headers={"host": "paragraf.example.se"})

    assert second.content == first.content
    feed = feedparser.parse(first.content)
    assert [entry.link for entry in feed.entries] == [f"{SITE}/protokoll/arstadal/{meeting.year}/{meeting.number}/"]
    assert [(link.rel, link.href) for link in feed.feed.links] == [
        ("alternate", f"{SITE}/protokoll/"),
        ("self", f"{SITE}/protokoll/atom.xml"),
    ]


def test_committee_feed_and_notice_feed_name_the_site_url(client, registrar, two_host_names):
    meeting = announced_meeting(CommitteeFactory(slug="arstadal"), registrar, 8)

    committee_feed = feedparser.parse(
        client.get("/protokoll/arstadal/atom.xml", headers={"host": "intern.example.se"}).content
    )
    notices = feedparser.parse(client.get(reverse("notice-feed"), headers={"host": "intern.example.se"}).content)

    assert [entry.link for entry in committee_feed.entries] == [
        f"{SITE}/protokoll/arstadal/{meeting.year}/{meeting.number}/"
    ]
    assert committee_feed.feed.link == f"{SITE}/protokoll/arstadal/"
    assert [entry.link for entry in notices.entries] == [
        f"{SITE}/anslagstavla/#anslag-{meeting.announcements.get().pk}"
    ]


def test_calendar_links_name_the_site_url(client, registrar, two_host_names):
    committee = CommitteeFactory(slug="arstadal")
    held = MeetingFactory(committee=committee, date=timezone.localdate() - datetime.timedelta(days=20))
    ItemFactory(meeting=held)
    announce(held, registrar, timezone.now())

    response = client.get("/protokoll/arstadal/sammantraden.ics", headers={"host": "intern.example.se"})
    calendar = icalendar.Calendar.from_ical(response.content)

    assert [str(event["URL"]) for event in calendar.events] == [f"{SITE}/protokoll/arstadal/{held.year}/{held.number}/"]
    assert str(calendar["URL"]) == f"{SITE}/protokoll/arstadal/"
    assert str(calendar["SOURCE"]) == f"{SITE}/protokoll/arstadal/sammantraden.ics"


def test_every_portal_page_announces_its_feeds_in_the_head(client, registrar):
    committee = CommitteeFactory(name="Årstadal stadsdelsnämnd")
    meeting = announced_meeting(committee, registrar, 1)
    pages = {
        "/protokoll/": ["/protokoll/atom.xml"],
        f"/protokoll/{committee.slug}/": [
            "/protokoll/atom.xml",
            f"/protokoll/{committee.slug}/atom.xml",
            f"/protokoll/{committee.slug}/sammantraden.ics",
        ],
        portal_url("meeting", committee.slug, meeting.year, meeting.number).removeprefix("http://testserver"): [
            "/protokoll/atom.xml",
            f"/protokoll/{committee.slug}/atom.xml",
            f"/protokoll/{committee.slug}/sammantraden.ics",
        ],
    }
    for page, feeds in pages.items():
        response = client.get(page)
        assert response.status_code == 200, page
        head = response.content.decode().split("</head>")[0]
        found = re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)"', head)
        assert [href for _type, href in found] == feeds, page
        assert {type for type, _href in found} <= {"application/atom+xml", "text/calendar"}
        for _type, href in found:
            assert client.get(href).status_code == 200, href
