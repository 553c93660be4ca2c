"""Small files for the agenda's upload tests: valid, encrypted and broken PDFs, and Office files."""

import io
import zipfile
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter


def pdf_bytes(pages: int = 1, *, password: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "handling.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


DOCX = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64  # the start of a Word file (a zip)


def docx_bytes(text: str) -> bytes:
    """A Word document of one paragraph, written by hand as the zip of XML it is."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
            'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
            '+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:body>'
            "</w:document>",
        )
    return buffer.getvalue()


def odt_bytes(text: str, *, macro_writes: str = "") -> bytes:
    """An OpenDocument text of one paragraph; with `macro_writes`, a Basic macro bound to the document's
    load event that would write that file."""
    namespaces = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"'
    )
    scripts, basic = "", {}
    if macro_writes:
        scripts = (
            '<office:scripts><office:event-listeners><script:event-listener script:language="ooo:script" '
            'script:event-name="dom:load" xlink:type="simple" xlink:href="vnd.sun.star.script:Standard.Module1.'
            'Main?language=Basic&amp;location=document"/></office:event-listeners></office:scripts>'
        )
        doctype = '<!DOCTYPE {0} PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "{1}">'
        basic = {
            "Basic/script-lc.xml": doctype.format("library:libraries", "libraries.dtd")
            + '<library:libraries xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/'
            '1999/xlink"><library:library library:name="Standard" library:link="false"/></library:libraries>',
            "Basic/Standard/script-lb.xml": doctype.format("library:library", "library.dtd")
            + '<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" '
            'library:readonly="false" library:passwordprotected="false"><library:element library:name="Module1"/>'
            "</library:library>",
            "Basic/Standard/Module1.xml": doctype.format("script:module", "module.dtd")
            + '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
            f'script:language="StarBasic">Sub Main\n  Open {escape(chr(34) + macro_writes + chr(34))} For Output '
            "As #1\n  Print #1, &quot;ran&quot;\n  Close #1\nEnd Sub\n</script:module>",
        }
    entries = "".join(
        f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{kind}"/>'
        for path, kind in [
            ("/", "application/vnd.oasis.opendocument.text"),
            ("content.xml", "text/xml"),
            *([("Basic/", ""), ("Basic/Standard/", "")] if basic else []),
            *((path, "text/xml") for path in basic),
        ]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            f'opendocument:xmlns:manifest:1.0" manifest:version="1.2">{entries}</manifest:manifest>',
        )
        archive.writestr(
            "content.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {namespaces} office:version="1.2">'
            f"{scripts}<office:body><office:text><text:p>{escape(text)}</text:p></office:text></office:body>"
            "</office:document-content>",
        )
        for path, content in basic.items():
            archive.writestr(path, content)
    return buffer.getvalue()
