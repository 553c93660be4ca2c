"""Ten years of synthetic protocols for the benchmarks: 120 announced meetings, 4,000 §§, 300 people.

    .venv/bin/python bench/decade.py [--seed N] [--database NAME]   # default paragraf_bench_decade

The database is `paragraf_bench_decade` on the server of DATABASE_URL, or of the private cluster
under var/ without it (bench/benchdb.py); when it exists already, nothing is built. The portal,
search and OParl benches build it the same way when it is missing, and keep it.

Three committees (two district committees and a culture committee) meet four times a year from
2016 to 2025. Their members serve terms of four years (2015–2018, 2019–2022, 2023–2026); a
third of each roll goes on to the next term, a few of them for another party. 210 politicians
sit on the rolls and 90 officials attend as others present: 300 people.

Every § has a title drawn from a few hundred Swedish matters (a kind of matter, a topic, often
a place), a decision, two to four paragraphs of matter text (`bench/synthetic.py`'s sentences
plus one about the § itself), a Dnr, a motion to approve moved by the majority and the chair's
proposition. About 40 % are contested by an opposition motion with its own text, a third of
those end in a roll-call vote of all serving members, some in a reservation with its own text;
a few carry a special statement or a recusal, and 2 % are confidential (a social-services
matter, published by its heading only). The text comes from a fixed seed: the same seed builds
the same decade.

It is fast because it is not the product's path: rows are written with `bulk_create` (no
audit trail, no rule checks), each meeting is set to adjusted and then announced with a
queryset update (which PostgreSQL's triggers allow: they guard adjusted data, not the draft's
way there), and each gets a completed adjustment round and an announcement but no sealed PDF.
Then every meeting is indexed for search, as `announce()` does, and the database is vacuumed
and analysed, as autovacuum would do soon after.
"""

import argparse
import datetime
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

FIRST_YEAR, YEARS = 2016, 10
MEETINGS_PER_YEAR = 4
ITEMS = 4000
POLITICIANS, OFFICIALS = 210, 90
MEMBERS, SUBSTITUTES = 15, 15
TERMS = [(datetime.date(2015, 1, 1), datetime.date(2018, 12, 31))]
TERMS += [(datetime.date(2019, 1, 1), datetime.date(2022, 12, 31))]
TERMS += [(datetime.date(2023, 1, 1), datetime.date(2026, 12, 31))]
CONTINUING = 10  # of each committee's 30 seats, this many go to people from its previous roll
MONTHS = (2, 4, 9, 11)

COMMITTEES = [
    ("Norrviks stadsdelsnämnd", "Norrvik SDN", "norrvik", "Stadsdelsnämnden", "stadsdelsnämnden"),
    ("Söderåns stadsdelsnämnd", "Söderån SDN", "soderan", "Stadsdelsnämnden", "stadsdelsnämnden"),
    ("Kultur- och fritidsnämnden", "KFN", "kultur-fritid", "Kultur- och fritidsnämnden", "nämnden"),
]
# Seats per party in a committee of 15, for the majority (S, V, MP) and the opposition.
SEATS = {"S": 4, "V": 2, "MP": 2, "M": 3, "L": 1, "C": 1, "KD": 2}
MAJORITY = ("S", "V", "MP")

FIRST_NAMES = [
    "Anna",
    "Lars",
    "Karin",
    "Erik",
    "Maria",
    "Johan",
    "Eva",
    "Peter",
    "Sofia",
    "Mats",
    "Lena",
    "Anders",
    "Kristina",
    "Per",
    "Ingrid",
    "Nils",
    "Sara",
    "Oskar",
    "Fatima",
    "Ahmed",
    "Linnea",
    "Gustav",
    "Camilla",
    "Henrik",
    "Elin",
    "Jonas",
    "Amira",
    "Mikael",
    "Helena",
    "Olof",
    "Maja",
    "Ali",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Lindberg",
    "Jönsson",
    "Lindqvist",
    "Berg",
    "Bergström",
    "Lundberg",
    "Sandberg",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Eklund",
    "Björk",
    "Holm",
    "Bergqvist",
    "Nyström",
    "Löfgren",
    "Söderberg",
    "Blomqvist",
    "Hassan",
    "Öberg",
    "Åberg",
    "Ekdahl",
    "Fredholm",
    "Backman",
    "Hedlund",
    "Strand",
    "Nordin",
    "Dahl",
    "Yusuf",
    "Wester",
]

