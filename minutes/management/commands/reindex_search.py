from django.core.management.base import BaseCommand
from django.db import transaction

from minutes.models.search import SearchEntry, index_meeting
from minutes.portal.published import published_meetings


class Command(BaseCommand):
    help = (
        "Rebuild the portal's search index: the entries of every announced protocol are written anew, "
        "and any entry of a meeting that is not announced is removed."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            removed, _ = SearchEntry.objects.exclude(meeting__in=published_meetings()).delete()
            meetings = published_meetings().order_by("date", "pk")
            entries = sum(index_meeting(meeting) for meeting in meetings)
        self.stdout.write(f"Indexed {entries} §§ of {len(meetings)} announced protocols; removed {removed} stale rows.")
