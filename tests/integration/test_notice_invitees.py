"""Before the meeting, the notice's rule and its invited officials: the committee's rule for the notice days
(a meeting may have its own), officials invited to present an item (föredragande) with their own link to
that item alone, their reminders, and the roles and checksums the notice and OParl carry."""

import datetime
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from committee.models import Role
from minutes import notice as notices
from minutes.agenda.items import add_invitee
from minutes.models import AgendaInvitee, NoticeRecipient
from tests.agenda_files import pdf_bytes
from tests.factories import MembershipFactory, PersonFactory
from tests.notice_setup import account, coming_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PARAGRAF_SITE_URL = "https://paragraf.example"
    return coming_agenda()


# The committee's rule


def test_the_secretary_sets_the_committees_rule_through_the_meeting_list(agenda, client):
    committee = agenda.meeting.committee
    client.force_login(agenda.secretary)
    listing = client.get(reverse("minutes:meeting-list", args=[committee.slug])).content.decode()
    url = reverse("minutes:committee-notice-rule", args=[committee.slug])

    bad = client.post(url, {"notice_days": "abc"})
    good = client.post(url, {"notice_days": "12"}, follow=True)
    committee.refresh_from_db()
    agenda.meeting.refresh_from_db()

    assert f'href="{url}"' in listing
    assert bad.status_code == 400
    assert "Fyll i ett heltal." in bad.content.decode()
    assert "Regeln är sparad." in good.content.decode()
    assert (committee.notice_days, agenda.meeting.notice_days, agenda.meeting.notice_rule) == (12, None, 12)
    check = notices.notice_check(agenda.meeting, timezone.localdate())  # ten days left, twelve asked
    assert (check.ok, "12 dagar" in check.detail) == (False, True)


def test_a_meeting_overrides_the_committees_rule_and_empty_follows_it_again(agenda, client):
    client.force_login(agenda.secretary)
    url = reverse("minutes:notice-action", args=[agenda.meeting.pk])
    agenda.meeting.committee.notice_days = 14
    agenda.meeting.committee.save()
    today = timezone.localdate()

    late_by_committee = notices.notice_check(agenda.meeting, today)
    client.post(url, {"action": "rule", "notice_days": "5"})
    agenda.meeting.refresh_from_db()
    own = (agenda.meeting.notice_rule, notices.notice_check(agenda.meeting, today))
    page = client.get(reverse("minutes:notice", args=[agenda.meeting.pk])).content.decode()
    client.post(url, {"action": "rule", "notice_days": ""})
    agenda.meeting.refresh_from_db()

    assert late_by_committee.ok is False
    assert own == (5, None)
    assert "Ej skickad. Sammanträdets egen regel: 5 dagar före sammanträdet" in page
    assert (agenda.meeting.notice_days, agenda.meeting.notice_rule) == (None, 14)


def test_the_committees_rule_is_refused_outside_its_bounds_and_to_others(agenda, client):
    url = reverse("minutes:committee-notice-rule", args=[agenda.meeting.committee.slug])
    client.force_login(agenda.members[0])
    assert client.post(url, {"notice_days": "3"}).status_code == 403
    client.force_login(agenda.secretary)

    response = client.post(url, {"notice_days": "61"})
    agenda.meeting.committee.refresh_from_db()

    assert response.status_code == 400
    assert "Kontrollera att detta värde är mindre än eller lika med 60." in response.content.decode()
    assert agenda.meeting.committee.notice_days == 7


# Invited officials


def test_the_secretary_invites_an_official_at_the_items_page_and_bad_input_is_refused(agenda, client):
    client.force_login(agenda.secretary)
    url = reverse("minutes:agenda-item", args=[agenda.meeting.pk, agenda.public.pk])

    bad = client.post(url, {"form": "invitee", "inv-name": "Anna Berg", "inv-email": "inte-en-adress"})
    good = client.post(url, {"form": "invitee", "inv-name": "Anna Berg", "inv-email": "anna@example.org"}, follow=True)
    twice = client.post(url, {"form": "invitee", "inv-name": "A. Berg", "inv-email": "ANNA@example.org"})

    assert bad.status_code == 400
    assert "Fyll i en giltig e-postadress." in bad.content.decode()
    assert "Anna Berg är inbjuden att föredra punkten." in good.content.decode()
    assert twice.status_code == 400
    assert "Adressen är redan inbjuden till punkten." in twice.content.decode()
    assert list(AgendaInvitee.objects.values_list("name", "email")) == [("Anna Berg", "anna@example.org")]
    client.force_login(agenda.members[0])
    assert client.post(url, {"form": "invitee", "inv-name": "X", "inv-email": "x@example.org"}).status_code == 403


