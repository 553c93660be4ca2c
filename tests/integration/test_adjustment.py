"""The adjustment round: send, approve, disagree, reopen, seal, announce — and what each refuses."""

import datetime
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from minutes import adjustment, deadlines
from minutes.models import (
    AdjustmentRound,
    Approval,
    DocumentKind,
    Item,
    Meeting,
    MeetingStatus,
    Motion,
    RoundState,
    SealedDocument,
    Verdict,
)
from minutes.protocol.snapshot import build_snapshot
from minutes.seal.verify import check_seal
from minutes.services import move_item, remove_item, save_item

pytestmark = pytest.mark.django_db


@contextmanager
def refused(code: str) -> Iterator[None]:
    """A ValidationError carrying `code` (the message itself is in the catalogue's language)."""
    with pytest.raises(ValidationError) as caught:
        yield
    error = caught.value
    errors = error.error_list if hasattr(error, "error_list") else sum(error.error_dict.values(), [])
    assert code in {e.code for e in errors}, errors


def at(day: str, clock: str = "10:00") -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T{clock}"))


def signer_users(meeting: Meeting) -> list[User]:
    return [person.user for person, _role in adjustment.signers(meeting)]


def adjust(meeting: Meeting, secretary: User, *, day: str = "2016-09-29") -> AdjustmentRound:
    round = adjustment.send_for_adjustment(meeting, user=secretary, now=at("2016-09-23"))
    for user in signer_users(meeting):
        adjustment.approve(round, user=user, now=at(day))
    round.refresh_from_db()
    return round


def test_sending_locks_the_draft(meeting, secretary):
    round = adjustment.send_for_adjustment(meeting, user=secretary)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.LOCKED
    assert round.state == RoundState.OPEN
    item = meeting.items.get(number=10)
    with refused("not_editable"):
        save_item(item, expected_version=item.version, title="Ändrad")


def test_the_last_approval_adjusts_and_seals(meeting, secretary):
    round = adjust(meeting, secretary)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ADJUSTED
    assert round.state == RoundState.COMPLETED
    assert round.adjusted_on == datetime.date(2016, 9, 29)
    document = SealedDocument.objects.get(round=round, kind=DocumentKind.PROTOCOL)
    data = document.read_verified()
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert check_seal(data).ok
    assert document.snapshot["meeting"]["number"] == meeting.number


def test_the_sealed_pdf_names_who_adjusted_and_when(meeting, secretary, pdf_text):
    round = adjust(meeting, secretary)
    text = pdf_text(SealedDocument.objects.get(round=round, kind=DocumentKind.PROTOCOL).read_verified())
    assert "Ordförande" in text and "Lars Bäck" in text
    assert "Justerat elektroniskt 2016-09-29 kl. 10.00" in text
    assert "Förseglat av Paragraf" in text


def test_an_approval_before_the_last_does_not_adjust(meeting, secretary):
    round = adjustment.send_for_adjustment(meeting, user=secretary)
    adjustment.approve(round, user=signer_users(meeting)[0])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.LOCKED
    assert not SealedDocument.objects.exists()


def test_approving_twice_is_refused(meeting, secretary):
    round = adjustment.send_for_adjustment(meeting, user=secretary)
    chair = signer_users(meeting)[0]
    adjustment.approve(round, user=chair)
    with refused("already_approved"):
        adjustment.approve(round, user=chair)


def test_only_signers_approve(meeting, secretary):
    round = adjustment.send_for_adjustment(meeting, user=secretary)
    with refused("not_a_signer"):
        adjustment.approve(round, user=secretary)


def test_a_disagreement_is_recorded_and_printed(meeting, secretary, pdf_text):
    round = adjustment.send_for_adjustment(meeting, user=secretary)
    chair, adjuster = signer_users(meeting)
    adjustment.approve(round, user=chair)
    approval = adjustment.approve(round, user=adjuster, disagreement="§ 4 återger inte <b>mitt</b> yrkande.")
    assert approval.verdict == Verdict.DISAGREED
    text = pdf_text(SealedDocument.objects.get(round=round, kind=DocumentKind.PROTOCOL).read_verified())
    assert "justerade protokollet med följande avvikande mening" in text
    assert "§ 4 återger inte <b>mitt</b> yrkande." in text


