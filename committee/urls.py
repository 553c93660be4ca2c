from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path

from committee import accounts
from committee.health import health
from minutes.oparl import views as oparl
from minutes.views import adjustment, public

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    # Browsers ask for /favicon.ico where no page names its icon (a PDF opened in its own tab).
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("favicon.svg"))),
    # Login with throttling, and a password reset that sends from the site's address (committee/accounts.py).
    path("konto/login/", accounts.LoginView.as_view(), name="login"),
    path("konto/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("konto/password_reset/done/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("konto/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Public: sealed files once announced, and the notice board's feed.
    path("anslagstavla/atom.xml", public.NoticeFeed(), name="notice-feed"),
    path("forseglat/<str:sha256>.pdf", adjustment.sealed_file, name="sealed-file"),
    path("oparl/v1/", include("minutes.oparl.urls")),
    path("oparl/", oparl.root),  # the entry point of the one version there is
    re_path(r"^oparl/(?P<path>.*)$", oparl.not_found),  # a JSON 404, as clients of the API expect
    path("las/", include("minutes.reading.urls")),  # the members' reading room
    path("", include("minutes.urls")),
    # The public portal, the notice board and the seal check: in Swedish, and in English under /en/.
    *i18n_patterns(
        path("protokoll/", include("minutes.portal.urls")),
        path("anslagstavla/", public.notice_board, name="notice-board"),
        path("anslagstavla/arkiv/", public.notice_board, {"archived": True}, name="notice-archive"),
        path("verifiera/", public.verify, name="verify"),
        prefix_default_language=False,
    ),
]
