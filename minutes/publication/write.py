"""Writing an announced protocol's public addresses as files, once, at the announcement.

Each address is rendered by a request through the whole of Django (every middleware, the view,
its templates), as an anonymous visitor of PARAGRAF_SITE_URL would send it, so that the file is
the bytes the dynamic page would answer. The file is stored under its SHA-256
(`published/ab/abcd….html`), read back and checked before its row is written; a name already
stored is checked and kept. The portal's pages and the sealed PDFs never change once announced:
an address written is never rendered again. The OParl objects may (a file sealed later, such as
an extract, is added to the meeting): they are rendered again at each publication, and a changed
object gets a new file, the old one staying as it was.
"""

import hashlib
import io
import json
import logging
import re
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation

from minutes.models import Announcement, DocumentKind, Meeting, MeetingStatus, PublishedFile
from minutes.oparl.addresses import bodies

logger = logging.getLogger(__name__)

# Marks the requests that render a file, which the serving middleware leaves to the view.
PUBLISHING = "paragraf.publishing"
OPARL_KINDS = ("meeting", "agenda-item", "consultation", "file")  # what a meeting owns; a paper spans meetings
OPARL_CODINGS = ("", "gzip", "br")
# Headers of the rendered answer that belong to one request, not to the file.
REQUEST_HEADERS = {"date", "set-cookie", "content-length", "etag", "expires", "content-encoding"}
NONCE = re.compile(r" ?'nonce-[^']*'")
EXTENSIONS = {"text/html": ".html", "application/json": ".json", "application/pdf": ".pdf"}


class ChecksumMismatch(OSError):
    """A file read back from the storage is not the bytes written."""


@dataclass(frozen=True)
class Rendered:
    path: str
    encoding: str
    body: bytes
    content_type: str
    headers: dict[str, str]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


_handler: BaseHandler | None = None


def handler() -> BaseHandler:
    global _handler
    if _handler is None:
        _handler = BaseHandler()
        _handler.load_middleware()
    return _handler


def origin() -> str:
    """The address files are rendered for; without PARAGRAF_SITE_URL nothing is published."""
    return settings.PARAGRAF_SITE_URL