def test_reopening_cancels_the_approvals_and_unlocks(meeting, secretary):
    round = adjustment.send_for_adjustment(meeting, user=secretary)
    adjustment.approve(round, user=signer_users(meeting)[0])
    with refused("reason_required"):
        adjustment.reopen(round, user=secretary, reason=" ")
    adjustment.reopen(round, user=secretary, reason="Fel Dnr i § 10")
    meeting.refresh_from_db()
    round.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    assert round.state == RoundState.CANCELLED and round.reason == "Fel Dnr i § 10"
    assert Approval.objects.filter(round=round).count() == 1  # kept on record
    with refused("round_closed"):
        adjustment.approve(round, user=signer_users(meeting)[1])
    # A new round starts from nothing.
    second = adjustment.send_for_adjustment(meeting, user=secretary)
    assert second.approvals.count() == 0


def test_sending_needs_signers_with_accounts(meeting, secretary):
    chair = meeting.chair
    chair.user = None
    chair.save()
    with refused("signer_without_account"):
        adjustment.send_for_adjustment(meeting, user=secretary)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.DRAFT


def test_sending_an_incomplete_protocol_is_refused(meeting, secretary):
    Item.objects.filter(meeting=meeting, number=10).update(decision="")
    with refused("incomplete"):
        adjustment.send_for_adjustment(meeting, user=secretary)
    assert not AdjustmentRound.objects.exists()


def test_announcing_sets_the_dates_the_law_sets(meeting, secretary):
    adjust(meeting, secretary)
    with refused("before_adjustment"):
        adjustment.announce(meeting, user=secretary, posted_on=datetime.date(2016, 9, 28))
    notice = adjustment.announce(meeting, user=secretary, posted_on=datetime.date(2016, 9, 30))
    assert notice.adjusted_on == datetime.date(2016, 9, 29)
    assert notice.appeal_ends_on == datetime.date(2016, 10, 21)
    assert notice.take_down_on == datetime.date(2016, 10, 22)
    assert notice.kept_at == meeting.committee.protocol_kept_at
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.ANNOUNCED
    with refused("already_announced"):
        adjustment.announce(meeting, user=secretary)


def test_announcing_an_unadjusted_protocol_is_refused(meeting, secretary):
    with refused("not_adjusted"):
        adjustment.announce(meeting, user=secretary)


def test_the_certificate_is_filled_from_the_announcement(meeting, secretary, pdf_text):
    round = adjust(meeting, secretary)
    adjustment.announce(meeting, user=secretary, posted_on=datetime.date(2016, 9, 30))
    text = pdf_text(adjustment.seal_document(round, DocumentKind.CERTIFICATE).read_verified())
    assert "Datum för anslags uppsättande 2016-09-30" in " ".join(text.split())
    assert "Sista dag för överklagande 2016-10-21" in " ".join(text.split())


def test_an_extract_is_sealed_once(meeting, secretary, pdf_text):
    round = adjust(meeting, secretary)
    first = adjustment.seal_document(round, DocumentKind.EXTRACT, (10,))
    again = adjustment.seal_document(round, DocumentKind.EXTRACT, (10,))
    assert first.pk == again.pk
    text = " ".join(pdf_text(first.read_verified()).split())
    assert "PROTOKOLLSUTDRAG" in text
    assert "Protokollet justerades 2016-09-29 av Lars Bäck (ordförande) och" in text


def test_a_tampered_stored_file_is_refused_on_read(meeting, secretary):
    round = adjust(meeting, secretary)
    document = SealedDocument.objects.get(round=round, kind=DocumentKind.PROTOCOL)
    with open(document.file.path, "r+b") as handle:
        handle.seek(200)
        handle.write(b"X")
    with pytest.raises(Exception, match="no longer matches"):
        document.read_verified()


