"""The seal: a sealed archival PDF verifies, and every altered, foreign or broken file is refused with its reason.

No database: the certificate is made with the management command in a temp dir, the PDFs are
printed by WeasyPrint from a small protocol-like HTML page with the protocol's own print CSS.
"""

import datetime
import hashlib
import io
import re
import stat
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings
from hypothesis import HealthCheck, given, strategies
from hypothesis import settings as hypothesis_settings
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pypdf import PdfReader, PdfWriter

from minutes.seal import verify
from minutes.seal.certificate import (
    DEMO_MARK,
    create_organisation_certificate,
    fingerprint,
    is_demo_certificate,
    load_signer,
    read_signer,
)
from minutes.seal.loop import outside_event_loop
from minutes.seal.sign import FIELD_NAME, STAMP_BOX, adjustment_stamp_lines, seal_pdf
from minutes.seal.verify import check_seal, check_seal_file

PASSWORD = "test-seal-password"
ORGANISATION = "Årstadals stadsdelsnämnd"
PRINT_CSS = Path(__file__).resolve().parents[2] / "minutes" / "protocol" / "templates" / "print.css"
STAMP_LINES = ["Justerat 2016-09-29 av Lars Bäck och Anna Holm", "Förseglat av Paragraf"]
XMP = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "pdf": "http://ns.adobe.com/pdf/1.3/"}


def protocol_html(paragraphs: int) -> str:
    body = "".join(
        f"<h2 class='item-title'>§ {n} Ärende {n}</h2><p>Stadsdelsnämnden beslutar att godkänna förslaget i "
        f"tjänsteutlåtandet. Ärendet gäller åtgärd nummer {n} i förvaltningens plan för året.</p>"
        for n in range(1, paragraphs + 1)
    )
    return (
        f"<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'><title>Protokoll 2016-09-22</title>"
        f"<meta name='author' content='{ORGANISATION}'><style>{PRINT_CSS.read_text()}</style></head>"
        f"<body><div class='running' aria-hidden='true'><span>{ORGANISATION}</span><span class='doctitle'>"
        f"Protokoll</span><span class='docdate'>2016-09-22</span></div>{body}</body></html>"
    )


