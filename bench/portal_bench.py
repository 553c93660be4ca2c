"""The portal's meeting and § pages under concurrent load, served by gunicorn, against a static ceiling.

    .venv/bin/python bench/portal_bench.py [--workers 4] [--clients 8] [--seconds 20] [--cache database]

The database is `paragraf_bench_decade` with `bench/decade.py`'s ten years (bench/benchdb.py: on the
server of DATABASE_URL, or the private cluster under var/; built when it is missing, and kept). The
pages are cached as settings say (`--cache`: the database, the default and production's, or each
process's memory); the cache is emptied first. The biggest published meeting's page and its middle
§ are fetched once in-process; the meeting page's HTML is then written into the static files (in a
temporary PARAGRAF_VAR_DIR), so that the same bytes are served by the same gunicorn (through
whitenoise) as the ceiling. Each URL gets `--clients` threads for `--seconds`,
each thread sending requests one after another on a keep-alive connection; throughput is the
completed requests per second, latency the time from sending to the last byte. A last run
repeats the meeting page with the ETag it was served with, which the portal answers with 304.
"""

import argparse
import http.client
import os
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
from servers import free_port, setup_django, start_gunicorn, stop  # noqa: E402


def load(port: int, path: str, *, clients: int, seconds: float, headers: dict | None = None) -> dict:
    """Hammer one path from `clients` threads; return requests per second and latency percentiles."""
    latencies: list[float] = []
    statuses: set[int] = set()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            statuses.add(response.status)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "requests": len(latencies),
        "statuses": sorted(statuses),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--cache", choices=["database", "memory"], default="database", help="PARAGRAF_CACHE")
    parser.add_argument("--database", default=benchdb.DECADE, help="the decade's database (default %(default)s)")
    args = parser.parse_args()
    os.environ["PARAGRAF_CACHE"] = args.cache
    with benchdb.decade(args.database), tempfile.TemporaryDirectory(prefix="paragraf-portal-bench-") as var:
        os.environ["PARAGRAF_VAR_DIR"] = var  # collectstatic and the static copy go there
        return bench(args)


def bench(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from minutes.portal.published import published_meetings

    benchdb.schema()
    if not published_meetings().exists():
        raise SystemExit(f"{args.database} holds no published protocol: name the decade's database, or a new name")
    cache.clear()
    meeting = published_meetings().annotate(n=Count("items")).select_related("committee").order_by("-n").first()
    slug, year, number = meeting.committee.slug, meeting.year, meeting.number
    middle = meeting.items.order_by("position")[meeting.n // 2].number
    meeting_path = f"/protokoll/{slug}/{year}/{number}/"
    item_path = f"{meeting_path}paragraf-{middle}/"
    call_command("collectstatic", interactive=False, verbosity=0)
    page = Client(HTTP_HOST="127.0.0.1").get(meeting_path)
    assert page.status_code == 200, page.status_code
    static = Path(settings.STATIC_ROOT) / "bench"
    static.mkdir()
    (static / "meeting.html").write_bytes(page.content)
    static_path = f"/{settings.STATIC_URL.strip('/')}/bench/meeting.html"

    port = free_port()
    server = start_gunicorn(port, workers=args.workers)
    try:
        load(port, meeting_path, clients=2, seconds=2)  # warm every worker's connection and templates
        load(port, item_path, clients=2, seconds=2)
        print(
            f"meeting {meeting} ({meeting.n} §§, {len(page.content) // 1024} KiB of HTML), "
            f"{args.workers} gunicorn workers, {args.clients} clients, {args.seconds:.0f} s each, "
            f"cache: {args.cache}; {benchdb.describe(os.environ['DATABASE_URL'])}"
        )
        results = {
            "static file (ceiling)": load(port, static_path, clients=args.clients, seconds=args.seconds),
            "meeting page": load(port, meeting_path, clients=args.clients, seconds=args.seconds),
            "§ page": load(port, item_path, clients=args.clients, seconds=args.seconds),
            "meeting page, 304": load(
                port,
                meeting_path,
                clients=args.clients,
                seconds=args.seconds,
                headers={"If-None-Match": page["ETag"]},
            ),
        }
    finally:
        stop(server)
    print(benchdb.load_report())
    ceiling = results["static file (ceiling)"]["rps"]
    for name, r in results.items():
        print(
            f"{name:24} {r['rps']:8.1f} req/s  p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  "
            f"{r['rps'] / ceiling:6.1%} of static  ({r['requests']} requests, status {r['statuses']})"
        )
    ratio = results["meeting page"]["rps"] / ceiling
    print(f"target: meeting page at least 30 % of the static file's throughput: {'met' if ratio >= 0.3 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
