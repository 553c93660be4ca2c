"""The secretary's agenda page: reached from the meeting page, items added, ordered, withdrawn, documents
uploaded, and the §§ made from it once; nobody else sees it or its files."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from minutes.agenda.documents import store_document
from minutes.agenda.items import add_agenda_item
from minutes.models import AgendaItem, Item, Meeting
from tests.agenda_files import pdf_bytes, upload
from tests.factories import CommitteeFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(settings, tmp_path) -> Meeting:
    settings.MEDIA_ROOT = tmp_path / "media"
    return MeetingFactory(date=datetime.date(2026, 12, 10))


@pytest.fixture
def secretary(client, meeting):
    user = User.objects.create_user("sekreterare", first_name="Sara", last_name="Sekreterare")
    meeting.committee.secretaries.add(user)
    client.force_login(user)
    return client


def item_post(**fields) -> dict:
    return {
        "title": "Budget 2027",
        "dnrs": "1.1-12/2026, 1.1-13/2026",
        "preparing": "Ekonomiavdelningen",
        "proposal": "Nämnden godkänner budgeten.",
        **fields,
    }


def titles(meeting: Meeting) -> list[str]:
    return list(meeting.agenda_items.order_by("position").values_list("title", flat=True))


def test_the_meeting_page_links_to_the_agenda(secretary, meeting):
    page = secretary.get(reverse("minutes:meeting-detail", args=[meeting.pk])).content.decode()

    assert f'href="{reverse("minutes:agenda-page", args=[meeting.pk])}"' in page


def test_an_added_item_keeps_every_dnr_and_opens_for_its_documents(secretary, meeting):
    response = secretary.post(reverse("minutes:agenda-add", args=[meeting.pk]), item_post())

    agenda_item = AgendaItem.objects.get()
    assert response.url == reverse("minutes:agenda-item", args=[meeting.pk, agenda_item.pk])
    assert (agenda_item.dnrs, agenda_item.preparing, agenda_item.position) == (
        ["1.1-12/2026", "1.1-13/2026"],
        "Ekonomiavdelningen",
        1,
    )


def test_a_confidential_item_without_a_ground_is_refused_at_the_field(secretary, meeting):
    response = secretary.post(reverse("minutes:agenda-add", args=[meeting.pk]), item_post(confidential="on"))

    assert response.status_code == 400
    assert "Ange sekretessgrunden, t.ex. ”OSL 26 kap. 1 §”." in response.content.decode()
    assert AgendaItem.objects.count() == 0


def test_items_move_up_and_down_and_withdraw_with_the_time(secretary, meeting):
    for title in ("A", "B", "C"):
        add_agenda_item(meeting, title=title)
    b = AgendaItem.objects.get(title="B")
    action = reverse("minutes:agenda-action", args=[meeting.pk])

    secretary.post(action, {"action": "up", "item": b.pk})
    assert titles(meeting) == ["B", "A", "C"]
    secretary.post(action, {"action": "down", "item": b.pk})
    secretary.post(action, {"action": "down", "item": b.pk})
    assert titles(meeting) == ["A", "C", "B"]
    secretary.post(action, {"action": "withdraw", "item": b.pk})
    b.refresh_from_db()
    assert b.withdrawn_at is not None
    page = secretary.get(reverse("minutes:agenda-page", args=[meeting.pk])).content.decode()
    assert "utgått" in page
    # Numbered as the notice numbers them: the withdrawn item has no number, and none is skipped.
    numbers = re.findall(r"<tr[^>]*>\n<td[^>]*>([^<]+)</td>\n<td>(?:<s>)?<a [^>]+>([^<]+)</a>", page)
    assert numbers == [("1", "A"), ("2", "C"), ("–", "B")]
    trail = secretary.get(reverse("minutes:audit-trail", args=[meeting.pk])).content.decode()
    assert trail.count("Dagordningspunkt") >= 4  # three added, one withdrawn, and the moves
    assert "<dt>Utgått</dt>" in trail  # the withdrawal, with its time
    assert "<dt>Ordning</dt><dd><del>2</del> → <ins>1</ins></dd>" in trail  # B moved up


def test_the_opening_items_come_first_and_only_once(secretary, meeting):
    add_agenda_item(meeting, title="Budget 2027")
    action = reverse("minutes:agenda-action", args=[meeting.pk])

    secretary.post(action, {"action": "opening"})
    secretary.post(action, {"action": "opening"})

    assert titles(meeting) == [
        "Val av justerare",
        "Justeringens tid och plats",
        "Godkännande av föredragningslistan",
        "Budget 2027",
    ]


def test_an_upload_that_is_not_a_pdf_comes_back_with_the_message_at_the_field(secretary, meeting):
    agenda_item = add_agenda_item(meeting, title="Budget 2027")
    url = reverse("minutes:agenda-item", args=[meeting.pk, agenda_item.pk])

    response = secretary.post(
        url,
        {
            "form": "document",
            "doc-title": "Tjänsteutlåtande",
            "doc-date": "2026-12-01",
            "doc-file": upload(b"Hej", "a.txt"),
        },
    )

    assert response.status_code == 400
    assert "Filen är varken en PDF eller ett Office-dokument" in response.content.decode()
    assert agenda_item.documents.count() == 0


def test_an_uploaded_pdf_is_listed_and_served_to_the_secretary(secretary, meeting):
    agenda_item = add_agenda_item(meeting, title="Budget 2027")
    url = reverse("minutes:agenda-item", args=[meeting.pk, agenda_item.pk])
    data = pdf_bytes()

    response = secretary.post(
        url, {"form": "document", "doc-title": "Tjänsteutlåtande", "doc-date": "2026-12-01", "doc-file": upload(data)}
    )

    document = agenda_item.documents.get()
    assert response.url == url
    assert (document.title, document.uploaded_by.username) == ("Tjänsteutlåtande", "sekreterare")
    served = secretary.get(reverse("minutes:agenda-document", args=[meeting.pk, document.pk]))
    assert (served["Content-Type"], served.content) == ("application/pdf", data)
    assert served["Content-Disposition"] == "inline; filename*=utf-8''Tj%C3%A4nsteutl%C3%A5tande%202026-12-01.pdf"


def test_a_saved_copy_is_named_by_its_title_and_date_without_characters_file_systems_refuse(meeting):
    from minutes.agenda.documents import download_name

    agenda_item = add_agenda_item(meeting, title="Budget 2027")
    document = store_document(
        agenda_item,
        upload=upload(pdf_bytes()),
        title='Bilaga 2: "Budget" 2027/28?',
        date=datetime.date(2026, 12, 1),
        confidential=False,
    )

    assert download_name(document) == "Bilaga 2- -Budget- 2027-28 2026-12-01.pdf"


def test_a_replacement_is_uploaded_as_a_new_version(secretary, meeting):
    agenda_item = add_agenda_item(meeting, title="Budget 2027")
    first = store_document(
        agenda_item,
        upload=upload(pdf_bytes()),
        title="Tjänsteutlåtande",
        date=datetime.date(2026, 12, 1),
        confidential=False,
    )
    url = reverse("minutes:agenda-item", args=[meeting.pk, agenda_item.pk])

    secretary.post(
        url,
        {
            "form": "replace",
            "document": first.pk,
            f"r{first.pk}-date": "2026-12-03",
            f"r{first.pk}-file": upload(pdf_bytes(2)),
        },
    )

    newest = agenda_item.documents.current().get()
    assert (newest.previous, newest.title, newest.date) == (first, "Tjänsteutlåtande", datetime.date(2026, 12, 3))
    page = secretary.get(url).content.decode()
    assert "1 tidigare version" in page


def test_the_agenda_becomes_the_paragraphs_once_with_nothing_retyped(secretary, meeting):
    budget = add_agenda_item(
        meeting, title="Budget 2027", dnrs=["1.1-12/2026", "1.1-13/2026"], proposal="Nämnden godkänner budgeten."
    )
    report = store_document(
        budget,
        upload=upload(pdf_bytes()),
        title="Tjänsteutlåtande",
        date=datetime.date(2026, 11, 20),
        confidential=False,
    )
    add_agenda_item(meeting, title="Placering", confidential=True, secrecy_ground="OSL 26 kap. 1 §")
    gone = add_agenda_item(meeting, title="Dragen")
    action = reverse("minutes:agenda-action", args=[meeting.pk])
    secretary.post(action, {"action": "withdraw", "item": gone.pk})

    first = secretary.post(action, {"action": "make-items"}, follow=True).content.decode()
    second = secretary.post(action, {"action": "make-items"}, follow=True).content.decode()

    items = list(meeting.items.order_by("position"))
    assert [(i.title, i.dnr, i.decision, i.confidential) for i in items] == [
        ("Budget 2027", "1.1-12/2026, 1.1-13/2026", "Nämnden godkänner budgeten.", False),
        ("Placering", "", "", True),
    ]
    assert items[0].report_date == datetime.date(2026, 11, 20)
    assert items[1].public_heading == "Sekretessärende (OSL 26 kap. 1 §)"
    assert list(items[0].basis_documents.all()) == [report]
    assert budget.__class__.objects.get(pk=budget.pk).item == items[0]
    assert "2 paragrafer gjorda av föredragningslistan. Utgångna, därför inte gjorda: Dragen." in first
    assert "0 paragrafer gjorda av föredragningslistan. 2 punkter var redan paragrafer." in second
    assert Item.objects.filter(meeting=meeting).count() == 2


def test_opening_items_become_the_opening_paragraphs_written_from_the_meeting(secretary, meeting):
    secretary.post(reverse("minutes:agenda-action", args=[meeting.pk]), {"action": "opening"})
    secretary.post(reverse("minutes:agenda-action", args=[meeting.pk]), {"action": "make-items"})

    items = list(meeting.items.order_by("position"))
    assert [(i.opening, i.title) for i in items] == [
        ("adjusters", "Val av justerare"),
        ("adjustment", "Justeringens tid och plats"),
        ("agenda", "Godkännande av föredragningslistan"),
    ]
    assert items[2].decision == "Föredragningslistan godkändes."


def test_another_committees_secretary_sees_neither_the_page_nor_the_files(client, meeting):
    agenda_item = add_agenda_item(meeting, title="Placering", confidential=True, secrecy_ground="OSL 26 kap. 1 §")
    document = store_document(
        agenda_item, upload=upload(pdf_bytes()), title="Utredning", date=datetime.date(2026, 12, 1), confidential=True
    )
    other = User.objects.create_user("annan")
    CommitteeFactory().secretaries.add(other)
    file_url = reverse("minutes:agenda-document", args=[meeting.pk, document.pk])

    assert client.get(file_url).status_code == 404  # the public
    client.force_login(other)
    assert client.get(reverse("minutes:agenda-page", args=[meeting.pk])).status_code == 403
    assert client.get(file_url).status_code == 404
    assert client.post(reverse("minutes:agenda-add", args=[meeting.pk]), item_post()).status_code == 403
    assert AgendaItem.objects.count() == 1


def agenda_of(meeting: Meeting, size: int) -> None:
    """`size` items, each with a document, every other one confidential."""
    for n in range(size):
        secret = n % 2 == 1
        agenda_item = add_agenda_item(
            meeting, title=f"Punkt {n}", confidential=secret, secrecy_ground="OSL 26 kap. 1 §" if secret else ""
        )
        store_document(
            agenda_item,
            upload=upload(pdf_bytes()),
            title=f"Handling {n}",
            date=datetime.date(2026, 12, 1),
            confidential=False,
        )


@pytest.mark.parametrize("size", [1, 3])
def test_the_agenda_page_reads_a_fixed_number_of_queries(secretary, meeting, size, django_assert_num_queries):
    agenda_of(meeting, size)
    url = reverse("minutes:agenda-page", args=[meeting.pk])
    secretary.get(url)  # session and user warm
    # 8: one of them asks whether a notice went out whose agenda has changed since
    with django_assert_num_queries(8):
        secretary.get(url)


@pytest.mark.parametrize("size", [1, 3])
def test_the_public_agenda_reads_a_fixed_number_of_queries(client, meeting, size, django_assert_num_queries):
    agenda_of(meeting, size)
    url = reverse("portal:agenda", args=[meeting.committee.slug, meeting.year, meeting.number])
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200


def test_a_meeting_sent_for_adjustment_shows_its_agenda_and_changes_nothing(secretary, meeting):
    agenda_item = add_agenda_item(meeting, title="Budget 2027")
    Meeting.objects.filter(pk=meeting.pk).update(status="locked")

    page = secretary.get(reverse("minutes:agenda-page", args=[meeting.pk])).content.decode()
    added = secretary.post(reverse("minutes:agenda-add", args=[meeting.pk]), item_post())
    edited = secretary.post(
        reverse("minutes:agenda-item", args=[meeting.pk, agenda_item.pk]), {"form": "item", "title": "Inbrott"}
    )

    assert "Föredragningslistan kan inte längre ändras: protokollet har skickats för justering." in page
    assert "Lägg till punkten" not in page
    assert (added.status_code, edited.status_code, titles(meeting)) == (403, 403, ["Budget 2027"])


def test_the_meeting_page_offers_to_make_the_paragraphs_of_the_agenda(secretary, meeting):
    add_agenda_item(meeting, title="Budget 2027")
    add_agenda_item(meeting, title="Trafiksäkerhet")
    url = reverse("minutes:meeting-detail", args=[meeting.pk])

    before = secretary.get(url).content.decode()
    secretary.post(reverse("minutes:agenda-action", args=[meeting.pk]), {"action": "make-items"})
    after = secretary.get(url).content.decode()

    assert "Gör paragrafer av de 2 punkterna på föredragningslistan som saknar paragraf" in before
    assert "saknar paragraf" not in after
    assert list(meeting.items.values_list("title", flat=True)) == ["Budget 2027", "Trafiksäkerhet"]
