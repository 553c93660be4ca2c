"""The exchange format's JSON Schema: valid, versioned as the code is, and in step with the models."""

import pytest
from django.db import models
from jsonschema import Draft202012Validator

from committee.models import NumberingScheme, Role, Tense
from minutes.exchange import FORMAT, VERSION
from minutes.exchange.dump import COMMITTEE_FIELDS
from minutes.exchange.load import ITEM_FIELDS
from minutes.exchange.schema import READABLE, meeting_schema
from minutes.models import (
    AttendanceFunction,
    BallotChoice,
    CastingVote,
    MeetingStatus,
    MotionKind,
    PropositionKind,
    StatementKind,
)

SCHEMA = meeting_schema()
DEFS = SCHEMA["$defs"]


def test_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(SCHEMA)  # raises SchemaError if not

    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_version_equals_the_code_version():
    assert SCHEMA["properties"]["version"] == {"enum": list(READABLE)}
    assert READABLE[-1] == VERSION
    assert SCHEMA["then"] == {"required": ["style"]}  # from version 2 on, the style is in the file
    assert SCHEMA["$id"] == f"urn:paragraf:exchange:meeting:{VERSION}"


def test_schema_format_equals_the_code_format():
    assert SCHEMA["properties"]["format"] == {"const": FORMAT}


@pytest.mark.parametrize(
    ("definition", "field", "choices"),
    [
        ("committee", "numbering", NumberingScheme),
        ("committee", "tense", Tense),
        ("membership", "role", Role),
        ("meeting", "status", MeetingStatus),
        ("attendance", "function", AttendanceFunction),
        ("motion", "kind", MotionKind),
        ("proposition", "kind", PropositionKind),
        ("ballot", "choice", BallotChoice),
        ("statement", "kind", StatementKind),
    ],
)
def test_schema_choices_equal_the_model_choices(definition, field, choices: type[models.TextChoices]):
    assert DEFS[definition]["properties"][field]["enum"] == choices.values


def test_schema_casting_vote_is_blank_or_a_model_choice():
    assert DEFS["proposition"]["properties"]["casting_vote"]["enum"] == ["", *CastingVote.values]


def test_schema_requires_every_committee_and_item_field_the_code_writes():
    assert DEFS["committee"]["required"] == list(COMMITTEE_FIELDS)
    assert set(ITEM_FIELDS) | {
        "report_date",
        "motions",
        "propositions",
        "recusals",
        "reservations",
        "statements",
    } == set(DEFS["item"]["required"])
