"""The demo: a Stockholm district committee and the meeting whose § 10 is the seed protocol.

Everything the protocol says about movers, the procedure, the recusal and the reservation is
entered as records; only the prose a secretary would type is text.
"""

import contextlib
import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from committee.models import Committee, Membership, Party, Person, Role
from minutes import rules
from minutes.models import (
    Adjuster,
    Attendance,
    AttendanceFunction,
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
)
from minutes.models.item import paragraphs

PARTIES = [
    ("S", "Socialdemokraterna"),
    ("V", "Vänsterpartiet"),
    ("MP", "Miljöpartiet de gröna"),
    ("M", "Moderaterna"),
    ("L", "Liberalerna"),
    ("C", "Centerpartiet"),
    ("KD", "Kristdemokraterna"),
]

# (first name, last name, party, role), in the order of the roll.
ROLL = [
    ("Lars", "Bäck", "V", Role.CHAIR),
    ("Kjell", "Backman", "S", Role.FIRST_VICE_CHAIR),
    ("Arne", "Fredholm", "M", Role.SECOND_VICE_CHAIR),
    ("Mariana", "Moreira Duarte", "MP", Role.MEMBER),
    ("Peter", "Öberg", "L", Role.MEMBER),
    ("Anna", "Lindqvist", "S", Role.MEMBER),
    ("Johan", "Sundberg", "S", Role.MEMBER),
    ("Karin", "Holm", "M", Role.MEMBER),
    ("Erik", "Nyström", "M", Role.MEMBER),
    ("Sofia", "Bergqvist", "C", Role.MEMBER),
    ("Maria", "Ekdahl", "V", Role.MEMBER),
    ("Eva", "Lund", "S", Role.SUBSTITUTE),
    ("Mats", "Hedlund", "M", Role.SUBSTITUTE),
    ("Fatima", "Ali", "MP", Role.SUBSTITUTE),
    ("Gustav", "Åberg", "L", Role.SUBSTITUTE),
    ("Lena", "Fors", "V", Role.SUBSTITUTE),
    ("Olof", "Strand", "M", Role.SUBSTITUTE),
    ("Sara", "Nordin", "C", Role.SUBSTITUTE),
    ("Henrik", "Dahl", "KD", Role.SUBSTITUTE),
]

