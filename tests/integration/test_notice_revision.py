"""The revised notice (ändrad kallelse): the agenda's changes since the notice went out, listed for the
secretary and mailed to everyone who had the notice."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from minutes import notice as notices
from minutes import notice_revision
from minutes.agenda.documents import store_document
from minutes.agenda.items import add_agenda_item, move_agenda_item, save_agenda_item, withdraw_agenda_item
from minutes.models import MeetingNotice
from tests.agenda_files import pdf_bytes, upload
from tests.notice_setup import coming_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return coming_agenda()


def test_nothing_has_changed_right_after_the_notice(agenda, smtp_server):
    assert notice_revision.pending_changes(agenda.meeting) == []  # not sent: nothing to revise
    notices.send_notice(agenda.meeting)

    assert notice_revision.pending_changes(agenda.meeting) == []
    with pytest.raises(ValidationError) as refused:
        notice_revision.send_revised_notice(agenda.meeting)
    assert refused.value.messages == ["Föredragningslistan har inte ändrats sedan kallelsen skickades."]


def test_every_kind_of_change_after_the_notice_is_listed_in_agenda_order(agenda, smtp_server):
    information = add_agenda_item(agenda.meeting, title="Information från förvaltningen")
    notices.send_notice(agenda.meeting)
    added = add_agenda_item(agenda.meeting, title="Lokalfrågor")
    save_agenda_item(agenda.public, proposal="Nämnden godkänner med ändringar.", dnrs=["1.1-12/2026", "1.1-13/2026"])
    withdraw_agenda_item(information)
    move_agenda_item(agenda.secret, by=-1)  # above the budget
    store_document(
        agenda.public,
        upload=upload(pdf_bytes(5)),
        title="Tjänsteutlåtande budget, rev.",
        date=agenda.meeting.date,
        confidential=False,
        replaces=agenda.public_document,
    )
    store_document(added, upload=upload(pdf_bytes(6)), title="Hyresavtal", date=agenda.meeting.date, confidential=True)

    assert notice_revision.pending_changes(agenda.meeting) == [
        "Ändrad: Budget 2027 (Dnr, förslag till beslut)",
        "Utgår: Information från förvaltningen",
        "Ny punkt: Lokalfrågor",
        "Punkterna har fått en ny ordning.",
        "Ny version under Budget 2027: Tjänsteutlåtande budget, rev.",
        "Ny handling under Lokalfrågor: en sekretessbelagd handling",
    ]


def test_the_revised_notice_goes_to_everyone_who_had_the_notice_with_the_changes(agenda, smtp_server, settings):
    settings.PARAGRAF_SITE_URL = "https://paragraf.example"
    notices.send_notice(agenda.meeting, by=agenda.secretary)
    add_agenda_item(agenda.meeting, title="Lokalfrågor", proposal="Nämnden hyr lokalen.")

    sent = notice_revision.send_revised_notice(agenda.meeting, by=agenda.secretary)

    revised = smtp_server.messages[3:]
    assert sent == 3
    assert sorted(message["To"] for message in revised) == [
        "ledamot0@example.org",
        "ledamot1@example.org",
        "ledamot2@example.org",
    ]
    message = revised[0]
    body = message.get_body(("plain",)).get_content()
    copy = MeetingNotice.objects.get().recipients.get(email=message["To"])
    assert message["Subject"].startswith("Ändrad kallelse: Årstadals stadsdelsnämnd, sammanträde")
    assert "- Ny punkt: Lokalfrågor" in body
    assert "Förslag till beslut: Nämnden hyr lokalen." in body  # the notice as it reads now
    assert f"https://paragraf.example/las/kallelse/{copy.token}/" in body
    assert [part.get_content_type() for part in message.iter_attachments()] == ["application/pdf"]
    notice = MeetingNotice.objects.get()
    assert (notice.revised_at is not None, notice.revised_by) == (True, agenda.secretary)
    assert notice_revision.pending_changes(agenda.meeting) == []  # the members know of it now


def test_the_secretary_sees_the_changes_and_sends_the_revised_notice_from_the_notice_page(agenda, smtp_server, client):
    notices.send_notice(agenda.meeting)
    withdraw_agenda_item(agenda.secret)
    client.force_login(agenda.secretary)
    url = reverse("minutes:notice", args=[agenda.meeting.pk])

    before = client.get(url).content.decode()
    after = client.post(
        reverse("minutes:notice-action", args=[agenda.meeting.pk]), {"action": "revise"}, follow=True
    ).content.decode()

    assert "Föredragningslistan har ändrats sedan ledamöterna fick kallelsen" in before
    assert "<li>Utgår: Ansökan om bistånd</li>" in before
    assert "Skicka den ändrade kallelsen till 3 personer" in before
    assert "Den ändrade kallelsen gick till 3 personer." in after
    assert 'id="notice-changes"' not in after
    assert "En ändrad kallelse skickades" in after


def test_a_member_cannot_send_a_revised_notice(agenda, smtp_server, client):
    notices.send_notice(agenda.meeting)
    withdraw_agenda_item(agenda.secret)
    client.force_login(agenda.members[0])

    response = client.post(reverse("minutes:notice-action", args=[agenda.meeting.pk]), {"action": "revise"})

    assert response.status_code == 403
    assert len(smtp_server.messages) == 3


def test_the_agenda_page_says_when_changes_have_not_reached_the_members(agenda, smtp_server, client):
    client.force_login(agenda.secretary)
    url = reverse("minutes:agenda-page", args=[agenda.meeting.pk])
    notices.send_notice(agenda.meeting)
    unchanged = client.get(url).content.decode()
    add_agenda_item(agenda.meeting, title="Lokalfrågor")

    changed = client.get(url).content.decode()

    assert 'id="agenda-unannounced"' not in unchanged
    assert "1 ändring sedan kallelsen skickades har inte nått ledamöterna." in changed
    assert f'<a href="{reverse("minutes:notice", args=[agenda.meeting.pk])}">Skicka en ändrad kallelse</a>' in changed


def test_after_the_notice_the_send_button_shows_only_when_someone_is_waiting_for_it(agenda, smtp_server, client):
    from tests.notice_setup import account

    notices.send_notice(agenda.meeting)
    client.force_login(agenda.secretary)
    url = reverse("minutes:notice", args=[agenda.meeting.pk])
    nobody = client.get(url).content.decode()
    account(agenda.silent, "sen@example.org")

    one = client.get(url).content.decode()

    assert 'value="send"' not in nobody
    assert "Skicka till 1 person som inte fått den" in one
