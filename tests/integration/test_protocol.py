"""The protocol pipeline end to end on the demo: the golden § 10, the PDF read back, commands."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from minutes.models import Item, Meeting, Motion, MotionKind, MotionMover, Reservation, ReservationMember
from minutes.protocol.render import Request, render_html, render_text
from minutes.protocol.snapshot import build_snapshot

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_49baae104a3b8773.txt"

pytestmark = pytest.mark.django_db


def words(text: str) -> list[str]:
    return text.split()


def render(meeting: Meeting, tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "out"
    call_command("render_protocol", str(meeting.pk), *args, "-o", str(out), stderr=io.StringIO())
    return out


def pdf_words(path: Path, running: list[str]) -> list[str]:
    """The PDF's words in reading order, without the running header and page footer."""
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for line in running:
        text = text.replace(line, " ")
    text = re.sub(r"Sida \d+ \(\d+\)", " ", text)
    return words(text)


def test_item_10_as_text_equals_the_seed_word_for_word(demo, tmp_path):
    out = render(demo, tmp_path, "--item", "10", "--format", "text")
    assert words(out.read_text()) == words(SEED.read_text())


def test_item_10_as_pdf_reads_back_as_the_seed(demo, tmp_path):
    out = render(demo, tmp_path, "--item", "10", "--format", "pdf")
    reader = PdfReader(out)
    assert len(reader.pages) == 2
    running = ["Årstadals stadsdelsnämnd", "PROTOKOLL Nr 9/2016", "2016-09-22"]
    assert pdf_words(out, running) == words(SEED.read_text())


def test_pdf_is_pdf_a_with_title_and_language(demo, tmp_path):
    out = render(demo, tmp_path, "--format", "pdf")
    reader = PdfReader(out)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    part = re.search(r"pdfaid:part(?:>|=\")(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")(\w)", xmp)
    assert (reader.metadata.title, str(reader.trailer["/Root"]["/Lang"]), part.group(1), conformance.group(1)) == (
        "Årstadals stadsdelsnämnd, protokoll 2016-09-22",
        "sv",
        "3",
        "B",
    )


def test_full_protocol_has_first_page_every_item_and_certificate(demo, tmp_path):
    text = render(demo, tmp_path, "--format", "text").read_text()
    titles = re.findall(r"^§ (\d+) ", text, flags=re.M)
    assert titles == [str(n) for n in range(1, 13)]
    first_page = text.split("§ 1 ")[0]
    for expected in (
        "PROTOKOLL Nr 9/2016",
        "Lars Bäck (V), ordförande",
        "Mats Hedlund (M) för Karin Holm (M)",
        "Birgitta Sjö, stadsdelsdirektör",
        "Justeringens tid och plats: 2016-09-29 kl. 15.00, Årstadals stadsdelsförvaltning",
        "Paragrafer: §§ 1–12",
        "Vid protokollet: Helena Wik",
        "ANSLAGSBEVIS",
    ):
        assert expected in first_page


def test_public_version_withholds_the_confidential_item(demo, tmp_path):
    official = render(demo, tmp_path, "--format", "text").read_text()
    public = render(demo, tmp_path, "--format", "text", "--public").read_text()
    assert "§ 6 Ansökan om bistånd enligt socialtjänstlagen" in official
    assert "§ 6 Individärende enligt socialtjänstlagen" in public
    assert "bistånd" not in public.lower()


def test_extract_is_certified_and_carries_the_item(demo, tmp_path):
    text = render(demo, tmp_path, "--item", "10", "--extract", "--format", "text").read_text()
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[:3] == ["Årstadals stadsdelsnämnd", "PROTOKOLLSUTDRAG", "Sammanträdesdatum 2016-09-22"]
    assert lines[-4:] == [
        "Protokollet är ännu inte justerat.",
        "Rätt utdraget intygar",
        "Helena Wik",
        datetime.date.today().isoformat(),
    ]
    body = text.split("Sammanträdesdatum 2016-09-22", 1)[1].split("Protokollet är ännu inte justerat.")[0]
    assert words(body) == words(SEED.read_text())


