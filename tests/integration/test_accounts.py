"""Signing in is throttled per account and per address; a password is reset by mail, or the page says it cannot be."""

import datetime
import io
import logging
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from committee.accounts import client_address

pytestmark = pytest.mark.django_db

LIMIT = 10  # PARAGRAF_LOGIN_FAILURE_LIMIT's default
PASSWORD = "rätt-lösenord-för-testet"
LOCKED = "För många misslyckade inloggningsförsök."
WRONG = "Ange ett korrekt användarnamn och lösenord."
ATTACKER = "198.51.100.7"
ELSEWHERE = "203.0.113.20"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def chair() -> User:
    return User.objects.create_user("ordforande", email="ordforande@example.se", password=PASSWORD)


def sign_in(client, username: str, password: str, *, address: str = ATTACKER, path: str = "/konto/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, times: int, username: str = "ordforande", *, address: str = ATTACKER, path: str = "/konto/login/"):
    return [sign_in(client, username, "fel", address=address, path=path).status_code for _ in range(times)]


# Throttling: finding 3 of issue 18 ("60 wrong passwords, all 200; then the right one signs in")


def test_after_the_limit_of_wrong_passwords_the_right_one_is_refused(client, chair):
    assert fail(client, LIMIT - 1) == [200] * (LIMIT - 1)
    last = sign_in(client, "ordforande", "fel")
    right = sign_in(client, "ordforande", PASSWORD)

    assert (last.status_code, right.status_code, signed_in(client)) == (429, 429, False)
    form = right.context["form"]
    assert form.non_field_errors() == [
        "För många misslyckade inloggningsförsök. Inloggning på det här kontot, eller från den här adressen, "
        "är spärrad i 30 minuter efter det senaste försöket. En administratör kan häva spärren tidigare."
    ]
    assert right.templates[0].name == "registration/login.html"  # the login page, with its form, in Swedish
    assert 'name="password"' in right.text


def test_wrong_passwords_below_the_limit_say_wrong_password(client, chair):
    response = sign_in(client, "ordforande", "fel")
    assert response.status_code == 200
    assert WRONG in response.context["form"].non_field_errors()[0]
    assert sign_in(client, "ordforande", PASSWORD).status_code == 302


def test_an_account_is_locked_whatever_addresses_the_failures_come_from(client, chair):
    for n in range(LIMIT):
        sign_in(client, "ordforande", "fel", address=f"192.0.2.{n + 1}")

    assert sign_in(client, "ordforande", PASSWORD, address=ELSEWHERE).status_code == 429
    other = User.objects.create_user("ledamot", password=PASSWORD)
    assert sign_in(client, other.username, PASSWORD, address="192.0.2.1").status_code == 302


def test_an_address_is_locked_whatever_accounts_it_tries(client, chair):
    for n in range(LIMIT):
        sign_in(client, f"gissning-{n}", "fel")

    assert sign_in(client, "ordforande", PASSWORD).status_code == 429
    assert not signed_in(client)
    assert sign_in(client, "ordforande", PASSWORD, address=ELSEWHERE).status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_count_against_another(client, chair):
    insider = User.objects.create_user("ledamot", password=PASSWORD)
    fail(client, LIMIT - 1)
    assert sign_in(client, insider.username, PASSWORD).status_code == 302
    client.logout()

    assert fail(client, 1) == [429]


def test_the_admin_login_is_throttled_too(client, chair):
    chair.is_staff = chair.is_superuser = True
    chair.save()
    fail(client, LIMIT, path="/admin/login/")

    response = sign_in(client, "ordforande", PASSWORD, path="/admin/login/")

    assert (response.status_code, signed_in(client)) == (429, False)
    assert response.templates[0].name == "admin/login.html"
    assert LOCKED in response.context["form"].non_field_errors()[0]


def test_failures_and_the_lockout_are_logged_with_account_and_address(client, chair, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        fail(client, LIMIT)

    lines = [record.getMessage() for record in caplog.records if record.name.startswith("axes")]
    assert len(lines) == LIMIT + 1  # each failure, and the lockout
    assert all('username: "ordforande", ip_address: "198.51.100.7"' in line for line in lines)
    assert ("New login failure" in lines[0], "Locking out" in lines[-1]) == (True, True)


def test_the_lockout_ends_after_the_cool_off_period(client, chair):
    fail(client, LIMIT)
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=31))

    assert sign_in(client, "ordforande", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("command", "argument"), [("axes_reset_username", "ordforande"), ("axes_reset_ip", ATTACKER), ("axes_reset", None)]
)
def test_an_administrator_lifts_a_lockout_with_a_command(client, chair, command, argument):
    fail(client, LIMIT)
    out = io.StringIO()
    call_command(command, *([argument] if argument else []), stdout=out)

    assert out.getvalue() == "1 attempts removed.\n"

    assert sign_in(client, "ordforande", PASSWORD).status_code == 302


