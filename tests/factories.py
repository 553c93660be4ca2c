"""factory_boy factories for every model, and `serving_meeting` for a whole quorate meeting."""

import datetime

import factory
from django.db.models import Max

from committee.models import Committee, Membership, Party, Person, Role
from minutes.models import (
    Adjuster,
    Attendance,
    AttendanceFunction,
    Ballot,
    BallotChoice,
    Item,
    Meeting,
    Motion,
    MotionKind,
    MotionMover,
    Proposition,
    PropositionKind,
    Recusal,
    Reservation,
    ReservationMember,
    Statement,
    StatementAuthor,
    StatementKind,
)

FIRST_NAMES = ["Anna", "Lars", "Karin", "Johan", "Eva", "Mikael", "Maria", "Per", "Sara", "Erik", "Lena"]
LAST_NAMES = ["Andersson", "Bäck", "Öberg", "Lindqvist", "Fredholm", "Åkesson", "Nilsson", "Duarte", "Berg"]
PARTIES = [
    ("S", "Socialdemokraterna"),
    ("M", "Moderaterna"),
    ("V", "Vänsterpartiet"),
    ("MP", "Miljöpartiet"),
    ("L", "Liberalerna"),
    ("C", "Centerpartiet"),
    ("KD", "Kristdemokraterna"),
    ("SD", "Sverigedemokraterna"),
]


def next_position(meeting: Meeting) -> int:
    if meeting.pk is None:
        return 1
    return (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"Stadsdelsnämnd {n}")
    short_name = factory.Sequence(lambda n: f"SDN {n}")
    slug = factory.Sequence(lambda n: f"sdn-{n}")
    municipality = "Stockholm"
    seats = 13


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ["abbreviation"]

    abbreviation = factory.Sequence(lambda n: f"P{n}")
    name = factory.LazyAttribute(lambda party: f"Parti {party.abbreviation}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: FIRST_NAMES[n % len(FIRST_NAMES)])
    last_name = factory.Sequence(lambda n: LAST_NAMES[n % len(LAST_NAMES)])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    committee = factory.SubFactory(CommitteeFactory)
    party = factory.SubFactory(PartyFactory)
    role = Role.MEMBER
    position = factory.Sequence(lambda n: n)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    number = factory.Sequence(lambda n: n + 1)
    date = datetime.date(2016, 9, 20)
    start_time = datetime.time(18, 0)
    place = "Bromma stadsdelsförvaltning"


class ItemFactory(factory.django.DjangoModelFactory):
    """The next § of its meeting: position and number follow the last one."""

    class Meta:
        model = Item

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.LazyAttribute(lambda item: next_position(item.meeting))
    number = factory.LazyAttribute(lambda item: item.position)
    title = factory.Sequence(lambda n: f"Ärende {n}")
    dnr = factory.Sequence(lambda n: f"1.5.1-{n}/2016")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    function = AttendanceFunction.SERVING
    position = factory.Sequence(lambda n: n)


class AdjusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adjuster

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)


class MotionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Motion

    item = factory.SubFactory(ItemFactory)
    position = factory.Sequence(lambda n: n)
    kind = MotionKind.APPROVE


class MotionMoverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MotionMover

    motion = factory.SubFactory(MotionFactory)
    person = factory.SubFactory(PersonFactory)
    position = factory.Sequence(lambda n: n)


class PropositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposition

    item = factory.SubFactory(ItemFactory)
    position = factory.Sequence(lambda n: n)
    kind = PropositionKind.SINGLE


class BallotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ballot

    proposition = factory.SubFactory(PropositionFactory, voted=True)
    person = factory.SubFactory(PersonFactory)
    choice = BallotChoice.YES


class RecusalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recusal

    item = factory.SubFactory(ItemFactory)
    person = factory.SubFactory(PersonFactory)


class ReservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reservation

    item = factory.SubFactory(ItemFactory)
    position = factory.Sequence(lambda n: n)


class ReservationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReservationMember

    reservation = factory.SubFactory(ReservationFactory)
    person = factory.SubFactory(PersonFactory)
    position = factory.Sequence(lambda n: n)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    item = factory.SubFactory(ItemFactory)
    position = factory.Sequence(lambda n: n)
    kind = StatementKind.SPECIAL
    text = "Vi ser positivt på förslaget."


class StatementAuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatementAuthor

    statement = factory.SubFactory(StatementFactory)
    person = factory.SubFactory(PersonFactory)
    position = factory.Sequence(lambda n: n)


def serving_meeting(n_members: int = 13, n_items: int = 1, *, n_substitutes: int = 2, **committee) -> Meeting:
    """A draft meeting of a new committee with every member serving on every §.

    The first member chairs (and is the meeting's chair), the next two are vice chairs; the
    substitutes have memberships but no attendance. The committee has `n_members` seats
    unless `seats=` says otherwise; other keywords go to the committee (e.g. `numbering=`).
    """
    committee = CommitteeFactory(**{"seats": n_members, **committee})
    parties = [PartyFactory(abbreviation=abbreviation, name=name) for abbreviation, name in PARTIES[:4]]
    roles = [Role.CHAIR, Role.FIRST_VICE_CHAIR, Role.SECOND_VICE_CHAIR]
    members = [
        MembershipFactory(
            committee=committee,
            party=parties[index % len(parties)],
            role=roles[index] if index < len(roles) else Role.MEMBER,
            position=index,
        ).person
        for index in range(n_members)
    ]
    for index in range(n_substitutes):
        MembershipFactory(
            committee=committee,
            party=parties[index % len(parties)],
            role=Role.SUBSTITUTE,
            position=n_members + index,
        )
    meeting = MeetingFactory(committee=committee, number=1, chair=members[0] if members else None)
    for index, person in enumerate(members):
        AttendanceFactory(meeting=meeting, person=person, position=index)
    for _ in range(n_items):
        ItemFactory(meeting=meeting)
    return meeting
