"""The seed's § 10 entered by hand: the secretary types it into an empty meeting, Paragraf prints it back.

Everything goes through the browser, as a secretary would do it: a new meeting in the demo
committee, nine §§ before the seed's so that it comes out as § 10 (the committee numbers from
§ 1 in every meeting), then the § itself, its motions and movers, the procedure, the recusal and
the reservation. The downloaded text must equal the seed word for word, and so must the PDF read
back. Attendance needs nothing beyond the roll the new meeting is given: all eleven members
serving, and the § names no one else.
"""

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from minutes.demo import SEED_DECISION, SEED_LIBERAL_TEXT, SEED_MATTER, SEED_SUBTITLE, SEED_TITLE, unwrapped
from minutes.models import Meeting

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_49baae104a3b8773.txt"
APPROVE = "Bifall till förslaget – Lars Bäck (V), Kjell Backman m fl (S) och Mariana Moreira Duarte m fl (MP)"
LIBERAL = "Bifall med egen text – Peter Öberg (L)"

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_words(pdf: bytes, running: list[str]) -> list[str]:
    """The PDF's words in reading order, without the running header and the page footer."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for line in running:
        text = text.replace(line, " ")
    return re.sub(r"Sida \d+ \(\d+\)", " ", text).split()


def test_seed_item_entered_through_the_ui_prints_as_the_seed(live_server, page, demo, sign_in, workspace):
    ui = workspace(page)
    sign_in(page, "/")
    page.get_by_role("link", name="Årstadals stadsdelsnämnd", exact=True).click()

    page.get_by_label("Datum").fill("2016-10-20")
    page.get_by_label("Starttid").fill("18:00")
    page.get_by_label("Plats").fill("Årstadals stadsdelsförvaltning, sammanträdesrummet")
    page.get_by_role("button", name="Skapa sammanträde").click()
    page.wait_for_url("**/sammantrade/*/")
    meeting = Meeting.objects.exclude(pk=demo.pk).get()
    assert (meeting.number, str(meeting.date), meeting.chair.full_name) == (10, "2016-10-20", "Lars Bäck")

    ui.add_items([f"Ärende {n}" for n in range(1, 10)] + [SEED_TITLE])
    page.get_by_role("link", name=SEED_TITLE, exact=True).click()
    page.wait_for_url(f"**/sammantrade/{meeting.pk}/paragraf/10/")

    ui.field("item", "subtitle").fill(SEED_SUBTITLE)
    ui.field("item", "dnr").fill("1.5.1-392/2016")
    ui.field("item", "decision").fill(SEED_DECISION)
    ui.field("item", "matter").fill(unwrapped(SEED_MATTER))
    ui.field("item", "report_date").fill("2016-09-01")
    ui.save("item", ui.in_preview("Förvaltningen hade redovisat ärendet i ett tjänsteutlåtande daterat 2016-09-01."))

    ui.field("motion", "kind").select_option("approve")
    ui.check_people("motion", "movers", ["Lars Bäck", "Kjell Backman", "Mariana Moreira Duarte"])
    ui.check_people("motion", "with_others", ["Kjell Backman", "Mariana Moreira Duarte"])
    ui.save("motion", ui.in_preview("Ordföranden Lars Bäck (V), Kjell Backman m fl (S) och Mariana Moreira Duarte"))

    ui.field("motion", "kind").select_option("approve_with_text")
    ui.check_people("motion", "movers", ["Peter Öberg"])
    ui.field("motion", "text").fill(unwrapped(SEED_LIBERAL_TEXT))
    ui.save("motion", ui.in_preview("Peter Öberg (L) yrkade att nämnden skulle bifalla förvaltningens förslag och"))

    ui.field("proposition", "kind").select_option("against_each_other")
    ui.field("proposition", "outcome").select_option(label=APPROVE)
    ui.save("proposition", ui.in_preview("Ordföranden ställde yrkandena mot varandra och fann"))

    ui.field("recusal", "person").select_option(label="Arne Fredholm")
    ui.field("recusal", "left_room").check()
    ui.save("recusal", ui.in_preview("Arne Fredholm (M) anmälde jäv och lämnade sammanträdet medan ärendet"))

    # The party's text is the Liberal motion's, printed under the reservation made in its favour.
    ui.check_people("reservation", "members", ["Peter Öberg"])
    ui.field("reservation", "in_favour_of").select_option(label=LIBERAL)
    ui.save("reservation", page.locator("#preview section.reservation"))

    seed_words = SEED.read_text().split()
    base = f"{live_server.url}/sammantrade/{meeting.pk}/paragraf/10"
    text = page.request.get(f"{base}.txt")
    assert (text.headers["content-type"], " ".join(text.text().split())) == (
        "text/plain; charset=utf-8",
        " ".join(seed_words),
    )

    pdf = page.request.get(f"{base}.pdf")
    running = ["Årstadals stadsdelsnämnd", "PROTOKOLL Nr 10/2016", "2016-10-20"]
    assert (pdf.headers["content-type"], pdf_words(pdf.body(), running)) == ("application/pdf", seed_words)
