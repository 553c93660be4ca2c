"""The parts of a § beside the decision: its basis, the preparing body's proposal, who spoke, who receives it, its Dnr.

Each is data on the §, printed as a section of its own under a heading from the house style (or,
for the Dnr, where the style puts it), edited in the § editor with the rest of its text, and made
from the agenda where the § comes from it. The exchange file's part is in test_exchange.py.
"""

import dataclasses
import datetime

import pytest
from django.urls import reverse

from committee.models import Committee, Person
from minutes import styles
from minutes.agenda.documents import store_document
from minutes.agenda.items import add_agenda_item
from minutes.agenda.protocol import make_items
from minutes.models import Item, Meeting
from minutes.protocol import housestyle
from minutes.protocol.document import item_document
from minutes.protocol.render import Request, render_html, render_text
from minutes.protocol.snapshot import HouseStyle, build_snapshot
from tests.agenda_files import pdf_bytes, upload
from tests.factories import MeetingFactory, PersonFactory
from tests.integration.test_editor import item_post

pytestmark = pytest.mark.django_db

BASIS = ("Tjänsteutlåtande 2016-09-12", "Remissvar från Stadsledningskontoret 2016-08-30")
NEW_PARTS = ("basis", "prepared_proposal", "speakers", "recipients")


def person(last_name: str) -> Person:
    return Person.objects.get(last_name=last_name)


def structured(meeting: Meeting) -> Item:
    """§ 10 of the demo with every part filled in: two Dnr, the basis, a proposal, two speakers, two recipients."""
    item = Item.objects.get(meeting=meeting, number=10)
    item.dnr = "1.5.1-123/2016, 1.5.1-124/2016"
    item.basis = "\n".join(BASIS)
    item.prepared_proposal = "Nämnden föreslås godkänna strategin.\n\nOch lämna den till kommunstyrelsen."
    item.speakers = [person("Öberg").pk, person("Backman").pk]
    item.recipients = "Kommunstyrelsen\n<b>Stadsledningskontoret</b>"
    item.save()
    return item


def sections(meeting: Meeting, number: int = 10) -> list[tuple[str, str, tuple[str, ...]]]:
    snapshot = build_snapshot(meeting)
    document = item_document(snapshot.item(number), snapshot)
    return [(section.kind, section.heading, section.paragraphs) for section in document.sections]


def edit_url(meeting: Meeting, number: int = 10) -> str:
    return reverse("minutes:item-edit", args=[meeting.pk, number])


def test_every_part_prints_as_its_own_section_in_the_stockholm_order(demo):
    structured(demo)
    found = sections(demo)
    assert [(kind, heading) for kind, heading, _ in found] == [
        ("decision", "BESLUT"),
        ("matter", "Ärendet"),
        ("basis", "Beslutsunderlag"),
        ("prepared_proposal", "Beredningens förslag"),
        ("speakers", "Yttranden"),
        ("motions", "Förslag till beslut"),
        ("procedure", "Beslutsgång"),
        ("reservation", "Reservation"),
        ("recipients", "Expedieras till"),
    ]
    parts = {kind: paragraphs for kind, _heading, paragraphs in found}
    assert parts["matter"][-2:] == ("Dnr 1.5.1-123/2016", "Dnr 1.5.1-124/2016")
    assert (parts["basis"], parts["prepared_proposal"], parts["speakers"], parts["recipients"]) == (
        BASIS,
        ("Nämnden föreslås godkänna strategin.", "Och lämna den till kommunstyrelsen."),
        ("Peter Öberg (L) och Kjell Backman (S)",),
        ("Kommunstyrelsen", "<b>Stadsledningskontoret</b>"),
    )
    html = render_html(build_snapshot(demo), Request(kind="item", numbers=(10,)))
    assert "<p>&lt;b&gt;Stadsledningskontoret&lt;/b&gt;</p>" in html


def test_a_section_with_nothing_in_it_is_not_printed(demo):
    kinds = [kind for kind, _heading, _paragraphs in sections(demo)]
    assert [kind for kind in kinds if kind in NEW_PARTS] == []


def test_the_ostersund_preset_prints_the_dnr_under_the_title_and_its_own_headings(demo):
    committee = demo.committee
    committee.house_style = styles.create_from_preset("ostersund-ks", municipality=committee.municipality)
    committee.save()
    structured(demo)
    found = sections(demo)
    text = render_text(build_snapshot(demo), Request(kind="item", numbers=(10,)))
    assert text.splitlines()[1:3] == ["Dnr 1.5.1-123/2016", "Dnr 1.5.1-124/2016"]
    assert [(kind, heading) for kind, heading, _ in found] == [
        ("matter", ""),
        ("basis", "Underlag till beslut"),
        ("prepared_proposal", "Finansutskottets förslag"),
        ("speakers", "Yttranden"),
        ("motions", "Yrkande"),
        ("procedure", "Proposition"),
        ("decision", "Beslut"),
        ("reservation", "Reservation"),
        ("recipients", "Expedieras"),
    ]
    matter = next(paragraphs for kind, _heading, paragraphs in found if kind == "matter")
    assert [line for line in matter if line.startswith("Dnr")] == []


