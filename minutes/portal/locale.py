"""The language of a request: the portal's English pages live under /en/, the rest follows the visitor."""

from django.middleware.locale import LocaleMiddleware
from django.utils import translation

PORTAL_PREFIX = "/protokoll/"
# The public pages in the portal's frame, in Swedish without a prefix and in English under /en/.
PUBLIC_PREFIXES = (PORTAL_PREFIX, "/anslagstavla/", "/verifiera/")


class PortalLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that the public unprefixed pages are always Swedish.

    With `i18n_patterns(prefix_default_language=False)` Django would make every unprefixed
    address Swedish, the workspace's too; the workspace keeps the visitor's cookie and browser
    language instead. A public page then has one language per address, which its ETag needs.
    """

    def process_request(self, request):
        if translation.get_language_from_path(request.path_info) or request.path_info.startswith(PUBLIC_PREFIXES):
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        return None
