"""Gather: one read of the database into frozen dataclasses of plain values.

Names, parties and roles are taken as they were on the meeting day, so a later change of
party never rewrites an old protocol. Nothing after this step touches the ORM.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from committee.models import ROLE_TITLES, Committee, Membership, Role
from minutes import points
from minutes.attendance import Presence, Replacement, roll_order, serving_ids, span
from minutes.models import (
    Adjuster,
    Attendance,
    Ballot,
    Item,
    Meeting,
    Motion,
    MotionMover,
    Proposition,
    Recusal,
    Reservation,
    ReservationMember,
    Statement,
    StatementAuthor,
)
from minutes.models.item import dnr_numbers, lines, paragraphs
from minutes.models.meeting import ADJUSTMENT_DAYS
from minutes.protocol import housestyle

# Where several memberships name the same person, the one with the highest office wins.
ROLE_RANK = [Role.CHAIR, Role.FIRST_VICE_CHAIR, Role.SECOND_VICE_CHAIR, Role.MEMBER, Role.SUBSTITUTE]


@dataclass(frozen=True)
class HouseStyle:
    """The house style a protocol is printed with: a style document (minutes/protocol/housestyle.py).

    `document` is the committee's style version as it was read (`version` its number); a committee
    without a style of its own, and a protocol adjusted before styles were documents, has none and
    prints with the document its old fields make (`housestyle.legacy_document`). The other fields
    mirror the document for the code that needs only a word of it (the opening §§' tense).
    """

    tense: str = "past"
    body_noun: str = "nämnden"
    heading_decision: str = "BESLUT"
    heading_matter: str = "Ärendet"
    heading_motions: str = "Förslag till beslut"
    heading_procedure: str = "Beslutsgång"
    heading_reservation: str = "Reservation"
    heading_statement: str = "Särskilt uttalande"
    heading_minute_note: str = "Protokollsanteckning"
    document: dict | None = field(default=None, hash=False)
    version: int | None = None
    name: str = ""
    sha256: str = ""

    @classmethod
    def of(cls, committee: Committee) -> "HouseStyle":
        style = committee.house_style if committee.house_style_id else None
        if style is not None:
            return cls.from_document(style.document, version=style.version, name=style.name, sha256=style.sha256)
        return cls(**{name: getattr(committee, name) for name in LEGACY_FIELDS})

    @classmethod
    def from_document(
        cls, document: dict, *, version: int | None = None, name: str = "", sha256: str = ""
    ) -> "HouseStyle":
        headings = document["headings"]
        return cls(
            tense=document["tense"],
            body_noun=document["body_noun"],
            **{f"heading_{key}": headings[key] for key in housestyle.LEGACY_HEADINGS},
            document=document,
            version=version,
            name=name or document.get("name", ""),
            sha256=sha256 or housestyle.digest(document),
        )

    @property
    def compiled(self) -> housestyle.Compiled:
        if self.document is None:
            headings = tuple(getattr(self, f"heading_{key}") for key in housestyle.LEGACY_HEADINGS)
            document, sha = housestyle.legacy_document(self.tense, self.body_noun, headings)
            return housestyle.compiled(document, sha)
        return housestyle.compiled(self.document, self.sha256)

    @property
    def as_document(self) -> dict:
        """The style document this style prints with."""
        return self.compiled.document


LEGACY_FIELDS = ("tense", "body_noun") + tuple(f"heading_{key}" for key in housestyle.LEGACY_HEADINGS)


@dataclass(frozen=True)
class PersonRef:
    id: int
    first_name: str
    last_name: str
    party: str = ""  # the party abbreviation on the meeting day
    role: str = ""  # a committee.Role value, or "" for someone who is not a member

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def role_title(self) -> str:
        return ROLE_TITLES.get(self.role, "")


@dataclass(frozen=True)
class Named:
    """A person on a motion, reservation or statement; `with_others` prints "m fl"."""

    person: PersonRef
    with_others: bool = False


@dataclass(frozen=True)
class MotionData:
    id: int
    kind: str
    movers: tuple[Named, ...]
    text: str = ""
    wording: str = ""


@dataclass(frozen=True)
class BallotData:
    person: PersonRef
    choice: str


@dataclass(frozen=True)
class PropositionData:
    kind: str
    outcome_id: int | None = None
    voted: bool = False
    yes_motion_id: int | None = None
    no_motion_id: int | None = None
    casting_vote: str = ""
    ballots: tuple[BallotData, ...] = ()
    wording: str = ""
    rejected: bool = False  # a single motion put and found rejected
    roll_call_appendix: str = ""  # the appendix the roll-call list is in, when the style prints it there


@dataclass(frozen=True)
class RecusalData:
    person: PersonRef
    left_room: bool = True
    substitute: PersonRef | None = None
    wording: str = ""


@dataclass(frozen=True)
class ReservationData:
    members: tuple[Named, ...]
    in_favour_of_id: int | None = None
    text: str = ""
    wording: str = ""
    appendix: str = ""  # the written reservation is in this appendix, not printed in the §


@dataclass(frozen=True)
class StatementData:
    kind: str
    authors: tuple[Named, ...]
    text: str
    in_appendix: bool = False  # only announced in the §: the text is in an appendix
    appendix: str = ""


@dataclass(frozen=True)
class ItemSnapshot:
    number: int
    position: int
    title: str
    subtitle: str = ""
    dnr: str = ""
    decision: str = ""
    matter: str = ""
    base_proposal: str = "förvaltningens förslag"
    report_date: datetime.date | None = None
    report_wording: str = ""
    confidential: bool = False
    public_heading: str = ""
    immediately_adjusted: bool = False
    prepared_proposal: str = ""
    basis: tuple[str, ...] = ()  # the documents the decision rests on, a line each
    speakers: tuple[PersonRef, ...] = ()  # who spoke, in the order of the roll
    recipients: tuple[str, ...] = ()  # who the decision is sent to, a line each
    motions: tuple[MotionData, ...] = ()
    propositions: tuple[PropositionData, ...] = ()
    recusals: tuple[RecusalData, ...] = ()
    reservations: tuple[ReservationData, ...] = ()
    statements: tuple[StatementData, ...] = ()
    serving: tuple[PersonRef, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.title}. {self.subtitle}" if self.subtitle else self.title

    @property
    def decision_points(self) -> list[str]:
        return points.decision_points(self.decision)

    @property
    def matter_paragraphs(self) -> list[str]:
        return paragraphs(self.matter)

    @property
    def dnrs(self) -> list[str]:
        return dnr_numbers(self.dnr)

    def motion(self, motion_id: int | None) -> MotionData | None:
        return next((m for m in self.motions if m.id == motion_id), None)


@dataclass(frozen=True)
class AttendanceData:
    person: PersonRef
    function: str
    replaces: PersonRef | None = None
    from_number: int | None = None
    to_number: int | None = None
    title: str = ""
    from_time: datetime.time | None = None
    to_time: datetime.time | None = None


@dataclass(frozen=True)
class ProtocolSnapshot:
    committee_name: str
    committee_short_name: str
    municipality: str
    seats: int
    quorum: int
    protocol_kept_at: str
    style: HouseStyle
    meeting_id: int
    number: int
    date: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    place: str
    status: str
    chair: PersonRef | None
    secretary: PersonRef | None
    adjusters: tuple[PersonRef, ...]
    adjustment_at: datetime.datetime | None
    adjustment_place: str
    attendance: tuple[AttendanceData, ...]
    items: tuple[ItemSnapshot, ...] = field(default=())
    adjustment_date_only: bool = False  # the adjustment has a day, not a time

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def chair_id(self) -> int | None:
        return self.chair.id if self.chair else None

    @property
    def adjustment_deadline(self) -> datetime.date:
        return self.date + datetime.timedelta(days=ADJUSTMENT_DAYS)

    def item(self, number: int) -> ItemSnapshot:
        for item in self.items:
            if item.number == number:
                return item
        raise KeyError(f"The meeting has no § {number}")


@dataclass
class MeetingRows:
    """What a snapshot is made from, as read: the meeting's model rows, those of each § by § id.

    The § editor builds its forms from the same rows its preview is made from, so that one
    read serves both.
    """

    meeting: Meeting
    memberships: dict[int, Membership]  # by person id: the highest office held on the meeting day
    items: list[Item]  # the §§ read, in order
    position_of: dict[int, int]  # every § of the meeting, by id
    number_of: dict[int, int]
    attendance: list[Attendance]  # with their person and replaces
    presences: list[Presence]
    adjusters: list[Adjuster]
    motions: dict[int, list[Motion]]
    movers: dict[int, list[MotionMover]]  # by motion id
    propositions: dict[int, list[Proposition]]
    ballots: dict[int, list[Ballot]]  # by proposition id
    recusals: dict[int, list[Recusal]]  # with their person and substitute
    reservations: dict[int, list[Reservation]]
    reservers: dict[int, list[ReservationMember]]  # by reservation id
    statements: dict[int, list[Statement]]
    authors: dict[int, list[StatementAuthor]]  # by statement id


def grouped(rows, key: str) -> dict[int, list]:
    by_key: dict[int, list] = defaultdict(list)
    for row in rows:
        by_key[getattr(row, key)].append(row)
    return by_key


def read_meeting(meeting: Meeting | int, *, numbers: Iterable[int] | None = None, fresh: bool = True) -> MeetingRows:
    """Read a meeting in a fixed number of queries (14), whatever its size; only the §§ `numbers` if given.

    With `fresh=False` the Meeting given, just read with its committee, chair and secretary by the
    caller, is used as it is (13 queries).
    """
    if fresh or not isinstance(meeting, Meeting):
        meeting_id = meeting.pk if isinstance(meeting, Meeting) else meeting
        meeting = Meeting.objects.select_related("committee__house_style", "chair", "secretary").get(pk=meeting_id)

    memberships: dict[int, Membership] = {}
    for membership in Membership.objects.on(meeting.date).filter(committee=meeting.committee).select_related("party"):
        held = memberships.get(membership.person_id)
        if held is None or ROLE_RANK.index(membership.role) < ROLE_RANK.index(held.role):
            memberships[membership.person_id] = membership

    every_item = list(Item.objects.filter(meeting=meeting).order_by("position"))
    position_of = {item.pk: item.position for item in every_item}
    if numbers is None:
        items = every_item
    else:
        wanted = set(numbers)
        items = [item for item in every_item if item.number in wanted]
    item_ids = [item.pk for item in items]

    attendance = list(
        Attendance.objects.filter(meeting=meeting).select_related("person", "replaces").order_by("position", "id")
    )
    return MeetingRows(
        meeting=meeting,
        memberships=memberships,
        items=items,
        position_of=position_of,
        number_of={item.pk: item.number for item in every_item},
        attendance=attendance,
        presences=[
            Presence(
                person_id=row.person_id,
                function=row.function,
                replaces_id=row.replaces_id,
                first=first,
                last=last,
            )
            for row in attendance
            for first, last in [
                span(
                    position_of.get(row.from_item_id),
                    position_of.get(row.to_item_id),
                    row.from_time,
                    row.to_time,
                    row.pending_from_number,
                )
            ]
        ],
        adjusters=list(Adjuster.objects.filter(meeting=meeting).select_related("person")),
        motions=grouped(Motion.objects.filter(item_id__in=item_ids).order_by("position", "id"), "item_id"),
        movers=grouped(MotionMover.objects.filter(motion__item_id__in=item_ids).select_related("person"), "motion_id"),
        propositions=grouped(Proposition.objects.filter(item_id__in=item_ids).order_by("position", "id"), "item_id"),
        ballots=grouped(
            Ballot.objects.filter(proposition__item_id__in=item_ids).select_related("person").order_by("id"),
            "proposition_id",
        ),
        recusals=grouped(
            Recusal.objects.filter(item_id__in=item_ids).select_related("person", "substitute").order_by("id"),
            "item_id",
        ),
        reservations=grouped(Reservation.objects.filter(item_id__in=item_ids).order_by("position", "id"), "item_id"),
        reservers=grouped(
            ReservationMember.objects.filter(reservation__item_id__in=item_ids).select_related("person"),
            "reservation_id",
        ),
        statements=grouped(Statement.objects.filter(item_id__in=item_ids).order_by("position", "id"), "item_id"),
        authors=grouped(
            StatementAuthor.objects.filter(statement__item_id__in=item_ids).select_related("person"),
            "statement_id",
        ),
    )


def build_snapshot(meeting: Meeting | int, *, numbers: Iterable[int] | None = None) -> ProtocolSnapshot:
    """Read a whole meeting in a fixed number of queries (14), whatever its size.

    With `numbers`, only those §§ are read into `items` (the § editor's preview and checks need
    one): each is exactly as in the whole snapshot, and the meeting and its roll are whole too,
    but the rest of the protocol is missing, so such a snapshot is never rendered as one.
    """
    return snapshot_of(read_meeting(meeting, numbers=numbers))


def snapshot_of(rows: MeetingRows) -> ProtocolSnapshot:
    """The frozen snapshot of what `read_meeting` read; no query."""
    meeting = rows.meeting
    committee = meeting.committee
    memberships = rows.memberships

    def ref(person) -> PersonRef:
        membership = memberships.get(person.pk)
        party = membership.party.abbreviation if membership and membership.party else ""
        return PersonRef(person.pk, person.first_name, person.last_name, party, membership.role if membership else "")

    def ref_or_none(person) -> PersonRef | None:
        return ref(person) if person is not None else None

    def named(rows) -> tuple[Named, ...]:
        return tuple(Named(ref(row.person), row.with_others) for row in rows)

    people = {row.person_id: ref(row.person) for row in rows.attendance}
    seats = {person_id: membership.position for person_id, membership in memberships.items()}
    for item_recusals in rows.recusals.values():
        for recusal in item_recusals:
            people.setdefault(recusal.person_id, ref(recusal.person))
            if recusal.substitute:
                people.setdefault(recusal.substitute_id, ref(recusal.substitute))

    def item_snapshot(item: Item) -> ItemSnapshot:
        item_recusals = rows.recusals.get(item.pk, [])
        replacements = [Replacement(r.person_id, r.substitute_id) for r in item_recusals]
        serving = roll_order(
            serving_ids(rows.presences, replacements, item.position), rows.presences, replacements, seats, item.position
        )
        return ItemSnapshot(
            number=item.number,
            position=item.position,
            title=item.title,
            subtitle=item.subtitle,
            dnr=item.dnr,
            decision=item.decision,
            matter=item.matter,
            base_proposal=item.base_proposal,
            report_date=item.report_date,
            report_wording=item.report_wording,
            confidential=item.confidential,
            public_heading=item.public_heading,
            immediately_adjusted=item.immediately_adjusted,
            prepared_proposal=item.prepared_proposal,
            basis=tuple(lines(item.basis)),
            # A speaker is someone on the roll; one taken off it since is no longer among those who spoke.
            speakers=tuple(people[pid] for pid in item.speakers if pid in people),
            recipients=tuple(lines(item.recipients)),
            motions=tuple(
                MotionData(m.pk, m.kind, named(rows.movers.get(m.pk, ())), m.text, m.wording)
                for m in rows.motions.get(item.pk, [])
            ),
            propositions=tuple(
                PropositionData(
                    kind=p.kind,
                    outcome_id=p.outcome_id,
                    voted=p.voted,
                    yes_motion_id=p.yes_motion_id,
                    no_motion_id=p.no_motion_id,
                    casting_vote=p.casting_vote,
                    ballots=tuple(BallotData(ref(b.person), b.choice) for b in rows.ballots.get(p.pk, ())),
                    wording=p.wording,
                    rejected=p.rejected,
                    roll_call_appendix=p.roll_call_appendix,
                )
                for p in rows.propositions.get(item.pk, [])
            ),
            recusals=tuple(
                RecusalData(ref(r.person), r.left_room, ref_or_none(r.substitute), r.wording) for r in item_recusals
            ),
            reservations=tuple(
                ReservationData(named(rows.reservers.get(r.pk, ())), r.in_favour_of_id, r.text, r.wording, r.appendix)
                for r in rows.reservations.get(item.pk, [])
            ),
            statements=tuple(
                StatementData(s.kind, named(rows.authors.get(s.pk, ())), s.text, s.in_appendix, s.appendix)
                for s in rows.statements.get(item.pk, [])
            ),
            serving=tuple(people[pid] for pid in serving if pid in people),
        )

    return ProtocolSnapshot(
        committee_name=committee.name,
        committee_short_name=committee.short_name,
        municipality=committee.municipality,
        seats=committee.seats,
        quorum=committee.quorum,
        protocol_kept_at=committee.protocol_kept_at,
        style=HouseStyle.of(committee),
        meeting_id=meeting.pk,
        number=meeting.number,
        date=meeting.date,
        start_time=meeting.start_time,
        end_time=meeting.end_time,
        place=meeting.place,
        status=meeting.status,
        chair=ref_or_none(meeting.chair),
        secretary=ref_or_none(meeting.secretary),
        adjusters=tuple(ref(a.person) for a in rows.adjusters),
        adjustment_at=timezone.localtime(meeting.adjustment_at) if meeting.adjustment_at else None,
        adjustment_place=meeting.adjustment_place,
        adjustment_date_only=meeting.adjustment_date_only,
        attendance=tuple(
            AttendanceData(
                person=people[row.person_id],
                function=row.function,
                replaces=ref_or_none(row.replaces),
                from_number=rows.number_of.get(row.from_item_id, row.pending_from_number),
                to_number=rows.number_of.get(row.to_item_id, row.pending_to_number),
                title=row.title,
                from_time=row.from_time,
                to_time=row.to_time,
            )
            for row in rows.attendance
        ),
        items=tuple(item_snapshot(item) for item in rows.items),
    )
