"""The API's bodies and addresses: one Body per municipality, every object at a URL under its body.

Addresses are built by string formatting from the API's root (a page names thousands of them,
and `reverse` per address would cost more than the rest of the page); `urls.py` routes
exactly these shapes, and the tests check that every `id` is the URL it is served at.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import slugify

from committee.models import Committee
from minutes.oparl.listing import NotFound

# The path segment of each kind of object, and of each list, under body/<slug>/.
OBJECT_KINDS = (
    "committee",
    "party",
    "person",
    "membership",
    "meeting",
    "agenda-item",
    "planned-item",
    "consultation",
    "planned-consultation",
    "paper",
    "file",
    "document",
    "location",
    "legislative-term",
)
LIST_NAMES = (
    "organizations",
    "persons",
    "memberships",
    "meetings",
    "agenda-items",
    "consultations",
    "papers",
    "files",
    "locations",
    "legislative-terms",
)


def body_slug(municipality: str) -> str:
    """A municipality's name as a path segment: "Stockholms stad" -> "stockholms-stad", "Örebro" -> "orebro"."""
    return slugify(municipality) or "kommun"


@dataclass(frozen=True)
class Body:
    slug: str
    municipality: str
    committee_ids: tuple[int, ...]
    created: datetime.datetime
    modified: datetime.datetime  # of its committees and their memberships


def bodies() -> list[Body]:
    """Every municipality that has a committee, in one query."""
    found: dict[str, list] = {}
    rows = (
        Committee.objects.annotate(latest=Max("memberships__modified"))
        .values_list("pk", "municipality", "created", "modified", "latest")
        .order_by("municipality", "pk")
    )
    for pk, municipality, created, modified, latest in rows:
        found.setdefault(municipality, []).append((pk, created, max(modified, latest or modified)))
    return [
        Body(
            slug=body_slug(municipality),
            municipality=municipality,
            committee_ids=tuple(pk for pk, _created, _modified in committees),
            created=min(created for _pk, created, _modified in committees),
            modified=max(modified for _pk, _created, modified in committees),
        )
        for municipality, committees in found.items()
    ]


def find_body(slug: str) -> Body:
    for body in bodies():
        if body.slug == slug:
            return body
    raise NotFound(f"no body {slug!r}")


@dataclass(frozen=True)
class Links:
    """The absolute URLs of one body's objects and lists, and of the portal's pages for `web`."""

    request: HttpRequest
    root: str  # http://host/oparl/v1/
    slug: str = ""

    @classmethod
    def of(cls, request: HttpRequest, slug: str = "") -> "Links":
        return cls(request, request.build_absolute_uri(reverse("oparl:root")), slug)

    @property
    def system(self) -> str:
        return f"{self.root}system"

    @property
    def bodies(self) -> str:
        return f"{self.root}bodies"

    def body(self, slug: str | None = None) -> str:
        return f"{self.root}body/{self.slug if slug is None else slug}"

    def list(self, name: str) -> str:
        return f"{self.root}body/{self.slug}/{name}"

    def __call__(self, kind: str, key: object) -> str:
        return f"{self.root}body/{self.slug}/{kind}/{key}"

    def web(self, name: str, *args: object) -> str:
        return self.request.build_absolute_uri(reverse(name, args=args))
