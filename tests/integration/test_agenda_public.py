"""The public agenda: a coming meeting's public items and documents in the portal and in OParl, and
confidential or withdrawn ones nowhere public (portal, search, feeds, OParl, file addresses)."""

import datetime
import hashlib
import json
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from minutes.agenda.documents import store_document
from minutes.agenda.items import add_agenda_item, withdraw_agenda_item
from minutes.models import AgendaDocument, Meeting
from tests.agenda_files import pdf_bytes, upload
from tests.factories import CommitteeFactory, MeetingFactory
from tests.integration.test_oparl_crawl import VALIDATORS, extension_validators

pytestmark = pytest.mark.django_db

SECRET_TITLE = "SEKRETESS-PUNKT-9912"
SECRET_DOCUMENT = "HEMLIG-HANDLING-4471"
WITHDRAWN_TITLE = "UTGÅNGEN-PUNKT-3310"
OLD_VERSION = "GAMMAL-VERSION-2208"
SECRET_DNR = "9.9-999/2026"
SECRETS = (SECRET_TITLE, SECRET_DOCUMENT, WITHDRAWN_TITLE, OLD_VERSION, "OSL 26 kap. 1 §", SECRET_DNR)


def document(agenda_item, title: str, *, confidential: bool = False, replaces=None) -> AgendaDocument:
    return store_document(
        agenda_item,
        upload=upload(pdf_bytes()),
        title=title,
        date=datetime.date(2026, 12, 1),
        confidential=confidential,
        replaces=replaces,
    )


@pytest.fixture
def coming(settings, tmp_path) -> Meeting:
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = MeetingFactory(
        committee=CommitteeFactory(municipality="Stockholms stad"),
        date=timezone.localdate() + datetime.timedelta(days=7),
        place="Årstadalsvägen 4",
    )
    budget = add_agenda_item(
        meeting,
        title="Budget 2027",
        dnrs=["1.1-12/2026"],
        preparing="Ekonomiavdelningen",
        proposal="Godkänn <b>budgeten</b>.",
    )
    old = document(budget, OLD_VERSION)
    document(budget, "Tjänsteutlåtande", replaces=old)
    document(budget, SECRET_DOCUMENT, confidential=True)
    secret = add_agenda_item(
        meeting, title=SECRET_TITLE, dnrs=[SECRET_DNR], confidential=True, secrecy_ground="OSL 26 kap. 1 §"
    )
    document(secret, "Utredning")
    gone = add_agenda_item(meeting, title=WITHDRAWN_TITLE)
    document(gone, "Bilaga")
    withdraw_agenda_item(gone)
    return meeting


def agenda_url(meeting: Meeting, name: str = "portal:agenda", *args) -> str:
    return reverse(name, args=[meeting.committee.slug, meeting.year, meeting.number, *args])


def assert_no_secret(text: str) -> None:
    assert [secret for secret in SECRETS if secret in text] == []


def test_the_committee_page_links_the_coming_meetings_public_agenda(client, coming):
    page = client.get(reverse("portal:committee", args=[coming.committee.slug])).content.decode()

    assert f'href="{agenda_url(coming)}"' in page
    assert_no_secret(page)


def test_the_public_agenda_shows_the_public_items_and_documents_only(client, coming):
    response = client.get(agenda_url(coming))
    page = response.content.decode()

    assert response.status_code == 200
    assert "1. Budget 2027" in page
    assert "Dnr 1.1-12/2026 · Ekonomiavdelningen" in page
    assert "Godkänn &lt;b&gt;budgeten&lt;/b&gt;." in page  # the secretary's text is escaped
    public = AgendaDocument.objects.public().get()
    assert public.title == "Tjänsteutlåtande"
    assert f'href="{agenda_url(coming, "portal:agenda-document", public.pk)}"' in page
    assert_no_secret(page)


def test_a_public_item_keeps_the_number_the_notice_gives_it(client, coming):
    from minutes.agenda.items import move_agenda_item
    from minutes.notice import notice_snapshot

    budget = coming.agenda_items.get(title="Budget 2027")
    move_agenda_item(budget, by=1)  # below the confidential item
    last = add_agenda_item(coming, title="Lokalfrågor")

    page = client.get(agenda_url(coming)).content.decode()
    notice = {item.title: item.position for item in notice_snapshot(coming).items}

    assert (notice["Budget 2027"], notice["Lokalfrågor"]) == (2, 3)
    assert re.findall(r'<h2 class="h5">(\d+)\. ([^<]+)</h2>', page) == [("2", "Budget 2027"), ("3", last.title)]
    assert_no_secret(page)
    (meeting,) = oparl(client, "meetings")[1]["data"]
    assert [(item["number"], item["order"]) for item in meeting["agendaItem"]] == [("2", 1), ("3", 2)]