KINDS = [
    "Medborgarförslag om",
    "Motion om",
    "Remiss om",
    "Yttrande över förslag om",
    "Uppföljning av",
    "Upphandling av",
    "Handlingsplan för",
    "Riktlinjer för",
    "Program för",
    "Utredning om",
    "Ansökan om bidrag till",
    "Redovisning av arbetet med",
]
TOPICS = [
    "fiskeförbud",
    "parkbänkar",
    "gatubelysning",
    "förskoleplatser",
    "äldreboenden",
    "hemtjänst",
    "fritidsgårdar",
    "trygghetsvandringar",
    "lekplatser",
    "cykelbanor",
    "snöröjning",
    "biblioteksfilialer",
    "simhallar",
    "kulturskolan",
    "ekonomiskt bistånd",
    "feriejobb för ungdomar",
    "föreningsbidrag",
    "nattvandring",
    "parkeringsnorm",
    "dagvattenhantering",
    "stadsodling",
    "utomhusgym",
    "hundrastgårdar",
    "kollektivtrafik",
    "tillgänglighet för personer med funktionsnedsättning",
    "klimatanpassning",
    "bostadsbyggande",
    "säkra skolvägar",
    "ungdomsråd",
    "pensionärsråd",
    "språkcaféer",
    "våld i nära relationer",
    "missbruksvård",
    "hemlöshet",
    "brottsförebyggande arbete",
    "ekosystemtjänster",
    "badplatser",
    "båtplatser",
    "naturreservat",
    "konstnärlig gestaltning",
]
PLACES = [
    "Årstaviken",
    "Liljeholmen",
    "Hägersten",
    "Midsommarkransen",
    "Årstafältet",
    "Aspudden",
    "Västertorp",
    "Fruängen",
    "Telefonplan",
    "Gröndal",
    "Solberga",
    "Älvsjö",
]
SUBTITLES = [
    "Svar på remiss från kommunstyrelsen",
    "Yttrande till stadsbyggnadsnämnden",
    "Svar på remiss från trafiknämnden",
    "Yttrande till kommunstyrelsen",
    "Slutrapport",
]
# Matters every committee handles at (nearly) every meeting: (title, decision).
STANDING = [
    (
        "Val av justerare samt justeringens tid och plats",
        "{body} utser justerare att jämte ordföranden justera protokollet.",
    ),
    ("Fastställande av föredragningslistan", "Föredragningslistan fastställs."),
    ("Anmälan av delegationsbeslut", "Anmälan läggs till handlingarna."),
    ("Anmälan av inkomna skrivelser", "Skrivelserna läggs till handlingarna."),
]
YEARLY = [  # (month, title); {year} is the meeting's year
    (2, "Verksamhetsberättelse {previous}"),
    (4, "Tertialrapport 1 {year}"),
    (9, "Tertialrapport 2 {year}"),
    (11, "Verksamhetsplan och budget {next}"),
]
CONFIDENTIAL_HEADING = "Sekretessärende enligt OSL 26:1"


@dataclass(frozen=True)
class Decade:
    committees: int
    meetings: int
    items: int
    people: int
    confidential: int
    seconds: float


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "committee.settings")
    import django

    django.setup()


