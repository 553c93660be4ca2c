"""Names in a published protocol's text, linked to the people's portal pages.

The protocol's sentences are plain text by design (one wording for the PDF, the text and the
web), so the portal links names after rendering: each member's or substitute's full name in
the HTML's text, also in the genitive ("Arne Fredholms m fl (M) yrkande"), becomes a link to
their page. People who were not on the committee that day (officials, the secretary) have no
page worth visiting and stay plain, and so does a name two people share.
"""

import dataclasses
import html
import re
from collections.abc import Iterator

from django.urls import reverse

from minutes.protocol.snapshot import PersonRef, ProtocolSnapshot

TAG = re.compile(r"(<[^>]*>)")


def people(value: object) -> Iterator[PersonRef]:
    """Every person a snapshot (or any part of it) refers to."""
    if isinstance(value, PersonRef):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from people(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for part in value:
            yield from people(part)


def person_links(snapshot: ProtocolSnapshot) -> dict[str, str]:
    """Each linkable full name in the snapshot, and the address of that person's page."""
    ids: dict[str, set[int]] = {}
    for ref in people(snapshot):
        if ref.role:
            ids.setdefault(ref.name, set()).add(ref.id)
    return {name: reverse("portal:person", args=[next(iter(pk))]) for name, pk in ids.items() if len(pk) == 1}


def link_names(markup: str, links: dict[str, str]) -> str:
    """`markup` (the protocol's escaped HTML) with the names in `links` made links, in text only."""
    if not links:
        return markup
    escaped = {html.escape(name): address for name, address in links.items()}
    alternatives = "|".join(re.escape(name) for name in sorted(escaped, key=len, reverse=True))
    name = re.compile(rf"(?<!\w)({alternatives})(s?)(?!\w)")
    parts = TAG.split(markup)
    in_link = False
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            in_link = part.startswith("<a ") or (in_link and not part.startswith("</a"))
        elif not in_link:
            parts[index] = name.sub(lambda m: f'<a href="{escaped[m[1]]}">{m[1]}{m[2]}</a>', part)
    return "".join(parts)
