"""Two web servers and two workers on one PostgreSQL database and one storage: is anything lost,
duplicated or served stale?

    .venv/bin/python bench/cluster.py [--meetings 6] [--keep]

The check builds a database of its own, `paragraf_bench_cluster_<random>` (bench/benchdb.py: on the
server of DATABASE_URL, or the private cluster under var/; dropped at the end unless --keep), and a
temporary PARAGRAF_VAR_DIR that every process shares as its storage. In this process: migrate,
createcachetable, collectstatic, the demo (`load_demo()`, left a draft) and `--meetings` more
drafts of 40 §§ (bench/synthetic.py), every other one with a confidential §, so its job seals a
public version too. Then, as real processes
with the same DATABASE_URL and PARAGRAF_VAR_DIR: gunicorn A and gunicorn B (gunicorn.conf.py,
2 workers each) and two `manage.py worker`s.

Everything goes over HTTP with real sign-ins and CSRF tokens, as the demo's people: the secretary
sends every meeting for adjustment through A; the chair and the adjuster approve through B, so the
last approvals queue all the jobs within a second or two. The sealing fragment is polled on A and B
in turn until every job is done; each meeting is then announced through B, and the committee page
is read through A before and after. Last, the public protocol page and protokoll.pdf are fetched
from both servers. The database and the storage are checked directly. Exits 1 if a check fails.
"""

import argparse
import collections
import datetime
import hashlib
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import benchdb  # noqa: E402
from servers import Browser, free_port, setup_django, start_gunicorn, start_worker, stop  # noqa: E402

PASSWORD = "paragraf-demo"
SECRETARY, CHAIR, ADJUSTER = "helena.wik", "lars.back", "sofia.bergqvist"


def prepare(meetings: int, *, confidential_every: int | None = 2) -> list[int]:
    """The demo meeting and `meetings` drafts of 40 §§ in the configured database; their primary keys.

    Every `confidential_every`th draft (the 2nd, 4th, …) has a confidential §, so it is sealed twice.
    """
    from django.core.management import call_command
    from synthetic import add_meeting

    from minutes.demo import ensure_demo_certificate, load_demo
    from minutes.models import Item, Meeting

    benchdb.schema()
    call_command("collectstatic", interactive=False, verbosity=0)
    ensure_demo_certificate()
    demo = load_demo()
    pks = [demo.pk]
    for k in range(meetings):
        meeting = add_meeting(demo, seed=2016 + k)  # always nr 10: renumbered before the next
        Meeting.objects.filter(pk=meeting.pk).update(number=20 + k)
        if confidential_every and k % confidential_every == confidential_every - 1:
            Item.objects.filter(meeting=meeting, number=2).update(confidential=True, public_heading="Personalärende")
        pks.append(meeting.pk)
    return pks


def round_id(page: bytes) -> int:
    found = re.search(rb'name="round" value="(\d+)"', page)
    if found is None:
        raise RuntimeError("no open adjustment round on the page")
    return int(found.group(1))


