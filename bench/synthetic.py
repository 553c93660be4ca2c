"""A realistic synthetic meeting for the benchmark: 40 §§ added to the demo committee by the ORM.

Every § has a decision, two to four paragraphs of matter, motions moved by serving members and
the chair's proposition; every 5th § ends in a roll-call vote of all serving members; some §§
carry a reservation with its own text, a few a minute note; one § has a recusal. Every § is
checked with `minutes.rules.check_item`, so the meeting is one the product itself would accept.
The text is drawn from a fixed seed, so every run builds the same protocol.

By default the demo's 11 serving members are copied; `add_meeting(demo, extra_members=4)`
first enlarges the demo committee to 15 seats (two more members for the majority, two for the
opposition) and lets them serve too, for the workspace bench's 40 §§ with 15 serving.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from committee.models import Membership, Party, Person, Role
from minutes import rules
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

ITEMS = 40
VOTE_EVERY = 5
RECUSAL_AT = 17  # Peter Öberg (L) is recused; Gustav Åberg (L) serves in his place

TITLES = [
    ("Val av justerare samt justeringens tid och plats", ""),
    ("Fastställande av föredragningslistan", ""),
    ("Tertialrapport 2 2016", "Verksamhet, ekonomi och personal"),
    ("Budgetjusteringar inom individ- och familjeomsorgen", ""),
    ("Program för förskolans utveckling 2016–2018", ""),
    ("Lokalförsörjningsplan för förskolan 2017–2021", ""),
    ("Upphandling av städtjänster", "Förfrågningsunderlag och utvärderingsmodell"),
    ("Upphandling av hemtjänst inom ramen för LOV", "Uppföljning av avtalade utförare"),
    ("Medborgarförslag om fler parkbänkar längs Årstaviken", ""),
    ("Medborgarförslag om belysning i Tantolundens gångtunnel", ""),
    ("Strategi för Stockholm som smart och uppkopplad stad", "Svar på remiss från kommunstyrelsen"),
    ("Program för ett jämställt Stockholm", "Svar på remiss från kommunstyrelsen"),
    ("Trafiksäkerhetsprogram för Stockholms stad", "Svar på remiss från trafiknämnden"),
    ("Parkeringsnorm för nya bostäder i Årstafältet", "Svar på remiss från stadsbyggnadsnämnden"),
    ("Detaljplan för kvarteret Sjövikshöjden", "Yttrande till stadsbyggnadsnämnden"),
    ("Handlingsplan mot våldsbejakande extremism", ""),
    ("Föreningsbidrag till Årstadals idrottsförening", "Ansökan om verksamhetsbidrag 2017"),
    ("Trygghetsvandringar i Liljeholmen och Årsta", "Redovisning av genomförda vandringar"),
    ("Plan för sommarjobb för ungdomar 2017", ""),
    ("Uppföljning av internkontrollplanen 2016", ""),
    ("Internkontrollplan 2017", ""),
    ("Kvalitetsberättelse för äldreomsorgen 2016", ""),
    ("Riktlinjer för biståndsbedömning inom äldreomsorgen", ""),
    ("Öppettider för Årstadals fritidsgård", "Förslag om utökade kvällsöppettider"),
    ("Skötselplan för Årstaskogen", "Yttrande till trafiknämnden"),
    ("Lokal överenskommelse om samverkan med polisen", ""),
    ("Fördelning av medel för stadsmiljöåtgärder 2017", ""),
    ("Riktlinjer för insatser till personer med funktionsnedsättning", ""),
    ("Handlingsplan för ökad digitalisering i verksamheten", ""),
    ("Anmälan av delegationsbeslut", "Individ- och familjeomsorgen"),
    ("Klagomål och synpunkter på verksamheten 2016", "Sammanställning och analys"),
    ("Verksamhetsplan för socialtjänstens öppenvård 2017", ""),
    ("Nämndens sammanträdestider 2017", ""),
    ("Arbetsmiljöredovisning 2016", "Systematiskt arbetsmiljöarbete"),
    ("Stadsdelsnämndens yttrande över budgetunderlaget 2017", ""),
    ("Lokalt utvecklingsprogram för Årstadal", "Slutrapport"),
    ("Hemlöshetsräkning 2016", "Redovisning till socialnämnden"),
    ("Uppdrag om kulturskolans verksamhet i stadsdelen", ""),
    ("Anmälan av inkomna skrivelser", ""),
    ("Frågor från ledamöterna", ""),
]

# The officials' voice: the matter (Ärendet).
MATTER = [
    "Förvaltningen har under våren genomfört en kartläggning av verksamhetens behov och av de resurser som "
    "finns att tillgå inom stadsdelsområdet.",
    "Underlaget har tagits fram i samråd med berörda enheter, det lokala pensionärsrådet och rådet för "
    "funktionshinderfrågor.",
    "Stadsdelsnämnden ansvarar enligt reglementet för att verksamheten bedrivs i enlighet med de mål och "
    "riktlinjer som kommunfullmäktige har fastställt.",
    "Förvaltningen bedömer att förslaget ryms inom den av kommunfullmäktige beslutade budgetramen för innevarande år.",
    "Kostnaderna beräknas uppgå till cirka 1,2 miljoner kronor per år och finansieras genom omfördelning "
    "inom befintlig ram.",
    "Ärendet har samverkats med de fackliga organisationerna i förvaltningsgruppen den 8 september 2016.",
    "Ett genomförande förutsätter att staden säkerställer en långsiktig finansiering och att "
    "ansvarsfördelningen mellan nämnderna tydliggörs.",
    "Förvaltningen ser positivt på att barn och unga ges möjlighet att påverka utformningen av de offentliga "
    "miljöerna i närområdet.",
    "Under perioden har antalet ansökningar ökat med drygt tolv procent jämfört med motsvarande period föregående år.",
    "Verksamheten följs upp löpande i stadens integrerade ledningssystem och redovisas för nämnden i samband "
    "med tertialrapporterna.",
    "Förvaltningen föreslår att nämnden godkänner förslaget och att uppdraget återrapporteras senast i december.",
    "Remissen omfattar även frågor om tillgänglighet, trygghet och jämställdhet i stadens planering.",
    "Synpunkter som har kommit in under medborgardialogen har sammanställts och bifogas tjänsteutlåtandet.",
    "Det finns enligt förvaltningens bedömning behov av ett fördjupat samarbete med fastighetsägare, "
    "civilsamhället och polisen.",
    "Förslaget bedöms inte medföra några konsekvenser för miljön utöver dem som redan har beskrivits i den "
    "fördjupade översiktsplanen.",
    "En övergång till det nya arbetssättet kan genomföras stegvis under 2017 utan att verksamheten påverkas negativt.",
    "Förvaltningen vill särskilt framhålla vikten av att äldre personer som bor kvar i det egna hemmet får "
    "stöd i rätt tid.",
    "Lokalbehovet inom förskolan väntas öka i takt med att nya bostäder färdigställs på Årstafältet och vid "
    "Liljeholmskajen.",
    "Enligt stadens riktlinjer ska upphandlade tjänster följas upp minst en gång per år med avseende på "
    "kvalitet och avtalstrohet.",
    "Förvaltningen har inte funnit skäl att frångå den bedömning som gjordes i samband med föregående års uppföljning.",
    "Nämndens ekonomiska resultat efter augusti visar ett underskott om 3,4 miljoner kronor, främst inom "
    "individ- och familjeomsorgen.",
    "Åtgärder har vidtagits för att minska kostnaderna för externa placeringar, bland annat genom en utökad öppenvård.",
    "Ärendet har beretts av förvaltningen tillsammans med trafikkontoret och exploateringskontoret.",
    "Ansvaret för skötseln av parkmarken inom området ligger sedan den 1 januari 2015 hos stadsdelsnämnden.",
    "Det är angeläget att stadens information till invånarna är tydlig, korrekt och finns tillgänglig på flera språk.",
    "Arbetet bedrivs i nära samverkan med skolan, socialtjänsten och fritidsverksamheten inom ramen för det "
    "lokala brottsförebyggande rådet.",
    "Förvaltningen avser att återkomma till nämnden med en fördjupad analys när de statliga riktlinjerna har "
    "fastställts.",
    "Sammantaget bedömer förvaltningen att förslaget bidrar till att uppfylla kommunfullmäktiges mål om en "
    "hållbar och demokratisk stad.",
    "Personalomsättningen inom hemtjänsten har minskat något under året, men sjukfrånvaron ligger fortfarande "
    "över stadens genomsnitt.",
    "Förvaltningens bedömning är att de föreslagna åtgärderna ger bättre förutsättningar för en likvärdig "
    "service i hela stadsdelsområdet.",
]

# The members' voice: own texts of motions, reservations and minute notes.
OPINION = [
    "Vi anser att förvaltningens förslag inte i tillräcklig grad tar hänsyn till de ekonomiska konsekvenserna "
    "för nämnden på längre sikt.",
    "Majoriteten har under mandatperioden prioriterat administration framför kärnverksamhet, och detta ärende "
    "är inget undantag.",
    "Vi vill i stället se en ökad valfrihet för de äldre och för barnfamiljerna i stadsdelsområdet.",
    "Det är anmärkningsvärt att förslaget saknar en analys av hur verksamheten ska följas upp och utvärderas.",
    "Stadsdelsnämnden borde ha gett förvaltningen i uppdrag att pröva alternativa driftsformer innan beslut fattas.",
    "Resurserna bör i första hand gå till de verksamheter som möter invånarna, såsom förskolan, "
    "äldreomsorgen och socialtjänsten.",
    "Vi delar uppfattningen att tryggheten i stadsdelen behöver öka, men de föreslagna åtgärderna är otillräckliga.",
    "Ett ansvarsfullt beslut hade förutsatt att ärendet återremitterades för en fullständig konsekvensanalys.",
    "Vår budget hade gett nämnden bättre förutsättningar att möta de ökade behoven utan att göra avkall på kvaliteten.",
    "Vi kommer att följa frågan noga och återkomma med egna förslag i det kommande budgetarbetet.",
    "Invånarnas synpunkter från medborgardialogen har inte fått det genomslag i förslaget som man hade kunnat "
    "förvänta sig.",
    "Det är därför som vi yrkade avslag på förvaltningens förslag och nu reserverar oss mot beslutet.",
    "Vi välkomnar att frågan har lyfts, men vill understryka att de anställdas arbetsmiljö måste vara en "
    "utgångspunkt i det fortsatta arbetet.",
    "Civilsamhällets organisationer är viktiga samarbetspartner och borde ha getts möjlighet att lämna "
    "synpunkter tidigare i processen.",
]

DECISIONS = [
    "Stadsdelsnämnden godkänner förvaltningens förslag.",
    "Stadsdelsnämnden överlämnar förvaltningens tjänsteutlåtande som svar på remissen.",
    "Stadsdelsnämnden ger förvaltningen i uppdrag att återrapportera arbetet i samband med tertialrapport 1 2017.",
    "Stadsdelsnämnden överlämnar ärendet till kommunstyrelsen.",
]

MAJORITY = ["Bäck", "Backman", "Moreira Duarte", "Lindqvist", "Sundberg", "Ekdahl"]  # V, S, MP
# Members added to the demo committee by `extra_members`, in turn: majority, opposition, ...
EXTRA_MEMBERS = [
    ("Ingrid", "Sandberg", "S"),
    ("Camilla", "Wester", "M"),
    ("Ahmed", "Yusuf", "V"),
    ("Nils", "Grahn", "KD"),
    ("Linnea", "Forsberg", "MP"),
    ("Oskar", "Dahl", "M"),
]
# Opposition motions in turn: (kind, first mover, further movers), all serving members.
OPPOSITION = [
    (MotionKind.REJECT, "Fredholm", ["Nyström"]),
    (MotionKind.APPROVE_WITH_TEXT, "Öberg", []),
    (MotionKind.OWN_PROPOSAL, "Bergqvist", []),
    (MotionKind.REJECT, "Nyström", ["Hedlund"]),
]


def prose(rng: random.Random, bank: list[str], paragraphs: int, sentences: tuple[int, int] = (2, 3)) -> str:
    """Paragraphs of whole sentences from the bank, separated by blank lines as a secretary types them."""
    return "\n\n".join(" ".join(rng.sample(bank, rng.randint(*sentences))) for _ in range(paragraphs))


def mover(motion: Motion, people: dict[str, Person], names: list[str], *, with_others: bool = False) -> None:
    for position, name in enumerate(names):
        MotionMover.objects.create(
            motion=motion, person=people[name], position=position, with_others=with_others and position > 0
        )


def enlarge_committee(demo: Meeting, extra_members: int) -> list[Person]:
    """Give the demo committee `extra_members` more seats and members, for the demo meeting's term."""
    if not 0 <= extra_members <= len(EXTRA_MEMBERS):
        raise ValueError(f"extra_members must be between 0 and {len(EXTRA_MEMBERS)}")
    committee = demo.committee
    last = Membership.objects.on(demo.date).filter(committee=committee).order_by("-position", "-id").first()
    added = []
    for offset, (first, last_name, party) in enumerate(EXTRA_MEMBERS[:extra_members], start=1):
        person = Person.objects.create(first_name=first, last_name=last_name)
        Membership.objects.create(
            person=person,
            committee=committee,
            party=Party.objects.get(abbreviation=party),
            role=Role.MEMBER,
            start=last.start,
            end=last.end,
            position=last.position + offset,
        )
        added.append(person)
    committee.seats += extra_members
    committee.save(update_fields=["seats"])
    return added


