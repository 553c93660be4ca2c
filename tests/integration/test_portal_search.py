"""The portal's search: relevance, filters, snippets, pagination, bad input, and no confidential § ever."""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from committee.models import Committee, Membership, Party, Person, Role
from minutes import services
from minutes.demo import load_demo, publish_demo
from minutes.models import (
    Ballot,
    BallotChoice,
    Item,
    Meeting,
    MeetingStatus,
    Motion,
    MotionKind,
    MotionMover,
    Proposition,
    PropositionKind,
    Reservation,
    ReservationMember,
    Statement,
    StatementAuthor,
    StatementKind,
)
from minutes.models.search import SearchEntry, index_meeting
from minutes.portal.search import PER_PAGE, Filters, search

pytestmark = pytest.mark.django_db

SECRET = "HEMLIGHETSFULL"
SEARCH = "/protokoll/sok/"


# A fixture of real-looking §§, in three announced meetings of two committees and one draft.


@dataclass
class Spec:
    title: str
    decision: str
    matter: str
    dnr: str
    subtitle: str = ""
    movers: tuple[str, ...] = ()
    voters: tuple[tuple[str, str], ...] = ()
    reservers: tuple[str, ...] = ()
    reservation_text: str = ""
    statement: tuple[str, str] | None = None
    public_heading: str = ""  # set for a confidential §


FISKEBY_2023 = [
    Spec(
        "Fiskeförbud i Årstaviken under lekperioden",
        "Stadsdelsnämnden tillstyrker länsstyrelsens förslag om fiskeförbud i Årstaviken 1 april–31 maj.",
        "Länsstyrelsen har remitterat ett förslag om fiskeförbud i Årstaviken för att skydda gösens lek. "
        "Förvaltningen delar bedömningen att beståndet behöver skyddas.",
        "1.2.3-101/2023",
        subtitle="Yttrande till länsstyrelsen",
        movers=("Bäck",),
    ),
    Spec(
        "Stadsdelsnämndens sammanträdestider 2024",
        "Nämnden fastställer sammanträdestiderna för 2024 enligt förvaltningens förslag.",
        "Sammanträdena föreslås äga rum på torsdagar klockan 18.00 i förvaltningens lokaler.",
        "1.1.1-102/2023",
    ),
    Spec(
        "Budget för förskolan 2024",
        "Stadsdelsnämnden godkänner fördelningen av budgeten för förskolan.",
        "Förskolans budget fördelas efter antalet inskrivna barn och barnens behov av särskilt stöd.",
        "1.4.1-103/2023",
        subtitle="Fördelning av resurser",
        movers=("Bäck",),
        voters=(("Bäck", BallotChoice.YES), ("Holm", BallotChoice.NO), ("Öberg", BallotChoice.NO)),
        reservers=("Holm",),
        reservation_text="Vi anser att resurserna borde gå direkt till barngrupperna.",
    ),
    Spec(
        "Lokalförsörjningsplan för förskolan 2024–2028",
        "Stadsdelsnämnden godkänner lokalförsörjningsplanen.",
        "Behovet av förskoleplatser ökar när nya bostäder byggs vid Årstafältet. "
        "Budgeten för lokaler räcker till två nya förskolor.",
        "1.4.2-104/2023",
    ),
    Spec(
        "Medborgarförslag om fler parkbänkar längs Årstaviken",
        "Stadsdelsnämnden bifaller medborgarförslaget.",
        "Förslagsställaren vill att fler parkbänkar ställs ut längs promenadstråket vid Årstaviken.",
        "1.5.1-105/2023",
    ),
    Spec(
        "Handlingsplan mot våldsbejakande extremism",
        "Stadsdelsnämnden antar handlingsplanen.",
        "Planen beskriver hur förvaltningen arbetar förebyggande mot våldsbejakande extremism "
        "tillsammans med skolan och polisen.",
        "1.6.1-106/2023",
        movers=("Öberg",),
        statement=("Öberg", "Liberalerna välkomnar planen men efterfrågar en tydligare uppföljning."),
    ),
    Spec(
        "Skötselplan för Årstaskogen",
        "Stadsdelsnämnden överlämnar tjänsteutlåtandet som svar på remissen.",
        "Skötselplanen omfattar även stränderna, där fiskeförbudet under lekperioden ska skyltas tydligt. "
        "Extremt torra somrar ställer nya krav på skogsvården.",
        "1.7.1-107/2023",
        subtitle="Yttrande till trafiknämnden",
    ),
    Spec(
        f"Ansökan om bistånd för {SECRET} familj vid Årstaviken",
        f"Beslut om {SECRET} insats, fiskeförbud och budget.",
        f"Ärendet gäller {SECRET} person vid Årstaviken och förskolan.",
        "1.9.9-999/2023",
        movers=("Holm",),
        voters=(("Bäck", BallotChoice.YES), ("Holm", BallotChoice.NO)),
        reservers=("Holm",),
        reservation_text=f"Reservation om {SECRET}.",
        public_heading="Sekretessärende enligt OSL 26:1",
    ),
    Spec(
        "Äldreomsorgens kvalitetsberättelse 2022",
        "Stadsdelsnämnden godkänner kvalitetsberättelsen.",
        "Brukarundersökningen visar att de flesta är nöjda med hemtjänsten.",
        "1.3.1-109/2023",
    ),
]

