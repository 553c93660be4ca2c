"""The portal's pages: start, committee, meeting, §, person, party and matter (Dnr).

Only announced protocols are read (`published`), and only through their public version: a
confidential § shows its public heading, never its text, the people in it or their votes. A
protocol is printed from the snapshot frozen at its adjustment (`minutes.protocol.adjusted`), so
a change in the registers since (a renamed person, another house style) does not reach it.
"""

import dataclasses
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from committee.models import Committee, Membership, Party, Person, Role
from minutes import adjustment, jobs
from minutes.models import (
    Announcement,
    Ballot,
    DocumentKind,
    Item,
    Meeting,
    MotionKind,
    MotionMover,
    Proposition,
    Recusal,
    ReservationMember,
    StatementAuthor,
    StatementKind,
)
from minutes.portal.agenda import agenda_stamp, coming_meetings
from minutes.portal.caching import YEAR, cacheable, published_file
from minutes.portal.names import link_names, person_links
from minutes.portal.published import published_items, published_meetings
from minutes.protocol.adjusted import protocol_styles, snapshot_for
from minutes.protocol.phrases import dnr_label, paragraph_label
from minutes.protocol.render import Request, render_html
from minutes.protocol.snapshot import HouseStyle
from minutes.views.public import notices

LATEST = 10


@require_safe
@cacheable(lambda request: _latest_announcement(), max_age=300)
def start(request: HttpRequest) -> HttpResponse:
    latest = (
        Announcement.objects.filter(round__item__isnull=True, meeting__in=published_meetings())
        .select_related("meeting__committee")
        .order_by("-posted_on", "-id")[:LATEST]
    )
    posted = list(notices())
    styles = protocol_styles(n.meeting_id for n in posted if n.round.item_id)
    return render(
        request,
        "portal/start.html",
        {
            "committees": Committee.objects.all(),
            "latest": latest,
            # An extract's notice names its § as the protocol does.
            "notices": [
                (n, paragraph_label(n.round.item.number, styles[n.meeting_id]) if n.round.item_id else "")
                for n in posted
            ],
        },
    )


@require_safe
@cacheable(lambda request, committee: f"{_latest_announcement()}-{agenda_stamp()}", max_age=300)
def committee(request: HttpRequest, committee: str) -> HttpResponse:
    body = get_object_or_404(Committee, slug=committee)
    today = timezone.localdate()
    meetings = published_meetings().filter(committee=body).order_by("-date", "-number")
    by_year: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        by_year.setdefault(meeting.year, []).append(meeting)
    memberships = list(
        body.memberships.on(today).select_related("person", "party").order_by("position", "person__last_name")
    )
    coming = coming_meetings(body.pk)
    return render(
        request,
        "portal/committee.html",
        {
            "committee": body,
            "by_year": by_year,
            "members": [m for m in memberships if m.role != Role.SUBSTITUTE],
            "substitutes": [m for m in memberships if m.role == Role.SUBSTITUTE],
            "coming": coming,
        },
    )


def published_meeting(committee: str, year: int, number: int) -> Meeting:
    return get_object_or_404(
        published_meetings().select_related("committee"), committee__slug=committee, date__year=year, number=number
    )


def _meeting_etag(request: HttpRequest, committee: str, year: int, number: int, item: int | None = None) -> str | None:
    """An announced protocol never changes: its announcement stands for its content."""
    return (
        Announcement.objects.filter(
            meeting__committee__slug=committee,
            meeting__date__year=year,
            meeting__number=number,
            round__item__isnull=True,
            meeting__in=published_meetings(),
        )
        .values_list("pk", flat=True)
        .first()
    )


@require_safe
@cacheable(_meeting_etag, max_age=86400, immutable=True)
def meeting(request: HttpRequest, committee: str, year: int, number: int) -> HttpResponse:
    meeting = published_meeting(committee, year, number)
    snapshot = snapshot_for(meeting)  # as it was adjusted, whatever the registers say now
    # Announced: the page prints who adjusted it and the certificate with the notice's dates.
    signed, notice = adjustment.announced_facts(meeting) or (None, None)
    protocol = render_html(snapshot, Request(kind="protocol", public=True, bare=True, adjustment=signed, notice=notice))
    protocol = link_names(protocol, person_links(snapshot))
    return render(
        request,
        "portal/meeting.html",
        {
            "meeting": meeting,
            "snapshot": snapshot,
            "protocol": protocol,
            "items": [(item, paragraph_label(item.number, snapshot.style)) for item in snapshot.items],
        },
    )


