"""A NUL byte in an address or a cookie is answered with 400 before any view sees it.

PostgreSQL's text cannot hold NUL, so such a value reaches a query only to fail there as a 500:
a path parameter looked up as it is, or a session cookie (every page that asks who is signed in
looks its session up). No page of Paragraf has a NUL in its address. What a query string or a
form carries is read by a form field, which refuses NUL at the field (Django's CharField does),
or by a parser that refuses it: the search page says so beside its box, which a 400 could not.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

OPARL_PREFIX = "/oparl/"


def has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path_info:
        return True
    return any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items())


class RefuseNulBytes:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not has_nul(request):
            return self.get_response(request)
        message = _("The address or a cookie contains a null character, which Paragraf cannot read.")
        if request.path_info.startswith(OPARL_PREFIX):
            from minutes.oparl.http import error  # the API answers every error as JSON

            return error(400, message)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