FISKEBY_2024 = [
    Spec(
        "Hemlöshetsräkning 2024",
        "Stadsdelsnämnden lägger redovisningen till handlingarna.",
        "Vid räkningen i mars fanns elva personer i akut hemlöshet i stadsdelsområdet.",
        "1.2.1-201/2024",
        subtitle="Redovisning till socialnämnden",
        movers=("Holm",),
        voters=(("Bäck", BallotChoice.YES), ("Holm", BallotChoice.YES), ("Öberg", BallotChoice.ABSTAIN)),
    ),
    Spec(
        "Trafiksäkerhetsprogram för Stockholms stad",
        "Stadsdelsnämnden överlämnar förvaltningens tjänsteutlåtande som svar på remissen.",
        "Programmet pekar ut skolvägar och parkstråk där hastigheten bör sänkas.",
        "1.2.2-202/2024",
        subtitle="Svar på remiss från trafiknämnden",
    ),
]

KULTUR_2024 = [
    Spec(
        "Kulturnämndens stöd till bibliotek",
        "Kulturnämnden beviljar stödet.",
        "Biblioteken i Årsta får förlängda öppettider.",
        "2.1.1-301/2024",
        movers=("Lund",),
    ),
    Spec(
        "Utställning om Årstavikens fiske",
        "Kulturnämnden godkänner utställningen.",
        "Utställningen visar fisket i Årstaviken genom tiderna, före och efter fiskeförbudet.",
        "2.1.2-302/2024",
    ),
]

DRAFT = [Spec("Fiskeförbud i Mälaren OPUBLICERAT", "Ej beslutat.", "Utkast om fiskeförbud.", "1.2.3-401/2024")]


def build_meeting(committee: Committee, date: datetime.date, number: int, specs: list[Spec], people) -> Meeting:
    meeting = Meeting.objects.create(committee=committee, number=number, date=date)
    for position, spec in enumerate(specs, start=1):
        item = Item.objects.create(
            meeting=meeting,
            position=position,
            number=position,
            title=spec.title,
            subtitle=spec.subtitle,
            decision=spec.decision,
            matter=spec.matter,
            dnr=spec.dnr,
            confidential=bool(spec.public_heading),
            public_heading=spec.public_heading,
        )
        motion = Motion.objects.create(item=item, kind=MotionKind.APPROVE)
        for order, name in enumerate(spec.movers):
            MotionMover.objects.create(motion=motion, person=people[name], position=order)
        proposition = Proposition.objects.create(
            item=item, kind=PropositionKind.SINGLE, outcome=motion, voted=bool(spec.voters)
        )
        for name, choice in spec.voters:
            Ballot.objects.create(proposition=proposition, person=people[name], choice=choice)
        if spec.reservers:
            reservation = Reservation.objects.create(item=item, text=spec.reservation_text)
            for order, name in enumerate(spec.reservers):
                ReservationMember.objects.create(reservation=reservation, person=people[name], position=order)
        if spec.statement:
            author, text = spec.statement
            statement = Statement.objects.create(item=item, kind=StatementKind.SPECIAL, text=text)
            StatementAuthor.objects.create(statement=statement, person=people[author])
    return meeting


