"""The adjustment in the browser's terms: each role against each action, the notice board, verification."""

import datetime
import io

import feedparser
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from minutes import adjustment
from minutes.demo import load_demo, publish_demo
from minutes.models import Announcement, DocumentKind, Meeting, MeetingStatus, RoundState, SealedDocument
from minutes.seal.verify import NOT_PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(seal_certificate) -> Meeting:
    return load_demo()


def client_for(client, username: str | None):
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def post(client, meeting, **data):
    return client.post(reverse("minutes:adjustment-action", args=[meeting.pk]), data)


def confirmed(round) -> str:
    """The SHA-256 that the confirmation step shows, and posts back with the approval."""
    return adjustment.version_of(round).sha256


ROLES = ["helena.wik", "lars.back", "sofia.bergqvist", "registrator", "peter.oberg", None]


@pytest.mark.parametrize(
    ("username", "status"),
    [("helena.wik", 200), ("lars.back", 200), ("sofia.bergqvist", 200), ("registrator", 200), ("peter.oberg", 403)],
)
def test_who_sees_the_adjustment_page(client, meeting, username, status):
    response = client_for(client, username).get(reverse("minutes:adjustment", args=[meeting.pk]))
    assert response.status_code == status


def test_anonymous_is_sent_to_sign_in(client, meeting):
    response = client.get(reverse("minutes:adjustment", args=[meeting.pk]))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


@pytest.mark.parametrize(
    ("username", "allowed"),
    [("helena.wik", True), ("lars.back", False), ("registrator", False), ("peter.oberg", False)],
)
def test_only_the_secretary_sends_for_adjustment(client, meeting, username, allowed):
    response = post(client_for(client, username), meeting, action="send")
    assert (response.status_code == 302) is allowed
    assert (Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.LOCKED) is allowed
    if not allowed:
        assert response.status_code == 403


def open_round(meeting: Meeting):
    return adjustment.send_for_adjustment(meeting, user=User.objects.get(username="helena.wik"))


@pytest.mark.parametrize(
    ("username", "allowed"),
    [("lars.back", True), ("sofia.bergqvist", True), ("helena.wik", False), ("registrator", False)],
)
def test_only_signers_approve(client, meeting, username, allowed):
    round = open_round(meeting)
    response = post(client_for(client, username), meeting, action="approve", round=round.pk, sha256=confirmed(round))
    assert (response.status_code == 302) is allowed
    assert round.approvals.count() == (1 if allowed else 0)


def test_the_chair_and_the_adjuster_approve_and_the_protocol_is_sealed(client, meeting):
    round = open_round(meeting)
    post(client_for(client, "lars.back"), meeting, action="approve", round=round.pk, sha256=confirmed(round))
    page = client.get(reverse("minutes:adjustment", args=[meeting.pk]))
    assert "Godkänn protokollet" not in page.content.decode()  # approved already: no second button
    client.logout()
    response = post(
        client_for(client, "sofia.bergqvist"),
        meeting,
        action="approve",
        round=round.pk,
        sha256=confirmed(round),
        disagreement="Jag delar inte <script>x</script> beskrivningen i § 4.",
    )
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.state == RoundState.COMPLETED
    page = client.get(reverse("minutes:adjustment", args=[meeting.pk])).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    document = SealedDocument.objects.get(round=round, kind=DocumentKind.PROTOCOL)
    assert document.sha256 in page


def test_approving_twice_is_refused_with_a_reason(client, meeting):
    round = open_round(meeting)
    c = client_for(client, "lars.back")
    post(c, meeting, action="approve", round=round.pk, sha256=confirmed(round))
    response = post(c, meeting, action="approve", round=round.pk, sha256=confirmed(round))
    assert response.status_code == 400
    assert "Du har redan godkänt protokollet." in response.content.decode()


