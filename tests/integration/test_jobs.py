"""Sealing on a worker: progress on the page, bounded retries, one run per job, and a killed worker."""

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from minutes import adjustment, jobs
from minutes.models import (
    DocumentKind,
    JobState,
    JobStep,
    Meeting,
    MeetingStatus,
    Preview,
    RoundState,
    SealedDocument,
    SealingJob,
)
from tests.conftest import SEAL_PASSWORD
from tests.database import database_url
from tests.integration.test_adjustment import adjust, at, signer_users

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue():
    """The real queue, a table in the database, as production has it."""
    with override_settings(TASKS=DATABASE_QUEUE):
        yield


def worker(settings, *arguments: str, stall: int = 120, environment: dict[str, str] | None = None) -> subprocess.Popen:
    """A `manage.py worker` process on the test database, with the test's seal and media folder."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PARAGRAF_VAR_DIR": str(Path(settings.MEDIA_ROOT).parent),
        "PARAGRAF_SEAL_PKCS12": str(settings.PARAGRAF_SEAL_PKCS12),
        "PARAGRAF_SEAL_PASSWORD": SEAL_PASSWORD,
        "PARAGRAF_TASK_STALL_SECONDS": str(stall),
        "PYTHONWARNINGS": "ignore",
        **(environment or {}),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2", *arguments],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen, timeout: float = 300) -> str:
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, output
    return output


def test_the_last_approval_queues_the_sealing_and_returns_at_once(meeting, secretary, queue, client):
    round = adjust(meeting, secretary)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ADJUSTED and round.state == RoundState.COMPLETED
    job = SealingJob.objects.get(round=round)
    assert (job.state, job.step, job.total, job.documents) == (JobState.QUEUED, JobStep.WAITING, 1, [["protocol", []]])
    assert not SealedDocument.objects.exists()
    assert DBTaskResult.objects.filter(task_path="minutes.jobs.seal_round", status="READY").count() == 1

    client.force_login(secretary)
    page = client.get(reverse("minutes:adjustment", args=[meeting.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page  # the page asks again until the job settles
    assert "<progress" in page


@pytest.mark.django_db(transaction=True)
def test_a_worker_seals_and_the_page_shows_the_files_without_polling(meeting, secretary, queue, client, settings):
    round = adjust(meeting, secretary)
    finish(worker(settings, "--batch"))
    job = SealingJob.objects.get(round=round)
    assert (job.state, job.step, job.done, job.attempts) == (JobState.DONE, JobStep.FINISHED, 1, 1)
    protocol = SealedDocument.objects.get(round=round, kind=DocumentKind.PROTOCOL)
    assert protocol.read_verified().startswith(b"%PDF")

    client.force_login(secretary)
    fragment = client.get(reverse("minutes:sealing", args=[meeting.pk])).content.decode()
    assert protocol.sha256 in fragment
    assert "hx-trigger" not in fragment  # settled: the page stops asking


def test_progress_names_each_document_and_step(meeting, secretary, monkeypatch):
    round = adjust(meeting, secretary)
    seen = []
    beat = jobs._beat

    def recording(job, worker, **fields):
        beat(job, worker, **fields)
        job.refresh_from_db()
        seen.append((job.document, job.step, job.done, job.state))

    monkeypatch.setattr(jobs, "_beat", recording)
    jobs.seal_extracts(round, [3, 10])  # the test queue runs the task where it is queued
    steps = [(document, step, done) for document, step, done, state in seen if state == JobState.RUNNING]
    assert steps == [
        (DocumentKind.EXTRACT, JobStep.RENDERING, 0),
        (DocumentKind.EXTRACT, JobStep.SEALING, 0),
        (DocumentKind.EXTRACT, JobStep.STORING, 0),
        (DocumentKind.EXTRACT, JobStep.RENDERING, 1),
        (DocumentKind.EXTRACT, JobStep.SEALING, 1),
        (DocumentKind.EXTRACT, JobStep.STORING, 1),
    ]
    assert seen[-1][1:] == (JobStep.FINISHED, 2, JobState.DONE)


def test_the_page_words_the_progress(meeting, secretary):
    from minutes.views.adjustment import job_status

    round = adjust(meeting, secretary)
    job = SealingJob(round=round, state=JobState.RUNNING, step=JobStep.SEALING, document="extract", number=12)
    job.done, job.total = 2, 5
    assert job_status(job) == "Protokollsutdrag § 12: förseglar (3 av 5)"


def test_a_storage_that_refuses_fails_visibly_after_bounded_retries_and_can_be_retried(
    meeting, secretary, monkeypatch, client
):
    attempts = []

    def full_disk(descriptor):
        attempts.append(descriptor)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)  # the storage's write of the sealed file
    round = adjust(meeting, secretary)

    job = SealingJob.objects.get(round=round)
    assert job.state == JobState.FAILED and job.attempts == 3 and len(attempts) == 3
    assert "No space left on device" in job.error
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ADJUSTED  # adjusted, unsealed, ready to retry
    assert not SealedDocument.objects.exists()

    client.force_login(secretary)
    page = client.get(reverse("minutes:adjustment", args=[meeting.pk])).content.decode()
    assert "No space left on device" in page and "misslyckades" in page
    assert 'hx-trigger="every 2s"' not in page

    monkeypatch.undo()
    response = client.post(reverse("minutes:sealing-retry", args=[meeting.pk]), {"job": job.pk})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 1
    assert SealedDocument.objects.filter(round=round).count() == 1


def test_only_the_secretariat_retries(meeting, secretary, client):
    round = adjust(meeting, secretary)
    job = SealingJob.objects.get(round=round)
    client.force_login(signer_users(meeting)[0])
    assert client.post(reverse("minutes:sealing-retry", args=[meeting.pk]), {"job": job.pk}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_run_one_job_twice(meeting, secretary, queue, settings):
    round = adjust(meeting, secretary)
    job = SealingJob.objects.get(round=round)
    extracts = jobs.start(round, [(DocumentKind.EXTRACT, (n,)) for n in (1, 2, 3)])
    for duplicate in (job, job, extracts, extracts):  # the same jobs queued again, as a retry storm would
        jobs.seal_round.enqueue(duplicate.pk)

    first, second = worker(settings, "--batch"), worker(settings, "--batch")
    finish(first), finish(second)

    for each in (job, extracts):
        each.refresh_from_db()
        assert (each.state, each.attempts) == (JobState.DONE, 1)
    outcomes = sorted(r.return_value for r in DBTaskResult.objects.filter(task_path="minutes.jobs.seal_round"))
    assert outcomes == ["done", "done", "taken", "taken", "taken", "taken"]
    for kind, numbers in [(DocumentKind.PROTOCOL, [])] + [(DocumentKind.EXTRACT, [n]) for n in (1, 2, 3)]:
        assert SealedDocument.objects.filter(round=round, kind=kind, numbers=numbers).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sealing_is_replaced_and_nothing_partial_is_served(
    meeting, secretary, queue, settings, client
):
    round = adjust(meeting, secretary)
    job = SealingJob.objects.get(round=round)
    doomed = worker(settings, stall=2)
    deadline = time.monotonic() + 120
    while SealingJob.objects.filter(pk=job.pk, state=JobState.RUNNING).count() == 0:
        assert time.monotonic() < deadline and doomed.poll() is None, "the worker never started the job"
        time.sleep(0.02)
    doomed.send_signal(signal.SIGKILL)
    doomed.communicate(timeout=30)

    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.done == 0  # killed in the middle of the protocol
    assert not SealedDocument.objects.filter(kind=DocumentKind.PROTOCOL).exists()
    media = Path(settings.MEDIA_ROOT)
    assert not [p for p in media.rglob("*") if p.is_file() and "protocol" in p.name and p.stat().st_size == 0]

    adjustment.announce(meeting, user=secretary, posted_on=at("2016-09-30").date())
    public = reverse("portal:protocol-pdf", args=[meeting.committee.slug, meeting.year, meeting.number])
    assert client.get(public).status_code == 503  # never a partial file: the page says it is coming

    time.sleep(2.5)  # the heartbeat is now older than the stall limit
    output = finish(worker(settings, "--batch", stall=2))
    assert "Queued again 1 job" in output
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.DONE, 2)
    assert "slutade svara" in job.error
    for document in SealedDocument.objects.filter(round=round):
        assert document.read_verified().startswith(b"%PDF")
    response = client.get(public)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_stalled_job_past_its_attempts_is_given_up(meeting, secretary, settings):
    round = adjust(meeting, secretary)
    job = SealingJob.objects.get(round=round)
    SealingJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, attempts=settings.PARAGRAF_TASK_ATTEMPTS, worker="gone", heartbeat_at=at("2016-09-29")
    )
    assert jobs.requeue_stalled() == 0
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "slutade svara" in job.error


def test_a_whole_protocol_pdf_is_printed_by_a_worker_while_the_page_waits(meeting, secretary, queue, client):
    client.force_login(secretary)
    url = reverse("minutes:protocol-document", args=[meeting.pk, "pdf"])
    waiting = client.get(url)
    assert waiting.status_code == 202
    preview = Preview.objects.get(meeting=meeting)
    state = reverse("minutes:preview-state", args=[meeting.pk, preview.pk])
    assert f'hx-get="{state}"' in waiting.content.decode()
    assert client.get(url).status_code == 202 and Preview.objects.count() == 1  # asked twice, printed once

    assert jobs.print_preview.call(preview.pk) == "done"  # what the worker does with the queued task
    fragment = client.get(state).content.decode()
    assert "hx-trigger" not in fragment and url in fragment
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")

    Meeting.objects.filter(pk=meeting.pk).update(place="Rådhuset, sal 3")  # the protocol changed
    assert client.get(url).status_code == 202
    newer = Preview.objects.exclude(pk=preview.pk).get()
    assert jobs.print_preview.call(newer.pk) == "done"
    assert list(Preview.objects.values_list("pk", flat=True)) == [newer.pk]  # the old print is gone
    assert client.get(url).status_code == 200


def test_the_print_state_is_for_the_secretariat_and_signers_only(meeting, secretary, queue, client):
    client.force_login(secretary)
    client.get(reverse("minutes:protocol-document", args=[meeting.pk, "pdf"]))
    preview = Preview.objects.get(meeting=meeting)
    outsider = User.objects.create_user("utomstaende", password="x")
    client.force_login(outsider)
    assert client.get(reverse("minutes:preview-state", args=[meeting.pk, preview.pk])).status_code == 403
