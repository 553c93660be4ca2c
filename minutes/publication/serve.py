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

from django.conf import settings
from django.core.exceptions import DisallowedHost
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

Variant = tuple[str, str, str, str, int, dict]  # encoding, name, sha256, content type, size, headers
_remembered: dict[tuple[str, str], tuple[float, tuple[Variant, ...]]] = {}


def variants(site: str, path: str) -> tuple[Variant, ...]:
    """The published representations of the address, remembered for a minute (none found, too)."""
    key = (site, path)
    now = time.monotonic()
    found = _remembered.get(key)
    if found is not None and found[0] > now:
        return found[1]
    rows = tuple(
        PublishedFile.objects.filter(origin=site, path=path).values_list(
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
    by_coding = {variant[0]: variant for variant in found}
    for coding in ("",) if redirect else BEST_FIRST:
        if coding in by_coding and (not coding or accepts(request, coding)):
            return by_coding[coding]
    return None


def answer(request: HttpRequest, variant: Variant) -> HttpResponse:
    encoding, name, sha256, content_type, size, headers = variant
    etag = f'"{sha256}"'
    accel = settings.PARAGRAF_PUBLISHED_ACCEL
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    elif accel.startswith("x-accel:"):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.removeprefix("x-accel:") + name
    elif accel == "redirect":
        response = HttpResponseRedirect(default_storage.url(name))
        response["Cache-Control"] = "public, max-age=300"
        return response
    else:
        response = PublishedFileResponse(_open(name), content_type=content_type)
        response["Content-Length"] = str(size)
    for header, value in headers.items():
        response[header] = value
    if response.status_code == 304:
        for header in ("Content-Type", "Content-Length"):
            if header in response:
                del response[header]
    elif encoding:
        response["Content-Encoding"] = encoding
    response["ETag"] = etag
    if encoding:
        patch_vary_headers(response, ["Accept-Encoding"])
    return response


class PublishedFileResponse(FileResponse):
    """A FileResponse whose headers are the published ones: it guesses no type and names no file (as WhiteNoise's)."""

    def set_headers(self, filelike) -> None:
        pass


def _open(name: str):
    """The stored file, opened directly when it is on this machine's disk (then sent with sendfile)."""
    try:
        return open(default_storage.path(name), "rb")  # closed by the response
    except NotImplementedError:  # object storage has no local path
        return default_storage.open(name, "rb")


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
        try:
            site = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            return None  # Django answers it with a 400 as always
        found = variants(site, path)
        if not found or not canonical(request):
            return None
        redirect = settings.PARAGRAF_PUBLISHED_ACCEL == "redirect"
        variant = choose(request, found, redirect=redirect)
        if variant is None:
            return None
        if variant[3].startswith("text/html") and settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None  # the header may show who is signed in: the view answers
        return answer(request, variant)
