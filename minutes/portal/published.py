"""What the public may see: the protocols whose adjustment has been announced, nothing else.

Every portal page, feed and search result starts from these querysets, so a draft, a protocol
awaiting adjustment or one adjusted but not yet announced never reaches the public.
"""

from django.db.models import QuerySet

from minutes.models import Item, Meeting, MeetingStatus


def published_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(status=MeetingStatus.ANNOUNCED)


def published_items() -> QuerySet[Item]:
    return Item.objects.filter(meeting__status=MeetingStatus.ANNOUNCED)
