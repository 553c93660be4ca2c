"""Verify: is this file a Paragraf-sealed PDF, byte for byte as Paragraf sealed it?

`check_seal` never raises: a file it cannot read, parse or validate is simply not authentic,
and the verdict says why in Swedish for the person who uploaded it. It works offline: no
revocation checks and no fetching, and only the organisation's own certificate is trusted.
"""

import datetime
import hashlib
import io
import logging
import multiprocessing
import resource
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import BinaryIO

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from minutes.seal.certificate import is_demo_certificate, organisation_certificate
from minutes.seal.loop import outside_event_loop
from minutes.seal.sign import FIELD_NAME

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
CHECK_CPU_SECONDS = 2  # a sealed protocol checks in a few hundredths of a second; a file made to be slow does not
CHILD_MEMORY_BYTES = 1024 * 1024 * 1024  # the child's address space: a 20 MB upload needs a fraction of it
READ_CHUNK = 1024 * 1024
HEADER_WINDOW = 1024  # PDF readers accept the %PDF- header anywhere in the first 1024 bytes

AUTHENTIC = "Filen är ett äkta, oförändrat dokument förseglat av Paragraf."
NOT_PDF = "Filen är inte en PDF."
TOO_LARGE = f"Filen är för stor för att kontrolleras (högst {MAX_UPLOAD_BYTES // (1024 * 1024)} MB)."
DAMAGED = "Filen är skadad eller avkortad."
ENCRYPTED = "Filen är krypterad och kan inte kontrolleras."
NO_SEAL = "Filen saknar Paragrafs sigill."
OTHER_SIGNATURES = "Filen har andra signaturer än Paragrafs sigill."
ALTERED = "Signaturen är ogiltig: innehållet har ändrats."
CHANGED_AFTER = "Signaturen täcker inte hela filen: filen har ändrats efter förseglingen."
OTHER_CERTIFICATE = "Filen är undertecknad med ett annat certifikat än organisationens."
NOT_ACCEPTED = "Signaturen kunde inte godkännas."
TOO_COMPLEX = "Filen tar för lång tid att kontrollera: den är inte ett protokoll som Paragraf har förseglat."


@dataclass(frozen=True)
class SealVerdict:
    """What a check found. `ok` is the answer; everything else explains it, as far as the file could be read."""

    ok: bool
    reason: str
    sha256: str
    size: int
    signer: str = ""  # the certificate's whole subject, e.g. "Common Name: …, Organization: …"
    organisation: str = ""  # the subject's O and CN, for a Swedish page
    common_name: str = ""
    signed_at: datetime.datetime | None = None  # as the signature states it (baseline B has no timestamp)
    signature_reason: str = ""  # the signature's /Reason: what was sealed
    location: str = ""
    demo: bool = False
    signatures: int = 0
    revisions: int = 0