def announce_quickly(meeting: Meeting) -> None:
    """Announced without the sealing (which the demo fixture goes through), then indexed as announce() does."""
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.ANNOUNCED)
    index_meeting(meeting)


PARTY_NAMES = [("V", "Vänsterpartiet"), ("L", "Liberalerna"), ("M", "Moderaterna"), ("KD", "Kristdemokraterna")]
PARTY_NAMES += [("S", "Socialdemokraterna")]


@dataclass
class Corpus:
    fiskeby: Committee
    kultur: Committee
    people: dict[str, Person]
    meetings: list[Meeting]
    draft: Meeting

    def url(self, title: str) -> str:
        item = Item.objects.select_related("meeting__committee").get(title=title)
        meeting = item.meeting
        return reverse("portal:item", args=[meeting.committee.slug, meeting.year, meeting.number, item.number])


@pytest.fixture
def corpus() -> Corpus:
    fiskeby = Committee.objects.create(
        name="Fiskeby stadsdelsnämnd", short_name="Fiskeby SDN", slug="fiskeby", municipality="Stockholms stad", seats=3
    )
    kultur = Committee.objects.create(
        name="Kulturnämnden", short_name="KuN", slug="kultur", municipality="Stockholms stad", seats=3
    )
    parties = {a: Party.objects.get_or_create(abbreviation=a, defaults={"name": n})[0] for a, n in PARTY_NAMES}
    people = {}
    for first, last in [("Lars", "Bäck"), ("Karin", "Holm"), ("Peter", "Öberg"), ("Eva", "Lund")]:
        people[last] = Person.objects.create(first_name=first, last_name=last)
    start, switch = datetime.date(2023, 1, 1), datetime.date(2024, 1, 1)
    member = {"committee": fiskeby, "role": Role.MEMBER}
    Membership.objects.create(person=people["Bäck"], party=parties["V"], start=start, **member)
    Membership.objects.create(person=people["Öberg"], party=parties["L"], start=start, **member)
    # Karin Holm sat for M in 2023 and for KD from 2024: each § counts the party of its day.
    Membership.objects.create(person=people["Holm"], party=parties["M"], start=start, end=switch, **member)
    Membership.objects.create(person=people["Holm"], party=parties["KD"], start=switch, **member)
    Membership.objects.create(person=people["Lund"], party=parties["S"], committee=kultur, role=Role.MEMBER)

    meetings = [
        build_meeting(fiskeby, datetime.date(2023, 5, 10), 5, FISKEBY_2023, people),
        build_meeting(fiskeby, datetime.date(2024, 3, 14), 2, FISKEBY_2024, people),
        build_meeting(kultur, datetime.date(2024, 4, 4), 3, KULTUR_2024, people),
    ]
    for meeting in meetings:
        announce_quickly(meeting)
    draft = build_meeting(fiskeby, datetime.date(2024, 6, 1), 4, DRAFT, people)
    index_meeting(draft)  # indexed by mistake: the search must still leave it out
    return Corpus(fiskeby, kultur, people, meetings, draft)


def titles(query: str, filters: Filters | None = None, page: int = 1) -> list[str]:
    return [re.sub(r"</?mark>", "", str(hit.title)) for hit in search(query, filters or Filters(), page).hits]


def heading(spec: Spec) -> str:
    return f"{spec.title}. {spec.subtitle}" if spec.subtitle else spec.title