def pdftotext(data: bytes, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def stamp_text(data: bytes) -> list[str]:
    """The lines of text inside the stamp's box on the last page (pdftotext crops in points from the top left)."""
    reader = PdfReader(io.BytesIO(data))
    last = str(len(reader.pages))
    height = float(reader.pages[-1].mediabox.height)
    left, bottom, right, top = STAMP_BOX
    crop = [
        "-r",
        "72",
        "-x",
        str(left),
        "-y",
        str(round(height - top)),
        "-W",
        str(right - left),
        "-H",
        str(top - bottom),
    ]
    return [line for line in pdftotext(data, "-f", last, "-l", last, *crop).splitlines() if line.strip()]


def xmp_producer(reader: PdfReader) -> str:
    root = ElementTree.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
    for description in root.iter(f"{{{XMP['rdf']}}}Description"):
        producer = description.get(f"{{{XMP['pdf']}}}Producer")
        if producer is not None:
            return producer
    raise AssertionError("no XMP producer")


def flip_hex_digit(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    changed[position] = ord("1") if changed[position] == ord("0") else ord("0")
    return bytes(changed)


# ---------------------------------------------------------------------------------------------
# Fixtures: one certificate, one unsigned PDF and one sealed PDF for the whole session.


@pytest.fixture(scope="session")
def certificate_file(tmp_path_factory) -> tuple[Path, str]:
    """The organisation's demo certificate, made by the command as an operator would; returns (path, its output)."""
    path = tmp_path_factory.mktemp("seal") / "organisation.p12"
    out = io.StringIO()
    with override_settings(PARAGRAF_SEAL_PASSWORD=PASSWORD):
        call_command("create_seal_certificate", "--output", str(path), "--organisation", ORGANISATION, stdout=out)
    return path, out.getvalue()


@pytest.fixture(autouse=True)
def _seal_settings(certificate_file):
    with override_settings(PARAGRAF_SEAL_PKCS12=certificate_file[0], PARAGRAF_SEAL_PASSWORD=PASSWORD):
        yield


@pytest.fixture(scope="session")
def other_signer(tmp_path_factory):
    """A second self-signed certificate with the same names: a different key is all that differs."""
    path = tmp_path_factory.mktemp("other") / "other.p12"
    create_organisation_certificate(
        path, "other", organisation=ORGANISATION, common_name="Paragraf DEMO-sigill (endast demo)"
    )
    return read_signer(path, "other")


@pytest.fixture(scope="session")
def unsigned() -> bytes:
    from minutes.protocol.pdf import html_to_pdf

    return html_to_pdf(protocol_html(12), archival=True)


@pytest.fixture(scope="session")
def sealed(unsigned, certificate_file) -> bytes:
    with override_settings(PARAGRAF_SEAL_PKCS12=certificate_file[0], PARAGRAF_SEAL_PASSWORD=PASSWORD):
        return seal_pdf(unsigned, stamp_lines=STAMP_LINES, reason="Justerat protokoll", location="Stockholm")


# ---------------------------------------------------------------------------------------------
# The certificate and its command.


def test_create_seal_certificate_writes_a_private_demo_certificate(certificate_file):
    path, output = certificate_file
    certificate = read_signer(path, PASSWORD).signing_cert

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert certificate.subject.native == {
        "organization_name": ORGANISATION,
        "organizational_unit_name": DEMO_MARK,
        "common_name": "Paragraf DEMO-sigill (endast demo)",
    }
    assert certificate.subject == certificate.issuer
    assert set(certificate.key_usage_value.native) == {"digital_signature", "non_repudiation"}
    assert certificate.public_key.algorithm == "rsa" and certificate.public_key.bit_size == 3072
    assert is_demo_certificate(certificate) is True
    assert output.splitlines() == [
        f"Wrote {path}",
        f"Subject: {certificate.subject.human_friendly}",
        f"SHA-256 fingerprint: {fingerprint(certificate)}",
    ]


def test_create_seal_certificate_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "seal.p12"
    call_command("create_seal_certificate", "--output", str(path), stdout=io.StringIO())
    first = path.read_bytes()

    with pytest.raises(CommandError, match="exists; use --force to replace it"):
        call_command("create_seal_certificate", "--output", str(path), stdout=io.StringIO())
    call_command("create_seal_certificate", "--output", str(path), "--if-missing", stdout=io.StringIO())
    assert path.read_bytes() == first

    call_command("create_seal_certificate", "--output", str(path), "--force", stdout=io.StringIO())
    assert path.read_bytes() != first
    assert [p.name for p in tmp_path.iterdir()] == ["seal.p12"]  # no temporary file left behind


def test_create_seal_certificate_no_demo_needs_an_organisation_and_is_not_marked(tmp_path):
    path = tmp_path / "real.p12"
    with pytest.raises(CommandError, match="--no-demo needs --organisation"):
        call_command("create_seal_certificate", "--output", str(path), "--no-demo", stdout=io.StringIO())

    call_command(
        "create_seal_certificate",
        "--output",
        str(path),
        "--no-demo",
        "--organisation",
        "Solby kommun",
        stdout=io.StringIO(),
    )
    certificate = read_signer(path, PASSWORD).signing_cert
    assert certificate.subject.native == {
        "organization_name": "Solby kommun",
        "common_name": "Paragraf sigill – Solby kommun",
    }
    assert is_demo_certificate(certificate) is False


def test_load_signer_without_the_file_names_the_command(tmp_path):
    with (
        override_settings(PARAGRAF_SEAL_PKCS12=tmp_path / "missing.p12"),
        pytest.raises(ImproperlyConfigured, match="manage.py create_seal_certificate"),
    ):
        load_signer()


def test_load_signer_with_the_wrong_password_is_a_configuration_error(certificate_file):
    with (
        override_settings(PARAGRAF_SEAL_PASSWORD="wrong"),
        pytest.raises(ImproperlyConfigured, match="cannot be opened with PARAGRAF_SEAL_PASSWORD"),
    ):
        load_signer()


# ---------------------------------------------------------------------------------------------
# Sealing.


def test_sealed_pdf_verifies(sealed, certificate_file):
    verdict = check_seal(sealed)
    certificate = read_signer(certificate_file[0], PASSWORD).signing_cert

    assert (verdict.ok, verdict.reason) == (True, verify.AUTHENTIC)
    assert verdict.signer == certificate.subject.human_friendly
    assert (verdict.organisation, verdict.common_name) == (ORGANISATION, "Paragraf DEMO-sigill (endast demo)")
    assert (verdict.signature_reason, verdict.location, verdict.demo) == ("Justerat protokoll", "Stockholm", True)
    assert (verdict.signatures, verdict.revisions) == (1, 2)
    assert (verdict.sha256, verdict.size) == (hashlib.sha256(sealed).hexdigest(), len(sealed))
    now = datetime.datetime.now(datetime.UTC)
    assert now - datetime.timedelta(minutes=10) < verdict.signed_at <= now


def test_seal_is_an_incremental_update_that_keeps_pages_language_and_pdfa(unsigned, sealed):
    before, after = PdfReader(io.BytesIO(unsigned)), PdfReader(io.BytesIO(sealed))

    assert sealed.startswith(unsigned)
    assert len(after.pages) == len(before.pages) > 1
    assert after.trailer["/Root"]["/Lang"] == "sv"
    assert "/Version" not in after.trailer["/Root"]  # no PDF 2.0 extension: PDF/A-3 is PDF 1.7
    assert after.metadata["/Producer"] == xmp_producer(after)
    xmp = after.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.findall(r'pdfaid:(part|conformance)="(\w+)"', xmp) == [("part", "3"), ("conformance", "B")]


def test_seal_stamp_is_on_the_last_page_only(sealed):
    reader = PdfReader(io.BytesIO(sealed))
    widgets = [[annot.get_object()["/T"] for annot in page.get("/Annots", [])] for page in reader.pages]

    assert widgets == [[]] * (len(reader.pages) - 1) + [[FIELD_NAME]]
    annotation = reader.pages[-1]["/Annots"][0].get_object()
    assert [float(x) for x in annotation["/Rect"]] == list(STAMP_BOX)
    assert annotation["/F"] & 4 == 4  # printed: PDF/A wants every annotation printable
    assert stamp_text(sealed) == [*STAMP_LINES, DEMO_MARK]


def test_seal_stamp_box_covers_no_text_of_the_page(unsigned):
    """Every word WeasyPrint put on the last page (the page number too) lies outside the stamp's box."""
    pages = str(len(PdfReader(io.BytesIO(unsigned)).pages))
    layout = pdftotext(unsigned, "-bbox", "-f", pages, "-l", pages)
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', layout).group(1))
    left, bottom, right, top = STAMP_BOX
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)', layout)
    overlapping = [
        text
        for x_min, y_min, x_max, y_max, text in words
        if float(x_min) < right
        and float(x_max) > left
        and height - float(y_max) < top
        and height - float(y_min) > bottom
    ]

    assert len(words) > 20
    assert overlapping == []


def test_seal_stamp_from_a_real_certificate_has_no_demo_line(unsigned, tmp_path):
    path = tmp_path / "real.p12"
    create_organisation_certificate(path, "pw", organisation="Solby kommun", common_name="Paragraf sigill", demo=False)
    lines = ["Justerat 2016-09-29 av Eva Berg (100 %)", "Förseglat av Paragraf"]

    sealed = seal_pdf(unsigned, stamp_lines=lines, reason="r", location="l", signer=read_signer(path, "pw"))

    assert stamp_text(sealed) == lines
    assert check_seal(sealed, trusted=read_signer(path, "pw").signing_cert).ok is True


@pytest.mark.parametrize(
    ("adjusters", "line"),
    [
        (["Lars Bäck"], "Justerat 2016-09-29 av Lars Bäck"),
        (["Lars Bäck", "Anna Holm"], "Justerat 2016-09-29 av Lars Bäck och Anna Holm"),
        (["Lars Bäck", "Anna Holm", "Eva Berg"], "Justerat 2016-09-29 av Lars Bäck, Anna Holm och Eva Berg"),
    ],
)
def test_adjustment_stamp_lines_name_every_adjuster(adjusters, line):
    lines = adjustment_stamp_lines(adjusted_on=datetime.date(2016, 9, 29), adjusters=adjusters)

    assert lines == [line, "Förseglat av Paragraf"]


# ---------------------------------------------------------------------------------------------
# Refusals, each with its reason.


def test_check_seal_one_changed_byte_in_the_signed_range_is_refused(sealed):
    position = sealed.index(b"stream\n") + 40  # inside the first page's compressed content
    changed = bytearray(sealed)
    changed[position] ^= 0x01

    assert check_seal(bytes(changed)).reason == verify.ALTERED


def test_check_seal_one_changed_byte_in_the_signature_is_refused(sealed):
    contents = re.search(rb"/Contents\s*<([0-9a-fA-F]+)>", sealed)
    signature_end = contents.start(1) + len(contents.group(1).rstrip(b"0"))  # the CMS ends with the RSA value

    for position in (contents.start(1) + 100, signature_end - 10):
        verdict = check_seal(flip_hex_digit(sealed, position))
        assert (verdict.ok, verdict.reason) == (False, verify.ALTERED)


@pytest.mark.parametrize("cut", [1, 20, 1000, "half"])
def test_check_seal_truncated_file_is_refused(sealed, cut):
    kept = len(sealed) // 2 if cut == "half" else len(sealed) - cut

    verdict = check_seal(sealed[:kept])

    assert (verdict.ok, verdict.reason) == (False, verify.DAMAGED)


def test_check_seal_resaved_by_pypdf_is_refused(sealed):
    out = io.BytesIO()
    PdfWriter(clone_from=PdfReader(io.BytesIO(sealed))).write(out)

    assert check_seal(out.getvalue()).reason == verify.ALTERED


def test_check_seal_metadata_changed_in_an_incremental_update_is_refused(sealed):
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    info = writer.trailer.raw_get("/Info")
    info.get_object()["/Title"] = generic.TextStringObject("Ändrat protokoll")
    writer.mark_update(info)
    out = io.BytesIO()
    writer.write(out)

    assert check_seal(out.getvalue()).reason == verify.CHANGED_AFTER


def test_check_seal_annotation_added_in_an_incremental_update_is_refused(sealed):
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    page_ref = writer.find_page_for_modification(0)[0]
    note = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Text"),
            generic.pdf_name("/Rect"): generic.ArrayObject(generic.NumberObject(n) for n in (100, 100, 120, 120)),
            generic.pdf_name("/Contents"): generic.TextStringObject("Beslutet gäller inte"),
        }
    )
    page = page_ref.get_object()
    page[generic.pdf_name("/Annots")] = generic.ArrayObject([writer.add_object(note)])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)

    assert check_seal(out.getvalue()).reason == verify.CHANGED_AFTER


