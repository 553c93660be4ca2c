"""Benchmark the protocol pipeline on a synthetic 40-§ meeting, with headless Chromium as the peer.

    .venv/bin/python bench/protocol_bench.py [--runs N] [--save DIR]

Builds a throwaway database (SQLite in a temp dir, or the PostgreSQL database `paragraf_bench`
when DATABASE_URL is set), loads the demo, adds a 40-§ meeting (bench/synthetic.py) and
measures build_snapshot, render_html and html_to_pdf in this warm process, a cold render
process's peak RSS, the cold `manage.py render_protocol` command, and Chromium printing the
same HTML. See bench/README.md for what each number means.
"""

import argparse
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "paragraf_bench"
CHROMIUM = os.environ.get("PARAGRAF_CHROMIUM", "/usr/lib/chromium/chromium")  # the real binary, not the wrapper
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGET_RSS_MB = 250

sys.path.insert(0, str(ROOT))


def mib(kib: int) -> float:
    """ru_maxrss is in KiB on Linux."""
    return kib / 1024


def proc_status_kib(field: str) -> int:
    """VmRSS (now) or VmHWM (peak) of this process's own address space, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "committee.settings"
    import django

    django.setup()


# ---------------------------------------------------------------------------------------------
# The cold render process: run as a subprocess with --child-render, prints one line of JSON.


def child_render(meeting_id: int) -> None:
    started = time.perf_counter()
    setup_django()
    from minutes.protocol.pdf import html_to_pdf
    from minutes.protocol.render import render_html
    from minutes.protocol.snapshot import build_snapshot

    setup = time.perf_counter()
    import weasyprint  # noqa: F401  (html_to_pdf imports it lazily; timed apart here)

    imported = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    snapshot = build_snapshot(meeting_id)
    snapped = time.perf_counter()
    html = render_html(snapshot)
    rendered = time.perf_counter()
    pdf = html_to_pdf(html)
    printed = time.perf_counter()
    result = {
        "setup": setup - started,
        "import_weasyprint": imported - setup,
        "snapshot": snapped - imported,
        "html": rendered - snapped,
        "pdf": printed - rendered,
        "rss_before_kib": before,
        "rss_peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "vmhwm_kib": proc_status_kib("VmHWM"),
        "bytes": len(pdf),
    }
    print(json.dumps(result))


# ---------------------------------------------------------------------------------------------
# The database.


def bench_database_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + BENCH_DATABASE))


def postgres(url: str, sql: str) -> None:
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE need autocommit)."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as connection:
        connection.execute(sql)


def prepare_database(var_dir: Path) -> str:
    """Point the settings at a throwaway database; returns a description of it."""
    os.environ["PARAGRAF_VAR_DIR"] = str(var_dir)
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"SQLite in {var_dir}"
    postgres(url, f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    postgres(url, f"CREATE DATABASE {BENCH_DATABASE}")
    os.environ["DATABASE_URL"] = bench_database_url(url)
    parts = urlsplit(url)
    return f"PostgreSQL {parts.hostname}:{parts.port or 5432}/{BENCH_DATABASE}"


def drop_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return
    from django.db import connections

    for connection in connections.all():
        if hasattr(connection, "close_pool"):
            connection.close_pool()
        connection.close()
    postgres(url, f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


def build_data() -> int:
    from django.core.management import call_command

    from bench.synthetic import add_meeting
    from minutes.demo import load_demo

    call_command("migrate", verbosity=0, interactive=False)
    demo = load_demo()
    return add_meeting(demo).pk


# ---------------------------------------------------------------------------------------------
# Measuring.


class Stat:
    """Wall-clock seconds of each run; `cpu` is the measured process's own CPU seconds, where known."""

    def __init__(
        self,
        label: str,
        seconds: list[float],
        first: float | None = None,
        note: str = "",
        cpu: list[float] | None = None,
    ):
        self.label, self.seconds, self.first, self.note, self.cpu = label, seconds, first, note, cpu

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def min(self) -> float:
        return min(self.seconds)


def timed(fn: Callable[[], object], runs: int) -> tuple[list[float], object, float, list[float]]:
    """One warm-up call (its time returned apart), then `runs` timed calls: wall times, result, first, CPU times."""
    started = time.perf_counter()
    result = fn()
    first = time.perf_counter() - started
    times, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return times, result, first, cpu


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


# A forked child starts with its parent's peak RSS in ru_maxrss (Linux carries the parent's
# high-water mark across fork and exec), so a 170 MB bench process would hide any child below
# 170 MB. Children are therefore started by this small launcher, whose own high-water mark is
# ~10 MB; it times the child and reads the child's peak RSS from wait4.
LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
process = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(process.pid, 0)
elapsed = time.perf_counter() - started
with open(sys.argv[1], "w") as report:
    json.dump({"status": os.waitstatus_to_exitcode(status), "seconds": elapsed, "maxrss_kib": usage.ru_maxrss,
               "cpu": usage.ru_utime + usage.ru_stime}, report)
