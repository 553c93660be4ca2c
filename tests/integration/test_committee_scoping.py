"""One installation, two committees: nothing of committee B reaches committee A's secretary, registrar or chair.

Every workspace address is enumerated from the URL resolver, so a new view cannot escape: each
gets committee B's objects and must refuse A's people, by GET and by POST, without a row changing.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from committee.models import Committee, NumberingScheme, Person, Role, Tense
from minutes import adjustment
from minutes.agenda.documents import store_document
from minutes.agenda.items import add_agenda_item
from minutes.models import (
    Adjuster,
    AdjustmentRound,
    AgendaDocument,
    Attendance,
    AttendanceFunction,
    DocumentKind,
    Item,
    Meeting,
    MeetingStatus,
    Motion,
    Preview,
    RoundState,
    SealedDocument,
)
from minutes.views.editor import Editor
from tests.agenda_files import pdf_bytes, upload
from tests.conftest import SEAL_PASSWORD
from tests.factories import CommitteeFactory, MembershipFactory, MotionFactory, MotionMoverFactory, PartyFactory

pytestmark = pytest.mark.django_db

ROLES = ["secretary", "registrar", "chair"]
# The workspace pages that take no object: each is checked by a test of what it lists.
LISTS = {"committee-list", "my-adjustments"}


def workspace_urls() -> dict[str, list[str]]:
    """Every URL name in the `minutes` namespace, with the names of the arguments its address takes."""
    found: dict[str, list[str]] = {}

    def walk(patterns) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found[pattern.name] = list(pattern.pattern.converters)

    _prefix, resolver = get_resolver().namespace_dict["minutes"]
    walk(resolver.url_patterns)
    return found


URLS = workspace_urls()
OBJECT_URLS = sorted(name for name in URLS if name not in LISTS)


@dataclass
class Side:
    """One committee with its people, accounts and a meeting in each state."""

    committee: Committee
    members: list[Person]  # the chair, the adjuster, a member; then a substitute
    secretary_person: Person
    official: Person  # attends as other present, and so is offered again at the committee's next meeting
    secretary: User
    registrar: User
    chair: User
    adjuster: User
    draft: Meeting
    locked: Meeting
    adjusted: Meeting
    announced: Meeting

    @property
    def meetings(self) -> list[Meeting]:
        return [self.draft, self.locked, self.adjusted, self.announced]

    def user(self, role: str) -> User:
        return getattr(self, role)

    @property
    def people_ids(self) -> set[int]:
        return {p.pk for p in self.members} | {self.secretary_person.pk, self.official.pk}


FIRST_NAMES = {"a": ["Agnes", "Axel", "Alva", "Arvid"], "b": ["Bodil", "Bruno", "Britt", "Bengt"]}
SURNAMES = {"a": "Ahlgren", "b": "Berglund"}


def build_side(letter: str, **settings) -> Side:
    committee = CommitteeFactory(
        name=f"Nämnd {letter.upper()}", short_name=letter.upper(), slug=f"namnd-{letter}", seats=3, **settings
    )
    party = PartyFactory(abbreviation="S", name="Socialdemokraterna")
    roles = [Role.CHAIR, Role.FIRST_VICE_CHAIR, Role.MEMBER, Role.SUBSTITUTE]
    members = [
        MembershipFactory(
            committee=committee,
            party=party,
            role=role,
            position=index,
            person__first_name=FIRST_NAMES[letter][index],
            person__last_name=SURNAMES[letter],
        ).person
        for index, role in enumerate(roles)
    ]
    secretary_person = Person.objects.create(first_name="Sekreterare", last_name=SURNAMES[letter])
    official = Person.objects.create(first_name="Tjänsteperson", last_name=SURNAMES[letter])

    def account(name: str, person: Person | None = None) -> User:
        user = User.objects.create_user(f"{letter}.{name}", password=None)
        if person is not None:
            person.user = user
            person.save(update_fields=["user"])
        return user

    secretary = account("secretary", secretary_person)
    registrar = account("registrar")
    chair = account("chair", members[0])
    adjuster = account("adjuster", members[1])
    committee.secretaries.add(secretary)
    committee.clerks.add(registrar)

    def meeting(number: int) -> Meeting:
        """A complete meeting, ready to be sent for adjustment: three serving, one § with a motion."""
        date = datetime.date(2026, 9, number)
        created = Meeting.objects.create(
            committee=committee,
            number=number,
            date=date,
            start_time=datetime.time(18),
            end_time=datetime.time(19),
            place=f"Rum {letter.upper()}",
            chair=members[0],
            secretary=secretary_person,
            adjustment_at=timezone.make_aware(datetime.datetime.combine(date, datetime.time(20))),
            adjustment_place=f"Kansliet {letter.upper()}",
        )
        Adjuster.objects.create(meeting=created, person=members[1], position=0)
        for position, person in enumerate(members[:3]):
            Attendance.objects.create(
                meeting=created, person=person, function=AttendanceFunction.SERVING, position=position
            )
        Attendance.objects.create(
            meeting=created, person=members[3], function=AttendanceFunction.NON_SERVING, position=3
        )
        Attendance.objects.create(
            meeting=created, person=official, function=AttendanceFunction.OTHER, title="förvaltningschef", position=4
        )
        item = Item.objects.create(
            meeting=created,
            position=1,
            number=1,
            title=f"Ärende {letter.upper()}{number} hemligt",
            dnr=f"{letter.upper()}-{number}/2026",
            decision=f"Nämnden {letter.upper()} beslutar enligt förslaget.",
        )
        MotionMoverFactory(motion=MotionFactory(item=item, position=0), person=members[2])
        agenda_item = add_agenda_item(
            created, title=f"Punkt {letter.upper()}{number} hemlig", confidential=True, secrecy_ground="OSL 26 kap. 1 §"
        )
        store_document(
            agenda_item,
            upload=upload(pdf_bytes()),
            title=f"Handling {letter.upper()}{number} hemlig",
            date=date,
            confidential=True,
        )
        return created

    draft, locked, adjusted, announced = meeting(1), meeting(2), meeting(3), meeting(4)
    adjustment.send_for_adjustment(locked, user=secretary)
    for done in (adjusted, announced):
        round = adjustment.send_for_adjustment(done, user=secretary)
        adjustment.approve(round, user=chair)
        adjustment.approve(round, user=adjuster)
        adjustment.seal_document(round, DocumentKind.PROTOCOL)  # at once, whether or not a worker would
    adjustment.announce(announced, user=registrar)
    for refreshed in (locked, adjusted, announced):
        refreshed.refresh_from_db()
    for printed in (draft, locked, adjusted, announced):  # a PDF preview on its way, for its state's address
        Preview.objects.create(meeting=printed, digest="0" * 64)
    return Side(
        committee,
        members,
        secretary_person,
        official,
        secretary,
        registrar,
        chair,
        adjuster,
        draft,
        locked,
        adjusted,
        announced,
    )


@pytest.fixture(scope="module")
def installation(
    django_db_setup, django_db_blocker, seal_certificate_file, tmp_path_factory
) -> Iterator[tuple[Side, Side]]:
    """Both committees, built once for the module: sealing their protocols takes seconds.

    They are written in a transaction that is rolled back after the last test; each test runs
    in a savepoint inside it, so what a test changes is undone before the next.
    """
    seal = override_settings(
        PARAGRAF_SEAL_PKCS12=seal_certificate_file,
        PARAGRAF_SEAL_PASSWORD=SEAL_PASSWORD,
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    )
    with django_db_blocker.unblock(), seal, translation.override("sv"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            sides = (
                build_side(
                    "a", numbering=NumberingScheme.PER_YEAR, tense=Tense.PRESENT, heading_decision="NÄMNDENS BESLUT"
                ),
                # Of another municipality: a committee's style page names its own municipality's committees,
                # with which it may share its style (minutes/styles.py).
                build_side(
                    "b",
                    numbering=NumberingScheme.PER_MEETING,
                    tense=Tense.PAST,
                    body_noun="styrelsen",
                    municipality="Sunne kommun",
                ),
            )
            yield sides
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def fresh(side: Side) -> Side:
    """The side with its meetings as stored: a test before may have changed them (and been rolled back)."""
    for meeting in side.meetings:
        meeting.refresh_from_db()
    side.committee.refresh_from_db()
    return side


@pytest.fixture
def a(installation) -> Side:
    return fresh(installation[0])


@pytest.fixture
def b(installation) -> Side:
    return fresh(installation[1])


@pytest.fixture
def superuser() -> User:
    return User.objects.create_superuser("admin", "admin@example.invalid", password=None)


def address(name: str, side: Side, meeting: Meeting, **given) -> str:
    """The address of `name` for one of the side's meetings; an unknown argument fails until it is given here."""
    values = {"pk": meeting.pk, "slug": side.committee.slug, "number": 1, "fmt": "html", **given}
    if "preview" in URLS[name]:
        values["preview"] = meeting.previews.get(digest="0" * 64).pk
    if "item_pk" in URLS[name]:
        values["item_pk"] = meeting.agenda_items.get().pk
    if "document_pk" in URLS[name]:
        values["document_pk"] = AgendaDocument.objects.get(agenda_item__meeting=meeting).pk
    return reverse(f"minutes:{name}", kwargs={arg: values[arg] for arg in URLS[name]})


