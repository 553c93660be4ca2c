"""The public portal's pages: only announced protocols, only their public version, cacheable."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from committee.models import Party, Person
from minutes import adjustment, services
from minutes.demo import load_demo, publish_demo
from minutes.models import (
    Adjuster,
    DocumentKind,
    Item,
    Meeting,
    MotionKind,
    PropositionKind,
    SealedDocument,
    StatementKind,
)

pytestmark = pytest.mark.django_db

SECRET = "HEMLIGHETSFULL-UPPGIFT"


@pytest.fixture
def published(seal_certificate) -> Meeting:
    """The demo, announced, with a confidential § 11 whose text and mover must never show."""
    meeting = load_demo()
    item = services.add_item(
        meeting,
        title=f"Ärende om {SECRET}",
        confidential=True,
        public_heading="Sekretessärende enligt OSL 26:1",
        decision=f"Beslut om {SECRET}.",
        matter=f"Ärendet gäller {SECRET}.",
        dnr="1.5.1-999/2016",
    )
    services.record_proposition(
        item, kind="single", outcome=services.add_motion(item, kind="approve", movers=[(meeting.chair, False)])
    )
    publish_demo(meeting)
    meeting.refresh_from_db()
    return meeting


def secret_number(meeting: Meeting) -> int:
    return Item.objects.get(meeting=meeting, title__contains=SECRET).number


def portal_urls(meeting: Meeting) -> dict[str, str]:
    slug, year, number = meeting.committee.slug, meeting.year, meeting.number
    person = Person.objects.get(last_name="Öberg")
    return {
        "start": reverse("portal:start"),
        "committee": reverse("portal:committee", args=[slug]),
        "meeting": reverse("portal:meeting", args=[slug, year, number]),
        "item": reverse("portal:item", args=[slug, year, number, 10]),
        "confidential item": reverse("portal:item", args=[slug, year, number, secret_number(meeting)]),
        "person": reverse("portal:person", args=[person.pk]),
        "party": reverse("portal:party", args=["L"]),
        "matter": reverse("portal:matter", args=[Item.objects.get(meeting=meeting, number=10).dnr]),
    }


def test_every_page_answers(client, published):
    for name, url in portal_urls(published).items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.content[:500])


def test_drafts_and_unannounced_protocols_are_not_public(client, seal_certificate):
    meeting = load_demo()
    slug, year, number = meeting.committee.slug, meeting.year, meeting.number
    for url in [
        reverse("portal:meeting", args=[slug, year, number]),
        reverse("portal:item", args=[slug, year, number, 10]),
        reverse("portal:matter", args=[Item.objects.get(meeting=meeting, number=10).dnr]),
    ]:
        assert client.get(url).status_code == 404, url
    assert meeting.date.isoformat() not in client.get(reverse("portal:committee", args=[slug])).content.decode()


def test_a_confidential_item_never_leaks_through_a_page(client, published):
    mover = published.chair
    for name, url in portal_urls(published).items():
        page = client.get(url).content.decode()
        assert SECRET not in page, name
    confidential = client.get(portal_urls(published)["confidential item"]).content.decode()
    assert "Sekretessärende enligt OSL 26:1" in confidential and mover.full_name not in confidential
    person = client.get(reverse("portal:person", args=[mover.pk])).content.decode()
    assert f"§ {secret_number(published)}" not in person
    assert client.get(reverse("portal:matter", args=["1.5.1-999/2016"])).status_code == 404
    slug, year, number = published.committee.slug, published.year, published.number
    extract = reverse("portal:extract", args=[slug, year, number, secret_number(published)])
    assert client.get(extract).status_code == 404


def test_the_meeting_page_is_the_whole_public_protocol_with_real_headings(client, published):
    page = client.get(portal_urls(published)["meeting"]).content.decode()
    assert '<html lang="sv">' in page and 'href="#main"' in page
    assert "<h1>PROTOKOLL Nr 9/2016</h1>" in page
    assert '<h2 class="item-title">§ 10 Strategi för Stockholm' in page
    assert f'<h2 class="item-title">§ {secret_number(published)} Sekretessärende' in page
    item_url = reverse("portal:item", args=[published.committee.slug, 2016, 9, 10])
    assert f'href="{item_url}"' in page


def test_the_sealed_pdf_of_a_protocol_with_a_confidential_item_is_its_public_version(client, published, pdf_text):
    from minutes.models import DocumentKind, SealedDocument

    url = reverse("portal:protocol-pdf", args=[published.committee.slug, published.year, published.number])
    response = client.get(url)
    data = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(data)
    assert "Sekretessärende enligt OSL 26:1" in text and SECRET not in text
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert (root["/Lang"], "/StructTreeRoot" in root, root["/MarkInfo"]["/Marked"]) == ("sv", True, True)
    assert PdfReader(io.BytesIO(data)).metadata.title.startswith("Årstadal")
    official = SealedDocument.objects.get(meeting=published, kind=DocumentKind.PROTOCOL)
    assert client.get(reverse("sealed-file", args=[official.sha256])).status_code == 302  # to sign in


def test_a_repeated_request_with_the_etag_gets_304(client, published):
    for name in ("meeting", "item", "start", "person"):
        url = portal_urls(published)[name]
        first = client.get(url)
        assert first.has_header("ETag") and "public" in first["Cache-Control"], name
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert (again.status_code, again.content) == (304, b""), name
    pdf = reverse("portal:protocol-pdf", args=[published.committee.slug, published.year, published.number])
    first = client.get(pdf)
    assert client.get(pdf, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert "immutable" in first["Cache-Control"]


def test_the_etag_differs_by_language(client, published):
    sv = client.get(portal_urls(published)["meeting"])
    en = client.get("/en" + portal_urls(published)["meeting"])
    assert en.status_code == 200 and sv["ETag"] != en["ETag"]
    assert "Contents" in en.content.decode() and "Innehåll" in sv.content.decode()
    assert "PROTOKOLL Nr 9/2016" in en.content.decode()  # the protocol itself stays Swedish


def test_person_page_lists_what_they_did_with_links(client, published):
    oberg = Person.objects.get(last_name="Öberg")
    page = client.get(reverse("portal:person", args=[oberg.pk])).content.decode()
    item_url = reverse("portal:item", args=[published.committee.slug, 2016, 9, 10])
    assert page.count(f'href="{item_url}"') >= 2  # his motion and his reservation in § 10
    assert 'class="deed-motion"' in page and 'class="deed-reservation"' in page


def test_party_page_lists_its_members_deeds(client, published):
    page = client.get(reverse("portal:party", args=["l"])).content.decode()
    assert "Peter Öberg" in page and page.count('class="deed-reservation"') == 1  # once, whatever his terms
    assert Party.objects.get(abbreviation="L").name in page


def test_matter_page_lists_every_handling(client, published):
    dnr = Item.objects.get(meeting=published, number=10).dnr
    page = client.get(reverse("portal:matter", args=[dnr])).content.decode()
    assert "§ 10" in page and "Beslutat" in page


@pytest.mark.parametrize(
    "url",
    [
        "/protokoll/okand-namnd/",
        "/protokoll/arstadal-sdn/2016/99/",
        "/protokoll/arstadal-sdn/2016/9/paragraf-99/",
        "/protokoll/person/999999/",
        "/protokoll/parti/XYZ/",
        "/protokoll/arende/finns-inte/",
    ],
)
def test_unknown_things_are_404_in_swedish(client, published, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "hittades inte" in response.content.decode().lower()


def announced_meeting(earlier: Meeting, day: datetime.date, n_items: int) -> Meeting:
    """A meeting of the demo committee with n §§, each with a motion and a statement by Öberg, announced."""
    meeting = services.create_meeting(committee=earlier.committee, date=day, place=earlier.place)
    meeting.chair, meeting.secretary = earlier.chair, earlier.secretary
    meeting.adjustment_at = earlier.adjustment_at + (day - earlier.date)
    meeting.adjustment_place = earlier.adjustment_place
    meeting.save()
    for adjuster in earlier.adjusters.all():
        Adjuster.objects.create(meeting=meeting, person=adjuster.person, position=adjuster.position)
    oberg = Person.objects.get(last_name="Öberg")
    for n in range(n_items):
        item = services.add_item(meeting, title=f"Ärende {n}", decision="Nämnden godkänner förslaget.", dnr=f"D-{n}")
        motion = services.add_motion(item, kind=MotionKind.APPROVE, movers=[(oberg, False)])
        services.record_proposition(item, kind=PropositionKind.SINGLE, outcome=motion)
        services.add_statement(item, kind=StatementKind.SPECIAL, authors=[(oberg, False)], text="Vi stöder förslaget.")
    secretary = User.objects.get(username="helena.wik")
    round = adjustment.send_for_adjustment(meeting, user=secretary)
    for person, _role in adjustment.signers(meeting):
        adjustment.approve(round, user=person.user)
    adjustment.announce(meeting, user=secretary)
    meeting.refresh_from_db()
    return meeting


def test_pages_read_the_same_number_of_queries_for_1_and_3_of_each(
    client, published, django_assert_num_queries, settings
):
    """A meeting with 3 §§ (each with a motion and a statement) reads no more than one with 1."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # every page rendered
    one = announced_meeting(published, datetime.date(2016, 10, 20), 1)
    client.get(reverse("portal:start"))  # warm what is read once per process

    def pages(meeting: Meeting) -> dict[str, str]:
        slug, year, number = meeting.committee.slug, meeting.year, meeting.number
        return {
            "meeting": reverse("portal:meeting", args=[slug, year, number]),
            "item": reverse(
                "portal:item", args=[slug, year, number, Item.objects.filter(meeting=meeting).first().number]
            ),
            "matter": reverse("portal:matter", args=["D-0"]),
            "person": reverse("portal:person", args=[Person.objects.get(last_name="Öberg").pk]),
            "party": reverse("portal:party", args=["L"]),
            "committee": reverse("portal:committee", args=[slug]),
            "start": reverse("portal:start"),
        }

    counts = {}
    for name, url in pages(one).items():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[name] = len(captured.captured_queries)
    three = announced_meeting(published, datetime.date(2016, 11, 17), 3)
    for name, url in pages(three).items():
        with django_assert_num_queries(counts[name]):
            assert client.get(url).status_code == 200, name


