"""The OParl meetings list of the ten years, page 1 at the default limit: its size and time per content coding.

    .venv/bin/python bench/oparl_meetings_bench.py [--requests 30] [--workers 2] [--root PATH]

The database is `paragraf_bench_decade` (bench/benchdb.py; built when missing, and kept). gunicorn
(bench/gunicorn_bare.conf.py, `--workers` sync workers, the cache in the database) serves the code
at `--root` (default: this checkout), so that the same bench measures another release's code,
e.g. an export of main (`git archive main | tar -x -C /tmp/main`). One client on a keep-alive
connection fetches /oparl/v1/body/<body>/meetings `--requests` times for each Accept-Encoding
(none, gzip, br) after two warm-up requests, and reports the bytes received and the latency's
median and 95th percentile (time to the last byte).
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import benchdb  # noqa: E402
from servers import BARE_CONFIG, BIN, free_port, setup_django, stop, wait_for  # noqa: E402


def fetch(port: int, path: str, coding: str, requests: int) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Accept-Encoding": coding} if coding else {}
    times, size, encoding = [], 0, ""
    for n in range(requests + 2):
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        assert response.status == 200, response.status
        size, encoding = len(body), response.getheader("Content-Encoding", "")
        if n >= 2:
            times.append(elapsed)
    connection.close()
    times.sort()
    return {
        "bytes": size,
        "encoding": encoding or "identity",
        "p50": statistics.median(times) * 1000,
        "p95": times[max(0, -(-len(times) * 95 // 100) - 1)] * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose code gunicorn serves")
    parser.add_argument("--database", default=benchdb.DECADE)
    args = parser.parse_args()
    os.environ |= {"PARAGRAF_CACHE": "database", "DJANGO_DEBUG": "0"}
    with benchdb.decade(args.database):
        setup_django()
        benchdb.schema()
        from django.core.cache import cache

        cache.clear()
        port = free_port()
        command = [str(BIN / "gunicorn"), "-c", str(BARE_CONFIG), "committee.wsgi", "-w", str(args.workers)]
        server = subprocess.Popen([*command, "-b", f"127.0.0.1:{port}"], cwd=args.root, env=os.environ.copy())
        try:
            wait_for(port)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", "/oparl/v1/bodies")
            body = json.loads(connection.getresponse().read())["data"][0]
            connection.close()
            path = "/" + body["meeting"].split("://", 1)[1].split("/", 1)[1]
            where = benchdb.describe(os.environ["DATABASE_URL"])
            print(f"{path} served from {args.root}, {args.workers} workers; {where}")
            for coding in ("", "gzip", "br"):
                r = fetch(port, path, coding, args.requests)
                print(
                    f"Accept-Encoding {coding or '(none)':7} -> {r['encoding']:8} {r['bytes']:>10,} bytes  "
                    f"p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  ({args.requests} requests)"
                )
        finally:
            stop(server)
    print(benchdb.load_report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
