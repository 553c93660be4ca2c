"""What every portal page needs in its frame: the same page in the other language."""

from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from minutes.portal.locale import PUBLIC_PREFIXES


def portal(request: HttpRequest) -> dict:
    path = request.path_info
    if not (path.startswith(PUBLIC_PREFIXES) or path.removeprefix("/en").startswith(PUBLIC_PREFIXES)):
        return {}
    other = "en" if get_language() == "sv" else "sv"
    return {"other_language": (other, translate_url(request.get_full_path(), other))}
