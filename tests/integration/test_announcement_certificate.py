"""The announcement certificate (anslagsbevis) end to end: announce, then read what a citizen and the registrar see.

The protocol is sealed at adjustment, before there are any dates to print; its certificate is
sealed at the announcement. After it, no page or file shows the certificate's fields blank.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from minutes import adjustment
from minutes.demo import load_demo
from minutes.models import AdjustmentRound, Announcement, DocumentKind, Meeting, MeetingStatus, SealedDocument
from minutes.seal.verify import check_seal

pytestmark = pytest.mark.django_db

POSTED = [
    "Datum för anslags uppsättande 2016-09-30",
    "Sista dag för överklagande 2016-10-21",
    "Datum för anslags nedtagande 2016-10-22",
    "Anslaget uppsatt av Rut Registrator",
]


@pytest.fixture
def announced(client, seal_certificate) -> Meeting:
    """The demo (§ 6 confidential), adjusted by its chair and adjuster, announced by the registrar on the page."""
    meeting = load_demo()
    secretary = User.objects.get(username="helena.wik")
    round = adjustment.send_for_adjustment(meeting, user=secretary)
    at = timezone.make_aware(datetime.datetime(2016, 9, 29, 15))
    for name in ("lars.back", "sofia.bergqvist"):
        adjustment.approve(round, user=User.objects.get(username=name), now=at)
    client.force_login(User.objects.get(username="registrator"))
    response = client.post(
        reverse("minutes:adjustment-action", args=[meeting.pk]), {"action": "announce", "posted_on": "2016-09-30"}
    )
    assert response.status_code == 302
    client.logout()
    return meeting


def squeezed(text: str) -> str:
    return " ".join(text.split())


def without_tags(markup: str) -> str:
    return squeezed(re.sub(r"<[^>]+>", " ", markup))


def test_the_portal_page_prints_the_signatures_and_the_filled_certificate(client, announced):
    slug, year, number = announced.committee.slug, announced.year, announced.number
    page = client.get(reverse("portal:meeting", args=[slug, year, number])).content.decode()
    certificate = page[page.index('<div class="certificate">') :]
    certificate = certificate[: certificate.index("</div>")]
    for line in POSTED:
        assert line in without_tags(certificate)
    assert "<dd></dd>" not in certificate and "Underskrift" not in certificate
    signed = re.findall(r'<p class="signature signed">(.*?)</p>', page)
    assert [without_tags(s.replace("<br>", " ")) for s in signed] == [
        "Ordförande Lars Bäck Justerat elektroniskt 2016-09-29 kl. 15.00",
        "Justerare Sofia Bergqvist Justerat elektroniskt 2016-09-29 kl. 15.00",
    ]
    link = reverse("portal:certificate-pdf", args=[slug, year, number])
    assert f'href="{link}"' in page


def test_the_public_version_and_the_certificate_carry_the_dates(client, announced, pdf_text):
    slug, year, number = announced.committee.slug, announced.year, announced.number
    public = client.get(reverse("portal:protocol-pdf", args=[slug, year, number]))
    assert public.status_code == 200
    text = squeezed(pdf_text(b"".join(public.streaming_content)))
    assert all(line in text for line in POSTED), text
    assert "Individärende enligt socialtjänstlagen" in text  # the confidential § 6 by its public heading

    response = client.get(reverse("portal:certificate-pdf", args=[slug, year, number]))
    data = b"".join(response.streaming_content)
    text = squeezed(pdf_text(data))
    assert text.startswith("Årstadals stadsdelsnämnd ANSLAGSBEVIS")
    assert "Protokoll Nr 9/2016, sammanträdesdatum 2016-09-22" in text
    assert "Protokollet justerades 2016-09-29 av Lars Bäck (ordförande) och Sofia Bergqvist (justerare)." in text
    assert all(line in text for line in POSTED), text
    assert check_seal(data).ok


def test_the_registrar_exports_the_sealed_certificate(client, announced, pdf_text):
    client.force_login(User.objects.get(username="registrator"))
    page = client.get(reverse("minutes:export", args=[announced.pk])).content.decode()
    certificate = SealedDocument.objects.get(meeting=announced, kind=DocumentKind.CERTIFICATE)
    link = reverse("sealed-file", args=[certificate.sha256]) + "?download=1"
    assert f'href="{link}"' in page
    assert "Anslagen på anslagstavlan 2016-09-30; överklagandetiden går ut 2016-10-21." in page
    response = client.get(link)
    assert response["Content-Disposition"] == 'attachment; filename="arstadal-2016-09-22-anslagsbevis.pdf"'
    text = squeezed(pdf_text(b"".join(response.streaming_content)))
    assert all(line in text for line in POSTED), text


def test_the_official_protocol_sealed_before_the_announcement_has_no_blank_certificate(client, announced, pdf_text):
    official = SealedDocument.objects.get(meeting=announced, kind=DocumentKind.PROTOCOL)
    assert official.created_at < Announcement.objects.get(meeting=announced).announced_at
    text = squeezed(pdf_text(official.read_verified()))
    start = text.index("ANSLAGSBEVIS")
    certificate = text[start : text.index("Sida ", start)]
    assert certificate == (
        "ANSLAGSBEVIS Justeringen tillkännages genom anslag på kommunens anslagstavla. Anslagsbeviset, med datum "
        "för anslagets uppsättande och nedtagande, utfärdas då som en egen förseglad handling. "
        "Organ Årstadals stadsdelsnämnd Sammanträdesdatum 2016-09-22 "
        "Förvaringsplats för protokollet Årstadals stadsdelsförvaltning, Årstadalsvägen 1, Stockholm "
    )


def test_the_notice_board_links_the_certificate(client, announced):
    page = client.get(reverse("notice-archive")).content.decode()  # taken down 2016-10-22
    link = reverse("portal:certificate-pdf", args=[announced.committee.slug, announced.year, announced.number])
    assert f'href="{link}"' in page


def test_the_announcement_seals_the_certificate_and_the_public_version(announced):
    round = adjustment.completed_round(announced)
    assert sorted((d.kind, d.numbers) for d in round.documents.all()) == [
        (DocumentKind.CERTIFICATE, []),
        (DocumentKind.PROTOCOL, []),
        (DocumentKind.PUBLIC, []),
    ]


def adjusted_by_signers(meeting: Meeting, **item) -> AdjustmentRound:
    round = adjustment.send_for_adjustment(meeting, user=User.objects.get(username="helena.wik"), **item)
    at = timezone.make_aware(datetime.datetime(2016, 9, 22, 21))
    for name in ("lars.back", "sofia.bergqvist"):
        adjustment.approve(round, user=User.objects.get(username=name), now=at)
    round.refresh_from_db()
    return round


def test_a_protocol_announced_before_certificates_were_sealed_gets_one_when_first_asked_for(client, seal_certificate):
    meeting = load_demo()
    round = adjusted_by_signers(meeting)
    posted = datetime.date(2016, 9, 23)
    Announcement.objects.create(  # as `announce` wrote it before it queued the certificate
        round=round,
        meeting=meeting,
        adjusted_on=round.adjusted_on,
        posted_on=posted,
        appeal_ends_on=posted + datetime.timedelta(weeks=3),
        take_down_on=posted + datetime.timedelta(weeks=3, days=1),
        kept_at=meeting.committee.protocol_kept_at,
        announced_by=User.objects.get(username="helena.wik"),
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.ANNOUNCED)
    url = reverse("portal:certificate-pdf", args=[meeting.committee.slug, meeting.year, meeting.number])
    first = client.get(url)
    assert (first.status_code, first["Retry-After"]) == (503, "30")  # queued: the test queue seals it at once
    assert client.get(url)["Content-Type"] == "application/pdf"
    assert SealedDocument.objects.filter(meeting=meeting, kind=DocumentKind.CERTIFICATE).count() == 1


def test_an_immediately_adjusted_item_gets_a_certificate_of_its_own(client, seal_certificate, pdf_text):
    meeting = load_demo()
    round = adjusted_by_signers(meeting, item=meeting.items.get(number=10))
    registrar = User.objects.get(username="registrator")
    adjustment.announce(meeting, user=registrar, item=round.item, posted_on=datetime.date(2016, 9, 23))
    certificate = SealedDocument.objects.get(round=round, kind=DocumentKind.CERTIFICATE)
    assert certificate.numbers == [10]
    text = squeezed(pdf_text(certificate.read_verified()))
    assert "Protokoll Nr 9/2016, sammanträdesdatum 2016-09-22, § 10" in text
    assert "Datum för anslags uppsättande 2016-09-23" in text and "Anslaget uppsatt av Rut Registrator" in text
    page = client.get(reverse("notice-archive")).content.decode()
    assert f'href="{reverse("sealed-file", args=[certificate.sha256])}"' in page
