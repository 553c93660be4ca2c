"""A style sample entered as data and printed with its preset: how close Paragraf's words come to the municipality's.

The sample (../shared/style-samples/) is a real protocol's excerpt; the test enters its § as a
secretary would (the typed text, the motions, the proposition and the vote with its ballots), prints
it with the committee's preset, and compares the words with difflib. The ratio is printed (run with
-s) and held to what was measured, so a change to the engine or the preset that loses words fails.
"""

import datetime
import difflib
from pathlib import Path

import pytest

from committee.models import Role
from minutes import styles
from minutes.models import BallotChoice, MotionKind, PropositionKind
from minutes.protocol.render import Request, render_text
from minutes.protocol.snapshot import build_snapshot
from tests.factories import (
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

Kultur och fritidsnämnden har lämnat yttrande i ärendet.

Underlag till beslut

Finansutskottet 2012-01-12 § 9

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
    typed = len(words(f"{item.title} {item.dnr} {item.matter} {item.base_proposal}"))
    ratio, matching = similarity(rendered, sample)
    generated = len(words(rendered)) - typed
    with capsys.disabled():
        print(
            f"\nÖstersund KS § 25: {len(words(sample))} words in the sample, {len(words(rendered))} rendered,"
            f" {typed} typed by the secretary, {generated} generated, of which {matching - typed} as printed;"
            f" similarity {ratio:.3f}"
        )
    assert "Pär Löfstrand, fp: Motionen bifalls." in rendered
    assert (
        "Med 11 ja-röster mot 2 nej-röster samt 2 ledamöter som avstår från att rösta"
        " beslutar kommunstyrelsen att anta AnnSofie Anderssons yrkande." in rendered
    )
    assert ratio >= 0.9
