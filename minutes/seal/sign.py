"""Seal: the organisation's PAdES signature on an archival protocol PDF, with a visible stamp on the last page.

The signature is added as an incremental update, so the document's own bytes (its /Lang, tags,
fonts and PDF/A identification) stay exactly as WeasyPrint wrote them.
"""

import datetime
import io
from functools import cache
from pathlib import Path

from django.conf import settings
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko.stamp import TextStampStyle

from minutes.seal.certificate import DEMO_MARK, is_demo_certificate, load_signer
from minutes.seal.loop import outside_event_loop

FIELD_NAME = "Paragraf-sigill"
SEALED_BY = "Förseglat av Paragraf"
STAMP_FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")  # Debian fonts-noto-core
# In the bottom margin of the last page, left of the page number: print.css gives the page
# 22 mm (62 pt) of bottom margin and 25 mm (71 pt) of left margin, so the stamp covers no text.
STAMP_BOX = (71, 12, 331, 56)  # lower-left x, y, upper-right x, y in points: 260 × 44


class StampFont(GlyphAccumulatorFactory):
    """Noto Sans for the stamp, embedded as a subset, read from memory.

    pyHanko's own factory opens the font file for every stamp and never closes it.
    """

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer, font_handle=io.BytesIO(font_bytes()), font_size=self.font_size, obj_stream=obj_stream
        )


# What a stamp can print: names and dates in Latin, Greek and Cyrillic scripts, and punctuation.
STAMP_CHARACTERS = [
    *range(0x20, 0x250),  # Basic Latin to Latin Extended-B
    *range(0x370, 0x530),  # Greek, Cyrillic
    *range(0x2000, 0x2070),  # General Punctuation (the stamp's en dash)
    0x20AC,
]


@cache
def font_bytes() -> bytes:
    """Noto Sans cut to STAMP_CHARACTERS, without layout tables or hinting, once per process.

    pyHanko subsets the stamp's font again for every seal; from the whole font (3,300 glyphs) that
    took 0.65 s a seal, from this one (1,100 glyphs, no GSUB/GPOS) 0.1 s.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["GSUB", "GPOS", "GDEF"]
    options.notdef_outline = True
    font = TTFont(io.BytesIO(STAMP_FONT.read_bytes()))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=STAMP_CHARACTERS)
    subsetter.subset(font)
    lean = io.BytesIO()
    font.save(lean)
    return lean.getvalue()


def stamp_style() -> TextStampStyle:
    font = StampFont(str(STAMP_FONT), font_size=8)
    return TextStampStyle(
        stamp_text="%(lines)s",
        text_box_style=TextBoxStyle(font=font, font_size=8, leading=10),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(left=6, right=6, top=4, bottom=4),
        ),
        border_width=1,
        border_color=(0.25, 0.25, 0.25),
        background=None,
    )


def adjustment_stamp_lines(*, adjusted_on: datetime.date, adjusters: list[str]) -> list[str]:
    """The stamp's usual text: who adjusted the protocol and when, and that Paragraf sealed it."""
    names = " och ".join([", ".join(adjusters[:-1]), adjusters[-1]] if len(adjusters) > 1 else adjusters)
    return [f"Justerat {adjusted_on.isoformat()} av {names}", SEALED_BY]


def seal_pdf(
    pdf: bytes,
    *,
    stamp_lines: list[str],
    reason: str,
    location: str,
    signer: Signer | None = None,
    field_name: str = FIELD_NAME,
) -> bytes:
    """Sign the PDF with the organisation's certificate: PAdES baseline B (B-T with PARAGRAF_SEAL_TSA_URL).

    It is a certification signature that permits no later changes. A demo certificate always
    adds the line "DEMO – ej giltigt" to the stamp, whatever the caller asked for.
    """
    signer = signer or load_signer()
    lines = list(stamp_lines)
    if is_demo_certificate(signer.signing_cert) and DEMO_MARK not in lines:
        lines.append(DEMO_MARK)

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
    match_producers(writer)
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    pdf_signer = signers.PdfSigner(
        metadata,
        signer,
        timestamper=timestamper(),
        stamp_style=stamp_style(),
        new_field_spec=fields.SigFieldSpec(field_name, on_page=-1, box=STAMP_BOX),
    )
    # The style's text is the template "%(lines)s": the lines themselves are never interpolated.
    output = outside_event_loop(
        pdf_signer.sign_pdf,
        writer,
        appearance_text_params={"lines": "\n".join(lines)},
        bytes_reserved=None if pdf_signer.default_timestamper else reserved_bytes(signer),
    )
    return output.getvalue()


def reserved_bytes(signer: Signer) -> int:
    """Room for the CMS signature, in hex digits: its certificates plus 4 KiB for the signer info.

    Without it pyHanko signs twice: once as a dry run to measure the signature's size.
    """
    certificates = [signer.signing_cert, *(signer.cert_registry or ())]
    return 2 * (4096 + sum(len(certificate.dump()) for certificate in certificates))


def match_producers(writer: IncrementalPdfFileWriter) -> None:
    """Make the Info /Producer what pyHanko will write as the XMP producer, as PDF/A requires them equal.

    pyHanko rewrites the XMP pdf:Producer as "pyHanko <version>" but appends that to an existing
    Info /Producer ("WeasyPrint 70.0; pyHanko …") unless it is already there.
    """
    try:
        info = writer.trailer.raw_get("/Info")
    except KeyError:
        return
    if info.get_object().get("/Producer") == VENDOR:
        return
    if isinstance(info, generic.IndirectObject):
        info.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(info)
    else:
        writer.set_info(
            generic.DictionaryObject({**info, generic.NameObject("/Producer"): generic.TextStringObject(VENDOR)})
        )


def timestamper():
    url = getattr(settings, "PARAGRAF_SEAL_TSA_URL", "")
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url)
