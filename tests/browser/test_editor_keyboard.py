"""The § editor without a mouse, in Chromium: access keys, Tab, Space and Enter, with visible focus."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from minutes.models import Item, Meeting, Motion

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo() -> Meeting:
    call_command("loaddemo", "--draft", stdout=io.StringIO())
    meeting = Meeting.objects.get()
    user = User.objects.create_user("sekreterare", password="sekreterare-demo")
    meeting.committee.secretaries.add(user)
    return meeting


def open_editor(page, live_server, meeting: Meeting, number: int) -> None:
    """Sign in through the form with the keyboard, landing on the § editor."""
    url = f"/sammantrade/{meeting.pk}/paragraf/{number}/"
    page.goto(f"{live_server.url}/konto/login/?next={url}")
    page.focus("#id_username")
    page.keyboard.type("sekreterare")
    page.keyboard.press("Tab")
    page.keyboard.type("sekreterare-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{url}")


def access_key(page, key: str) -> None:
    """Press Alt and `key` as Chromium on Linux gets it from a person: key down, the character, key up.

    Playwright's keyboard.press("Alt+y") sends no character with Alt, and Chromium looks for an
    access key only on the character, so the events go to the browser through its own protocol.
    """
    session = page.context.new_cdp_session(page)
    event = {"modifiers": 1, "key": key, "code": f"Key{key.upper()}", "windowsVirtualKeyCode": ord(key.upper())}
    session.send("Input.dispatchKeyEvent", {**event, "type": "rawKeyDown"})
    session.send("Input.dispatchKeyEvent", {**event, "type": "char", "text": key, "unmodifiedText": key})
    session.send("Input.dispatchKeyEvent", {**event, "type": "keyUp"})
    session.detach()


def focused(page) -> dict:
    """What has the focus: its tag, id, name, its label (a field's label, a button's text), and its outline."""
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            const style = getComputedStyle(e);
            return {
                tag: e.tagName.toLowerCase(),
                id: e.id,
                name: e.getAttribute("name") || "",
                label: (e.labels && e.labels.length) ? e.labels[0].textContent.trim()
                    : e.tagName === "BUTTON" ? e.textContent.trim() : "",
                outline: `${style.outlineStyle} ${style.outlineWidth}`,
            };
        }"""
    )


def tab_to(page, label: str, *, back: bool = False, limit: int = 60) -> dict:
    """Press Tab (Shift+Tab with `back`) until the field or button labelled `label` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = focused(page)
        if now["label"] == label:
            return now
    raise AssertionError(f"Tab never reached {label!r}")


def test_adding_a_motion_with_the_keyboard_only_updates_the_preview(live_server, page, demo):
    open_editor(page, live_server, demo, 3)
    page.evaluate("window.notReloaded = true")

    access_key(page, "y")  # the motion form's access key, as listed on the page
    assert focused(page) == {"tag": "form", "id": "add-motion", "name": "", "label": "", "outline": "solid 3px"}
    page.keyboard.press("Tab")
    assert (focused(page)["name"], focused(page)["outline"]) == ("motion-kind", "solid 3px")
    page.keyboard.type("Bordläggning")  # a closed select picks the option typed
    assert page.eval_on_selector("#id_motion-kind", "select => select.value") == "table"
    tab_to(page, "Erik Nyström")
    page.keyboard.press("Space")
    tab_to(page, "Lägg till yrkande")  # the form's button
    page.keyboard.press("Enter")

    page.locator("#preview").get_by_text("Erik Nyström (M) yrkade att ärendet skulle bordläggas.").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert list(Motion.objects.filter(item__meeting=demo, item__number=3).values_list("kind", flat=True)) == ["table"]
    assert focused(page)["id"] == "motion-submit"  # the focus stays on the button after the swap


def test_enter_in_a_one_line_field_and_control_enter_in_a_text_box_save_the_item(live_server, page, demo):
    open_editor(page, live_server, demo, 3)

    access_key(page, "s")  # the save button's access key: it takes the focus and saves the §
    page.wait_for_function("() => document.querySelector('#editor input[name=version]').value === '2'")
    assert (focused(page)["id"], Item.objects.get(meeting=demo, number=3).version) == ("item-submit", 2)
    dnr = tab_to(page, "Dnr", back=True)
    page.keyboard.press("Control+a")
    page.keyboard.type("1.2.3-456/2016")
    page.keyboard.press("Enter")
    page.locator("#preview").get_by_text("Dnr 1.2.3-456/2016").wait_for()
    assert (dnr["name"], Item.objects.get(meeting=demo, number=3).dnr) == ("item-dnr", "1.2.3-456/2016")

    page.focus("#id_item-matter")
    page.keyboard.press("Control+End")
    page.keyboard.type("Ett nytt stycke.")
    page.keyboard.press("Control+Enter")
    page.locator("#preview").get_by_text("Ett nytt stycke.").wait_for()
    assert Item.objects.get(meeting=demo, number=3).matter.endswith("Ett nytt stycke.")


def test_the_preview_and_the_way_back_have_access_keys(live_server, page, demo):
    open_editor(page, live_server, demo, 10)
    access_key(page, "p")
    assert (focused(page)["id"], focused(page)["outline"]) == ("preview", "solid 3px")
    access_key(page, "t")
    page.wait_for_url(f"**/sammantrade/{demo.pk}/")
