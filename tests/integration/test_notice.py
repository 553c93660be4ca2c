"""The notice (kallelse): what it says, sending it over a real SMTP server, the plan, reminders, who opened it,
and the checklist's warning when it is late."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from minutes import notice as notices
from minutes import todo
from minutes.models import MeetingNotice, NoticeRecipient
from tests.notice_setup import coming_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return coming_agenda()


def test_notice_lists_public_items_in_full_and_confidential_ones_by_title_and_ground(agenda):
    text = notices.render_notice(notices.notice_snapshot(agenda.meeting), "text")

    assert "KALLELSE" in text
    public = (
        "1. Budget 2027\n   Dnr 1.1-12/2026\n   Beredning: Ekonomienheten\n   Förslag till beslut: Nämnden godkänner."
    )
    assert public in text
    assert "   - Tjänsteutlåtande budget (" in text
    assert "2. Ansökan om bistånd\n   Sekretess enligt OSL 26 kap. 1 §. Handlingarna finns i läsrummet." in text
    assert ("Andersson" in text, "2.1-99/2026" in text, "Tillbakadraget" in text) == (False, False, False)


def test_notice_html_escapes_user_text(agenda):
    agenda.public.title = "<script>alert(1)</script>"
    agenda.public.save()

    html = notices.render_notice(notices.notice_snapshot(agenda.meeting), "html")

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html


def test_notice_pdf_reads_back(agenda, pdf_text):
    text = pdf_text(notices.notice_pdf(notices.notice_snapshot(agenda.meeting)))

    assert [line.strip() for line in text.splitlines() if "KALLELSE" in line or "Budget 2027" in line][-2:] == [
        "KALLELSE",
        "1. Budget 2027",
    ]
    assert "Andersson" not in text


def test_send_now_mails_every_member_and_substitute_with_an_address(agenda, smtp_server, settings):
    settings.PARAGRAF_SITE_URL = "https://paragraf.example"

    sent = notices.send_notice(agenda.meeting, by=agenda.secretary)

    assert sent == 3
    assert sorted(r[0] for r in smtp_server.recipients) == [
        "ledamot0@example.org",
        "ledamot1@example.org",
        "ledamot2@example.org",
    ]
    message = smtp_server.messages[0]
    assert message["Subject"].startswith("Kallelse: Årstadals stadsdelsnämnd, sammanträde")
    body = message.get_body(("plain",)).get_content()
    copy = NoticeRecipient.objects.get(email=message["To"])
    assert f"https://paragraf.example/las/kallelse/{copy.token}/" in body
    assert "1. Budget 2027" in body
    attachments = [(part.get_filename(), part.get_content_type()) for part in message.iter_attachments()]
    assert attachments == [(notices.pdf_name(agenda.meeting), "application/pdf")]
    notice = MeetingNotice.objects.get(meeting=agenda.meeting)
    assert (notice.sent, notice.sent_by, notice.recipients.count()) == (True, agenda.secretary, 3)
    assert sorted(notice.recipients.values_list("role", flat=True)) == ["ersättare", "ledamot", "ordförande"]


def test_sending_again_reaches_only_those_who_did_not_get_it(agenda, smtp_server):
    notices.send_notice(agenda.meeting)
    person = agenda.silent
    from tests.notice_setup import account

    account(person, "sen@example.org")

    assert notices.send_notice(agenda.meeting) == 1
    assert [r[0] for r in smtp_server.recipients][-1] == "sen@example.org"
    assert len(smtp_server.messages) == 4


def test_without_a_mail_server_nothing_is_recorded(agenda, settings):
    settings.MAILERS = {}

    with pytest.raises(notices.ValidationError):
        notices.send_notice(agenda.meeting)
    assert MeetingNotice.objects.filter(sent_at__isnull=False).count() == 0


def test_the_personal_link_records_the_first_open(agenda, smtp_server, client):
    notices.send_notice(agenda.meeting)
    copy = NoticeRecipient.objects.order_by("id").first()

    response = client.get(reverse("reading:notice-open", args=[copy.token]))
    copy.refresh_from_db()
    first = copy.opened_at
    client.get(reverse("reading:notice-open", args=[copy.token]))
    copy.refresh_from_db()

    assert response.status_code == 302
    assert response["Location"] == reverse("reading:meeting", args=[agenda.meeting.pk])
    assert first is not None
    assert copy.opened_at == first
    assert client.get(reverse("reading:notice-open", args=["nonsense"])).status_code == 404


def test_a_reminder_goes_to_those_who_have_not_opened_it(agenda, smtp_server, client):
    notices.send_notice(agenda.meeting)
    opened = NoticeRecipient.objects.order_by("id").first()
    client.get(reverse("reading:notice-open", args=[opened.token]))

    assert notices.remind(agenda.meeting) == 2
    mails = zip(smtp_server.messages, smtp_server.recipients, strict=True)
    reminders = [to[0] for message, to in mails if "Påminnelse" in message["Subject"]]
    assert sorted(reminders) == ["ledamot1@example.org", "ledamot2@example.org"]
    assert NoticeRecipient.objects.filter(reminded_at__isnull=False).count() == 2


def test_a_planned_notice_is_sent_by_the_worker_on_its_day(agenda, smtp_server):
    day = timezone.localdate() + datetime.timedelta(days=2)
    notices.schedule_notice(agenda.meeting, send_on=day)

    assert notices.send_due_notices(today=day - datetime.timedelta(days=1)) == 0
    assert notices.send_due_notices(today=day) == 3
    assert notices.send_due_notices(today=day) == 0
    assert len(smtp_server.messages) == 3


def test_the_notice_page_plans_sends_and_reminds(agenda, smtp_server, client):
    client.force_login(agenda.secretary)
    url = reverse("minutes:notice-action", args=[agenda.meeting.pk])

    past = client.post(url, {"action": "schedule", "send_on": "2000-01-01"})
    late = client.post(url, {"action": "schedule", "send_on": (agenda.meeting.date + datetime.timedelta(days=1))})
    sent = client.post(url, {"action": "send"}, follow=True)
    reminded = client.post(url, {"action": "remind"}, follow=True)

    assert past.status_code == 400
    assert "Dagen har passerat" in past.content.decode()
    assert "Kallelsen måste gå ut före sammanträdet" in late.content.decode()
    assert "Kallelsen gick till 3 personer." in sent.content.decode()
    page = reminded.content.decode()
    assert "3 påminnelser skickade." in page
    assert re.search(r'<table class="table table-sm table-stack" id="notice-recipients">', page)
    assert len(smtp_server.messages) == 6


def test_the_notice_page_is_the_secretaries_alone(agenda, client):
    client.force_login(agenda.members[0])

    assert client.get(reverse("minutes:notice", args=[agenda.meeting.pk])).status_code == 403
    action = reverse("minutes:notice-action", args=[agenda.meeting.pk])
    assert client.post(action, {"action": "send"}).status_code == 403
    assert client.get(reverse("minutes:notice-document", args=[agenda.meeting.pk, "pdf"])).status_code == 403


def test_the_notice_page_shows_the_notice_and_links_from_the_meeting(agenda, client):
    client.force_login(agenda.secretary)

    meeting_page = client.get(reverse("minutes:meeting-detail", args=[agenda.meeting.pk])).content.decode()
    page = client.get(reverse("minutes:notice", args=[agenda.meeting.pk])).content.decode()
    pdf = client.get(reverse("minutes:notice-document", args=[agenda.meeting.pk, "pdf"]))

    assert reverse("minutes:notice", args=[agenda.meeting.pk]) in meeting_page
    assert "Sekretess enligt OSL 26 kap. 1 §" in page
    assert "Skicka nu" in page
    assert (pdf["Content-Type"], pdf.content[:5]) == ("application/pdf", b"%PDF-")


def test_the_checklist_warns_when_the_notice_is_late(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    agenda = coming_agenda(days=3)
    today = timezone.localdate()

    check = notices.notice_check(agenda.meeting, today)
    tasks = todo.secretary_tasks([agenda.meeting.committee], today=today)

    due = (agenda.meeting.date - datetime.timedelta(days=7)).isoformat()
    assert (check.ok, check.advisory) == (False, True)
    assert check.detail == f"Kallelsen skulle ha gått ut senast {due} (7 dagar före sammanträdet) och är inte skickad."
    assert [gap.label for gap in tasks[0].gaps if gap.label == "Kallelse"] == ["Kallelse"]


def test_the_checklist_is_quiet_once_the_notice_is_sent_or_planned_in_time(agenda, smtp_server):
    today = timezone.localdate()
    assert notices.notice_check(agenda.meeting, today) is None  # ten days ahead: not due yet
    notices.schedule_notice(agenda.meeting, send_on=agenda.meeting.date - datetime.timedelta(days=1))
    agenda.meeting.refresh_from_db()
    planned_late = notices.notice_check(agenda.meeting, today)
    notices.send_notice(agenda.meeting)
    agenda.meeting.refresh_from_db()

    assert planned_late.ok is False
    assert notices.notice_check(agenda.meeting, today) is None


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_notice_planned_for_today_once(seal_certificate, smtp_server, settings):
    from tests.integration.test_jobs import finish, worker

    agenda = coming_agenda()
    notices.schedule_notice(agenda.meeting, send_on=timezone.localdate())
    mail = {"PARAGRAF_EMAIL_HOST": smtp_server.host, "PARAGRAF_EMAIL_PORT": str(smtp_server.port)}
    mail |= {"PARAGRAF_EMAIL_SECURITY": "none", "PARAGRAF_SITE_URL": "https://paragraf.example"}

    output = finish(worker(settings, "--batch", environment=mail))
    finish(worker(settings, "--batch", environment=mail))

    assert "Sent 3 notice(s) of a meeting planned for today." in output
    assert sorted(to[0] for to in smtp_server.recipients) == [f"ledamot{n}@example.org" for n in range(3)]
    assert MeetingNotice.objects.get().sent_at is not None


def test_the_secretary_sets_the_rule_and_bad_input_is_refused_at_the_field(agenda, client):
    client.force_login(agenda.secretary)
    url = reverse("minutes:notice-action", args=[agenda.meeting.pk])

    bad = client.post(url, {"action": "rule", "notice_days": "-3"})
    good = client.post(url, {"action": "rule", "notice_days": "12"}, follow=True)
    agenda.meeting.refresh_from_db()

    assert bad.status_code == 400
    assert "Kontrollera att detta värde är större än eller lika med 0." in bad.content.decode()
    assert "Regeln är sparad." in good.content.decode()
    assert agenda.meeting.notice_days == 12
    assert notices.notice_check(agenda.meeting, timezone.localdate()).ok is False  # ten days left, twelve asked


@pytest.mark.parametrize(("items", "queries"), [(1, 4), (3, 4)])
def test_the_notice_is_gathered_in_a_fixed_number_of_queries(
    items, queries, settings, tmp_path, django_assert_num_queries
):
    settings.MEDIA_ROOT = tmp_path / "media"
    from minutes.agenda.items import add_agenda_item
    from tests.factories import MeetingFactory

    meeting = MeetingFactory()
    for n in range(items):
        add_agenda_item(meeting, title=f"Ärende {n}")
    meeting = type(meeting).objects.select_related("committee", "secretary").get(pk=meeting.pk)

    with django_assert_num_queries(queries):
        snapshot = notices.notice_snapshot(meeting)

    assert len(snapshot.items) == items


def test_the_notice_as_a_web_page_may_use_its_own_stylesheet_and_nothing_else_inline(agenda, client):
    import base64
    import hashlib

    client.force_login(agenda.secretary)

    response = client.get(reverse("minutes:notice-document", args=[agenda.meeting.pk, "html"]))
    styles = re.findall(r"<style[^>]*>(.*?)</style>", response.content.decode(), re.DOTALL)
    policy = response["Content-Security-Policy"]

    assert styles
    for style in styles:
        assert "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'" in policy
    assert "'unsafe-inline'" not in policy


def test_a_refused_action_is_shown_as_a_bootstrap_danger_alert(agenda, client):
    agenda.meeting.date = timezone.localdate() - datetime.timedelta(days=1)
    agenda.meeting.save()
    client.force_login(agenda.secretary)

    page = client.post(
        reverse("minutes:notice-action", args=[agenda.meeting.pk]), {"action": "send"}, follow=True
    ).content.decode()

    assert '<div class="alert alert-danger" role="status">Sammanträdet har hållits' in page
    assert "alert-error" not in page
