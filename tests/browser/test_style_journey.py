"""The secretary's journey to a house style of their own: from the start page, by links, to Östersund's preset,
one sentence changed and seen in the live preview, saved, and printed in the meeting's protocol.

The effort is counted as the whole journey counts it (tests/browser/test_journey.py): pages visited,
clicks, fields typed and seconds, printed with `-s`.
"""

import time

import pytest
from playwright.sync_api import expect

from committee.models import Committee
from tests.browser.conftest import SECRETARY_PASSWORD, SECRETARY_USERNAME
from tests.browser.test_journey import Person

pytestmark = pytest.mark.django_db(transaction=True)

CHANGED = "{{ movers }} instämde i {{ base_proposal }} utan några ändringar."


def test_from_the_start_page_to_the_ostersund_style_with_one_sentence_changed_and_printed(page, demo, live_server):
    started = time.monotonic()
    secretary = Person("sekreterare", page)
    secretary.goto(f"{live_server.url}/konto/login/?next=/")
    secretary.fill(page.locator("#id_username"), SECRETARY_USERNAME)
    secretary.fill(page.locator("#id_password"), SECRETARY_PASSWORD)
    secretary.click(page.locator("form button[type=submit]"))

    secretary.link("Årstadals stadsdelsnämnd")
    secretary.link("Husstil: protokollets formuleringar")
    # The page's own heading; the preview below holds the protocol's title as its own h1
    expect(page.get_by_role("heading", level=1).first).to_have_text("Husstil för Årstadals stadsdelsnämnd")
    secretary.select(page.get_by_label("Eller börja om från en förinställning"), label="Östersund, kommunstyrelsen")
    secretary.button("Använd förinställningen")
    secretary.button("Ersätt stilen")  # the preset replaces the whole style: it is asked first
    expect(page.get_by_role("status").first).to_contain_text("Importerad som version 2.")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Proposition")  # Östersund's heading of the procedure, not "Beslutsgång"

    secretary.fill(page.get_by_label("motion.approve", exact=True), CHANGED)
    expect(preview).to_contain_text("instämde i förvaltningens förslag utan några ändringar.")
    secretary.button("Spara som ny version")
    expect(page.get_by_role("status").first).to_contain_text("Sparad som version 3.")

    secretary.link("Årstadals stadsdelsnämnd")
    secretary.link("Sammanträde 9, 2016-09-22")
    secretary.link("Protokoll (HTML)")
    expect(page.locator("body")).to_contain_text("instämde i förvaltningens förslag utan några ändringar.")
    seconds = time.monotonic() - started

    style = Committee.objects.get().house_style
    assert (style.version, style.document["headings"]["procedure"]) == (3, "Proposition")
    # Clicks: sign in, committee, style page, use the preset, confirm it, save, committee, meeting, protocol.
    # Fields: the username, the password, the preset and the one sentence.
    assert (secretary.clicks, secretary.fields) == (9, 4)
    print(
        f"\nstyle journey: pages {secretary.pages}, clicks {secretary.clicks}, "
        f"fields {secretary.fields}, seconds {seconds:.1f}"
    )
