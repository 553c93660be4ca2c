"""The OParl API's HTTP: what every answer carries, whatever the view did.

Every answer is JSON with CORS headers, a failure of the view included (a 500 is a JSON error,
logged, never Django's HTML page). The API is read-only: writes are a JSON 405, not the CSRF
check's HTML 403, and a browser's preflight (OPTIONS) is answered so that an app may send
If-None-Match. Objects carry a strong ETag (the SHA-256 of the bytes served, per content
coding) and Last-Modified (the latest `modified` in the answer), so a client revalidates with
a 304; bodies are gzipped for clients that accept it.
"""

import datetime
import gzip
import hashlib
import json
import logging
from collections.abc import Callable
from functools import wraps

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
TITLES = {
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
}


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


def accepts_gzip(request: HttpRequest) -> bool:
    """Whether Accept-Encoding admits gzip (a q of 0 refuses it)."""
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, *params = (word.strip() for word in part.split(";"))
        if coding.lower() in ("gzip", "*"):
            quality = next((p[2:] for p in params if p.startswith("q=")), "1")
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False


def last_modified(data: dict) -> datetime.datetime | None:
    """The latest `modified` of the object, or of the list's objects on this page."""
    found = [data.get("modified"), *(item.get("modified") for item in data.get("data", []) if isinstance(item, dict))]
    moments = [datetime.datetime.fromisoformat(value) for value in found if isinstance(value, str)]
    return max(moments, default=None)


def answer(request: HttpRequest, data: dict) -> HttpResponse:
    """The object as JSON with its validators; a 304 when the client's copy is current."""
    body = json_bytes(data)
    coding = "gzip" if len(body) >= GZIP_MIN_BYTES and accepts_gzip(request) else ""
    if coding:
        body = gzip.compress(body, mtime=0)  # no time stamp: the same object gzips to the same bytes
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
