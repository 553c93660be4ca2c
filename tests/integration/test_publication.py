"""An announced protocol written once as files at its announcement, and served from them."""

import hashlib
import re

import brotli
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from committee.models import Person
from minutes.demo import load_demo, publish_demo
from minutes.models import Meeting, PublishedFile
from minutes.publication import serve
from minutes.publication.write import publish_meeting
from tests.integration.test_storage import s3  # noqa: F401  (the moto bucket)

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture
def site(settings):
    settings.PARAGRAF_SITE_URL = SITE
    serve.forget()
    yield
    serve.forget()


@pytest.fixture
def announced(site, seal_certificate) -> Meeting:
    meeting = load_demo()
    publish_demo(meeting)
    return Meeting.objects.select_related("committee").get(pk=meeting.pk)


def portal(meeting: Meeting) -> str:
    return f"/protokoll/{meeting.committee.slug}/{meeting.year}/{meeting.number}/"


def stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def content(response) -> bytes:
    """The body, read whole and the file closed: a published file is streamed."""
    if not response.streaming:
        return response.content
    try:
        return b"".join(response.streaming_content)
    finally:  # not response.close(), whose request_finished would close the test's database connection
        for close in response._resource_closers:
            close()


def dynamic(client, path: str, **headers):
    """The address answered by its view: its files forgotten for the time of the request."""
    rows = list(PublishedFile.objects.filter(path=path))
    PublishedFile.objects.filter(path=path).delete()
    serve.forget()
    try:
        return client.get(path, headers=headers)
    finally:
        PublishedFile.objects.bulk_create(rows)
        serve.forget()


def test_announcing_writes_the_protocols_files_with_their_checksums(announced):
    files = {(f.path, f.encoding): f for f in PublishedFile.objects.filter(meeting=announced)}
    page = portal(announced)
    numbers = list(announced.items.order_by("number").values_list("number", flat=True))
    expected_pages = {page, f"/en{page}"} | {f"{lang}{page}paragraf-{n}/" for lang in ("", "/en") for n in numbers}
    assert expected_pages <= {path for path, _encoding in files}
    assert {(f"{page}protokoll.pdf", ""), (f"{page}anslagsbevis.pdf", "")} <= set(files)
    oparl = f"/oparl/v1/body/stockholms-stad/meeting/{announced.pk}"
    assert {encoding for path, encoding in files if path == oparl} == {"", "gzip", "br"}
    assert any("/agenda-item/" in path for path, _encoding in files)
    for published in files.values():
        data = stored(published.name)
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (published.sha256, published.size), published
    assert files[(page, "")].content_type == "text/html; charset=utf-8"
    assert files[(f"{page}protokoll.pdf", "")].content_type == "application/pdf"


def test_a_published_page_is_the_dynamic_page_byte_for_byte(client, announced):
    page = portal(announced)
    for path in (
        page,
        f"/en{page}paragraf-{announced.items.order_by('number').first().number}/",
        f"{page}protokoll.pdf",
    ):
        published = PublishedFile.objects.get(path=path, encoding="")
        served = client.get(path)
        assert served["ETag"] == f'"{published.sha256}"'  # from the file: its SHA-256 is its tag
        body = content(served)
        rendered = dynamic(client, path)
        if not path.endswith(".pdf"):  # a sealed PDF's view tags it with its SHA-256 too
            assert rendered["ETag"] != served["ETag"]  # from the view
        assert body == content(rendered), path
        for header in ("Content-Type", "Cache-Control", "Content-Language", "X-Frame-Options", "Permissions-Policy"):
            assert served.get(header) == rendered.get(header), (path, header)
        # The documented difference: the view's policy may name a nonce for that one answer.
        policy = re.sub(r" ?'nonce-[^']*'", "", rendered["Content-Security-Policy"])
        assert served["Content-Security-Policy"] == policy


def test_a_published_file_revalidates_with_304(client, announced):
    page = portal(announced)
    first = client.get(page)
    content(first)
    again = client.get(page, headers={"If-None-Match": first["ETag"]})
    assert (again.status_code, again["ETag"], again.content) == (304, first["ETag"], b"")


