"""A whole meeting as one JSON document, to move it between installations.

The format is described by docs/exchange/meeting.schema.json and docs/exchange/README.md.
"""

from minutes.exchange.dump import export_meeting, meeting_document
from minutes.exchange.load import import_meeting, read_document
from minutes.exchange.schema import FORMAT, SCHEMA_PATH, VERSION, ExchangeError, Problem

__all__ = [
    "FORMAT",
    "SCHEMA_PATH",
    "VERSION",
    "ExchangeError",
    "Problem",
    "export_meeting",
    "import_meeting",
    "meeting_document",
    "read_document",
]