def test_a_style_saved_before_these_parts_prints_them_as_its_preset_does(demo):
    old = housestyle.preset("ostersund-ks")
    for name in NEW_PARTS:
        del old["headings"][name]
        old["section_order"].remove(name)
    del old["dnr_position"]
    assert [problem.field for problem in housestyle.validate(old)][:1] == ["headings.basis"]
    assert housestyle.validate(housestyle.completed(old)) == []
    structured(demo)
    snapshot = build_snapshot(demo)
    item = snapshot.item(10)
    printed = item_document(item, dataclasses.replace(snapshot, style=HouseStyle.from_document(old)))
    # Stockholm's words and places for what the old style did not have: the Dnr ends the matter.
    assert [(s.kind, s.heading) for s in printed.sections if s.kind in NEW_PARTS] == [
        ("basis", "Beslutsunderlag"),
        ("prepared_proposal", "Beredningens förslag"),
        ("speakers", "Yttranden"),
        ("recipients", "Expedieras till"),
    ]
    assert (printed.dnr_lines, printed.sections[0].paragraphs[-1]) == ((), "Dnr 1.5.1-124/2016")


def test_a_dnr_position_the_engine_does_not_know_is_refused_at_its_field():
    document = housestyle.preset("stockholm-sdn")
    document["dnr_position"] = "footer"
    assert [(p.field, p.message) for p in housestyle.validate(document)] == [
        ("dnr_position", "Diarienumrets plats ska vara en av matter, title.")
    ]


def test_the_style_editor_shows_the_new_headings_with_help_and_saves_where_the_dnr_stands(secretary_client, demo):
    committee = demo.committee
    url = reverse("minutes:style-edit", args=[committee.slug])
    page = secretary_client.get(url).content.decode()
    posted = secretary_client.post(url, {"dnr_position": "title", "headings.basis": "Underlag till beslut"})
    refused = secretary_client.post(url, {"dnr_position": "sidfot"})
    style = Committee.objects.get(pk=committee.pk).house_style
    assert 'name="headings.basis" value="Beslutsunderlag"' in page
    assert "Rubriken över de handlingar beslutet grundas på" in page
    assert '<option value="title">Under paragrafens rubrik</option>' in page
    assert (posted.status_code, refused.status_code) == (302, 400)
    assert "Diarienumrets plats ska vara en av matter, title." in refused.content.decode()
    assert (style.document["dnr_position"], style.document["headings"]["basis"]) == ("title", "Underlag till beslut")


def test_the_editor_saves_the_parts_and_prints_them_at_once(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    speakers = [person("Öberg").pk, person("Backman").pk]  # ticked in another order than the roll's
    response = secretary_client.post(
        edit_url(demo),
        item_post(
            item,
            basis=" Tjänsteutlåtande 2016-09-12 \n\n Protokollsutdrag \n",
            recipients="Kommunstyrelsen",
            prepared_proposal="",
            speakers=speakers,
        ),
        HTTP_HX_REQUEST="true",
    )
    stored = Item.objects.get(pk=item.pk)
    page = response.content.decode()
    assert (stored.basis, stored.recipients, stored.speakers) == (
        "Tjänsteutlåtande 2016-09-12\nProtokollsutdrag",
        "Kommunstyrelsen",
        [person("Backman").pk, person("Öberg").pk],
    )
    assert "<p>Kjell Backman (S) och Peter Öberg (L)</p>" in page
    assert 'name="item-speakers"' in page and "Vilka som yttrade sig i ärendet" in page
    trail = secretary_client.get(reverse("minutes:item-audit-trail", args=[demo.pk, 10])).content.decode()
    assert "Kjell Backman, Peter Öberg" in trail  # the audit trail names the speakers, not their ids


def test_the_editor_refuses_a_speaker_who_was_not_in_the_room_at_the_field(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    stranger = PersonFactory(first_name="Utom", last_name="Stående")
    response = secretary_client.post(
        edit_url(demo), item_post(item, speakers=[stranger.pk], basis="Ny rad"), HTTP_HX_REQUEST="true"
    )
    stored = Item.objects.get(pk=item.pk)
    assert (stored.speakers, stored.basis, stored.version) == ([], "", item.version)
    assert f"Välj ett giltigt alternativ. {stranger.pk} finns inte bland tillgängliga alternativ." in (
        response.content.decode()
    )


def test_the_draft_keeps_the_basis_and_the_speakers_as_typed(secretary_client, demo):
    item = Item.objects.get(meeting=demo, number=10)
    url = reverse("minutes:item-draft", args=[demo.pk, 10])
    response = secretary_client.post(url, item_post(item, basis="Tjänsteutlåtande", speakers=[person("Öberg").pk]))
    stored = Item.objects.get(pk=item.pk)
    assert (response.status_code, stored.basis, stored.speakers) == (200, "Tjänsteutlåtande", [person("Öberg").pk])
    assert "Tjänsteutlåtande" in response.json()["preview"]


def test_the_agenda_writes_its_public_documents_into_the_basis(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = MeetingFactory(date=datetime.date(2026, 12, 10))
    agenda_item = add_agenda_item(meeting, title="Budget 2027", dnrs=["1.1-12/2026", "1.1-13/2026"])
    for title, day, confidential in (
        ("Tjänsteutlåtande", datetime.date(2026, 11, 20), False),
        ("Utredning om en enskild", datetime.date(2026, 11, 18), True),
        ("Remissvar", datetime.date(2026, 11, 2), False),
    ):
        store_document(agenda_item, upload=upload(pdf_bytes()), title=title, date=day, confidential=confidential)
    (item,) = make_items(meeting).created
    item.refresh_from_db()
    snapshot = build_snapshot(meeting)
    assert (item.basis, item.basis_documents.count()) == ("Remissvar 2026-11-02\nTjänsteutlåtande 2026-11-20", 3)
    assert snapshot.item(item.number).dnrs == ["1.1-12/2026", "1.1-13/2026"]
