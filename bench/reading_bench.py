"""Benchmark the notice and the reading room as people use them, in Chromium against gunicorn.

    .venv/bin/python bench/reading_bench.py [--rounds N]

Builds a database of its own (bench/benchdb.py) with a committee of 13 members and 4 substitutes
(all with addresses) and a coming meeting of 15 agenda items, each with a 2-page and a 12-page PDF
(one item confidential). gunicorn (2 workers) serves it; mail goes to an SMTP server (aiosmtpd) on
loopback. Each round measures:

- the secretary, on a laptop: from opening the agenda page, through its link to the notice and
  its "send now", to the confirmation on the page (2 clicks, no field typed; the notice rendered to
  text and PDF/A, 17 mails to the roll and 3 to the officials invited to present items, over SMTP);
- a member, on a 390x844 phone over a throttled connection (Chromium's network emulation: 150 ms
  latency, 1.6 Mbit/s down, 750 kbit/s up, roughly "fast 3G"), with an empty cache: the meeting
  page's weight (bytes over the wire for the page and everything it loads) and its load time, then
  the time from the tap on the first document to its last byte.

Prints the median of the rounds and the machine's load. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import benchdb, servers  # noqa: E402  (needs ROOT on sys.path)

PASSWORD = "reading-bench-password"
MEMBERS, SUBSTITUTES, ITEMS, INVITEES = 13, 4, 15, 3
THROTTLE = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}


def pdf(pages: int) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build_data() -> tuple[int, str]:
    """The committee, its roll with accounts, a secretary, and the coming meeting's agenda; (meeting, member)."""
    import datetime

    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from committee.models import Committee, Membership, Person, Role
    from minutes.agenda.documents import store_document
    from minutes.agenda.items import add_agenda_item, add_invitee
    from minutes.models import Meeting

    benchdb.schema()
    committee = Committee.objects.create(
        name="Årstadals stadsdelsnämnd", short_name="Årstadal", slug="arstadal", municipality="Stockholm", seats=13
    )
    for n in range(MEMBERS + SUBSTITUTES):
        user = User.objects.create_user(f"ledamot{n}", email=f"ledamot{n}@example.org", password=PASSWORD)
        person = Person.objects.create(first_name="Ledamot", last_name=f"Nummer {n}", user=user)
        role = Role.MEMBER if n < MEMBERS else Role.SUBSTITUTE
        Membership.objects.create(person=person, committee=committee, role=role, position=n)
    secretary = User.objects.create_user("sekreterare", password=PASSWORD)
    committee.secretaries.add(secretary)
    day = timezone.localdate() + datetime.timedelta(days=10)
    meeting = Meeting.objects.create(
        committee=committee, number=1, date=day, start_time=datetime.time(18), place="Årstasalen"
    )
    small, large = pdf(2), pdf(12)
    for n in range(ITEMS):
        confidential = n == ITEMS - 1
        item = add_agenda_item(
            meeting,
            title=f"Ärende {n + 1}: ombyggnad av parkleken vid Årstafältet",
            dnrs=[f"1.1-{n + 1}/2026"],
            preparing="Stadsmiljöavdelningen",
            proposal="Nämnden godkänner förvaltningens förslag och överlämnar ärendet till kommunstyrelsen.",
            confidential=confidential,
            secrecy_ground="OSL 26 kap. 1 §" if confidential else "",
        )
        if n < INVITEES:
            add_invitee(item, name=f"Tjänsteperson {n + 1}", email=f"tjansteperson{n + 1}@example.org")
        for title, data in (("Tjänsteutlåtande", small), ("Bilaga: utredning", large)):
            store_document(
                item,
                upload=SimpleUploadedFile("handling.pdf", data, content_type="application/pdf"),
                title=title,
                date=timezone.localdate(),
                confidential=False,
            )
    return meeting.pk, "ledamot0"


