"""Which meetings of a body are published, and when their data was created and last changed.

An announced protocol's data never changes, so its announcement is when its objects were
created. What the API shows of it can still change: a file sealed later (the public version,
an extract), or its committee (whose address and name it carries). So a meeting's `modified`,
and that of its §§, is the latest of its announcement, its files and its committee. Its §§,
consultations and papers take their times from it, so the lists' date filters become filters
on meeting ids.

The names, parties and roles it shows are those frozen at its adjustment, which a change in the
registers does not reach. A protocol adjusted before snapshots were frozen shows them as they
stand, so there the people who attended and the memberships in force on its day count too.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, F, Max, Min, OuterRef, Q

from committee.models import Membership
from minutes.models import AdjustedSnapshot, Attendance
from minutes.oparl.addresses import Body
from minutes.oparl.listing import ListQuery
from minutes.portal.published import published_meetings


@dataclass(frozen=True)
class Times:
    created: datetime.datetime
    modified: datetime.datetime


def meeting_times(body: Body) -> dict[int, Times]:
    """Every published meeting of the body with its times, by id, in three small queries.

    For a protocol not frozen at its adjustment, a membership in force on the meeting day that
    was changed or deleted since changes the party it names, so it moves `modified` on.
    """
    rows = list(
        published_meetings()
        .filter(committee_id__in=body.committee_ids)
        .annotate(
            announced=Min("announcements__announced_at", filter=Q(announcements__round__item__isnull=True)),
            sealed=Max("sealed_documents__created_at"),
            committee_modified=F("committee__modified"),
            frozen=Exists(AdjustedSnapshot.objects.filter(meeting=OuterRef("pk"), round__item__isnull=True)),
        )
        .values_list("pk", "committee_id", "date", "announced", "sealed", "committee_modified", "frozen")
    )
    unfrozen = [row[0] for row in rows if not row[6]]
    attended = {  # who attended is named in the protocol: a correction of a name changes it
        meeting_id: max(filter(None, (person, replaced)))
        for meeting_id, person, replaced in Attendance.objects.filter(meeting_id__in=unfrozen)
        .values("meeting_id")
        .annotate(person=Max("person__modified"), replaced=Max("replaces__modified"))
        .values_list("meeting_id", "person", "replaced")
    }
    roll = defaultdict(list)
    live = Membership.objects.filter(committee_id__in=body.committee_ids)
    deleted = Membership.history.filter(committee_id__in=body.committee_ids, history_type="-")
    memberships = live.values_list("committee_id", "start", "end", "modified").union(
        deleted.values_list("committee_id", "start", "end", "history_date"), all=True
    )
    for committee_id, start, end, modified in memberships.order_by():
        roll[committee_id].append((start or datetime.date.min, end or datetime.date.max, modified))
    times = {}
    for pk, committee_id, day, announced, sealed, committee_modified, frozen in rows:
        if announced is None:  # announced in status only: not public until the notice exists
            continue
        changes = [announced, committee_modified, sealed]
        if not frozen:  # its names and parties are read as they stand
            changes.append(attended.get(pk))
            changes += [modified for start, end, modified in roll[committee_id] if start <= day <= end]
        times[pk] = Times(announced, max(moment for moment in changes if moment is not None))
    return times


def admitted(times: dict[int, Times], query: ListQuery | None = None, *, changes: bool = True) -> list[int]:
    """The meetings whose times pass the query's date filters; `changes=False` for objects that never change."""
    return [
        pk for pk, t in times.items() if query is None or query.admits(t.created, t.modified if changes else t.created)
    ]
