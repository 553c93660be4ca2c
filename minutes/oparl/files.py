"""The sealed files of published meetings, as OParl Files: protocols, public versions, extracts, certificates.

A file is offered once its adjustment is announced, and only if it prints no confidential §
in full: the same rule `minutes.views.adjustment.sealed_file` applies when it serves the
bytes, so every `accessUrl` and `downloadUrl` here answers with the PDF. A file is created
when it was sealed or announced, whichever came later, and never changes.
"""

from collections import defaultdict
from collections.abc import Collection

from django.db.models import F, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone

from minutes.models import DocumentKind, Item, SealedDocument
from minutes.oparl.addresses import Body, Links
from minutes.oparl.listing import ListQuery, NotFound, Part, queryset_part, stamp
from minutes.oparl.published import meeting_times
from minutes.oparl.roll import OPARL
from minutes.protocol.adjusted import protocol_styles
from minutes.protocol.phrases import paragraph_label
from minutes.protocol.snapshot import HouseStyle
from minutes.views.adjustment import download_name

FILE_NAMES = {
    DocumentKind.PROTOCOL: "Protokoll",
    DocumentKind.PUBLIC: "Protokoll, offentlig version",
    DocumentKind.EXTRACT: "Protokollsutdrag",
    DocumentKind.CERTIFICATE: "Anslagsbevis",
}


def is_public(kind: str, numbers: list[int], confidential: Collection[int]) -> bool:
    """Whether a file prints no confidential § in full (`SealedDocument.has_confidential_text`, without a query)."""
    if kind in (DocumentKind.PUBLIC, DocumentKind.CERTIFICATE):
        return True
    return not (set(numbers) & set(confidential) if numbers else confidential)


def _announced_files() -> QuerySet[SealedDocument]:
    return (
        SealedDocument.objects.filter(round__announcement__isnull=False)
        .select_related("meeting__committee", "round__announcement")
        .defer("snapshot")
    )


def public_documents(confidential: dict[int, Collection[int]]) -> dict[int, list[SealedDocument]]:
    """The public files of the meetings (given with their confidential § numbers), by meeting, in one query."""
    found: dict[int, list[SealedDocument]] = defaultdict(list)
    for document in _announced_files().filter(meeting_id__in=list(confidential)).order_by("created_at", "pk"):
        if is_public(document.kind, document.numbers, confidential[document.meeting_id]):
            found[document.meeting_id].append(document)
    return found


def file_object(links: Links, document: SealedDocument, item_ids: dict[int, int], style: HouseStyle) -> dict:
    """The File; `item_ids` are the ids of the meeting's §§ by number, for the §§ an extract prints, and
    `style` the protocol's house style, which names them."""
    meeting = document.meeting
    created = max(document.created_at, document.round.announcement.announced_at)
    name = f"{FILE_NAMES[document.kind]}, {meeting.committee.name} {meeting.date:%Y-%m-%d}"
    if document.numbers:
        name += ", " + ", ".join(paragraph_label(n, style) for n in document.numbers)
    address = links.web("sealed-file", document.sha256)
    found = {
        "id": links("file", document.pk),
        "type": OPARL + "File",
        "name": name,
        "fileName": download_name(document),
        "mimeType": "application/pdf",
        "date": timezone.localtime(document.created_at).date().isoformat(),
        "size": document.size,
        "paragraf:sha256Checksum": document.sha256,  # the seal register's key (accessUrl)
        "accessUrl": address,
        "downloadUrl": address + "?download=1",
        "meeting": [links("meeting", meeting.pk)],
        "created": stamp(created),
        "modified": stamp(created),
    }
    if document.sha512:  # empty only if its file could not be read when the field was added
        found["sha512Checksum"] = document.sha512
    items = [links("agenda-item", item_ids[n]) for n in document.numbers if n in item_ids]
    if items:
        found["agendaItem"] = items
    return found


def _file_rows(meeting_ids: list[int]) -> QuerySet[SealedDocument]:
    """The public files of the meetings, as a queryset a list can count and slice."""
    confidential: dict[int, set[int]] = defaultdict(set)
    for meeting_id, number in Item.objects.filter(meeting_id__in=meeting_ids, confidential=True).values_list(
        "meeting_id", "number"
    ):
        confidential[meeting_id].add(number)
    secret = [
        pk
        for pk, meeting_id, kind, numbers in SealedDocument.objects.filter(meeting_id__in=meeting_ids).values_list(
            "pk", "meeting_id", "kind", "numbers"
        )
        if not is_public(kind, numbers, confidential[meeting_id])
    ]
    return (
        _announced_files()
        .filter(meeting_id__in=meeting_ids)
        .exclude(pk__in=secret)
        .annotate(oparl_created=Greatest(F("created_at"), F("round__announcement__announced_at")))
        .annotate(oparl_modified=F("oparl_created"))
        .order_by("pk")
    )


def _files(links: Links, rows: list[SealedDocument]) -> list[dict]:
    item_ids: dict[int, dict[int, int]] = defaultdict(dict)
    meetings = {row.meeting_id for row in rows}
    for pk, meeting_id, number in Item.objects.filter(meeting_id__in=meetings).values_list(
        "pk", "meeting_id", "number"
    ):
        item_ids[meeting_id][number] = pk
    styles = protocol_styles(meetings)
    return [file_object(links, row, item_ids[row.meeting_id], styles[row.meeting_id]) for row in rows]


def file_list(body: Body, links: Links, query: ListQuery) -> list[Part]:
    rows = _file_rows(list(meeting_times(body))).filter(query.q())
    return [queryset_part(rows, lambda page: _files(links, page))]


def file_detail(body: Body, links: Links, pk: int) -> dict:
    found = _files(links, list(_file_rows(list(meeting_times(body))).filter(pk=pk)))
    if not found:
        raise NotFound(f"no public file {pk}")
    return found[0]
