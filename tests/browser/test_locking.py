"""The same § open in two browsers: the second save is refused, and nothing either of them typed is lost."""

import pytest

from minutes.demo import SEED_DECISION
from minutes.forms import ItemForm
from minutes.models import Item, Motion

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = "Stadsdelsnämnden godkänner förvaltningens svar på remissen."
SECOND = "Förvaltningen har tagit fram ett svar tillsammans med pensionärsrådet."


def test_second_save_of_the_same_item_is_refused_and_keeps_both_texts(page, new_page, demo, sign_in, workspace):
    url = f"/sammantrade/{demo.pk}/paragraf/10/"
    first, second = page, new_page()
    for secretary in (first, second):
        sign_in(secretary, url)
    item = Item.objects.get(meeting=demo, number=10)
    version, matter = item.version, item.matter

    ui = workspace(first)
    ui.field("item", "decision").fill(FIRST)
    ui.save("item", ui.in_preview(FIRST))

    # The second browser still has the § as it was before the first one saved.
    other = workspace(second)
    other.field("item", "matter").fill(SECOND)
    other.submit(other.form("item"))
    stale = second.locator("#stale")
    assert stale.locator("strong").inner_text() == "Din ändring sparades inte."
    unsaved = dict(zip(stale.locator("dt").all_inner_texts(), stale.locator("dd").all_inner_texts(), strict=True))
    labels = {name: str(field.label) for name, field in ItemForm.base_fields.items()}
    assert (unsaved[labels["matter"]], unsaved[labels["decision"]]) == (SECOND, SEED_DECISION)
    item.refresh_from_db()
    # The draft may also have been saved on its own while the test typed (under load): one save or two.
    assert (item.version in (version + 1, version + 2), item.decision, item.matter) == (True, FIRST, matter)
    refused = item.version

    # The form now shows what is stored, so the second browser can save again without undoing the first.
    assert other.field("item", "decision").input_value() == FIRST
    other.field("item", "matter").fill(SECOND)
    other.save("item", other.in_preview(SECOND))
    item.refresh_from_db()
    assert (item.version in (refused + 1, refused + 2), item.decision, item.matter) == (True, FIRST, SECOND)
    assert second.locator("#stale").count() == 0


def test_part_added_from_a_stale_page_is_refused_and_its_text_is_kept(page, new_page, demo, sign_in, workspace):
    url = f"/sammantrade/{demo.pk}/paragraf/10/"
    first, second = page, new_page()
    for secretary in (first, second):
        sign_in(secretary, url)
    ui = workspace(first)
    ui.field("item", "decision").fill(FIRST)
    ui.save("item", ui.in_preview(FIRST))

    other = workspace(second)
    other.field("motion", "kind").select_option("approve_with_text")
    other.check_people("motion", "movers", ["Sofia Bergqvist"])
    other.field("motion", "text").fill(SECOND)
    other.submit(other.form("motion"))

    assert second.locator("#stale strong").inner_text() == "Din ändring sparades inte."
    assert Motion.objects.filter(item__meeting=demo, item__number=10).count() == 2
    kept = [second.locator("#stale").inner_text(), other.field("motion", "text").input_value()]
    assert any(SECOND in text for text in kept), kept
