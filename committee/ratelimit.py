"""How often one address may do something costly, counted in the shared cache.

The cache is the database's table in production (PARAGRAF_CACHE=database), so every web process
and machine counts together. Addresses are kept only as a hash in the key.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """Where the request came from; behind the proxy (DJANGO_BEHIND_PROXY), the address the proxy saw.

    The proxy appends the address that connected to it to X-Forwarded-For, so its last entry is
    the one a client cannot choose; without a proxy the header is the client's own and ignored.
    """
    if settings.SECURE_PROXY_SSL_HEADER:
        seen = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if seen:
            return seen
    return request.META.get("REMOTE_ADDR", "")


def allow(action: str, request: HttpRequest, *, limit: int, seconds: int) -> bool:
    """Whether the request's address has made fewer than `limit` of these in the last `seconds`; if so, count it.

    The times of the last few are kept, rather than a count per fixed window, so that the limit
    holds across a window's end. Two processes that count at the same instant may count one;
    that much slack does not matter here.
    """
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"rate:{action}:{address}"
    now = time.time()
    recent = [moment for moment in cache.get(key, []) if moment > now - seconds]
    if len(recent) >= limit:
        return False
    cache.set(key, [*recent, now], timeout=seconds)
    return True
