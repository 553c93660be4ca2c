"""The § editor's keyboard shortcuts: each one listed on the page is an access key of one element."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import serving_meeting

pytestmark = pytest.mark.django_db

# Each listed key and the element it belongs to: (tag, id or the link it follows).
EXPECTED = {
    "S": ("button", "item-submit"),
    "Y": ("form", "add-motion"),
    "B": ("form", "add-proposition"),
    "J": ("form", "add-recusal"),
    "R": ("form", "add-reservation"),
    "U": ("form", "add-statement"),
    "P": ("div", "preview"),
    "T": ("a", "meeting"),
}


class Keys(HTMLParser):
    """The elements with an access key, and the keys listed in the table of shortcuts."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, str, dict]] = []  # (key, tag, attributes)
        self.listed: list[str] = []
        self.in_table = self.in_kbd = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "accesskey" in attributes:
            self.elements.append((attributes["accesskey"], tag, attributes))
        if tag == "table" and attributes.get("id") == "shortcut-keys":
            self.in_table = True
        self.in_kbd = self.in_table and tag == "kbd"

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_table = False
        if tag == "kbd":
            self.in_kbd = False

    def handle_data(self, data):
        if self.in_kbd:
            self.listed.append(data)


def keys_of(html: str) -> Keys:
    parser = Keys()
    parser.feed(html)
    return parser


@pytest.fixture
def meeting():
    return serving_meeting(n_members=5, n_items=2)


@pytest.fixture
def secretary(client, meeting):
    user = User.objects.create_user("sekreterare", password="x")
    meeting.committee.secretaries.add(user)
    client.force_login(user)
    return client


def test_every_listed_shortcut_is_the_access_key_of_one_element(secretary, meeting):
    page = keys_of(secretary.get(reverse("minutes:item-edit", args=[meeting.pk, 2])).content.decode())
    keys = [key for key, _tag, _attributes in page.elements]
    meeting_url = reverse("minutes:meeting-detail", args=[meeting.pk])
    found = {
        key.upper(): (tag, "meeting" if attributes.get("href") == meeting_url else attributes.get("id"))
        for key, tag, attributes in page.elements
    }
    assert (page.listed, sorted(keys), found) == (list(EXPECTED), sorted(k.lower() for k in EXPECTED), EXPECTED)


def test_the_htmx_answer_keeps_the_access_keys_inside_the_editor(secretary, meeting):
    url = reverse("minutes:item-edit", args=[meeting.pk, 2])
    item = meeting.items.get(number=2)
    data = {"action": "item", "version": item.version, "item-version": item.version, "item-title": item.title}
    answer = keys_of(secretary.post(url, data, headers={"HX-Request": "true"}).content.decode())
    assert sorted(key for key, _tag, _attributes in answer.elements) == ["b", "j", "p", "r", "s", "u", "y"]


def test_the_editor_loads_the_keyboard_script_and_its_forms_can_take_the_focus(secretary, meeting):
    page = secretary.get(reverse("minutes:item-edit", args=[meeting.pk, 2])).content.decode()
    forms = [attributes for _key, tag, attributes in keys_of(page).elements if tag == "form"]
    assert '<script src="/static/editor-keys.js" defer></script>' in page
    assert [form.get("tabindex") for form in forms] == ["-1"] * 5