# Relevance


RELEVANCE = [
    ("fiskeförbud", FISKEBY_2023[0]),
    ("fiskeförbudet", FISKEBY_2023[0]),
    ("Fiskeförbud Årstaviken", FISKEBY_2023[0]),
    ("nämnd", FISKEBY_2023[1]),
    ("förskolan budget", FISKEBY_2023[2]),
    ("lokalförsörjning", FISKEBY_2023[3]),
    ("parkbänkar", FISKEBY_2023[4]),
    ('"våldsbejakande extremism"', FISKEBY_2023[5]),
    ("extremism", FISKEBY_2023[5]),
    ("skötselplanen", FISKEBY_2023[6]),
    ("äldreomsorg", FISKEBY_2023[8]),
    ("hemlöshet", FISKEBY_2024[0]),
    ("trafiksäkerhet", FISKEBY_2024[1]),
    ("bibliotek", KULTUR_2024[0]),
    ("Årstavikens fiske", KULTUR_2024[1]),
    ("1.2.3-101/2023", FISKEBY_2023[0]),
    ("barngrupperna", FISKEBY_2023[2]),
    ("uppföljning", FISKEBY_2023[5]),
]


@pytest.mark.parametrize(("query", "expected"), RELEVANCE, ids=[q for q, _ in RELEVANCE])
def test_search_expected_hit_first(corpus, query, expected):
    assert titles(query)[0] == heading(expected)


def test_search_compound_word_part_finds_the_compound(corpus):
    found = titles("nämnd")
    assert heading(FISKEBY_2023[1]) in found  # Stadsdelsnämndens
    assert heading(KULTUR_2024[0]) in found  # Kulturnämndens
    assert heading(FISKEBY_2023[6]) in found  # only "Stadsdelsnämnden" in its decision


def test_search_word_finds_its_inflected_form(corpus):
    # Only "fiskeförbudet" is in these two §§, never "fiskeförbud" alone.
    found = titles("fiskeförbud")
    assert sorted(found) == sorted([heading(FISKEBY_2023[0]), heading(FISKEBY_2023[6]), heading(KULTUR_2024[1])])


def test_search_every_word_must_match(corpus):
    assert titles("fiskeförbud bibliotek") == []
    assert titles("fiskeförbud utställning") == [heading(KULTUR_2024[1])]


def test_search_or_and_exclusion(corpus):
    assert sorted(titles("parkbänkar OR hemlöshet")) == sorted([heading(FISKEBY_2023[4]), heading(FISKEBY_2024[0])])
    found = titles("årstaviken -fiskeförbud")
    assert heading(FISKEBY_2023[4]) in found
    assert heading(FISKEBY_2023[0]) not in found
    assert heading(KULTUR_2024[1]) not in found


def test_search_stop_word_is_ignored_not_required(corpus):
    assert titles("bibliotek i") == titles("bibliotek") == [heading(KULTUR_2024[0])]
    assert titles("fiskeförbud i Årstaviken")[0] == heading(FISKEBY_2023[0])


def test_search_phrase_needs_the_words_together(corpus):
    assert titles('"extremism våldsbejakande"') == []
    assert titles('"våldsbejakande extremism"') == [heading(FISKEBY_2023[5])]


# Only what is published, and of a confidential § only its public heading


def test_search_leaves_out_meetings_not_announced(corpus):
    assert SearchEntry.objects.filter(meeting=corpus.draft).count() == 1
    assert "Fiskeförbud i Mälaren OPUBLICERAT" not in titles("fiskeförbud")
    assert titles("OPUBLICERAT") == []


def results_section(content: str) -> str:
    """The page's list of results, without the form and the frame (which repeat the query)."""
    match = re.search(r'<section aria-labelledby="results-h">.*?</section>', content, re.DOTALL)
    assert match is not None
    return match.group(0)