def check_seal(data: bytes, *, trusted: asn1_x509.Certificate | None = None) -> SealVerdict:
    """Check a file against the organisation's seal (`trusted`, or the certificate in the settings).

    Uploads go through `check_seal_file`, which refuses a file over the size limit unread.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    if trusted is None:
        trusted = organisation_certificate()  # a missing certificate is the server's fault: that raises
    try:
        return _check(data, sha256, trusted)
    except Exception:  # the promise is an answer, never an exception
        logger.exception("Checking a seal failed unexpectedly")
        return SealVerdict(ok=False, reason=DAMAGED, sha256=sha256, size=len(data))


def check_seal_file(
    fileobj: BinaryIO, *, size: int | None, trusted: asn1_x509.Certificate | None = None
) -> SealVerdict:
    """Check an uploaded file, refusing one over MAX_UPLOAD_BYTES before reading it.

    `size` is what the upload declared (Django's UploadedFile.size); the read is bounded too,
    so a wrong or missing size cannot make it read more than one byte over the limit. The check
    runs in a child process that may spend CHECK_CPU_SECONDS of CPU time (`check_in_child`).
    """
    if size is not None and size > MAX_UPLOAD_BYTES:
        return SealVerdict(ok=False, reason=TOO_LARGE, sha256="", size=size)
    chunks, read = [], 0
    while read <= MAX_UPLOAD_BYTES:
        chunk = fileobj.read(min(READ_CHUNK, MAX_UPLOAD_BYTES + 1 - read))
        if not chunk:
            break
        chunks.append(chunk)
        read += len(chunk)
    if read > MAX_UPLOAD_BYTES:
        return SealVerdict(ok=False, reason=TOO_LARGE, sha256="", size=read)
    data = b"".join(chunks)
    trusted = trusted if trusted is not None else organisation_certificate()
    verdict = check_in_child(data, trusted, cpu_seconds=CHECK_CPU_SECONDS)
    if verdict is None:
        return SealVerdict(ok=False, reason=TOO_COMPLEX, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return verdict


# An upload is checked in a child process, which the kernel stops at its CPU and memory limits: pyHanko
# reads a PDF in pure Python, and a file made to be slow to read (a megabyte of NUL bytes, thousands of
# revisions, a form with a million fields) costs seconds of CPU per megabyte, which nothing inside the
# process could stop reliably. Each child is forked from a server process that has this module (and
# pyHanko) imported already, started by a process's first check: a check costs a fork, about a tenth
# of a second more than in the process itself.

CHILDREN = multiprocessing.get_context("forkserver")
CHILDREN.set_forkserver_preload([__name__])


def _limit(cpu_seconds: int) -> None:
    """In the child, before the check: SIGXCPU ends it after `cpu_seconds`, and it leaves no core dump."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _check_with(data: bytes, trusted_der: bytes) -> SealVerdict:
    return check_seal(data, trusted=asn1_x509.Certificate.load(trusted_der))


def check_in_child(data: bytes, trusted: asn1_x509.Certificate, *, cpu_seconds: int) -> SealVerdict | None:
    """check_seal's verdict, or None when the check would take more CPU time or memory than it may."""
    with ProcessPoolExecutor(
        max_workers=1, mp_context=CHILDREN, initializer=_limit, initargs=(cpu_seconds,), max_tasks_per_child=1
    ) as pool:
        try:
            return pool.submit(_check_with, data, trusted.dump()).result()
        except BrokenProcessPool:
            return None


def _check(data: bytes, sha256: str, trusted: asn1_x509.Certificate) -> SealVerdict:
    def verdict(reason: str, **found) -> SealVerdict:
        return SealVerdict(ok=reason == AUTHENTIC, reason=reason, sha256=sha256, size=len(data), **found)

    if b"%PDF-" not in data[:HEADER_WINDOW]:
        return verdict(NOT_PDF)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=True)
        if reader.encrypted:
            return verdict(ENCRYPTED)
        signatures = reader.embedded_regular_signatures
        revisions = reader.total_revisions
    except Exception:
        return verdict(DAMAGED)
    counts = {"signatures": len(signatures), "revisions": revisions}
    ours = [signature for signature in signatures if signature.field_name == FIELD_NAME]
    if not ours:
        return verdict(NO_SEAL, **counts)
    if len(signatures) > 1:
        return verdict(OTHER_SIGNATURES, **counts)
    signature = ours[0]

    try:
        _start, _signed_before, after, signed_after = (int(n) for n in signature.byte_range)
        if after + signed_after > len(data):
            return verdict(DAMAGED, **counts)  # the file ends before the bytes the signature covers
        certificate = signature.signer_cert
        dictionary = signature.sig_object
        found = counts | {
            "signer": certificate.subject.human_friendly,
            "organisation": certificate.subject.native.get("organization_name", ""),
            "common_name": certificate.subject.native.get("common_name", ""),
            "signed_at": signature.self_reported_timestamp,
            "signature_reason": str(dictionary.get("/Reason", "")),
            "location": str(dictionary.get("/Location", "")),
            "demo": is_demo_certificate(certificate),
        }
    except Exception:
        return verdict(ALTERED, **counts)

    if certificate.dump() != trusted.dump():
        return verdict(OTHER_CERTIFICATE, **found)
    context = ValidationContext(trust_roots=[trusted], allow_fetching=False, revocation_mode="soft-fail")
    try:
        # The diff analysis is skipped: any update after the seal is refused below, whatever it changed.
        status = outside_event_loop(validate_pdf_signature, signature, context, skip_diff=True)
    except Exception:
        return verdict(ALTERED, **found)
    if not (status.intact and status.valid):
        return verdict(ALTERED, **found)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return verdict(CHANGED_AFTER, **found)
    if not status.bottom_line:
        return verdict(NOT_ACCEPTED, **found)
    return verdict(AUTHENTIC, **found)
