"""`manage.py worker`: django-tasks-db's worker, plus the hand-over of jobs whose worker died.

django-tasks-db leaves the task of a killed worker marked as running for ever. Paragraf's jobs
carry their own heartbeat, so between batches this worker queues again the jobs whose worker
stopped beating (`minutes.jobs.requeue_stalled`); the job's claim keeps a job from running twice.
It also sends the reminders before the legal deadlines (`minutes.notifications`) and the notices
of meetings planned for the day (`minutes.notice`), at most once a minute; unique keys and a row
lock keep two workers from sending one twice. Every PARAGRAF_PUBLISHED_VERIFY_HOURS it re-reads the
published files and repairs those that no longer match their checksum (`minutes.publication.verify`).
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from minutes import jobs, notice, notifications
from minutes.publication.verify import verify_published

REMINDER_SECONDS = 60  # how often the reminders due are looked for


class Command(BaseCommand):
    help = "Run a background worker: render and seal protocols (run one or more per installation)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds to wait when there is nothing to do.")
        parser.add_argument("--batch", action="store_true", help="Do what is queued, then exit.")

    def handle(self, *, interval: float, batch: bool, verbosity: int, **options) -> None:
        worker_id = f"{jobs.worker_name()}:{get_random_string(6)}"
        reminded_at = None
        verified_at = time.monotonic()  # the first check a period after the start
        verify_seconds = settings.PARAGRAF_PUBLISHED_VERIFY_HOURS * 3600
        while True:
            close_old_connections()
            if reminded_at is None or time.monotonic() - reminded_at >= REMINDER_SECONDS:
                reminded_at = time.monotonic()
                reminded = notifications.send_due_reminders()
                if reminded and verbosity:
                    self.stdout.write(f"Sent {reminded} reminder(s) of a deadline.")
                noticed = notice.send_due_notices()
                if noticed and verbosity:
                    self.stdout.write(f"Sent {noticed} notice(s) of a meeting planned for today.")
            if verify_seconds and time.monotonic() - verified_at >= verify_seconds:
                verified_at = time.monotonic()
                checked = verify_published(repair=True)
                if checked.broken and verbosity:
                    repaired, broken = len(checked.repaired), len(checked.broken)
                    self.stdout.write(f"Repaired {repaired} of {broken} broken published file(s).")
            handed = jobs.requeue_stalled()
            if handed and verbosity:
                self.stdout.write(f"Queued again {handed} job(s) of a worker that stopped.")
            worker = Worker(
                queue_names=["default"],
                interval=0,
                batch=True,  # returns when the queue is empty, so stalled jobs are looked for again
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            )
            if not batch:  # a batch run inside another command leaves that command's signals alone
                worker.configure_signals()
            worker.run()
            if batch or not worker.running:  # --batch, or asked to stop (SIGTERM) during a task
                return
            time.sleep(interval)