@pytest.mark.parametrize("query", [SECRET, "bistånd", "fiskeförbud", "budget", "förskolan", "insats", "1.9.9-999/2023"])
def test_search_confidential_item_never_found_by_its_text(corpus, client, query):
    response = client.get(SEARCH, {"q": query})
    results = results_section(response.content.decode())
    assert corpus.url(FISKEBY_2023[7].title) not in results
    assert SECRET not in results
    assert "Sekretessärende" not in results
    assert "1.9.9-999/2023" not in results
    assert SECRET not in str(search(query).hits)


def test_search_confidential_item_found_by_its_public_heading_only(corpus, client):
    results = search("sekretessärende")
    assert [(str(h.title), str(h.snippet), h.dnr, h.has_vote, h.has_reservation) for h in results.hits] == [
        ("<mark>Sekretessärende</mark> enligt OSL 26:1", "", "", False, False)
    ]
    assert results.hits[0].url == corpus.url(FISKEBY_2023[7].title)
    assert SECRET not in client.get(SEARCH, {"q": "sekretessärende"}).content.decode()


@pytest.mark.parametrize(
    "filters",
    [
        Filters(person="Holm"),
        Filters(party="M"),
        Filters(has_vote=True, year=2023),
        Filters(has_reservation=True),
        Filters(dnr="1.9.9"),
    ],
    ids=["person", "party", "vote", "reservation", "dnr"],
)
def test_search_confidential_item_never_found_by_its_people_or_facts(corpus, filters):
    assert heading(FISKEBY_2023[7]) not in titles("", filters)
    assert "Sekretessärende enligt OSL 26:1" not in titles("", filters)


def test_confidential_entry_holds_nothing_but_its_heading(corpus):
    entry = SearchEntry.objects.get(item__title=FISKEBY_2023[7].title)
    assert (entry.title, entry.decision, entry.body, entry.names, entry.dnr) == (
        "Sekretessärende enligt OSL 26:1",
        "",
        "",
        "",
        "",
    )
    assert (entry.has_vote, entry.has_reservation, entry.people.count(), entry.parties.count()) == (False, False, 0, 0)
    assert SECRET not in entry.folded_text


# Filters


def test_search_filter_committee(corpus):
    assert titles("fiskeförbud", Filters(committee="kultur")) == [heading(KULTUR_2024[1])]


def test_search_filter_year_lists_newest_first_without_words(corpus):
    assert titles("", Filters(year=2024)) == [heading(s) for s in KULTUR_2024 + FISKEBY_2024]


def test_search_filter_party_counts_the_party_of_the_meeting_day(corpus):
    # Karin Holm reserved in 2023 for M; moved and voted in 2024 for KD.
    assert titles("", Filters(party="M")) == [heading(FISKEBY_2023[2])]
    assert titles("", Filters(party="KD")) == [heading(FISKEBY_2024[0])]
    assert titles("", Filters(party="S")) == [heading(KULTUR_2024[0])]


def test_search_filter_person_by_name(corpus):
    # Peter Öberg abstained in 2024, voted in 2023 and moved and stated on the extremism plan.
    expected = [heading(FISKEBY_2024[0]), heading(FISKEBY_2023[2]), heading(FISKEBY_2023[5])]
    assert titles("", Filters(person="peter öberg")) == expected
    assert titles("", Filters(person="Öberg")) == expected
    assert titles("", Filters(person="Peter Holm")) == []


def test_search_filter_vote_reservation_and_dnr(corpus):
    assert titles("", Filters(has_vote=True)) == [heading(FISKEBY_2024[0]), heading(FISKEBY_2023[2])]
    assert titles("", Filters(has_reservation=True)) == [heading(FISKEBY_2023[2])]
    assert titles("", Filters(dnr="1.4.2-104/2023")) == [heading(FISKEBY_2023[3])]


def test_search_without_words_or_filters_searches_nothing(corpus):
    results = search("", Filters())
    assert (results.hits, results.total) == ((), 0)
    assert search("&|!:*()'", Filters()).total == 0


# The page