def test_check_seal_bytes_appended_after_the_seal_are_refused(sealed):
    assert check_seal(sealed + b"\n").reason == verify.CHANGED_AFTER


def test_check_seal_pdf_sealed_with_another_key_is_refused(unsigned, other_signer):
    forged = seal_pdf(
        unsigned, stamp_lines=STAMP_LINES, reason="Justerat protokoll", location="Stockholm", signer=other_signer
    )

    verdict = check_seal(forged)

    assert (verdict.ok, verdict.reason) == (False, verify.OTHER_CERTIFICATE)
    assert verdict.signer == other_signer.signing_cert.subject.human_friendly


def test_check_seal_with_an_explicit_trusted_certificate(sealed, other_signer):
    assert check_seal(sealed, trusted=other_signer.signing_cert).reason == verify.OTHER_CERTIFICATE


def test_check_seal_a_second_signature_is_refused(unsigned, certificate_file, other_signer):
    """Our key in our field, and then someone else's approval signature: not a Paragraf seal as issued."""
    ours = read_signer(certificate_file[0], PASSWORD)
    document = unsigned
    for name, signer in ((FIELD_NAME, ours), ("Annan", other_signer)):
        metadata = signers.PdfSignatureMetadata(field_name=name, subfilter=fields.SigSeedSubFilter.PADES)
        writer = IncrementalPdfFileWriter(io.BytesIO(document))
        document = outside_event_loop(signers.PdfSigner(metadata, signer).sign_pdf, writer).getvalue()

    verdict = check_seal(document)

    assert (verdict.reason, verdict.signatures, verdict.revisions) == (verify.OTHER_SIGNATURES, 2, 3)


