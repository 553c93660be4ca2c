"""The exchange format's name, version and JSON Schema, and how a refused file is reported."""

import collections
import datetime
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError

from committee.bounds import validate_protocol_date

FORMAT = "paragraf-meeting"
VERSION = 2
READABLE = (1, 2)  # a version-1 file has no style block: it prints with the committee's style
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "exchange" / "meeting.schema.json"
PLAIN_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9_]*")
MAX_DEPTH = 32  # the format itself nests eight levels deep


@dataclass(frozen=True)
class Problem:
    path: str  # a JSON path into the document, such as "$.meeting.items[9].motions[0].movers"
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ExchangeError(Exception):
    """A document that cannot be imported, with every problem found and where it is."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def refuse(path: str, message: str) -> ExchangeError:
    return ExchangeError([Problem(path, message)])


def child(path: str, key: str | int) -> str:
    """The JSON path of a member or an element below `path`, written as jsonschema writes it."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if PLAIN_NAME.fullmatch(key):
        return f"{path}.{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{path}['{escaped}']"


@functools.cache
def meeting_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


class _Repeated(dict):
    """An object in which a key occurs more than once: JSON allows it, but which value was meant?"""

    def __init__(self, pairs: list[tuple[str, Any]], repeated: list[str]) -> None:
        super().__init__(pairs)
        self.repeated = repeated


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    counts = collections.Counter(key for key, _value in pairs)
    return _Repeated(pairs, [key for key in found if counts[key] > 1])


def parse(text: str | bytes) -> Any:
    """The document, or ExchangeError for text that is no JSON, nests too deeply or repeats a key."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise refuse("$", _("The file is not UTF-8 text: %(error)s.") % {"error": error}) from None
    too_deep = _("The file nests lists or objects too deeply (at most %(levels)s levels).") % {"levels": MAX_DEPTH}
    try:
        document = json.loads(text, object_pairs_hook=_object)
    except json.JSONDecodeError as error:
        raise refuse(
            "$",
            _("The file is not valid JSON at line %(line)s, column %(column)s: %(error)s.")
            % {"line": error.lineno, "column": error.colno, "error": error.msg},
        ) from None
    except RecursionError:  # the decoder's own limit, far deeper than MAX_DEPTH
        raise refuse("$", too_deep) from None
    problems: list[Problem] = []
    # Walked with a stack, not by recursion: the checks after this one recurse, and must not meet a deep file.
    stack: list[tuple[str, Any, int]] = [("$", document, 0)]
    while stack:
        path, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise refuse("$", too_deep)
        if isinstance(value, _Repeated):
            problems += [
                Problem(path, _('The key "%(key)s" occurs twice in the same object.') % {"key": key})
                for key in value.repeated
            ]
        children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        stack += [(child(path, key), item, depth + 1) for key, item in reversed(list(children))]
    if problems:
        raise ExchangeError(problems)
    return document


def check_format(document: Any) -> None:
    """Refuse another format or version before the schema, whose messages would only confuse."""
    if not isinstance(document, dict):
        raise refuse("$", _("The document must be a JSON object."))
    if "format" in document and document["format"] != FORMAT:
        raise refuse(
            "$.format",
            _("This is not a Paragraf meeting file: the format is %(found)s, not %(format)s.")
            % {"found": json.dumps(document["format"], ensure_ascii=False), "format": json.dumps(FORMAT)},
        )
    if "version" in document and (type(document["version"]) is not int or document["version"] not in READABLE):
        raise refuse(
            "$.version",
            _("Version %(found)s is not supported: this Paragraf reads versions %(versions)s.")
            % {
                "found": json.dumps(document["version"], ensure_ascii=False),
                "versions": ", ".join(str(number) for number in READABLE),
            },
        )


def _protocol_date(instance: object, format: str) -> bool:
    """The standard format, and a date within the years a protocol can carry (committee.bounds)."""
    if not Draft202012Validator.FORMAT_CHECKER.conforms(instance, format):
        return False
    if isinstance(instance, str):
        validate_protocol_date(datetime.date.fromisoformat(instance[:10]))  # raises ValidationError
    return True


FORMATS = FormatChecker()
for _format in ("date", "date-time"):
    FORMATS.checks(_format, raises=ValidationError)(functools.partial(_protocol_date, format=_format))


def schema_problems(document: Any) -> list[Problem]:
    validator = Draft202012Validator(meeting_schema(), format_checker=FORMATS)
    problems: list[Problem] = []
    for error in validator.iter_errors(document):
        for problem in _problems(error):
            if problem not in problems:
                problems.append(problem)
    return problems


def _problems(error: SchemaError) -> list[Problem]:
    """Name a missing field by its own path, which is where a reader will look for it."""
    if error.validator == "required" and isinstance(error.instance, dict):
        return [
            Problem(child(error.json_path, name), _("This required field is missing."))
            for name in error.validator_value
            if name not in error.instance
        ]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        return [
            Problem(child(error.json_path, name), _("This field is not part of the format."))
            for name in error.instance
            if name not in allowed
        ]
    if error.validator == "format" and isinstance(error.cause, ValidationError):
        return [Problem(error.json_path, message) for message in error.cause.messages]
    return [Problem(error.json_path, error.message)]