def test_search_page_links_hits_and_marks_words(corpus, client):
    response = client.get(SEARCH, {"q": "parkbänkar"})
    content = response.content.decode()
    url = corpus.url(FISKEBY_2023[4].title)
    assert re.findall(r'<h3 class="h5 mb-1"><a href="([^"]+)">', content) == [url]
    assert "Medborgarförslag om fler <mark>parkbänkar</mark> längs Årstaviken" in content
    assert "fler <mark>parkbänkar</mark> ställs ut" in content


def test_search_snippet_escapes_the_text(corpus):
    meeting = build_meeting(
        corpus.fiskeby,
        datetime.date(2024, 9, 1),
        7,
        [
            Spec(
                "Skrivelse <b>om</b> ljus",
                "Besvaras.",
                "Texten <script>alert('x')</script> om gatubelysning & ljus.",
                "",
            )
        ],
        corpus.people,
    )
    announce_quickly(meeting)
    (hit,) = search("gatubelysning").hits
    assert str(hit.snippet) == (
        "Besvaras. Texten &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; om <mark>gatubelysning</mark> &amp; ljus."
    )
    assert str(search("ljus").hits[0].title) == "Skrivelse &lt;b&gt;om&lt;/b&gt; <mark>ljus</mark>"


def test_search_page_unknown_filters_are_reported_not_500(corpus, client):
    response = client.get(
        SEARCH, {"q": "fiskeförbud", "committee": "finns-inte", "year": "abc", "party": "XX", "page": "nio"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="alert alert-warning"' in content
    assert content.count('class="errorlist"') == 3
    # The filters that were not understood are left out: every match is listed.
    assert len(re.findall(r'<h3 class="h5 mb-1">', content)) == 3


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": '"'},
        {"q": "'"},
        {"q": "&|!:*()'"},
        {"q": "fisk & | ! : * ( ) ' \\"},
        {"q": "a:* & !b | (c <-> d)"},
        {"q": '"unterminated phrase'},
        {"q": "OR OR - -- + ++"},
        {"q": "fisk" * 2500},
        {"q": "ord " * 2500},
        {"q": "%_\\%"},
        {"q": "nämnd\x00"},
        {"q": "<script>alert(1)</script>"},
        {"q": "fiskeförbud", "page": "-1"},
        {"q": "fiskeförbud", "page": "99999999999999999999"},
        {"person": "'; DROP TABLE minutes_item; --"},
        {"dnr": "%"},
        {"year": "99999999999"},
    ],
)
def test_search_page_survives_bad_input(corpus, client, params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    assert b"<script>alert" not in response.content


def test_search_long_query_is_shortened_and_says_so(corpus, client):
    response = client.get(SEARCH, {"q": "fiskeförbud " + "ord " * 2500})
    assert 'class="alert alert-info"' in response.content.decode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(max_size=300) | st.text(alphabet="&|!:*()'\"\\-+<> ORfiskeförbud", max_size=60),
    person=st.text(max_size=40),
    dnr=st.text(max_size=30),
)
def test_search_never_fails_on_any_text(corpus, text, person, dnr):
    results = search(text, Filters(person=person, dnr=dnr), 1)
    assert results.total >= len(results.hits)
    assert all(SECRET not in str(hit.title) + str(hit.snippet) for hit in results.hits)


def test_search_page_has_unique_ids_and_labelled_fields(corpus, client):
    content = client.get(SEARCH, {"q": "fiskeförbud"}).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', content)
    assert len(ids) == len(set(ids))
    for name in ["q", "committee", "year", "party", "person", "dnr", "vote", "reservation"]:
        assert f'for="search-{name}"' in content
        assert f'id="search-{name}"' in content
    assert re.findall(r"<h(\d)", content)[:3] == ["1", "2", "3"]


