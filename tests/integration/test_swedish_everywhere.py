"""Swedish everywhere (issue 14): every staff and portal page, for every role, shows no English UI text.

The demo meeting is walked through its life (draft, sent for adjustment, adjusted, announced)
and at each stage every page each role may open is rendered in Swedish. A page fails on
- a known English UI word or phrase in its visible text or in the attributes people read
  (title, placeholder, aria-label, alt, a button's value), e.g. "- Select an option -" or a role
  shown as "chair"; and
- any text that is a msgid of the catalogue whose Swedish translation exists but was not used.
Statically, every msgid the templates and the Python code use must have a Swedish msgstr.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from lxml import html as lxml_html

from minutes import adjustment
from minutes.demo import load_demo
from minutes.models import Item, Meeting

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"

# English words and phrases a Swedish page never shows: matched as whole words, case as given.
ENGLISH = [
    "- Select an option -",
    "Select an option",
    *("chair", "Chair", "vice chair", "adjuster", "Adjuster", "registrar", "Registrar"),
    *("secretary", "Secretary", "substitute", "Substitute", "member", "Member"),
    *("Save", "Cancel", "Delete", "Remove", "Edit", "Submit", "Search", "Send", "Approve", "Approved"),
    *("Log in", "Log out", "Sign in", "Sign out", "Password", "Username", "Forgot"),
    *("Draft", "Adjusted", "Announced", "Sent for adjustment", "Locked", "Serving", "Absent"),
    *("Meeting", "Meetings", "Committee", "Committees", "Attendance", "Motion", "Motions", "Vote", "Votes"),
    *("Statement", "Decision", "Agenda", "Minutes", "Protocol", "Download"),
    *("Yes", "No", "None", "Next", "Previous", "Back", "Close", "Show", "Hide", "Loading", "Error", "Unknown"),
    *("Date", "Time", "Place", "Title", "Name", "Role", "Party", "Page", "Changes", "History"),
    *("This field is required", "Required", "Add", "Choose", "Please"),
    *("the", "and", "with", "from", "to the", "of the"),
]
ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(word) for word in ENGLISH) + r")(?![\w-])")
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


def translated_msgids() -> set[str]:
    """The msgids of our catalogue that have a Swedish msgstr (not fuzzy)."""
    text = CATALOGUE.read_text(encoding="utf-8")
    done: set[str] = set()
    for entry in re.split(r"\n\s*\n", text):
        if "#, fuzzy" in entry or "msgid_plural" in entry:
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', entry, re.M)
        if match:
            msgid, msgstr = (unquote(part) for part in match.groups())
            if msgid and msgstr:
                done.add(msgid)
    return done


def unquote(block: str) -> str:
    return "".join(ast.literal_eval(line.strip()) for line in block.strip().splitlines())


def has_swedish(msgid: str, ours: set[str]) -> bool:
    """Translated by our catalogue, or by Django's or an app's (they come with their own Swedish)."""
    with translation.override("sv"):
        return msgid in ours or translation.gettext(msgid) != msgid


# Where a msgid is used: {% translate "…" %} in templates, _("…") and gettext("…") in Python.
TEMPLATE_MSGID = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
PYTHON_MSGID = re.compile(
    r"""(?<![\w.])(?:_|gettext|gettext_lazy|pgettext|pgettext_lazy)\(\s*(?:"[^"]*",\s*)?"((?:[^"\\]|\\.)*)"\s*[,)]"""
)


def used_msgids() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for match in TEMPLATE_MSGID.finditer(path.read_text(encoding="utf-8")):
            yield str(path.relative_to(ROOT)), match.group(2)
    for folder in ("committee", "minutes", "paragraf"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for match in PYTHON_MSGID.finditer(path.read_text(encoding="utf-8")):
                yield str(path.relative_to(ROOT)), ast.literal_eval(f'"{match.group(1)}"')


def test_every_msgid_used_has_a_swedish_msgstr():
    ours = translated_msgids()
    used = list(used_msgids())
    assert len(used) > 300  # the scan finds the strings (it would pass vacuously otherwise)
    missing = sorted({f"{where}: {msgid!r}" for where, msgid in used if not has_swedish(msgid, ours)})
    assert not missing, "msgids without Swedish:\n" + "\n".join(missing)


def test_the_checker_catches_what_the_issue_names():
    page = (
        '<html><body><select><option value="">- Select an option -</option></select>'
        "<td>chair</td><span title='Adjuster'>x</span><p>Justerare: Sofia Bergqvist</p></body></html>"
    )
    found = english_in(page, untranslated=set())
    assert found == ["- Select an option -", "chair", "Adjuster"]


def visible_texts(page: str) -> Iterator[str]:
    """The text people read: text nodes outside scripts and styles, and the attributes read aloud or shown.

    What is marked lang="en" (the link to the portal's English version) is English on purpose.
    """
    tree = lxml_html.fromstring(page)
    hidden = {"script", "style", "template"}
    for element in tree.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            continue
        english = any(e.get("lang", "").startswith("en") for e in (element, *element.iterancestors()))
        if not english and element.tag not in hidden:
            yield element.text or ""
            yield from (element.get(attribute, "") for attribute in READ_ATTRIBUTES)
            if element.tag in ("input", "button") and element.get("type") in ("submit", "button", "reset"):
                yield element.get("value", "")
        if element.tail and not any(e.get("lang", "").startswith("en") for e in element.iterancestors()):
            yield element.tail


def english_in(page: str, *, untranslated: set[str]) -> list[str]:
    found: list[str] = []
    for text in visible_texts(page):
        found += ENGLISH_RE.findall(text)
        stripped = " ".join(text.split())
        if stripped in untranslated:
            found.append(stripped)
    return found


def untranslated_msgids(ours: set[str]) -> set[str]:
    """Catalogue msgids that read differently in Swedish: seen verbatim on a page, they were not translated."""
    with translation.override("sv"):
        return {
            msgid
            for msgid in ours
            # Short marks such as "§" read the same in a table header whatever their msgstr says.
            if "%" not in msgid and len(msgid) > 2 and translation.gettext(msgid) != msgid
        }


class Pages:
    """Renders pages as one role and collects what is English on them."""

    def __init__(self, untranslated: set[str]):
        self.untranslated = untranslated
        self.problems: dict[str, list[str]] = {}
        self.rendered: list[tuple[str, str]] = []

    def check(self, role: str, client: Client, url: str) -> None:
        response = client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE="sv")
        assert response.status_code == 200, f"{role} {url}: {response.status_code}"
        if "text/html" not in response["Content-Type"]:
            return
        self.rendered.append((role, url))
        found = english_in(response.content.decode(), untranslated=self.untranslated)
        if found:
            self.problems[f"{role} {url}"] = sorted(set(found))


def clients() -> dict[str, Client]:
    User = get_user_model()
    roles = {
        "secretary": "helena.wik",
        "chair": "lars.back",
        "adjuster": "sofia.bergqvist",
        "registrar": "registrator",
        "member": "peter.oberg",
    }
    logged_in = {}
    for role, username in roles.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        logged_in[role] = client
    return {**logged_in, "citizen": Client()}


def staff_draft_urls(meeting: Meeting) -> list[str]:
    pk = meeting.pk
    items = list(meeting.items.order_by("position"))
    return [
        reverse("minutes:committee-list"),
        reverse("minutes:meeting-list", args=[meeting.committee.slug]),
        reverse("minutes:meeting-detail", args=[pk]),
        reverse("minutes:attendance", args=[pk]),
        reverse("minutes:meeting-edit", args=[pk]),
        *(reverse("minutes:item-edit", args=[pk, item.number]) for item in items),
        reverse("minutes:audit-trail", args=[pk]),
        reverse("minutes:item-audit-trail", args=[pk, items[0].number]),
        reverse("minutes:protocol-document", args=[pk, "html"]),
        reverse("minutes:my-adjustments"),
    ]


def portal_urls(meeting: Meeting, item: Item) -> list[str]:
    committee, year, number = meeting.committee.slug, meeting.date.year, meeting.number
    person = meeting.chair
    party = person.memberships.first().party.abbreviation
    return [
        reverse("portal:start"),
        reverse("portal:search") + "?q=f%C3%B6rskola",
        reverse("portal:committee", args=[committee]),
        reverse("portal:meeting", args=[committee, year, number]),
        reverse("portal:item", args=[committee, year, number, item.number]),
        reverse("portal:person", args=[person.pk]),
        reverse("portal:party", args=[party]),
        reverse("portal:matter", args=[item.dnr]),
        reverse("notice-board"),
        reverse("notice-archive"),
        reverse("verify"),
    ]


def test_every_page_for_every_role_is_in_swedish(seal_certificate):
    meeting = load_demo()
    pages = Pages(untranslated_msgids(translated_msgids()))
    people = clients()
    secretary_user = get_user_model().objects.get(username="helena.wik")
    pk = meeting.pk

    # Draft: the secretary's workspace; everyone's start and their list of protocols to approve.
    for url in staff_draft_urls(meeting):
        pages.check("secretary", people["secretary"], url)
    for role in ("chair", "adjuster", "registrar", "member"):
        pages.check(role, people[role], reverse("minutes:committee-list"))
        pages.check(role, people[role], reverse("minutes:my-adjustments"))
    for url in (reverse("login"), reverse("password_reset"), reverse("password_reset_done")):
        pages.check("citizen", people["citizen"], url)

    # Sent for adjustment: the adjustment page for each signer and the secretary.
    round = adjustment.send_for_adjustment(meeting, user=secretary_user)
    for role in ("secretary", "chair", "adjuster"):
        pages.check(role, people[role], reverse("minutes:adjustment", args=[pk]))
        pages.check(role, people[role], reverse("minutes:my-adjustments"))
    pages.check("secretary", people["secretary"], reverse("minutes:meeting-detail", args=[pk]))
    seed = meeting.items.get(number=10)
    pages.check("secretary", people["secretary"], reverse("minutes:item-edit", args=[pk, seed.number]))

    # Adjusted and sealed: the export page and the sealing state.
    adjustment.approve(round, user=people_user("lars.back"))
    adjustment.approve(round, user=people_user("sofia.bergqvist"))
    for role in ("secretary", "chair", "adjuster"):
        pages.check(role, people[role], reverse("minutes:adjustment", args=[pk]))
    for role in ("secretary", "registrar"):
        pages.check(role, people[role], reverse("minutes:export", args=[pk]))
        pages.check(role, people[role], reverse("minutes:sealing", args=[pk]))

    # Announced: the portal, the notice board and the seal check, for everyone.
    adjustment.announce(meeting, user=people_user("registrator"), posted_on=timezone.localdate())
    pages.check("registrar", people["registrar"], reverse("minutes:export", args=[pk]))
    for role, client in people.items():
        for url in portal_urls(meeting, seed):
            pages.check(role, client, url)

    assert len(pages.rendered) > 60
    report = "\n".join(f"{where}: {', '.join(words)}" for where, words in sorted(pages.problems.items()))
    assert not pages.problems, "English on Swedish pages:\n" + report


def people_user(username: str):
    return get_user_model().objects.get(username=username)
