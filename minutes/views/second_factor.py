"""The second factor for confidential case documents: enrolling an authenticator app (TOTP) and giving its code.

django-otp keeps the devices and marks the session verified (`request.user.is_verified()`). No QR code
library is installed, so enrolment shows the secret and the otpauth:// address to type or paste into
the app. A code is checked with django-otp's throttling, so guessing is slowed down.
"""

import base64
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Läsrummet"


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Code from the app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("Enter the six digits the app shows.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 8}),
    )


def safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return reverse("reading:home")


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def code_page(request: HttpRequest, *, next_url: str, status: int = 200, form: CodeForm | None = None) -> HttpResponse:
    """Ask for the code, or, for someone with no authenticator yet, send them to enrol one."""
    context = {
        "form": form or CodeForm(),
        "next": safe_next(request, next_url),
        "enrolled": confirmed_device(request.user) is not None,
    }
    return render(request, "reading/second_factor.html", context, status=status)


@login_required
@require_POST
def verify_code(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next"))
    device = confirmed_device(request.user)
    form = CodeForm(request.POST)
    if device is None:
        return redirect(f"{reverse('reading:second-factor-enrol')}?{urlencode({'next': next_url})}")
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("code", _("The code is wrong or too old. Try the one the app shows now."))
    return code_page(request, next_url=next_url, status=400, form=form)


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Connect an authenticator app: a new secret, shown once, confirmed by its first code."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if confirmed_device(request.user) is not None:
        return code_page(request, next_url=next_url)
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("code", _("The code is wrong or too old. Try the one the app shows now."))
    context = {
        "form": form,
        "next": next_url,
        "secret": base64.b32encode(device.bin_key).decode(),
        "uri": device.config_url,
    }
    return render(request, "reading/enrol.html", context, status=400 if form.errors else 200)
