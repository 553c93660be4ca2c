"""Signing in and getting back in: login throttling (django-axes) and password reset by e-mail.

django-axes counts failed sign-ins per account and per address and refuses both once the limit
is reached. The forms here turn that refusal into a Swedish message on the login page (ours and
the admin's) instead of the generic "wrong password"; the response then says 429.
"""

import ipaddress
import math

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from committee.site import site_url

LOCKED_OUT = 429


def client_address(request: HttpRequest) -> str | None:
    """The address whose failures are counted: the peer, or behind our proxy the one it saw.

    The proxy in front appends the client's address to X-Forwarded-For, so only the last entry
    is its word; earlier entries come from the client and could name anyone.
    """
    address = request.META.get("REMOTE_ADDR")
    if settings.PARAGRAF_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            address = forwarded
    try:
        return str(ipaddress.ip_address(address or ""))
    except ValueError:
        return request.META.get("REMOTE_ADDR") or None


def lockout_message() -> str:
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return ngettext(
        "Too many failed sign-in attempts. Signing in to this account, or from this address, is blocked for "
        "%(minutes)d minute after the last attempt. An administrator can lift the block sooner.",
        "Too many failed sign-in attempts. Signing in to this account, or from this address, is blocked for "
        "%(minutes)d minutes after the last attempt. An administrator can lift the block sooner.",
        minutes,
    ) % {"minutes": minutes}


class LockoutMessageMixin:
    """Says "blocked" rather than "wrong password" when django-axes refused the attempt."""

    request: HttpRequest | None

    def get_invalid_login_error(self) -> ValidationError:
        if self.request is not None and getattr(self.request, "axes_locked_out", False):
            return ValidationError(lockout_message(), code="locked_out")
        return super().get_invalid_login_error()  # type: ignore[misc]


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    pass


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """django-axes' answer to a refused attempt: the login page as rendered, with its message, as 429."""
    if original_response is not None and original_response.status_code == 200:
        original_response.status_code = LOCKED_OUT
        return original_response
    return render(request, "registration/login.html", {"form": LoginForm(request)}, status=LOCKED_OUT)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(mail_configured=mail_configured(), **kwargs)


def mail_configured() -> bool:
    return "default" in settings.MAILERS


class PasswordResetView(auth_views.PasswordResetView):
    """Sends the link from the configured site address; says plainly when no mail can be sent."""

    email_template_name = "registration/password_reset_email.txt"

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(mail_configured=mail_configured(), **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not mail_configured():
            return self.get(request, *args, **kwargs)
        self.extra_email_context = {"site_url": site_url(request)}
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(mail_configured=mail_configured(), **kwargs)
