"""Sealing an adjusted protocol on a worker, never in a web request.

The last approval queues a `SealingJob` in the same transaction that completes the round. A
worker (`manage.py worker`) takes the task, claims the job and seals its documents in order:
the protocol at once; at the announcement its certificate (anslagsbevis) and, when a § is
confidential, its public version; extracts when they are first asked for. Each step is
written to the job, which the page shows while the user waits.

The job row is the lock. A worker claims it with one conditional UPDATE and keeps it by its
heartbeat; a second task for the same job finds it claimed and does nothing. A worker that dies
stops beating, and `requeue_stalled()` hands its job to the next worker. A failure is retried
`PARAGRAF_TASK_ATTEMPTS` times in all, then the job is shown as failed with its reason, and the
protocol stays adjusted and unsealed until someone retries it.
"""

import datetime
import logging
import os
import socket

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task, task_backends
from django.utils import timezone

from minutes.models import AdjustmentRound, DocumentKind, JobState, JobStep, Preview, SealingJob
from minutes.publication.write import publish_announced

logger = logging.getLogger(__name__)

Document = tuple[str, tuple[int, ...]]


class LostJob(Exception):
    """Another worker took the job over, having taken this one for dead."""


@task()
def seal_round(job_id: int) -> str:
    return run(job_id)


def start(round: AdjustmentRound, documents: list[Document] | None = None) -> SealingJob:
    """Queue the sealing of a completed round's documents (by default its protocol).

    Call it inside the transaction that asks for it: the job and its task commit with it.
    """
    documents = planned(round) if documents is None else documents
    job = SealingJob.objects.create(
        round=round, documents=[[kind, list(numbers)] for kind, numbers in documents], total=len(documents)
    )
    seal_round.enqueue(job.pk)
    return job


def seal_extracts(round: AdjustmentRound, numbers: list[int]) -> SealingJob | None:
    """Queue the extracts of these §§ that are neither sealed nor already on their way."""
    return start_missing(round, [(DocumentKind.EXTRACT, (n,)) for n in numbers])


def retry(job: SealingJob) -> bool:
    """Queue a failed job again with its attempts renewed; False if it was not failed."""
    with transaction.atomic():
        queued = SealingJob.objects.filter(pk=job.pk, state=JobState.FAILED).update(
            state=JobState.QUEUED, step=JobStep.WAITING, attempts=0, worker="", finished_at=None
        )
        if queued:
            seal_round.enqueue(job.pk)
    return bool(queued)


def planned(round: AdjustmentRound) -> list[Document]:
    """What a completed round is sealed as at once: the protocol, or the § adjusted on its own."""
    if round.item_id is not None:
        return [(DocumentKind.EXTRACT, (round.item.number,))]
    return [(DocumentKind.PROTOCOL, ())]


def seal_announced(round: AdjustmentRound) -> SealingJob | None:
    """Queue what an announcement adds: its certificate (anslagsbevis), and the public version.

    Both are sealed after the announcement, whose dates they print; the protocol itself was
    sealed at adjustment, before there were any. The public version is made only where it
    differs from the protocol (a § is confidential): the portal serves the protocol otherwise.
    """
    wanted = [certificate_of(round)]
    if round.item_id is None and round.meeting.items.filter(confidential=True).exists():
        wanted.append((DocumentKind.PUBLIC, ()))
    return start_missing(round, wanted)


def certificate_of(round: AdjustmentRound) -> Document:
    """The announcement certificate of a round: the protocol's, or the § adjusted on its own."""
    return (DocumentKind.CERTIFICATE, (round.item.number,) if round.item_id is not None else ())


def start_missing(round: AdjustmentRound, documents: list[Document]) -> SealingJob | None:
    """Queue those of `documents` that are neither sealed nor already on their way."""
    sealed = {(kind, tuple(numbers)) for kind, numbers in round.documents.values_list("kind", "numbers")}
    coming = {
        (kind, tuple(numbers))
        for job in round.sealing_jobs.exclude(state__in=(JobState.DONE, JobState.FAILED))
        for kind, numbers in job.documents
    }
    missing = [(kind, tuple(numbers)) for kind, numbers in documents if (kind, tuple(numbers)) not in sealed | coming]
    return start(round, missing) if missing else None


def run(job_id: int, *, worker: str | None = None) -> str:
    """Seal what the job's round needs, unless another worker holds the job; says what happened."""
    from minutes import adjustment

    worker = worker or worker_name()
    job = _claim(job_id, worker)
    if job is None:
        return "taken"
    documents = [(kind, tuple(numbers)) for kind, numbers in job.documents]
    try:
        for done, (kind, numbers) in enumerate(documents):

            def progress(step: str, kind: str = kind, numbers: tuple[int, ...] = numbers, done: int = done) -> None:
                _beat(job, worker, step=step, document=kind, number=numbers[0] if numbers else None, done=done)

            progress(JobStep.RENDERING)  # each step is committed at once, for the page to show
            adjustment.seal_document(job.round, kind, numbers, progress=progress)
        _beat(job, worker, state=JobState.DONE, step=JobStep.FINISHED, done=len(documents), finished_at=timezone.now())
    except LostJob:
        return "lost"
    except Exception as error:
        logger.exception("Sealing job %s failed (attempt %s)", job.pk, job.attempts)
        return _fail(job, worker, reason=str(error) or type(error).__name__)
    # What the announcement published gets its files now that its PDFs are sealed (publication.write).
    publish_announced(job.round.meeting_id)
    return "done"