def test_check_seal_signature_in_another_field_is_no_seal(unsigned, certificate_file):
    sealed_elsewhere = seal_pdf(unsigned, stamp_lines=STAMP_LINES, reason="r", location="l", field_name="Signature1")

    assert check_seal(sealed_elsewhere).reason == verify.NO_SEAL


def test_check_seal_unsigned_pdf_has_no_seal(unsigned):
    verdict = check_seal(unsigned)

    assert (verdict.ok, verdict.reason, verdict.signatures, verdict.revisions) == (False, verify.NO_SEAL, 0, 1)


@pytest.mark.parametrize(
    "data", [b"", b"hello", b"\x89PNG\r\n\x1a\n" + bytes(64), b"PK\x03\x04" + bytes(1020) + b"%PDF-1.7"]
)
def test_check_seal_non_pdf_is_refused(data):
    verdict = check_seal(data)

    assert (verdict.ok, verdict.reason, verdict.sha256) == (False, verify.NOT_PDF, hashlib.sha256(data).hexdigest())


@pytest.mark.parametrize("passwords", [("secret", "owner"), ("", "owner")])
def test_check_seal_encrypted_pdf_is_refused(sealed, passwords):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(sealed)))
    writer.encrypt(*passwords)
    out = io.BytesIO()
    writer.write(out)

    assert check_seal(out.getvalue()).reason == verify.ENCRYPTED


