"""Benchmark the protocol pipeline on a synthetic 40-§ meeting, with headless Chromium as the peer.

    .venv/bin/python bench/protocol_bench.py [--runs N] [--save DIR]

Builds a database of its own on PostgreSQL (bench/benchdb.py: the server of DATABASE_URL, or the
private cluster under var/), loads the demo, adds a 40-§ meeting (bench/synthetic.py) and
measures build_snapshot, render_html and html_to_pdf in this warm process, a cold render
process's peak RSS, the cold `manage.py render_protocol` command, and Chromium printing the
same HTML. WeasyPrint and Chromium take turns, run by run, so that both meet the same load.
See bench/README.md for what each number means.
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

ROOT = Path(__file__).resolve().parent.parent
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

from bench import benchdb  # noqa: E402  (needs ROOT on sys.path)


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
# The data.


def build_data() -> int:
    from bench.synthetic import add_meeting
    from minutes.demo import load_demo

    benchdb.schema()
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


class Chromium:
    """The peer: headless Chromium printing the same HTML file, one print per call, as Playwright or a command."""

    def __init__(self, playwright, html_path: Path, out_dir: Path) -> None:
        self.playwright, self.url, self.out_dir = playwright, html_path.as_uri(), out_dir
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.runs = 0

    def warm(self) -> bytes:
        """The browser already running: new_page, goto, page.pdf, close the page."""
        page = self.browser.new_page()
        page.goto(self.url)
        printed = page.pdf(format="A4")
        page.close()
        return printed

    def cold(self) -> bytes:
        """Playwright: launch, new page, goto, page.pdf, close the browser."""
        browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(self.url)
        printed = page.pdf(format="A4")
        browser.close()
        return printed

    def command(self) -> float:
        """`chromium --headless --print-to-pdf` with a fresh profile, like render_protocol as a command."""
        self.runs += 1
        args = [
            CHROMIUM,
            "--headless",
            *CHROMIUM_ARGS,
            f"--user-data-dir={self.out_dir / f'chromium-profile-{self.runs}'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={self.out_dir / f'chromium-cli-{self.runs}.pdf'}",
            self.url,
        ]
        return run_child(args)[0]

    def close(self) -> None:
        self.browser.close()


def clock(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


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

    with benchdb.throwaway("protocol"), tempfile.TemporaryDirectory(prefix="paragraf-bench-") as tmp:
        tmp_dir = Path(tmp)
        os.environ["PARAGRAF_VAR_DIR"] = str(tmp_dir / "var")
        (tmp_dir / "var").mkdir()
        setup_django()
        return measure(runs, tmp_dir, options.save)


def measure(runs: int, tmp_dir: Path, save: Path | None) -> int:
    import weasyprint
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from playwright.sync_api import sync_playwright

    from minutes.protocol.pdf import html_to_pdf
    from minutes.protocol.render import render_html
    from minutes.protocol.snapshot import build_snapshot

    started = time.perf_counter()
    meeting_id = build_data()
    print(f"Built the bench data in {ms(time.perf_counter() - started)}.", file=sys.stderr)

    def warm_weasyprint() -> tuple[list[float], list[float], object, str, bytes]:
        """One whole PDF in this warm process: wall and CPU seconds of each step, and what each made."""
        walls, cpus, made = [], [], []
        for step in (
            lambda: build_snapshot(meeting_id),
            lambda: render_html(made[0]),
            lambda: html_to_pdf(made[1]),
        ):
            wall, cpu = time.perf_counter(), time.process_time()
            made.append(step())
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        return walls, cpus, *made

    # The first call of each, untimed in the figures: template compile, font loading, query compile.
    with CaptureQueriesContext(connection) as queries:
        first_walls, _cpu, snapshot, html, pdf = warm_weasyprint()
    query_count = len(queries)
    html_path = tmp_dir / "protocol.html"
    html_path.write_text(html, encoding="utf-8")
    child = [sys.executable, str(Path(__file__).resolve()), "--child-render", str(meeting_id)]
    out = tmp_dir / "x.pdf"
    command = [sys.executable, "manage.py", "render_protocol", str(meeting_id), "--format", "pdf", "-o", str(out)]

    # A, B, A, B …: each WeasyPrint measure and its Chromium peer one after the other in every run,
    # so that both meet the same load on the machine and their ratio comes from the same minutes.
    # Playwright's sync API runs an event loop in this thread, which Django takes for an async
    # context and refuses queries in; nothing here is async, the two only take turns.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    steps: list[list[float]] = [[], [], []]
    step_cpu: list[list[float]] = [[], [], []]
    chromium_warm, chromium_cold, chromium_command = [], [], []
    command_runs, cold_runs = [], []
    with sync_playwright() as playwright:
        chromium = Chromium(playwright, html_path, tmp_dir)
        try:
            chromium_first, chromium_pdf = clock(chromium.warm)
            for run in range(runs):
                walls, cpus, snapshot, html, pdf = warm_weasyprint()  # A
                for column, cpu_column, wall, cpu in zip(steps, step_cpu, walls, cpus, strict=True):
                    column.append(wall)
                    cpu_column.append(cpu)
                chromium_warm.append(clock(chromium.warm)[0])  # B
                command_runs.append(run_child(command))  # A
                chromium_cold.append(clock(chromium.cold)[0])  # B
                elapsed, _rss, output, cpu = run_child(child)  # A
                cold_runs.append(json.loads(output.strip().splitlines()[-1]) | {"wall": elapsed, "cpu": cpu})
                chromium_command.append(chromium.command())  # B
                print(
                    f"run {run + 1}/{runs}: warm {ms(sum(walls))} vs Chromium {ms(chromium_warm[-1])}, "
                    f"cold command {ms(command_runs[-1][0])} vs Chromium {ms(chromium_cold[-1])}",
                    file=sys.stderr,
                )
        finally:
            chromium.close()

    snap = Stat(f"build_snapshot ({query_count} queries)", steps[0], first_walls[0], cpu=step_cpu[0])
    render = Stat(f"render_html ({len(html) // 1024} KiB of HTML)", steps[1], first_walls[1], cpu=step_cpu[1])
    printing = Stat("html_to_pdf, PDF/A-3b", steps[2], first_walls[2], cpu=step_cpu[2])

    def added(*columns: list[float]) -> list[float]:
        return [sum(run) for run in zip(*columns, strict=True)]

    pipeline = Stat("  warm total: snapshot + html + pdf", added(*steps), sum(first_walls), cpu=added(*step_cpu))
    cold_command = Stat(
        "manage.py render_protocol --format pdf (cold command)",
        [run[0] for run in command_runs],
        note=f"peak RSS {max(mib(run[1]) for run in command_runs):.0f} MB",
        cpu=[run[3] for run in command_runs],
    )
    peaks = [mib(run["rss_peak_kib"]) for run in cold_runs]
    hwms = [mib(run["vmhwm_kib"]) for run in cold_runs]
    befores = [mib(run["rss_before_kib"]) for run in cold_runs]
    cold_process = Stat(
        "cold render process: start, snapshot, html, pdf",
        [run["wall"] for run in cold_runs],
        cpu=[run["cpu"] for run in cold_runs],
    )
    cold_pdf = Stat("  html_to_pdf in a fresh process (1st call)", [run["pdf"] for run in cold_runs])
    cold_import = Stat("  import weasyprint in a fresh process", [run["import_weasyprint"] for run in cold_runs])
    warm_chromium = Stat("Chromium warm: new_page, goto, page.pdf", chromium_warm, chromium_first)
    cold_chromium = Stat("Chromium cold: launch, goto, page.pdf, close", chromium_cold)
    cli_chromium = Stat("chromium --headless --print-to-pdf (command)", chromium_command)
    warm_ratios = [a / b for a, b in zip(pipeline.seconds, warm_chromium.seconds, strict=True)]
    cold_ratios = [a / b for a, b in zip(cold_command.seconds, cold_chromium.seconds, strict=True)]

    tracemalloc.start()
    html_to_pdf(html)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    warm_rss = proc_status_kib("VmRSS")

    if save:
        save.mkdir(parents=True, exist_ok=True)
        (save / "protocol.html").write_text(html, encoding="utf-8")
        (save / "weasyprint.pdf").write_bytes(pdf)
        (save / "chromium.pdf").write_bytes(chromium_pdf)

    item_count = len(snapshot.items)
    print()
    print(
        f"Paragraf protocol bench: {item_count} §§, WeasyPrint {pages(pdf)} pages ({len(pdf) // 1024} KiB), "
        f"Chromium {pages(chromium_pdf)} pages ({len(chromium_pdf) // 1024} KiB); {runs} runs each, "
        "WeasyPrint and Chromium in turn"
    )
    print(
        f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}, {chromium_version()}, "
        f"{benchdb.describe(os.environ['DATABASE_URL'])}"
    )
    print(benchdb.load_report())
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
        f"WeasyPrint / Chromium, run by run (median of the {runs} ratios): "
        f"warm {statistics.median(warm_ratios):.2f}, "
        f"cold command / Playwright cold {statistics.median(cold_ratios):.2f}"
    )
    print(
        f"VERDICT: targets {verdict}. "
        f"Warm PDF {ms(pipeline.median)} vs Chromium warm {ms(warm_chromium.median)}: {mark(warm_ok)}; "
        f"cold command {ms(cold_command.median)} vs Chromium cold {ms(cold_chromium.median)}: {mark(cold_ok)}; "
        f"peak RSS {max(peaks):.0f} MB < {TARGET_RSS_MB} MB: {mark(memory_ok)}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