def test_extract_pdf_has_the_certification_line(demo, tmp_path):
    out = render(demo, tmp_path, "--item", "10", "--extract", "--format", "pdf")
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Rätt utdraget intygar" in text and "PROTOKOLLSUTDRAG" in text


def test_unknown_item_and_meeting_are_refused(demo, tmp_path):
    with pytest.raises(CommandError, match="no § 99"):
        render(demo, tmp_path, "--item", "99", "--format", "text")
    with pytest.raises(CommandError, match="no meeting"):
        call_command("render_protocol", "999", "--format", "text", "-o", str(tmp_path / "x"))


def test_user_text_is_escaped_in_html_and_printed_literally_in_pdf(demo, tmp_path):
    item = Item.objects.get(meeting=demo, number=10)
    item.title = '<script>alert("x")</script><img src="file:///etc/passwd">'
    item.save()
    html = render(demo, tmp_path, "--item", "10", "--format", "html").read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    pdf = render(demo, tmp_path, "--item", "10", "--format", "pdf")
    text = PdfReader(pdf).pages[0].extract_text()
    assert '<script>alert("x")</script>' in text


def test_renderer_refuses_to_fetch_anything_but_our_static_files():
    from weasyprint.urls import FatalURLFetchingError

    from minutes.protocol.pdf import RefusedFetch, html_to_pdf

    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png"):
        with pytest.raises(FatalURLFetchingError) as refused:
            html_to_pdf(f'<html><body><img src="{url}"></body></html>', archival=False)
        assert isinstance(refused.value.__cause__, RefusedFetch)


def add_items(meeting: Meeting, count: int) -> None:
    """Append `count` §§, each with a motion, two movers and a reservation."""
    people = [a.person for a in meeting.attendances.filter(function="serving")[:2]]
    start = meeting.items.count()
    for n in range(start + 1, start + count + 1):
        item = Item.objects.create(meeting=meeting, position=n, number=n, title=f"Ärende {n}", decision="Bifall.")
        motion = Motion.objects.create(item=item, kind=MotionKind.REJECT)
        for position, person in enumerate(people):
            MotionMover.objects.create(motion=motion, person=person, position=position)
        reservation = Reservation.objects.create(item=item, in_favour_of=motion)
        ReservationMember.objects.create(reservation=reservation, person=people[0])


@pytest.mark.parametrize("extra", [0, 28])
def test_build_snapshot_query_count_does_not_grow_with_items(demo, extra, django_assert_num_queries):
    add_items(demo, extra)
    with django_assert_num_queries(14):
        snapshot = build_snapshot(demo)
    assert len(snapshot.items) == 12 + extra


def test_build_snapshot_query_count_over_1_and_40_items(django_assert_num_queries):
    call_command("loaddemo", "--draft", stdout=io.StringIO())
    meeting = Meeting.objects.get()
    meeting.items.all().delete()
    add_items(meeting, 1)
    with django_assert_num_queries(14):
        assert len(build_snapshot(meeting).items) == 1
    add_items(meeting, 39)
    with django_assert_num_queries(14):
        assert len(build_snapshot(meeting).items) == 40


def test_names_and_parties_are_those_of_the_meeting_day(demo):
    from committee.models import Membership, Party

    membership = Membership.objects.get(person__last_name="Öberg")
    membership.end = datetime.date(2017, 12, 31)
    membership.save()
    Membership.objects.create(
        person=membership.person,
        committee=membership.committee,
        role="member",
        party=Party.objects.get(abbreviation="C"),
        start=datetime.date(2018, 1, 1),
    )
    text = render_text(build_snapshot(demo), Request(kind="item", numbers=(10,)))
    assert "Peter Öberg (L) yrkade" in text


def test_html_headings_are_real_headings(demo):
    html = render_html(build_snapshot(demo), Request())
    assert re.findall(r"<h1>(.*?)</h1>", html) == ["PROTOKOLL Nr 9/2016"]
    assert len(re.findall(r'<h2 class="item-title">', html)) == 12
    assert '<html lang="sv">' in html
