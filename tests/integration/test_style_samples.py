"""Style samples entered as data and printed with their presets: how close Paragraf's words come to the municipality's.

The sample (../shared/style-samples/) is a real protocol's excerpt; the test enters its § as a
secretary would (the typed text, the motions, the proposition and the vote with its ballots), prints
it with the committee's preset, and compares the words with difflib. The ratio is printed (run with
-s) and held to what was measured, so a change to the engine or the preset that loses words fails.
"""

import datetime
import difflib
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from committee.models import Role
from minutes import styles
from minutes.models import AttendanceFunction, BallotChoice, MotionKind, PropositionKind
from minutes.protocol.pdf import html_to_pdf
from minutes.protocol.render import Notice, Request, render_html, render_text
from minutes.protocol.snapshot import build_snapshot
from tests.factories import (
    AdjusterFactory,
    AttendanceFactory,
    BallotFactory,
    CommitteeFactory,
    ItemFactory,
    MeetingFactory,
    MembershipFactory,
    MotionFactory,
    MotionMoverFactory,
    PartyFactory,
    PersonFactory,
    PropositionFactory,
)

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "style-samples"

pytestmark = pytest.mark.django_db

OSTERSUND_MATTER = """Pär Löfstrand m fl har i motion föreslagit kommunfullmäktige att ge kommunstyrelsen
i uppdrag att undersöka Krokoms kommuns intresse av att
göra Önsjön tillgänglig som naturbad för de båda kommunernas invånare.

Kultur och fritidsnämnden har lämnat yttrande i ärendet."""
# The documents the decision rests on: data on the §, a line each, printed under the style's heading.
OSTERSUND_BASIS = """Finansutskottet 2012-01-12 § 9
Kommunledningsförvaltningens tjänstemannaförslag 2011-12-09
Kultur- och fritidsnämndens beslut 2011-09-21 § 61
Kansliets tjänstemannaförslag 2011-09-13
Motion, fp, 2011-05-02"""


def words(text: str) -> list[str]:
    return text.split()


def similarity(rendered: str, sample: str) -> tuple[float, int]:
    """difflib's ratio of the two word sequences, and how many words of the rendering match the sample's."""
    matcher = difflib.SequenceMatcher(a=words(rendered), b=words(sample), autojunk=False)
    return matcher.ratio(), sum(block.size for block in matcher.get_matching_blocks())


def ostersund_sample() -> str:
    """The § of the sample: from its title to where the store truncated it (its last word, the roll's heading)."""
    text = (SAMPLES / "ostersund-ks-2012-01-24-p25.txt").read_text()
    body = text[text.index("Motion - Badplats Önsjön") :]
    return body.removesuffix("\n").removesuffix(" Närvaroförteckningen")


def test_ostersund_sample_entered_as_data_prints_in_its_preset(capsys):
    committee = CommitteeFactory(name="Kommunstyrelsen", municipality="Östersunds kommun", seats=15)
    committee.house_style = styles.create_from_preset("ostersund-ks", municipality="Östersunds kommun")
    committee.save()
    fp, s, m = (PartyFactory(abbreviation=a) for a in ("FP", "S", "M"))
    people = [
        PersonFactory(first_name="Pär", last_name="Löfstrand"),
        PersonFactory(first_name="AnnSofie", last_name="Andersson"),
        *(PersonFactory() for _ in range(13)),
    ]
    for index, person in enumerate(people):
        party = fp if index == 0 else s if index % 2 else m
        role = Role.CHAIR if index == 2 else Role.MEMBER
        MembershipFactory(committee=committee, person=person, party=party, role=role, position=index)
    meeting = MeetingFactory(committee=committee, number=1, date=datetime.date(2012, 1, 24), chair=people[2])
    for index, person in enumerate(people):
        AttendanceFactory(meeting=meeting, person=person, position=index)
    item = ItemFactory(
        meeting=meeting,
        position=1,
        number=25,
        title="Motion - Badplats Önsjön",
        dnr="941-2011",
        matter=OSTERSUND_MATTER,
        basis=OSTERSUND_BASIS,
        base_proposal="motionen",
    )
    approve = MotionFactory(item=item, kind=MotionKind.APPROVE, position=1)
    MotionMoverFactory(motion=approve, person=people[0])
    reject = MotionFactory(item=item, kind=MotionKind.REJECT, position=2)
    MotionMoverFactory(motion=reject, person=people[1])
    proposition = PropositionFactory(
        item=item,
        kind=PropositionKind.AGAINST_EACH_OTHER,
        outcome=reject,
        voted=True,
        yes_motion=reject,
        no_motion=approve,
    )
    choices = [BallotChoice.YES] * 11 + [BallotChoice.NO] * 2 + [BallotChoice.ABSTAIN] * 2
    for person, choice in zip(people, choices, strict=True):
        BallotFactory(proposition=proposition, person=person, choice=choice)

    rendered = render_text(build_snapshot(meeting), Request(kind="item", numbers=(25,)))
    sample = ostersund_sample()
    typed = len(words(f"{item.title} {item.dnr} {item.matter} {item.basis} {item.base_proposal}"))
    ratio, matching = similarity(rendered, sample)
    generated = len(words(rendered)) - typed
    with capsys.disabled():
        print(
            f"\nÖstersund KS § 25: {len(words(sample))} words in the sample, {len(words(rendered))} rendered,"
            f" {typed} typed by the secretary, {generated} generated, of which {matching - typed} as printed;"
            f" similarity {ratio:.3f}"
        )
    assert "Pär Löfstrand, fp: Motionen bifalls." in rendered
    # The heading is the style's and the Dnr stands under the title, as in the sample; neither is typed.
    assert rendered.splitlines()[:2] == ["§ 25 Motion - Badplats Önsjön", "Dnr 941-2011"]
    assert "\n\nUnderlag till beslut\nFinansutskottet 2012-01-12 § 9\n" in rendered
    assert (
        "Med 11 ja-röster mot 2 nej-röster samt 2 ledamöter som avstår från att rösta"
        " beslutar kommunstyrelsen att anta AnnSofie Anderssons yrkande." in rendered
    )
    assert ratio >= 0.98


