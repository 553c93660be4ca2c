"""House styles: making, saving, importing and exporting them, one transaction each.

A style is saved only when `housestyle.validate` finds nothing wrong with it; each save adds an
immutable version, and the style row carries the newest document so that a snapshot reads it in the
same query as the committee.
"""

import copy
import json
from typing import Any

from django.db import transaction

from committee.models import Committee, HouseStyle, HouseStyleVersion
from minutes.protocol import housestyle
from minutes.protocol.snapshot import HouseStyle as StyleData


class StyleInvalid(Exception):
    """The document is not a usable style; `problems` say where and why."""

    def __init__(self, problems: list[housestyle.Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def checked(document: Any) -> dict:
    problems = housestyle.validate(document)
    if problems:
        raise StyleInvalid(problems)
    return document


def create_style(*, name: str, municipality: str, document: dict, by=None) -> HouseStyle:
    """A new style whose version 1 is `document`."""
    document = checked(document)
    sha = housestyle.digest(document)
    with transaction.atomic():
        style = HouseStyle.objects.create(
            name=name, municipality=municipality, document=document, version=1, sha256=sha
        )
        HouseStyleVersion.objects.create(style=style, number=1, document=document, sha256=sha, created_by=by)
    return style


def create_from_preset(preset: str, *, municipality: str = "", name: str = "", by=None) -> HouseStyle:
    document = housestyle.preset(preset)
    return create_style(name=name or document["name"], municipality=municipality, document=document, by=by)


def save_style(style: HouseStyle, document: dict, *, by=None) -> HouseStyleVersion:
    """Save `document` as the style's next version; an unchanged document adds none and returns the newest."""
    document = checked(document)
    sha = housestyle.digest(document)
    with transaction.atomic():
        style = HouseStyle.objects.select_for_update().get(pk=style.pk)
        if sha == style.sha256:
            return style.versions.get(number=style.version)
        number = style.version + 1
        version = HouseStyleVersion.objects.create(
            style=style, number=number, document=document, sha256=sha, created_by=by
        )
        style.document, style.version, style.sha256 = document, number, sha
        style.save(update_fields=["document", "version", "sha256", "modified"])
    return version


def committee_document(committee: Committee) -> dict:
    """The style document the committee's protocols print with now."""
    return StyleData.of(committee).as_document


def own_style(committee: Committee, *, by=None) -> HouseStyle:
    """The committee's style; a committee still on its old style fields gets one equal to them."""
    if committee.house_style_id:
        return committee.house_style
    with transaction.atomic():
        locked = Committee.objects.select_for_update(of=("self",)).select_related("house_style").get(pk=committee.pk)
        if locked.house_style_id is None:  # else someone made it meanwhile: theirs stands
            document = copy.deepcopy(committee_document(locked))
            document["name"] = locked.short_name or locked.name
            locked.house_style = create_style(
                name=document["name"], municipality=locked.municipality, document=document, by=by
            )
            locked.save(update_fields=["house_style", "modified"])  # through save: the audit trail records it
    committee.house_style = locked.house_style
    return locked.house_style


def export_text(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def parse(text: str | bytes) -> dict:
    """A style file read and validated as a whole: StyleInvalid lists every problem by JSON path."""
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", 1)
        raise StyleInvalid([housestyle.Problem("$", "", f"Filen är inte giltig JSON (rad {line}).")]) from error
    return checked(document)