def test_search_pagination_keeps_the_filters(corpus, client):
    specs = [Spec(f"Gatunamn nummer {n}", "Beslut.", "Namnberedningen föreslår ett gatunamn.", "") for n in range(25)]
    meeting = build_meeting(corpus.fiskeby, datetime.date(2024, 10, 1), 8, specs, corpus.people)
    announce_quickly(meeting)
    first = search("gatunamn", Filters(committee="fiskeby"), 1)
    second = search("gatunamn", Filters(committee="fiskeby"), 2)
    assert (first.total, first.pages, len(first.hits), len(second.hits)) == (25, 2, PER_PAGE, 25 - PER_PAGE)
    assert {h.url for h in first.hits}.isdisjoint({h.url for h in second.hits})
    content = client.get(SEARCH, {"q": "gatunamn", "committee": "fiskeby", "vote": ""}).content.decode()
    assert 'href="?q=gatunamn&amp;committee=fiskeby&amp;vote=&amp;page=2"' in content


@pytest.mark.parametrize(("query", "count"), [("bibliotek", 1), ("fiskeförbud", 3)])
def test_search_page_query_count(corpus, client, django_assert_num_queries, query, count):
    # Committees, years and parties for the form; the count, the page of hits and their protocols' styles;
    # the coming agendas' items.
    with django_assert_num_queries(7):
        response = client.get(SEARCH, {"q": query, "party": "", "year": ""})
    assert len(re.findall(r'<h3 class="h5 mb-1">', response.content.decode())) == count


# Indexing: announce() writes the entries, reindex_search rebuilds them


@pytest.fixture
def published(seal_certificate) -> Meeting:
    """The demo, announced through announce(), with a confidential § 11."""
    meeting = load_demo()
    item = services.add_item(
        meeting,
        title=f"Ärende om {SECRET}",
        confidential=True,
        public_heading="Sekretessärende enligt OSL 26:1",
        decision=f"Beslut om {SECRET}.",
        matter=f"Ärendet gäller {SECRET}.",
        dnr="1.5.1-999/2016",
    )
    services.record_proposition(
        item, kind="single", outcome=services.add_motion(item, kind="approve", movers=[(meeting.chair, False)])
    )
    publish_demo(meeting)
    meeting.refresh_from_db()
    return meeting


def test_announce_indexes_every_item_of_the_protocol(published):
    announced = Meeting.objects.filter(status=MeetingStatus.ANNOUNCED)
    # The demo's 12 §§ and the confidential § 13, and the recent meeting's 3.
    assert SearchEntry.objects.count() == Item.objects.filter(meeting__in=announced).count() == 16
    seed = SearchEntry.objects.get(meeting=published, number=10)
    names = sorted(p.last_name for p in seed.people.all())
    assert names == ["Backman", "Bäck", "Fredholm", "Moreira Duarte", "Öberg"]
    assert sorted(p.abbreviation for p in seed.parties.all()) == ["L", "M", "MP", "S", "V"]
    assert (seed.has_vote, seed.has_reservation) == (False, True)


def test_demo_seed_item_found_with_its_link(published, client):
    item = Item.objects.get(meeting=published, number=10)
    results = search(item.title.split()[0], Filters(committee="arstadal", year=2016, party="L"))
    assert results.hits[0].url == reverse("portal:item", args=["arstadal", 2016, published.number, 10])
    assert client.get(results.hits[0].url).status_code == 200


def test_demo_confidential_item_not_found_by_its_mover(published):
    results = search("", Filters(person=published.chair.last_name, year=2016))
    assert all(hit.number != 11 for hit in results.hits)
    assert search(SECRET).total == 0


def test_reindex_search_rebuilds_the_published_entries_only(corpus):
    before = sorted(SearchEntry.objects.filter(meeting__status=MeetingStatus.ANNOUNCED).values_list("item", "title"))
    SearchEntry.objects.all().delete()
    call_command("reindex_search", verbosity=0)
    after = sorted(SearchEntry.objects.values_list("item", "title"))
    assert after == before
    assert not SearchEntry.objects.filter(meeting=corpus.draft).exists()
    assert titles("fiskeförbud")[0] == heading(FISKEBY_2023[0])