"""


def run_child(args: list[str]) -> tuple[float, int, str, float]:
    """Run a process; returns its wall time, peak RSS (KiB, ru_maxrss from wait4), stdout and CPU seconds."""
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        report = Path(tmp) / "report.json"
        subprocess.run([sys.executable, "-c", LAUNCHER, str(report), *args], cwd=ROOT, stdout=out, stderr=err)
        out.seek(0)
        err.seek(0)
        result = json.loads(report.read_text()) if report.exists() else {"status": "no report"}
        if result["status"] != 0:
            raise RuntimeError(f"{args} failed ({result['status']}):\n{err.read().decode(errors='replace')}")
        return result["seconds"], result["maxrss_kib"], out.read().decode(), result["cpu"]


def chromium_version() -> str:
    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError as error:
        return f"unavailable ({error})"


def chromium_peer(html_path: Path, runs: int) -> tuple[Stat, Stat, bytes]:
    """Print the HTML file with headless Chromium through Playwright, cold and warm."""
    from playwright.sync_api import sync_playwright

    url = html_path.as_uri()
    cold: list[float] = []
    warm: list[float] = []
    with sync_playwright() as playwright:
        for _ in range(runs):
            started = time.perf_counter()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url)
            pdf = page.pdf(format="A4")
            browser.close()
            cold.append(time.perf_counter() - started)

        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def print_once() -> bytes:
            page = browser.new_page()
            page.goto(url)
            printed = page.pdf(format="A4")
            page.close()
            return printed

        warm, pdf, first, _cpu = timed(print_once, runs)
        browser.close()
    return (
        Stat("Chromium cold: launch, goto, page.pdf, close", cold),
        Stat("Chromium warm: new_page, goto, page.pdf", warm, first),
        pdf,
    )


def chromium_cli(html_path: Path, out_dir: Path, runs: int) -> Stat:
    """The peer as a one-shot command: `chromium --headless --print-to-pdf`, like render_protocol."""
    times = []
    for run in range(runs):
        target = out_dir / f"chromium-cli-{run}.pdf"
        args = [
            CHROMIUM,
            "--headless",
            *CHROMIUM_ARGS,
            f"--user-data-dir={out_dir / f'chromium-profile-{run}'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            html_path.as_uri(),
        ]
        times.append(run_child(args)[0])
    return Stat("chromium --headless --print-to-pdf (command)", times)


# ---------------------------------------------------------------------------------------------
# Reporting.


def ms(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def table(rows: list[Stat]) -> str:
    width = max(len(row.label) for row in rows)
    header = f"{'measure':<{width}}  {'median':>9}  {'min':>9}  {'1st call':>9}  {'CPU med.':>9}"
    lines = [header, "-" * len(header)]
    for row in rows:
        cpu = statistics.median(row.cpu) if row.cpu else None
        line = f"{row.label:<{width}}  {ms(row.median):>9}  {ms(row.min):>9}  {ms(row.first):>9}  {ms(cpu):>9}"
        lines.append(line + (f"  {row.note}" if row.note else ""))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each measure (default 5)")
    parser.add_argument("--save", type=Path, help="keep the HTML and both PDFs in this folder")
    parser.add_argument("--child-render", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child_render is not None:
        child_render(options.child_render)
        return 0
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    runs = options.runs

    with tempfile.TemporaryDirectory(prefix="paragraf-bench-") as tmp:
        tmp_dir = Path(tmp)
        database = prepare_database(tmp_dir / "var")
        (tmp_dir / "var").mkdir()
        try:
            setup_django()
            return measure(runs, tmp_dir, database, options.save)
        finally:
            drop_database()


def measure(runs: int, tmp_dir: Path, database: str, save: Path | None) -> int:
    import weasyprint
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minutes.protocol.pdf import html_to_pdf
    from minutes.protocol.render import render_html
    from minutes.protocol.snapshot import build_snapshot

    started = time.perf_counter()
    meeting_id = build_data()
    print(f"Built the bench data in {ms(time.perf_counter() - started)} ({database}).", file=sys.stderr)

    # The warm process: this one, everything imported, each step once untimed first.
    with CaptureQueriesContext(connection) as queries:
        snapshot = build_snapshot(meeting_id)
    query_count = len(queries)
    snap_times, snapshot, snap_first, snap_cpu = timed(lambda: build_snapshot(meeting_id), runs)
    html_times, html, html_first, html_cpu = timed(lambda: render_html(snapshot), runs)
    pdf_times, pdf, pdf_first, pdf_cpu = timed(lambda: html_to_pdf(html), runs)
    snap = Stat(f"build_snapshot ({query_count} queries)", snap_times, snap_first, cpu=snap_cpu)
    render = Stat(f"render_html ({len(html) // 1024} KiB of HTML)", html_times, html_first, cpu=html_cpu)
    printing = Stat("html_to_pdf, PDF/A-3b", pdf_times, pdf_first, cpu=pdf_cpu)

    def added(*columns: list[float]) -> list[float]:
        return [sum(run) for run in zip(*columns, strict=True)]

    pipeline = Stat(
        "  warm total: snapshot + html + pdf",
        added(snap_times, html_times, pdf_times),
        snap_first + html_first + pdf_first,
        cpu=added(snap_cpu, html_cpu, pdf_cpu),
    )
    print("Measured the warm process.", file=sys.stderr)

    tracemalloc.start()
    html_to_pdf(html)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    warm_rss = proc_status_kib("VmRSS")

    # Cold render processes: only setup, snapshot, render and pdf, once each.
    child = [sys.executable, str(Path(__file__).resolve()), "--child-render", str(meeting_id)]
    cold_runs = []
    for _ in range(runs):
        elapsed, _rss, out, cpu = run_child(child)
        cold_runs.append(json.loads(out.strip().splitlines()[-1]) | {"wall": elapsed, "cpu": cpu})
    peaks = [mib(run["rss_peak_kib"]) for run in cold_runs]
    hwms = [mib(run["vmhwm_kib"]) for run in cold_runs]
    cold_process = Stat(
        "cold render process: start, snapshot, html, pdf",
        [run["wall"] for run in cold_runs],
        cpu=[run["cpu"] for run in cold_runs],
    )
    befores = [mib(run["rss_before_kib"]) for run in cold_runs]
    cold_pdf = Stat("  html_to_pdf in a fresh process (1st call)", [run["pdf"] for run in cold_runs])
    cold_import = Stat("  import weasyprint in a fresh process", [run["import_weasyprint"] for run in cold_runs])

    # The cold command, as an operator runs it.
    out = tmp_dir / "x.pdf"
    command = [sys.executable, "manage.py", "render_protocol", str(meeting_id), "--format", "pdf", "-o", str(out)]
    command_runs = [run_child(command) for _ in range(runs)]
    cold_command = Stat(
        "manage.py render_protocol --format pdf (cold command)",
        [run[0] for run in command_runs],
        note=f"peak RSS {max(mib(run[1]) for run in command_runs):.0f} MB",
        cpu=[run[3] for run in command_runs],
    )
    print("Measured the cold processes.", file=sys.stderr)

    # The peer: the same HTML, printed by Chromium.
    html_path = tmp_dir / "protocol.html"
    html_path.write_text(html, encoding="utf-8")
    cold_chromium, warm_chromium, chromium_pdf = chromium_peer(html_path, runs)
    cli_chromium = chromium_cli(html_path, tmp_dir, runs)
    print("Measured Chromium.", file=sys.stderr)

    if save:
        save.mkdir(parents=True, exist_ok=True)
        (save / "protocol.html").write_text(html, encoding="utf-8")
        (save / "weasyprint.pdf").write_bytes(pdf)
        (save / "chromium.pdf").write_bytes(chromium_pdf)

    item_count = len(snapshot.items)
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    print()
    print(
        f"Paragraf protocol bench: {item_count} §§, WeasyPrint {pages(pdf)} pages ({len(pdf) // 1024} KiB), "
        f"Chromium {pages(chromium_pdf)} pages ({len(chromium_pdf) // 1024} KiB); {runs} runs each"
    )
    print(
        f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}, {chromium_version()}, "
        f"{os.cpu_count()} CPUs (load {load}), {database.split(' in ')[0]}"
    )
    print()
    print(
        table(
            [
                snap,
                render,
                printing,
                pipeline,
                cold_command,
                cold_process,
                cold_import,
                cold_pdf,
                warm_chromium,
                cold_chromium,
                cli_chromium,
            ]
        )
    )
    print()
    print("memory")
    print(f"  peak RSS of a cold render process        {statistics.median(peaks):6.0f} MB median, {max(peaks):.0f} max")
    print(f"    VmHWM of the same processes (check)     {statistics.median(hwms):6.0f} MB median, {max(hwms):.0f} max")
    print(f"    of which before build_snapshot          {statistics.median(befores):6.0f} MB (Django + WeasyPrint)")
    print(f"  tracemalloc peak during html_to_pdf      {traced_peak / 2**20:6.0f} MB (Python objects only)")
    print(f"  RSS of this warm process after its runs  {mib(warm_rss):6.0f} MB")
    print()

    warm_ok = pipeline.median <= warm_chromium.median
    cold_ok = cold_command.median <= cold_chromium.median
    memory_ok = max(peaks) < TARGET_RSS_MB
    verdict = "MET" if warm_ok and cold_ok and memory_ok else "NOT MET"

    def mark(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(
        f"VERDICT: targets {verdict}. "
        f"Warm PDF {ms(pipeline.median)} vs Chromium warm {ms(warm_chromium.median)}: {mark(warm_ok)}; "
        f"cold command {ms(cold_command.median)} vs Chromium cold {ms(cold_chromium.median)}: {mark(cold_ok)}; "
        f"peak RSS {max(peaks):.0f} MB < {TARGET_RSS_MB} MB: {mark(memory_ok)}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
