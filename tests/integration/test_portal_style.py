"""The portal and OParl name §§ and matters as the adjusted protocol does: by the house style it was
printed with, whatever the committee's style says since."""

import copy
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from committee.models import Person
from minutes import services, styles
from minutes.demo import load_demo, publish_demo
from minutes.models import DocumentKind, Item, Meeting, SealedDocument, StatementKind
from minutes.oparl.addresses import Links
from minutes.oparl.files import file_object
from minutes.protocol import housestyle
from minutes.protocol.adjusted import protocol_styles

pytestmark = pytest.mark.django_db


def with_labels(document: dict, paragraph: str, dnr: str) -> dict:
    document = copy.deepcopy(document)
    for name, text in (("label.paragraph", paragraph), ("label.dnr", dnr)):
        group, key = housestyle.template_path(name)
        document[group][key] = text
    return document


@pytest.fixture
def published(seal_certificate, settings) -> Meeting:
    """The demo adjusted with Östersund's style written "§10" and "Diarienr …"; the committee has changed since."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    meeting = load_demo()
    committee = meeting.committee
    style = styles.create_style(
        name="Östersund utan mellanslag",
        municipality=committee.municipality,
        document=with_labels(housestyle.preset("ostersund-ks"), "§{{ number }}", "Diarienr {{ dnr }}"),
        owner=committee,
    )
    committee.house_style = style
    committee.save()
    oberg = Person.objects.get(last_name="Öberg")
    item = meeting.items.get(number=10)
    services.add_statement(item, kind=StatementKind.SPECIAL, authors=[(oberg, False)], text="Vi stöder förslaget.")
    publish_demo(meeting)
    styles.save_style(style, with_labels(style.document, "Paragraf {{ number }}", "Ärendenr {{ dnr }}"))
    meeting.refresh_from_db()
    return meeting


def test_portal_pages_label_the_paragraphs_as_the_adjusted_protocol(client, published):
    slug, year, number = published.committee.slug, published.year, published.number
    dnr = Item.objects.get(meeting=published, number=10).dnr
    pages = {
        "meeting": reverse("portal:meeting", args=[slug, year, number]),
        "item": reverse("portal:item", args=[slug, year, number, 10]),
        "matter": reverse("portal:matter", args=[dnr]),
        "search": reverse("portal:search") + "?" + f"dnr={dnr}",
        "feed": reverse("portal:feed"),
        "person": reverse("portal:person", args=[Person.objects.get(last_name="Öberg").pk]),
    }
    text = {name: client.get(url).content.decode() for name, url in pages.items()}

    assert re.search(r'paragraf-10/">§10 ', text["meeting"]) is not None
    assert "<title>§10," in text["item"]
    assert f"Ärendet Diarienr {dnr}" in text["matter"]
    assert '">§10 ' in text["matter"]
    assert '">§10 ' in text["search"] and f"Diarienr {dnr}" in text["search"]
    assert "&lt;li&gt;§10 " in text["feed"]
    assert '">§10 ' in text["person"]
    assert "<td>Särskilt yttrande</td>" in text["person"]  # Östersund's heading, not "Särskilt uttalande"
    for name, page in text.items():
        assert ("Paragraf 10" in page, "Ärendenr" in page, "§ 10" in page) == (False, False, False), name


def test_oparl_numbers_agenda_items_and_names_extracts_as_the_adjusted_protocol(client, published):
    meeting = client.get(f"/oparl/v1/body/stockholms-stad/meeting/{published.pk}").json()

    numbers = [a["number"] for a in meeting["agendaItem"]]
    assert numbers == [
        f"§{n}" for n in Item.objects.filter(meeting=published).order_by("position").values_list("number", flat=True)
    ]
    extract = SealedDocument.objects.filter(meeting=published).first()
    extract.numbers, extract.kind = [10], DocumentKind.EXTRACT  # not saved: only its name is read
    style = protocol_styles([published.pk])[published.pk]
    links = Links.of(RequestFactory().get("/"), "stockholms-stad")
    name = file_object(links, extract, {}, style)["name"]
    assert name.endswith(", §10")