@require_safe
@cacheable(_meeting_etag, max_age=86400, immutable=True)
def item(request: HttpRequest, committee: str, year: int, number: int, item: int) -> HttpResponse:
    meeting = published_meeting(committee, year, number)
    snapshot = snapshot_for(meeting, numbers=[item])
    if not snapshot.items:
        raise Http404
    text = render_html(snapshot, Request(kind="item", numbers=(item,), public=True, bare=True))
    text = link_names(text, person_links(snapshot))
    context = {
        "meeting": meeting,
        "item": snapshot.items[0],
        "text": text,
        "number": item,
        "label": paragraph_label(item, snapshot.style),
    }
    return render(request, "portal/item.html", context)


@require_safe
def protocol_pdf(request: HttpRequest, committee: str, year: int, number: int) -> HttpResponse:
    """The sealed protocol, or its sealed public version when a § in it is confidential."""
    key = f"portal:file:{request.path}"
    document = cache.get(key)  # once found, it is the answer for good: sealed files never change
    if document is None:
        meeting = published_meeting(committee, year, number)
        round = adjustment.completed_round(meeting)
        kind = DocumentKind.PUBLIC if meeting.items.filter(confidential=True).exists() else DocumentKind.PROTOCOL
        document = round.documents.filter(kind=kind, numbers=[]).defer("snapshot").first()
        if document is None:  # its sealing job, queued at adjustment, has not finished yet
            return being_sealed(request, meeting)
        cache.set(key, document, YEAR)
    return published_file(request, document)


@require_safe
def certificate_pdf(request: HttpRequest, committee: str, year: int, number: int) -> HttpResponse:
    """The sealed announcement certificate (anslagsbevis), with the dates of the notice.

    It is sealed at the announcement; one announced before certificates were sealed is queued
    by the first request for it.
    """
    key = f"portal:file:{request.path}"
    document = cache.get(key)
    if document is None:
        meeting = published_meeting(committee, year, number)
        round = adjustment.completed_round(meeting)
        document = round.documents.filter(kind=DocumentKind.CERTIFICATE, numbers=[]).defer("snapshot").first()
        if document is None:
            with transaction.atomic():
                jobs.start_missing(round, [jobs.certificate_of(round)])
            return being_sealed(request, meeting)
        cache.set(key, document, YEAR)
    return published_file(request, document)


@require_safe
def extract(request: HttpRequest, committee: str, year: int, number: int, item: int) -> HttpResponse:
    """The sealed extract of one §; a confidential § has none for the public.

    Extracts are sealed when first asked for: the first request queues it for a worker.
    """
    key = f"portal:file:{request.path}"
    document = cache.get(key)
    if document is None:
        meeting = published_meeting(committee, year, number)
        get_object_or_404(meeting.items, number=item, confidential=False)
        round = adjustment.completed_round(meeting)
        document = round.documents.filter(kind=DocumentKind.EXTRACT, numbers=[item]).defer("snapshot").first()
        if document is None:
            with transaction.atomic():
                jobs.seal_extracts(round, [item])
            return being_sealed(request, meeting)
        cache.set(key, document, YEAR)
    return published_file(request, document)


