"""E-mail at each step of the adjustment, and one reminder before each deadline, over real SMTP."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from minutes import adjustment, notifications
from minutes.demo import load_demo
from minutes.models import Meeting, Notification
from tests.integration.test_jobs import finish, worker

pytestmark = pytest.mark.django_db

SITE = "https://paragraf.example.se"
ADJUSTED_AT = timezone.make_aware(datetime.datetime(2016, 9, 29, 15, 0))


@pytest.fixture
def meeting(seal_certificate, settings) -> Meeting:
    settings.PARAGRAF_SITE_URL = SITE
    return load_demo()


def user(username: str) -> User:
    return User.objects.get(username=username)


def mails(smtp_server) -> list[tuple[list[str], str]]:
    return [(to, message["Subject"]) for to, message in zip(smtp_server.recipients, smtp_server.messages, strict=True)]


def body(message) -> str:
    return message.get_content()


def send(meeting, capture):
    with capture(execute=True):
        return adjustment.send_for_adjustment(meeting, user=user("helena.wik"))


def test_each_signer_is_mailed_the_link_when_the_protocol_is_sent(
    meeting, smtp_server, django_capture_on_commit_callbacks
):
    send(meeting, django_capture_on_commit_callbacks)
    subject = "Att justera: Årstadals stadsdelsnämnd, sammanträde 9/2016 (2016-09-22)"
    assert mails(smtp_server) == [
        (["lars.back@example.invalid"], subject),
        (["sofia.bergqvist@example.invalid"], subject),
    ]
    chair = body(smtp_server.messages[0])
    assert f"{SITE}/sammantrade/{meeting.pk}/justering/" in chair
    assert "du justerar det som ordförande" in chair
    assert "senast 2016-10-06 (KL 5:69)" in chair
    assert "du justerar det som justerare" in body(smtp_server.messages[1])


def test_the_secretary_hears_of_each_approval_and_disagreement(
    meeting, smtp_server, django_capture_on_commit_callbacks
):
    round = send(meeting, django_capture_on_commit_callbacks)
    smtp_server.messages.clear(), smtp_server.recipients.clear()
    with django_capture_on_commit_callbacks(execute=True):
        adjustment.approve(round, user=user("sofia.bergqvist"), disagreement="Jag delar inte beskrivningen i § 2.")
    assert mails(smtp_server) == [
        (["helena.wik@example.invalid"], "Avvikande mening: Årstadals stadsdelsnämnd, sammanträde 9/2016 (2016-09-22)")
    ]
    text = body(smtp_server.messages[0])
    assert "Sofia Bergqvist (justerare) har godkänt protokollet med en avvikande mening" in text
    assert "Jag delar inte beskrivningen i § 2." in text
    assert "1 av 2 har godkänt" in text


def test_the_last_approval_mails_the_approval_and_then_the_sealing(
    meeting, smtp_server, django_capture_on_commit_callbacks
):
    round = send(meeting, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        adjustment.approve(round, user=user("sofia.bergqvist"), now=ADJUSTED_AT)
    smtp_server.messages.clear(), smtp_server.recipients.clear()
    with django_capture_on_commit_callbacks(execute=True):
        adjustment.approve(round, user=user("lars.back"), now=ADJUSTED_AT)
    what = "Årstadals stadsdelsnämnd, sammanträde 9/2016 (2016-09-22)"
    assert mails(smtp_server) == [
        (["helena.wik@example.invalid"], f"Godkänt: {what}"),
        (["helena.wik@example.invalid"], f"Justerat: {what}"),
        (["registrator@example.invalid"], f"Justerat: {what}"),
    ]
    sealed = body(smtp_server.messages[1])
    assert "justerat 2016-09-29 och förseglat" in sealed
    assert "senast 2016-10-01 (KL 8:12)" in sealed
    assert f"{SITE}/sammantrade/{meeting.pk}/arkiv/" in sealed


def test_a_reopened_protocol_is_news_to_its_signers(meeting, smtp_server, django_capture_on_commit_callbacks):
    round = send(meeting, django_capture_on_commit_callbacks)
    smtp_server.messages.clear(), smtp_server.recipients.clear()
    with django_capture_on_commit_callbacks(execute=True):
        adjustment.reopen(round, user=user("helena.wik"), reason="Fel datum i § 3.")
    assert [to for to, _subject in mails(smtp_server)] == [
        ["lars.back@example.invalid"],
        ["sofia.bergqvist@example.invalid"],
    ]
    assert "Skäl: Fel datum i § 3." in body(smtp_server.messages[0])


def test_the_announcement_is_mailed_to_everyone_in_the_cycle(meeting, smtp_server, django_capture_on_commit_callbacks):
    round = send(meeting, django_capture_on_commit_callbacks)
    for name in ("sofia.bergqvist", "lars.back"):
        adjustment.approve(round, user=user(name), now=ADJUSTED_AT)
    smtp_server.messages.clear(), smtp_server.recipients.clear()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        adjustment.announce(meeting, user=user("registrator"), posted_on=today)
    assert sorted(to[0] for to, _subject in mails(smtp_server)) == [
        "helena.wik@example.invalid",
        "lars.back@example.invalid",
        "registrator@example.invalid",
        "sofia.bergqvist@example.invalid",
    ]
    assert f"anslagen på anslagstavlan {today:%Y-%m-%d}" in body(smtp_server.messages[0])
    assert f"{SITE}/anslagstavla/" in body(smtp_server.messages[0])


def test_a_refused_step_mails_nobody(meeting, smtp_server, django_capture_on_commit_callbacks):
    round = send(meeting, django_capture_on_commit_callbacks)
    smtp_server.messages.clear(), smtp_server.recipients.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(adjustment.ValidationError):
        adjustment.approve(round, user=user("sofia.bergqvist"), seen_sha256="0" * 64)
    assert (smtp_server.messages, round.approvals.count()) == ([], 0)


def test_the_signers_still_to_approve_are_reminded_once_before_the_deadline(
    meeting, smtp_server, django_capture_on_commit_callbacks
):
    round = send(meeting, django_capture_on_commit_callbacks)
    adjustment.approve(round, user=user("sofia.bergqvist"))
    smtp_server.messages.clear(), smtp_server.recipients.clear()
    assert notifications.send_due_reminders(datetime.date(2016, 10, 2)) == 0  # four days before: too early
    assert notifications.send_due_reminders(datetime.date(2016, 10, 3)) == 1
    assert notifications.send_due_reminders(datetime.date(2016, 10, 4)) == 0  # sent already
    assert mails(smtp_server) == [
        (
            ["lars.back@example.invalid"],
            "Justeras senast 2016-10-06: Årstadals stadsdelsnämnd, sammanträde 9/2016 (2016-09-22)",
        )
    ]
    assert Notification.objects.filter(key__startswith="remind-adjust:").count() == 1


def test_the_announcement_reminder_goes_to_the_secretary_and_registrar_the_day_after(
    meeting, smtp_server, django_capture_on_commit_callbacks
):
    round = send(meeting, django_capture_on_commit_callbacks)
    for name in ("sofia.bergqvist", "lars.back"):
        adjustment.approve(round, user=user(name), now=ADJUSTED_AT)
    smtp_server.messages.clear(), smtp_server.recipients.clear()
    assert notifications.send_due_reminders(datetime.date(2016, 9, 29)) == 0  # two days before
    assert notifications.send_due_reminders(datetime.date(2016, 9, 30)) == 2
    assert notifications.send_due_reminders(datetime.date(2016, 10, 1)) == 0
    subject = "Anslå senast 2016-10-01: Årstadals stadsdelsnämnd, sammanträde 9/2016 (2016-09-22)"
    assert mails(smtp_server) == [
        (["helena.wik@example.invalid"], subject),
        (["registrator@example.invalid"], subject),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_worker_runs_send_the_reminder_once(meeting, smtp_server, settings):
    """The worker process looks for reminders due today; its second run finds the first one's record."""
    Meeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate() - datetime.timedelta(days=12))
    meeting.refresh_from_db()
    round = adjustment.send_for_adjustment(meeting, user=user("helena.wik"))
    adjustment.approve(round, user=user("sofia.bergqvist"))
    smtp_server.messages.clear(), smtp_server.recipients.clear()
    mail = {"PARAGRAF_EMAIL_HOST": smtp_server.host, "PARAGRAF_EMAIL_PORT": str(smtp_server.port)}
    mail |= {"PARAGRAF_EMAIL_SECURITY": "none", "PARAGRAF_SITE_URL": SITE}
    for _run in range(2):
        finish(worker(settings, "--batch", environment=mail))
    deadline = timezone.localdate() + datetime.timedelta(days=2)
    assert [to for to, _subject in mails(smtp_server)] == [["lars.back@example.invalid"]]
    assert f"senast {deadline:%Y-%m-%d} (KL 5:69)" in body(smtp_server.messages[0])
    assert f"{SITE}/sammantrade/{meeting.pk}/justering/" in body(smtp_server.messages[0])


def test_without_a_mailer_nothing_is_sent_or_recorded(meeting, settings, django_capture_on_commit_callbacks):
    settings.MAILERS = {}
    send(meeting, django_capture_on_commit_callbacks)
    assert notifications.send_due_reminders(datetime.date(2016, 10, 3)) == 0
    assert Notification.objects.count() == 0