def test_an_administrator_lifts_a_lockout_in_the_admin(client, chair):
    fail(client, LIMIT)
    admin = User.objects.create_superuser("admin", password=PASSWORD)
    client.force_login(admin)
    listing = client.get("/admin/axes/accessattempt/")
    attempt = AccessAttempt.objects.get()
    assert listing.status_code == 200 and "ordforande" in listing.text and ATTACKER in listing.text

    client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    client.logout()

    assert AccessAttempt.objects.count() == 0
    assert sign_in(client, "ordforande", PASSWORD).status_code == 302


def test_behind_the_proxy_each_client_is_counted_by_the_address_the_proxy_saw(client, chair, settings):
    settings.PARAGRAF_BEHIND_PROXY = True
    proxy = "10.0.0.5"
    for n in range(LIMIT):
        client.post(
            "/konto/login/",
            {"username": f"gissning-{n}", "password": "fel"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}",
        )

    right = {"username": "ordforande", "password": PASSWORD}
    blocked = client.post("/konto/login/", right, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    other = client.post("/konto/login/", right, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert (blocked.status_code, other.status_code) == (429, 302)


@pytest.mark.parametrize(
    ("behind_proxy", "forwarded", "expected"),
    [
        (False, "203.0.113.9", "10.0.0.5"),  # not behind a proxy: the header is the client's word, ignored
        (True, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the proxy appends the address it saw
        (True, "", "10.0.0.5"),
        (True, "not-an-address", "10.0.0.5"),
        (True, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, behind_proxy, forwarded, expected):
    settings.PARAGRAF_BEHIND_PROXY = behind_proxy
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


# Password reset: finding 9 of issue 18 ("says 'sent' with no mail settings")


def test_without_a_mail_server_the_reset_page_says_no_link_can_be_sent(client, chair, settings):
    settings.MAILERS = {}  # production without PARAGRAF_EMAIL_HOST

    page = client.get("/konto/password_reset/")
    sent = client.post("/konto/password_reset/", {"email": "ordforande@example.se"})
    done = client.get("/konto/password_reset/done/")
    login = client.get("/konto/login/")

    unavailable = "Den här installationen kan inte skicka e-post"
    assert (page.status_code, sent.status_code, done.status_code) == (200, 200, 200)
    assert unavailable in page.text and unavailable in sent.text and unavailable in done.text
    assert "på väg" not in done.text
    assert 'name="email"' not in page.text
    assert reverse("password_reset") not in login.text


def test_the_reset_mail_links_to_the_site_url_whatever_the_host(client, chair, settings, smtp_server):
    settings.ALLOWED_HOSTS = ["paragraf.example.se", "intern.example.se"]
    settings.PARAGRAF_SITE_URL = "https://paragraf.example.se"

    response = client.post(
        "/konto/password_reset/", {"email": "ordforande@example.se"}, headers={"host": "intern.example.se"}
    )

    assert response.status_code == 302
    (message,) = smtp_server.messages
    assert (smtp_server.recipients, message["To"], message["Subject"]) == (
        [["ordforande@example.se"]],
        "ordforande@example.se",
        "Paragraf: välj ett nytt lösenord",
    )
    links = re.findall(r"\S+://\S+", message.get_content())
    assert len(links) == 1 and links[0].startswith("https://paragraf.example.se/konto/reset/")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, chair, smtp_server):
    response = client.post("/konto/password_reset/", {"email": "okand@example.se"}, follow=True)

    assert "på väg" in response.text
    assert smtp_server.messages == []
