"""Answering a request for a published address from its file: no view, no template, no snapshot.

`PublishedFileMiddleware` sits right after WhiteNoise. For a GET or HEAD without a query string
under the published prefixes, it looks the address up (a small query, remembered by each process
for a minute, so a file written or superseded is seen within a minute) and answers with the
file and the headers the rendered page carried; its SHA-256 is its ETag, so a revalidation is a
304. A page (HTML) is served only to a request without a session cookie: a signed-in visitor
gets the page from the view, which may show who is signed in. Anything not found goes on to
Django as before.

How the bytes leave (PARAGRAF_PUBLISHED_ACCEL): by default this process streams the file (on
the local disk with sendfile); `x-accel:/prefix/` answers with `X-Accel-Redirect: /prefix/<name>`
for nginx to send the file from its own `internal` location; `redirect` answers 302 to the
storage's own URL of the file (object storage), for the identity representation.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from minutes.models import PublishedFile
from minutes.oparl.http import accepts, canonical
from minutes.publication.write import PUBLISHING

PREFIXES = ("/protokoll/", "/en/protokoll/", "/oparl/v1/body/", "/forseglat/")
REMEMBER_SECONDS = 60
REMEMBER_MAX = 20_000
BEST_FIRST = ("br", "gzip", "")


@dataclass(frozen=True, slots=True)
class Variant:
    """One published representation, with its headers made once, as the response stores them."""

    encoding: str
    name: str
    etag: str
    content_type: str
    local: str | None  # its path on this machine's disk, or None in object storage
    headers: dict[str, tuple[str, str]]  # lower-case name -> (name, value), a 200's
    not_modified: dict[str, tuple[str, str]]  # the same for a 304: no type, no length

    @classmethod
    def of(cls, encoding: str, name: str, sha256: str, content_type: str, size: int, headers: dict) -> "Variant":
        etag = f'"{sha256}"'
        made = HttpResponse(content_type=content_type)  # Django checks and encodes each header once, here
        for header, value in headers.items():
            made[header] = value
        if encoding:
            made["Content-Encoding"] = encoding
            patch_vary_headers(made, ["Accept-Encoding"])
        made["Content-Length"] = str(size)
        made["ETag"] = etag
        full = dict(made.headers._store)
        bare = {key: value for key, value in full.items() if key not in ("content-type", "content-length")}
        try:
            local = default_storage.path(name)
        except NotImplementedError:  # object storage has no local path
            local = None
        return cls(encoding, name, etag, content_type, local, full, bare)


_remembered: dict[tuple[str, str], tuple[float, tuple[Variant, ...]]] = {}


def variants(site: str, path: str) -> tuple[Variant, ...]:
    """The published representations of the address, remembered for a minute (none found, too)."""
    key = (site, path)
    now = time.monotonic()
    found = _remembered.get(key)
    if found is not None and found[0] > now:
        return found[1]
    rows = tuple(
        Variant.of(*row)
        for row in PublishedFile.objects.filter(origin=site, path=path).values_list(
            "encoding", "name", "sha256", "content_type", "size", "headers"
        )
    )
    if len(_remembered) >= REMEMBER_MAX:
        _remembered.clear()
    _remembered[key] = (now + REMEMBER_SECONDS, rows)
    return rows


def forget() -> None:
    """Forget what this process remembered (tests, and after a repair in this process)."""
    _remembered.clear()


def choose(request: HttpRequest, found: tuple[Variant, ...], *, redirect: bool) -> Variant | None:
    if len(found) == 1 and not found[0].encoding:  # a page or a PDF: one representation
        return found[0]
    by_coding = {variant.encoding: variant for variant in found}
    for coding in ("",) if redirect else BEST_FIRST:
        if coding in by_coding and (not coding or accepts(request, coding)):
            return by_coding[coding]
    return None


def answer(request: HttpRequest, variant: Variant) -> HttpResponse:
    accel = settings.PARAGRAF_PUBLISHED_ACCEL
    if variant.etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
        response = HttpResponseNotModified()
        response.headers._store.update(variant.not_modified)
        return response
    if accel == "redirect":
        response = HttpResponseRedirect(default_storage.url(variant.name))
        response["Cache-Control"] = "public, max-age=300"
        return response
    if accel.startswith("x-accel:"):
        response = HttpResponse()
        response.headers._store.update(variant.headers)
        del response["Content-Length"]  # nginx sends the file and its length
        response["X-Accel-Redirect"] = accel.removeprefix("x-accel:") + variant.name
        return response
    handle = open(variant.local, "rb") if variant.local else default_storage.open(variant.name, "rb")  # noqa: SIM115
    response = PublishedFileResponse(handle)
    # The headers were checked and encoded by Django when the variant was made: set as they are stored.
    response.headers._store.update(variant.headers)
    return response


class PublishedFileResponse(FileResponse):
    """A FileResponse whose headers are the published ones: it guesses no type and names no file (as WhiteNoise's)."""

    def set_headers(self, filelike) -> None:
        pass


class PublishedFileMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.published(request) or self.get_response(request)

    def published(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        if (
            request.method not in ("GET", "HEAD")
            or not path.startswith(PREFIXES)
            or request.META.get("QUERY_STRING")
            or request.META.get(PUBLISHING)
            or not settings.PARAGRAF_SITE_URL
        ):
            return None
        # Files are written for PARAGRAF_SITE_URL: a request to another host (one that Django
        # would refuse included, which it then answers with a 400) goes on to Django.
        site = f"{request.scheme}://{request._get_raw_host()}"  # get_host() without its validation
        if site != settings.PARAGRAF_SITE_URL:
            return None
        found = variants(site, path)
        if not found or not canonical(request):
            return None
        redirect = settings.PARAGRAF_PUBLISHED_ACCEL == "redirect"
        variant = choose(request, found, redirect=redirect)
        if variant is None:
            return None
        if variant.content_type.startswith("text/html") and settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None  # the header may show who is signed in: the view answers
        return answer(request, variant)
