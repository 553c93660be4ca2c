"""Paragraf as production runs it, on this machine: gunicorn with several workers and `manage.py worker`.

    .venv/bin/python bench/production_bench.py [--web-workers 5] [--clients 8] [--seconds 15] \
        [--interval 1.0] [--runs 3] [--background 10] [--page-clients 2] [--think 0.25] [--worker-nice 0]

The bench builds a database of its own, `paragraf_bench_production_<random>` (bench/benchdb.py: on
the server of DATABASE_URL, or the private cluster under var/; dropped at the end unless --keep),
and a temporary PARAGRAF_VAR_DIR: the demo, left a draft, and `--runs` + `--background` drafts
of 40 §§ (bench/synthetic.py). gunicorn starts as the README says
(gunicorn.conf.py, WEB_CONCURRENCY=`--web-workers`, access log to a file, DatabaseCache); every
request goes over loopback with real sign-ins. Three measures, method and figures in bench/PRODUCTION.md:

1. Time to downloadable. One worker runs idle (`--interval`: how long it sleeps when the queue is
   empty). The adjuster's last approval is POSTed; the sealing fragment is polled every 0.1 s as the
   secretary until it links the sealed file, which is then downloaded. `--runs` protocols in turn:
   the first is the worker's first job (WeasyPrint not yet imported), the others are warm.
2. Ordinary pages while ten protocols render (`--background 0` leaves this measure out). A second
   worker joins. The portal's committee page and the secretariat's meeting page (the demo's 12 §§,
   rendered on every request) are requested by `--page-clients` threads with `--think` s between
   requests, for `--seconds`; then ten last approvals are POSTed and the same load runs until all
   ten jobs are done. p95 during against p95 before.
3. Throughput under load. The first protocol is announced; its portal page and protokoll.pdf, and
   the same bytes copied into the static files (served by whitenoise from the same gunicorn, which
   is restarted to see them), each get `--clients` threads for `--seconds` (bench/portal_bench.py's
   `load`; gunicorn's sync workers close the connection after each response). The sealed-file
   URL of the secretariat is measured too. Then one PDF request is timed part by part and
   profiled in this process.
"""

import argparse
import cProfile
import hashlib
import io
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import benchdb  # noqa: E402
from cluster import ADJUSTER, CHAIR, PASSWORD, SECRETARY, prepare, round_id  # noqa: E402
from portal_bench import load  # noqa: E402
from servers import Browser, free_port, setup_django, start_gunicorn, start_worker, stop  # noqa: E402

PDF_TARGET = 0.80  # of the static file's throughput
LATENCY_TARGET = 2.0  # p95 during background rendering, as a multiple of p95 before


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": statistics.median(values), "p95": p95(values), "max": max(values)}


def sample(port: int, paths: list[str], *, cookies: dict, clients: int, think: float, until) -> dict:
    """Each of `clients` threads requests `paths` in turn, `think` s apart, while `until()` is false.

    Returns the latencies in ms per path, and any status other than 200.
    """
    latencies: dict[str, list[float]] = {path: [] for path in paths}
    bad: list[tuple[str, int]] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        browser = Browser()
        browser.cookies = dict(cookies)
        n = offset
        while not until():
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            status, _h, _body = browser.get(port, path)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies[path].append(elapsed)
                if status != 200:
                    bad.append((path, status))
            time.sleep(think)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies": latencies, "bad": bad}


def sealed_link(page: bytes) -> str | None:
    found = re.search(rb'href="(/forseglat/[0-9a-f]{64}\.pdf)', page)
    return found.group(1).decode() if found else None