SEED_TITLE = "Strategi för Stockholm som smart och uppkopplad stad"
SEED_SUBTITLE = "Svar på remiss från kommunstyrelsen"
SEED_DECISION = (
    "Stadsdelsnämnden överlämnar förvaltningens tjänsteutlåtande som svar på remissen av förslag till "
    "strategi för Stockholm som smart och uppkopplad stad."
)
SEED_MATTER = """\
Kommunstyrelsen har i budget 2016 fått i uppdrag att i samverkan med AB Stokab (Stockholms stads
IT-infrastrukturbolag), miljö- och hälsoskyddsnämnden och trafiknämnden ta fram en strategi för
Stockholm som smart och uppkopplad stad.

Förvaltningen ställer sig positiv till förslaget till strategi för Stockholm som smart och uppkopplad
stad. Förvaltningen ser stor potential att genom digitalisering och nya smarta lösningar kunna förenkla
och förbättra tjänster inom det sociala området."""
SEED_LIBERAL_TEXT = """\
1. Stadsdelsnämnden överlämnar förvaltningens tjänsteutlåtande som svar på remissen av förslag till
strategi för Stockholm som smart och uppkopplad stad.

2. Stadsdelsnämnden anför därutöver följande.

Liberalerna har länge drivit frågan om ett uppkopplat och smart Stockholm. 2010 genomfördes
Chydeniusinitiativet med syfte att Stockholm skulle bli världsledande vad det gällde öppenhet i de
offentliga arkiven, inte minst digitalt. Stockholm bör nu gå vidare med att öka tillgängligheten och
transparensen hos stadens förvaltningar. Beslut och information ska enkelt bli tillgängliga för
medborgarna, genom öppna arkiv, smarta e-tjänster och snabb service. Den digitala
informationsförsörjningen är mycket viktig ur ett demokratiskt perspektiv. Men digitaliseringen rymmer
så mycket mer än så.

Därför är det bra att Stockholms stad satsar på att använda nutida och framtida digitala möjligheter för
att göra livet ett enklare och bättre för invånare, företagare och besökare. Lika viktigt är det att
digitaliseringen också får genomslag inom stadens verksamheter. Stadens förvaltningar och bolag måste
bli bättre på att använda de möjligheter digitaliseringen ger och bidra till en smartare välfärd.

Medborgarna måste få större tillgång till och kontroll över den information som berör dem, samtidigt
som förvaltningarnas förmåga att använda datamängder på aggregerad nivå, med respekt för den personliga
integriteten, måste uppmärksammas. Tillgången till information kan leda till en verklig revolution
inom valfrihetsområdet, men då måste staden se till att den information som brukarna får är relevant,
korrekt och lättöverskådlig.

Möjligheterna att med hjälp av digital teknik anpassa allt från undervisning till äldreomsorg utifrån
den enskildes förutsättningar och behov är närmast oändliga. Det kräver dock moderna regelverk som
skyddar individens integritet och centrala kvalitetskrav utan att hämma nya metoder. Som Sveriges
största kommun och en av Europas storstäder måste Stockholm spela en avgörande roll i påverkansarbetet
för ändamålsenliga regelverk på nationell och europeisk nivå.

Staden måste utnyttja den kraft som ligger i Stockholmsregionens högskolor genom att till exempel
erbjuda möjligheter att testa nya metoder i form av examensarbeten. Medarbetarnas möjligheter att
testa och implementera nya idéer i verksamheten måste stärkas. Inte minst i upphandling måste
medarbetarnas synpunkter, perspektiv och arbetssätt tas tillvara. Staden måste hela tiden upprätthålla
en ledande kompetens på upphandlingsområdet för att med ett effektivt användande av skattemedel få
flexibla lösningar som fungerar för anställda och medborgare och som kan anpassas och utvecklas över
tid.

Stockholm ska vara en smart stad och ligga i framkant av det digitala innovationsarbetet."""

# The §§ around the seed's § 10: (title, subtitle, dnr, decision, confidential public heading or "").
OTHER_ITEMS = [
    (
        "Val av justerare samt justeringens tid och plats",
        "",
        "",
        "Nämnden utser Sofia Bergqvist (C) att jämte ordföranden justera dagens protokoll. Justeringen "
        "sker den 29 september 2016 kl. 15.00 på stadsdelsförvaltningen.",
        "",
    ),
    ("Fastställande av föredragningslistan", "", "", "Föredragningslistan fastställs.", ""),
    (
        "Anmälan av protokoll från pensionärsrådet och rådet för funktionshinderfrågor",
        "",
        "",
        "Protokollen läggs till handlingarna.",
        "",
    ),
    ("Anmälan av delegationsbeslut", "", "1.2.1-5/2016", "Anmälan läggs till handlingarna.", ""),
    (
        "Tertialrapport 2 2016",
        "",
        "1.2.1-301/2016",
        "Stadsdelsnämnden godkänner tertialrapport 2 för 2016.\n\n"
        "Stadsdelsnämnden överlämnar tertialrapporten till kommunstyrelsen.",
        "",
    ),
    (
        "Ansökan om bistånd enligt socialtjänstlagen",
        "",
        "",
        "Nämnden beslutar enligt förvaltningens förslag.",
        "Individärende enligt socialtjänstlagen",
    ),
    (
        "Program för förskolans utveckling 2016–2018",
        "",
        "1.5.1-288/2016",
        "Stadsdelsnämnden godkänner förvaltningens förslag till program för förskolans utveckling.",
        "",
    ),
    (
        "Upphandling av städtjänster",
        "",
        "1.4.2-250/2016",
        "Stadsdelsnämnden godkänner att förvaltningen genomför upphandlingen enligt tjänsteutlåtandet.",
        "",
    ),
    (
        "Medborgarförslag om fler parkbänkar längs Årstaviken",
        "",
        "1.6.1-310/2016",
        "Stadsdelsnämnden besvarar medborgarförslaget med förvaltningens tjänsteutlåtande.",
        "",
    ),
]
AFTER_ITEMS = [
    ("Anmälan av inkomna skrivelser", "", "", "Anmälan läggs till handlingarna.", ""),
    ("Frågor från ledamöterna", "", "", "Frågorna besvaras vid nästa sammanträde.", ""),
]

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "paragraf-demo"