def render(path: str, *, encoding: str = "", site: str | None = None) -> Rendered | None:
    """GET the path as an anonymous visitor; None unless it answers 200 with a body."""
    parts = urlsplit(site or origin())
    secure = parts.scheme == "https"
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": parts.hostname,
        "SERVER_PORT": str(parts.port or (443 if secure else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": parts.netloc,
        "wsgi.url_scheme": parts.scheme,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        PUBLISHING: True,
    }
    if secure:
        environ["HTTP_X_FORWARDED_PROTO"] = "https"  # as the proxy says it, where DJANGO_BEHIND_PROXY
    if encoding:
        environ["HTTP_ACCEPT_ENCODING"] = encoding
    response: HttpResponse = handler().get_response(WSGIRequest(environ))
    if response.status_code != 200 or response.get("Content-Encoding", "") != encoding:
        return None
    body = b"".join(response.streaming_content) if response.streaming else response.content
    # Not response.close(): its request_finished signal would close this process's database connection.
    for close in response._resource_closers:  # the file a FileResponse streamed
        close()
    headers = {name: value for name, value in response.items() if name.lower() not in REQUEST_HEADERS}
    for name in ("Content-Security-Policy", "Content-Security-Policy-Report-Only"):
        if name in headers:  # a nonce is for one answer; a published page uses none
            headers[name] = NONCE.sub("", headers[name])
    return Rendered(path, encoding, body, response["Content-Type"], headers)


def store(rendered: Rendered) -> str:
    """Write the bytes under their SHA-256 and check them read back; returns the storage's name."""
    digest = rendered.sha256
    extension = EXTENSIONS.get(rendered.content_type.split(";")[0], "")
    name = f"published/{digest[:2]}/{digest}{extension}{'.' + rendered.encoding if rendered.encoding else ''}"
    if not default_storage.exists(name) or checksum(name) != digest:
        if default_storage.exists(name):  # a broken copy: only a repair replaces it
            default_storage.delete(name)
        name = default_storage.save(name, ContentFile(rendered.body))
        if checksum(name) != digest:
            default_storage.delete(name)
            raise ChecksumMismatch(f"{name} does not read back as written")
    return name


def checksum(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def addresses(meeting: Meeting) -> list[str]:
    """The portal's pages and PDFs of the meeting, in every language, and its public sealed files."""
    args = (meeting.committee.slug, meeting.year, meeting.number)
    sealed = {(kind, tuple(numbers)) for kind, numbers in meeting.sealed_documents.values_list("kind", "numbers")}
    confidential = meeting.items.filter(confidential=True).exists()
    found = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            found.append(reverse("portal:meeting", args=args))
            found += [reverse("portal:item", args=(*args, n)) for n in meeting.items.values_list("number", flat=True)]
            # Only files already sealed: asking for a missing one would queue its sealing.
            if ((DocumentKind.PUBLIC if confidential else DocumentKind.PROTOCOL), ()) in sealed:
                found.append(reverse("portal:protocol-pdf", args=args))
            if (DocumentKind.CERTIFICATE, ()) in sealed:
                found.append(reverse("portal:certificate-pdf", args=args))
            found += [
                reverse("portal:extract", args=(*args, numbers[0]))
                for kind, numbers in sorted(sealed)
                if kind == DocumentKind.EXTRACT and len(numbers) == 1
            ]
    for document in meeting.sealed_documents.defer("snapshot").select_related("round"):
        if document.has_confidential_text is False and Announcement.objects.filter(round=document.round).exists():
            found.append(reverse("sealed-file", args=(document.sha256,)))
    return found


def oparl_addresses(meeting: Meeting, site: str) -> list[str]:
    """The OParl objects the meeting owns: itself, and the §§, consultations and files it names."""
    root = f"{site}{reverse('oparl:root')}"
    slug = next((body.slug for body in bodies() if meeting.committee_id in body.committee_ids), None)
    if slug is None:
        return []
    own = f"{reverse('oparl:root')}body/{slug}/meeting/{meeting.pk}"
    rendered = render(own, site=site)
    if rendered is None:
        return []
    found = {own}
    prefix = f"{root}body/{slug}/"

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.startswith(prefix):
            kind, _, key = value[len(prefix) :].partition("/")
            if kind in OPARL_KINDS and key and "/" not in key:
                found.add(value[len(site) :])

    walk(json.loads(rendered.body))
    return sorted(found)


def publish_meeting(meeting: Meeting) -> list[PublishedFile]:
    """Write what is not yet written of an announced meeting, and the OParl objects that changed."""
    site = origin()
    if not site or meeting.status != MeetingStatus.ANNOUNCED:
        return []
    written = []
    known = {(f.path, f.encoding): f for f in PublishedFile.objects.filter(meeting=meeting, origin=site)}
    for path in addresses(meeting):
        if (path, "") not in known:  # the portal's pages and the sealed PDFs never change
            written += _write(meeting, site, path, "", None)
    for path in oparl_addresses(meeting, site):
        for encoding in OPARL_CODINGS:
            written += _write(meeting, site, path, encoding, known.get((path, encoding)))
    return written


def _write(meeting: Meeting, site: str, path: str, encoding: str, known: PublishedFile | None) -> list[PublishedFile]:
    rendered = render(path, encoding=encoding, site=site)
    if rendered is None or (known is not None and known.sha256 == rendered.sha256):
        return []
    name = store(rendered)
    values = {
        "meeting": meeting,
        "name": name,
        "sha256": rendered.sha256,
        "size": len(rendered.body),
        "content_type": rendered.content_type,
        "headers": rendered.headers,
    }
    found, _created = PublishedFile.objects.update_or_create(origin=site, path=path, encoding=encoding, defaults=values)
    return [found]


def publish_announced(meeting_id: int) -> int:
    """The worker's step after sealing: publish the meeting if it is announced; how many files were written."""
    if not origin():
        return 0
    meeting = Meeting.objects.select_related("committee").get(pk=meeting_id)
    try:
        with transaction.atomic():  # a failure here leaves the caller's transaction usable
            return len(publish_meeting(meeting))
    except Exception:
        logger.exception("Publishing meeting %s as files failed; its pages stay dynamic", meeting_id)
        return 0