class Mailbox:
    """An SMTP server on loopback that counts what it accepts."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.count += 1
        return "250 Message accepted for delivery"


def sign_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/konto/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def reset_notice(meeting_id: int) -> None:
    from minutes.models import AgendaInvitee, MeetingNotice

    MeetingNotice.objects.filter(meeting_id=meeting_id).delete()
    AgendaInvitee.objects.filter(agenda_item__meeting_id=meeting_id).update(sent_at=None, opened_at=None)
    benchdb.close_connections()


def secretary_round(browser, url: str, meeting_id: int) -> float:
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(120_000)
    page = context.new_page()
    sign_in(page, url, "sekreterare")
    started = time.perf_counter()
    page.goto(f"{url}/sammantrade/{meeting_id}/foredragningslista/")
    page.get_by_role("link", name="Kallelse", exact=True).click()
    page.get_by_role("button", name="Skicka nu").click()
    page.get_by_text(f"Kallelsen gick till {MEMBERS + SUBSTITUTES + INVITEES} personer.").wait_for()
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def member_round(browser, url: str, meeting_id: int, username: str) -> tuple[int, float, float]:
    """(bytes of the meeting page and what it loads, its load time, tap to the document's last byte)."""
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(120_000)
    page = context.new_page()
    sign_in(page, url, username)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", THROTTLE)
    received: list[float] = []
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    started = time.perf_counter()
    page.goto(f"{url}/las/sammantrade/{meeting_id}/", wait_until="load")
    loaded = time.perf_counter() - started
    weight = int(sum(received))
    link = page.locator("a[data-document]").first
    started = time.perf_counter()
    with page.expect_response(lambda r: "/las/handling/" in r.url) as shown:
        link.click()
    shown.value.finished()
    document = time.perf_counter() - started
    context.close()
    return weight, loaded, document


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from aiosmtpd.controller import Controller
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as var, benchdb.throwaway("reading"):
        os.environ["PARAGRAF_VAR_DIR"] = var
        mailbox = Mailbox()
        smtp_port = servers.free_port()
        controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        port = servers.free_port()
        site = f"http://127.0.0.1:{port}"
        env = {
            "PARAGRAF_EMAIL_HOST": "127.0.0.1",
            "PARAGRAF_EMAIL_PORT": str(smtp_port),
            "PARAGRAF_EMAIL_SECURITY": "none",
            "PARAGRAF_SITE_URL": site,
        }
        os.environ.update(env)
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM between rounds, beside Playwright's event loop
        servers.setup_django()
        from django.core.management import call_command

        from tests.browser.conftest import CHROMIUM_ARGS, chromium_executable

        call_command("collectstatic", interactive=False, verbosity=0)  # served by WhiteNoise, as in production
        meeting_id, member = build_data()
        benchdb.close_connections()
        gunicorn = servers.start_gunicorn(port, workers=2, env=env)
        sends, weights, loads, documents = [], [], [], []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
                for _round in range(args.rounds):
                    reset_notice(meeting_id)
                    sends.append(secretary_round(browser, site, meeting_id))
                    weight, loaded, document = member_round(browser, site, meeting_id, member)
                    weights.append(weight)
                    loads.append(loaded)
                    documents.append(document)
                browser.close()
        finally:
            servers.stop(gunicorn)
            controller.stop()
    print(f"Machine: {platform.node()}, {os.cpu_count()} cores, {benchdb.load_report()}")
    print(f"Rounds: {args.rounds}; mails accepted by the SMTP server: {mailbox.count}")
    print(
        f"Agenda page to a sent notice ({ITEMS} items, {MEMBERS + SUBSTITUTES} members and substitutes and "
        f"{INVITEES} invited officials; 2 clicks, 0 fields): "
        f"median {statistics.median(sends):.2f} s (all: {', '.join(f'{s:.2f}' for s in sends)})"
    )
    print(
        f"Reading room, meeting page on a throttled phone: {statistics.median(weights) / 1024:.0f} KiB over the "
        f"wire, loaded in {statistics.median(loads):.2f} s; tap to the first document's last byte "
        f"{statistics.median(documents):.2f} s (median of {args.rounds})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
