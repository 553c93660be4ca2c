"""Benchmark the seal: sign a ~30-page archival protocol PDF and verify it, in a warm process.

    .venv/bin/python bench/seal_bench.py [--runs N] [--pages N] [--save DIR]

No database: the PDF is printed by WeasyPrint (PDF/A-3b) from generated Swedish protocol text
with the protocol's own print CSS, and a demo certificate is created in a temp dir. Prints the
median, min and max of `seal_pdf` and of `check_seal` on the sealed file, on a file with one
changed byte and on the unsealed file, and the first check in a fresh process. See bench/SEAL.md.
"""

import argparse
import io
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_CSS = ROOT / "minutes" / "protocol" / "templates" / "print.css"
TARGET_VERIFY_SECONDS = 0.5
TEXT = (
    "stadsdelsnämnden förvaltningen beslutar att godkänna tjänsteutlåtandet och överlämna ärendet till "
    "kommunstyrelsen budget verksamhet förskola äldreomsorg remiss yttrande uppföljning ekonomi personal "
    "upphandling medborgarförslag trafiksäkerhet lokalförsörjning tertialrapport Årstaviken Tantolunden"
)
WORDS = TEXT.split()

sys.path.insert(0, str(ROOT))


def protocol_html(items: int) -> str:
    rng = random.Random(10)

    def paragraph() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 110))).capitalize() + "."

    body = "".join(
        f"<h2 class='item-title'>§ {n} Ärende {n}</h2><h3 class='decision'>BESLUT</h3><p>{paragraph()}</p>"
        f"<h3>Ärendet</h3><p>{paragraph()}</p><p>{paragraph()}</p>"
        for n in range(1, items + 1)
    )
    return (
        "<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'><title>Protokoll 2016-09-22</title>"
        f"<meta name='author' content='Årstadals stadsdelsnämnd'><style>{PRINT_CSS.read_text()}</style></head>"
        "<body><div class='running' aria-hidden='true'><span>Årstadals stadsdelsnämnd</span>"
        f"<span class='doctitle'>Protokoll</span><span class='docdate'>2016-09-22</span></div>{body}</body></html>"
    )


