"""The OParl API on ten years of protocols: a client's whole crawl, and list pages of 100 AgendaItems.

    .venv/bin/python bench/oparl_bench.py [--runs 3] [--requests 200] [--workers 2] [--cache database]

The database is `paragraf_bench_decade` with `bench/decade.py`'s ten years (bench/benchdb.py: on the
server of DATABASE_URL, or the private cluster under var/; built when it is missing, and kept). The
bench only reads it, after `migrate` and `createcachetable`, and empties the cache (`--cache`: the
database, the default and production's, or each process's memory) first. The API is served by gunicorn with
`--workers` workers and read by one client on a keep-alive connection, as a crawler would:
from /oparl/v1/system through every list of every Body, page by page along `links.next`.
Then AgendaItem list pages of `limit=100` are fetched `--requests` times in a shuffled order
over all their pages, and the queries of a list page are counted in-process (Django's test
client with `CaptureQueriesContext`) at page sizes 10, 100 and 1000. See bench/OPARL.md.
"""

import argparse
import http.client
import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import benchdb  # noqa: E402
from servers import free_port, setup_django, start_gunicorn, stop  # noqa: E402

SYSTEM = "/oparl/v1/system"
LISTS = [
    "organization",
    "person",
    "meeting",
    "paper",
    "agendaItem",
    "consultation",
    "file",
    "membership",
    "locationList",
    "legislativeTermList",
]
TARGET_P95_MS = 100.0


def p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