def test_reopening_needs_a_reason_at_the_field(client, meeting):
    round = open_round(meeting)
    response = post(client_for(client, "helena.wik"), meeting, action="reopen", round=round.pk, reason="")
    assert response.status_code == 400
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.LOCKED
    response = post(client, meeting, action="reopen", round=round.pk, reason="Fel i § 3")
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.DRAFT


def adjusted(meeting: Meeting, on: datetime.date | None = None):
    round = open_round(meeting)
    moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(15))) if on else None
    for name in ("lars.back", "sofia.bergqvist"):
        adjustment.approve(round, user=User.objects.get(username=name), now=moment)
    round.refresh_from_db()
    return round


@pytest.mark.parametrize(
    ("username", "allowed"),
    [("helena.wik", True), ("registrator", True), ("lars.back", False), ("peter.oberg", False)],
)
def test_the_secretary_or_the_registrar_announces(client, meeting, username, allowed):
    adjusted(meeting)
    today = datetime.date.today()
    response = post(client_for(client, username), meeting, action="announce", posted_on=today.isoformat())
    assert (response.status_code == 302) is allowed
    assert Announcement.objects.filter(meeting=meeting).exists() is allowed


def test_announcing_an_unadjusted_protocol_is_refused_with_a_reason(client, meeting):
    response = post(client_for(client, "helena.wik"), meeting, action="announce", posted_on="2016-09-30")
    assert response.status_code == 400
    assert "Bara ett justerat protokoll kan anslås." in response.content.decode()


def test_the_notice_board_shows_the_dates(client, meeting):
    adjusted(meeting)
    today = datetime.date.today()
    post(client_for(client, "helena.wik"), meeting, action="announce", posted_on=today.isoformat())
    client.logout()
    notice = Announcement.objects.get()
    page = client.get(reverse("notice-board")).content.decode()
    for day in (meeting.date, notice.adjusted_on, notice.posted_on, notice.appeal_ends_on, notice.take_down_on):
        assert f"{day:%Y-%m-%d}" in page
    assert meeting.committee.protocol_kept_at in page
    assert "Årstadals stadsdelsnämnd" not in client.get(reverse("notice-archive")).content.decode().split("<main")[1]


def test_a_notice_moves_to_the_archive_after_its_take_down_date(client, meeting):
    adjusted(meeting, datetime.date(2016, 9, 29))
    adjustment.announce(meeting, user=User.objects.get(username="helena.wik"), posted_on=datetime.date(2016, 9, 30))
    assert "2016-10-22" not in client.get(reverse("notice-board")).content.decode()
    assert "2016-10-22" in client.get(reverse("notice-archive")).content.decode()


def test_the_atom_feed_parses(client, meeting):
    adjusted(meeting, datetime.date(2016, 9, 29))
    adjustment.announce(meeting, user=User.objects.get(username="helena.wik"), posted_on=datetime.date(2016, 9, 30))
    feed = feedparser.parse(client.get(reverse("notice-feed")).content)
    assert not feed.bozo
    assert feed.entries[0].title == "Årstadals stadsdelsnämnd, sammanträde 2016-09-22"
    assert "Sista dag för överklagande 2016-10-21" in feed.entries[0].summary


def test_the_sealed_file_is_public_only_once_announced(client, meeting):
    round = adjusted(meeting)
    document = adjustment.seal_document(round, DocumentKind.EXTRACT, (10,))
    url = reverse("sealed-file", args=[document.sha256])
    assert client.get(url).status_code == 302
    assert client_for(client, "peter.oberg").get(url).status_code == 403
    client.logout()
    adjustment.announce(meeting, user=User.objects.get(username="helena.wik"))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == document.read_verified()


