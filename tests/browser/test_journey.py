"""One meeting's whole cycle in Chromium, as the people do it: only links and buttons after each first address.

The secretary creates the meeting from her start page, enters the roll (a substitute, a late arrival by
time), the adjusters, the opening §§ and six §§ of her own (a roll-call vote with a reservation, a recusal,
a special statement, a tabling, a referral back, a minute note), the time a § started, and sends the
protocol; the chair approves from his start page, the adjuster from the e-mailed link; the registrar
announces and exports; a citizen reads the protocol in the portal. Every text typed must reach the
preview, the sealed PDF and the portal. Each person's pages, clicks, fields and words are counted and
printed (no assertions on them beyond sanity: they are figures for the lead to quote).
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from committee.models import Person as CommitteePerson
from minutes.demo import DEMO_PASSWORD, load_demo
from minutes.models import Meeting, MeetingStatus
from tests.browser.conftest import Workspace, swedish_context

pytestmark = pytest.mark.django_db(transaction=True)

APPROVE = "Bifall till förslaget – Lars Bäck (V)"
REJECT = "Avslag på förslaget – Arne Fredholm (M)"

# What the secretary types into the §§ of her own: (title, decision, matter).
VOTE_ITEM = (
    "Upprustning av Årstaparken",
    "Nämnden godkänner förvaltningens plan för upprustning av Årstaparken.",
    "Parken behöver ny belysning, nya gångvägar och en lekplats för de minsta barnen.",
)
RECUSAL_ITEM = (
    "Bidrag till Årstadals idrottsförening",
    "Nämnden beviljar föreningen ett bidrag om 50 000 kronor för säsongen.",
    "Föreningen har ansökt om bidrag till ungdomsverksamheten på Årstafältet.",
)
STATEMENT_ITEM = (
    "Yttrande över trafikplan för Årstadal",
    "Nämnden överlämnar förvaltningens tjänsteutlåtande som sitt yttrande.",
    "Trafikkontoret har remitterat ett förslag om ny busslinje genom stadsdelen.",
)
TABLED_ITEM = (
    "Medborgarförslag om hundrastgård",
    "Nämnden bordlägger ärendet till nästa sammanträde.",
    "En boende föreslår en inhägnad hundrastgård vid Årstaskogen.",
)
REFERRED_ITEM = (
    "Ny lokal för fritidsgården",
    "Nämnden återremitterar ärendet till förvaltningen.",
    "Förvaltningen föreslår att fritidsgården flyttar till den tidigare biblioteksfilialen.",
)
DELEGATION_ITEM = (
    "Anmälan av delegationsbeslut",
    "Nämnden lägger anmälan av delegationsbesluten till handlingarna.",
    "Förteckning över beslut fattade på delegation under september månad.",
)
REFERRAL = "för att utreda kostnaderna för ombyggnaden"
MINUTE_NOTE = "Vi vill få en redovisning av besluten om försörjningsstöd vid nästa sammanträde."
RESERVATION = "Vi vill att pengarna går till skolgårdarna i stället."
STATEMENT = "Vi stöder yttrandet men vill att busslinjen också trafikerar kvällstid."


@dataclass
class Person:
    """One person at their own browser, with the effort counted: every typed and clicked thing goes through here."""

    name: str
    page: Page
    pages: int = 0
    clicks: int = 0
    fields: int = 0
    words: int = 0
    typed: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # A page visited is a navigation of the main frame (htmx swaps are not; form posts that redirect are).
        self.page.on("framenavigated", lambda frame: self._visited(frame))

    def _visited(self, frame) -> None:
        if frame == self.page.main_frame:
            self.pages += 1

    def goto(self, url: str) -> None:
        """Only for a person's first address and for links read in an e-mail."""
        self.typed.append(url)
        self.page.goto(url)

    def click(self, target: Locator) -> None:
        self.clicks += 1
        target.click()

    def check(self, target: Locator) -> None:
        self.clicks += 1
        target.check()

    def select(self, target: Locator, **option) -> None:
        self.fields += 1
        target.select_option(**option)

    def fill(self, target: Locator, text: str) -> None:
        self.fields += 1
        self.words += len(text.split())
        target.fill(text)

    def sign_in(self, url: str, username: str) -> None:
        """The login page comes first (typed, or redirected to from an e-mailed link)."""
        self.goto(url)
        self.fill(self.page.locator("#id_username"), username)
        self.fill(self.page.locator("#id_password"), DEMO_PASSWORD)
        self.click(self.page.locator("form button[type=submit]"))

    def link(self, name: str, **kwargs) -> None:
        self.click(self.page.get_by_role("link", name=name, exact=True, **kwargs).first)

    def button(self, name: str) -> None:
        self.click(self.page.get_by_role("button", name=name, exact=True))

    def figures(self) -> tuple[int, int, int, int]:
        return (self.pages, self.clicks, self.fields, self.words)