def test_the_site_root_sends_visitors_to_the_portal_and_staff_to_the_workspace(client, seal_certificate):
    load_demo()
    assert client.get("/")["Location"] == reverse("portal:start")
    client.force_login(User.objects.get(username="helena.wik"))
    assert client.get("/").status_code == 200


def test_a_page_is_rendered_once_then_served_from_the_cache(client, published):
    url = portal_urls(published)["meeting"]
    first = client.get(url)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url)
    # Only the cache is read: with the database cache (production's), its two keys, what the
    # page shows and the page itself; with the in-memory cache, nothing.
    assert [q["sql"] for q in captured if "paragraf_cache" not in q["sql"]] == [] and len(captured) <= 2
    assert again.content == first.content and again["ETag"] == first["ETag"]


def test_a_sealed_pdf_once_found_is_read_from_the_cache_and_checked(client, published):
    url = reverse("portal:protocol-pdf", args=[published.committee.slug, published.year, published.number])
    first = b"".join(client.get(url).streaming_content)
    with CaptureQueriesContext(connection) as captured:
        again = b"".join(client.get(url).streaming_content)
    assert again == first and [q["sql"] for q in captured if "paragraf_cache" not in q["sql"]] == []

    document = SealedDocument.objects.get(meeting=published, kind=DocumentKind.PUBLIC)
    with open(document.file.path, "r+b") as handle:  # the stored bytes change: the checksum still catches it
        handle.seek(100)
        handle.write(b"X")
    assert client.get(url).status_code == 500


