"""House styles: making, saving, importing and exporting them, one transaction each.

A style is saved only when `housestyle.validate` finds nothing wrong with it; each save adds an
immutable version, and the style row carries the newest document so that a snapshot reads it in the
same query as the committee.
"""

import copy
import json
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

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


def create_style(
    *, name: str, municipality: str, document: dict, by=None, owner: Committee | None = None, version: int = 1
) -> HouseStyle:
    """A new style whose first version is `document`; numbered `version` when it continues a style from elsewhere."""
    document = checked(document)
    sha = housestyle.digest(document)
    with transaction.atomic():
        style = HouseStyle.objects.create(
            name=name, municipality=municipality, document=document, version=version, sha256=sha, owner=owner
        )
        HouseStyleVersion.objects.create(style=style, number=version, document=document, sha256=sha, created_by=by)
    return style


def create_from_preset(
    preset: str, *, municipality: str = "", name: str = "", by=None, owner: Committee | None = None
) -> HouseStyle:
    document = housestyle.preset(preset)
    return create_style(name=name or document["name"], municipality=municipality, document=document, by=by, owner=owner)


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
        # The style is called what its newest document calls it: a rename shows wherever the style is named.
        style.document, style.version, style.sha256 = document, number, sha
        style.name = str(document.get("name") or style.name)[: HouseStyle._meta.get_field("name").max_length]
        style.save(update_fields=["document", "version", "sha256", "name", "modified"])
    return version


def committee_document(committee: Committee) -> dict:
    """The style document the committee's protocols print with now: a copy, the compiled style's own is shared."""
    return copy.deepcopy(StyleData.of(committee).as_document)


def edits(committee: Committee, style: HouseStyle | None) -> bool:
    """Whether the committee's secretaries edit the style: it is the committee's own, or nobody's."""
    return style is not None and style.owner_id in (None, committee.pk)


def own_style(committee: Committee, *, by=None) -> HouseStyle:
    """The style the committee edits: a committee on its old style fields, or printing with another
    committee's shared style, gets a style of its own equal to what it prints with now."""
    if edits(committee, committee.house_style if committee.house_style_id else None):
        return committee.house_style
    with transaction.atomic():
        locked = Committee.objects.select_for_update(of=("self",)).select_related("house_style").get(pk=committee.pk)
        if not edits(locked, locked.house_style):  # else someone made it meanwhile: theirs stands
            document = copy.deepcopy(committee_document(locked))
            if locked.house_style is None:
                document["name"] = locked.short_name or locked.name
            locked.house_style = create_style(
                name=document["name"], municipality=locked.municipality, document=document, by=by, owner=locked
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
    if isinstance(document, dict) and document.get("format") == 1:  # a file exported before format 2
        document = housestyle.completed(document)
    return checked(document)


# Sharing within a municipality


def usable_styles(committee: Committee) -> QuerySet[HouseStyle]:
    """The styles the committee may print with: its own, and those shared with it from its municipality."""
    shared = Q(shared_with=committee, owner__municipality=committee.municipality)
    return HouseStyle.objects.filter(Q(owner=committee) | shared).distinct().order_by("name", "pk")


def neighbours(committee: Committee) -> QuerySet[Committee]:
    """The other committees of the committee's municipality: the only ones it may share a style with."""
    return Committee.objects.filter(municipality=committee.municipality).exclude(pk=committee.pk).order_by("name")


class SharingRefused(Exception):
    pass


def share_style(committee: Committee, other: Committee, *, by=None) -> HouseStyle:
    """Let `other` print with the style `committee` edits; never across municipalities."""
    if other.pk == committee.pk or other.municipality != committee.municipality:
        raise SharingRefused(_("A style is shared only with another committee of the same municipality."))
    with transaction.atomic():
        style = own_style(committee, by=by)
        style.shared_with.add(other)
    return style


def unshare_style(committee: Committee, other: Committee) -> None:
    """Withdraw the style from `other`, unless `other` prints with it: it must choose another first."""
    style = committee.house_style
    if not edits(committee, style):
        raise SharingRefused(_("The committee has no style of its own to share."))
    with transaction.atomic():
        if Committee.objects.filter(pk=other.pk, house_style=style).exists():
            raise SharingRefused(
                _("%(committee)s prints with the style: it must choose another style before sharing ends.")
                % {"committee": other.short_name or other.name}
            )
        style.shared_with.remove(other)


def use_style(committee: Committee, style_id: int) -> HouseStyle:
    """Print the committee's protocols with one of its usable styles from now on."""
    with transaction.atomic():
        style = usable_styles(committee).filter(pk=style_id).first()
        if style is None:
            raise SharingRefused(_("The committee may not use that style."))
        locked = Committee.objects.select_for_update(of=("self",)).get(pk=committee.pk)
        locked.house_style = style
        locked.save(update_fields=["house_style", "modified"])  # through save: the audit trail records it
    committee.house_style = style
    return style