def being_sealed(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """503 with Retry-After: the file will exist in a minute, and clients may ask again."""
    response = render(request, "portal/being_sealed.html", {"meeting": meeting}, status=503)
    response["Retry-After"] = "30"
    patch_cache_control(response, no_store=True)
    return response


# What people did, from the data


@dataclass(frozen=True)
class Deed:
    """One thing a person did in a published §: moved a motion, voted, recused, reserved, stated."""

    item: Item
    kind: str
    detail: str
    person: Person
    label: str = ""  # the §'s number as its protocol prints it

    @property
    def meeting(self) -> Meeting:
        return self.item.meeting


def _open_items(prefix: str) -> Q:
    """Rows of published §§ that are not confidential: the people in a confidential § stay unnamed."""
    return Q(**{f"{prefix}__meeting__in": published_meetings(), f"{prefix}__confidential": False})


def deeds(people: Q, party: Party | None = None) -> list[Deed]:
    """Motions, votes, recusals, reservations and statements of the people matching `people`.

    With a party, only what they did while sitting for it on that committee counts.
    """

    def of(model, path: str) -> QuerySet:
        rows = model.objects.filter(people, _open_items(path)).select_related(
            "person", f"{path}__meeting__committee", *_also(model)
        )
        if party is not None:
            rows = rows.filter(_sits_for(party, path))
        return rows.order_by(f"-{path}__meeting__date", f"{path}__number")

    found = [
        *(
            Deed(r.motion.item, "motion", r.motion.get_kind_display(), r.person)
            for r in of(MotionMover, "motion__item")
        ),
        *(Deed(r.proposition.item, "vote", r.get_choice_display(), r.person) for r in of(Ballot, "proposition__item")),
        *(Deed(r.item, "recusal", "", r.person) for r in of(Recusal, "item")),
        *(Deed(r.reservation.item, "reservation", "", r.person) for r in of(ReservationMember, "reservation__item")),
        *(
            Deed(r.statement.item, "statement", r.statement.kind, r.person)  # named below, as the protocol does
            for r in of(StatementAuthor, "statement__item")
        ),
    ]
    found.sort(key=lambda deed: (deed.item.meeting.date, deed.item.number), reverse=True)
    styles = protocol_styles(deed.item.meeting_id for deed in found)
    return [_as_printed(deed, styles[deed.item.meeting_id]) for deed in found]


def _as_printed(deed: Deed, style: HouseStyle) -> Deed:
    """The deed with its § labelled, and a statement named, by the heading its protocol's style gives it."""
    detail = deed.detail
    if deed.kind == "statement":
        detail = style.compiled.headings["minute_note" if detail == StatementKind.MINUTE_NOTE else "statement"]
    return dataclasses.replace(deed, label=paragraph_label(deed.item.number, style), detail=detail)


def _also(model) -> tuple[str, ...]:
    return {
        MotionMover: ("motion",),
        Ballot: ("proposition",),
        ReservationMember: ("reservation",),
        StatementAuthor: ("statement",),
    }.get(model, ())


def _sits_for(party: Party, path: str) -> Exists:
    """The person sat for the party on the §'s committee on the day of its meeting."""
    meeting = f"{path}__meeting"
    day = OuterRef(f"{meeting}__date")
    return Exists(
        Membership.objects.filter(person=OuterRef("person"), party=party, committee=OuterRef(f"{meeting}__committee"))
        .filter(Q(start__lte=day) | Q(start__isnull=True))
        .filter(Q(end__gte=day) | Q(end__isnull=True))
    )


@require_safe
@cacheable(lambda request, pk: _latest_announcement(), max_age=300)
def person(request: HttpRequest, pk: int) -> HttpResponse:
    someone = get_object_or_404(Person, pk=pk)
    roles = someone.memberships.select_related("committee", "party").order_by("-start", "committee__name")
    return render(request, "portal/person.html", {"person": someone, "roles": roles, "deeds": deeds(Q(person=someone))})


@require_safe
@cacheable(lambda request, abbreviation: _latest_announcement(), max_age=300)
def party(request: HttpRequest, abbreviation: str) -> HttpResponse:
    group = get_object_or_404(Party, abbreviation__iexact=abbreviation)
    members = (
        Person.objects.filter(memberships__party=group)
        .distinct()
        .order_by("last_name", "first_name")
        .prefetch_related(Prefetch("memberships", Membership.objects.select_related("committee")))
    )
    return render(
        request,
        "portal/party.html",
        {
            "party": group,
            "members": members,
            # A subquery, not a join: a join repeats each deed once per membership of its person.
            "deeds": deeds(Q(person__in=Person.objects.filter(memberships__party=group)), party=group),
        },
    )


@dataclass(frozen=True)
class Handling:
    item: Item
    outcome: str  # "tabled", "referred back" or "decided"
    label: str = ""  # the §'s number as its protocol prints it


@require_safe
@cacheable(lambda request, dnr: _latest_announcement(), max_age=300)
def matter(request: HttpRequest, dnr: str) -> HttpResponse:
    items = (
        published_items()
        .filter(dnr__iexact=dnr.strip(), confidential=False)  # a confidential § is not told by its Dnr
        .select_related("meeting__committee")
        .prefetch_related(Prefetch("propositions", Proposition.objects.select_related("outcome")))
        .order_by("meeting__date", "number")
    )
    items = list(items)
    if not items:
        raise Http404
    styles = protocol_styles(item.meeting_id for item in items)
    handlings = [
        Handling(item, _outcome(item), paragraph_label(item.number, styles[item.meeting_id])) for item in items
    ]
    # The matter is named as the latest protocol that handled it names it.
    title = dnr_label(items[0].dnr, styles[items[-1].meeting_id])
    return render(request, "portal/matter.html", {"dnr": items[0].dnr, "title": title, "handlings": handlings})


def _outcome(item: Item) -> str:
    won = {p.outcome.kind for p in item.propositions.all() if p.outcome is not None}
    if MotionKind.TABLE in won:
        return "tabled"
    if MotionKind.REFER_BACK in won:
        return "referred back"
    return "decided"


def _latest_announcement() -> str:
    """What the listing pages show changes only when a protocol is announced (or a day passes)."""
    latest = Announcement.objects.order_by("-pk").values_list("pk", flat=True).first()
    return f"{latest}-{timezone.localdate():%Y%m%d}"