def test_the_agenda_page_links_to_the_notice(agenda, client):
    client.force_login(agenda.secretary)

    page = client.get(reverse("minutes:agenda-page", args=[agenda.meeting.pk])).content.decode()

    notice = reverse("minutes:notice", args=[agenda.meeting.pk])
    assert f'<a href="{notice}" id="notice-link">Kallelse</a>' in page


def test_the_notice_names_the_presenter_at_their_item_escaped(agenda):
    add_invitee(agenda.public, name="Anna <b>Berg</b>", email="anna@example.org")

    text = notices.render_notice(notices.notice_snapshot(agenda.meeting), "text")
    html = notices.render_notice(notices.notice_snapshot(agenda.meeting), "html")

    assert "1. Budget 2027\n   Föredragande: Anna <b>Berg</b>\n   Dnr 1.1-12/2026" in text
    assert "Föredragande: Anna &lt;b&gt;Berg&lt;/b&gt;" in html


def test_sending_mails_the_official_a_link_to_their_item_alone(agenda, smtp_server, client):
    invitee = add_invitee(agenda.public, name="Anna Berg", email="anna@example.org")

    sent = notices.send_notice(agenda.meeting, by=agenda.secretary)
    again = notices.send_notice(agenda.meeting)
    invitee.refresh_from_db()
    (message,) = [m for m in smtp_server.messages if m["To"] == "anna@example.org"]
    body = message.get_body(("plain",)).get_content()
    link = f"https://paragraf.example/las/foredragning/{invitee.token}/"
    page = client.get(reverse("reading:invitation", args=[invitee.token]))
    html = page.content.decode()
    opened = AgendaInvitee.objects.get().opened_at

    assert (sent, again, invitee.sent_at is not None) == (4, 0, True)
    assert link in body
    assert 'Du är inbjuden som föredragande till punkten "Budget 2027"' in body
    assert (page.status_code, page["Cache-Control"]) == (200, "private, no-store")
    assert "Tjänsteutlåtande budget" in html
    assert [
        secret for secret in ("Ansökan om bistånd", "Utredning Andersson", "Tillbakadraget") if secret in html
    ] == []
    assert opened is not None
    document_url = reverse("reading:invitation-document", args=[invitee.token, agenda.public_document.pk])
    assert client.get(document_url).content == pdf_bytes(1)
    secret_url = reverse("reading:invitation-document", args=[invitee.token, agenda.secret_document.pk])
    assert client.get(secret_url).status_code == 404
    assert client.get(reverse("reading:invitation", args=["nonsense"])).status_code == 404


def test_an_official_on_a_confidential_item_sees_its_title_and_ground_only(agenda, smtp_server, client):
    invitee = add_invitee(agenda.secret, name="Bo Ek", email="bo@example.org")
    notices.send_notice(agenda.meeting)

    html = client.get(reverse("reading:invitation", args=[invitee.token])).content.decode()
    secret_url = reverse("reading:invitation-document", args=[invitee.token, agenda.secret_document.pk])

    assert ("Ansökan om bistånd" in html, "OSL 26 kap. 1 §" in html) == (True, True)
    assert ("Avslag för Anna Andersson" in html, "Utredning Andersson" in html, "2.1-99/2026" in html) == (
        False,
        False,
        False,
    )
    assert client.get(secret_url).status_code == 404


def test_an_unsent_or_taken_back_invitation_opens_nothing(agenda, client):
    invitee = add_invitee(agenda.public, name="Anna Berg", email="anna@example.org")
    client.force_login(agenda.secretary)
    unsent = client.get(reverse("reading:invitation", args=[invitee.token])).status_code
    url = reverse("minutes:agenda-item", args=[agenda.meeting.pk, agenda.public.pk])

    client.post(url, {"form": "uninvite", "invitee": str(invitee.pk)})

    assert unsent == 404
    assert AgendaInvitee.objects.count() == 0