def test_only_public_documents_are_served_at_the_public_address(client, coming):
    by_title = {d.title: d for d in AgendaDocument.objects.all()}
    public = by_title["Tjänsteutlåtande"]

    served = client.get(agenda_url(coming, "portal:agenda-document", public.pk))
    assert (served.status_code, served["Content-Type"], served.content) == (200, "application/pdf", pdf_bytes())
    for title in (SECRET_DOCUMENT, "Utredning", "Bilaga", OLD_VERSION):
        url = agenda_url(coming, "portal:agenda-document", by_title[title].pk)
        assert (title, client.get(url).status_code) == (title, 404)


def test_another_committees_secretary_gets_no_confidential_file_anywhere(client, coming):
    other = User.objects.create_user("annan")
    CommitteeFactory().secretaries.add(other)
    client.force_login(other)
    secret = AgendaDocument.objects.get(title=SECRET_DOCUMENT)

    assert client.get(agenda_url(coming, "portal:agenda-document", secret.pk)).status_code == 404
    assert client.get(reverse("minutes:agenda-document", args=[coming.pk, secret.pk])).status_code == 404


def test_a_meeting_with_only_confidential_items_has_no_public_agenda(client, settings, tmp_path):
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=3))
    add_agenda_item(meeting, title=SECRET_TITLE, confidential=True, secrecy_ground="OSL 26 kap. 1 §")

    assert client.get(agenda_url(meeting)).status_code == 404
    page = client.get(reverse("portal:committee", args=[meeting.committee.slug])).content.decode()
    assert agenda_url(meeting) not in page


def test_search_and_feeds_never_show_the_confidential_agenda(client, coming):
    slug = coming.committee.slug
    for url in (
        reverse("portal:search") + "?q=9912",
        reverse("portal:search") + "?q=Utredning",
        reverse("portal:feed"),
        reverse("portal:committee-feed", args=[slug]),
        reverse("portal:committee-calendar", args=[slug]),
        reverse("portal:start"),
    ):
        assert_no_secret(client.get(url).content.decode())


def oparl(client, path: str) -> tuple[int, dict]:
    response = client.get(f"/oparl/v1/body/stockholms-stad/{path}")
    return response.status_code, json.loads(response.content)


def test_oparl_carries_the_coming_meeting_with_its_public_agenda_and_files(client, coming):
    status, meetings = oparl(client, "meetings")
    (meeting,) = meetings["data"]

    assert (status, meeting["meetingState"], meeting["id"]) == (
        200,
        "eingeladen",
        f"http://testserver/oparl/v1/body/stockholms-stad/meeting/{coming.pk}",
    )
    (item,) = meeting["agendaItem"]
    assert (item["name"], item["number"], item["paragraf:dnr"], item["public"]) == (
        "Budget 2027",
        "1",
        "1.1-12/2026",
        True,
    )
    (file,) = item["auxiliaryFile"]
    assert file["name"] == "Tjänsteutlåtande"
    assert client.get(file["accessUrl"]).content == pdf_bytes()
    saved = client.get(file["downloadUrl"])
    assert saved["Content-Disposition"] == "attachment; filename*=utf-8''Tj%C3%A4nsteutl%C3%A5tande%202026-12-01.pdf"
    errors = [
        e.message
        for kind, obj in (("Meeting", meeting), ("AgendaItem", item), ("File", file))
        for e in VALIDATORS[kind].iter_errors(obj)
    ]
    errors += [e.message for e in extension_validators()[0].iter_errors(item)]
    assert errors == []
    for path in ("meetings", "agenda-items", "files", "papers", f"meeting/{coming.pk}"):
        status, found = oparl(client, path)
        assert status == 200
        assert_no_secret(json.dumps(found, ensure_ascii=False))
    for url in (item["id"], file["id"], meeting["id"]):
        assert client.get(url).json()["id"] == url


def test_oparl_has_no_address_for_a_confidential_or_withdrawn_item_or_document(client, coming):
    secret_item = coming.agenda_items.get(title=SECRET_TITLE)
    gone_item = coming.agenda_items.get(title=WITHDRAWN_TITLE)
    for path in (
        f"planned-item/{secret_item.pk}",
        f"planned-item/{gone_item.pk}",
        *(f"document/{d.pk}" for d in AgendaDocument.objects.exclude(title="Tjänsteutlåtande")),
    ):
        assert (path, oparl(client, path)[0]) == (path, 404)
    assert oparl(client, f"paper/{SECRET_DNR}")[0] == 404


