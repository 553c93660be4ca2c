"""The site's own address, for links that outlive the request: feeds, calendars, mails.

Behind the configured PARAGRAF_SITE_URL every such link is the same whatever Host a client
sent; a cached feed or a reset mail can then not carry an address someone else chose. In
development, without the setting, the request's own address is used.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def site_url(request: HttpRequest) -> str:
    """scheme://host[:port] of the site, without a trailing slash."""
    return settings.PARAGRAF_SITE_URL or f"{request.scheme}://{request.get_host()}"


def absolute_url(request: HttpRequest, path: str) -> str:
    """`path` (as reverse() gives it, from the root) on the site's address."""
    return site_url(request) + path


class SiteRequest:
    """A request as Django's feed framework reads it, answering for the site's address.

    The framework builds its links from `get_host()` and `is_secure()`; everything else is
    the real request's.
    """

    def __init__(self, request: HttpRequest):
        self._request = request
        self._site = urlsplit(site_url(request))

    def get_host(self) -> str:
        return self._site.netloc

    def is_secure(self) -> bool:
        return self._site.scheme == "https"

    def __getattr__(self, name: str):
        return getattr(self._request, name)