def test_officials_who_have_not_opened_their_link_are_reminded_with_the_members(agenda, smtp_server, client):
    opener = add_invitee(agenda.public, name="Anna Berg", email="anna@example.org")
    add_invitee(agenda.public, name="Bo Ek", email="bo@example.org")
    notices.send_notice(agenda.meeting)
    client.get(reverse("reading:invitation", args=[opener.token]))

    reminded = notices.remind(agenda.meeting)

    mails = zip(smtp_server.messages, smtp_server.recipients, strict=True)
    reminders = sorted(to[0] for message, to in mails if message["Subject"].startswith("Påminnelse"))
    assert reminded == 4
    assert reminders == ["bo@example.org", "ledamot0@example.org", "ledamot1@example.org", "ledamot2@example.org"]
    assert list(AgendaInvitee.objects.filter(reminded_at__isnull=False).values_list("email", flat=True)) == [
        "bo@example.org"
    ]


def test_the_agenda_items_page_lists_the_invited_and_whether_they_opened(agenda, smtp_server, client):
    invitee = add_invitee(agenda.public, name="Anna Berg", email="anna@example.org")
    notices.send_notice(agenda.meeting)
    client.get(reverse("reading:invitation", args=[invitee.token]))
    client.force_login(agenda.secretary)

    html = client.get(reverse("minutes:agenda-item", args=[agenda.meeting.pk, agenda.public.pk])).content.decode()

    notice_page = client.get(reverse("minutes:notice", args=[agenda.meeting.pk])).content.decode()

    assert re.search(r"Anna Berg &lt;anna@example.org&gt;\s*<small[^>]*>öppnad \d{4}-\d\d-\d\d", html)
    row = notice_page.split('id="notice-invitees"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="col">Punkt</th>' in row
    assert re.search(
        r"Anna Berg<br>.*Budget 2027</a></td><td[^>]*>\d{4}-\d\d-\d\d \d\d:\d\d</td><td[^>]*>—</td><td[^>]*>\d{4}", row
    )


# Roles and checksums


def test_a_second_vice_chair_gets_the_notice_with_the_full_title(agenda, smtp_server):
    person = PersonFactory()
    MembershipFactory(person=person, committee=agenda.meeting.committee, role=Role.SECOND_VICE_CHAIR)
    account(person, "vice2@example.org")

    sent = notices.send_notice(agenda.meeting)

    assert sent == 4
    assert NoticeRecipient.objects.get(email="vice2@example.org").role == "andre vice ordförande"


def test_a_stored_document_has_its_sha512(agenda):
    assert agenda.public_document.sha512 == hashlib.sha512(pdf_bytes(1)).hexdigest()


def test_the_notice_is_late_by_the_committees_rule_on_the_start_page(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path / "media"
    agenda = coming_agenda(days=10)
    agenda.meeting.committee.notice_days = 20
    agenda.meeting.committee.save()
    client.force_login(agenda.secretary)

    page = client.get(reverse("minutes:committee-list")).content.decode()

    due = (agenda.meeting.date - datetime.timedelta(days=20)).isoformat()
    assert f"Kallelsen skulle ha gått ut senast {due} (20 dagar före sammanträdet)" in page


# Migration 0025: older rows


def test_the_migration_lets_old_default_meetings_follow_the_committee_and_fills_the_sha512(agenda):
    import importlib

    from django.apps import apps

    from minutes.models import AgendaDocument, Meeting

    migration = importlib.import_module("minutes.migrations.0025_notice_more")
    own = Meeting.objects.filter(pk=agenda.meeting.pk)
    own.update(notice_days=7)
    AgendaDocument.objects.update(sha512="")
    tampered = AgendaDocument.objects.filter(pk=agenda.secret_document.pk)
    tampered.update(sha256="0" * 64)

    migration.follow_the_committee(apps, None)
    migration.fill_sha512(apps, None)

    assert own.get().notice_days is None
    assert AgendaDocument.objects.get(pk=agenda.public_document.pk).sha512 == hashlib.sha512(pdf_bytes(1)).hexdigest()
    assert tampered.get().sha512 == ""  # a file that no longer matches its SHA-256 gets no new checksum