def test_immediate_adjustment_of_one_item(meeting, secretary):
    item = meeting.items.get(number=10)
    round = adjustment.send_for_adjustment(meeting, user=secretary, item=item)
    for user in signer_users(meeting):
        adjustment.approve(round, user=user)
    round.refresh_from_db()
    meeting.refresh_from_db()
    assert round.state == RoundState.COMPLETED
    assert meeting.status == MeetingStatus.DRAFT  # the rest of the protocol stays open
    item.refresh_from_db()
    assert item.immediately_adjusted
    document = SealedDocument.objects.get(round=round)
    assert document.kind == DocumentKind.EXTRACT and document.numbers == [10]
    notice = adjustment.announce(meeting, user=secretary, item=item)
    assert notice.round == round


def test_the_deadlines(meeting):
    assert deadlines.adjustment_deadline(meeting.date) == datetime.date(2016, 10, 6)
    assert build_snapshot(meeting).adjustment_deadline == datetime.date(2016, 10, 6)


# Immutability, in PostgreSQL itself


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE minutes_item SET title = 'x' WHERE meeting_id = %s",
        "DELETE FROM minutes_attendance WHERE meeting_id = %s",
        "UPDATE minutes_meeting SET place = 'x' WHERE id = %s",
        "UPDATE minutes_meeting SET status = 'draft' WHERE id = %s",
        "UPDATE minutes_motion SET text = 'x' WHERE item_id IN (SELECT id FROM minutes_item WHERE meeting_id = %s)",
        "DELETE FROM minutes_motionmover WHERE motion_id IN (SELECT m.id FROM minutes_motion m "
        "JOIN minutes_item i ON i.id = m.item_id WHERE i.meeting_id = %s)",
        "INSERT INTO minutes_adjuster (meeting_id, person_id, position) "
        "SELECT %s, person_id, 9 FROM minutes_attendance LIMIT 1",
        "UPDATE minutes_sealeddocument SET sha256 = 'x' WHERE meeting_id = %s",
        "DELETE FROM minutes_approval WHERE round_id IN (SELECT id FROM minutes_adjustmentround WHERE meeting_id = %s)",
        "UPDATE minutes_adjustmentround SET state = 'open' WHERE meeting_id = %s",
    ],
)
def test_postgresql_refuses_changes_to_an_adjusted_protocol(meeting, secretary, sql):
    adjust(meeting, secretary)
    with pytest.raises(IntegrityError, match="Paragraf"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [meeting.pk])


def test_the_orm_cannot_change_an_adjusted_protocol(meeting, secretary):
    adjust(meeting, secretary)
    with pytest.raises(IntegrityError), transaction.atomic():
        Motion.objects.filter(item__meeting=meeting).update(text="ändrad")


def test_an_immediately_adjusted_item_is_locked_while_the_rest_stays_open(meeting, secretary):
    item = meeting.items.get(number=10)
    adjustment.send_for_adjustment(meeting, user=secretary, item=item)
    with refused("not_editable"):
        save_item(item, expected_version=item.version, title="Ändrad")
    other = meeting.items.get(number=3)
    save_item(other, expected_version=other.version, title="Ändrad rubrik")
    assert Item.objects.get(pk=other.pk).title == "Ändrad rubrik"


def test_the_items_before_an_immediately_adjusted_item_cannot_move(meeting, secretary):
    item = meeting.items.get(number=10)
    round = adjustment.send_for_adjustment(meeting, user=secretary, item=item)
    for user in signer_users(meeting):
        adjustment.approve(round, user=user)
    with refused("adjusted_item_moved"):
        remove_item(meeting.items.get(number=3))
    with refused("adjusted_item_moved"):
        move_item(meeting.items.get(number=12), to_position=1)
    assert sorted(meeting.items.values_list("number", flat=True)) == list(range(1, 13))
    move_item(meeting.items.get(number=12), to_position=11)  # after it: allowed
    remove_item(meeting.items.get(number=11))
    assert meeting.items.get(pk=item.pk).number == 10
