"""A roll-call vote entered fast: a party-line vote of eleven in three actions, the keys J/N/A/F, the tally
and the outcome shown before saving, and the protocol reading the vote once saved.

The § is added to the demo meeting 9/2016, whose roll has Mats Hedlund (M) serving for Karin Holm (M).
"""

import pytest

from committee.models import Person
from minutes import services
from minutes.models import Ballot, MotionKind, Tally

pytestmark = pytest.mark.django_db(transaction=True)

APPROVE = "Bifall till förslaget – Lars Bäck (V)"
REJECT = "Avslag på förslaget – Arne Fredholm (M)"


def person(name: str) -> Person:
    first, last = name.split(" ", 1)
    return Person.objects.get(first_name=first, last_name=last)


def test_party_line_vote_in_three_actions_with_tally_keys_and_protocol(page, demo, sign_in, workspace):
    item = services.add_item(demo, title="Namnbyte på parken vid Årstaviken")
    services.add_motion(item, kind=MotionKind.APPROVE, movers=[(person("Lars Bäck"), False)])
    services.add_motion(item, kind=MotionKind.REJECT, movers=[(person("Arne Fredholm"), False)])
    ui = workspace(page)
    sign_in(page, f"/sammantrade/{demo.pk}/paragraf/{item.number}/")

    form = ui.form("proposition")
    ui.field("proposition", "kind").select_option("against_each_other")
    ui.field("proposition", "outcome").select_option(label=APPROVE)
    ui.field("proposition", "yes_motion").select_option(label=APPROVE)
    ui.field("proposition", "no_motion").select_option(label=REJECT)
    tally = form.locator("[data-vote-tally]")
    outcome = form.locator("[data-vote-outcome]")
    assert (
        tally.inner_text() == "0 ja, 0 nej, 0 avstår, 11 frånvarande – Lika röstetal: ordförandens utslagsröst avgör."
    )

    # The majority says Ja, M and L say Nej: one action for everyone, one for each party against.
    actions = ["Alla Ja", "M: Nej", "L: Nej"]
    for name in actions:
        form.get_by_role("button", name=name, exact=True).click()
    assert len(actions) == 3
    assert tally.inner_text() == "7 ja, 4 nej, 0 avstår, 0 frånvarande – Ja vinner."
    assert outcome.inner_text() == "Nämnden beslutade enligt förvaltningens förslag."
    assert ui.field("proposition", "voted").is_checked()
    chosen = {
        label: form.get_by_label(label, exact=True).input_value()
        for label in ("Lars Bäck", "Arne Fredholm", "Mats Hedlund", "Peter Öberg", "Sofia Bergqvist")
    }
    assert chosen == {
        "Lars Bäck": "yes",
        "Arne Fredholm": "no",
        "Mats Hedlund": "no",
        "Peter Öberg": "no",
        "Sofia Bergqvist": "yes",
    }

    # Keyboard: F marks Lars Bäck absent and moves to the next row; J there keeps Ja and moves on.
    form.get_by_label("Lars Bäck", exact=True).focus()
    page.keyboard.press("f")
    assert page.evaluate("document.activeElement.id") == form.get_by_label("Kjell Backman", exact=True).get_attribute(
        "id"
    )
    assert tally.inner_text() == "6 ja, 4 nej, 0 avstår, 1 frånvarande – Ja vinner."
    page.keyboard.press("a")
    assert tally.inner_text() == "5 ja, 4 nej, 1 avstår, 1 frånvarande – Ja vinner."
    assert page.evaluate("document.activeElement.id") == form.get_by_label("Arne Fredholm", exact=True).get_attribute(
        "id"
    )
    # Back to the party line: J on the first two rows.
    form.get_by_label("Lars Bäck", exact=True).focus()
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert tally.inner_text() == "7 ja, 4 nej, 0 avstår, 0 frånvarande – Ja vinner."

    ui.save("proposition", ui.in_preview("Omröstning begärdes och verkställdes."))
    assert ui.preview_paragraphs("procedure") == [
        "Ordföranden ställde yrkandena mot varandra och fann att nämnden hade beslutat enligt förvaltningens förslag.",
        "Omröstning begärdes och verkställdes. Ja för bifall till förvaltningens förslag, nej för bifall till "
        "Arne Fredholms (M) yrkande. Med 7 ja-röster mot 4 nej-röster beslutade nämnden enligt förvaltningens förslag.",
    ]
    rows = page.locator("#preview table.roll-call tbody tr").all_inner_texts()
    assert rows[6:9] == ["Johan Sundberg (S)\tJa", "Mats Hedlund (M)\tNej", "Erik Nyström (M)\tNej"]
    stored = Ballot.objects.filter(proposition__item=item).values_list("choice", flat=True)
    assert Tally.of(stored) == Tally(yes=7, no=4, abstain=0)


def test_party_line_of_four_parties_two_against_two_from_the_motions(page, demo, sign_in, workspace):
    # V and S move Ja (S "m fl"), M and L move Nej: MP and C moved nothing and are left for "Others".
    item = services.add_item(demo, title="Ny cykelbana längs Ringvägen")
    services.add_motion(
        item, kind=MotionKind.APPROVE, movers=[(person("Lars Bäck"), False), (person("Kjell Backman"), True)]
    )
    services.add_motion(
        item, kind=MotionKind.REJECT, movers=[(person("Arne Fredholm"), False), (person("Peter Öberg"), False)]
    )
    ui = workspace(page)
    sign_in(page, f"/sammantrade/{demo.pk}/paragraf/{item.number}/")

    form = ui.form("proposition")
    ui.field("proposition", "kind").select_option("against_each_other")
    ui.field("proposition", "outcome").select_option(index=1)
    tally = form.locator("[data-vote-tally]")
    # The three actions: the Ja motion, the Nej motion, the party line.
    ui.field("proposition", "yes_motion").select_option(index=1)
    ui.field("proposition", "no_motion").select_option(index=2)
    form.get_by_role("button", name="Som partierna yrkat", exact=True).click()
    assert tally.inner_text() == "5 ja, 4 nej, 0 avstår, 2 frånvarande – Ja vinner."
    assert ui.field("proposition", "voted").is_checked()
    rows = form.locator("table.vote-roll tbody tr")
    chosen = {
        rows.nth(n).locator("label").inner_text(): (
            rows.nth(n).get_attribute("data-party"),
            rows.nth(n).locator("select").input_value(),
        )
        for n in range(rows.count())
    }
    assert {name: choice for name, (party, choice) in chosen.items() if party in ("MP", "C")} == {
        "Mariana Moreira Duarte": "",
        "Sofia Bergqvist": "",
    }
    assert sorted({(party, choice) for party, choice in chosen.values() if party not in ("MP", "C")}) == [
        ("L", "no"),
        ("M", "no"),
        ("S", "yes"),
        ("V", "yes"),
    ]
    # "Others" fills only the rows still without a vote.
    form.get_by_role("button", name="Övriga: Avstår", exact=True).click()
    assert tally.inner_text() == "5 ja, 4 nej, 2 avstår, 0 frånvarande – Ja vinner."

    ui.save("proposition", ui.in_preview("Omröstning begärdes och verkställdes."))
    stored = dict(Ballot.objects.filter(proposition__item=item).values_list("person__last_name", "choice"))
    assert Tally.of(stored.values()) == Tally(yes=5, no=4, abstain=2)
    assert (stored["Backman"], stored["Öberg"], stored["Bergqvist"]) == ("yes", "no", "abstain")
