"""Approving names the version approved: a confirmation with its date and SHA-256, kept on the approval."""

import hashlib

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from minutes import adjustment
from minutes.demo import load_demo
from minutes.models import Meeting, RoundState

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(seal_certificate) -> Meeting:
    return load_demo()


@pytest.fixture
def round(meeting):
    return adjustment.send_for_adjustment(meeting, user=User.objects.get(username="helena.wik"))


def as_user(client, username: str):
    client.force_login(User.objects.get(username=username))
    return client


def approve(client, meeting, **data):
    return client.post(reverse("minutes:adjustment-action", args=[meeting.pk]), {"action": "approve", **data})


def test_the_version_is_the_sha256_of_the_protocols_text_and_the_day_it_was_sent(meeting, round):
    version = adjustment.version_of(round)
    assert version.sha256 == hashlib.sha256(adjustment.approved_text(round).encode()).hexdigest()
    assert version.sent_at == timezone.localtime(round.opened_at)
    assert "Årstadals stadsdelsnämnd" in adjustment.approved_text(round)


def test_approve_first_asks_to_confirm_the_version_and_records_nothing(client, meeting, round):
    response = approve(as_user(client, "lars.back"), meeting, round=round.pk, disagreement="Inte § 2.")
    page = response.content.decode()
    version = adjustment.version_of(round)
    assert (response.status_code, round.approvals.count()) == (200, 0)
    assert "Bekräfta ditt godkännande" in page
    sent = f"{version.sent_at:%Y-%m-%d %H.%M}"
    assert f"Du godkänner protokollet i den version som skickades för justering {sent}" in page
    assert f'<input type="hidden" name="sha256" value="{version.sha256}">' in page
    assert "Med denna avvikande mening antecknad i protokollet: Inte § 2." in page


def test_the_confirmed_approval_keeps_the_hash_of_the_text_approved(client, meeting, round):
    version = adjustment.version_of(round)
    response = approve(as_user(client, "lars.back"), meeting, round=round.pk, sha256=version.sha256)
    assert response.status_code == 302
    (approval,) = round.approvals.all()
    assert (approval.person.full_name, approval.text_sha256) == ("Lars Bäck", version.sha256)


def test_a_confirmation_of_another_text_is_refused(client, meeting, round):
    response = approve(as_user(client, "lars.back"), meeting, round=round.pk, sha256="0" * 64)
    assert response.status_code == 400
    assert "Protokollet är inte den version du bekräftade." in response.content.decode()
    assert round.approvals.count() == 0


def test_the_last_confirmed_approval_adjusts_the_protocol(client, meeting, round):
    sha256 = adjustment.version_of(round).sha256
    approve(as_user(client, "lars.back"), meeting, round=round.pk, sha256=sha256)
    approve(as_user(client, "sofia.bergqvist"), meeting, round=round.pk, sha256=sha256)
    round.refresh_from_db()
    assert round.state == RoundState.COMPLETED
    assert sorted(round.approvals.values_list("text_sha256", flat=True)) == [sha256, sha256]


def test_the_signer_reads_the_protocol_inside_the_adjustment_page_with_a_way_back(client, meeting, round):
    page = as_user(client, "sofia.bergqvist").get(reverse("minutes:adjustment", args=[meeting.pk])).content.decode()
    assert '<section aria-labelledby="protocol-heading" class="mb-3 border rounded p-3" id="protocol">' in page
    protocol = page[page.index('id="protocol"') :]
    first_item = meeting.items.order_by("position").first()
    assert first_item.title in protocol
    assert f'<a href="{reverse("minutes:committee-list")}">Att göra</a>' in protocol
    assert '<a href="#protocol">Läs protokollet på den här sidan innan du godkänner det</a>' in page


def test_the_adjustment_page_names_the_signers_roles_in_swedish(client, meeting, round):
    page = as_user(client, "helena.wik").get(reverse("minutes:adjustment", args=[meeting.pk])).content.decode()
    assert "Lars Bäck (ordförande), Sofia Bergqvist (justerare)" in page
    assert "<td>ordförande</td>" in page and "<td>justerare</td>" in page
    assert "(chair)" not in page and ">chair<" not in page and ">adjuster<" not in page