@given(strategies.binary(max_size=2000))
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_check_seal_never_raises_on_garbage_after_a_pdf_header(tail):
    verdict = check_seal(b"%PDF-1.7\n" + tail)

    assert verdict.ok is False


# ---------------------------------------------------------------------------------------------
# Uploads: the size guard.


class Unreadable(io.RawIOBase):
    def read(self, size=-1):
        raise AssertionError("an upload over the limit must not be read")


def test_check_seal_file_over_the_limit_is_refused_without_reading():
    verdict = check_seal_file(Unreadable(), size=verify.MAX_UPLOAD_BYTES + 1)

    assert (verdict.ok, verdict.reason, verdict.size) == (False, verify.TOO_LARGE, verify.MAX_UPLOAD_BYTES + 1)


def test_check_seal_file_reads_no_more_than_the_limit_when_the_size_is_unknown(monkeypatch, sealed):
    monkeypatch.setattr(verify, "MAX_UPLOAD_BYTES", len(sealed) - 1)

    verdict = check_seal_file(io.BytesIO(sealed), size=None)

    assert (verdict.ok, verdict.reason, verdict.size) == (False, verify.TOO_LARGE, len(sealed))  # one over the limit


def test_check_seal_file_checks_an_upload_within_the_limit(sealed):
    verdict = check_seal_file(io.BytesIO(sealed), size=len(sealed))

    assert (verdict.ok, verdict.reason) == (True, verify.AUTHENTIC)