def time_to_downloadable(port: int, pk: int, rid: int, adjuster: Browser, secretary: Browser) -> dict:
    """From the last approval's POST to the sealed PDF downloaded; with the job's own timestamps."""
    from django_tasks_db.models import DBTaskResult
    from pypdf import PdfReader

    from minutes.models import SealingJob

    form = {"action": "approve", "round": rid, "disagreement": ""}
    started = time.perf_counter()
    status, _h, _b = adjuster.post(port, f"/sammantrade/{pk}/justering/atgard/", form)
    approved = time.perf_counter()
    assert status == 302, status
    polls = 0
    while True:
        polls += 1
        link = sealed_link(secretary.get(port, f"/sammantrade/{pk}/forsegling/")[2])
        if link:
            break
        if time.perf_counter() - started > 300:
            raise RuntimeError(f"meeting {pk} not sealed after 300 s")
        time.sleep(0.1)
    status, headers, pdf = secretary.get(port, link)
    done = time.perf_counter()
    assert status == 200 and headers["content-type"] == "application/pdf", (status, headers)
    job = SealingJob.objects.get(round_id=rid)
    task = DBTaskResult.objects.get(task_path__endswith="seal_round", args_kwargs__args=[job.pk])
    return {
        "total": done - started,
        "approve request": approved - started,
        "queued → worker starts it": (task.started_at - task.enqueued_at).total_seconds(),
        "worker starts → sealed, stored": (job.finished_at - task.started_at).total_seconds(),
        "polls": polls,
        "bytes": len(pdf),
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
    }


def profile_pdf(path: str, sha256: str, *, requests: int = 200) -> str:
    """Where the time of a protokoll.pdf request goes, in this process: the parts timed alone, then a profile."""
    from django.db import connection
    from django.test import Client

    from minutes.models import SealedDocument

    client = Client(HTTP_HOST="127.0.0.1")

    def request() -> None:
        b"".join(client.get(path).streaming_content)

    def read() -> None:
        with document.file.open("rb") as handle:
            handle.read()

    document = SealedDocument.objects.get(sha256=sha256)
    data = document.read_verified()
    with connection.cursor() as cursor:
        cursor.execute("SELECT octet_length(snapshot::text) FROM minutes_sealeddocument WHERE id = %s", [document.pk])
        snapshot_bytes = cursor.fetchone()[0]
    parts = {
        "whole request (test client)": request,
        "the row, with its snapshot JSON": lambda: SealedDocument.objects.get(pk=document.pk),
        "the row, snapshot deferred": lambda: SealedDocument.objects.defer("snapshot").get(pk=document.pk),
        "read the file": read,
        "SHA-256 of the bytes": lambda: hashlib.sha256(data).hexdigest(),
    }
    lines = [f"PDF {len(data) // 1024} KiB; the row's snapshot JSON {snapshot_bytes // 1024} KiB"]
    for name, part in parts.items():
        part()
        started = time.perf_counter()
        for _ in range(requests):
            part()
        lines.append(f"  {name:34} {(time.perf_counter() - started) / requests * 1000:6.2f} ms")
    spent: dict[str, list[float]] = {}

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.setdefault(re.sub(r"\s+", " ", sql)[:90], []).append(time.perf_counter() - started)

    with connection.execute_wrapper(timed):
        for _ in range(requests):
            request()
    lines.append(f"  its queries, each timed alone (ms a request; {requests} requests):")
    for sql, times in spent.items():
        lines.append(f"    {sum(times) / requests * 1000:6.2f}  {sql}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        request()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(8)
    printed = [line for line in out.getvalue().splitlines() if line.strip()]
    lines.append(f"  cProfile of {requests} requests, by own time:")
    lines += ["    " + line for line in printed[next(i for i, t in enumerate(printed) if "ncalls" in t) :]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--web-workers", type=int, default=min(2 * (os.cpu_count() or 1) + 1, 12))
    parser.add_argument("--clients", type=int, default=8, help="threads for the throughput runs (default 8)")
    parser.add_argument("--seconds", type=float, default=15, help="length of each load run (default 15)")
    parser.add_argument("--interval", type=float, default=1.0, help="the workers' --interval (default 1 s)")
    parser.add_argument("--runs", type=int, default=3, help="protocols timed to downloadable (default 3)")
    parser.add_argument(
        "--background", type=int, default=10, help="protocols rendered in the background (10; 0 skips measure 2)"
    )
    parser.add_argument("--page-clients", type=int, default=2, help="threads for the ordinary pages (default 2)")
    parser.add_argument("--think", type=float, default=0.25, help="seconds between a thread's page requests (0.25)")
    parser.add_argument("--worker-nice", type=int, default=0, help="start the workers with `nice -n N`")
    parser.add_argument("--keep", action="store_true", help="keep the database and the var directory")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1: measure 3 serves the first protocol timed")
    with benchdb.throwaway("production", keep=args.keep):
        return bench(args)


def bench(args: argparse.Namespace) -> int:
    var = Path(tempfile.mkdtemp(prefix="paragraf-production-"))
    os.environ["PARAGRAF_VAR_DIR"] = str(var)
    os.environ["PARAGRAF_CACHE"] = "database"
    os.environ["DJANGO_DEBUG"] = "0"
    setup_django()
    processes: list = []
    try:
        print(f"building the demo and {args.runs + args.background} meetings of 40 §§ …", file=sys.stderr, flush=True)
        pks = prepare(args.runs + args.background, confidential_every=None)
        return run(args, pks[0], pks[1:], var, processes)
    except BaseException:
        for log in sorted((var / "logs").glob("*.log")):
            print(f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-15:]))
        raise
    finally:
        for process in processes:
            stop(process)
        if args.keep:
            print(f"Kept the var directory {var}", file=sys.stderr)
        else:
            shutil.rmtree(var, ignore_errors=True)


