"""The § editor's vote form: the voting list in roll order, and a vote posted, stored and read back."""

import re

import pytest
from django.urls import reverse

from committee.models import Person
from minutes import services
from minutes.models import Ballot, MotionKind, Proposition, Tally

pytestmark = pytest.mark.django_db

# The demo meeting's roll: Mats Hedlund (M) serves for Karin Holm (M), who is absent.
VOTING_LIST = [
    ("Lars Bäck", "V", ""),
    ("Kjell Backman", "S", ""),
    ("Arne Fredholm", "M", ""),
    ("Mariana Moreira Duarte", "MP", ""),
    ("Peter Öberg", "L", ""),
    ("Anna Lindqvist", "S", ""),
    ("Johan Sundberg", "S", ""),
    ("Mats Hedlund", "M", "för Karin Holm"),
    ("Erik Nyström", "M", ""),
    ("Sofia Bergqvist", "C", ""),
    ("Maria Ekdahl", "V", ""),
]


def person(name: str) -> Person:
    first, last = name.split(" ", 1)
    return Person.objects.get(first_name=first, last_name=last)


@pytest.fixture
def item(demo):
    item = services.add_item(demo, title="Namnbyte på parken vid Årstaviken")
    approve = services.add_motion(item, kind=MotionKind.APPROVE, movers=[(person("Lars Bäck"), False)])
    reject = services.add_motion(item, kind=MotionKind.REJECT, movers=[(person("Arne Fredholm"), False)])
    item.refresh_from_db()
    return item, approve, reject


def test_vote_form_lists_the_serving_in_roll_order_with_the_substitute_in_place(secretary_client, demo, item):
    item, _approve, _reject = item
    page = secretary_client.get(reverse("minutes:item-edit", args=[demo.pk, item.number])).content.decode()
    form = page[page.index('id="add-proposition"') :]
    rows = re.findall(
        r'<tr data-party="([^"]*)">\s*<th scope="row" class="fw-normal"><label for="[^"]+">([^<]+)</label>'
        r'(?: <span class="small text-body-secondary">([^<]+)</span>)?',
        form[: form.index("</table>")],
    )
    assert [(name, party, seat) for party, name, seat in rows] == VOTING_LIST
    assert re.findall(r'data-vote-party="([^"]+)" aria-label="[^"]+: Ja"', form) == ["V", "S", "M", "MP", "L", "C"]
    form = form[: form.index("</form>")]
    assert "Select an option" not in form
    assert form.count('<option value="" selected>Frånvarande</option>') == 11


def test_vote_post_stores_the_ballots_and_the_preview_reads_the_outcome(secretary_client, demo, item):
    item, approve, reject = item
    against = {"Arne Fredholm", "Mats Hedlund", "Erik Nyström", "Peter Öberg"}  # M and L
    data = {
        "action": "proposition",
        "version": item.version,
        "proposition-kind": "against_each_other",
        "proposition-outcome": approve.pk,
        "proposition-voted": "on",
        "proposition-yes_motion": approve.pk,
        "proposition-no_motion": reject.pk,
        "proposition-casting_vote": "",
    }
    for name, _party, _seat in VOTING_LIST:
        data[f"proposition-ballot_{person(name).pk}"] = "no" if name in against else "yes"
    page = secretary_client.post(reverse("minutes:item-edit", args=[demo.pk, item.number]), data).content.decode()

    proposition = Proposition.objects.get(item=item)
    ballots = Ballot.objects.filter(proposition=proposition)
    assert (proposition.voted, proposition.yes_motion, proposition.no_motion) == (True, approve, reject)
    assert Tally.of(ballots.values_list("choice", flat=True)) == Tally(yes=7, no=4, abstain=0)
    assert sorted(b.person.full_name for b in ballots if b.choice == "no") == sorted(against)
    assert "Med 7 ja-röster mot 4 nej-röster beslutade nämnden enligt förvaltningens förslag." in page, (
        "the preview reads the outcome"
    )


def test_typed_numbers_print_once_and_the_checklist_warns_on_an_empty_point(secretary_client, demo):
    decision = "1.\tStadsdelsnämnden godkänner förslaget.\r\n2 . Stadsdelsnämnden anför följande.\r\n3."
    item = services.add_item(demo, title="Budget", decision=decision)
    text = secretary_client.get(reverse("minutes:item-document", args=[demo.pk, item.number, "txt"])).text
    editor = secretary_client.get(reverse("minutes:item-edit", args=[demo.pk, item.number])).content.decode()

    lines = [line.strip() for line in text.splitlines() if "Stadsdelsnämnden" in line]
    assert lines == ["1. Stadsdelsnämnden godkänner förslaget.", "2. Stadsdelsnämnden anför följande."]
    assert f"Hur texten skrivs ut: § {item.number}: beslutet: punkt 3 består bara av ”3.” och skrivs inte ut." in editor