def open_person(browser: Browser, name: str) -> Person:
    return Person(name, swedish_context(browser).new_page())


class Editor(Workspace):
    """The § editor driven through a counting person."""

    def __init__(self, person: Person):
        super().__init__(person.page)
        self.person = person

    def add_part(self, prefix: str, expected: Locator) -> None:
        self.page.locator("#editor").evaluate("editor => editor.setAttribute('data-replaced', '')")
        self.person.click(self.form(prefix).locator("button[type=submit]").first)
        self.page.locator("#editor:not([data-replaced])").wait_for()
        self.wait(expected)

    def movers(self, prefix: str, name: str, people: list[str]) -> None:
        group = self.form(prefix).locator("fieldset", has=self.page.locator(f"input[name='{prefix}-{name}']"))
        for who in people:
            self.person.check(group.get_by_label(who, exact=True))

    def motion(self, kind: str, mover: str, expected: str) -> None:
        self.person.select(self.field("motion", "kind"), value=kind)
        self.movers("motion", "movers", [mover])
        self.add_part("motion", self.in_preview(expected).first)


def write_item(secretary: Person, title: str, decision: str, matter: str, parts) -> None:
    """Open the § from the meeting page, type its texts (saved on their own), add its parts, go back."""
    page = secretary.page
    secretary.link(title)
    ui = Editor(secretary)
    secretary.fill(ui.field("item", "decision"), decision)
    secretary.fill(ui.field("item", "matter"), matter)
    ui.in_preview(decision).wait_for()
    expect(page.locator("#draft-state")).to_have_text(re.compile(r"^Sparat \d\d\.\d\d$"))
    parts(ui)
    expect(ui.field("item", "decision")).to_have_value(decision)
    expect(ui.field("item", "matter")).to_have_value(matter)
    for text in (title, decision, matter):
        expect(page.locator("#preview")).to_contain_text(text)
    secretary.click(page.get_by_role("navigation", name="Sökväg").get_by_role("link").nth(1))
    page.get_by_role("heading", name=re.compile("sammanträde")).first.wait_for()


def vote_parts(ui: Editor) -> None:
    person = ui.person
    ui.motion("approve", "Lars Bäck", "Lars Bäck (V) yrkade")
    ui.motion("reject", "Arne Fredholm", "Arne Fredholm (M) yrkade")
    person.select(ui.field("proposition", "kind"), value="against_each_other")
    person.select(ui.field("proposition", "outcome"), label=APPROVE)
    person.select(ui.field("proposition", "yes_motion"), label=APPROVE)
    person.select(ui.field("proposition", "no_motion"), label=REJECT)
    form = ui.form("proposition")
    for name in ("Alla Ja", "M: Nej"):  # Peter Öberg (L) has not arrived yet
        person.click(form.get_by_role("button", name=name, exact=True))
    expect(form.locator("[data-vote-tally]")).to_have_text("7 ja, 3 nej, 0 avstår, 0 frånvarande – Ja vinner.")
    ui.add_part("proposition", ui.in_preview("Omröstning begärdes och verkställdes.").first)
    ui.movers("reservation", "members", ["Arne Fredholm"])
    person.select(ui.field("reservation", "in_favour_of"), label=REJECT)
    person.fill(ui.field("reservation", "text"), RESERVATION)
    ui.add_part("reservation", ui.in_preview(RESERVATION).first)


