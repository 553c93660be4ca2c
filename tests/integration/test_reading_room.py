"""The members' reading room: who reads what, private notes, and the second factor for confidential documents."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from minutes.models import DocumentNote
from tests.notice_setup import coming_agenda, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return coming_agenda()


def test_a_member_sees_the_coming_meetings_of_their_committees(agenda, client):
    client.force_login(agenda.members[2])  # the substitute

    home = client.get(reverse("reading:home")).content.decode()
    start = client.get(reverse("minutes:committee-list")).content.decode()

    assert reverse("reading:meeting", args=[agenda.meeting.pk]) in home
    assert "Årstadals stadsdelsnämnd" in home
    assert f'href="{reverse("reading:home")}"' in start


def test_the_meeting_page_lists_the_agenda_with_one_link_per_document(agenda, client):
    client.force_login(agenda.members[1])

    response = client.get(reverse("reading:meeting", args=[agenda.meeting.pk]))
    page = response.content.decode()

    assert response["Cache-Control"] == "private, no-cache"  # the service worker may keep it
    assert page.count("data-document>") == 2
    assert reverse("reading:document", args=[agenda.public_document.pk]) in page
    assert "Nämnden godkänner." in page
    assert "Avslag för Anna Andersson." not in page  # a confidential proposal waits for the second factor
    assert "Tillbakadraget ärende" not in page
    assert "OSL 26 kap. 1 §" in page


def test_a_public_document_opens_inline_for_a_member(agenda, client):
    client.force_login(agenda.members[0])

    response = client.get(reverse("reading:document", args=[agenda.public_document.pk]))

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"].startswith("inline;")
    assert response.content[:5] == b"%PDF-"


def test_another_committees_member_finds_nothing(agenda, client):
    client.force_login(agenda.outsider)

    home = client.get(reverse("reading:home")).content.decode()
    statuses = [
        client.get(reverse("reading:meeting", args=[agenda.meeting.pk])).status_code,
        client.get(reverse("reading:document", args=[agenda.public_document.pk])).status_code,
        client.get(reverse("reading:document", args=[agenda.secret_document.pk])).status_code,
        client.post(reverse("reading:note", args=[agenda.public_document.pk]), {"text": "x"}).status_code,
    ]

    assert statuses == [404, 404, 404, 404]
    assert "Årstadals" not in home
    assert DocumentNote.objects.count() == 0


def test_a_visitor_is_asked_to_sign_in(agenda, client):
    response = client.get(reverse("reading:document", args=[agenda.public_document.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_note_is_seen_by_its_writer_alone(agenda, client):
    writer, other = agenda.members[0], agenda.members[1]
    client.force_login(writer)
    saved = client.post(
        reverse("reading:note", args=[agenda.public_document.pk]), {"text": "Fråga om <b>kostnaden</b>"}
    )
    own = client.get(reverse("reading:meeting", args=[agenda.meeting.pk])).content.decode()
    client.force_login(other)
    theirs = client.get(reverse("reading:meeting", args=[agenda.meeting.pk])).content.decode()

    assert saved.status_code == 302
    assert saved["Location"].endswith(f"#doc-{agenda.public_document.pk}")
    assert "Fråga om &lt;b&gt;kostnaden&lt;/b&gt;" in own
    assert "kostnaden" not in theirs
    assert list(DocumentNote.objects.values_list("user", "text")) == [(writer.pk, "Fråga om <b>kostnaden</b>")]


def test_a_replaced_document_shows_its_history_and_keeps_the_readers_note(agenda, client, mailoutbox):
    from minutes.agenda.documents import store_document
    from minutes.notice import send_notice
    from tests.agenda_files import pdf_bytes, upload

    reader = agenda.members[0]
    client.force_login(reader)
    client.post(reverse("reading:note", args=[agenda.public_document.pk]), {"text": "Fråga om kostnaden"})
    send_notice(agenda.meeting, by=agenda.secretary)
    second = store_document(
        agenda.public,
        upload=upload(pdf_bytes(3)),
        title="Tjänsteutlåtande budget, reviderat",
        date=agenda.meeting.date,
        confidential=False,
        replaces=agenda.public_document,
    )

    page = client.get(reverse("reading:meeting", args=[agenda.meeting.pk])).content.decode()
    client.post(reverse("reading:note", args=[second.pk]), {"text": "Fråga om kostnaden, nu besvarad"})
    after = client.get(reverse("reading:meeting", args=[agenda.meeting.pk])).content.decode()

    assert page.count("data-document>") == 2  # the current version alone is a document to open
    assert "Ny version efter kallelsen" in page
    assert "Version 2, ersatt" in page
    assert reverse("reading:document", args=[agenda.public_document.pk]) in page  # the earlier version
    assert f'id="note-origin-{second.pk}"' in page
    assert "Du skrev anteckningen till version 1" in page
    assert 'name="text" rows="3" maxlength="10000">Fråga om kostnaden</textarea>' in page
    assert "Du skrev anteckningen till version 1" not in after
    assert "Fråga om kostnaden, nu besvarad</textarea>" in after


def test_an_empty_note_removes_it(agenda, client):
    client.force_login(agenda.members[0])
    url = reverse("reading:note", args=[agenda.public_document.pk])
    client.post(url, {"text": "Först"})
    client.post(url, {"text": "  "})

    assert DocumentNote.objects.count() == 0


def test_a_confidential_document_without_a_second_factor_asks_to_connect_one(agenda, client):
    client.force_login(agenda.members[0])

    response = client.get(reverse("reading:document", args=[agenda.secret_document.pk]))

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "Koppla en autentiseringsapp" in response.content.decode()


def test_enrolling_with_a_valid_code_opens_the_confidential_document(agenda, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows the next try after a wrong code; not the subject here
    member = agenda.members[0]
    client.force_login(member)
    document = reverse("reading:document", args=[agenda.secret_document.pk])

    page = client.get(reverse("reading:second-factor-enrol"), {"next": document}).content.decode()
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    wrong = client.post(reverse("reading:second-factor-enrol"), {"code": "000000", "next": document})
    device.refresh_from_db()
    done = client.post(reverse("reading:second-factor-enrol"), {"code": totp_code(device), "next": document})
    response = client.get(document)

    assert device.config_url in page.replace("&amp;", "&")
    assert wrong.status_code == 400
    assert "Koden är fel eller för gammal" in wrong.content.decode()
    assert (done.status_code, done["Location"]) == (302, document)
    assert (response.status_code, response.content[:5]) == (200, b"%PDF-")
    assert response["Cache-Control"] == "private, no-store"
    assert TOTPDevice.objects.get(user=member).confirmed is True


def test_a_member_with_an_app_gives_a_code_in_a_new_session(agenda, client):
    member = agenda.members[1]
    device = TOTPDevice.objects.create(user=member, name="Läsrummet", confirmed=True)
    client.force_login(member)
    document = reverse("reading:document", args=[agenda.secret_document.pk])

    asked = client.get(document)
    given = client.post(reverse("reading:second-factor-verify"), {"code": totp_code(device), "next": document})
    served = client.get(document)

    assert asked.status_code == 403
    assert 'name="code"' in asked.content.decode()
    assert given["Location"] == document
    assert served.status_code == 200
    page = client.get(reverse("reading:meeting", args=[agenda.meeting.pk]))
    assert "Avslag för Anna Andersson." in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"  # confidential text on it: no copy kept offline


def test_a_code_cannot_send_the_member_to_another_site(agenda, client):
    member = agenda.members[1]
    device = TOTPDevice.objects.create(user=member, name="Läsrummet", confirmed=True)
    client.force_login(member)

    given = client.post(
        reverse("reading:second-factor-verify"), {"code": totp_code(device), "next": "https://evil.example/"}
    )

    assert given["Location"] == reverse("reading:home")


def test_the_other_committees_member_with_a_second_factor_still_finds_nothing(agenda, client):
    device = TOTPDevice.objects.create(user=agenda.outsider, name="Läsrummet", confirmed=True)
    client.force_login(agenda.outsider)
    client.post(reverse("reading:second-factor-verify"), {"code": totp_code(device), "next": "/"})

    assert client.get(reverse("reading:document", args=[agenda.secret_document.pk])).status_code == 404


def test_the_service_worker_is_served_for_the_reading_room(client):
    response = client.get(reverse("reading:worker"))

    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert b'"paragraf-reading-v1"' in response.content


@pytest.mark.parametrize(("items", "queries"), [(1, 11), (3, 11)])
def test_the_meeting_page_reads_a_fixed_number_of_queries(agenda, client, items, queries, django_assert_num_queries):
    from minutes.agenda.documents import store_document
    from minutes.agenda.items import add_agenda_item
    from tests.agenda_files import pdf_bytes, upload

    for n in range(items - 1):  # the agenda has one public item with a document already
        added = add_agenda_item(agenda.meeting, title=f"Ärende {n}")
        store_document(
            added, upload=upload(pdf_bytes()), title=f"Bilaga {n}", date=agenda.meeting.date, confidential=False
        )
    agenda.secret.withdrawn_at = agenda.secret.created_at
    agenda.secret.save()
    client.force_login(agenda.members[0])
    url = reverse("reading:meeting", args=[agenda.meeting.pk])
    client.get(url)

    with django_assert_num_queries(queries):
        page = client.get(url).content.decode()

    assert page.count("data-document>") == items


def test_an_administrator_sees_that_a_note_exists_but_not_what_it_says(agenda, client, django_user_model):
    note = DocumentNote.objects.create(user=agenda.members[0], document=agenda.public_document, text="Min hemlighet")
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.org", password=None))

    listing = client.get(reverse("admin:minutes_documentnote_changelist")).content.decode()
    detail = client.get(reverse("admin:minutes_documentnote_change", args=[note.pk])).content.decode()

    assert "Tjänsteutlåtande budget" in listing
    assert ("Min hemlighet" in listing, "Min hemlighet" in detail) == (False, False)


def test_the_start_page_lists_the_coming_meetings_the_member_is_summoned_to(agenda, client, mailoutbox):
    from minutes.agenda.documents import store_document
    from minutes.notice import send_notice
    from tests.agenda_files import pdf_bytes, upload

    substitute = agenda.members[2]
    client.force_login(substitute)
    meeting = reverse("reading:meeting", args=[agenda.meeting.pk])
    before = client.get(reverse("minutes:committee-list")).content.decode()
    send_notice(agenda.meeting, by=agenda.secretary)
    store_document(
        agenda.public, upload=upload(pdf_bytes(3)), title="Bilaga", date=agenda.meeting.date, confidential=False
    )

    start = client.get(reverse("minutes:committee-list")).content.decode()
    home = client.get(reverse("reading:home")).content.decode()

    assert 'id="summoned-meetings"' not in before  # no notice yet: nobody is summoned
    for page in (start, home):
        assert "Sammanträden du är kallad till" in page
        summoned = page.split('id="summoned-meetings"')[1].split("</ul>")[0]
        assert f'href="{meeting}"' in summoned
        assert "Årstadals stadsdelsnämnd" in summoned
        assert "Kallad som ersättare." in summoned
        assert "1 handling har tillkommit efter kallelsen." in summoned
    assert 'id="reading-meetings"' not in home  # the one coming meeting is listed once, as summoned


def test_the_start_page_lists_no_summons_to_others_or_to_past_meetings(agenda, client, mailoutbox):
    from minutes.notice import send_notice

    send_notice(agenda.meeting, by=agenda.secretary)
    client.force_login(agenda.outsider)
    outsider = client.get(reverse("minutes:committee-list")).content.decode()
    agenda.meeting.date = agenda.meeting.date.replace(year=agenda.meeting.date.year - 1)
    agenda.meeting.save()
    client.force_login(agenda.members[0])
    member = client.get(reverse("minutes:committee-list")).content.decode()

    assert 'id="summoned-meetings"' not in outsider
    assert 'id="summoned-meetings"' not in member
