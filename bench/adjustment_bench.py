"""Time from the last approval to the sealed, stored PDF of a 40-§ protocol, and verifying the result.

    .venv/bin/python bench/adjustment_bench.py [--runs N]

Builds a database of its own on PostgreSQL like protocol_bench.py (bench/benchdb.py: the server of
DATABASE_URL, or the private cluster under var/), loads the demo, adds the synthetic 40-§ meeting
(bench/synthetic.py), gives its signers accounts, and for each run sends it for adjustment,
approves as the chair, then times the adjuster's approval (which completes the round and queues
the sealing job) and the job itself, run in this process as a worker runs it (`jobs.run`: print,
seal, store), without the queue's wait (bench/production_bench.py measures that, with a real
worker). Each run is rolled back so the next starts from the same draft. Then times verify_pdf
(seal + register lookup) on the stored file.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import benchdb
from protocol_bench import setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with benchdb.throwaway("adjustment"), tempfile.TemporaryDirectory(prefix="paragraf-adjust-bench-") as var:
        os.environ["PARAGRAF_VAR_DIR"] = var
        setup_django()
        run(args.runs)


def run(runs: int) -> None:
    from django.contrib.auth.models import User
    from django.db import transaction
    from pypdf import PdfReader
    from synthetic import add_meeting

    from minutes import adjustment, jobs
    from minutes.demo import ensure_demo_certificate, load_demo
    from minutes.models import SealedDocument, SealingJob
    from minutes.verification import verify_pdf

    benchdb.schema()
    ensure_demo_certificate()
    demo = load_demo()
    meeting = add_meeting(demo)
    for person in [meeting.chair, *(a.person for a in meeting.adjusters.all())]:
        if person.user is None:
            person.user = User.objects.create_user(f"bench-{person.pk}")
            person.save()
    secretary = User.objects.get(username="helena.wik")
    chair, adjuster = (person.user for person, _role in adjustment.signers(meeting))

    timings, approvals, pdf = [], [], b""
    for _ in range(runs + 1):  # the first run warms the imports and the signer's cache
        with transaction.atomic():
            round = adjustment.send_for_adjustment(meeting, user=secretary)
            adjustment.approve(round, user=chair)
            started = time.perf_counter()
            adjustment.approve(round, user=adjuster)
            approved = time.perf_counter()
            outcome = jobs.run(SealingJob.objects.get(round=round).pk)
            timings.append(time.perf_counter() - started)
            approvals.append(approved - started)
            assert outcome == "done", outcome
            document = SealedDocument.objects.get(round=round)
            pdf = document.read_verified()
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            verify = []
            for _ in range(5):
                started = time.perf_counter()
                result = verify_pdf(pdf)
                verify.append(time.perf_counter() - started)
            assert result.ok, result.reason
            transaction.set_rollback(True)
    timings, approvals = timings[1:], approvals[1:]
    print(f"{benchdb.describe(os.environ['DATABASE_URL'])}; {benchdb.load_report()}")
    print(f"{meeting.items.count()} §§; sealed PDF {len(pdf) / 1024:.0f} KiB, {pages} pages")
    print(
        f"last approval -> sealed, stored PDF: median {statistics.median(timings):.2f} s, max {max(timings):.2f} s "
        f"(of which the approval {statistics.median(approvals) * 1000:.0f} ms)"
    )
    median, worst = statistics.median(verify) * 1000, max(verify) * 1000
    print(f"verify_pdf (seal + register): median {median:.0f} ms, max {worst:.0f} ms")


if __name__ == "__main__":
    main()
