"""The § editor in Chromium: sign in through the form, add a motion, watch the preview change in place."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from minutes.models import Meeting, Motion

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo() -> Meeting:
    call_command("loaddemo", "--draft", stdout=io.StringIO())
    meeting = Meeting.objects.get()
    user = User.objects.create_user("sekreterare", password="sekreterare-demo")
    meeting.committee.secretaries.add(user)
    return meeting


def sign_in(page, live_server, next_url: str) -> None:
    page.goto(f"{live_server.url}/konto/login/?next={next_url}")
    page.fill("#id_username", "sekreterare")
    page.fill("#id_password", "sekreterare-demo")
    page.click("form button[type=submit]")


def test_adding_a_motion_updates_the_preview_without_reloading(live_server, page, demo):
    url = f"/sammantrade/{demo.pk}/paragraf/3/"
    sign_in(page, live_server, url)
    page.wait_for_url(f"**{url}")
    page.evaluate("window.notReloaded = true")

    motion_form = page.locator("form", has=page.locator("input[name=action][value=motion]"))
    motion_form.locator("select[name=motion-kind]").select_option("table")
    motion_form.get_by_label("Erik Nyström").first.check()
    motion_form.get_by_role("button").click()

    preview = page.locator("#preview")
    preview.get_by_text("Erik Nyström (M) yrkade att ärendet skulle bordläggas.").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert list(Motion.objects.filter(item__number=3).values_list("kind", flat=True)) == ["table"]
    assert page.locator("html").get_attribute("lang") == "sv"
