"""The second factor for confidential documents: the QR code to enrol an authenticator app, and what a member
is told when too many wrong codes were tried."""

import base64
import datetime
import re

import pytest
import segno
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.notice_setup import coming_agenda, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return coming_agenda()


def dark_modules(svg: str) -> str:
    """The path that draws a QR code's dark modules, whatever its size and colours."""
    return re.search(r'<path [^>]*stroke="#000" d="([^"]+)"', svg).group(1)


def test_the_enrolment_page_shows_the_apps_address_as_a_qr_code_and_the_key_as_text(agenda, client):
    member = agenda.members[0]
    client.force_login(member)

    response = client.get(reverse("reading:second-factor-enrol"))
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    svg = re.search(r"<svg [^>]*id=\"totp-qr\".*?</svg>", page, re.DOTALL).group(0)

    assert dark_modules(svg) == dark_modules(segno.make(device.config_url, error="m").svg_inline(border=4))
    assert 'role="img"' in svg
    assert "<title>QR-kod för autentiseringsappen</title>" in svg
    assert "style" not in svg  # the Content-Security-Policy allows no inline style
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert "Skanna den här QR-koden med appen" in page
    assert f'id="totp-secret">{base64.b32encode(device.bin_key).decode()}</code>' in page


def test_too_many_wrong_codes_when_enrolling_say_when_to_try_again(agenda, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute after the first wrong code: long enough to be sure
    member = agenda.members[0]
    client.force_login(member)
    enrol = reverse("reading:second-factor-enrol")
    client.get(enrol)
    device = TOTPDevice.objects.get(user=member, confirmed=False)

    wrong = client.post(enrol, {"code": "000000"})
    device.refresh_from_db()
    too_soon = client.post(enrol, {"code": totp_code(device)})  # the right code, but too soon
    device.refresh_from_db()
    until = timezone.localtime(device.throttling_failure_timestamp + datetime.timedelta(seconds=60))

    assert wrong.status_code == 400
    assert "Koden är fel eller för gammal" in wrong.content.decode()
    assert too_soon.status_code == 429
    page = too_soon.content.decode()
    assert "För många felaktiga koder har provats." in page
    assert f"Vänta till kl. {until:%H.%M.%S}" in page
    assert "Koden är fel" not in page
    assert (device.confirmed, device.throttling_failure_count) == (False, 1)  # a refused try is not counted

    device.throttling_failure_timestamp -= datetime.timedelta(seconds=61)  # the minute has passed
    device.save()
    done = client.post(enrol, {"code": totp_code(device)})

    assert done.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed is True


def test_too_many_wrong_codes_for_a_confidential_document_say_when_to_try_again(agenda, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    member = agenda.members[1]
    device = TOTPDevice.objects.create(user=member, name="Läsrummet", confirmed=True)
    client.force_login(member)
    document = reverse("reading:document", args=[agenda.secret_document.pk])
    verify = reverse("reading:second-factor-verify")

    client.post(verify, {"code": "000000", "next": document})
    device.refresh_from_db()
    too_soon = client.post(verify, {"code": totp_code(device), "next": document})

    assert too_soon.status_code == 429
    assert "För många felaktiga koder har provats. Vänta till kl." in too_soon.content.decode()
    assert client.get(document).status_code == 403