def test_names_in_a_paragraph_link_to_the_people_in_the_language_of_the_page(client, published):
    oberg, fredholm = Person.objects.get(last_name="Öberg"), Person.objects.get(last_name="Fredholm")
    page = client.get(portal_urls(published)["item"]).content.decode()
    assert f'<p class="names"><a href="/protokoll/person/{oberg.pk}/">Peter Öberg</a> (L)</p>' in page  # reservation
    assert f'<p><a href="/protokoll/person/{fredholm.pk}/">Arne Fredholm</a> (M) anmälde jäv' in page
    english = client.get("/en" + portal_urls(published)["item"]).content.decode()
    assert f'<a href="/en/protokoll/person/{oberg.pk}/">Peter Öberg</a>' in english


def test_the_meeting_page_links_members_but_not_the_officials(client, published):
    page = client.get(portal_urls(published)["meeting"]).content.decode()
    back = Person.objects.get(last_name="Bäck")
    assert f'<li><a href="/protokoll/person/{back.pk}/">Lars Bäck</a> (V), ordförande</li>' in page
    assert "<li>Birgitta Sjö, stadsdelsdirektör</li>" in page and "<li>Helena Wik, nämndsekreterare</li>" in page
    assert page.count('<div class="certificate">') == 1


@pytest.mark.parametrize(
    ("url", "lang", "heading", "switch"),
    [
        ("/anslagstavla/", "sv", "Anslagstavla", 'href="/en/anslagstavla/" hreflang="en" lang="en"'),
        ("/en/anslagstavla/", "en", "Notice board", 'href="/anslagstavla/" hreflang="sv" lang="sv"'),
        ("/en/anslagstavla/arkiv/", "en", "Notice board archive", 'href="/anslagstavla/arkiv/" hreflang="sv"'),
        (
            "/verifiera/",
            "sv",
            "Kontrollera ett protokoll eller protokollsutdrag",
            'href="/en/verifiera/" hreflang="en"',
        ),
        ("/en/verifiera/", "en", "Check a protocol or extract", 'href="/verifiera/" hreflang="sv"'),
    ],
)
def test_the_notice_board_and_the_seal_check_are_portal_pages_in_both_languages(
    client, published, url, lang, heading, switch
):
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en" if lang == "sv" else "sv").content.decode()
    assert f'<html lang="{lang}">' in page and switch in page
    assert f">{heading}</h1>" in page
    assert 'id="portal-menu"' in page and f'href="{"/en" if lang == "en" else ""}/protokoll/sok/"' in page
