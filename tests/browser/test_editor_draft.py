"""The § editor keeps what is typed, in Chromium: across every in-page action, saved on its own, warned on leaving."""

import re

import pytest
from playwright.sync_api import Page, expect

from minutes.models import Item, Proposition, Reservation

pytestmark = pytest.mark.django_db(transaction=True)

TYPED = {
    "title": "Ny förskola i Västra hamnen",
    "subtitle": "Lokalförsörjning 2017",
    "dnr": "BUN 2016/123",
    "decision": "Nämnden godkänner förstudien.\n\nNämnden uppdrar åt förvaltningen att upphandla en byggentreprenad.",
    "matter": "Förvaltningen har utrett behovet av förskoleplatser i Västra hamnen och föreslår en ny förskola.",
    "report_date": "2016-10-20",
    "base_proposal": "Förvaltningens förslag till beslut",
    "report_wording": "Förvaltningens tjänsteskrivelse",
    "public_heading": "Förskola",
}


def item_values(page: Page) -> dict[str, str]:
    return {name: page.locator(f"[name='item-{name}']").input_value() for name in TYPED}


def test_typed_text_survives_every_action_is_previewed_saved_and_guarded(page, demo, sign_in, workspace):
    url = f"/sammantrade/{demo.pk}/paragraf/3/"
    sign_in(page, url)
    ws = workspace(page)
    # Confidential without its public heading cannot be saved: everything typed stays unsaved meanwhile.
    page.locator("[name='item-confidential']").check()
    for name, value in TYPED.items():
        if name != "public_heading":
            page.locator(f"[name='item-{name}']").fill(value)
    ws.field("reservation", "text").fill("Vi vill ha förskolan närmare skolan.")

    # The preview shows the unsaved text; the server says why it is not saved, at the field.
    ws.in_preview("Nämnden uppdrar åt förvaltningen att upphandla en byggentreprenad.").wait_for()
    expect(page.locator("#draft-state")).to_have_text("Inte sparat: rätta de markerade fälten.")
    expect(page.locator(".draft-error")).to_have_text(
        "En paragraf med sekretess behöver en rubrik för den offentliga versionen."
    )
    assert Item.objects.get(meeting=demo, number=3).dnr != TYPED["dnr"]

    # Two motions, a vote and a reservation: after each, everything typed is still there.
    typed = {k: v for k, v in TYPED.items() if k != "public_heading"} | {"public_heading": ""}
    for kind, mover in (("approve", 0), ("reject", 1)):
        ws.field("motion", "kind").select_option(kind)
        ws.field("motion", "movers").nth(mover).check()
        ws.submit(ws.form("motion"))
        assert page.locator(ws.ERRORS).all_inner_texts() == []
        assert item_values(page) == typed
        assert ws.field("reservation", "text").input_value() == "Vi vill ha förskolan närmare skolan."
    ws.field("proposition", "outcome").select_option(index=1)
    ws.field("proposition", "voted").check()
    ws.field("proposition", "yes_motion").select_option(index=1)
    ws.field("proposition", "no_motion").select_option(index=2)
    ballots = ws.form("proposition").locator("select[name^='proposition-ballot_']")
    for index in range(ballots.count()):
        ballots.nth(index).select_option("yes" if index % 3 else "no")
    ws.submit(ws.form("proposition"))
    assert page.locator(ws.ERRORS).all_inner_texts() == []
    assert item_values(page) == typed
    assert Proposition.objects.filter(item__meeting=demo, item__number=3).count() == 1
    ws.field("reservation", "members").first.check()
    ws.submit(ws.form("reservation"))
    assert page.locator(ws.ERRORS).all_inner_texts() == []
    assert item_values(page) == typed
    assert Reservation.objects.filter(item__meeting=demo, item__number=3).count() == 1

    # With the public heading the draft saves on its own, and says when.
    page.locator("[name='item-public_heading']").fill(TYPED["public_heading"])
    expect(page.locator("#draft-state")).to_have_text(re.compile(r"^Sparat \d\d\.\d\d$"))
    stored = Item.objects.get(meeting=demo, number=3)
    assert {name: str(getattr(stored, name)).replace("\r\n", "\n") for name in TYPED} == TYPED
    assert item_values(page) == TYPED
    # An in-page action re-renders the editor: it still says when the § was saved.
    ws.field("motion", "kind").select_option("table")
    ws.field("motion", "movers").nth(2).check()
    ws.submit(ws.form("motion"))
    assert page.locator(ws.ERRORS).all_inner_texts() == []
    expect(page.locator("#draft-state")).to_have_text(re.compile(r"^Sparat \d\d\.\d\d$"))

    # Unsaved text (the heading emptied again cannot be saved): the breadcrumb asks first, and so does the browser.
    page.locator("[name='item-public_heading']").fill("")
    expect(page.locator("#draft-state")).to_have_text("Inte sparat: rätta de markerade fälten.")
    asked: list[tuple[str, str]] = []

    def answer(dialog) -> None:
        asked.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("navigation", name="Sökväg").get_by_role("link").nth(1).click()
    expect(page.locator("#draft-state")).to_have_text("Inte sparat: rätta de markerade fälten.")
    assert page.url.endswith(url)
    assert asked == [("confirm", "En del av det du har skrivit är inte sparat. Vill du lämna sidan ändå?")]
    page.remove_listener("dialog", answer)
    with page.expect_event("dialog") as leaving:
        page.close(run_before_unload=True)
    assert leaving.value.type == "beforeunload"
    leaving.value.dismiss()


def test_preview_is_one_tap_away_on_a_phone(page, demo, sign_in):
    page.set_viewport_size({"width": 390, "height": 844})
    url = f"/sammantrade/{demo.pk}/paragraf/3/"
    sign_in(page, url)
    page.locator("#add-statement").scroll_into_view_if_needed()
    expect(page.locator("#preview")).not_to_be_in_viewport()
    jump = page.get_by_role("link", name="Förhandsgranska")
    expect(jump).to_be_in_viewport()
    jump.click()
    expect(page.locator("#h-preview")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_autosave_against_a_newer_save_shows_both_texts(page, new_page, demo, sign_in, workspace):
    url = f"/sammantrade/{demo.pk}/paragraf/10/"
    first, second = page, new_page()
    for secretary in (first, second):
        sign_in(secretary, url)
    ui = workspace(first)
    ui.field("item", "decision").fill("Den första sekreterarens beslut.")
    ui.save("item", ui.in_preview("Den första sekreterarens beslut."))

    # The second page still has the old version: its draft, saved on its own, is refused and both texts show.
    second.locator("[name='item-matter']").fill("Den andra sekreterarens ärendebeskrivning.")
    stale = second.locator("#stale")
    stale.wait_for()
    expect(stale.locator("dd").first).to_be_visible()
    assert "Den andra sekreterarens ärendebeskrivning." in stale.locator("dd").all_inner_texts()
    assert second.locator("[name='item-decision']").input_value() == "Den första sekreterarens beslut."
    stored = Item.objects.get(meeting=demo, number=10)
    assert (stored.decision, "Den andra" in stored.matter) == ("Den första sekreterarens beslut.", False)
