"""Is this PDF an authentic, unaltered Paragraf protocol? The seal says so, and so must our register.

The signature proves who sealed the bytes; the SHA-256 recorded when they were sealed proves
that this installation made exactly this file, and names the meeting, §§ and signers.
"""

import datetime
from dataclasses import dataclass
from typing import BinaryIO

from django.utils import timezone

from minutes.models import SealedDocument
from minutes.seal.verify import SealVerdict, check_seal, check_seal_file

NOT_REGISTERED = "Sigillet är giltigt, men filen finns inte i Paragrafs register över förseglade dokument."


@dataclass(frozen=True)
class Signer:
    name: str
    role: str
    at: datetime.datetime
    disagreement: bool


@dataclass(frozen=True)
class Verification:
    ok: bool
    reason: str
    seal: SealVerdict
    kind: str = ""
    committee: str = ""
    meeting: str = ""
    meeting_date: datetime.date | None = None
    numbers: tuple[int, ...] = ()
    adjusted_on: datetime.date | None = None
    signers: tuple[Signer, ...] = ()
    sealed_at: datetime.datetime | None = None


def verify_pdf(data: bytes) -> Verification:
    return _against_register(check_seal(data))


def verify_upload(fileobj: BinaryIO, *, size: int | None) -> Verification:
    return _against_register(check_seal_file(fileobj, size=size))


def _against_register(seal: SealVerdict) -> Verification:
    if not seal.ok:
        return Verification(False, seal.reason, seal)
    document = (
        SealedDocument.objects.filter(sha256=seal.sha256)
        .select_related("meeting__committee", "round")
        .prefetch_related("round__approvals__person")
        .first()
    )
    if document is None:
        return Verification(False, NOT_REGISTERED, seal)
    meeting, round = document.meeting, document.round
    return Verification(
        ok=True,
        reason=seal.reason,
        seal=seal,
        kind=document.get_kind_display(),
        committee=meeting.committee.name,
        meeting=f"{meeting.number}/{meeting.year}",
        meeting_date=meeting.date,
        numbers=tuple(document.numbers) or tuple(n for n in meeting.items.values_list("number", flat=True)),
        adjusted_on=round.adjusted_on,
        signers=tuple(
            Signer(a.person.full_name, a.get_role_display(), timezone.localtime(a.at), bool(a.note))
            for a in round.approvals.all()
        ),
        sealed_at=document.created_at,
    )
