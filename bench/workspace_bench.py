"""Benchmark the secretary's workspace: the § editor, one htmx save-and-preview, the meeting page.

    .venv/bin/python bench/workspace_bench.py [--requests N] [--number §]

Builds a database of its own on PostgreSQL (bench/benchdb.py: the server of DATABASE_URL, or the
private cluster under var/), loads the demo and adds a 40-§ meeting with 15 serving members
(bench/synthetic.py), signs a secretary in through the login form with Django's test client
(CSRF checks on), and times N requests of each kind in this process: median, 95th percentile
and max, with the query count of each. See bench/README.md.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpResponse

ROOT = Path(__file__).resolve().parent.parent
ITEMS = 40
EXTRA_MEMBERS = 4  # the demo's 11 serving members + 4 = 15
TARGET_SAVE_P95_MS = 50
USERNAME, PASSWORD = "sekreterare", "workspace-bench-password"

sys.path.insert(0, str(ROOT))

from bench import benchdb  # noqa: E402  (needs ROOT on sys.path)
from bench.protocol_bench import setup_django  # noqa: E402

# ---------------------------------------------------------------------------------------------
# The data.


def build_data() -> int:
    """The demo, then meeting nr 10 with 40 §§ and 15 serving; a secretary of its committee."""
    from django.contrib.auth.models import User

    from bench.synthetic import add_meeting
    from minutes.demo import load_demo

    benchdb.schema()
    demo = load_demo()
    meeting = add_meeting(demo, extra_members=EXTRA_MEMBERS)
    user = User.objects.create_user(USERNAME, password=PASSWORD)
    meeting.committee.secretaries.add(user)
    return meeting.pk


# ---------------------------------------------------------------------------------------------
# Reading the page as a browser would: the fields of a form, the CSRF token.


class FormFields(HTMLParser):
    """The fields a browser would submit from the first <form> with a field `name` of this `value`."""

    def __init__(self, name: str, value: str):
        super().__init__(convert_charrefs=True)
        self.wanted = (name, value)
        self.forms: list[list[tuple[str, str]]] = []
        self.current: list[tuple[str, str]] | None = None
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.current = []
            self.forms.append(self.current)
        if self.current is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.current.append((name, a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and name:
            self.textarea = name
            self.current.append((name, ""))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.current.append((self.select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self.textarea and self.current is not None:
            name, value = self.current[-1]
            # A browser drops the newline that follows <textarea>.
            self.current[-1] = (name, value + (data[1:] if not value and data.startswith("\n") else data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.current = None

    def fields(self) -> dict[str, str | list[str]]:
        for form in self.forms:
            if self.wanted in form:
                data: dict[str, str | list[str]] = {}
                for name, value in form:
                    if name in data:
                        previous = data[name]
                        data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
                    else:
                        data[name] = value
                return data
        raise LookupError(f"no form with {self.wanted[0]}={self.wanted[1]!r} on the page")


def form_fields(html: str, name: str, value: str) -> dict[str, str | list[str]]:
    parser = FormFields(name, value)
    parser.feed(html)
    return parser.fields()


# ---------------------------------------------------------------------------------------------
# Measuring.


@dataclass
class Stat:
    label: str
    seconds: list[float]  # wall-clock time of each request
    cpu: list[float]  # this process's CPU time of each request
    queries: int
    size: int  # bytes of the response body

    def percentile(self, p: float, *, cpu: bool = False) -> float:
        """Nearest-rank percentile: the smallest time that p % of the requests took at most."""
        ordered = sorted(self.cpu if cpu else self.seconds)
        return ordered[max(1, math.ceil(len(ordered) * p / 100)) - 1]


def measured(label: str, prepare: Callable[[], Callable[[], HttpResponse]], check, runs: int) -> Stat:
    """Time `runs` requests: `prepare()` (untimed) returns the request to send, `check` reads the answer (untimed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Warm-up, untimed: template compile, first queries; then one request to count the queries.
    for _ in range(3):
        check(prepare()())
    send = prepare()
    with CaptureQueriesContext(connection) as queries:
        response = send()
    count = len(queries)  # read it now: the next request empties the connection's query log
    check(response)
    times, cpu = [], []
    for _ in range(runs):
        send = prepare()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = send()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        check(response)
    return Stat(label, times, cpu, count, len(response.content))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests of each kind (default 200)")
    parser.add_argument("--number", type=int, default=ITEMS // 2, help="the § to edit (default 20)")
    options = parser.parse_args()
    if options.requests < 1:
        parser.error("--requests must be at least 1")
    if not 1 <= options.number <= ITEMS:
        parser.error(f"--number must be a § of the meeting, 1 to {ITEMS}")

    with benchdb.throwaway("workspace"), tempfile.TemporaryDirectory(prefix="paragraf-workspace-bench-") as tmp:
        var_dir = Path(tmp) / "var"
        (var_dir / "staticfiles").mkdir(parents=True)  # WhiteNoise warns without it; nothing static is served
        os.environ["PARAGRAF_VAR_DIR"] = str(var_dir)
        setup_django()
        return measure(options.requests, options.number)


def measure(runs: int, number: int) -> int:
    from django.test import Client
    from django.urls import reverse

    from minutes import rules
    from minutes.models import Item, Meeting

    started = time.perf_counter()
    meeting_id = build_data()
    meeting = Meeting.objects.get(pk=meeting_id)
    item = Item.objects.get(meeting=meeting, number=number)
    serving = len(rules.serving_on(item))
    print(f"Built the bench data in {time.perf_counter() - started:.1f} s.", file=sys.stderr)

    client = Client(enforce_csrf_checks=True, SERVER_NAME="127.0.0.1")
    login = reverse("login")
    page = client.get(login).content.decode()
    signed_in = client.post(login, form_fields(page, "next", "") | {"username": USERNAME, "password": PASSWORD})
    if signed_in.status_code != 302:
        raise RuntimeError(f"could not sign in: {signed_in.status_code}")

    editor_url = reverse("minutes:item-edit", args=[meeting_id, number])
    meeting_url = reverse("minutes:meeting-detail", args=[meeting_id])

    def ok(response: HttpResponse) -> None:
        assert response.status_code == 200, response.status_code

    # The save: exactly what the § form on the page posts, as htmx sends it, with the
    # version and the CSRF token read from the previous answer every time, and a new
    # sentence at the end of the matter each time.
    last = {"html": client.get(editor_url).content.decode(), "round": 0}
    matter = form_fields(last["html"], "action", "item")["item-matter"]

    def save() -> Callable[[], HttpResponse]:
        last["round"] += 1
        data = form_fields(last["html"], "action", "item")
        data["item-matter"] = f"{matter}\n\nÄndrad gång {last['round']}."
        return lambda: client.post(editor_url, data, headers={"HX-Request": "true"})

    def saved(response: HttpResponse) -> None:
        ok(response)
        last["html"] = response.content.decode()
        assert f"Ändrad gång {last['round']}." in last["html"], "the preview does not show the saved text"
        assert 'id="stale"' not in last["html"], "the save was refused as stale"

    # The autosave and the live preview: what static/editor-draft.js posts as the secretary types,
    # the § form's fields, with the version each draft save answers.
    draft_url = reverse("minutes:item-draft", args=[meeting_id, number])
    preview_url = reverse("minutes:item-preview", args=[meeting_id, number])
    typed = {"data": {}, "round": 0}

    def draft() -> Callable[[], HttpResponse]:
        typed["round"] += 1
        if not typed["data"]:
            typed["data"] = form_fields(client.get(editor_url).content.decode(), "action", "item")
        typed["data"]["item-matter"] = f"{matter}\n\nUtkast {typed['round']}."
        return lambda: client.post(draft_url, typed["data"])

    def drafted(response: HttpResponse) -> None:
        ok(response)
        answer = response.json()
        typed["data"]["version"] = typed["data"]["item-version"] = str(answer["version"])
        assert f"Utkast {typed['round']}." in answer["preview"], "the draft's preview does not show the text"

    def preview() -> Callable[[], HttpResponse]:
        typed["round"] += 1
        data = form_fields(client.get(editor_url).content.decode(), "action", "item")
        data["item-matter"] = f"{matter}\n\nOsparat {typed['round']}."
        return lambda: client.post(preview_url, data)

    def previewed(response: HttpResponse) -> None:
        ok(response)
        assert f"Osparat {typed['round']}." in response.json()["preview"], "the preview does not show the text"

    stats = [
        measured(f"GET § editor (§ {number})", lambda: lambda: client.get(editor_url), ok, runs),
        measured("POST htmx save § + preview", save, saved, runs),
        measured("POST draft save (autosave)", draft, drafted, runs),
        measured("POST live preview (not stored)", preview, previewed, runs),
        measured("GET meeting page", lambda: lambda: client.get(meeting_url), ok, runs),
    ]
    item.refresh_from_db()

    print()
    items = Item.objects.filter(meeting=meeting).count()
    print(
        f"Paragraf workspace bench: {items} §§, {serving} serving on § {number}; "
        f"{runs} requests of each kind, Django test client in-process, CSRF checks on"
    )
    print(f"Python {platform.python_version()}, {benchdb.describe(os.environ['DATABASE_URL'])}")
    print(benchdb.load_report())
    print()
    width = max(len(s.label) for s in stats)
    header = (
        f"{'request':<{width}}  {'median':>8}  {'p95':>8}  {'max':>8}  {'CPU med.':>8}  {'CPU p95':>8}"
        f"  {'queries':>7}  {'KiB':>5}"
    )
    print(header)
    print("-" * len(header))
    for s in stats:
        print(
            f"{s.label:<{width}}  {ms(statistics.median(s.seconds)):>5} ms  {ms(s.percentile(95)):>5} ms  "
            f"{ms(max(s.seconds)):>5} ms  {ms(statistics.median(s.cpu)):>5} ms  {ms(s.percentile(95, cpu=True)):>5} ms"
            f"  {s.queries:>7}  {s.size // 1024:>5}"
        )
    print()
    print(
        f"Draft save p95 {stats[2].percentile(95) * 1000:.1f} ms ({stats[2].queries} queries), "
        f"live preview p95 {stats[3].percentile(95) * 1000:.1f} ms ({stats[3].queries} queries)."
    )
    save_p95 = stats[1].percentile(95) * 1000
    verdict = "MET" if save_p95 < TARGET_SAVE_P95_MS else "NOT MET"
    print(
        f"VERDICT: target {verdict}. Save-and-preview p95 {save_p95:.1f} ms, target under {TARGET_SAVE_P95_MS} ms "
        f"(CPU p95 {stats[1].percentile(95, cpu=True) * 1000:.1f} ms); § {number} is now at version {item.version}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
