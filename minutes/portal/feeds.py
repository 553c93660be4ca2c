"""Feeds for following the committees: an Atom feed of newly announced protocols, an iCal of meetings.

The Atom feed starts from `published`, and lists a confidential § by its public heading only;
its entries never carry the text of a § or the people in it. The calendar shows what the
committee page shows of a meeting that is still to come: its date, time and place.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from committee.models import Committee
from committee.site import SiteRequest, absolute_url
from minutes.models import Announcement, Item, Meeting
from minutes.portal.caching import cacheable
from minutes.portal.published import published_meetings
from minutes.protocol.adjusted import protocol_styles
from minutes.protocol.phrases import paragraph_label

LATEST = 50
CALENDAR_PAST_DAYS = 90  # a subscribed calendar drops what leaves the feed: keep the recent meetings in it
CALENDAR_MAX_AGE = 300
# What the feed reads of a §: never its text, so it cannot print it.
HEADING_FIELDS = ("meeting", "position", "number", "title", "subtitle", "confidential", "public_heading")


class SiteFeed(Feed):
    """A feed whose links name the configured site address, never the Host that asked first.

    The feed is cached by its path alone, so a link built from one request's Host would be
    served to everyone after it.
    """

    def get_feed(self, obj, request: HttpRequest):
        return super().get_feed(obj, SiteRequest(request))


def _latest_protocol(request: HttpRequest, committee: str | None = None) -> int:
    """The feed changes only when a protocol is announced, and an announced protocol never changes."""
    protocols = Announcement.objects.filter(round__item__isnull=True)
    return protocols.order_by("-pk").values_list("pk", flat=True).first() or 0


@method_decorator(require_safe, name="__call__")
@method_decorator(cacheable(_latest_protocol, max_age=300), name="__call__")
class ProtocolFeed(SiteFeed):
    """One entry per announced protocol, newest first, for all committees or for one."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, committee: str | None = None) -> Committee | None:
        return get_object_or_404(Committee, slug=committee) if committee is not None else None

    def title(self, obj: Committee | None) -> str:
        if obj is None:
            return _("Published protocols")
        return _("%(committee)s: published protocols") % {"committee": obj.name}

    def link(self, obj: Committee | None) -> str:
        return reverse("portal:committee", args=[obj.slug]) if obj is not None else reverse("portal:start")

    def author_name(self, obj: Committee | None) -> str | None:
        return obj.name if obj is not None else None

    def items(self, obj: Committee | None) -> list[Announcement]:
        """The announcements, each with the house style its protocol prints with (`style`), read in one query."""
        announcements = Announcement.objects.filter(round__item__isnull=True, meeting__in=published_meetings())
        if obj is not None:
            announcements = announcements.filter(meeting__committee=obj)
        headings = Item.objects.only(*HEADING_FIELDS).order_by("position")
        found = list(
            announcements.select_related("meeting__committee")
            .prefetch_related(Prefetch("meeting__items", headings))
            .order_by("-announced_at", "-id")[:LATEST]
        )
        styles = protocol_styles(announcement.meeting_id for announcement in found)
        for announcement in found:
            announcement.style = styles[announcement.meeting_id]
        return found

    def item_title(self, item: Announcement) -> str:
        meeting = item.meeting
        return f"{meeting.committee.name}, " + _("meeting %(date)s") % {"date": f"{meeting.date:%Y-%m-%d}"}

    def item_description(self, item: Announcement) -> str:
        """The §§ by number and heading; a confidential § by the heading of the public version."""
        headings = ((paragraph_label(i.number, item.style), _public_heading(i)) for i in item.meeting.items.all())
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} {}</li>", headings))

    def item_link(self, item: Announcement) -> str:
        meeting = item.meeting
        return reverse("portal:meeting", args=[meeting.committee.slug, meeting.year, meeting.number])

    def item_author_name(self, item: Announcement) -> str:
        return item.meeting.committee.name

    def item_pubdate(self, item: Announcement) -> datetime.datetime:
        return item.announced_at

    def item_updateddate(self, item: Announcement) -> datetime.datetime:
        return item.announced_at


def _public_heading(item: Item) -> str:
    return item.public_heading if item.confidential else item.heading


@require_safe
def meetings_calendar(request: HttpRequest, committee: str) -> HttpResponse:
    """The committee's coming meetings, and those of the last 90 days, as an iCalendar to subscribe to.

    A coming meeting is usually still a draft: only its date, time and place are public, and
    nothing else of it is read here.
    """
    body = get_object_or_404(Committee, slug=committee)
    since = timezone.localdate() - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    meetings = (
        body.meetings.filter(date__gte=since)
        .only("committee", "number", "date", "start_time", "end_time", "place")
        .annotate(published=Exists(published_meetings().filter(pk=OuterRef("pk"))))
        .order_by("date", "start_time", "number")
    )
    page = absolute_url(request, reverse("portal:committee", args=[body.slug]))
    calendar = Calendar.new(
        prodid="-//Paragraf//Sammanträden//SV",
        uid=f"committee-{body.pk}-meetings@paragraf",
        name=f"{body.name}: " + _("meetings"),
        url=page,
        source=absolute_url(request, request.get_full_path()),
        refresh_interval=datetime.timedelta(hours=6),
    )
    for meeting in meetings:
        start, end = _when(meeting)
        calendar.add_component(
            Event.new(
                uid=f"meeting-{meeting.pk}@paragraf",
                start=start,
                end=end,
                summary=f"{body.name}, " + _("meeting"),
                location=meeting.place or None,
                url=_event_url(request, meeting, page),
            )
        )
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    patch_cache_control(response, public=True, max_age=CALENDAR_MAX_AGE)
    return response


def _when(meeting: Meeting) -> tuple[datetime.date | datetime.datetime, datetime.date | datetime.datetime | None]:
    """Start and end in Swedish time; a meeting without a start time is a whole day (the end is exclusive)."""
    if meeting.start_time is None:
        return meeting.date, meeting.date + datetime.timedelta(days=1)
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone)
    end = datetime.datetime.combine(meeting.date, meeting.end_time, tzinfo=zone) if meeting.end_time else None
    return start, end


def _event_url(request: HttpRequest, meeting: Meeting, committee_page: str) -> str:
    """A meeting whose protocol is announced links to it; any other to the committee's page."""
    if not meeting.published:
        return committee_page
    return absolute_url(request, reverse("portal:meeting", args=[meeting.committee.slug, meeting.year, meeting.number]))