def item_counts(rng: random.Random, meetings: int, items: int) -> list[int]:
    """How many §§ each meeting has: between 20 and 48, adding up to `items`."""
    counts = [items // meetings] * meetings
    for index in rng.sample(range(meetings), items - sum(counts)):
        counts[index] += 1
    for _ in range(meetings * 3):
        giver, taker = rng.randrange(meetings), rng.randrange(meetings)
        moved = rng.randint(1, 4)
        if counts[giver] - moved >= 20 and counts[taker] + moved <= 48:
            counts[giver] -= moved
            counts[taker] += moved
    return counts


def build_decade(*, seed: int = 2016) -> Decade:
    """Build the decade into the current database, which must not have it yet; returns what it built."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from committee.models import Committee

    if Committee.objects.filter(slug=COMMITTEES[0][2]).exists():
        raise RuntimeError(f"The database already has the decade (committee {COMMITTEES[0][2]!r}).")
    started = time.perf_counter()
    rng = random.Random(seed)
    with transaction.atomic():
        user, _ = get_user_model().objects.get_or_create(username="decade-secretary")
        builder = _Builder(rng, user)
        builder.people_and_rolls()
        builder.meetings()
    with transaction.atomic():
        builder.announce_and_index()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would soon: fresh statistics, no dead rows
    return Decade(
        committees=len(COMMITTEES),
        meetings=len(builder.all_meetings),
        items=builder.item_total,
        people=len(builder.politicians) + len(builder.officials),
        confidential=builder.confidential,
        seconds=time.perf_counter() - started,
    )


class _Builder:
    def __init__(self, rng: random.Random, user) -> None:
        self.rng, self.user = rng, user
        self.politicians: list = []
        self.officials: list = []
        self.rolls: dict[tuple[int, int], list] = {}  # (committee index, term index) -> memberships
        self.officials_of: dict[int, list] = {}
        self.all_meetings: list = []
        self.item_total = 0
        self.confidential = 0

    def people_and_rolls(self) -> None:
        from committee.models import Committee, Membership, Party, Person, Role
        from minutes.demo import PARTIES

        rng = self.rng
        self.parties = {a: Party.objects.get_or_create(abbreviation=a, defaults={"name": n})[0] for a, n in PARTIES}
        names = set()
        while len(names) < POLITICIANS + OFFICIALS:
            names.add((rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)))
        people = Person.objects.bulk_create(Person(first_name=first, last_name=last) for first, last in sorted(names))
        rng.shuffle(people)
        self.politicians, self.officials = people[:POLITICIANS], people[POLITICIANS:]
        self.committees = [
            Committee.objects.create(
                name=name, short_name=short, slug=slug, municipality="Stockholms stad", seats=MEMBERS, body_noun=noun
            )
            for name, short, slug, _body, noun in COMMITTEES
        ]
        self.bodies = [body for *_rest, body, _noun in COMMITTEES]
        for index in range(len(self.committees)):
            self.officials_of[index] = self.officials[index * 30 : (index + 1) * 30]

        fresh = iter(self.politicians)
        party_of: dict[int, str] = {}
        memberships = []
        for term, (start, end) in enumerate(TERMS):
            for index, committee in enumerate(self.committees):
                previous = self.rolls.get((index, term - 1), [])
                staying = rng.sample(previous, CONTINUING) if previous else []
                seats = [p for p, n in SEATS.items() for _ in range(n)]
                roll = []
                # The continuing keep their party (one in ten changes), the rest are new.
                for person in [m.person for m in staying]:
                    party = party_of[person.pk]
                    if rng.random() < 0.1:
                        party = rng.choice([p for p in SEATS if p != party])
                    party_of[person.pk] = party
                    roll.append((person, party))
                for _ in range(MEMBERS + SUBSTITUTES - len(roll)):
                    person = next(fresh)
                    party_of[person.pk] = rng.choice(seats)
                    roll.append((person, party_of[person.pk]))
                roll.sort(key=lambda pair: (pair[1] not in MAJORITY, pair[1]))
                members, substitutes = self._seat(roll, seats)
                term_roll = []
                for position, (person, party) in enumerate(members + substitutes):
                    role = Role.MEMBER if position < MEMBERS else Role.SUBSTITUTE
                    if position == 0:
                        role = Role.CHAIR
                    elif position == 1:
                        role = Role.FIRST_VICE_CHAIR
                    elif position == MEMBERS - 1:
                        role = Role.SECOND_VICE_CHAIR
                    term_roll.append(
                        Membership(
                            person=person,
                            committee=committee,
                            party=self.parties[party],
                            role=role,
                            start=start,
                            end=end,
                            position=position,
                        )
                    )
                memberships += term_roll
                self.rolls[(index, term)] = term_roll
        Membership.objects.bulk_create(memberships)

    def _seat(self, roll, seats):
        """Members by the parties' seats (majority first, the chair's party first of all), the rest substitutes."""
        wanted = {party: seats.count(party) for party in SEATS}
        members, substitutes = [], []
        for person, party in roll:
            if wanted.get(party, 0) > 0 and len(members) < MEMBERS:
                wanted[party] -= 1
                members.append((person, party))
            else:
                substitutes.append((person, party))
        while len(members) < MEMBERS:
            members.append(substitutes.pop(0))
        members.sort(key=lambda pair: (pair[1] not in MAJORITY, list(SEATS).index(pair[1])))
        return members, substitutes

    def meetings(self) -> None:
        from minutes.models import Meeting

        plan = [
            (index, year, number)
            for year in range(FIRST_YEAR, FIRST_YEAR + YEARS)
            for index in range(len(self.committees))
            for number in range(1, MEETINGS_PER_YEAR + 1)
        ]
        counts = item_counts(self.rng, len(plan), ITEMS)
        for (index, year, number), count in zip(plan, counts, strict=True):
            month = MONTHS[number - 1]
            date = datetime.date(year, month, 8 + 3 * index + self.rng.randint(0, 10))
            term = next(t for t, (start, end) in enumerate(TERMS) if start <= date <= end)
            roll = self.rolls[(index, term)]
            chair = roll[0].person
            meeting = Meeting.objects.create(
                committee=self.committees[index],
                number=number,
                date=date,
                start_time=datetime.time(18, 0),
                end_time=datetime.time(20, 30),
                place="Förvaltningens sammanträdesrum",
                chair=chair,
                secretary=self.officials_of[index][0],
                adjustment_place="Förvaltningen",
            )
            self.all_meetings.append(meeting)
            self._fill(meeting, index, roll, count)

    def _fill(self, meeting, index: int, roll, count: int) -> None:
        from synthetic import MATTER, OPINION, prose

        from minutes.models import (
            Adjuster,
            Attendance,
            AttendanceFunction,
            Ballot,
            BallotChoice,
            Item,
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

        rng = self.rng
        body = self.bodies[index]
        members, substitutes = list(roll[:MEMBERS]), list(roll[MEMBERS:])
        # Two members are away; a substitute of their party (or any) serves in their place.
        away = rng.sample(members[2:], 2)
        attendances, serving = [], []
        for position, membership in enumerate(members):
            if membership in away:
                same = [s for s in substitutes if s.party_id == membership.party_id] or substitutes
                stand_in = same[0]
                substitutes = [s for s in substitutes if s is not stand_in]
                attendances.append(
                    Attendance(
                        meeting=meeting,
                        person=stand_in.person,
                        function=AttendanceFunction.SERVING,
                        replaces=membership.person,
                        position=20 + position,
                    )
                )
                serving.append((stand_in.person, membership.party_id))
            else:
                attendances.append(
                    Attendance(
                        meeting=meeting,
                        person=membership.person,
                        function=AttendanceFunction.SERVING,
                        position=position,
                    )
                )
                serving.append((membership.person, membership.party_id))
        for offset, membership in enumerate(substitutes[:4]):
            attendances.append(
                Attendance(
                    meeting=meeting,
                    person=membership.person,
                    function=AttendanceFunction.NON_SERVING,
                    position=40 + offset,
                )
            )
        for offset, official in enumerate([self.officials_of[index][0], *rng.sample(self.officials_of[index][1:], 3)]):
            attendances.append(
                Attendance(
                    meeting=meeting,
                    person=official,
                    function=AttendanceFunction.OTHER,
                    title="nämndsekreterare" if offset == 0 else "handläggare",
                    position=60 + offset,
                )
            )
        Attendance.objects.bulk_create(attendances)
        Adjuster.objects.create(meeting=meeting, person=members[-1].person, position=0)

        majority = [p for p, party in serving if self._abbreviation(party) in MAJORITY]
        opposition = [p for p, party in serving if self._abbreviation(party) not in MAJORITY]
        year = meeting.date.year
        items = []
        for number in range(1, count + 1):
            title, subtitle, decision, confidential = self._matter(meeting, number, count, body)
            topic_sentence = f"Ärendet gäller {title[0].lower()}{title[1:]}."
            items.append(
                Item(
                    meeting=meeting,
                    position=number,
                    number=number,
                    title=title,
                    subtitle=subtitle,
                    dnr=f"{rng.randint(1, 9)}.{rng.randint(1, 6)}.{rng.randint(1, 3)}-{rng.randint(1, 999)}/{year}",
                    decision=decision,
                    matter=topic_sentence + " " + prose(rng, MATTER, rng.randint(2, 4), (1, 3)),
                    report_date=meeting.date - datetime.timedelta(days=rng.randint(14, 30)),
                    confidential=confidential,
                    public_heading=CONFIDENTIAL_HEADING if confidential else "",
                )
            )
            self.confidential += confidential
        Item.objects.bulk_create(items)
        self.item_total += len(items)

        motions, plan = [], []
        for item in items:
            contested = item.number > 2 and rng.random() < 0.4
            approve = Motion(item=item, position=0, kind=MotionKind.APPROVE)
            motions.append(approve)
            against = None
            if contested:
                kind = rng.choice([MotionKind.REJECT, MotionKind.APPROVE_WITH_TEXT, MotionKind.OWN_PROPOSAL])
                text = prose(rng, OPINION, 1, (1, 3)) if kind != MotionKind.REJECT else ""
                against = Motion(item=item, position=1, kind=kind, text=text)
                motions.append(against)
            plan.append((item, approve, against))
        Motion.objects.bulk_create(motions)

        movers, propositions, votes, reservations, statements, recusals = [], [], [], [], [], []
        for item, approve, against in plan:
            first_movers = rng.sample(majority, min(len(majority), rng.randint(1, 3)))
            movers += [MotionMover(motion=approve, person=p, position=n) for n, p in enumerate(first_movers)]
            recused = None
            if rng.random() < 0.02:
                recused = rng.choice(opposition)
                recusals.append(Recusal(item=item, person=recused, left_room=True))
            if against is None:
                propositions.append(Proposition(item=item, kind=PropositionKind.SINGLE, outcome=approve))
                continue
            others = [p for p in opposition if p != recused]
            against_movers = rng.sample(others, min(len(others), rng.randint(1, 2)))
            movers += [MotionMover(motion=against, person=p, position=n) for n, p in enumerate(against_movers)]
            voted = rng.random() < 0.33
            proposition = Proposition(
                item=item,
                kind=PropositionKind.AGAINST_EACH_OTHER,
                outcome=approve,
                voted=voted,
                yes_motion=approve if voted else None,
                no_motion=against if voted else None,
            )
            propositions.append(proposition)
            if voted:
                votes.append((proposition, majority, others))
            if rng.random() < 0.4:
                text = prose(rng, OPINION, rng.randint(1, 2), (1, 2)) if rng.random() < 0.6 else ""
                reservations.append((Reservation(item=item, in_favour_of=against, text=text), against_movers))
            if rng.random() < 0.15:
                author = rng.choice(others or majority)
                note = Statement(item=item, kind=StatementKind.SPECIAL, text=prose(rng, OPINION, 1, (1, 2)))
                statements.append((note, author))
        MotionMover.objects.bulk_create(movers)
        Proposition.objects.bulk_create(propositions)
        Recusal.objects.bulk_create(recusals)
        Ballot.objects.bulk_create(
            Ballot(proposition=proposition, person=person, choice=choice)
            for proposition, yes, no in votes
            for people, choice in ((yes, BallotChoice.YES), (no, BallotChoice.NO))
            for person in people
        )
        Reservation.objects.bulk_create(r for r, _ in reservations)
        ReservationMember.objects.bulk_create(
            ReservationMember(reservation=r, person=p, position=n)
            for r, people in reservations
            for n, p in enumerate(people)
        )
        Statement.objects.bulk_create(s for s, _ in statements)
        StatementAuthor.objects.bulk_create(
            StatementAuthor(statement=s, person=a, with_others=True) for s, a in statements
        )

    def _abbreviation(self, party_id: int) -> str:
        return next(a for a, party in self.parties.items() if party.pk == party_id)

    def _matter(self, meeting, number: int, count: int, body: str) -> tuple[str, str, str, bool]:
        """Title, subtitle, decision and whether the § is confidential."""
        from synthetic import DECISIONS

        rng = self.rng
        year = meeting.date.year
        if number <= len(STANDING) - 2:
            title, decision = STANDING[number - 1]
            return title, "", decision.format(body=body), False
        if number == 3:
            for month, title in YEARLY:
                if month == meeting.date.month:
                    text = title.format(year=year, previous=year - 1, next=year + 1)
                    return text, "", f"{body} godkänner förvaltningens förslag till {text.lower()}.", False
        if number >= count - 1:
            title, decision = STANDING[2 + count - number]
            return title, "", decision.format(body=body), False
        if rng.random() < 0.02:
            return "Ärende enligt socialtjänstlagen", "Beslut om insats", f"{body} beviljar insatsen.", True
        topic = rng.choice(TOPICS)
        title = f"{rng.choice(KINDS)} {topic}"
        if rng.random() < 0.6:
            title += f" i {rng.choice(PLACES)}"
        subtitle = rng.choice(SUBTITLES) if rng.random() < 0.3 else ""
        decision = rng.choice(DECISIONS).replace("Stadsdelsnämnden", body)
        if rng.random() < 0.5:
            decision += f"\n\n{body} ger förvaltningen i uppdrag att följa upp arbetet med {topic}."
        return title, subtitle, decision, False

    def announce_and_index(self) -> None:
        from django.utils import timezone

        from minutes import deadlines
        from minutes.models import AdjustmentRound, Announcement, Meeting, MeetingStatus, RoundState
        from minutes.models.search import index_meeting

        pks = [meeting.pk for meeting in self.all_meetings]
        Meeting.objects.filter(pk__in=pks).update(status=MeetingStatus.ADJUSTED)
        Meeting.objects.filter(pk__in=pks).update(status=MeetingStatus.ANNOUNCED)
        rounds, announcements = [], []
        for meeting in self.all_meetings:
            adjusted = meeting.date + datetime.timedelta(days=7)
            at = timezone.make_aware(datetime.datetime.combine(adjusted, datetime.time(15, 0)))
            round = AdjustmentRound(
                meeting=meeting,
                state=RoundState.COMPLETED,
                opened_at=at - datetime.timedelta(days=6),
                opened_by=self.user,
                closed_at=at,
                closed_by=self.user,
            )
            rounds.append(round)
            posted = adjusted + datetime.timedelta(days=1)
            announcements.append(
                Announcement(
                    round=round,
                    meeting=meeting,
                    adjusted_on=adjusted,
                    posted_on=posted,
                    appeal_ends_on=deadlines.appeal_ends(posted),
                    take_down_on=deadlines.take_down_on(posted),
                    kept_at="Förvaltningen",
                    announced_by=self.user,
                    announced_at=at + datetime.timedelta(days=1),
                )
            )
        AdjustmentRound.objects.bulk_create(rounds)
        Announcement.objects.bulk_create(announcements)
        for meeting in self.all_meetings:
            index_meeting(meeting)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument(
        "--database", help="the database's name (default paragraf_bench_decade, with the seed if not 2016)"
    )
    # bench/benchdb.py's child: migrate and build into the (new, empty) database DATABASE_URL names.
    parser.add_argument("--in-place", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.in_place:
        import benchdb

        name = args.database or benchdb.DECADE + ("" if args.seed == 2016 else f"_{args.seed}")
        with benchdb.decade(name, seed=args.seed):
            print(f"The decade is in {name}.")
        return 0
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    decade = build_decade(seed=args.seed)
    print(
        f"Built in {connection.settings_dict['NAME']}: {decade.committees} committees, "
        f"{decade.meetings} announced meetings, {decade.items} §§ ({decade.confidential} confidential), "
        f"{decade.people} people, indexed, in {decade.seconds:.1f} s.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
