"""The coming meetings a member has been summoned to: the sent notices (kallelser) that went to them.

Shown on the start page and in the reading room, so that a member who signs in sees at once what waits
for them. One query, whatever the number of meetings.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q

from minutes.models import Meeting, NoticeRecipient


@dataclass(frozen=True)
class Summons:
    meeting: Meeting
    role: str  # as the notice named it: "ledamot", "ersättare", …
    opened: bool  # the personal link in the notice was used
    added_after_notice: int  # case documents uploaded (new, or a new version) after the notice went out


def summoned_meetings(user, *, today: datetime.date) -> list[Summons]:
    """The meetings from today on whose notice went to the user, soonest first."""
    person = getattr(user, "person", None)
    if person is None:
        return []
    added = Count(
        "notice__meeting__agenda_items__documents",
        filter=Q(
            notice__meeting__agenda_items__withdrawn_at__isnull=True,
            notice__meeting__agenda_items__documents__next_version__isnull=True,
            notice__meeting__agenda_items__documents__uploaded_at__gt=F("notice__sent_at"),
        ),
    )
    rows = (
        NoticeRecipient.objects.filter(person=person, notice__sent_at__isnull=False, notice__meeting__date__gte=today)
        .select_related("notice__meeting__committee")
        .annotate(added=added)
        .order_by("notice__meeting__date", "notice__meeting__start_time", "notice__meeting__pk")
    )
    return [
        Summons(
            meeting=row.notice.meeting,
            role=row.role,
            opened=row.opened_at is not None,
            added_after_notice=row.added,
        )
        for row in rows
    ]
