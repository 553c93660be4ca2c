"""Security headers: a strict Content-Security-Policy, a Permissions-Policy, and signed-in pages kept private.

Issue 18, finding 9: no CSP or Permissions-Policy header; workspace pages without Cache-Control: private.
"""

import base64
import hashlib
import re

import pytest
from django.contrib.auth.models import User

from minutes.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """The demo's accounts get passwords: the real hasher would take most of each test's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def secretary(client, demo) -> User:
    user = User.objects.create_user("sekreterare", password="x")
    demo.committee.secretaries.add(user)
    client.force_login(user)
    return user


def policy(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: values for name, *values in directives}


def workspace_urls(meeting: Meeting) -> list[str]:
    pk = meeting.pk
    return [
        "/",
        f"/namnd/{meeting.committee.slug}/",
        f"/sammantrade/{pk}/",
        f"/sammantrade/{pk}/narvaro/",
        f"/sammantrade/{pk}/paragraf/10/",
        f"/sammantrade/{pk}/historik/",
        f"/sammantrade/{pk}/justering/",
        f"/sammantrade/{pk}/protokoll.html",
        f"/sammantrade/{pk}/protokoll.txt",
        f"/sammantrade/{pk}/utdrag/10.html",
    ]


def test_every_kind_of_page_carries_a_strict_policy(client, demo, secretary):
    client.logout()
    anonymous = [client.get(url) for url in ("/protokoll/", "/konto/login/", "/anslagstavla/", "/verifiera/")]
    client.force_login(secretary)
    signed_in = [client.get(url) for url in workspace_urls(demo)]

    for response in anonymous + signed_in:
        assert response.status_code == 200, response.request["PATH_INFO"]
        directives = policy(response)
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"][0] == "'self'" and len(directives["script-src"]) <= 2  # and a nonce
        assert directives["object-src"] == directives["base-uri"] == directives["frame-ancestors"] == ["'none'"]
        assert "unsafe" not in response["Content-Security-Policy"]


def test_the_editors_scripts_carry_the_nonce_of_their_request(client, demo, secretary):
    url = f"/sammantrade/{demo.pk}/paragraf/10/"
    first, second = client.get(url), client.get(url)

    nonces = []
    for response in (first, second):
        (nonce,) = (value for value in policy(response)["script-src"] if value.startswith("'nonce-"))
        nonces.append(nonce[len("'nonce-") : -1])
        tags = re.findall(r"<script[^>]*>", response.text)
        assert tags and all(f'nonce="{nonces[-1]}"' in tag for tag in tags if "htmx" in tag)
    assert nonces[0] != nonces[1]
    assert '"allowEval": false' in first.text and '"includeIndicatorStyles": false' in first.text


def test_the_protocol_as_a_web_page_may_use_its_own_stylesheet_and_no_other_inline_style(client, demo, secretary):
    response = client.get(f"/sammantrade/{demo.pk}/protokoll.html")

    (style,) = re.findall(r"<style>(.*?)</style>", response.text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert policy(response)["style-src"] == ["'self'", f"'sha256-{digest}'"]
    assert policy(client.get("/"))["style-src"] == ["'self'"]


def test_every_page_carries_a_restrictive_permissions_policy(client, demo, secretary):
    urls = ["/protokoll/", "/konto/login/", "/health/", "/oparl/v1/system", *workspace_urls(demo)]
    for url in urls:
        features = dict(part.split("=") for part in client.get(url)["Permissions-Policy"].split(", "))
        assert features["camera"] == features["microphone"] == features["geolocation"] == "()", url
        assert features["payment"] == features["usb"] == "()"
        assert set(features.values()) == {"()", "(self)"}


def test_workspace_pages_are_private_and_never_stored(client, demo, secretary):
    for url in workspace_urls(demo):
        response = client.get(url)
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, (url, response["Cache-Control"])
        assert "public" not in directives


def test_an_htmx_answer_of_the_workspace_is_private_too(client, demo, secretary):
    response = client.get(f"/sammantrade/{demo.pk}/forsegling/", headers={"hx-request": "true"})
    assert response.status_code == 200
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}


def test_the_portal_keeps_its_public_caching_for_signed_in_visitors(client, demo, secretary):
    signed_in = client.get("/protokoll/")
    client.logout()
    anonymous = client.get("/protokoll/")

    assert signed_in["Cache-Control"] == anonymous["Cache-Control"]
    assert "public" in signed_in["Cache-Control"] and "private" not in signed_in["Cache-Control"]
    assert signed_in["ETag"] == anonymous["ETag"]


def test_the_login_page_stays_uncached(client):
    directives = {d.strip() for d in client.get("/konto/login/")["Cache-Control"].split(",")}
    assert {"private", "no-store", "no-cache"} <= directives


def test_a_pdf_is_only_kept_out_of_frames_so_the_browsers_viewer_can_show_it(client, demo, secretary):
    response = client.get(f"/sammantrade/{demo.pk}/paragraf/10.pdf")

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_every_page_names_its_icon_and_the_icon_is_served(client):
    from django.contrib.staticfiles import finders
    from django.urls import reverse

    page = client.get(reverse("login")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)

    assert icon is not None
    assert finders.find("favicon.svg").endswith("static/favicon.svg")
    assert icon.group(1).endswith("favicon.svg")


def test_the_browsers_own_icon_address_leads_to_the_icon(client):
    from django.templatetags.static import static

    response = client.get("/favicon.ico")

    assert (response.status_code, response["Location"]) == (301, static("favicon.svg"))