def run(args, demo: int, pks: list[int], var: Path, processes: list) -> int:
    from django.conf import settings

    from minutes.models import Meeting

    timed, background = pks[: args.runs], pks[args.runs :]
    logs = var / "logs"
    logs.mkdir()
    port = free_port()
    web = start_gunicorn(port, workers=args.web_workers, production=True, log=logs / "web.log")
    processes.append(web)
    processes.append(start_worker(interval=args.interval, log=logs / "worker-1.log", nice=args.worker_nice))
    secretary, chair, adjuster = Browser(), Browser(), Browser()
    for browser, username in ((secretary, SECRETARY), (chair, CHAIR), (adjuster, ADJUSTER)):
        browser.sign_in(port, username, PASSWORD)
    rounds = {}
    for pk in pks:
        assert secretary.post(port, f"/sammantrade/{pk}/justering/atgard/", {"action": "send"})[0] == 302
        rounds[pk] = round_id(chair.get(port, f"/sammantrade/{pk}/justering/")[2])
        form = {"action": "approve", "round": rounds[pk], "disagreement": ""}
        assert chair.post(port, f"/sammantrade/{pk}/justering/atgard/", form)[0] == 302

    # 1. From the last approval to a downloadable sealed PDF, one idle worker.
    print("time to downloadable …", file=sys.stderr, flush=True)
    downloadable = []
    for pk in timed:
        time.sleep(3 + args.interval)  # the worker has started (or finished the last job) and waits
        downloadable.append(time_to_downloadable(port, pk, rounds[pk], adjuster, secretary))
    for pk in timed:
        form = {"action": "announce", "posted_on": time.strftime("%Y-%m-%d")}
        assert secretary.post(port, f"/sammantrade/{pk}/justering/atgard/", form)[0] == 302

    # 2. Ordinary pages before and while ten protocols render on two workers.
    meeting = Meeting.objects.select_related("committee").get(pk=timed[0])
    pages = [f"/protokoll/{meeting.committee.slug}/", f"/sammantrade/{demo}/"]
    rendering = None
    if background:
        processes.append(start_worker(interval=args.interval, log=logs / "worker-2.log", nice=args.worker_nice))
        rendering = pages_while_rendering(args, port, pages, secretary, adjuster, {pk: rounds[pk] for pk in background})
    for process in processes[1:]:
        stop(process)

    # 3. Throughput: the meeting page and protokoll.pdf against the same bytes as static files.
    print("throughput …", file=sys.stderr, flush=True)
    base = f"/protokoll/{meeting.committee.slug}/{meeting.date.year}/{meeting.number}/"
    status, _h, html = Browser().get(port, base)
    status_pdf, _h, pdf = Browser().get(port, base + "protokoll.pdf")
    assert status == status_pdf == 200, (status, status_pdf)
    static = Path(settings.STATIC_ROOT) / "bench"
    static.mkdir(parents=True, exist_ok=True)
    (static / "meeting.html").write_bytes(html)
    (static / "protokoll.pdf").write_bytes(pdf)
    static_url = f"/{settings.STATIC_URL.strip('/')}/bench/"
    stop(web)  # whitenoise lists the static files when it starts: a new server sees the copies
    processes.remove(web)
    web = start_gunicorn(port, workers=args.web_workers, production=True, log=logs / "web.log")
    processes.append(web)
    sealed = f"/forseglat/{hashlib.sha256(pdf).hexdigest()}.pdf"
    urls = {
        "static meeting.html": static_url + "meeting.html",
        "meeting page": base,
        "static protokoll.pdf": static_url + "protokoll.pdf",
        "portal protokoll.pdf": base + "protokoll.pdf",
        "sealed-file URL /forseglat/….pdf": sealed,
    }
    for path in urls.values():
        load(port, path, clients=2, seconds=2)  # every worker warm
    throughput = {name: load(port, path, clients=args.clients, seconds=args.seconds) for name, path in urls.items()}
    stop(web)
    processes.remove(web)
    profile = profile_pdf(base + "protokoll.pdf", hashlib.sha256(pdf).hexdigest())

    report(args, downloadable, rendering, throughput, html, pdf, profile)
    return 0


