"""Proves the browser stack end to end: Debian's Chromium, Playwright, live_server and the database."""


def test_admin_login_renders_in_swedish_in_chromium(live_server, page):
    page.goto(live_server.url + "/admin/login/")

    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("form#login-form input[name=username]").count() == 1
