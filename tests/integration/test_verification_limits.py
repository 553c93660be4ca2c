"""The public verification page's limits: an upload's size, the CPU a check takes, and checks per address."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from minutes.seal import verify
from minutes.seal.verify import MAX_UPLOAD_BYTES, NOT_PDF, TOO_COMPLEX, TOO_LARGE
from minutes.views import public
from tests.unit.test_seal_limits import slow_pdf

pytestmark = pytest.mark.django_db

TOO_MANY = "Du har kontrollerat många filer på kort tid."


class Unread(io.RawIOBase):
    """A request body that must not be read."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        raise AssertionError("the upload was read")


def upload(data: bytes) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = "protokoll.pdf"
    return file


@pytest.mark.parametrize("size", [MAX_UPLOAD_BYTES + 1024 * 1024, 10**12])
def test_an_upload_over_the_limit_is_refused_before_anything_reads_it(seal_certificate, size):
    """With the CSRF check on, as in production: that check reads the body, so it must come after the size."""
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("verify"))
    response = client.generic(
        "POST",
        reverse("verify"),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(size),
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
        **{"wsgi.input": Unread()},
    )
    assert (response.status_code, TOO_LARGE in response.content.decode()) == (413, True)
    assert "högst 20 MB" in TOO_LARGE


def test_the_csrf_check_still_guards_an_upload_within_the_limit(seal_certificate):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("verify"), {"file": upload(b"hello")}).status_code == 403
    client.get(reverse("verify"))
    response = client.post(
        reverse("verify"), {"file": upload(b"hello"), "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )
    assert (response.status_code, NOT_PDF in response.content.decode()) == (200, True)


def test_a_pdf_made_to_be_slow_is_refused_when_its_time_is_up(client, seal_certificate, monkeypatch):
    monkeypatch.setattr(verify, "CHECK_CPU_SECONDS", 1)
    response = client.post(reverse("verify"), {"file": upload(slow_pdf(4))})
    assert (response.status_code, TOO_COMPLEX in response.content.decode()) == (200, True)


def test_an_address_may_check_a_few_files_in_a_while(seal_certificate):
    here, there = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    statuses = [here.post(reverse("verify"), {"file": upload(b"hello")}).status_code for _ in range(11)]
    refused = here.post(reverse("verify"), {"file": upload(b"hello")})
    assert statuses == [200] * public.CHECKS_PER_ADDRESS + [429]
    assert (refused["Retry-After"], TOO_MANY in refused.content.decode()) == ("600", True)
    assert there.post(reverse("verify"), {"file": upload(b"hello")}).status_code == 200
    assert here.get(reverse("verify")).status_code == 200  # reading the page is free


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(seal_certificate, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy = Client(REMOTE_ADDR="10.0.0.1")

    def check(forwarded: str) -> int:
        return proxy.post(reverse("verify"), {"file": upload(b"hello")}, HTTP_X_FORWARDED_FOR=forwarded).status_code

    # The client may send any X-Forwarded-For; the proxy appends the address it saw, and that one counts.
    statuses = [check(f"198.51.100.{n}, 192.0.2.1") for n in range(11)]
    assert (statuses, check("192.0.2.2")) == ([200] * 10 + [429], 200)


def test_without_a_proxy_a_forwarded_address_is_not_believed(seal_certificate):
    client = Client(REMOTE_ADDR="192.0.2.3")
    statuses = [
        client.post(reverse("verify"), {"file": upload(b"hello")}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(11)
    ]
    assert statuses == [200] * 10 + [429]
