"""Every workspace page passes axe-core with no serious or critical violation.

axe runs inside Chromium on the page as the secretary sees it: after sign-in, after an htmx swap,
and with a form's validation errors on show. A new workspace page gets its line in PAGES.
"""

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page

from committee.models import Person
from minutes import rules, services
from minutes.models import Item, Meeting, MotionKind, PropositionKind

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = ("serious", "critical")

# Every page of the workspace, as a URL for the demo meeting. The demo's § 10 has motions with
# movers, a recusal and a reservation; § 13 (added by `vote_item`) has a tied roll-call vote.
PAGES: dict[str, Callable[[Meeting], str]] = {
    "committee list": lambda meeting: reverse("minutes:committee-list"),
    "meeting list": lambda meeting: reverse("minutes:meeting-list", args=[meeting.committee.slug]),
    "meeting page": lambda meeting: reverse("minutes:meeting-detail", args=[meeting.pk]),
    "§ editor, motions, recusal and reservation": lambda meeting: reverse("minutes:item-edit", args=[meeting.pk, 10]),
    "§ editor, roll-call vote": lambda meeting: reverse("minutes:item-edit", args=[meeting.pk, 13]),
    "protocol preview (HTML)": lambda meeting: reverse("minutes:protocol-document", args=[meeting.pk, "html"]),
    "public protocol preview (HTML)": lambda meeting: (
        reverse("minutes:protocol-document", args=[meeting.pk, "html"]) + "?version=public"
    ),
    "attendance": lambda meeting: reverse("minutes:attendance", args=[meeting.pk]),
    "meeting details": lambda meeting: reverse("minutes:meeting-edit", args=[meeting.pk]),
    "adjustment": lambda meeting: reverse("minutes:adjustment", args=[meeting.pk]),
    "export and archive": lambda meeting: reverse("minutes:export", args=[meeting.pk]),
    "protocols to adjust": lambda meeting: reverse("minutes:my-adjustments"),
    "notice board": lambda meeting: reverse("notice-board"),
    "seal verification": lambda meeting: reverse("verify"),
    "audit trail of the meeting": lambda meeting: reverse("minutes:audit-trail", args=[meeting.pk]),
    "audit trail of a §": lambda meeting: reverse("minutes:item-audit-trail", args=[meeting.pk, 13]),
    "notice": lambda meeting: reverse("minutes:notice", args=[meeting.pk]),
    "reading room": lambda meeting: reverse("reading:home"),
    "reading room, a meeting": lambda meeting: reverse("reading:meeting", args=[meeting.pk]),
    "second factor, enrolment": lambda meeting: reverse("reading:second-factor-enrol"),
    "house style editor": lambda meeting: reverse("minutes:style-edit", args=[meeting.committee.slug]),
    "meeting import": lambda meeting: reverse("minutes:meeting-import", args=[meeting.committee.slug]),
    "house style diff": lambda meeting: (
        reverse("minutes:style-diff", args=[meeting.committee.slug]) + "?a=preset:ostersund-ks&b=current"
    ),
}


def assert_accessible(page: Page) -> None:
    """Fail with every serious and critical violation on the page as it is now: rule, elements, what to fix."""
    violations = [v for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING]
    report = "\n\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>\n"
        + "\n".join(
            f"  - {', '.join(map(str, node['target']))}: {node['html']}\n    {node['failureSummary']}"
            for node in v["nodes"]
        )
        for v in violations
    )
    assert not violations, f"{page.url}\n\n{report}"


@pytest.fixture
def vote_item(demo: Meeting) -> Item:
    """§ 13 of the demo meeting: two motions put to a tied roll-call vote, decided by the casting vote."""
    item = services.add_item(demo, title="Namnbyte på parken vid Årstaviken")
    people = Person.objects.in_bulk(rules.serving_on(item))
    serving = list(people.values())
    opponent = next(p for p in serving if p.last_name == "Fredholm")
    approve = services.add_motion(item, kind=MotionKind.APPROVE, movers=[(demo.chair, False)])
    reject = services.add_motion(item, kind=MotionKind.REJECT, movers=[(opponent, True)])
    proposition = services.record_proposition(item, kind=PropositionKind.AGAINST_EACH_OTHER, outcome=approve)
    choices = ["yes", "no"] * (len(serving) // 2) + ["abstain"] * (len(serving) % 2)
    services.record_vote(
        proposition,
        yes_motion=approve,
        no_motion=reject,
        ballots=dict(zip(serving, choices, strict=True)),
        casting_vote="yes",
    )
    return item


@pytest.mark.parametrize("name", PAGES)
def test_workspace_page_has_no_serious_violations(name, page, demo, vote_item, sign_in):
    url = PAGES[name](demo)
    sign_in(page, url)
    page.wait_for_load_state("networkidle")

    assert_accessible(page)


def test_login_page_has_no_serious_violations(live_server, page):
    page.goto(f"{live_server.url}/konto/login/")

    assert_accessible(page)


def test_login_form_with_its_error_has_no_serious_violations(live_server, page):
    page.goto(f"{live_server.url}/konto/login/")
    page.fill("#id_username", "sekreterare")
    page.fill("#id_password", "fel lösenord")
    page.click("form button[type=submit]")
    page.locator(".alert-block, .alert-danger").first.wait_for()

    assert_accessible(page)


def test_editor_after_an_htmx_swap_has_no_serious_violations(page, demo, sign_in, workspace):
    ui = workspace(page)
    sign_in(page, reverse("minutes:item-edit", args=[demo.pk, 3]))
    page.evaluate("window.notReloaded = true")
    ui.field("motion", "kind").select_option("table")
    ui.check_people("motion", "movers", ["Erik Nyström"])
    ui.save("motion", ui.in_preview("Erik Nyström (M) yrkade att ärendet skulle bordläggas."))

    assert page.evaluate("window.notReloaded") is True
    assert_accessible(page)


def test_editor_form_with_its_errors_has_no_serious_violations(page, demo, sign_in, workspace):
    """A motion without a mover: the editor shows the form again, with the error at the field."""
    ui = workspace(page)
    sign_in(page, reverse("minutes:item-edit", args=[demo.pk, 3]))
    ui.submit(ui.form("motion"))
    page.locator("#error_1_id_motion-movers").wait_for()

    assert_accessible(page)


def test_new_meeting_form_with_its_error_has_no_serious_violations(page, demo, sign_in):
    """The form sent without a date (the browser's own check turned off) comes back with the error at the date."""
    sign_in(page, reverse("minutes:meeting-list", args=[demo.committee.slug]))
    form = page.locator("form", has=page.get_by_label("Datum"))
    form.evaluate("form => { form.noValidate = true; }")
    form.get_by_role("button", name="Skapa sammanträde").click()
    page.locator("#error_1_id_date").wait_for()

    assert_accessible(page)
