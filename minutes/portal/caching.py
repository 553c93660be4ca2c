"""Announced protocols never change, so their pages and files are cached and revalidated cheaply.

A page's ETag is computed from a small query (the announcement behind it) and the release of
the templates that render it, before the page is built; a repeated request with that ETag is
answered 304 without rendering anything.
"""

import hashlib
import io
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import get_language

from minutes.models import SealedDocument, TamperedFile

YEAR = 365 * 24 * 3600


def _release() -> str:
    """A digest of everything that shapes a portal page, so a new release is never served as 304."""
    digest = hashlib.sha256()
    roots = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "minutes" / "protocol" / "templates"]
    roots += [Path(settings.BASE_DIR) / "locale"]
    for path in sorted(p for root in roots for p in root.rglob("*") if p.is_file()):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RELEASE = _release()


def cacheable(source: Callable[..., object], *, max_age: int, immutable: bool = False):
    """Serve the view with a strong ETag made from `source(request, *args)`, public for `max_age` s.

    `source` returns None when there is nothing to cache (the page is a 404 then). The rendered
    page is kept in the cache under its ETag, so a page is rendered once per cache, not per
    request. When the page is `immutable` (an announced protocol), what `source` read is kept
    too, so that a request reads nothing from the database.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            key = f"portal:source:{get_language()}:{request.path}"  # the query string changes nothing here
            value = cache.get(key) if immutable else None
            if value is None:
                value = source(request, *args, **kwargs)
                if value is None:
                    return view(request, *args, **kwargs)
                if immutable:
                    cache.set(key, value, max_age)
            tag = hashlib.sha256(f"{RELEASE}|{key}|{value}".encode()).hexdigest()[:32]
            if quote_etag(tag) in parse_etags(request.headers.get("If-None-Match", "")):
                response = HttpResponseNotModified()
            elif (page := cache.get(f"portal:page:{tag}")) is not None:
                response = HttpResponse(page[0], content_type=page[1])
            else:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                cache.set(f"portal:page:{tag}", (response.content, response["Content-Type"]), max_age)
            response["ETag"] = quote_etag(tag)
            patch_cache_control(response, public=True, max_age=max_age)
            return response

        return wrapper

    return decorate


def published_file(request: HttpRequest, document: SealedDocument) -> HttpResponse:
    """A sealed PDF that may be public: its SHA-256 is its ETag, and it is checked on every read."""
    etag = quote_etag(document.sha256)
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        try:
            data = document.read_verified()
        except TamperedFile:
            return HttpResponse(status=500, content_type="text/plain; charset=utf-8")
        response = FileResponse(io.BytesIO(data), content_type="application/pdf")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
    return response
