"""Benchmark the portal's search on ten years of protocols: latency of a fixed set of queries.

    .venv/bin/python bench/search_bench.py [--runs N] [--database NAME]

Uses the database `paragraf_bench_decade` with `bench/decade.py`'s ten years (120 announced
meetings, 4,000 §§, 300 people; bench/benchdb.py: on the server of DATABASE_URL, or the private
cluster under var/; built when it is missing, and kept), after `migrate`. To build the decade
anew, drop that database (`bench/benchdb.py drop paragraf_bench_decade`). See bench/SEARCH.md for
the method and the figures.
"""

import argparse
import math
import os
import statistics
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import benchdb  # noqa: E402

TARGET_P95_MS = 50

# (label, query, filters, page): what visitors ask, from a rare word to words in nearly every §.
QUERIES = [
    ("rare word", "fiskeförbud", {}, 1),
    ("rare word, inflected", "fiskeförbudet", {}, 1),
    ("compound part", "nämnd", {}, 1),
    ("common word", "förvaltningen", {}, 1),
    ("prefix of many words", "park", {}, 1),
    ("two words", "hemtjänst Årstaviken", {}, 1),
    ("with a stop word", "hemtjänst i Årstaviken", {}, 1),
    ("five common words", "stadsdelsnämnden godkänner förvaltningens förslag budgetramen", {}, 1),
    ("phrase", '"våld i nära relationer"', {}, 1),
    ("OR", "lekplatser OR badplatser", {}, 1),
    ("exclusion", "upphandling -städtjänster", {}, 1),
    ("year", "tertialrapport", {"year": 2020}, 1),
    ("committee, page 3", "förslag", {"committee": "norrvik"}, 3),
    ("filters only: year, vote", "", {"year": 2021, "has_vote": True}, 1),
    ("filters only: party", "", {"party": "KD"}, 1),
    ("filter: person", "bidrag", {"person": "Anna"}, 1),
    ("filter: reservation", "budget", {"has_reservation": True}, 1),
    ("Dnr", "1.2.3", {}, 1),
    ("public heading", "sekretessärende", {}, 1),
    ("operators", "a:* & !b | (c <-> d)", {}, 1),
    ("10,000 characters", "fisk " * 2000, {}, 1),
]

PAGE_PARAMS = {"has_vote": "vote", "has_reservation": "reservation"}


def setup_django() -> None:
    # WhiteNoise warns that collectstatic never ran; the bench serves no static files.
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "committee.settings")
    import django

    django.setup()


def prepare(name: str) -> str:
    from decade import COMMITTEES

    from committee.models import Committee

    benchdb.schema()
    if not Committee.objects.filter(slug=COMMITTEES[0][2]).exists():
        raise SystemExit(f"{name} does not hold the decade: name the decade's database, or a new name")
    return f"{name} on {benchdb.describe(os.environ['DATABASE_URL'])}"


@dataclass
class Stat:
    label: str
    seconds: list[float]
    cpu: list[float]
    hits: int
    queries: int

    def percentile(self, p: float, values: list[float] | None = None) -> float:
        """Nearest rank: the smallest time that p % of the runs took at most."""
        ordered = sorted(self.seconds if values is None else values)
        return ordered[max(1, math.ceil(len(ordered) * p / 100)) - 1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * p / 100)) - 1]


def measure(label: str, call, runs: int) -> Stat:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        call()
    with CaptureQueriesContext(connection) as captured:
        result = call()
    queries = len(captured)
    seconds, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return Stat(label, seconds, cpu, result, queries)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def table(title: str, stats: list[Stat]) -> list[float]:
    print(f"\n{title}")
    print(f"{'query':<28} {'median':>10} {'p95':>10} {'max':>10} {'CPU med.':>10} {'hits':>6} {'queries':>8}")
    print("-" * 88)
    everything: list[float] = []
    for stat in stats:
        everything += stat.seconds
        print(
            f"{stat.label:<28} {ms(statistics.median(stat.seconds))} {ms(stat.percentile(95))} "
            f"{ms(max(stat.seconds))} {ms(statistics.median(stat.cpu))} {stat.hits:>6} {stat.queries:>8}"
        )
    print("-" * 88)
    print(
        f"{'all runs of all queries':<28} {ms(statistics.median(everything))} {ms(percentile(everything, 95))} "
        f"{ms(max(everything))}"
    )
    return everything


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each query (after two untimed)")
    parser.add_argument("--database", default=benchdb.DECADE, help="the decade's database (default %(default)s)")
    args = parser.parse_args()
    with benchdb.decade(args.database):
        return bench(args)


def bench(args: argparse.Namespace) -> int:
    setup_django()
    from django.test import Client

    from minutes.portal.search import Filters, search

    database = prepare(args.database)
    client = Client(HTTP_HOST="127.0.0.1")  # an allowed host; no test environment, so no template instrumentation
    print(f"Search bench on {database}; {args.runs} runs per query")

    def search_call(query: str, filters: dict, page: int):
        return lambda: search(query, Filters(**filters), page).total

    def page_call(query: str, filters: dict, page: int):
        params = {"q": query, "page": page}
        params |= {PAGE_PARAMS.get(k, k): ("on" if v is True else v) for k, v in filters.items()}
        url = f"/protokoll/sok/?{urlencode(params)}"

        def call() -> int:
            response = client.get(url)
            assert response.status_code == 200, (url[:80], response.status_code)
            return len(response.content)

        return call

    searches = [measure(label, search_call(q, f, p), args.runs) for label, q, f, p in QUERIES]
    pages = [measure(label, page_call(q, f, p), args.runs) for label, q, f, p in QUERIES]
    for stat in pages:
        stat.hits = 0
    all_searches = table("search(): parse, count, page of 20 hits with snippets (hits = total matches)", searches)
    all_pages = table("GET /protokoll/sok/: the whole page through the test client (hits not counted)", pages)

    p95 = percentile(all_searches, 95) * 1000
    page_p95 = percentile(all_pages, 95) * 1000
    verdict = "MET" if p95 < TARGET_P95_MS else "NOT MET"
    print(
        f"\nVERDICT: target {verdict}. search() p95 {p95:.1f} ms over {len(all_searches)} runs, "
        f"target under {TARGET_P95_MS} ms (the whole page: p95 {page_p95:.1f} ms)"
    )
    print(benchdb.load_report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
