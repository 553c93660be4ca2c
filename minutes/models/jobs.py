"""The background work an adjusted protocol needs: its documents rendered and sealed by a worker.

A completed adjustment round queues one `SealingJob` for its protocol, its announcement one
for the public version, and a request for extracts one for them. The task queue (django-tasks-db) only carries
the job's id; the job row holds what the page shows (step and progress), the attempts and the
failure's reason, and it is also the lock: a worker owns a job while its heartbeat is fresh.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minutes.models.adjustment import AdjustmentRound
from minutes.models.meeting import Meeting


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobStep(models.TextChoices):
    WAITING = "waiting", _("Waiting for a worker")
    RENDERING = "rendering", _("Rendering")
    SEALING = "sealing", _("Sealing")
    STORING = "storing", _("Storing")
    FINISHED = "finished", _("Finished")


class SealingJob(models.Model):
    round = models.ForeignKey(AdjustmentRound, on_delete=models.PROTECT, related_name="sealing_jobs")
    # What to seal, in order: [kind, [§ numbers]] pairs, as `seal_document` takes them.
    documents = models.JSONField(_("documents"))
    state = models.CharField(_("state"), max_length=10, choices=JobState, default=JobState.QUEUED)
    step = models.CharField(_("step"), max_length=10, choices=JobStep, default=JobStep.WAITING)
    # The one being sealed now.
    document = models.CharField(_("document"), max_length=20, blank=True)
    number = models.PositiveIntegerField(_("§"), null=True, blank=True)
    done = models.PositiveIntegerField(_("documents done"), default=0)
    total = models.PositiveIntegerField(_("documents"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("reason of the last failure"), blank=True)
    worker = models.CharField(_("worker"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("sealing job")
        verbose_name_plural = _("sealing jobs")

    def __str__(self) -> str:
        return f"{self.round} ({self.get_state_display()})"

    @property
    def settled(self) -> bool:
        """Done or given up: the page stops asking."""
        return self.state in (JobState.DONE, JobState.FAILED)


def preview_path(preview: "Preview", filename: str) -> str:
    return f"previews/{preview.meeting_id}/{filename}"


class Preview(models.Model):
    """A protocol printed to PDF by a worker, to read before it is adjusted.

    Keyed by the SHA-256 of the HTML it prints, so any change to the protocol asks for a new
    one, and an unchanged protocol is printed once however often it is opened.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="previews")
    public = models.BooleanField(default=False)
    digest = models.CharField(max_length=64)
    state = models.CharField(_("state"), max_length=10, choices=JobState, default=JobState.QUEUED)
    error = models.TextField(_("reason of the last failure"), blank=True)
    file = models.FileField(upload_to=preview_path, blank=True, max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "public", "digest"], name="one_preview_per_text")]

    def __str__(self) -> str:
        return f"{self.meeting} ({self.get_state_display()})"