def unwrapped(text: str) -> str:
    """The prose as a secretary types it: one line per paragraph, a blank line between."""
    return "\n\n".join(paragraphs(text))


# (role, username, the person it belongs to, or None): one account for each role in Paragraf.
DEMO_ACCOUNTS = [
    ("nämndsekreterare", "helena.wik", "Wik"),
    ("ordförande", "lars.back", "Bäck"),
    ("justerare", "sofia.bergqvist", "Bergqvist"),
    ("registrator", "registrator", None),
    ("ledamot", "peter.oberg", "Öberg"),
]


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, username, password) for the accounts the demo creates."""
    return [("administratör", DEMO_USERNAME, DEMO_PASSWORD)] + [
        (role, username, DEMO_PASSWORD) for role, username, _last in DEMO_ACCOUNTS
    ]


def _accounts(committee: Committee, people: dict[str, Person]) -> None:
    User = get_user_model()
    for role, username, last in DEMO_ACCOUNTS:
        person = people.get(last) if last else None
        user = User.objects.create_user(
            username,
            f"{username}@example.invalid",
            DEMO_PASSWORD,
            first_name=person.first_name if person else "Rut",
            last_name=person.last_name if person else "Registrator",
        )
        if person is not None:
            person.user = user
            person.save(update_fields=["user"])
        if role == "nämndsekreterare":
            committee.secretaries.add(user)
        if role == "registrator":
            committee.clerks.add(user)


@transaction.atomic
def load_demo() -> Meeting:
    committee = Committee.objects.create(
        name="Årstadals stadsdelsnämnd",
        short_name="Årstadal SDN",
        slug="arstadal",
        municipality="Stockholms stad",
        seats=11,
        protocol_kept_at="Årstadals stadsdelsförvaltning, Årstadalsvägen 1, Stockholm",
    )
    parties = {
        abbr: Party.objects.get_or_create(abbreviation=abbr, defaults={"name": name})[0] for abbr, name in PARTIES
    }
    term_start = datetime.date(2015, 1, 1)
    people: dict[str, Person] = {}
    for position, (first, last, party, role) in enumerate(ROLL):
        person = Person.objects.create(first_name=first, last_name=last)
        Membership.objects.create(
            person=person,
            committee=committee,
            party=parties[party],
            role=role,
            start=term_start,
            end=datetime.date(2018, 12, 31),
            position=position,
        )
        people[last] = person
    secretary = Person.objects.create(first_name="Helena", last_name="Wik")
    people["Wik"] = secretary
    director = Person.objects.create(first_name="Birgitta", last_name="Sjö")

    meeting = Meeting.objects.create(
        committee=committee,
        number=9,
        date=datetime.date(2016, 9, 22),
        start_time=datetime.time(18, 0),
        end_time=datetime.time(20, 5),
        place="Årstadals stadsdelsförvaltning, sammanträdesrummet",
        chair=people["Bäck"],
        secretary=secretary,
        adjustment_at=timezone.make_aware(datetime.datetime(2016, 9, 29, 15, 0)),
        adjustment_place="Årstadals stadsdelsförvaltning",
    )
    Adjuster.objects.create(meeting=meeting, person=people["Bergqvist"], position=0)

    items = []
    rows = OTHER_ITEMS + [(SEED_TITLE, SEED_SUBTITLE, "1.5.1-392/2016", SEED_DECISION, "")] + AFTER_ITEMS
    for position, (title, subtitle, dnr, decision, public_heading) in enumerate(rows, start=1):
        items.append(
            Item.objects.create(
                meeting=meeting,
                position=position,
                number=position,
                title=title,
                subtitle=subtitle,
                dnr=dnr,
                decision=decision,
                confidential=bool(public_heading),
                public_heading=public_heading,
            )
        )
    seed = items[9]
    seed.matter = unwrapped(SEED_MATTER)
    seed.report_date = datetime.date(2016, 9, 1)
    seed.save()

    roll = [(last, role) for (_f, last, _p, role) in ROLL if role != Role.SUBSTITUTE]
    for position, (last, _role) in enumerate(roll):
        if last == "Holm":
            continue
        Attendance.objects.create(
            meeting=meeting, person=people[last], function=AttendanceFunction.SERVING, position=position
        )
    Attendance.objects.create(
        meeting=meeting,
        person=people["Hedlund"],
        function=AttendanceFunction.SERVING,
        replaces=people["Holm"],
        position=20,
    )
    for offset, last in enumerate(["Lund", "Åberg", "Fors"]):
        Attendance.objects.create(
            meeting=meeting,
            person=people[last],
            function=AttendanceFunction.NON_SERVING,
            position=30 + offset,
        )
    Attendance.objects.create(
        meeting=meeting,
        person=director,
        function=AttendanceFunction.OTHER,
        title="stadsdelsdirektör",
        position=40,
    )
    Attendance.objects.create(
        meeting=meeting,
        person=secretary,
        function=AttendanceFunction.OTHER,
        title="nämndsekreterare",
        position=41,
    )

    approve = Motion.objects.create(item=seed, position=0, kind=MotionKind.APPROVE)
    for position, (last, with_others) in enumerate([("Bäck", False), ("Backman", True), ("Moreira Duarte", True)]):
        MotionMover.objects.create(motion=approve, person=people[last], with_others=with_others, position=position)
    liberal = Motion.objects.create(
        item=seed, position=1, kind=MotionKind.APPROVE_WITH_TEXT, text=unwrapped(SEED_LIBERAL_TEXT)
    )
    MotionMover.objects.create(motion=liberal, person=people["Öberg"], position=0)
    Proposition.objects.create(item=seed, position=0, kind=PropositionKind.AGAINST_EACH_OTHER, outcome=approve)
    Recusal.objects.create(item=seed, person=people["Fredholm"], left_room=True)
    reservation = Reservation.objects.create(item=seed, position=0, in_favour_of=liberal)
    ReservationMember.objects.create(reservation=reservation, person=people["Öberg"], position=0)

    for item in items:
        rules.check_item(item)

    User = get_user_model()
    if not User.objects.filter(username=DEMO_USERNAME).exists():
        User.objects.create_superuser(DEMO_USERNAME, "admin@example.invalid", DEMO_PASSWORD)
    if not User.objects.filter(username=DEMO_ACCOUNTS[0][1]).exists():
        _accounts(committee, people)
    return meeting


def ensure_demo_certificate() -> None:
    """The demo seals with a self-signed certificate that says plainly it is a demo."""
    from django.conf import settings

    from minutes.seal.certificate import DEMO_ORGANISATION, create_organisation_certificate, default_common_name

    path = settings.PARAGRAF_SEAL_PKCS12
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):  # another process made it first
        create_organisation_certificate(
            path,
            settings.PARAGRAF_SEAL_PASSWORD,
            organisation=DEMO_ORGANISATION,
            common_name=default_common_name(DEMO_ORGANISATION, demo=True),
            demo=True,
        )


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@transaction.atomic
def publish_demo(meeting: Meeting, *, today: datetime.date | None = None) -> Meeting:
    """Adjust, seal and announce the § 10 meeting, and add a recent one whose appeal period still runs."""
    from minutes import adjustment

    ensure_demo_certificate()
    User = get_user_model()
    secretary, chair, adjuster, registrar = (
        User.objects.get(username=name) for name in ("helena.wik", "lars.back", "sofia.bergqvist", "registrator")
    )

    def adjust_and_announce(meeting: Meeting, adjusted_on: datetime.date, posted_on: datetime.date) -> None:
        round = adjustment.send_for_adjustment(meeting, user=secretary, now=_at(meeting.date, 21))
        adjustment.approve(round, user=chair, now=_at(adjusted_on, 15, 5))
        adjustment.approve(round, user=adjuster, now=_at(adjusted_on, 15, 20))
        adjustment.announce(meeting, user=registrar, posted_on=posted_on)

    adjust_and_announce(meeting, datetime.date(2016, 9, 29), datetime.date(2016, 9, 30))
    recent = _recent_meeting(meeting, today or timezone.localdate())
    adjust_and_announce(recent, recent.date + datetime.timedelta(days=6), recent.date + datetime.timedelta(days=7))
    return recent


RECENT_ITEMS = [
    (
        "Anmälan av delegationsbeslut",
        "",
        "Stadsdelsnämnden lägger anmälan av delegationsbeslut till handlingarna.",
    ),
    (
        "Trygghetsvandring i Årstadal",
        "Svar på medborgarförslag",
        "Stadsdelsnämnden överlämnar förvaltningens tjänsteutlåtande som svar på medborgarförslaget.",
    ),
    (
        "Anmälan av inkomna skrivelser",
        "",
        "Stadsdelsnämnden lägger skrivelserna till handlingarna.",
    ),
]


def _recent_meeting(earlier: Meeting, today: datetime.date) -> Meeting:
    """A meeting nine days ago, in the current term, adjusted and announced within the law's days."""
    committee = earlier.committee
    term_start = datetime.date(2019, 1, 1)
    for membership in Membership.objects.filter(committee=committee, end=datetime.date(2018, 12, 31)):
        Membership.objects.create(
            person=membership.person,
            committee=committee,
            party=membership.party,
            role=membership.role,
            start=term_start,
            position=membership.position,
        )
    date = today - datetime.timedelta(days=9)
    number = (Meeting.objects.filter(committee=committee, date__year=date.year).count()) + 1
    meeting = Meeting.objects.create(
        committee=committee,
        number=number,
        date=date,
        start_time=datetime.time(18, 0),
        end_time=datetime.time(19, 10),
        place=earlier.place,
        chair=earlier.chair,
        secretary=earlier.secretary,
        adjustment_at=_at(date + datetime.timedelta(days=6), 15),
        adjustment_place=earlier.adjustment_place,
    )
    for adjuster in earlier.adjusters.all():
        Adjuster.objects.create(meeting=meeting, person=adjuster.person, position=adjuster.position)
    members = Membership.objects.on(date).filter(committee=committee).exclude(role=Role.SUBSTITUTE)
    for position, membership in enumerate(members.order_by("position")):
        Attendance.objects.create(
            meeting=meeting, person=membership.person, function=AttendanceFunction.SERVING, position=position
        )
    Attendance.objects.create(
        meeting=meeting,
        person=earlier.secretary,
        function=AttendanceFunction.OTHER,
        title="nämndsekreterare",
        position=40,
    )
    for position, (title, subtitle, decision) in enumerate(RECENT_ITEMS, start=1):
        item = Item.objects.create(
            meeting=meeting, position=position, number=position, title=title, subtitle=subtitle, decision=decision
        )
        rules.check_item(item)
    return meeting
