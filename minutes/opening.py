"""The standard opening §§, written from the meeting's own details so that nothing is typed twice.

A protocol usually opens with three §§: the choice of adjusters, the time and place of
adjustment, and the approval of the agenda. Their wording is data (`OPENING_WORDING`, one
entry per house-style tense); their facts come from the meeting page. While the meeting is a
draft they follow every change of those details, unless the secretary has rewritten the text:
a § whose decision no longer reads as last generated is left alone until regenerated on request.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from minutes import services
from minutes.models import Item, Meeting, OpeningKind
from minutes.protocol.phrases import capitalize, join, person
from minutes.protocol.snapshot import HouseStyle, PersonRef, build_snapshot

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


@dataclass(frozen=True)
class OpeningWording:
    """Titles and decision sentences of the opening §§ in one tense; {placeholders} are the interface."""

    title: dict[str, str]
    decision: dict[str, str]
    # Used while a detail is still missing, so that the gap is visible in the preview and the checklist.
    no_adjusters: str
    no_adjustment: str


PAST = OpeningWording(
    title={
        OpeningKind.ADJUSTERS: "Val av justerare",
        OpeningKind.ADJUSTMENT: "Justeringens tid och plats",
        OpeningKind.AGENDA: "Godkännande av föredragningslistan",
    },
    decision={
        OpeningKind.ADJUSTERS: "{Body} utsåg {adjusters} att jämte ordföranden justera dagens protokoll.",
        OpeningKind.ADJUSTMENT: "{Body} beslutade att protokollet skulle justeras {when}{where}.",
        OpeningKind.AGENDA: "Föredragningslistan godkändes.",
    },
    no_adjusters="[justerare ej utsedd]",
    no_adjustment="[tid ej bestämd]",
)

PRESENT = OpeningWording(
    title=PAST.title,
    decision={
        OpeningKind.ADJUSTERS: "{Body} utser {adjusters} att jämte ordföranden justera dagens protokoll.",
        OpeningKind.ADJUSTMENT: "{Body} beslutar att protokollet ska justeras {when}{where}.",
        OpeningKind.AGENDA: "Föredragningslistan godkänns.",
    },
    no_adjusters=PAST.no_adjusters,
    no_adjustment=PAST.no_adjustment,
)

OPENING_WORDING = {"past": PAST, "present": PRESENT}
ORDER = (OpeningKind.ADJUSTERS, OpeningKind.ADJUSTMENT, OpeningKind.AGENDA)


def spoken_time(moment: datetime.datetime) -> str:
    """ "den 12 oktober 2026 kl. 10.00", in the meeting's time zone."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"den {local.day} {MONTHS[local.month - 1]} {local.year} kl. {local:%H.%M}"


def decision_text(
    kind: str,
    *,
    style: HouseStyle,
    adjusters: tuple[PersonRef, ...],
    adjustment_at: datetime.datetime | None,
    adjustment_place: str,
) -> str:
    wording = OPENING_WORDING.get(style.tense, PAST)
    values = {
        "Body": capitalize(style.body_noun),
        "adjusters": join([person(ref) for ref in adjusters]) or wording.no_adjusters,
        "when": spoken_time(adjustment_at) if adjustment_at else wording.no_adjustment,
        "where": f", {adjustment_place}" if adjustment_place else "",
    }
    return wording.decision[kind].format(**values)


def texts(meeting: Meeting) -> dict[str, str]:
    """The decision of each opening § as the meeting's details now have it."""
    snapshot = build_snapshot(meeting)
    return {
        kind: decision_text(
            kind,
            style=snapshot.style,
            adjusters=snapshot.adjusters,
            adjustment_at=meeting.adjustment_at,
            adjustment_place=meeting.adjustment_place,
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
        wording = OPENING_WORDING.get(style.tense, PAST)
        for position, kind in enumerate(ORDER, start=1):
            if kind not in present:
                item = services.add_item(meeting, title=wording.title[kind], opening=kind)
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