def pages_while_rendering(
    args, port: int, pages: list[str], secretary: Browser, adjuster: Browser, rounds: dict
) -> dict:
    """Ordinary pages for `--seconds` with the workers idle, then while the meetings of `rounds` are sealed."""
    from django.db import connection

    from minutes.models import JobState, SealingJob

    print("ordinary pages before and during background rendering …", file=sys.stderr, flush=True)
    background = list(rounds)
    for path in pages:
        assert secretary.get(port, path)[0] == 200, path
    time.sleep(3)  # the second worker is up
    ends = time.monotonic() + args.seconds
    before = sample(
        port,
        pages,
        cookies=secretary.cookies,
        clients=args.page_clients,
        think=args.think,
        until=lambda: time.monotonic() > ends,
    )
    state = {"done": False}

    def approve_background() -> None:
        for pk in background:
            form = {"action": "approve", "round": rounds[pk], "disagreement": ""}
            assert adjuster.post(port, f"/sammantrade/{pk}/justering/atgard/", form)[0] == 302
        while SealingJob.objects.filter(round__meeting__in=background).exclude(state=JobState.DONE).exists():
            time.sleep(0.2)
            if SealingJob.objects.filter(round__meeting__in=background, state=JobState.FAILED).exists():
                break
        state["done"] = True
        connection.close()

    began = time.monotonic()
    approver = threading.Thread(target=approve_background)
    approver.start()
    during = sample(
        port, pages, cookies=secretary.cookies, clients=args.page_clients, think=args.think, until=lambda: state["done"]
    )
    approver.join()
    seconds = time.monotonic() - began
    benchdb.close_connections()
    jobs = list(SealingJob.objects.filter(round__meeting__in=background))
    return {
        "before": before,
        "during": during,
        "seconds": seconds,
        "jobs": len(jobs),
        "workers": {j.worker for j in jobs},
    }


