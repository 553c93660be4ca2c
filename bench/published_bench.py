"""Published files against static files: an announced protocol's page and PDF, served by one gunicorn.

    .venv/bin/python bench/published_bench.py [--workers 4] [--clients 8] [--seconds 10] [--rounds 3]

The bench builds a database of its own (`paragraf_bench_published_<random>`, bench/benchdb.py; dropped
at the end) and a temporary PARAGRAF_VAR_DIR: the demo and one meeting of 40 §§ (bench/synthetic.py),
adjusted, sealed and announced in this process, with PARAGRAF_SITE_URL set to the address gunicorn
will listen on, so that the worker's step (`jobs.run_queued()`) writes the published files. The
meeting page, its protokoll.pdf and its sealed-file URL are fetched once, and the same bytes are written into the static
files, served by the same gunicorn through whitenoise (the ceiling). gunicorn starts with
bench/gunicorn_bare.conf.py (`--workers` sync workers, no access log, DJANGO_DEBUG=0, the cache in
the database). Each URL gets `--clients` threads for `--seconds` (bench/portal_bench.py's `load`),
alternating static and published, A B A B, for `--rounds`; the ratio of each round is reported, so
that a change of the machine's load between two runs shows as spread, not as a difference. The
machine's load average is printed before and after.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import benchdb  # noqa: E402
from cluster import ADJUSTER, CHAIR, SECRETARY, prepare  # noqa: E402
from portal_bench import load  # noqa: E402
from servers import free_port, setup_django, start_gunicorn, stop  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="paragraf-published-bench-"))
    port = free_port()
    os.environ |= {
        "PARAGRAF_VAR_DIR": str(var),
        "PARAGRAF_CACHE": "database",
        "DJANGO_DEBUG": "0",
        "PARAGRAF_SITE_URL": f"http://127.0.0.1:{port}",
    }
    try:
        with benchdb.throwaway("published"):
            setup_django()
            return bench(args, port)
    finally:
        shutil.rmtree(var, ignore_errors=True)


def announce(pk: int) -> None:
    """Adjust and announce the meeting as its people would, and run the worker's jobs here."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from minutes import adjustment, jobs
    from minutes.models import Meeting

    users = get_user_model().objects
    meeting = Meeting.objects.get(pk=pk)
    now = timezone.now()
    round = adjustment.send_for_adjustment(meeting, user=users.get(username=SECRETARY), now=now)
    for name in (CHAIR, ADJUSTER):
        adjustment.approve(round, user=users.get(username=name), now=now + datetime.timedelta(minutes=1))
    adjustment.announce(meeting, user=users.get(username=SECRETARY))
    jobs.run_queued()  # seals the protocol and the certificate, then publishes


def bench(args: argparse.Namespace, port: int) -> int:
    from django.conf import settings
    from django.test import Client

    from minutes.models import Meeting, PublishedFile

    print("building the demo and a meeting of 40 §§, announcing and publishing it …", file=sys.stderr, flush=True)
    pk = prepare(1, confidential_every=None)[1]
    announce(pk)
    meeting = Meeting.objects.select_related("committee").get(pk=pk)
    page_path = f"/protokoll/{meeting.committee.slug}/{meeting.year}/{meeting.number}/"
    pdf_path = f"{page_path}protokoll.pdf"
    published = {f.path: f for f in PublishedFile.objects.filter(meeting=meeting, encoding="")}
    assert {page_path, pdf_path} <= set(published), sorted(published)
    sealed_path = f"/forseglat/{published[pdf_path].sha256}.pdf"  # the secretariat's link to the same file
    static = Path(settings.STATIC_ROOT) / "bench"
    static.mkdir(parents=True, exist_ok=True)
    client = Client(HTTP_HOST=f"127.0.0.1:{port}")
    pairs = []
    for path, name in ((page_path, "meeting.html"), (pdf_path, "protokoll.pdf"), (sealed_path, "sealed.pdf")):
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response["ETag"] == f'"{published[path].sha256}"', "not served from the published file"
        (static / name).write_bytes(body)
        pairs.append((path, f"/{settings.STATIC_URL.strip('/')}/bench/{name}", len(body)))
    print("load average before (1/5/15 min): " + " / ".join(f"{v:.1f}" for v in os.getloadavg()))
    server = start_gunicorn(port, workers=args.workers)
    try:
        for path, static_path, _size in pairs:  # warm every worker
            load(port, path, clients=2, seconds=2)
            load(port, static_path, clients=2, seconds=2)
        print(
            f"meeting {meeting} (40 §§), {args.workers} gunicorn workers, {args.clients} clients, "
            f"{args.seconds:.0f} s per run, {args.rounds} rounds of static then published"
        )
        for path, static_path, size in pairs:
            ratios = []
            for round in range(1, args.rounds + 1):
                ceiling = load(port, static_path, clients=args.clients, seconds=args.seconds)
                served = load(port, path, clients=args.clients, seconds=args.seconds)
                ratio = served["rps"] / ceiling["rps"]
                ratios.append(ratio)
                print(
                    f"{path} ({size // 1024} KiB) round {round}: static {ceiling['rps']:7.1f} req/s "
                    f"p95 {ceiling['p95']:6.1f} ms | published {served['rps']:7.1f} req/s p95 {served['p95']:6.1f} ms "
                    f"status {served['statuses']} | {ratio:6.1%} of static"
                )
            print(f"{path}: {min(ratios):.1%}–{max(ratios):.1%} of static (target 80 %)")
    finally:
        stop(server)
    print(benchdb.load_report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