@transaction.atomic
def add_meeting(demo: Meeting, *, seed: int = 2016, extra_members: int = 0) -> Meeting:
    """Add meeting nr 10 of the demo committee: 40 §§, the demo meeting's attendance copied.

    With `extra_members`, that many members join the committee first and serve as well
    (11 + extra_members serving); the majority keeps its majority in every vote.
    """
    rng = random.Random(seed)
    extra = enlarge_committee(demo, extra_members)
    majority = MAJORITY + [p.last_name for p in extra[::2]]
    meeting = Meeting.objects.create(
        committee=demo.committee,
        number=demo.number + 1,
        date=demo.date + datetime.timedelta(days=28),
        start_time=datetime.time(18, 0),
        end_time=datetime.time(21, 40),
        place=demo.place,
        chair=demo.chair,
        secretary=demo.secretary,
        adjustment_at=timezone.make_aware(datetime.datetime(2016, 10, 27, 15, 0)),
        adjustment_place=demo.adjustment_place,
    )
    for row in demo.attendances.order_by("position", "id"):
        Attendance.objects.create(
            meeting=meeting,
            person=row.person,
            function=row.function,
            replaces=row.replaces,
            title=row.title,
            position=row.position,
        )
    serving_rows = demo.attendances.filter(function=AttendanceFunction.SERVING, replaces__isnull=True)
    last_member = serving_rows.order_by("-position").first().position
    for offset, person in enumerate(extra, start=1):
        Attendance.objects.create(
            meeting=meeting, person=person, function=AttendanceFunction.SERVING, position=last_member + offset
        )
    for row in demo.adjusters.all():
        Adjuster.objects.create(meeting=meeting, person=row.person, position=row.position)
    people = {p.last_name: p for p in Person.objects.filter(attendances__meeting=meeting)}

    for number in range(1, ITEMS + 1):
        title, subtitle = TITLES[number - 1]
        points = rng.randint(1, 2)
        item = Item.objects.create(
            meeting=meeting,
            position=number,
            number=number,
            title=title,
            subtitle=subtitle,
            dnr=f"1.{rng.randint(1, 6)}.{rng.randint(1, 3)}-{300 + number * 7}/2016",
            decision="\n\n".join(rng.sample(DECISIONS, points)),
            matter=prose(rng, MATTER, rng.randint(2, 4), (1, 2)),
            report_date=meeting.date - datetime.timedelta(days=rng.randint(14, 30)),
            immediately_adjusted=number == ITEMS,
        )
        if number == RECUSAL_AT:
            Recusal.objects.create(item=item, person=people["Öberg"], left_room=True, substitute=people["Åberg"])

        approve = Motion.objects.create(item=item, position=0, kind=MotionKind.APPROVE)
        mover(approve, people, ["Bäck", "Backman", "Moreira Duarte"], with_others=True)
        voted = number % VOTE_EVERY == 0
        contested = voted or number % 3 == 0 or number % 7 == 3
        if not contested:
            # Nobody moved against the proposal: the chair puts it alone.
            Proposition.objects.create(item=item, position=0, kind=PropositionKind.SINGLE, outcome=approve)
            rules.check_item(item)
            continue

        kind, first, others = OPPOSITION[number % len(OPPOSITION)]
        if number == RECUSAL_AT and first == "Öberg":
            kind, first, others = OPPOSITION[0]
        text = prose(rng, OPINION, 1, (1, 2)) if kind != MotionKind.REJECT else ""
        against = Motion.objects.create(item=item, position=2, kind=kind, text=text)
        mover(against, people, [first, *others], with_others=True)

        position = 0
        if number % 7 == 3:
            refer = Motion.objects.create(
                item=item, position=1, kind=MotionKind.REFER_BACK, text="en fördjupad konsekvensanalys"
            )
            mover(refer, people, ["Fredholm"], with_others=True)
            Proposition.objects.create(item=item, position=0, kind=PropositionKind.DECIDE_TODAY_OR_REFER)
            position = 1
        proposition = Proposition.objects.create(
            item=item,
            position=position,
            kind=PropositionKind.AGAINST_EACH_OTHER,
            outcome=approve,
            voted=voted,
            yes_motion=approve if voted else None,
            no_motion=against if voted else None,
        )
        reservers = [people[first], *(people[name] for name in others)]
        if voted:
            # The majority votes Ja, the opposition Nej; C abstains on some votes where it moved nothing.
            abstainer = "Bergqvist" if number % 10 == 0 and first != "Bergqvist" else None
            serving = Person.objects.filter(pk__in=rules.serving_on(item))
            for person in serving:
                if person.last_name in majority:
                    choice = BallotChoice.YES
                elif person.last_name == abstainer:
                    choice = BallotChoice.ABSTAIN
                else:
                    choice = BallotChoice.NO
                Ballot.objects.create(proposition=proposition, person=person, choice=choice)

        if (voted and number % 10 == 5) or number % 8 == 2:
            reservation = Reservation.objects.create(
                item=item, position=0, in_favour_of=against, text=prose(rng, OPINION, 2, (1, 2))
            )
            for order, person in enumerate(reservers):
                ReservationMember.objects.create(reservation=reservation, person=person, position=order)
        elif number % 4 == 1 and kind != MotionKind.REJECT:
            # A reservation without text of its own: the protocol prints the motion's text instead.
            reservation = Reservation.objects.create(item=item, position=0, in_favour_of=against)
            ReservationMember.objects.create(reservation=reservation, person=people[first], position=0)
        if number % 8 == 3:
            note = Statement.objects.create(
                item=item, position=0, kind=StatementKind.MINUTE_NOTE, text=prose(rng, OPINION, 1, (2, 3))
            )
            StatementAuthor.objects.create(statement=note, person=people["Ekdahl"], with_others=True)
        rules.check_item(item)
    return meeting
