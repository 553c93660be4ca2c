"""The editor's preview writes the procedure's sentences as the secretary enters it: a tied roll-call
vote decided by the chair's casting vote, and a recusal with a substitute serving instead.

Both §§ are added to the demo meeting 9/2016, whose roll has Mats Hedlund (M) serving for Karin
Holm (M) and Eva Lund (S), Gustav Åberg (L) and Lena Fors (V) present as substitutes.
"""

import pytest

from minutes.models import Ballot, Proposition

pytestmark = pytest.mark.django_db(transaction=True)

SERVING = [
    "Lars Bäck",
    "Kjell Backman",
    "Arne Fredholm",
    "Mariana Moreira Duarte",
    "Peter Öberg",
    "Anna Lindqvist",
    "Johan Sundberg",
    "Erik Nyström",
    "Sofia Bergqvist",
    "Maria Ekdahl",
    "Mats Hedlund",
]


def open_new_item(page, ui, demo, title: str, number: int) -> None:
    """Add a § at the end of the meeting open in the page, and open it in the editor."""
    ui.add_items([title])
    page.get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(f"**/sammantrade/{demo.pk}/paragraf/{number}/")


def test_tied_roll_call_vote_reads_with_the_casting_vote(page, demo, sign_in, workspace):
    ui = workspace(page)
    sign_in(page, f"/sammantrade/{demo.pk}/")
    open_new_item(page, ui, demo, "Namnbyte på parken vid Årstaviken", 13)

    ui.field("motion", "kind").select_option("approve")
    ui.check_people("motion", "movers", ["Lars Bäck"])
    ui.save("motion", ui.in_preview("Ordföranden Lars Bäck (V) yrkade att nämnden skulle bifalla"))
    ui.field("motion", "kind").select_option("reject")
    ui.check_people("motion", "movers", ["Arne Fredholm"])
    ui.save("motion", ui.in_preview("Arne Fredholm (M) yrkade avslag på förvaltningens förslag."))

    approve = "Bifall till förslaget – Lars Bäck (V)"
    reject = "Avslag på förslaget – Arne Fredholm (M)"
    ui.field("proposition", "kind").select_option("against_each_other")
    ui.field("proposition", "outcome").select_option(label=approve)
    ui.field("proposition", "voted").check()
    ui.field("proposition", "yes_motion").select_option(label=approve)
    ui.field("proposition", "no_motion").select_option(label=reject)
    ballots = dict.fromkeys(SERVING[:5], "yes") | dict.fromkeys(SERVING[5:10], "no") | {"Mats Hedlund": "abstain"}
    for name, choice in ballots.items():
        ui.form("proposition").get_by_label(name, exact=True).select_option(choice)

    # Five against five: without the chair's casting vote the vote is refused, and nothing is stored.
    ui.submit(ui.form("proposition"))
    casting_error = page.locator("#error_1_id_proposition-casting_vote")
    assert casting_error.inner_text() == "Lika röstetal: ordförandens utslagsröst avgör."
    assert Proposition.objects.filter(item__meeting=demo, item__number=13).count() == 0

    ui.field("proposition", "casting_vote").select_option("no")
    ui.save("proposition", ui.in_preview("Omröstning begärdes och verkställdes."))

    assert ui.preview_paragraphs("procedure") == [
        "Ordföranden ställde yrkandena mot varandra och fann att nämnden hade beslutat enligt förvaltningens förslag.",
        "Omröstning begärdes och verkställdes. Ja för bifall till förvaltningens förslag, nej för bifall till "
        "Arne Fredholms (M) yrkande. Med 5 ja-röster mot 5 nej-röster (1 avstod) beslutade nämnden med "
        "ordförandens utslagsröst att avslå förvaltningens förslag.",
    ]
    roll_call = page.locator("#preview table.roll-call")
    assert roll_call.locator("tbody tr").all_inner_texts() == [
        f"{name} ({party})\t{word}"
        for name, party, word in [
            ("Lars Bäck", "V", "Ja"),
            ("Kjell Backman", "S", "Ja"),
            ("Arne Fredholm", "M", "Ja"),
            ("Mariana Moreira Duarte", "MP", "Ja"),
            ("Peter Öberg", "L", "Ja"),
            ("Anna Lindqvist", "S", "Nej"),
            ("Johan Sundberg", "S", "Nej"),
            ("Mats Hedlund", "M", "Avstår"),  # in the seat of Karin Holm (M), for whom he serves
            ("Erik Nyström", "M", "Nej"),
            ("Sofia Bergqvist", "C", "Nej"),
            ("Maria Ekdahl", "V", "Nej"),
        ]
    ]
    assert roll_call.locator("tfoot").inner_text() == "Summa\t5 ja, 5 nej, 1 avstår"
    assert Ballot.objects.filter(proposition__item__meeting=demo, proposition__item__number=13).count() == 11


def test_recusal_with_substitute_reads_and_the_substitute_takes_the_seat(page, demo, sign_in, workspace):
    ui = workspace(page)
    sign_in(page, f"/sammantrade/{demo.pk}/")
    open_new_item(page, ui, demo, "Bidrag till föreningen Årstadals hembygdsgille", 13)

    ui.field("recusal", "person").select_option(label="Anna Lindqvist")
    ui.field("recusal", "left_room").uncheck()
    ui.field("recusal", "substitute").select_option(label="Eva Lund")
    ui.save("recusal", ui.in_preview("Eva Lund (S) tjänstgjorde i Anna Lindqvists ställe."))

    # The substitute now serves on the § and may move; the recused member may not.
    movers = ui.form("motion").locator("fieldset", has=page.locator("input[name='motion-movers']"))
    assert (movers.get_by_label("Eva Lund", exact=True).count(), movers.get_by_label("Anna Lindqvist").count()) == (
        1,
        0,
    )
    ui.field("motion", "kind").select_option("approve")
    ui.check_people("motion", "movers", ["Eva Lund"])
    ui.save("motion", ui.in_preview("Eva Lund (S) yrkade att nämnden skulle bifalla förvaltningens förslag."))
    ui.field("proposition", "kind").select_option("single")
    ui.field("proposition", "outcome").select_option(label="Bifall till förslaget – Eva Lund (S)")
    ui.save("proposition", ui.in_preview("Ordföranden ställde proposition på yrkandet"))

    assert ui.preview_paragraphs("motions") == [
        "Eva Lund (S) yrkade att nämnden skulle bifalla förvaltningens förslag."
    ]
    assert ui.preview_paragraphs("procedure") == [
        "Ordföranden ställde proposition på yrkandet och fann att nämnden hade bifallit detsamma.",
        "Anna Lindqvist (S) anmälde jäv och deltog inte i handläggningen av ärendet. "
        "Eva Lund (S) tjänstgjorde i Anna Lindqvists ställe.",
    ]
