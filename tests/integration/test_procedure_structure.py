"""The procedure's structure entered in the § editor: a single motion found rejected, the chair's proposal,
statements and reservations in an appendix, the roll-call list's appendix; refused at the field in Swedish."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from minutes import services
from minutes.models import MotionKind, Proposition, PropositionKind, Reservation, Statement, StatementKind
from tests.integration.test_votes import VOTING_LIST, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(demo):
    item = services.add_item(demo, title="Namnbyte på parken vid Årstaviken")
    reject = services.add_motion(item, kind=MotionKind.REJECT, movers=[(person("Arne Fredholm"), True)])
    item.refresh_from_db()
    return item, reject


def post(client, item, action: str, **fields):
    item.refresh_from_db()
    data = {"action": action, "version": item.version, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(reverse("minutes:item-edit", args=[item.meeting_id, item.number]), data).content.decode()


def field(page: str, name: str) -> str:
    """The HTML of one field of the editor's forms, with its errors."""
    start = page.index(f'id="div_id_{name}"')
    end = page.find('id="div_id_', start + 1)
    return page[start : end if end > 0 else len(page)]


def test_a_single_motion_found_rejected_is_saved_and_printed(secretary_client, item):
    item, _reject = item
    page = post(secretary_client, item, "proposition", kind=PropositionKind.SINGLE, rejected="on")

    assert list(Proposition.objects.filter(item=item).values_list("kind", "outcome", "rejected")) == [
        (PropositionKind.SINGLE, None, True)
    ]
    assert "Ordföranden ställde proposition på yrkandet och fann att nämnden hade avslagit detsamma." in page


def test_rejection_is_refused_at_its_field_for_motions_put_against_each_other(secretary_client, item):
    item, reject = item
    page = post(secretary_client, item, "proposition", kind=PropositionKind.AGAINST_EACH_OTHER, rejected="on")
    both = post(secretary_client, item, "proposition", kind=PropositionKind.SINGLE, rejected="on", outcome=reject.pk)

    assert Proposition.objects.filter(item=item).count() == 0
    assert "Bara ett enda yrkande som ställts under proposition kan finnas avslaget." in field(
        page, "proposition-rejected"
    )
    assert "Ett avslaget yrkande har inget bifallet yrkande och ingen omröstning: lämna dem tomma." in field(
        both, "proposition-rejected"
    )


def test_the_rules_refuse_a_rejection_beside_an_adopted_motion_whatever_the_path(item):
    item, reject = item
    with pytest.raises(ValidationError) as raised:
        services.record_proposition(item, kind=PropositionKind.SINGLE, outcome=reject, rejected=True)
    assert list(raised.value.message_dict) == ["propositions[0].rejected"]
    with pytest.raises(ValidationError) as raised:
        services.record_proposition(item, kind=PropositionKind.SINGLE)
    assert list(raised.value.message_dict) == ["propositions[0].outcome"]
    assert Proposition.objects.filter(item=item).count() == 0


def test_only_the_chair_moves_the_chairs_proposal(secretary_client, item):
    item, _reject = item
    chair = item.meeting.chair
    other = person("Kjell Backman")
    refused = post(secretary_client, item, "motion", kind=MotionKind.CHAIR_PROPOSAL, movers=[other.pk])
    assert item.motions.filter(kind=MotionKind.CHAIR_PROPOSAL).count() == 0
    assert "Bara sammanträdets ordförande kan yrka på ordförandeförslaget." in field(refused, "motion-movers")

    page = post(
        secretary_client,
        item,
        "motion",
        kind=MotionKind.CHAIR_PROPOSAL,
        movers=[chair.pk],
        text="Parken får heta Årstavikens park.",
    )
    assert item.motions.filter(kind=MotionKind.CHAIR_PROPOSAL).count() == 1
    assert f"Ordföranden {chair.full_name} (V) yrkade att nämnden skulle besluta enligt ordförandens förslag." in page
    assert "Parken får heta Årstavikens park." in page