def test_a_sealed_file_with_a_confidential_item_stays_with_the_secretariat(client, meeting):
    """The demo's § 6 is confidential: the official protocol prints it, so the public reads the public version."""
    assert meeting.items.filter(confidential=True).exists()
    round = adjusted(meeting)
    adjustment.announce(meeting, user=User.objects.get(username="helena.wik"))
    official = SealedDocument.objects.get(round=round, kind=DocumentKind.PROTOCOL)
    public = adjustment.seal_document(round, DocumentKind.PUBLIC)
    assert client.get(reverse("sealed-file", args=[official.sha256])).status_code == 302
    assert client_for(client, "registrator").get(reverse("sealed-file", args=[official.sha256])).status_code == 200
    client.logout()
    assert client.get(reverse("sealed-file", args=[public.sha256])).status_code == 200


def test_verification_page_names_the_protocol(client, meeting):
    round = adjusted(meeting)
    data = SealedDocument.objects.get(round=round, kind=DocumentKind.PROTOCOL).read_verified()
    upload = io.BytesIO(data)
    upload.name = "protokoll.pdf"
    page = client.post(reverse("verify"), {"file": upload}).content.decode()
    assert "Filen är ett äkta, oförändrat dokument förseglat av Paragraf." in page
    assert "Årstadals stadsdelsnämnd" in page and "Lars Bäck" in page and "Sofia Bergqvist" in page


def test_verification_page_refuses_a_non_pdf(client, meeting):
    upload = io.BytesIO(b"hello")
    upload.name = "protokoll.pdf"
    response = client.post(reverse("verify"), {"file": upload})
    assert response.status_code == 200 and NOT_PDF in response.content.decode()


def test_verification_refuses_a_huge_upload_before_reading_it(client, meeting):
    response = client.generic(
        "POST", reverse("verify"), b"x", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(10**9)
    )
    assert response.status_code == 413
    assert "för stor" in response.content.decode()


def test_the_clerk_exports_extracts_as_a_zip(client, meeting):
    adjusted(meeting)
    c = client_for(client, "registrator")
    response = c.post(reverse("minutes:export", args=[meeting.pk]), {"numbers": ["3", "10"], "as_zip": "on"})
    assert response["Content-Type"] == "application/zip"
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == ["arstadal-2016-09-22-utdrag-p3.pdf", "arstadal-2016-09-22-utdrag-p10.pdf"]
    assert c.get(reverse("minutes:exchange-file", args=[meeting.pk])).status_code == 200
    client.logout()
    assert client_for(client, "lars.back").get(reverse("minutes:export", args=[meeting.pk])).status_code == 403


def test_the_commands_export_and_verify(meeting, tmp_path):
    adjusted(meeting)
    out = tmp_path / "protokoll.pdf"
    call_command("export_protocol", str(meeting.pk), "-o", str(out), stderr=io.StringIO())
    stdout = io.StringIO()
    call_command("verify_protocol", str(out), stdout=stdout)
    assert "Årstadals stadsdelsnämnd, sammanträde 9/2016 (2016-09-22)" in stdout.getvalue()
    extract = tmp_path / "p10.pdf"
    call_command("export_protocol", str(meeting.pk), "--item", "10", "-o", str(extract), stderr=io.StringIO())
    stdout = io.StringIO()
    call_command("verify_protocol", str(extract), stdout=stdout)
    assert "Paragrafer: § 10" in stdout.getvalue()
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    out.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="Signaturen är ogiltig: innehållet har ändrats.") as refused:
        call_command("verify_protocol", str(out), stdout=io.StringIO(), stderr=io.StringIO())
    assert refused.value.returncode == 1


def test_the_demo_is_adjusted_announced_and_has_a_recent_notice(client, seal_certificate):
    meeting = load_demo()
    recent = publish_demo(meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.ANNOUNCED
    assert recent.status == MeetingStatus.ANNOUNCED or Meeting.objects.get(pk=recent.pk).status == "announced"
    page = client.get(reverse("notice-board")).content.decode()
    notice = Announcement.objects.get(meeting=recent)
    assert notice.appeal_ends_on >= datetime.date.today()
    assert f"{recent.date:%Y-%m-%d}" in page
