"""The notice (kallelse) and the public agenda in the committee's house style: a changed word prints in the
notice's HTML, text and PDF, a sent notice keeps the words it went out with, the style editor refuses a broken
notice template at its field, and the portal's coming agenda writes Dnr and dates as the style does."""

import copy

import pytest
from django.test import Client
from django.urls import reverse

from committee.models import Committee
from minutes import notice as notices
from minutes import styles
from minutes.models import Meeting, MeetingNotice
from minutes.protocol import housestyle
from tests.factories import MeetingFactory
from tests.notice_setup import coming_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return coming_agenda()


def restyle(committee: Committee, **notice_words: str) -> dict:
    """Save the committee's style with the notice's words changed, long dates and its own Dnr label."""
    committee = Committee.objects.select_related("house_style").get(pk=committee.pk)
    document = copy.deepcopy(styles.committee_document(committee))
    document["notice"].update(notice_words)
    document["formats"]["date"] = "long"
    document["labels"]["dnr"] = "Diarienummer {{ dnr }}"
    styles.save_style(styles.own_style(committee), document)
    return document


def secretary(agenda) -> Client:
    client = Client()
    client.force_login(agenda.secretary)
    return client


def test_a_changed_style_word_prints_in_the_notices_html_text_and_pdf(agenda, pdf_text):
    restyle(agenda.meeting.committee, heading="KUNGÖRELSE", agenda_heading="Ärendelista")
    client = secretary(agenda)
    documents = {
        fmt: client.get(reverse("minutes:notice-document", args=[agenda.meeting.pk, fmt])) for fmt in ("html", "txt")
    }
    pdf = pdf_text(client.get(reverse("minutes:notice-document", args=[agenda.meeting.pk, "pdf"])).content)
    html, text = documents["html"].content.decode(), documents["txt"].content.decode()
    day = housestyle.format_date(agenda.meeting.date, "long")

    assert ("<h1>KUNGÖRELSE</h1>" in html, '<h2 class="item-title">Ärendelista</h2>' in html) == (True, True)
    assert "<p>Diarienummer 1.1-12/2026. Beredning: Ekonomienheten</p>" in html
    assert text.splitlines()[1] == "KUNGÖRELSE"
    assert [line for line in text.splitlines() if line.startswith(("ÄRENDELISTA", "   Diarienummer", "Tid"))] == [
        f"Tid: {day}, kl. {agenda.meeting.start_time:%H.%M}",
        "ÄRENDELISTA",
        "   Diarienummer 1.1-12/2026",
    ]
    assert [line.strip() for line in pdf.splitlines() if "KUNGÖRELSE" in line or "Diarienummer" in line][-2:] == [
        "KUNGÖRELSE",
        "Diarienummer 1.1-12/2026. Beredning: Ekonomienheten",
    ]
    assert ("KALLELSE" in text, "KALLELSE" in pdf, "Dnr " in text) == (False, False, False)


def test_a_sent_notice_keeps_the_words_it_was_sent_with(agenda, smtp_server, settings):
    settings.PARAGRAF_SITE_URL = "https://paragraf.example"
    restyle(agenda.meeting.committee, heading="KALLELSE TILL SAMMANTRÄDE")
    notices.send_notice(Meeting.objects.select_related("committee").get(pk=agenda.meeting.pk), by=agenda.secretary)
    restyle(agenda.meeting.committee, heading="KUNGÖRELSE")
    mailed = smtp_server.messages[0].get_body(("plain",)).get_content()

    shown = secretary(agenda).get(reverse("minutes:notice-document", args=[agenda.meeting.pk, "txt"]))
    notice = MeetingNotice.objects.get(meeting=agenda.meeting)

    assert (mailed.splitlines()[1], shown.content.decode().splitlines()[1]) == (
        "KALLELSE TILL SAMMANTRÄDE",
        "KALLELSE TILL SAMMANTRÄDE",
    )
    assert (notice.style_version, notice.style_document["notice"]["heading"]) == (2, "KALLELSE TILL SAMMANTRÄDE")
    unsent = MeetingFactory(committee=Committee.objects.get(pk=agenda.meeting.committee_id))
    assert notices.render_notice(notices.notice_snapshot(unsent), "text").splitlines()[1] == "KUNGÖRELSE"


def test_the_style_editor_shows_the_notice_and_refuses_a_broken_notice_template_at_its_field(agenda):
    client = secretary(agenda)
    url = reverse("minutes:style-edit", args=[agenda.meeting.committee.slug])
    page = client.get(url).content.decode()

    answer = client.post(url, {"notice.time": "{{ date }} kl. {{ clock }}", "notice.heading": ""})
    refused = answer.content.decode()

    assert ('name="notice.time"' in page, 'name="notice.heading"' in page) == (True, True)
    assert "Sammanträdets tid i kallelsen; datum och klockslag följer husstilens" in page
    assert "Kallelsens rubrik, också i sidhuvudet (KALLELSE, KUNGÖRELSE)." in page
    assert answer.status_code == 400
    assert (
        '<div class="invalid-feedback" id="t-notice-time-error" data-field="notice.time">'
        "Mallen notice.time, rad 1: okänd platshållare clock" in refused
    )
    assert '<div class="invalid-feedback">notice.heading måste vara en text som inte är tom.</div>' in refused
    assert agenda.meeting.committee.house_style_id is None  # nothing saved


def test_the_public_agenda_writes_dnr_and_dates_as_the_committees_style(agenda, client):
    meeting = agenda.meeting
    before = client.get(reverse("portal:agenda", args=[meeting.committee.slug, meeting.year, meeting.number]))
    restyle(meeting.committee)
    after = client.get(reverse("portal:agenda", args=[meeting.committee.slug, meeting.year, meeting.number]))
    day = housestyle.format_date(meeting.date, "long")
    document_day = housestyle.format_date(agenda.public_document.date, "long")

    assert "Dnr 1.1-12/2026 · Ekonomienheten" in before.content.decode()
    page = after.content.decode()
    assert ("Diarienummer 1.1-12/2026 · Ekonomienheten" in page, "Dnr " in page) == (True, False)
    assert f"Sammanträde {meeting.number}/{meeting.year}, {day}" in page
    assert f"({document_day}, PDF," in page
