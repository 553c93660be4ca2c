"""The house-style editor in Chromium: from the start page by links, one sentence changed, previewed, saved, used."""

import datetime

import pytest
from playwright.sync_api import expect

from committee.models import Committee

pytestmark = pytest.mark.django_db(transaction=True)

CHANGED = "{{ movers }}: bifall till {{ base_proposal }}."


def test_a_changed_sentence_is_previewed_saved_and_printed(page, demo, sign_in, live_server):
    sign_in(page, "/")
    page.get_by_role("link", name="Årstadals stadsdelsnämnd", exact=True).first.click()
    page.get_by_role("link", name="Husstil: protokollets formuleringar").click()
    expect(page.get_by_role("heading", level=1).first).to_have_text("Husstil för Årstadals stadsdelsnämnd")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("yrkade att nämnden skulle bifalla förvaltningens förslag.")
    # The whole protocol: its first page (with its own title) and its anslagsbevis are in the preview too.
    expect(preview.get_by_role("heading", level=1)).to_have_text("PROTOKOLL Nr 9/2016")
    expect(preview).to_contain_text("ANSLAGSBEVIS")
    page.get_by_label("paragraphs_label", exact=True).fill("Paragrafnummer")
    expect(preview.locator("dt", has_text="Paragrafnummer")).to_have_count(1)
    order = page.get_by_label("Ordningen på första sidans rader")
    order.fill("place, place, attendance, others, adjusters, adjustment, paragraphs")
    expect(page.locator("#f-first-order-error")).to_contain_text("Raden place står mer än en gång på första sidan.")
    order.fill("paragraphs, place, attendance, others, adjusters, adjustment")
    expect(page.locator("#f-first-order-error")).to_have_text("")
    expect(preview.locator("dt").first).to_have_text("Paragrafnummer")

    field = page.get_by_label("motion.approve", exact=True)
    field.fill("{{ movers }} {{ nonsense }}")
    expect(page.locator("#t-motion-approve-error")).to_contain_text("okänd platshållare nonsense")
    field.fill(CHANGED)
    expect(preview).to_contain_text("Mariana Moreira Duarte m fl (MP): bifall till förvaltningens förslag.")
    expect(page.locator("#t-motion-approve-error")).to_have_text("")

    page.get_by_role("button", name="Spara som ny version").click()
    expect(page.get_by_role("status").first).to_contain_text("Sparad som version 2.")
    assert Committee.objects.get().house_style.version == 2

    page.get_by_role("link", name="Årstadals stadsdelsnämnd").first.click()
    page.get_by_role("link", name="Sammanträde 9, 2016-09-22").click()
    page.get_by_role("link", name="Protokoll (HTML)").click()
    expect(page.locator("body")).to_contain_text(
        "Mariana Moreira Duarte m fl (MP): bifall till förvaltningens förslag."
    )


def test_the_editor_fits_a_phone(page, demo, sign_in):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, f"/namnd/{demo.committee.slug}/husstil/")
    expect(page.locator("#preview")).to_contain_text("Beslutsgång")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_another_meeting_in_the_preview_keeps_what_was_typed(page, demo, sign_in):
    from tests.factories import ItemFactory, MeetingFactory

    other_meeting = MeetingFactory(committee=demo.committee, number=10, date=datetime.date(2016, 10, 20))
    ItemFactory(meeting=other_meeting, title="Budgetuppföljning oktober")
    sign_in(page, f"/namnd/{demo.committee.slug}/husstil/")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Budgetuppföljning oktober")  # the latest meeting with §§
    field = page.get_by_label("motion.approve", exact=True)
    field.fill(CHANGED)

    page.locator("#f-meeting").select_option(label="Sammanträde 9, 2016-09-22")

    expect(preview).to_contain_text("Mariana Moreira Duarte m fl (MP): bifall till förvaltningens förslag.")
    expect(field).to_have_value(CHANGED)
    assert "meeting=" in page.url
    page.get_by_role("button", name="Spara som ny version").click()
    expect(page.get_by_role("status").first).to_contain_text("Sparad som version 2.")
    assert Committee.objects.get().house_style.document["sentences"]["motion.approve"] == CHANGED


def test_unsaved_edits_are_not_lost_to_an_import_without_asking(page, demo, sign_in):
    sign_in(page, f"/namnd/{demo.committee.slug}/husstil/")
    field = page.get_by_label("motion.approve", exact=True)
    field.fill(CHANGED)
    asked = []

    def dismiss(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_role("button", name="Använd förinställningen").click()
    page.wait_for_timeout(500)
    assert (asked, page.url.endswith("/husstil/")) == (["beforeunload"], True)
    expect(field).to_have_value(CHANGED)

    page.remove_listener("dialog", dismiss)
    page.get_by_role("button", name="Spara som ny version").click()  # saving asks nothing
    expect(page.get_by_role("status").first).to_contain_text("Sparad som version 2.")
    page.get_by_role("button", name="Använd förinställningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ersätta stilen med en förinställning?")


def test_a_word_field_and_the_section_order_show_their_problems_as_typed(page, demo, sign_in):
    sign_in(page, f"/namnd/{demo.committee.slug}/husstil/")
    page.get_by_label("moved", exact=True).fill("yrkade {{ body }}")
    expect(page.locator("#w-verbs-moved-error")).to_have_text(
        "verbs.moved skrivs ut precis som det står: platshållare som {{ … }} fungerar bara i mallarna."
    )
    expect(page.locator("#w-verbs-moved-error")).to_be_visible()
    page.get_by_label("moved", exact=True).fill("yrkade")
    page.get_by_label("Ordningen för en paragrafs avsnitt").fill("decision, matter")
    expect(page.locator("#f-order-error")).to_contain_text("Avsnittet motions saknas")
    expect(page.locator("#f-order-error")).to_be_visible()
    expect(page.locator("#w-verbs-moved-error")).to_have_text("")


def test_on_a_phone_a_link_leads_to_the_preview_and_at_1280_the_save_button_is_one_line(page, demo, sign_in):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, f"/namnd/{demo.committee.slug}/husstil/")
    page.get_by_role("link", name="Till förhandsgranskningen").click()
    expect(page.get_by_role("heading", name="Förhandsgranska")).to_be_in_viewport()
    page.screenshot(path="/tmp/style-editor-360.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.get_by_role("link", name="Till förhandsgranskningen")).to_be_hidden()
    save = page.get_by_role("button", name="Spara som ny version")
    page.get_by_label("motion.approve", exact=True).fill(CHANGED)  # the status beside the button fills up
    expect(page.locator("#style-state")).to_contain_text("Förhandsgranskningen visar stilen")
    page.screenshot(path="/tmp/style-editor-1280.png")
    box = save.bounding_box()
    line = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('#style-form button[type=submit]')).lineHeight)"
    )
    assert box is not None and box["height"] < 2 * line
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
