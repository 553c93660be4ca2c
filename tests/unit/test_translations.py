"""The Swedish catalogue is complete, keeps its placeholders, and is what Django serves for "sv"."""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_FILE = LOCALE_DIR / "sv" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")

# %(name)s, %(count)d, %s, %d … ("%%" is a literal percent sign, not a placeholder) and {{ var }}.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrcxXeEgGo]")
BRACE_PLACEHOLDER = re.compile(r"\{\{\s*[^}]+?\s*\}\}")


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """A small PO parser: flags, msgctxt, msgid, msgid_plural and msgstr / msgstr[n], with continuation lines."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, target
        if entry.msgstr:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if entry.msgstr:
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            if entry.msgstr:
                finish()
        elif line.startswith("msgctxt "):
            if entry.msgstr:
                finish()
            entry.msgctxt = ast.literal_eval(line[len("msgctxt ") :])
            target = ("msgctxt", 0)
        elif line.startswith("msgid_plural "):
            entry.msgid_plural = ast.literal_eval(line[len("msgid_plural ") :])
            target = ("msgid_plural", 0)
        elif line.startswith("msgid "):
            if entry.msgstr:
                finish()
            entry.msgid = ast.literal_eval(line[len("msgid ") :])
            entry.line = number
            target = ("msgid", 0)
        elif line.startswith("msgstr"):
            key, _, value = line.partition(" ")
            index = int(key[len("msgstr[") : -1]) if key.startswith("msgstr[") else 0
            entry.msgstr[index] = ast.literal_eval(value)
            target = ("msgstr", index)
        elif line.startswith('"') and target is not None:
            text = ast.literal_eval(line)
            kind, index = target
            if kind == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + text
            elif kind == "msgid":
                entry.msgid += text
            elif kind == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + text
            else:
                entry.msgstr[index] += text
        else:
            raise AssertionError(f"{path}:{number}: cannot parse {raw!r}")
    finish()
    return entries


def placeholders(text: str) -> list[str]:
    text = text.replace("%%", "")
    return sorted(PERCENT_PLACEHOLDER.findall(text) + [re.sub(r"\s", "", m) for m in BRACE_PLACEHOLDER.findall(text)])


ENTRIES = parse_po(PO_FILE)
MESSAGES = [entry for entry in ENTRIES if entry.msgid]


def entry_id(entry: Entry) -> str:
    return f"line {entry.line}: {entry.msgid[:40]}"


def test_the_catalogue_has_messages() -> None:
    assert len(MESSAGES) > 100


def test_header_declares_swedish_utf8_and_plural_forms() -> None:
    (header,) = [entry for entry in ENTRIES if not entry.msgid]
    text = header.msgstr[0]
    assert "Language: sv\n" in text
    assert "charset=UTF-8" in text
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in text
    assert "fuzzy" not in header.flags


@pytest.mark.parametrize("entry", MESSAGES, ids=entry_id)
def test_entry_is_translated_and_not_fuzzy(entry: Entry) -> None:
    assert "fuzzy" not in entry.flags
    expected_forms = {0, 1} if entry.msgid_plural is not None else {0}
    assert set(entry.msgstr) == expected_forms
    assert all(text.strip() for text in entry.msgstr.values())


@pytest.mark.parametrize("entry", MESSAGES, ids=entry_id)
def test_entry_keeps_its_placeholders(entry: Entry) -> None:
    singular = placeholders(entry.msgid)
    plural = placeholders(entry.msgid_plural) if entry.msgid_plural is not None else singular
    for index, text in entry.msgstr.items():
        expected = singular if index == 0 else plural
        # A Swedish singular may spell out "one" instead of %(count)d, as gettext allows.
        if index == 0 and entry.msgid_plural is not None:
            assert set(placeholders(text)) <= set(expected) | set(plural)
        else:
            assert placeholders(text) == expected, f"msgstr[{index}] {text!r}"


def test_django_serves_the_swedish_catalogue() -> None:
    with translation.override("sv"):
        assert translation.gettext("Sign in") == "Logga in"
        assert translation.gettext("Motions") == "Yrkanden"
        assert translation.gettext("Decision procedure") == "Beslutsgång"
        assert translation.pgettext("agenda change", "title") == "rubrik"  # beside "title" → "titel"
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"