def test_oparl_serves_a_paper_for_a_matter_on_the_coming_agenda(client, coming):
    status, papers = oparl(client, "papers")
    (paper,) = papers["data"]

    assert (status, paper["reference"], paper["name"], paper["mainFile"]["name"]) == (
        200,
        "1.1-12/2026",
        "Budget 2027",
        "Tjänsteutlåtande",
    )
    assert "auxiliaryFile" not in paper  # the confidential document and the replaced version are left out
    assert [e.message for e in VALIDATORS["Paper"].iter_errors(paper)] == []
    assert client.get(paper["id"]).json() == paper


def test_oparl_names_the_coming_meetings_location_and_consultations_and_checksums(client, coming):
    _status, meeting = oparl(client, f"meeting/{coming.pk}")
    _status, papers = oparl(client, "papers")
    (paper,) = papers["data"]
    _status, consultations = oparl(client, "consultations")
    _status, locations = oparl(client, "locations")
    budget = coming.agenda_items.get(title="Budget 2027")

    location = meeting["location"]
    assert (location["description"], locations["data"]) == ("Årstadalsvägen 4", [location])
    assert client.get(location["id"]).json() == location
    (consultation,) = paper["consultation"]
    assert consultations["data"] == [consultation]
    assert (consultation["agendaItem"], consultation["paper"], consultation["authoritative"]) == (
        f"http://testserver/oparl/v1/body/stockholms-stad/planned-item/{budget.pk}",
        paper["id"],
        False,
    )
    assert client.get(consultation["id"]).json() == consultation
    assert paper["mainFile"]["sha512Checksum"] == hashlib.sha512(pdf_bytes()).hexdigest()
    errors = [e.message for e in VALIDATORS["Consultation"].iter_errors(consultation)]
    errors += [e.message for e in VALIDATORS["Location"].iter_errors(location)]
    errors += [e.message for e in VALIDATORS["Meeting"].iter_errors(meeting)]
    assert errors == []
    for path in ("consultations", "locations"):
        assert_no_secret(json.dumps(oparl(client, path)[1], ensure_ascii=False))
    secret = coming.agenda_items.get(title=SECRET_TITLE)
    for key in (f"{secret.pk}-1", f"{budget.pk}-2", f"{budget.pk}-01", "x-1"):
        assert (key, oparl(client, f"planned-consultation/{key}")[0]) == (key, 404)


def test_oparl_has_no_location_for_a_meeting_with_only_confidential_items(client, settings, tmp_path):
    meeting = MeetingFactory(
        committee=CommitteeFactory(municipality="Stockholms stad"),
        date=timezone.localdate() + datetime.timedelta(days=3),
        place="Hemliga salen",
    )
    add_agenda_item(meeting, title=SECRET_TITLE, dnrs=[SECRET_DNR], confidential=True, secrecy_ground="OSL 26 kap. 1 §")

    for path in ("locations", "consultations", "meetings", "papers"):
        status, found = oparl(client, path)
        assert (path, status, found["data"]) == (path, 200, [])


def test_portal_search_finds_a_public_item_of_a_coming_meeting_and_never_a_confidential_one(client, coming):
    def found(query: str) -> list[str]:
        page = client.get(reverse("portal:search"), {"q": query}).content.decode()
        section = page.split('id="coming-results"', 1)[1].split("</section>", 1)[0] if "coming-results" in page else ""
        return re.findall(r'<a href="[^"]*">([^<]*)</a>', section)

    page = client.get(reverse("portal:search"), {"q": "budget"}).content.decode()

    assert found("budget") == ["Budget 2027"]
    assert found("tjänsteutlåtande") == ["Budget 2027"]  # by a public document's title
    assert found("budget -2027") == []
    assert agenda_url(coming) in page
    assert "På kommande föredragningslistor" in page
    for query in ("9912", SECRET_TITLE, "Utredning", SECRET_DOCUMENT, WITHDRAWN_TITLE, "Bilaga", OLD_VERSION):
        assert (query, found(query)) == (query, [])
    assert_no_secret(client.get(reverse("portal:search"), {"q": "SEKRETESS"}).content.decode())
    elsewhere = CommitteeFactory().slug
    other = client.get(reverse("portal:search"), {"q": "budget", "committee": elsewhere}).content.decode()
    assert "coming-results" not in other
