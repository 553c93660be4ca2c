"""The OParl API's HTTP: what every answer carries, whatever the view did.

Every answer is JSON with CORS headers, a failure of the view included (a 500 is a JSON error,
logged, never Django's HTML page). The API is read-only: writes are a JSON 405, not the CSRF
check's HTML 403, and a browser's preflight (OPTIONS) is answered so that an app may send
If-None-Match. Objects carry a strong ETag (the SHA-256 of the bytes served, per content
coding) and Last-Modified (the latest `modified` in the answer), so a client revalidates with
a 304; bodies are compressed with brotli or gzip for clients that accept it.
"""

import datetime
import gzip
import hashlib
import json
import logging
import re
from collections.abc import Callable
from functools import wraps

import brotli
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from minutes.oparl.listing import BadRequest, NotFound

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/json; charset=utf-8"
READ_METHODS = ("GET", "HEAD")
ALLOW = "GET, HEAD, OPTIONS"
# What a browser app may send and read; preflights are cached for a day.
ALLOW_HEADERS = "Accept, Accept-Encoding, Accept-Language, If-None-Match, If-Modified-Since"
EXPOSE_HEADERS = "ETag, Last-Modified, Content-Length, Content-Encoding"
PREFLIGHT_MAX_AGE = "86400"
# Published data changes rarely but may (a file sealed later, a corrected name): caches keep an
# answer for five minutes and revalidate it with its ETag after that.
CACHE_CONTROL = "public, max-age=300"
# Below this, gzip's header costs more than it saves.
GZIP_MIN_BYTES = 200
# The codings offered, best first: brotli packs JSON about a fifth smaller than gzip.
CODINGS = ("br", "gzip")
# Brotli's quality 5 compresses a 1 MB page in milliseconds and smaller than gzip's best; 11 takes seconds.
BROTLI_QUALITY = 5
TITLES = {
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
}


# A percent-encoded letter, digit, "-", ".", "_" or "~": RFC 3986's unreserved characters, which
# a canonical URL writes as themselves (`meeting/%31` is `meeting/1` written another way).
ENCODED_UNRESERVED = re.compile(r"%(?:3[0-9]|4[1-9a-f]|5[0-9a]|6[1-9a-f]|7[0-9a]|2d|2e|5f|7e)", re.IGNORECASE)


def canonical(request: HttpRequest) -> bool:
    """Whether the path was sent as its object's `id` writes it: no unreserved character percent-encoded.

    The WSGI server decodes the path before Django sees it, so the path as sent is read from
    RAW_URI (gunicorn) or REQUEST_URI (gunicorn, uWSGI, mod_wsgi); a server that gives neither
    (runserver) is taken at its word.
    """
    raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI") or ""
    return not ENCODED_UNRESERVED.search(raw.split("?", 1)[0])


def cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    return response


def json_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def error(status: int, message: str) -> HttpResponse:
    """A JSON error, not cached: `{"error": "Not Found", "status": 404, "message": "…"}`."""
    body = json_bytes({"error": TITLES[status], "status": status, "message": message})
    response = cors(HttpResponse(body, status=status, content_type=CONTENT_TYPE))
    response["Cache-Control"] = "no-cache"
    if status == 405:
        response["Allow"] = ALLOW
    return response


def preflight() -> HttpResponse:
    response = cors(HttpResponse(status=204))
    response["Allow"] = ALLOW
    response["Access-Control-Allow-Methods"] = ALLOW
    response["Access-Control-Allow-Headers"] = ALLOW_HEADERS
    response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def accepts(request: HttpRequest, coding: str) -> bool:
    """Whether Accept-Encoding admits the coding, by name or by `*` (a q of 0 refuses it)."""
    qualities = {}
    for part in request.headers.get("Accept-Encoding", "").split(","):
        name, *params = (word.strip() for word in part.split(";"))
        quality = next((p[2:] for p in params if p.startswith("q=")), "1")
        try:
            qualities[name.lower()] = float(quality)
        except ValueError:
            qualities[name.lower()] = 0.0
    return qualities.get(coding, qualities.get("*", 0.0)) > 0


def coding_for(request: HttpRequest, size: int) -> str:
    """The content coding to send a body of `size` bytes in: brotli, else gzip, else none."""
    if size < GZIP_MIN_BYTES:
        return ""
    return next((coding for coding in CODINGS if accepts(request, coding)), "")


def compress(body: bytes, coding: str) -> bytes:
    if coding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY)
    if coding == "gzip":
        return gzip.compress(body, mtime=0)  # no time stamp: the same object gzips to the same bytes
    return body


def last_modified(data: dict) -> datetime.datetime | None:
    """The latest `modified` of the object, or of the list's objects on this page."""
    found = [data.get("modified"), *(item.get("modified") for item in data.get("data", []) if isinstance(item, dict))]
    moments = [datetime.datetime.fromisoformat(value) for value in found if isinstance(value, str)]
    return max(moments, default=None)


def answer(request: HttpRequest, data: dict) -> HttpResponse:
    """The object as JSON with its validators; a 304 when the client's copy is current."""
    body = json_bytes(data)
    coding = coding_for(request, len(body))
    body = compress(body, coding)
    # One representation per coding, so the ETag is the hash of exactly the bytes sent.
    etag = '"' + hashlib.sha256(body).hexdigest()[:40] + (f"-{coding}" if coding else "") + '"'
    modified = last_modified(data)
    modified_at = int(modified.timestamp()) if modified else None
    conditional = get_conditional_response(request, etag=etag, last_modified=modified_at)
    response = conditional or HttpResponse(body, content_type=CONTENT_TYPE)
    response["ETag"] = etag
    if modified_at is not None:
        response["Last-Modified"] = http_date(modified_at)
    if coding and conditional is None:
        response["Content-Encoding"] = coding
    response["Cache-Control"] = CACHE_CONTROL
    patch_vary_headers(response, ["Accept-Encoding"])
    return cors(response)


def oparl_view(view: Callable[..., dict]) -> Callable[..., HttpResponse]:
    """Serve the view's object by `answer`, and every failure, its own included, as a JSON error."""

    @csrf_exempt  # nothing here changes anything: a write is a 405, not a CSRF failure
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            return preflight()
        if request.method not in READ_METHODS:
            return error(405, "the OParl API is read-only: GET, HEAD and OPTIONS only")
        if not canonical(request):
            return error(
                404,
                f"no object at {request.META.get('RAW_URI') or request.META.get('REQUEST_URI')}: "
                "write the address as its id does",
            )
        try:
            # The portal addresses in `web` are the Swedish ones, whatever language the client prefers.
            with translation.override(settings.LANGUAGE_CODE):
                data = view(request, *args, **kwargs)
        except BadRequest as problem:
            return error(400, str(problem))
        except NotFound as problem:
            return error(404, str(problem))
        except Exception:
            logger.exception("OParl: %s failed", request.path)
            return error(500, "the server failed to answer; the failure is logged, try again later")
        return answer(request, data)

    return wrapper


def plain_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view that answers with its own response (a redirect, a document): CORS and the method rules."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            return preflight()
        if request.method not in READ_METHODS:
            return error(405, "the OParl API is read-only: GET, HEAD and OPTIONS only")
        return cors(view(request, *args, **kwargs))

    return wrapper
