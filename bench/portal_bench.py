"""The portal's meeting and § pages under concurrent load, served by gunicorn, against a static ceiling.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paragraf_bench .venv/bin/python bench/portal_bench.py \
        [--workers 4] [--clients 8] [--seconds 20]

The database should hold `bench/decade.py`'s ten years (it is built if no protocol is published).
The biggest published meeting's page and its middle § are fetched once in-process; the meeting
page's HTML is then written into the static files, so that the same bytes are served by the same
gunicorn (through whitenoise) as the ceiling. Each URL gets `--clients` threads for `--seconds`,
each thread sending requests one after another on a keep-alive connection; throughput is the
completed requests per second, latency the time from sending to the last byte. A last run
repeats the meeting page with the ETag it was served with, which the portal answers with 304.
"""

import argparse
import http.client
import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

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
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL to a PostgreSQL database (the decade is built there if it is empty)")
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from minutes.portal.published import published_meetings

    call_command("migrate", verbosity=0)
    if not published_meetings().exists():
        from decade import build_decade

        print("building the decade …", flush=True)
        build_decade()
    meeting = published_meetings().annotate(n=Count("items")).select_related("committee").order_by("-n").first()
    slug, year, number = meeting.committee.slug, meeting.year, meeting.number
    middle = meeting.items.order_by("position")[meeting.n // 2].number
    meeting_path = f"/protokoll/{slug}/{year}/{number}/"
    item_path = f"{meeting_path}paragraf-{middle}/"
    page = Client(HTTP_HOST="127.0.0.1").get(meeting_path)
    assert page.status_code == 200, page.status_code
    call_command("collectstatic", interactive=False, verbosity=0)
    static = Path(settings.STATIC_ROOT) / "bench"
    static.mkdir(parents=True, exist_ok=True)
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
            f"{os.cpu_count()} cores"
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
        shutil.rmtree(static, ignore_errors=True)
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
