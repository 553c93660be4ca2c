"""The files an announced protocol is published as: its pages, PDFs and OParl objects, written once.

At the announcement a worker renders each public address of the protocol once and writes the
bytes to the storage (`minutes.publication.write`); requests for that address are then answered
from the file (`minutes.publication.serve`), without rendering or reading the protocol. A row
names the address (the site's origin and the path), the representation (content coding), the
stored file, its SHA-256 (checked when written and by `manage.py verify_published`, not on each
read) and the headers the rendered answer carried.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minutes.models.meeting import Meeting


class PublishedFile(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="published_files")
    origin = models.CharField(_("origin"), max_length=200)  # scheme://host[:port], PARAGRAF_SITE_URL
    path = models.CharField(_("path"), max_length=500)
    encoding = models.CharField(_("content coding"), max_length=10, blank=True)  # "", "gzip" or "br"
    name = models.CharField(_("stored file"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    headers = models.JSONField(_("headers"), default=dict)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("published file")
        verbose_name_plural = _("published files")
        ordering = ["meeting", "path", "encoding"]
        constraints = [
            models.UniqueConstraint(fields=["origin", "path", "encoding"], name="published_file_once"),
        ]

    def __str__(self) -> str:
        return f"{self.origin}{self.path}" + (f" ({self.encoding})" if self.encoding else "")