# Sunne's page furniture: the page numbers and the letterhead's footer, as the seed's tests drop the running header.
SUNNE_FURNITURE = (
    "1 (21)",
    "2 (21)",
    "Postadress Besöksadress / E-post Telefon / Fax Sunne kommun Kvarngatan 4 0565 160 00 växel 1. Kommunstyrelsen"
    " 0565 160 01 Fax 686 80 SUNNE kommun.kansli@sunne.se",
)
NAME_AND_PARTY = re.compile(r"([A-ZÅÄÖ][\w-]*(?: [A-ZÅÄÖ][\w-]*)*) \((\w+)\)")


def sunne_sample() -> tuple[str, str]:
    """Pages 1 and 2 of the sample without page furniture, and page 2 (the roll) alone."""
    lines = (SAMPLES / "sunne-kf-2011-first-pages.txt").read_text().splitlines()
    first, second = lines[3], lines[4]
    text = f"{first} {second}"
    for furniture in SUNNE_FURNITURE:
        text = text.replace(furniture, " ")
    return text, second


def test_sunne_sample_entered_as_data_prints_in_its_preset(capsys):
    sample, roll = sunne_sample()
    members_text, substitutes_text = roll.split("Ledamöter:")[1].split("Tjänstgörande ersättare:")
    members = NAME_AND_PARTY.findall(members_text)
    found = NAME_AND_PARTY.findall(substitutes_text)  # "X (C), ersättare för Y (C)": substitute, then whom
    substitutes = list(zip(found[::2], found[1::2], strict=True))
    committee = CommitteeFactory(name="Kommunfullmäktige", municipality="Sunne kommun", seats=41)
    committee.house_style = styles.create_from_preset("sunne-kf", municipality="Sunne kommun")
    committee.save()
    parties = {}
    people = {}

    def person(name: str, party: str, role: str, position: int):
        first, last = name.split(" ", 1)
        people[name] = PersonFactory(first_name=first, last_name=last)
        parties.setdefault(party, PartyFactory(abbreviation=party))
        MembershipFactory(committee=committee, person=people[name], party=parties[party], role=role, position=position)
        return people[name]

    for position, (name, party) in enumerate(members):
        person(name, party, Role.CHAIR if name == "Karl-Johan Adolfsson" else Role.MEMBER, position)
    for offset, ((name, party), (absent, absent_party)) in enumerate(substitutes):
        person(absent, absent_party, Role.MEMBER, 100 + offset)
        person(name, party, Role.SUBSTITUTE, 200 + offset)
    secretary = PersonFactory(first_name="Gunilla", last_name="Nyström")
    meeting = MeetingFactory(
        committee=committee,
        number=3,
        date=datetime.date(2011, 3, 28),
        start_time=datetime.time(19, 0),
        end_time=datetime.time(21, 45),
        place="Frykensalen, biblioteket i Sunne",
        chair=people["Karl-Johan Adolfsson"],
        secretary=secretary,
        adjustment_place="Kommunkansliet, Sunne",
        adjustment_at=timezone.make_aware(datetime.datetime(2011, 4, 4, 8, 0)),
    )
    position = 0
    for name, _party in members:
        AttendanceFactory(meeting=meeting, person=people[name], position=position)
        position += 1
    for (name, _party), (absent, _absent_party) in substitutes:
        AttendanceFactory(meeting=meeting, person=people[name], replaces=people[absent], position=position)
        position += 1
    for first, last, title in (("Olle", "Edgren", "kommunchef"), ("Gunilla", "Nyström", "kommunsekreterare")):
        official = secretary if last == "Nyström" else PersonFactory(first_name=first, last_name=last)
        AttendanceFactory(
            meeting=meeting, person=official, function=AttendanceFunction.OTHER, title=title, position=position
        )
        position += 1
    for order, name in enumerate(("Jörn Okan", "Tobias Eriksson")):
        AdjusterFactory(meeting=meeting, person=people[name], position=order)
    for number in range(71, 86):
        ItemFactory(meeting=meeting, position=number - 70, number=number)

    notice = Notice(
        posted_on=datetime.date(2011, 4, 4),
        appeal_ends_on=datetime.date(2011, 4, 25),
        take_down_on=datetime.date(2011, 4, 26),
        kept_at="Kommunkansliet",
        posted_by="Gunilla Nyström",
    )
    snapshot = build_snapshot(meeting)
    rendered = render_text(snapshot, Request(notice=notice)).split("\n§ 71 ")[0]
    typed = " ".join(
        [f"{name} ({party})" for name, party in members]
        + [f"{a} ({b}) {c} ({d})" for (a, b), (c, d) in substitutes]
        + ["Olle Edgren kommunchef Gunilla Nyström kommunsekreterare Frykensalen, biblioteket i Sunne"]
        + ["Kommunkansliet, Sunne Kommunkansliet Kommunfullmäktige"]
    )
    ratio, matching = similarity(rendered, sample)
    generated = len(words(rendered)) - len(words(typed))
    with capsys.disabled():
        print(
            f"\nSunne KF 2011, pages 1–2: {len(words(sample))} words in the sample, {len(words(rendered))} rendered,"
            f" {len(words(typed))} typed by the secretary, {generated} generated; {matching} words in the same order"
            f" as the sample; similarity {ratio:.3f}"
        )
    first_page, roll_page = rendered.split("\n\nBeslutande\n")
    # Paragrafer stands beside Beslutande, at the top of the page, as the style's first_page_order puts it.
    assert (
        "Plats och tid Frykensalen, biblioteket i Sunne, kl 19:00-21:45\nParagrafer 71-85\n\nBeslutande Se sid 2\n"
        in first_page
    )
    assert "Utses att justera Jörn Okan och Tobias Eriksson" in first_page
    assert "Justeringens plats och tid Kommunkansliet, Sunne, 2011-04-04, kl 08:00" in first_page
    signatures = first_page.split("Underskrifter\n")[1].split("\n\n")[0].splitlines()
    assert [" ".join(line.split()) for line in signatures] == [
        "Sekreterare Ordförande Justerande",
        "Gunilla Nyström Karl-Johan Adolfsson Jörn Okan",
        "Tobias Eriksson",
    ]
    column = signatures[0].index("Justerande")  # the adjusters stand under their label
    assert (signatures[1].index("Jörn Okan"), signatures[2].index("Tobias Eriksson")) == (column, column)
    assert (
        "ANSLAG/BEVIS\nProtokollet är justerat. Justeringen har tillkännagivits genom anslag\nOrgan Kommunfullmäktige\n"
        "Datum för anslags uppsättande 2011-04-04\nDatum för anslags nedtagande 2011-04-26\n"
        "Förvaringsplats för protokoll Kommunkansliet\nUnderskrift Gunilla Nyström\n"
    ) in first_page
    assert "Ledamöter" not in first_page and roll_page.startswith("Ledamöter:\n  Ola Persson (C)\n")
    assert "\nTjänstgörande ersättare:\n  Tomas Ögren (C), ersättare för Sven Emilsson (C)\n" in roll_page
    assert (len(members), len(substitutes)) == (36, 5)
    assert ratio >= 0.98

    # In print the roll stands on a page of its own, the second, as in the sample.
    pages = PdfReader(io.BytesIO(html_to_pdf(render_html(snapshot, Request(notice=notice)), archival=False))).pages
    first, second = (" ".join(page.extract_text().split()) for page in pages[:2])
    assert ("Beslutande Se sid 2" in first, "Ledamöter" in first, "Underskrifter" in first) == (True, False, True)
    assert second.split()[:4] == ["Beslutande", "Ledamöter:", "Ola", "Persson"]
