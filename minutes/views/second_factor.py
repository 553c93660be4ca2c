"""The second factor for confidential case documents: enrolling an authenticator app (TOTP) and giving its code.

django-otp keeps the devices and marks the session verified (`request.user.is_verified()`). Enrolment
shows the otpauth:// address as a QR code to scan (an inline SVG drawn by segno: no style attributes, so
the Content-Security-Policy's style-src 'self' holds), and the secret and the address as text for whoever
cannot scan. A code is checked with django-otp's throttling, so guessing is slowed down: after each wrong
code the next try must wait twice as long, and a try made too soon says when to try again.
"""

import base64
import io
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
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


def throttled_error(device: TOTPDevice) -> str | None:
    """What to say when django-otp will not check a code yet because of the wrong codes before it, else None.

    Such a try is neither checked nor counted, so even the right code is refused: the member is told
    when to try again, not that the code is wrong.
    """
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (data or {}).get("locked_until")
    if locked_until is None:
        return _("Too many wrong codes have been tried. Wait a while and try again.")
    time = formats.time_format(timezone.localtime(locked_until), "H.i.s")
    return _("Too many wrong codes have been tried. Wait until %(time)s, then try the code the app shows.") % {
        "time": time
    }


def check_code(device: TOTPDevice, form: CodeForm) -> int | None:
    """None when the valid form's code is the device's; otherwise the form says why, and the status to answer:
    429 when tried too soon after wrong codes, 400 when wrong."""
    refused = throttled_error(device)
    if refused is not None:
        form.add_error("code", refused)
        return 429
    if device.verify_token(form.cleaned_data["code"].strip()):
        return None
    form.add_error("code", _("The code is wrong or too old. Try the one the app shows now."))
    return 400


def qr_code(uri: str) -> SafeString:
    """The otpauth:// address as an inline SVG QR code: black on white (scannable in dark mode too),
    presentation attributes only (no style, for the Content-Security-Policy), titled for screen readers."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(
        out,
        kind="svg",
        xmldecl=False,
        svgclass="totp-qr",
        lineclass=None,
        scale=5,
        border=4,
        dark="#000",
        light="#fff",
        title=_("QR code for the authenticator app"),
    )
    svg = out.getvalue().decode()
    return mark_safe(svg.replace("<svg ", '<svg role="img" id="totp-qr" ', 1))  # segno escapes the title


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
    status = check_code(device, form) if form.is_valid() else 400
    if status is None:
        otp_login(request, device)
        return redirect(next_url)
    return code_page(request, next_url=next_url, status=status, form=form)


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
    status = 200
    if request.method == "POST":
        status = check_code(device, form) if form.is_valid() else 400
        if status is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "secret": base64.b32encode(device.bin_key).decode(),
        "uri": device.config_url,
        "qr_code": qr_code(device.config_url),
    }
    return render(request, "reading/enrol.html", context, status=status)