class Checks:
    def __init__(self) -> None:
        self.rows: list[tuple[str, bool, str]] = []

    def add(self, name: str, ok: bool, detail: str = "") -> None:
        self.rows.append((name, bool(ok), detail))

    def failed(self) -> int:
        return sum(not ok for _n, ok, _d in self.rows)

    def print(self) -> None:
        width = max(len(n) for n, _o, _d in self.rows)
        print(f"{'check':{width}}  result  detail")
        for name, ok, detail in self.rows:
            print(f"{name:{width}}  {'ok' if ok else 'FAILED':6}  {detail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=6, help="40-§ meetings besides the demo's (default 6)")
    parser.add_argument("--interval", type=float, default=1.0, help="the workers' --interval (default 1 s)")
    parser.add_argument("--keep", action="store_true", help="keep the database and the var directory")
    args = parser.parse_args()
    with benchdb.throwaway("cluster", keep=args.keep):
        return check(args)


def check(args: argparse.Namespace) -> int:
    var = Path(tempfile.mkdtemp(prefix="paragraf-cluster-"))
    os.environ["PARAGRAF_VAR_DIR"] = str(var)
    os.environ["PARAGRAF_CACHE"] = "database"
    os.environ["DJANGO_DEBUG"] = "0"
    setup_django()
    processes = []
    try:
        started = time.monotonic()
        print(f"building the demo and {args.meetings} meetings of 40 §§ …", flush=True)
        pks = prepare(args.meetings)
        benchdb.close_connections()
        a, b = free_port(), free_port()
        logs = var / "logs"
        logs.mkdir()
        for name, port in (("web-a", a), ("web-b", b)):
            processes.append(start_gunicorn(port, workers=2, production=True, log=logs / f"{name}.log"))
        for name in ("worker-1", "worker-2"):
            processes.append(start_worker(interval=args.interval, log=logs / f"{name}.log"))
        print(f"web A on :{a}, web B on :{b} (2 gunicorn workers each), 2 task workers; var {var}", flush=True)
        checks, downloads = drive(pks, a, b)
        database_checks(checks, downloads, pks, var)
    except BaseException:
        for log in sorted((var / "logs").glob("*.log")):
            print(f"--- {log.name} (last lines)\n" + "\n".join(log.read_text(errors="replace").splitlines()[-15:]))
        raise
    finally:
        for process in processes:
            stop(process)
        if args.keep:
            print(f"Kept the var directory {var}")
        else:
            shutil.rmtree(var, ignore_errors=True)
    print()
    checks.print()
    print(f"\n{len(pks)} meetings, {time.monotonic() - started:.0f} s in all; {checks.failed()} check(s) failed")
    print(f"{benchdb.describe(os.environ['DATABASE_URL'])}; {benchdb.load_report()}")
    return 1 if checks.failed() else 0


def follow(browser: Browser, pks: list[int], ports: tuple[int, int], since: float) -> dict:
    """Poll each meeting's sealing fragment, on the servers in turn, until none has a job under way.

    Returns when each settled (seconds after `since`), the meetings still sealing or failed, and
    what the fragment said, with numbers blanked out.
    """
    pending, settled, seen, polls, failed = set(pks), {}, collections.Counter(), 0, set()
    deadline = time.monotonic() + 300
    while pending and time.monotonic() < deadline:
        for pk in sorted(pending):
            port = ports[polls % len(ports)]
            polls += 1
            status, _h, body = browser.get(port, f"/sammantrade/{pk}/forsegling/")
            text = body.decode()
            for shown in re.findall(r'<p class="mb-1">(.*?)</p>', text):
                seen[re.sub(r"\d+", "n", shown)] += 1
            if "alert-danger" in text:
                failed.add(pk)
            if status == 200 and 'hx-trigger="every' not in text:
                pending.discard(pk)
                settled[pk] = time.monotonic() - since
        time.sleep(0.3)
    return {"settled": settled, "pending": pending, "failed": failed, "seen": seen, "polls": polls}


def drive(pks: list[int], a: int, b: int) -> tuple[Checks, dict]:
    """Send through A, approve through B, follow the sealing on both, announce through B, read on both."""
    from minutes.models import Meeting

    checks = Checks()
    meetings = {m.pk: m for m in Meeting.objects.filter(pk__in=pks).select_related("committee")}
    secretary, chair, adjuster, public = Browser(), Browser(), Browser(), Browser()
    secretary.sign_in(a, SECRETARY, PASSWORD)
    chair.sign_in(a, CHAIR, PASSWORD)  # signed in on A, approves on B: the session is in the database
    adjuster.sign_in(b, ADJUSTER, PASSWORD)

    statuses = collections.Counter()
    for pk in pks:
        statuses[secretary.post(a, f"/sammantrade/{pk}/justering/atgard/", {"action": "send"})[0]] += 1
    checks.add("send for adjustment via A", statuses == {302: len(pks)}, f"statuses {dict(statuses)}")

    rounds, statuses = {}, collections.Counter()
    for pk in pks:
        status, _h, page = chair.get(b, f"/sammantrade/{pk}/justering/")
        rounds[pk] = round_id(page)
        form = {"action": "approve", "round": rounds[pk], "disagreement": ""}
        statuses[chair.post(b, f"/sammantrade/{pk}/justering/atgard/", form)[0]] += 1
    approved = time.monotonic()
    for pk in pks:  # the last approvals, one after another: every job is queued within a second or two
        form = {"action": "approve", "round": rounds[pk], "disagreement": ""}
        statuses[adjuster.post(b, f"/sammantrade/{pk}/justering/atgard/", form)[0]] += 1
    checks.add("approve via B (chair, then adjuster)", statuses == {302: 2 * len(pks)}, f"statuses {dict(statuses)}")

    # Follow the sealing as the page does, on A and B in turn, until every meeting's jobs are settled.
    sealing = follow(secretary, pks, (a, b), approved)
    checks.add(
        "sealing fragment settles after approval (A and B)",
        not sealing["pending"] and not sealing["failed"],
        f"{sealing['polls']} polls; "
        f"last settled {max(sealing['settled'].values(), default=0):.1f} s after the approvals"
        + (f"; still sealing: {sorted(sealing['pending'])}" if sealing["pending"] else "")
        + (f"; failed: {sorted(sealing['failed'])}" if sealing["failed"] else ""),
    )

    # Announce through B; the committee page read through A must show each new protocol at once.
    today = datetime.date.today().isoformat()
    stale, statuses, before_ok, early = [], collections.Counter(), True, collections.Counter()
    for pk in pks:
        meeting = meetings[pk]
        link = f"/protokoll/{meeting.committee.slug}/{meeting.date.year}/{meeting.number}/"
        for port in (a, b):  # both servers have the page as it stands in the shared cache
            status, _h, page = public.get(port, f"/protokoll/{meeting.committee.slug}/")
            before_ok &= status == 200 and f'href="{link}"'.encode() not in page
        before_ok &= public.get(a, link)[0] == 404
        form = {"action": "announce", "posted_on": today}
        statuses[secretary.post(b, f"/sammantrade/{pk}/justering/atgard/", form)[0]] += 1
        status, _h, page = public.get(a, f"/protokoll/{meeting.committee.slug}/")
        if status != 200 or f'href="{link}"'.encode() not in page or public.get(a, link)[0] != 200:
            stale.append(meeting.number)
        early[public.get(a, link + "protokoll.pdf")[0]] += 1  # 503 while a document is still being sealed
    announced = time.monotonic()
    checks.add("announce via B", statuses == {302: len(pks)}, f"statuses {dict(statuses)}")
    checks.add("committee page via A before: not listed, 404", before_ok)
    checks.add(
        "committee page via A right after: listed, 200",
        not stale,
        f"stale for meeting nr {stale}" if stale else f"{len(pks)} of {len(pks)} fresh",
    )
    after = follow(secretary, pks, (b, a), announced)  # whatever the announcement queued
    checks.add(
        "sealing fragment settles after announcement",
        not after["pending"] and not after["failed"],
        f"protokoll.pdf via A right after announcing: {dict(early)}; "
        f"last settled {max(after['settled'].values(), default=0):.1f} s after the last announcement",
    )
    print("what the sealing fragment showed while polling (numbers as n):")
    for shown, count in (sealing["seen"] + after["seen"]).most_common():
        print(f"  {count:4} × {shown}")

    downloads = {}
    for pk in pks:
        meeting = meetings[pk]
        base = f"/protokoll/{meeting.committee.slug}/{meeting.date.year}/{meeting.number}/"
        downloads[pk] = {
            "pdf": [public.get(port, base + "protokoll.pdf") for port in (a, b)],
            "page": [public.get(port, base) for port in (a, b)],
        }
    return checks, downloads


def database_checks(checks: Checks, downloads: dict, pks: list[int], var: Path) -> None:
    """What the processes left in the database and the storage."""
    from django_tasks_db.models import DBTaskResult

    from minutes.models import AdjustmentRound, DocumentKind, Item, JobState, SealedDocument, SealingJob

    rounds = {r.meeting_id: r for r in AdjustmentRound.objects.filter(meeting__in=pks, item__isnull=True)}
    checks.add(
        "one completed round per meeting",
        len(rounds) == len(pks) and all(r.state == "completed" for r in rounds.values()),
    )
    jobs = list(SealingJob.objects.filter(round__meeting__in=pks).select_related("round__meeting").order_by("pk"))
    planned = collections.Counter((j.round_id, kind, tuple(numbers)) for j in jobs for kind, numbers in j.documents)
    checks.add(
        "each document in one job only",
        set(planned.values()) == {1},
        f"{len(jobs)} jobs for {len(pks)} rounds, {sum(planned.values())} documents planned",
    )
    checks.add(
        "every job done at the first attempt",
        all(j.state == JobState.DONE and j.attempts == 1 for j in jobs),
        ", ".join(
            f"{state} at attempt {n}: {count}"
            for (state, n), count in collections.Counter((j.state, j.attempts) for j in jobs).items()
        ),
    )
    workers = collections.Counter(j.worker for j in jobs)
    checks.add("both workers took jobs", len(workers) == 2, "; ".join(f"{w}: {n}" for w, n in sorted(workers.items())))
    tasks = list(DBTaskResult.objects.filter(task_path__endswith="seal_round"))
    outcomes = collections.Counter((t.status, t.return_value) for t in tasks)
    checks.add(
        "one task per job, each ran once and sealed",
        len(tasks) == len(jobs)
        and outcomes == {("SUCCESSFUL", "done"): len(jobs)}
        and all(len(t.worker_ids) == 1 for t in tasks),
        f"{len(tasks)} tasks: " + ", ".join(f"{s}/{r}: {n}" for (s, r), n in outcomes.items()),
    )

    documents = list(SealedDocument.objects.filter(meeting__in=pks))
    confidential = set(Item.objects.filter(meeting__in=pks, confidential=True).values_list("meeting", flat=True))
    expected = {(rounds[pk].pk, kind) for pk in pks for kind in (DocumentKind.PROTOCOL, DocumentKind.CERTIFICATE)}
    expected |= {(rounds[pk].pk, DocumentKind.PUBLIC) for pk in confidential}
    found = collections.Counter((d.round_id, d.kind) for d in documents)
    checks.add(
        "one sealed document per (round, kind), none missing",
        set(found) == expected and set(found.values()) == {1},
        f"{len(documents)} documents, {len(expected)} expected (a protocol and a certificate per meeting, "
        f"{len(confidential)} meetings with a public version)",
    )
    media = var / "media"
    files = sorted(media.rglob("*.pdf"))
    stored = {hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    checks.add(
        "storage holds exactly those files, intact",
        len(files) == len(documents) and stored == {d.sha256 for d in documents},
        f"{len(files)} PDF files under {media.name}/",
    )

    served = []
    for pk in pks:
        kind = DocumentKind.PUBLIC if pk in confidential else DocumentKind.PROTOCOL
        document = next((d for d in documents if d.round_id == rounds[pk].pk and d.kind == kind), None)
        (sa, _ha, pa), (sb, _hb, pb) = downloads[pk]["pdf"]
        served.append(
            document is not None and sa == sb == 200 and pa == pb and hashlib.sha256(pa).hexdigest() == document.sha256
        )
    checks.add("protokoll.pdf from A and B: identical, SHA-256 as stored", all(served), f"{sum(served)} of {len(pks)}")
    same = []
    for pk in pks:
        (sa, ha, pa), (sb, hb, pb) = downloads[pk]["page"]
        same.append(sa == sb == 200 and pa == pb and ha.get("etag") == hb.get("etag"))
    checks.add("protocol page from A and B: same bytes and ETag", all(same), f"{sum(same)} of {len(pks)}")

    print(f"\n{'meeting':>8} {'§§':>3}  {'documents':22} {'worker':22} {'queued → done':>14}  attempts")
    for job in jobs:
        meeting = job.round.meeting
        kinds = ", ".join(kind for kind, _n in job.documents)
        took = (job.finished_at - job.created_at).total_seconds() if job.finished_at else float("nan")
        items = meeting.items.count()
        print(f"{meeting.number:>8} {items:>3}  {kinds:22} {job.worker:22} {took:12.1f} s  {job.attempts}")


if __name__ == "__main__":
    raise SystemExit(main())