def test_a_signed_in_visitor_gets_the_page_from_its_view(client, announced):
    page = portal(announced)
    anonymous = client.get(page)
    content(anonymous)
    client.cookies["sessionid"] = "anything"
    signed_in = client.get(page)
    assert signed_in.status_code == 200
    assert signed_in["ETag"] != anonymous["ETag"]
    pdf = client.get(f"{page}protokoll.pdf")  # a file is the same for everyone
    content(pdf)
    assert pdf["ETag"] == f'"{PublishedFile.objects.get(path=f"{page}protokoll.pdf").sha256}"'


def test_oparl_objects_are_served_from_files_in_each_coding(client, announced):
    path = f"/oparl/v1/body/stockholms-stad/meeting/{announced.pk}"
    plain = client.get(path)
    packed = client.get(path, headers={"Accept-Encoding": "br, gzip"})
    gzipped = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert (packed["Content-Encoding"], gzipped["Content-Encoding"]) == ("br", "gzip")
    assert plain["ETag"] == f'"{PublishedFile.objects.get(path=path, encoding="").sha256}"'
    assert plain["Access-Control-Allow-Origin"] == "*"
    assert "Accept-Encoding" in packed["Vary"]
    body = content(plain)
    content(gzipped)
    assert brotli.decompress(content(packed)) == body
    assert body == dynamic(client, path).content
    encoded = "".join(f"%{ord(digit):X}" for digit in str(announced.pk))
    as_sent = f"/oparl/v1/body/stockholms-stad/meeting/{encoded}"
    assert client.get(as_sent, RAW_URI=as_sent).status_code == 404  # not the file of meeting/<pk>


def test_an_announced_protocols_files_are_never_written_again(client, announced):
    before = {(f.path, f.encoding): (f.name, f.sha256) for f in PublishedFile.objects.filter(meeting=announced)}
    person = Person.objects.filter(attendances__meeting=announced).first()
    person.first_name = "Omdöpt"
    person.save()
    assert [f for f in publish_meeting(announced) if not f.path.startswith("/oparl/")] == []
    after = {(f.path, f.encoding): (f.name, f.sha256) for f in PublishedFile.objects.filter(meeting=announced)}
    portal_files = {key: value for key, value in before.items() if not key[0].startswith("/oparl/")}
    assert {key: after[key] for key in portal_files} == portal_files
    assert "Omdöpt" not in content(client.get(portal(announced))).decode()


def test_verification_finds_a_corrupted_file_and_repairs_it(announced, capsys):
    published = PublishedFile.objects.get(path=portal(announced), encoding="")
    good = stored(published.name)
    default_storage.delete(published.name)
    default_storage.save(published.name, __import__("io").BytesIO(good.replace(b"Paragraf", b"Parafgra", 1)))
    with pytest.raises(CommandError, match="1 published file"):
        call_command("verify_published")
    assert f"BROKEN {published}" in capsys.readouterr().out
    call_command("verify_published", "--repair")
    assert f"repaired {published}" in capsys.readouterr().out
    assert stored(published.name) == good
    call_command("verify_published")
    assert ", 0 broken." in capsys.readouterr().out


def test_files_in_object_storage_are_served_the_same(client, s3, site, seal_certificate):  # noqa: F811
    meeting = load_demo()
    publish_demo(meeting)
    page = portal(Meeting.objects.select_related("committee").get(pk=meeting.pk))
    published = PublishedFile.objects.get(path=page, encoding="")
    assert stored(published.name) == content(client.get(page))
    assert hashlib.sha256(stored(published.name)).hexdigest() == published.sha256


def test_nginx_sends_the_file_when_asked_to(client, announced, settings):
    settings.PARAGRAF_PUBLISHED_ACCEL = "x-accel:/_published/"
    page = portal(announced)
    response = client.get(page)
    published = PublishedFile.objects.get(path=page, encoding="")
    assert (response["X-Accel-Redirect"], response.content) == (f"/_published/{published.name}", b"")
    assert response["Content-Type"] == "text/html; charset=utf-8"