def timed(fn: Callable[[], object], runs: int) -> tuple[list[float], float, object]:
    """The first call's time apart, then `runs` timed calls."""
    started = time.perf_counter()
    result = fn()
    first = time.perf_counter() - started
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, first, result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def child_verify(path: Path) -> None:
    """A fresh process, as a verify command runs: Django, the imports, and one check (which reads the PKCS#12)."""
    started = time.perf_counter()
    os.environ["DJANGO_SETTINGS_MODULE"] = "committee.settings"
    import django

    django.setup()
    from minutes.seal.verify import check_seal

    imported = time.perf_counter()
    verdict = check_seal(path.read_bytes())
    checked = time.perf_counter()
    print(json.dumps({"ok": verdict.ok, "setup": imported - started, "check": checked - imported}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each measure (default 10)")
    parser.add_argument("--pages", type=int, default=30, help="about how many pages (default 30)")
    parser.add_argument("--save", type=Path, help="keep the unsealed and the sealed PDF in this folder")
    parser.add_argument("--child-verify", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child_verify:
        child_verify(options.child_verify)
        return 0
    if options.runs < 1:
        parser.error("--runs must be at least 1")

    with tempfile.TemporaryDirectory(prefix="paragraf-seal-bench-") as tmp:
        os.environ["PARAGRAF_VAR_DIR"] = tmp
        os.environ["PARAGRAF_SEAL_PKCS12"] = str(Path(tmp) / "seal" / "organisation.p12")
        os.environ["DJANGO_SETTINGS_MODULE"] = "committee.settings"
        import django

        django.setup()
        return measure(options.runs, options.pages, options.save)


def measure(runs: int, pages: int, save: Path | None) -> int:
    from django.conf import settings
    from pypdf import PdfReader

    from minutes.protocol.pdf import html_to_pdf
    from minutes.seal.certificate import (
        DEMO_ORGANISATION,
        create_organisation_certificate,
        default_common_name,
        read_signer,
    )
    from minutes.seal.sign import SEALED_BY, seal_pdf
    from minutes.seal.verify import AUTHENTIC, check_seal

    started = time.perf_counter()
    create_organisation_certificate(
        settings.PARAGRAF_SEAL_PKCS12,
        settings.PARAGRAF_SEAL_PASSWORD,
        organisation=DEMO_ORGANISATION,
        common_name=default_common_name(DEMO_ORGANISATION, demo=True),
    )
    created = time.perf_counter() - started
    started = time.perf_counter()
    pdf = html_to_pdf(protocol_html(items=round(pages * 1.15)))
    printed = time.perf_counter() - started
    page_count = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"Certificate in {ms(created)}, PDF ({page_count} pages) in {ms(printed)}.", file=sys.stderr)

    lines = ["Justerat 2016-09-29 av Lars Bäck och Anna Holm", SEALED_BY]

    def seal() -> bytes:
        return seal_pdf(pdf, stamp_lines=lines, reason="Justerat protokoll", location="Stockholm")

    seal_times, seal_first, sealed = timed(seal, runs)
    verdict = check_seal(sealed)
    if verdict.reason != AUTHENTIC:
        raise SystemExit(f"The sealed PDF does not verify: {verdict.reason}")
    changed = bytearray(sealed)
    changed[sealed.index(b"stream\n") + 40] ^= 1
    verify_times, verify_first, _ = timed(lambda: check_seal(sealed), runs)
    altered_times, _, altered = timed(lambda: check_seal(bytes(changed)), runs)
    unsealed_times, _, unsealed = timed(lambda: check_seal(pdf), runs)
    read_times, read_first, _ = timed(
        lambda: read_signer(settings.PARAGRAF_SEAL_PKCS12, settings.PARAGRAF_SEAL_PASSWORD), runs
    )

    # Cold processes: what a one-shot verify command pays.
    sealed_path = Path(settings.VAR_DIR) / "sealed.pdf"
    sealed_path.write_bytes(sealed)
    child = [sys.executable, str(Path(__file__).resolve()), "--child-verify", str(sealed_path)]
    colds = []
    for _ in range(min(runs, 5)):
        started = time.perf_counter()
        result = subprocess.run(child, cwd=ROOT, capture_output=True, text=True, check=True)
        colds.append(json.loads(result.stdout.strip().splitlines()[-1]) | {"wall": time.perf_counter() - started})
    if not all(cold["ok"] for cold in colds):
        raise SystemExit("The sealed PDF does not verify in a fresh process")

    if save:
        save.mkdir(parents=True, exist_ok=True)
        (save / "unsealed.pdf").write_bytes(pdf)
        (save / "sealed.pdf").write_bytes(sealed)

    from importlib.metadata import version

    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    print(file=sys.stderr)
    print(
        f"Paragraf seal bench: {page_count} pages, {len(pdf) // 1024} KiB unsealed, {len(sealed) // 1024} KiB sealed; "
        f"{runs} runs each"
    )
    print(f"Python {platform.python_version()}, pyHanko {version('pyHanko')}, {os.cpu_count()} CPUs (load {load})")
    print()
    rows = [
        ("seal_pdf (RSA 3072, PAdES B-B, stamp)", seal_times, seal_first),
        ("check_seal, sealed file (authentic)", verify_times, verify_first),
        (f"check_seal, one changed byte ({altered.reason[:22]}…)", altered_times, None),
        (f"check_seal, unsealed file ({unsealed.reason[:22]}…)", unsealed_times, None),
        ("read_signer: the PKCS#12 (once per process)", read_times, read_first),
        ("cold process: start, Django, imports, 1 check", [cold["wall"] for cold in colds], None),
        ("  of which check_seal (reads the PKCS#12)", [cold["check"] for cold in colds], None),
    ]
    width = max(len(label) for label, *_ in rows)
    header = f"{'measure':<{width}}  {'median':>8}  {'min':>8}  {'max':>8}  {'1st call':>8}"
    print(header)
    print("-" * len(header))
    for label, times, first in rows:
        first_text = ms(first) if first is not None else ""
        print(
            f"{label:<{width}}  {ms(statistics.median(times)):>8}  {ms(min(times)):>8}  {ms(max(times)):>8}  "
            f"{first_text:>8}"
        )
    print()
    worst = max(verify_times)
    cold = max(cold["check"] for cold in colds)
    met = worst < TARGET_VERIFY_SECONDS and cold < TARGET_VERIFY_SECONDS
    print(
        f"VERDICT: target {'MET' if met else 'NOT MET'}. Verifying {page_count} pages: warm max {ms(worst)}, "
        f"first check in a fresh process max {ms(cold)}; target < {ms(TARGET_VERIFY_SECONDS)}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