def run_queued() -> int:
    """Seal what is queued here and now, in this process; the demo's loader does, to open complete.

    The queue's own tasks for these jobs stay queued: a worker that takes them finds them done.
    """
    ids = SealingJob.objects.filter(state=JobState.QUEUED).order_by("pk").values_list("pk", flat=True)
    return sum(run(pk) == "done" for pk in list(ids))


def requeue_stalled(now: datetime.datetime | None = None) -> int:
    """Hand the jobs of workers that stopped beating to the next worker; returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.PARAGRAF_TASK_STALL_SECONDS)
    handed = 0
    for job in SealingJob.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=cutoff):
        with transaction.atomic():
            reason = f"Arbetsprocessen {job.worker} slutade svara under steget {job.get_step_display().lower()}."
            handed += _fail(job, job.worker, reason=reason, delay=0) == "queued"
    return handed


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def _claim(job_id: int, worker: str) -> SealingJob | None:
    now = timezone.now()
    stalled = now - datetime.timedelta(seconds=settings.PARAGRAF_TASK_STALL_SECONDS)
    claimed = (
        SealingJob.objects.filter(pk=job_id)
        .filter(Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING, heartbeat_at__lt=stalled))
        .update(state=JobState.RUNNING, worker=worker, heartbeat_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return SealingJob.objects.select_related("round__meeting__committee", "round__item").get(pk=job_id)


def _beat(job: SealingJob, worker: str, **fields) -> None:
    """Record progress, which is also the heartbeat; a job taken over in the meantime is left alone."""
    if not SealingJob.objects.filter(pk=job.pk, worker=worker, state=JobState.RUNNING).update(
        heartbeat_at=timezone.now(), **fields
    ):
        raise LostJob(job.pk)


def _fail(job: SealingJob, worker: str, *, reason: str, delay: int | None = None) -> str:
    """Queue the job again while attempts remain, or give it up with the reason shown on the page."""
    job.refresh_from_db(fields=["attempts"])
    owned = SealingJob.objects.filter(pk=job.pk, worker=worker, state=JobState.RUNNING)
    if job.attempts < settings.PARAGRAF_TASK_ATTEMPTS:
        if owned.update(state=JobState.QUEUED, step=JobStep.WAITING, worker="", error=reason):
            _enqueue_later(job.pk, seconds=5 * job.attempts if delay is None else delay)
            return "queued"
    elif owned.update(state=JobState.FAILED, error=reason, finished_at=timezone.now()):
        return "failed"
    return "lost"


def _enqueue_later(job_id: int, *, seconds: int) -> None:
    if seconds and task_backends[seal_round.backend].supports_defer:
        seal_round.using(run_after=timezone.now() + datetime.timedelta(seconds=seconds)).enqueue(job_id)
    else:
        seal_round.enqueue(job_id)


# Previews: a draft protocol printed to PDF for reading, by a worker too


def ask_preview(meeting_id: int, *, public: bool, digest: str) -> Preview:
    """The preview of the protocol whose HTML has this digest, queued for a worker if it is new."""
    with transaction.atomic():
        preview, created = Preview.objects.get_or_create(meeting_id=meeting_id, public=public, digest=digest)
        if created:
            print_preview.enqueue(preview.pk)
    preview.refresh_from_db()
    return preview


@task()
def print_preview(preview_id: int) -> str:
    """Print the protocol as it stands now; older previews of the meeting are removed."""
    from minutes.protocol.pdf import html_to_pdf
    from minutes.protocol.preview import protocol_html

    if not Preview.objects.filter(pk=preview_id, state=JobState.QUEUED).update(state=JobState.RUNNING):
        return "taken"
    preview = Preview.objects.select_related("meeting__committee").get(pk=preview_id)
    try:
        pdf = html_to_pdf(protocol_html(preview.meeting, public=preview.public))
        preview.file.save(
            f"{preview.digest[:16]}{'-public' if preview.public else ''}.pdf", ContentFile(pdf), save=False
        )
    except Exception as error:
        logger.exception("Preview %s could not be printed", preview_id)
        Preview.objects.filter(pk=preview_id).update(state=JobState.FAILED, error=str(error) or type(error).__name__)
        return "failed"
    Preview.objects.filter(pk=preview_id).update(state=JobState.DONE, file=preview.file.name)
    for old in Preview.objects.filter(
        meeting_id=preview.meeting_id, public=preview.public, state=JobState.DONE
    ).exclude(pk=preview_id):
        old.file.delete(save=False)
        old.delete()
    return "done"
