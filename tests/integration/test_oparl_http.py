"""The OParl API's HTTP, as a browser app and a harvesting client meet it: errors, writes, preflight, caching, gzip."""

import gzip
import hashlib
import json

import brotli
import pytest
from django.test import Client

from committee.models import Person
from minutes.demo import load_demo, publish_demo
from minutes.models import Meeting
from minutes.oparl import views

pytestmark = pytest.mark.django_db

ROOT = "http://testserver/oparl/v1/"
BODY = ROOT + "body/stockholms-stad"


@pytest.fixture
def published(seal_certificate) -> Meeting:
    meeting = load_demo()
    publish_demo(meeting)
    return meeting


def meeting_url(meeting: Meeting) -> str:
    return f"{BODY}/meeting/{meeting.pk}"


def assert_json_error(response, status: int) -> dict:
    assert (response.status_code, response["Content-Type"], response["Access-Control-Allow-Origin"]) == (
        status,
        "application/json; charset=utf-8",
        "*",
    )
    body = response.json()
    assert body["status"] == status
    return body


def test_a_failing_view_answers_a_json_500_with_cors(client, published, monkeypatch, caplog):
    def broken(*args):
        raise RuntimeError("the database went away")

    monkeypatch.setitem(views.LISTS, "meetings", broken)
    body = assert_json_error(client.get(f"{BODY}/meetings"), 500)
    assert "the database went away" not in json.dumps(body)  # logged, not told to the world
    assert "the database went away" in caplog.text


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_a_json_405_even_with_the_csrf_check_on(published, method):
    browser = Client(enforce_csrf_checks=True)  # as a real client meets it: no CSRF token
    for url in (ROOT + "system", meeting_url(published), f"{BODY}/meetings", ROOT + "finns-inte", ROOT):
        response = getattr(browser, method)(url, data="{}", content_type="application/json")
        assert_json_error(response, 405)
        assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_a_preflight_lets_a_browser_app_revalidate(client, published):
    response = client.options(
        meeting_url(published),
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "if-none-match" in response["Access-Control-Allow-Headers"].lower()
    assert int(response["Access-Control-Max-Age"]) > 0


def test_an_object_carries_validators_and_revalidates_with_304(client, published):
    url = meeting_url(published)
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    assert etag.strip('"').startswith(hashlib.sha256(first.content).hexdigest()[:40])
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    assert "ETag" in first["Access-Control-Expose-Headers"]

    again = client.get(url, headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again["ETag"], again["Access-Control-Allow-Origin"]) == (
        304,
        b"",
        etag,
        "*",
    )
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_a_change_changes_the_tag_and_ends_the_304s(client, published):
    url = f"{BODY}/persons"
    before = client.get(url)
    assert client.get(url, headers={"If-None-Match": before["ETag"]}).status_code == 304
    person = Person.objects.filter(memberships__isnull=False).first()
    person.first_name = "Omdöpt"
    person.save()
    after = client.get(url, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "Omdöpt" in after.content.decode()


def test_a_client_that_accepts_gzip_gets_it_with_its_own_tag(client, published):
    url = f"{BODY}/meetings"
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(packed.content) < len(plain.content) / 3
    assert packed["ETag"] != plain["ETag"]
    assert client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": packed["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-None-Match": packed["ETag"]}).status_code == 200  # not that coding
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused


def test_a_client_that_accepts_brotli_gets_it_before_gzip(client, published):
    url = f"{BODY}/meetings"
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed["Content-Encoding"] == "br"
    assert "Accept-Encoding" in packed["Vary"]
    assert json.loads(brotli.decompress(packed.content)) == plain.json()
    gzipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert len(packed.content) < len(gzipped.content)
    assert packed["ETag"] not in (plain["ETag"], gzipped["ETag"])
    assert client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": packed["ETag"]}).status_code == 304
    refused = client.get(url, headers={"Accept-Encoding": "br;q=0, gzip"})
    assert refused["Content-Encoding"] == "gzip"


def test_the_system_names_the_license_and_leads_to_the_documentation(client, published, settings):
    settings.PARAGRAF_OPARL_CONTACT_EMAIL = "registrator@stockholm.se"
    system = client.get(ROOT + "system").json()
    body = client.get(BODY).json()
    for found in (system, body):
        assert found["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
        assert found["contactEmail"] == "registrator@stockholm.se"
        assert "contactName" not in found  # not set: not served empty
    documentation = client.get(system["paragraf:documentation"])
    assert documentation.status_code == 200
    text = documentation.content.decode()
    for documented in ("yesMotion", "paragraf:sha256Checksum", "If-None-Match"):
        assert documented in text
    schema = client.get(system["paragraf:extensionSchema"]).json()
    vote = schema["definitions"]["vote"]["properties"]
    assert all("description" in vote[key] for key in ("question", "yesMotion", "noMotion"))
    assert "description" in schema["definitions"]["section"]["properties"]["kind"]


def test_an_id_is_served_at_one_address_only(client, published):
    assert client.get(meeting_url(published)).status_code == 200
    assert_json_error(client.get(f"{BODY}/meeting/0{published.pk}"), 404)


def test_a_percent_encoded_digit_is_not_the_id(client, published):
    """`meeting/%31` is `meeting/1` written otherwise: a 404 like `meeting/01` (gunicorn passes the path as sent)."""
    encoded = "".join(f"%{ord(digit):X}" for digit in str(published.pk))
    as_sent = f"/oparl/v1/body/stockholms-stad/meeting/{encoded}"
    response = client.get(as_sent, RAW_URI=as_sent, REQUEST_URI=as_sent)
    body = assert_json_error(response, 404)
    assert encoded in body["message"]
    plain = f"/oparl/v1/body/stockholms-stad/meeting/{published.pk}"
    assert client.get(plain, RAW_URI=plain, REQUEST_URI=plain).json()["id"] == meeting_url(published)


def test_empty_parameters_are_absent_ones(client, published):
    plain = client.get(f"{BODY}/meetings").json()
    for empty in ({"limit": ""}, {"page": ""}, {"modified_since": ""}):
        found = client.get(f"{BODY}/meetings", empty).json()
        assert [m["id"] for m in found["data"]] == [m["id"] for m in plain["data"]], empty