def recusal_parts(ui: Editor) -> None:
    ui.person.select(ui.field("recusal", "person"), label="Johan Sundberg")
    ui.add_part("recusal", ui.in_preview(re.compile("Johan Sundberg")).first)


def statement_parts(ui: Editor) -> None:
    ui.person.select(ui.field("statement", "kind"), value="special")
    ui.movers("statement", "authors", ["Lars Bäck"])
    ui.person.fill(ui.field("statement", "text"), STATEMENT)
    ui.add_part("statement", ui.in_preview(STATEMENT).first)


def tabling_parts(ui: Editor) -> None:
    ui.motion("table", "Arne Fredholm", "Arne Fredholm (M) yrkade")
    ui.person.select(ui.field("proposition", "kind"), value="decide_today_or_table")
    ui.person.select(ui.field("proposition", "outcome"), index=1)
    ui.add_part("proposition", ui.in_preview(re.compile("Ordföranden")).first)


def referral_parts(ui: Editor) -> None:
    ui.person.select(ui.field("motion", "kind"), value="refer_back")
    ui.movers("motion", "movers", ["Arne Fredholm"])
    ui.person.fill(ui.field("motion", "text"), REFERRAL)
    ui.add_part("motion", ui.in_preview(re.compile(REFERRAL)).first)
    ui.person.select(ui.field("proposition", "kind"), value="decide_today_or_refer")
    ui.person.select(ui.field("proposition", "outcome"), index=1)
    ui.add_part("proposition", ui.in_preview(re.compile("Ordföranden")).first)


def minute_note_parts(ui: Editor) -> None:
    ui.person.select(ui.field("statement", "kind"), value="minute_note")
    ui.movers("statement", "authors", ["Arne Fredholm"])
    ui.person.fill(ui.field("statement", "text"), MINUTE_NOTE)
    ui.add_part("statement", ui.in_preview(MINUTE_NOTE).first)


ITEMS = [
    (VOTE_ITEM, vote_parts),
    (RECUSAL_ITEM, recusal_parts),
    (STATEMENT_ITEM, statement_parts),
    (TABLED_ITEM, tabling_parts),
    (REFERRED_ITEM, referral_parts),
    (DELEGATION_ITEM, minute_note_parts),
]
TYPED_TEXTS = [text for (item, _parts) in ITEMS for text in item] + [RESERVATION, STATEMENT, REFERRAL, MINUTE_NOTE]


@pytest.fixture
def committee_demo(seal_certificate) -> Meeting:
    return load_demo()