def report(args, downloadable, rendering, throughput, html, pdf, profile) -> None:
    print(
        f"\n{benchdb.load_report()}\n{benchdb.describe(os.environ['DATABASE_URL'])}; "
        f"gunicorn {args.web_workers} workers "
        f"(gunicorn.conf.py); task workers --interval {args.interval:g} s"
        + (f", nice {args.worker_nice}" if args.worker_nice else "")
    )
    print(f"\n1. Last approval → sealed PDF downloaded (40 §§, one idle worker), {len(downloadable)} runs")
    for n, d in enumerate(downloadable, start=1):
        parts = ", ".join(f"{k} {d[k]:.2f} s" for k in ("approve request", "queued → worker starts it"))
        print(
            f"  run {n}{' (worker cold)' if n == 1 else ''}: {d['total']:.2f} s "
            f"({parts}, sealing {d['worker starts → sealed, stored']:.2f} s; "
            f"{d['bytes'] // 1024} KiB, {d['pages']} pages)"
        )
    warm = [d["total"] for d in downloadable[1:]] or [downloadable[0]["total"]]
    print(f"  warm worker: median {statistics.median(warm):.2f} s")

    worst = None
    if rendering is None:
        print("\n2. Ordinary pages while protocols render: not measured (--background 0)")
    else:
        worst = pages_report(args, **rendering)

    print(
        f"\n3. Throughput, {args.clients} clients, {args.seconds:g} s each "
        f"(meeting page {len(html) // 1024} KiB, protokoll.pdf {len(pdf) // 1024} KiB)"
    )
    for name, r in throughput.items():
        size = len(pdf) if "pdf" in name else len(html)
        ceiling = throughput["static protokoll.pdf" if "pdf" in name else "static meeting.html"]
        print(
            f"  {name:30} {r['rps']:7.1f} req/s {r['rps'] * size / 2**20:7.1f} MiB/s  "
            f"p50 {r['p50']:6.1f} p95 {r['p95']:6.1f} ms  {r['rps'] / ceiling['rps']:6.1%} of static  "
            f"status {r['statuses']}"
        )
    print(f"\nWhere a portal protokoll.pdf request spends its time, in-process, each part alone:\n{profile}")

    pdf_ratio = throughput["portal protokoll.pdf"]["rps"] / throughput["static protokoll.pdf"]["rps"]
    print()
    print(
        f"TARGET stored PDF ≥ {PDF_TARGET:.0%} of static: {pdf_ratio:.1%} — "
        f"{'MET' if pdf_ratio >= PDF_TARGET else 'MISSED'}"
    )
    if worst is not None:
        print(
            f"TARGET p95 during rendering ≤ {LATENCY_TARGET:g}× before: worst × {worst:.2f} — "
            f"{'MET' if worst <= LATENCY_TARGET else 'MISSED'}"
        )


def pages_report(args, *, before: dict, during: dict, seconds: float, jobs: int, workers: set) -> float:
    """Measure 2's lines; returns the worst p95 ratio, during against before."""
    print(
        f"\n2. Ordinary pages, {args.page_clients} clients with {args.think:g} s between requests: "
        f"{args.seconds:g} s before; "
        f"during: {seconds:.0f} s until {jobs} jobs were done on {len(workers)} workers"
    )
    worst = 0.0
    for path in before["latencies"]:
        b, d = summary(before["latencies"][path]), summary(during["latencies"][path])
        worst = max(worst, d["p95"] / b["p95"])
        print(
            f"  {path:26} before: p50 {b['p50']:6.1f} p95 {b['p95']:6.1f} ms ({b['n']} req)   "
            f"during: p50 {d['p50']:6.1f} p95 {d['p95']:6.1f} max {d['max']:6.0f} ms ({d['n']} req)   "
            f"p95 × {d['p95'] / b['p95']:.2f}"
        )
    if before["bad"] or during["bad"]:
        print(f"  statuses other than 200: before {before['bad'][:5]}, during {during['bad'][:5]}")
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