def test_a_statement_in_an_appendix_needs_no_text_and_is_announced(secretary_client, item):
    item, _reject = item
    oberg = person("Peter Öberg")
    refused = post(secretary_client, item, "statement", kind=StatementKind.SPECIAL, authors=[oberg.pk], text="")
    assert Statement.objects.filter(item=item).count() == 0
    assert "Skriv uttalandet, eller ange att texten finns i en bilaga." in field(refused, "statement-text")

    page = post(
        secretary_client,
        item,
        "statement",
        kind=StatementKind.SPECIAL,
        authors=[oberg.pk],
        in_appendix="on",
        appendix="<b>2</b>",
    )
    assert list(Statement.objects.filter(item=item).values_list("text", "in_appendix", "appendix")) == [
        ("", True, "<b>2</b>")
    ]
    assert "Peter Öberg (L) lämnade ett särskilt uttalande, se bilaga &lt;b&gt;2&lt;/b&gt;." in page
    assert "<b>2</b>" not in page


def test_an_appendix_without_the_text_in_it_is_refused_at_the_appendix(secretary_client, item):
    item, _reject = item
    page = post(
        secretary_client,
        item,
        "statement",
        kind=StatementKind.MINUTE_NOTE,
        authors=[person("Erik Nyström").pk],
        text="Antecknat.",
        appendix="3",
    )
    assert Statement.objects.filter(item=item).count() == 0
    assert "En bilaga anges bara för ett uttalande vars text finns i den." in field(page, "statement-appendix")


def test_a_written_reservation_in_an_appendix_is_only_announced(secretary_client, item):
    item, reject = item
    services.record_proposition(item, kind=PropositionKind.SINGLE, rejected=True)
    page = post(
        secretary_client,
        item,
        "reservation",
        members=[person("Arne Fredholm").pk],
        in_favour_of=reject.pk,
        text="Vår motivering.",
        appendix="4",
    )
    assert list(Reservation.objects.filter(item=item).values_list("appendix", flat=True)) == ["4"]
    assert "Arne Fredholm (M) reserverade sig mot beslutet till förmån för eget yrkande, se bilaga 4." in page
    assert "Vår motivering." not in page.split('id="preview"')[-1]


def test_the_roll_call_appendix_is_refused_without_a_vote_and_stored_with_one(secretary_client, item):
    item, reject = item
    approve = services.add_motion(item, kind=MotionKind.APPROVE, movers=[(person("Lars Bäck"), False)])
    refused = post(
        secretary_client,
        item,
        "proposition",
        kind=PropositionKind.AGAINST_EACH_OTHER,
        outcome=approve.pk,
        roll_call_appendix="1",
    )
    assert "Bara en omröstning har en voteringslista." in field(refused, "proposition-roll_call_appendix")
    assert Proposition.objects.filter(item=item).count() == 0

    ballots = {f"ballot_{person(name).pk}": "yes" for name, _party, _seat in VOTING_LIST}
    post(
        secretary_client,
        item,
        "proposition",
        kind=PropositionKind.AGAINST_EACH_OTHER,
        outcome=approve.pk,
        voted="on",
        yes_motion=approve.pk,
        no_motion=reject.pk,
        roll_call_appendix="1",
        **ballots,
    )
    assert list(Proposition.objects.filter(item=item).values_list("voted", "roll_call_appendix")) == [(True, "1")]


def test_the_style_editor_shows_the_new_templates_with_their_help(secretary_client, demo):
    page = secretary_client.get(reverse("minutes:style-edit", args=[demo.committee.slug])).content.decode()
    for name in ("motion.chair_proposal", "roll_call.choice", "roll_call.reference", "statement.announced"):
        assert page.count(f'name="{name}"') == 1, name
    assert "En röst i listan: choice är yes, no, abstain eller absent (Ja, Nej, Avstår, Frånvarande)." in page
    assert "<code>choice</code>" in page and "<code>appendix</code>" in page


def test_the_style_editor_refuses_an_unknown_placeholder_in_the_roll_call_reference(secretary_client, demo):
    response = secretary_client.post(
        reverse("minutes:style-edit", args=[demo.committee.slug]), {"roll_call.reference": "Se bilaga {{ bilaga }}"}
    )
    assert response.status_code == 400
    assert "Mallen roll_call.reference, rad 1: okänd platshållare bilaga" in response.content.decode()