class Client:
    """One keep-alive HTTP connection to the server, as a crawler holds it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.bytes = 0

    def get(self, url: str) -> tuple[dict, float]:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        started = time.perf_counter()
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status} {body[:200]!r}")
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        self.bytes += len(body)
        return json.loads(body), elapsed


def crawl(client: Client) -> dict:
    """Every list of every Body through all its pages; what it took, list by list."""
    started = time.perf_counter()
    system, _t = client.get(SYSTEM)
    bodies, _t = client.get(system["body"])
    per_list: dict[str, dict] = {}
    for body in bodies["data"]:
        for key in LISTS:
            url, began = body[key], time.perf_counter()
            entry = per_list.setdefault(key, {"pages": 0, "objects": 0, "seconds": 0.0, "page_times": [], "bytes": 0})
            read_before = client.bytes
            while url:
                page, elapsed = client.get(url)
                entry["pages"] += 1
                entry["objects"] += len(page["data"])
                entry["page_times"].append(elapsed)
                url = page["links"].get("next")
            entry["seconds"] += time.perf_counter() - began
            entry["bytes"] += client.bytes - read_before
    return {
        "seconds": time.perf_counter() - started,
        "lists": per_list,
        "bodies": len(bodies["data"]),
        "agenda_list": bodies["data"][0]["agendaItem"],
    }


def with_params(url: str, **params) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def list_pages(port: int, agenda_list: str, *, requests: int, limit: int, seed: int = 1) -> dict:
    """`requests` AgendaItem pages of `limit`, every page of the list in a shuffled order, round after round."""
    client = Client(port)
    first, _t = client.get(with_params(agenda_list, limit=limit))
    pages = first["pagination"]["totalPages"]
    order: list[int] = []
    rng = random.Random(seed)
    while len(order) < requests:
        round_ = list(range(1, pages + 1))
        rng.shuffle(round_)
        order += round_
    times = []
    for page in order[:requests]:
        data, elapsed = client.get(with_params(agenda_list, limit=limit, page=page))
        assert len(data["data"]) == limit or page == pages, (page, len(data["data"]))
        times.append(elapsed * 1000)
    return {"pages": pages, "median": statistics.median(times), "p95": p95(times), "max": max(times), "n": len(times)}


def in_process(agenda_list: str, *, requests: int, seed: int = 2) -> dict:
    """In this process: AgendaItem pages of 100 with an empty cache before each (cold) and without (warm), and the
    queries of list pages, cold and warm: AgendaItems at 10, 100 and 1000 a page, every list at 100."""
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    client = TestClient(HTTP_HOST="127.0.0.1")
    system = client.get(SYSTEM).json()
    body = client.get(system["body"]).json()["data"][0]
    path = urlsplit(agenda_list).path

    def timed(url: str, *, cold: bool) -> tuple[tuple[float, float], int, int]:
        """((wall ms, CPU ms), queries, objects) of one request."""
        if cold:
            cache.clear()
        reset_queries()  # the log keeps 9,000 queries: a full one counts nothing
        with CaptureQueriesContext(connection) as captured:
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert response.status_code == 200, (url, response.status_code)
        return (elapsed * 1000, cpu * 1000), len(captured.captured_queries), len(response.json()["data"])

    pages = client.get(with_params(path, limit=100)).json()["pagination"]["totalPages"]
    order = list(range(1, pages + 1)) * math.ceil(requests / pages)
    random.Random(seed).shuffle(order)
    times = {}
    for state in ("cold", "warm"):
        if state == "warm":
            for page in range(1, pages + 1):  # every page read once, untimed
                timed(with_params(path, limit=100, page=page), cold=False)
        samples = [timed(with_params(path, limit=100, page=p), cold=state == "cold")[0] for p in order[:requests]]
        wall, cpu = [w for w, _c in samples], [c for _w, c in samples]
        times[state] = {
            "median": statistics.median(wall),
            "p95": p95(wall),
            "max": max(wall),
            "cpu median": statistics.median(cpu),
            "cpu p95": p95(cpu),
        }
    counts = {}
    for state in ("cold", "warm"):
        for limit in (10, 100, 1000):
            for page in (1, 2):
                url = with_params(path, limit=limit, page=page)
                timed(url, cold=True)  # the warm count is the second request of the URL
                counts[(state, "agendaItem", limit, page)] = timed(url, cold=state == "cold")[1:]
        for key in LISTS:
            url = with_params(urlsplit(body[key]).path, limit=100)
            timed(url, cold=True)
            counts[(state, key, 100, 1)] = timed(url, cold=state == "cold")[1:]
    return {"times": times, "counts": counts, "pages": pages}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="whole crawls (default 3)")
    parser.add_argument("--requests", type=int, default=200, help="AgendaItem list pages timed (default 200)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--cache", choices=["database", "memory"], default="database", help="PARAGRAF_CACHE")
    parser.add_argument("--database", default=benchdb.DECADE, help="the decade's database (default %(default)s)")
    args = parser.parse_args()
    os.environ["PARAGRAF_CACHE"] = args.cache
    with benchdb.decade(args.database):
        return bench(args)


def bench(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.cache import cache

    from minutes.portal.published import published_items, published_meetings

    benchdb.schema()
    meetings, items = published_meetings().count(), published_items().count()
    if not meetings:
        raise SystemExit(f"{args.database} holds no announced meetings: name the decade's database, or a new name")
    cache.clear()  # the first crawl meets empty caches, whatever an earlier run left in the database

    port = free_port()
    server = start_gunicorn(port, workers=args.workers)
    try:
        crawls = []
        for run in range(args.runs):
            client = Client(port)
            result = crawl(client)
            result["bytes"] = client.bytes
            crawls.append(result)
            print(f"crawl {run + 1}: {result['seconds']:.2f} s", file=sys.stderr, flush=True)
        agenda_list = crawls[0]["agenda_list"]
        list_pages(port, agenda_list, requests=20, limit=100)  # every worker has read every page once
        served = list_pages(port, agenda_list, requests=args.requests, limit=100)
    finally:
        stop(server)
    print("AgendaItem pages in-process, cold and warm", file=sys.stderr, flush=True)
    local = in_process(agenda_list, requests=args.requests)

    print(
        f"{meetings} announced meetings, {items} §§; gunicorn {args.workers} workers, one keep-alive client; "
        f"cache: {args.cache}; {benchdb.describe(os.environ['DATABASE_URL'])}"
    )
    print(benchdb.load_report())
    print()
    print("Whole crawl through gunicorn (System, Bodies, every list through all pages, default page size 100)")
    first, warm = crawls[0], crawls[1:]
    total_pages = sum(e["pages"] for e in first["lists"].values()) + 2
    total_objects = sum(e["objects"] for e in first["lists"].values())
    warm_total = statistics.median(c["seconds"] for c in warm) if warm else float("nan")
    each = ", ".join(f"{c['seconds']:.2f}" for c in warm)
    print(
        f"  {total_pages} requests, {total_objects} objects, {first['bytes'] / 2**20:.1f} MiB; "
        f"first crawl (fresh server, empty caches) {first['seconds']:.2f} s, "
        f"later crawls median {warm_total:.2f} s ({each})"
    )
    print(f"  {'list':22} {'pages':>6} {'objects':>8} {'MiB':>6} {'1st crawl':>10} {'later (med.)':>13}")
    for key, entry in first["lists"].items():
        later = statistics.median(c["lists"][key]["seconds"] for c in warm) if warm else float("nan")
        print(
            f"  {key:22} {entry['pages']:6} {entry['objects']:8} {entry['bytes'] / 2**20:6.1f} "
            f"{entry['seconds']:8.2f} s {later:11.2f} s"
        )
    print()
    print(f"AgendaItem list pages of 100 ({local['pages']} pages, {args.requests} requests each, shuffled)")
    rows = [
        ("gunicorn, after the crawls", served),
        ("in-process, warm cache", local["times"]["warm"]),
        ("in-process, cache emptied before each", local["times"]["cold"]),
    ]
    for name, t in rows:
        cpu = f"  CPU median {t['cpu median']:6.1f} ms  p95 {t['cpu p95']:6.1f} ms" if "cpu p95" in t else ""
        print(f"  {name:40} median {t['median']:6.1f} ms  p95 {t['p95']:6.1f} ms  max {t['max']:6.1f} ms{cpu}")
    print()
    print("Queries per list page (in-process; cold: cache emptied first; warm: the URL's second request)")
    counts = local["counts"]
    for key, limit, page in dict.fromkeys(k[1:] for k in counts):
        cold, warm_count = counts[("cold", key, limit, page)], counts[("warm", key, limit, page)]
        print(f"  {key:22} limit {limit:5} page {page}: {cold[0]:3} cold, {warm_count[0]:3} warm, {cold[1]:5} objects")
    flat = {
        state: {counts[(state, "agendaItem", limit, page)][0] for limit in (10, 100, 1000) for page in (1, 2)}
        for state in ("cold", "warm")
    }
    agenda_flat = all(len(c) == 1 for c in flat.values())
    verdicts = {
        "warm (gunicorn after the crawls)": served["p95"],
        "cold (in-process, cache emptied)": local["times"]["cold"]["p95"],
    }
    print()
    for name, value in verdicts.items():
        met = value < TARGET_P95_MS and agenda_flat
        print(
            f"VERDICT {name}: target {'MET' if met else 'NOT MET'}. AgendaItem page of 100: p95 {value:.1f} ms "
            f"(target under {TARGET_P95_MS:.0f} ms); queries at limit 10/100/1000: "
            f"cold {sorted(flat['cold'])}, warm {sorted(flat['warm'])}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
