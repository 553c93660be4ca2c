"""Response headers beside Django's own: Permissions-Policy, no shared caching of signed-in pages, PDFs' policy."""

import base64
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.csp import CSP, build_policy

# Paragraf uses none of these browser features; a page that is tricked into asking gets nothing.
# Fullscreen stays with the site itself, for the browser's own PDF viewer.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "camera=()",
        "display-capture=()",
        "encrypted-media=()",
        "fullscreen=(self)",
        "geolocation=()",
        "gyroscope=()",
        "hid=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "picture-in-picture=()",
        "publickey-credentials-get=()",
        "screen-wake-lock=()",
        "serial=()",
        "usb=()",
        "xr-spatial-tracking=()",
    ]
)


PDF_POLICY = "frame-ancestors 'none'"


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy everywhere, and marks what a signed-in user sees as private.

    Workspace pages show drafts and confidential §§: no proxy may keep them, and neither may
    the browser's disk. A response that chose its own caching (the public portal's ETags and
    max-age, Django's never_cache) keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if response.get("Content-Type", "").startswith("application/pdf"):
            # Chromium shows a PDF in a viewer embedded in a page of its own making, which the pages'
            # policy (object-src 'none') would block; a PDF runs no script of ours, so only framing is kept out.
            response.headers.setdefault(str(CSP.HEADER_ENFORCE), PDF_POLICY)
        if "Cache-Control" not in response and self._signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _signed_in(request: HttpRequest) -> bool:
        # Without a session cookie nobody is signed in, and the session need not be read.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)


STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)


def allow_own_styles(response: HttpResponse) -> HttpResponse:
    """Let a standalone HTML document's own <style> elements through the policy, by their SHA-256.

    The protocol as a web page carries its print stylesheet inline (WeasyPrint prints the same
    file); nothing else inline is allowed in it.
    """
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"
        for style in STYLE_ELEMENT.findall(response.content.decode())
    ]
    response[str(CSP.HEADER_ENFORCE)] = build_policy({**settings.SECURE_CSP, "style-src": [CSP.SELF, *hashes]})
    return response
