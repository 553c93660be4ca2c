"""The standard opening §§, written from the meeting's own details so that nothing is typed twice.

A protocol usually opens with three §§: the choice of adjusters, the time and place of
adjustment, and the approval of the agenda. Their wording is data: the house style's `opening.*`
templates (titles, decisions, and the words shown while a detail is missing); their facts come
from the meeting page and its agenda. While the meeting is a draft they follow every change of
those details, unless the secretary has rewritten the text: a § whose decision no longer reads as
last generated is left alone until regenerated on request.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from minutes import services
from minutes.models import Item, Meeting, OpeningKind
from minutes.protocol.housestyle import MONTHS
from minutes.protocol.phrases import join_words, person
from minutes.protocol.snapshot import HouseStyle, PersonRef, build_snapshot

ORDER = (OpeningKind.ADJUSTERS, OpeningKind.ADJUSTMENT, OpeningKind.AGENDA)
TEMPLATES = {
    OpeningKind.ADJUSTERS: "opening.adjusters",
    OpeningKind.ADJUSTMENT: "opening.adjustment",
    OpeningKind.AGENDA: "opening.agenda",
}


def title(kind: str, style: HouseStyle) -> str:
    """The opening §'s (and agenda item's) title in the house style."""
    return style.compiled.render(f"{TEMPLATES[kind]}_title")


def spoken_date(moment: datetime.datetime) -> str:
    """ "den 12 oktober 2026", in the meeting's time zone."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"den {local.day} {MONTHS[local.month - 1]} {local.year}"


def spoken_time(moment: datetime.datetime, *, date_only: bool = False) -> str:
    """ "den 12 oktober 2026 kl. 10.00" (the date alone when no time is set), in the meeting's time zone."""
    if date_only:
        return spoken_date(moment)
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{spoken_date(moment)} kl. {local:%H.%M}"


def decision_text(
    kind: str,
    *,
    style: HouseStyle,
    adjusters: tuple[PersonRef, ...],
    adjustment_at: datetime.datetime | None,
    adjustment_place: str,
    date_only: bool = False,
    withdrawn: tuple[str, ...] = (),
    added: tuple[str, ...] = (),
) -> str:
    compiled = style.compiled
    if kind == OpeningKind.ADJUSTERS:
        joined = join_words([person(ref, style=style) for ref in adjusters], style)
        return compiled.render("opening.adjusters", adjusters=joined or compiled.render("opening.missing_adjusters"))
    if kind == OpeningKind.ADJUSTMENT:
        local = timezone.localtime(adjustment_at) if adjustment_at and timezone.is_aware(adjustment_at) else None
        local = local or adjustment_at
        return compiled.render(
            "opening.adjustment",
            when=spoken_time(local, date_only=date_only) if local else compiled.render("opening.missing_time"),
            date=spoken_date(local) if local else "",
            time=f"{local:%H.%M}" if local and not date_only else "",
            place=adjustment_place,
        )

    def quoted(titles: tuple[str, ...]) -> str:
        return join_words([f"”{t}”" for t in titles], style)

    return compiled.render(
        "opening.agenda",
        withdrawn=list(withdrawn),
        added=list(added),
        withdrawn_joined=quoted(withdrawn),
        added_joined=quoted(added),
    )


def texts(meeting: Meeting) -> dict[str, str]:
    """The decision of each opening § as the meeting's details now have it."""
    snapshot = build_snapshot(meeting)
    changed = meeting.agenda_items.filter(opening="").order_by("position")
    return {
        kind: decision_text(
            kind,
            style=snapshot.style,
            adjusters=snapshot.adjusters,
            adjustment_at=meeting.adjustment_at,
            adjustment_place=meeting.adjustment_place,
            date_only=meeting.adjustment_date_only,
            withdrawn=tuple(a.title for a in changed if a.withdrawn_at is not None),
            added=tuple(a.title for a in changed if a.added_at_meeting and a.withdrawn_at is None),
        )
        for kind in ORDER
    }


def write(meeting: Meeting) -> list[Item]:
    """Create the opening §§ that are missing, at the head of the agenda, and (re)write all three.

    Pressing it again regenerates the texts, also those the secretary has rewritten.
    """
    with transaction.atomic():
        meeting = Meeting.objects.select_related("committee").get(pk=meeting.pk)  # the details as stored now
        present = {item.opening: item for item in meeting.items.exclude(opening="")}
        style = HouseStyle.of(meeting.committee)
        for position, kind in enumerate(ORDER, start=1):
            if kind not in present:
                item = services.add_item(meeting, title=title(kind, style), opening=kind)
                present[kind] = services.move_item(item, to_position=position)
        _rewrite(meeting, list(present.values()), force=True)
    return [present[kind] for kind in ORDER]


def follow(meeting: Meeting) -> None:
    """After the meeting's details changed: bring the opening §§ the secretary has not rewritten up to date."""
    items = list(meeting.items.exclude(opening=""))
    if items and meeting.is_editable:
        _rewrite(meeting, items, force=False)


def _rewrite(meeting: Meeting, items: list[Item], *, force: bool) -> None:
    wanted = texts(meeting)
    for item in items:
        text = wanted[item.opening]
        untouched = item.decision == item.opening_text
        if text != item.decision and (force or untouched):
            services.save_item(item, expected_version=item.version, decision=text, opening_text=text)
        elif text != item.opening_text and (force or untouched):
            Item.objects.filter(pk=item.pk).update(opening_text=text)
