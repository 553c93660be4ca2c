"""Re-reading every published file against its SHA-256, and repairing what does not match.

Reads never check the checksum (that is what makes a published page as fast as a static file):
this does, from `manage.py verify_published` and from each worker once every
PARAGRAF_PUBLISHED_VERIFY_HOURS. A file that is missing or does not match is repaired by
rendering its address again: when the new bytes are the recorded ones, the broken file is
replaced by them (the one case where a published file is written again). When they are not
(a release changed the page since), the row is removed, so that the address is answered by its
view again, and the next publication of the meeting writes it anew.
"""

import logging
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from minutes.models import PublishedFile
from minutes.publication.write import checksum, render, store

logger = logging.getLogger(__name__)


@dataclass
class Verification:
    checked: int = 0
    broken: list[str] = field(default_factory=list)  # "origin+path (encoding): what was wrong"
    repaired: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)


def verify_published(*, repair: bool) -> Verification:
    result = Verification()
    for published in PublishedFile.objects.order_by("pk").iterator():
        result.checked += 1
        try:
            found = checksum(published.name)
        except OSError:
            found = "missing"
        if found == published.sha256:
            PublishedFile.objects.filter(pk=published.pk).update(verified_at=timezone.now())
            continue
        problem = "missing" if found == "missing" else f"SHA-256 {found[:12]}… instead of {published.sha256[:12]}…"
        result.broken.append(f"{published}: {published.name} {problem}")
        logger.error("Published file %s (%s) is %s", published, published.name, problem)
        if repair:
            _repair(published, result)
    return result


def _repair(published: PublishedFile, result: Verification) -> None:
    rendered = render(published.path, encoding=published.encoding, site=published.origin)
    with transaction.atomic():
        if rendered is not None and rendered.sha256 == published.sha256:
            if default_storage.exists(published.name):
                default_storage.delete(published.name)
            name = store(rendered)
            PublishedFile.objects.filter(pk=published.pk).update(name=name, verified_at=timezone.now())
            result.repaired.append(str(published))
        else:
            published.delete()
            result.withdrawn.append(str(published))
