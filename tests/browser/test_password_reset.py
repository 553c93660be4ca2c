"""A forgotten password, as a person resets it: the link comes by mail over real SMTP, and works once."""

import re

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "sekreterare@example.se"
NEW_PASSWORD = "Ny-lösenordsfras-för-nämnden-2026"


def test_a_forgotten_password_is_reset_through_the_mailed_link(live_server, page, smtp_server):
    User.objects.create_user("sekreterare", email=ADDRESS, password="det-gamla-lösenordet")

    page.goto(live_server.url + "/konto/login/")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    page.fill("#id_email", ADDRESS)
    page.get_by_role("button", name="Skicka länken").click()
    page.get_by_text("är en länk för att välja ett nytt lösenord på väg dit").wait_for()

    (message,) = smtp_server.messages
    assert smtp_server.recipients == [[ADDRESS]]
    assert message["Subject"] == "Paragraf: välj ett nytt lösenord"
    (link,) = re.findall(r"http\S+", message.get_content())
    assert link.startswith(f"{live_server.url}/konto/reset/")  # without PARAGRAF_SITE_URL: the request's address

    page.goto(link)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    page.get_by_role("heading", name="Ditt nya lösenord är sparat").wait_for()

    page.get_by_role("link", name="Logga in").click()
    page.fill("#id_username", "sekreterare")
    page.fill("#id_password", NEW_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_text("sekreterare").first.is_visible()

    # The link has done its work: a second use is refused.
    page.goto(link)
    page.get_by_text("Länken fungerar inte längre").wait_for()
