"""The agenda's records: what the public may see, document versions, and the audit trail of agenda changes."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from minutes.audit import meeting_trail
from minutes.models import AgendaDocument, AgendaItem
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def document(agenda_item: AgendaItem, title: str, **fields) -> AgendaDocument:
    doc = AgendaDocument(
        agenda_item=agenda_item, title=title, date=datetime.date(2026, 12, 1), sha256="0" * 64, size=4, **fields
    )
    doc.file.save("x.pdf", ContentFile(b"%PDF"), save=False)
    doc.save()
    return doc


def test_public_items_and_documents_leave_out_confidential_and_withdrawn_ones():
    meeting = MeetingFactory()
    open_item = AgendaItem.objects.create(meeting=meeting, position=1, title="Budget")
    secret = AgendaItem.objects.create(
        meeting=meeting, position=2, title="Placering", confidential=True, secrecy_ground="OSL 26 kap. 1 §"
    )
    gone = AgendaItem.objects.create(meeting=meeting, position=3, title="Dragen", withdrawn_at=timezone.now())
    report = document(open_item, "Tjänsteutlåtande")
    document(open_item, "Utredning med personuppgifter", confidential=True)
    document(secret, "Utredning")
    document(gone, "Bilaga")

    assert list(AgendaItem.objects.public()) == [open_item]
    assert list(AgendaDocument.objects.public()) == [report]


def test_a_replaced_document_stays_as_its_previous_version():
    item = AgendaItem.objects.create(meeting=MeetingFactory(), position=1, title="Budget")
    first = document(item, "Tjänsteutlåtande")
    second = document(item, "Tjänsteutlåtande", previous=first)

    assert list(item.documents.current()) == [second]
    assert (first.version_number(), second.version_number()) == (1, 2)
    assert first.next_version == second


def test_a_confidential_agenda_item_needs_a_ground_for_secrecy():
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, position=1, title="Placering", confidential=True)


def test_agenda_changes_are_in_the_meetings_audit_trail():
    meeting = MeetingFactory()
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Budget")
    document(item, "Tjänsteutlåtande")
    item.title = "Budget 2027"
    item.save()

    changes = [(c.kind, c.action, c.subject) for c in meeting_trail(meeting) if c.kind.startswith("dagordnings")]
    assert changes == [
        ("dagordningspunkt", "changed", "Budget 2027"),
        ("dagordningshandling", "added", "Tjänsteutlåtande"),
        ("dagordningspunkt", "added", "Budget"),
    ]