def variants(name: str, side: Side, meeting: Meeting) -> list[str]:
    """Every format of a document address; one address otherwise."""
    if "fmt" in URLS[name]:
        return [address(name, side, meeting, fmt=fmt) for fmt in ("html", "txt", "pdf")]
    return [address(name, side, meeting)]


def secrets(side: Side) -> list[str]:
    """Text that only the side's own pages may show: its committee, its people and its §§."""
    return [
        side.committee.name,
        *[person.full_name for person in [*side.members, side.secretary_person, side.official]],
        *[f"Ärende {side.committee.short_name}{meeting.number} hemligt" for meeting in side.meetings],
        *[f"Punkt {side.committee.short_name}{meeting.number} hemlig" for meeting in side.meetings],
        *[f"Handling {side.committee.short_name}{meeting.number} hemlig" for meeting in side.meetings],
    ]


def database() -> dict[str, list[dict]]:
    """Every row of every model of ours and of the accounts, the audit trail's rows included."""
    models = [
        model
        for label in ("auth", "committee", "minutes")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def test_every_workspace_url_is_checked_here():
    """A new view either takes arguments this file can fill from committee B's objects, or is a list tested below."""
    known = {"pk", "slug", "number", "fmt", "preview", "item_pk", "document_pk"}
    assert {name: args for name, args in URLS.items() if set(args) - known} == {}
    assert sorted(name for name in URLS if not URLS[name]) == sorted(LISTS)
    assert {"meeting-detail", "item-edit", "adjustment-action", "export"} <= set(OBJECT_URLS)  # the walk found them


def test_both_committees_have_a_meeting_in_every_state(a, b):
    expected = [MeetingStatus.DRAFT, MeetingStatus.LOCKED, MeetingStatus.ADJUSTED, MeetingStatus.ANNOUNCED]
    assert [[m.status for m in side.meetings] for side in (a, b)] == [expected, expected]


# Every workspace page of B's objects refuses A's people


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", OBJECT_URLS)
def test_get_of_the_other_committees_objects_is_refused(client, a, b, superuser, name, role):
    client.force_login(a.user(role))
    for meeting in b.meetings:
        for url in variants(name, b, meeting):
            response = client.get(url)
            # 405 only from a view that takes POST alone, as it answers the superuser too.
            expected = {403, 404, 405} if takes_post_only(url, superuser) else {403, 404}
            assert (url, response.status_code in expected) == (url, True)
            page = response.content.decode(errors="replace")
            assert [secret for secret in secrets(b) if secret in page] == []


def takes_post_only(url: str, superuser: User) -> bool:
    administrator = Client()
    administrator.force_login(superuser)
    return administrator.get(url).status_code == 405


def payloads(name: str, side: Side, meeting: Meeting, own: Side) -> list[dict]:
    """What a page of `name` would take, filled in to change B's meeting in every way it can (some with A's people)."""
    item = meeting.items.get(number=1)
    motion = Motion.objects.get(item=item)
    open_round = AdjustmentRound.objects.filter(meeting=meeting, state=RoundState.OPEN).first()
    round_id = str(open_round.pk) if open_round else ""
    chair = str(own.members[0].pk)
    by_name = {
        "meeting-list": [{"date": "2026-10-01", "place": "Inbrott"}],
        "agenda": [
            {"action": "add", "title": "Inbrott"},
            {"action": "remove", "number": "1"},
            {"action": "down", "number": "1"},
        ],
        "attendance": [
            {"action": "other", "other-first_name": "In", "other-last_name": "Brott"},
            {
                "action": "roll",
                "version": str(meeting.version),
                "roll-TOTAL_FORMS": "1",
                "roll-INITIAL_FORMS": "0",
                "roll-0-person": chair,
                "roll-0-function": AttendanceFunction.SERVING,
            },
        ],
        "meeting-edit": [
            {
                "version": str(meeting.version),
                "date": "2026-10-01",
                "place": "Inbrott",
                "chair": chair,
                "secretary": str(own.secretary_person.pk),
                "adjusters": [chair],
            }
        ],
        "item-edit": [
            {"action": "item", "version": str(item.version), "item-title": "Inbrott", "item-decision": "Inbrott."},
            {"action": "motion", "version": str(item.version), "motion-kind": "approve", "motion-movers": [chair]},
            {"action": "motion", "version": str(item.version), "remove": "1", "id": str(motion.pk)},
            {"action": "wording", "version": str(item.version), "part": "motion", "id": str(motion.pk), "wording": "X"},
        ],
        "adjustment-action": [
            {"action": "send"},
            {"action": "send", "item": "1"},
            {
                "action": "approve",
                "round": round_id,
                "sha256": adjustment.version_of(open_round).sha256 if open_round else "",
            },
            {"action": "reopen", "round": round_id, "reason": "Inbrott"},
            {"action": "announce", "posted_on": timezone.localdate().isoformat()},
        ],
        "export": [{"numbers": ["1"]}, {"numbers": ["1"], "as_zip": "on"}],
        "agenda-add": [{"title": "Inbrott"}],
        "agenda-action": [
            {"action": "opening"},
            {"action": "make-items"},
            *({"action": action, "item": str(meeting.agenda_items.get().pk)} for action in ("up", "withdraw")),
        ],
        "agenda-item": [
            {"form": "item", "title": "Inbrott"},
            {"form": "document", "doc-title": "Inbrott", "doc-date": "2026-10-01", "doc-file": upload(pdf_bytes())},
        ],
    }
    return by_name.get(name, [{}])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", OBJECT_URLS)
def test_post_to_the_other_committees_objects_is_refused_and_changes_nothing(client, a, b, name, role):
    client.force_login(a.user(role))
    before = database()
    for meeting in b.meetings:
        for data in payloads(name, b, meeting, a):
            for url in variants(name, b, meeting):
                response = client.post(url, data)
                assert (url, data, response.status_code in {403, 404}) == (url, data, True)
    assert database() == before


def test_adjustment_action_refuses_an_outsider_whatever_the_action(client, a, b):
    client.force_login(a.secretary)
    before = database()
    response = client.post(reverse("minutes:adjustment-action", args=[b.draft.pk]), {"action": "unknown"})
    assert database() == before
    assert response.status_code in {403, 404}


# A's own pages show nothing of B


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_own_pages_show_nothing_of_the_other_committee(client, a, b, name):
    """Every page of A's meetings, as A's secretary reads it (PDFs as their HTML), names nobody and nothing of B."""
    client.force_login(a.secretary)
    for meeting in a.meetings:
        for url in variants(name, a, meeting):
            if url.endswith(".pdf"):
                continue
            page = client.get(url).content.decode(errors="replace")
            assert (url, [secret for secret in secrets(b) if secret in page]) == (url, [])


# The lists show only A's


def shown_meetings(response) -> list[Meeting]:
    return [meeting for _year, meetings in response.context["years"] for meeting in meetings]


def test_committee_list_shows_only_the_secretarys_committees(client, a, b):
    client.force_login(a.secretary)
    response = client.get(reverse("minutes:committee-list"))
    assert list(response.context["committees"]) == [a.committee]
    assert [secret for secret in secrets(b) if secret in response.content.decode()] == []


@pytest.mark.parametrize("role", ["registrar", "chair"])
def test_committee_list_shows_registrars_and_chairs_no_committee(client, a, b, role):
    client.force_login(a.user(role))
    response = client.get(reverse("minutes:committee-list"))
    assert list(response.context["committees"]) == []


def test_meeting_list_shows_only_the_committees_own_meetings(client, a, b):
    client.force_login(a.secretary)
    response = client.get(reverse("minutes:meeting-list", args=[a.committee.slug]))
    assert sorted(m.pk for m in shown_meetings(response)) == sorted(m.pk for m in a.meetings)
    assert [secret for secret in secrets(b) if secret in response.content.decode()] == []


def test_new_meeting_goes_to_the_committee_of_the_page(client, a, b):
    client.force_login(a.secretary)
    response = client.post(reverse("minutes:meeting-list", args=[a.committee.slug]), {"date": "2026-10-01"})
    created = Meeting.objects.get(date="2026-10-01")
    # Numbered among A's meetings of the year alone (B has four that year too).
    assert (response.status_code, created.committee, created.number, b.committee.meetings.count()) == (
        302,
        a.committee,
        5,
        4,
    )
    assert set(created.attendances.values_list("person", flat=True)) <= {p.pk for p in a.members}


@pytest.mark.parametrize("role", ["chair", "adjuster"])
def test_my_adjustments_lists_only_the_signers_own_rounds(client, a, b, role):
    adjustment.send_for_adjustment(b.draft, user=b.secretary)
    adjustment.send_for_adjustment(a.draft, user=a.secretary)
    client.force_login(a.user(role))
    response = client.get(reverse("minutes:my-adjustments"))
    assert sorted(r.meeting.pk for r in response.context["rounds"]) == sorted([a.locked.pk, a.draft.pk])
    assert [secret for secret in secrets(b) if secret in response.content.decode()] == []


# The forms offer only A's people


def test_meeting_form_offers_only_the_committees_people(client, a, b):
    client.force_login(a.secretary)
    response = client.get(reverse("minutes:meeting-edit", args=[a.draft.pk]))
    fields = response.context["form"].fields
    serving = {p.pk for p in a.members[:3]}
    assert {name: {p.pk for p in fields[name].queryset} for name in ("chair", "secretary", "adjusters")} == {
        "chair": serving,
        "adjusters": serving,
        "secretary": a.people_ids,
    }
    assert [secret for secret in secrets(b) if secret in response.content.decode()] == []


def test_meeting_form_refuses_a_chair_from_the_other_committee(client, a, b):
    client.force_login(a.secretary)
    data = {
        "version": str(a.draft.version),
        "date": "2026-09-01",
        "chair": str(b.members[0].pk),
        "secretary": str(a.secretary_person.pk),
        "adjusters": [str(b.members[1].pk)],
    }
    response = client.post(reverse("minutes:meeting-edit", args=[a.draft.pk]), data)
    a.draft.refresh_from_db()
    assert (response.status_code, a.draft.chair, list(a.draft.adjusters.values_list("person", flat=True))) == (
        400,
        a.members[0],
        [a.members[1].pk],
    )


def test_roll_offers_only_the_committees_people(client, a, b):
    client.force_login(a.secretary)
    response = client.get(reverse("minutes:attendance", args=[a.draft.pk]))
    formset = response.context["formset"]
    offered = {int(pk) for form in formset for pk, _label in form.fields["person"].choices if pk}
    replaces = {int(pk) for form in formset for pk, _label in form.fields["replaces"].choices if pk}
    assert (offered, replaces) == ({p.pk for p in a.members} | {a.official.pk}, {p.pk for p in a.members[:3]})
    assert [secret for secret in secrets(b) if secret in response.content.decode()] == []


def test_roll_refuses_a_person_of_the_other_committee(client, a, b):
    client.force_login(a.secretary)
    url = reverse("minutes:attendance", args=[a.draft.pk])
    formset = client.get(url).context["formset"]
    data = {f"roll-{key}": value for key, value in formset.management_form.initial.items()}
    data.update(action="roll", version=str(a.draft.version))
    for index, form in enumerate(formset.forms):
        for field in ("person", "function", "replaces", "from_item", "to_item", "title"):
            value = form[field].value()
            data[f"roll-{index}-{field}"] = "" if value is None else value
    extra = len(formset.forms) - 1
    data[f"roll-{extra}-person"] = str(b.members[2].pk)
    data[f"roll-{extra}-function"] = AttendanceFunction.SERVING
    before = database()
    response = client.post(url, data)
    assert response.status_code == 400
    assert database() == before


@pytest.mark.parametrize("action", ["motion", "proposition", "recusal", "reservation", "statement"])
def test_item_editor_forms_offer_only_the_committees_people(a, b, action):
    form = Editor(a.draft.items.get(number=1)).form(action)
    offered = {
        name: {row.pk for row in field.queryset}
        for name, field in form.fields.items()
        if getattr(field, "queryset", None) is not None
    }
    ballots = {int(name.removeprefix("ballot_")) for name in form.fields if name.startswith("ballot_")}
    if ballots:
        offered["ballots"] = ballots
    serving, substitute = {p.pk for p in a.members[:3]}, {a.members[3].pk}
    motions = {Motion.objects.get(item__meeting=a.draft).pk}
    assert (
        offered
        == {
            "motion": {"movers": serving, "with_others": serving},
            "proposition": {"outcome": motions, "yes_motion": motions, "no_motion": motions, "ballots": serving},
            "recusal": {"person": serving, "substitute": substitute},
            "reservation": {"members": serving, "in_favour_of": motions},
            "statement": {"authors": serving | substitute | {a.official.pk}},
        }[action]
    )


def test_item_editor_page_shows_none_of_the_other_committees_people(client, a, b):
    client.force_login(a.secretary)
    response = client.get(reverse("minutes:item-edit", args=[a.draft.pk, 1]))
    assert response.status_code == 200
    assert [secret for secret in secrets(b) if secret in response.content.decode()] == []


@pytest.mark.parametrize("action", ["motion", "proposition", "recusal", "reservation", "statement"])
def test_item_editor_refuses_the_other_committees_people_and_motions(client, a, b, action):
    client.force_login(a.secretary)
    item = a.draft.items.get(number=1)
    person, motion = str(b.members[0].pk), str(Motion.objects.get(item__meeting=b.draft).pk)
    data = {
        "motion": {"motion-kind": "approve", "motion-movers": [person]},
        "proposition": {"proposition-kind": "single", "proposition-outcome": motion},
        "recusal": {"recusal-person": person, "recusal-left_room": "on"},
        "reservation": {"reservation-members": [a.members[0].pk, person], "reservation-in_favour_of": motion},
        "statement": {"statement-kind": "special", "statement-authors": [person], "statement-text": "Inbrott."},
    }[action]
    before = database()
    response = client.post(
        reverse("minutes:item-edit", args=[a.draft.pk, 1]), {"action": action, "version": str(item.version), **data}
    )
    # The editor comes back with the error at the field.
    assert (response.status_code, "is-invalid" in response.context["fields"][action]) == (200, True)
    assert database() == before


@pytest.mark.parametrize("role", ROLES)
def test_sealed_files_of_the_other_committee_are_refused_until_announced(client, a, b, role):
    """Once announced, a protocol without confidential §§ is public: anyone may read it."""
    client.force_login(a.user(role))
    statuses = [
        client.get(reverse("sealed-file", args=[document.sha256])).status_code
        for meeting in (b.adjusted, b.announced)
        for document in SealedDocument.objects.filter(meeting=meeting, kind=DocumentKind.PROTOCOL)
    ]
    assert statuses == [403, 200]


# Settings are the committee's own


def protocol_text(client, side: Side, meeting: Meeting) -> str:
    client.force_login(side.secretary)
    return client.get(reverse("minutes:protocol-document", args=[meeting.pk, "txt"])).content.decode()


def test_changing_one_committees_settings_leaves_the_other_committees_protocol_as_it_was(client, a, b):
    before_a, before_b = protocol_text(client, a, a.draft), protocol_text(client, b, b.draft)
    Committee.objects.filter(pk=a.committee.pk).update(
        heading_decision="ÄNDRAD RUBRIK", body_noun="utskottet", tense=Tense.PAST, numbering=NumberingScheme.PER_MEETING
    )
    after_a, after_b = protocol_text(client, a, a.draft), protocol_text(client, b, b.draft)
    assert ("ÄNDRAD RUBRIK" in after_a, after_a != before_a) == (True, True)
    assert after_b == before_b


def test_the_committees_settings_show_in_their_own_protocols_only(client, a, b):
    text_a, text_b = protocol_text(client, a, a.draft), protocol_text(client, b, b.draft)
    assert ("NÄMNDENS BESLUT" in text_a, "NÄMNDENS BESLUT" in text_b) == (True, False)


# Administrators see both


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_superuser_sees_both_committees(client, a, b, superuser, name):
    """Every page opens for the administrator in both committees; a view that takes POST alone refuses the GET."""
    client.force_login(superuser)
    statuses = {client.get(variants(name, side, side.draft)[0]).status_code for side in (a, b)}
    assert statuses in ({200}, {405})


def test_superuser_committee_list_shows_both(client, a, b, superuser):
    client.force_login(superuser)
    response = client.get(reverse("minutes:committee-list"))
    assert list(response.context["committees"]) == [a.committee, b.committee]


def test_admin_shows_a_staff_secretary_nothing_and_the_superuser_everything(client, a, b, superuser):
    a.secretary.is_staff = True
    a.secretary.save(update_fields=["is_staff"])
    client.force_login(a.secretary)
    changelist = reverse("admin:minutes_meeting_changelist")
    change_b = reverse("admin:minutes_meeting_change", args=[b.draft.pk])
    assert [client.get(changelist).status_code, client.get(change_b).status_code] == [403, 403]
    client.force_login(superuser)
    response = client.get(changelist)
    assert {m.committee_id for m in response.context["cl"].result_list} == {a.committee.pk, b.committee.pk}


# The public portal shows announced protocols only, whoever asks


def portal_meetings(response) -> set[str]:
    """The meetings a portal page links to, as committee/year/number."""
    return set(re.findall(r'href="/protokoll/(namnd-[ab]/\d+/\d+)/', response.content.decode()))


@pytest.mark.parametrize("role", [None, *ROLES])
def test_portal_shows_only_announced_meetings_whoever_asks(client, a, b, role):
    if role:
        client.force_login(a.user(role))
    search = client.get(reverse("portal:search"), {"q": "hemligt"})
    committee = client.get(reverse("portal:committee", args=[b.committee.slug]))
    unpublished = [
        client.get(reverse("portal:meeting", args=[b.committee.slug, 2026, m.number])).status_code
        for m in (b.draft, b.locked, b.adjusted)
    ]
    assert (portal_meetings(search), portal_meetings(committee), unpublished) == (
        {"namnd-a/2026/4", "namnd-b/2026/4"},
        {"namnd-b/2026/4"},
        [404, 404, 404],
    )