def test_one_meeting_from_creation_to_the_portal(
    browser: Browser, live_server, committee_demo, smtp_server, settings, pdf_text
):
    settings.PARAGRAF_SITE_URL = live_server.url
    today = datetime.date.today()
    day = datetime.date(2016, 10, 18)  # while the demo committee's members serve
    people: list[Person] = []

    # The secretary: her start page, the committee, a new meeting.
    secretary = open_person(browser, "sekreterare")
    people.append(secretary)
    page = secretary.page
    secretary.sign_in(f"{live_server.url}/konto/login/", "helena.wik")
    page.get_by_role("heading", name="Att göra").wait_for()
    secretary.link("Årstadals stadsdelsnämnd")
    secretary.fill(page.locator("[name=date]"), day.isoformat())
    secretary.fill(page.locator("[name=start_time]"), "18:00")
    secretary.fill(page.locator("[name=place]"), "Årstadals stadsdelsförvaltning")
    secretary.button("Skapa sammanträde")
    page.wait_for_url(re.compile(r"/sammantrade/\d+/$"))
    meeting = committee_demo.committee.meetings.get(date=day)

    # The roll: Mats Hedlund serves for Karin Holm, Peter Öberg arrives at 18.30.
    secretary.link("Närvaro")
    secretary.select(page.get_by_label("Funktion: Karin Holm"), value="absent")
    secretary.select(page.get_by_label("Funktion: Mats Hedlund"), value="serving")
    holm = CommitteePerson.objects.get(first_name="Karin", last_name="Holm")
    secretary.select(page.get_by_label(re.compile("^Tjänstgör i stället för: Mats Hedlund")), value=str(holm.pk))
    secretary.fill(page.get_by_label("Från kl.: Peter Öberg"), "18:30")
    secretary.button("Spara närvarolistan")
    expect(page.locator(".alert-success")).to_be_visible()

    # The details (the secretary preselected), then the opening §§ written from them.
    secretary.link("Datum, plats, ordförande och justerare")
    expect(page.locator("select[name=secretary] option:checked")).to_have_text("Helena Wik")
    secretary.select(page.locator("select[name=chair]"), label="Lars Bäck")
    secretary.check(page.get_by_label("Sofia Bergqvist", exact=True))
    secretary.fill(page.locator("[name=adjustment_at]"), "2016-10-25")
    secretary.fill(page.locator("[name=adjustment_time]"), "15:00")
    secretary.fill(page.locator("[name=adjustment_place]"), "stadsdelsförvaltningen")
    secretary.click(page.locator("form button[type=submit]").last)
    page.wait_for_url(re.compile(rf"/sammantrade/{meeting.pk}/$"))
    secretary.click(page.get_by_role("button", name=re.compile("Skriv de inledande paragraferna")))
    page.get_by_role("link", name="Val av justerare", exact=True).wait_for()

    # Her own §§: the titles on the meeting page, the rest in each § editor.
    for (title, _decision, _matter), _parts in ITEMS:
        secretary.fill(page.get_by_label("Rubrik på den nya paragrafen"), title)
        secretary.button("Lägg till paragraf")
        page.get_by_role("link", name=title, exact=True).wait_for()
    for (title, decision, matter), parts in ITEMS:
        write_item(secretary, title, decision, matter, parts)

    # When the §§ started: Peter Öberg, arriving at 18.30, serves from the § started after.
    secretary.link("Närvaro")
    secretary.fill(page.get_by_label(f"§ 7 {TABLED_ITEM[0]}"), "18:35")
    secretary.button("Spara tiderna")
    quorum = page.locator("#quorum-per-item tbody tr")
    expect(quorum.filter(has=page.get_by_role("rowheader", name="6", exact=True))).to_contain_text("10 / 11")
    expect(quorum.filter(has=page.get_by_role("rowheader", name="7", exact=True))).to_contain_text("11 / 11")
    secretary.click(page.get_by_role("navigation", name="Sökväg").get_by_role("link").nth(1))

    # Send for adjustment.
    secretary.link("Skicka för justering")
    secretary.button("Skicka protokollet för justering")
    page.get_by_text("Protokollet har skickats för justering och är låst.").wait_for()
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.LOCKED

    # The chair finds the task on his start page.
    chair = open_person(browser, "ordförande")
    people.append(chair)
    chair.sign_in(f"{live_server.url}/konto/login/", "lars.back")
    chair.page.get_by_role("heading", name="Att göra").wait_for()
    chair.click(chair.page.locator("li.task-approve").get_by_role("link", name="Läs och godkänn"))
    chair.button("Godkänn protokollet")
    chair.button("Bekräfta godkännandet")
    chair.page.get_by_text("Ditt godkännande är registrerat.").wait_for()

    # The adjuster follows the link in her e-mail.
    (mail,) = [
        m
        for m, to in zip(smtp_server.messages, smtp_server.recipients, strict=True)
        if to == ["sofia.bergqvist@example.invalid"]
    ]
    (link,) = [line for line in mail.get_content().splitlines() if line.startswith(live_server.url)]
    adjuster = open_person(browser, "justerare")
    people.append(adjuster)
    adjuster.sign_in(link, "sofia.bergqvist")
    adjuster.page.wait_for_url(link)
    adjuster.button("Godkänn protokollet")
    adjuster.button("Bekräfta godkännandet")
    adjuster.page.get_by_text("Ditt godkännande är registrerat.").wait_for()
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.ADJUSTED

    # The registrar announces from her start page, then exports.
    registrar = open_person(browser, "registrator")
    people.append(registrar)
    registrar.sign_in(f"{live_server.url}/konto/login/", "registrator")
    registrar.page.get_by_role("heading", name="Att göra").wait_for()
    registrar.click(registrar.page.locator("li.task-announce").get_by_role("link", name="Anslå"))
    registrar.fill(registrar.page.get_by_label("Datum för anslag på anslagstavlan"), today.isoformat())
    registrar.button("Anslå")
    registrar.page.get_by_text("Justeringen är anslagen på anslagstavlan.").wait_for()
    registrar.link("Att göra")
    registrar.click(registrar.page.locator("li.task-export").first.get_by_role("link", name="Export och arkivering"))
    certificate = registrar.page.get_by_role("link", name=re.compile("Hämta det förseglade anslagsbeviset"))
    expect(certificate).to_be_visible()

    # A citizen, not signed in, reads the protocol in the portal.
    citizen = open_person(browser, "medborgare")
    people.append(citizen)
    citizen.goto(live_server.url + "/")
    citizen.click(citizen.page.get_by_role("link", name=re.compile(f"Årstadals stadsdelsnämnd, .*{day:%Y-%m-%d}")))
    citizen.page.get_by_role("link", name=re.compile("Val av justerare")).wait_for()
    seen = []
    for (title, _decision, _matter), _parts in ITEMS:
        citizen.click(citizen.page.get_by_role("link", name=re.compile(re.escape(title))))
        seen.append(citizen.page.locator("main").inner_text())
        citizen.click(citizen.page.get_by_role("navigation", name="Sökväg").get_by_role("link").nth(2))
    portal_text = "\n".join(seen)
    pdf_href = citizen.page.get_by_role("link", name="Det förseglade protokollet (PDF)").get_attribute("href")
    pdf = citizen.page.request.get(live_server.url + pdf_href)
    sealed_text = re.sub(r"\s+", " ", pdf_text(pdf.body()))
    for text in TYPED_TEXTS:
        assert text in portal_text, text
        assert text in sealed_text, text

    # Each step told the next person by e-mail, over SMTP.
    received = Counter(
        (to, str(m["subject"]).split(":", 1)[0])
        for m, recipients in zip(smtp_server.messages, smtp_server.recipients, strict=True)
        for to in recipients
    )
    for username, subject, count in [
        ("lars.back", "Att justera", 1),
        ("sofia.bergqvist", "Att justera", 1),
        ("helena.wik", "Godkänt", 2),
        ("helena.wik", "Justerat", 1),
        ("registrator", "Justerat", 1),
        ("helena.wik", "Anslaget", 1),
        ("registrator", "Anslaget", 1),
        ("lars.back", "Anslaget", 1),
        ("sofia.bergqvist", "Anslaget", 1),
    ]:
        assert received[(f"{username}@example.invalid", subject)] == count, (username, subject, received)

    # The figures.
    print()
    row = "{:<12} {:>5} {:>6} {:>6} {:>5} {:>9}"
    print(row.format("person", "pages", "clicks", "fields", "words", "addresses"))
    for person in people:
        print(row.format(person.name, *person.figures(), len(person.typed)))
    totals = [sum(column) for column in zip(*(p.figures() for p in people), strict=True)]
    print(row.format("total", *totals, sum(len(p.typed) for p in people)))
    assert all(p.pages >= 1 and len(p.typed) == 1 for p in people)
    assert totals[3] >= sum(len(t.split()) for t in TYPED_TEXTS)
    for person in people:
        person.page.context.close()
