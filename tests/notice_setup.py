"""A coming meeting with an agenda for the notice and reading-room tests: members with and without
addresses, a substitute, a public item with a document, a confidential item with one, and a withdrawn item."""

import datetime
import time
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from committee.models import Role
from minutes.agenda.documents import store_document
from minutes.agenda.items import add_agenda_item, withdraw_agenda_item
from minutes.models import AgendaDocument, AgendaItem, Meeting
from tests.agenda_files import pdf_bytes, upload
from tests.factories import CommitteeFactory, MeetingFactory, MembershipFactory, PersonFactory


@dataclass
class Agenda:
    meeting: Meeting
    secretary: User
    members: list[User]  # with an address: two members and a substitute
    silent: object  # a member without an account
    public: AgendaItem
    secret: AgendaItem
    public_document: AgendaDocument
    secret_document: AgendaDocument
    outsider: User  # a member of another committee


def account(person, email: str) -> User:
    user = User.objects.create_user(f"u{person.pk}", email=email, password="x", first_name=person.first_name)
    person.user = user
    person.save()
    return user


def coming_agenda(days: int = 10) -> Agenda:
    committee = CommitteeFactory(name="Årstadals stadsdelsnämnd")
    meeting = MeetingFactory(
        committee=committee, date=timezone.localdate() + datetime.timedelta(days=days), place="Årstasalen"
    )
    members = []
    for n, role in enumerate([Role.CHAIR, Role.MEMBER, Role.SUBSTITUTE]):
        person = PersonFactory()
        MembershipFactory(person=person, committee=committee, role=role)
        members.append(account(person, f"ledamot{n}@example.org"))
    silent = MembershipFactory(committee=committee, role=Role.MEMBER).person
    secretary = User.objects.create_user("sekreterare", email="sek@example.org", password="x")
    committee.secretaries.add(secretary)
    public = add_agenda_item(
        meeting, title="Budget 2027", dnrs=["1.1-12/2026"], preparing="Ekonomienheten", proposal="Nämnden godkänner."
    )
    secret = add_agenda_item(
        meeting,
        title="Ansökan om bistånd",
        dnrs=["2.1-99/2026"],
        proposal="Avslag för Anna Andersson.",
        confidential=True,
        secrecy_ground="OSL 26 kap. 1 §",
    )
    withdrawn = add_agenda_item(meeting, title="Tillbakadraget ärende")
    withdraw_agenda_item(withdrawn)
    day = timezone.localdate()
    public_document = store_document(
        public, upload=upload(pdf_bytes(1)), title="Tjänsteutlåtande budget", date=day, confidential=False
    )
    secret_document = store_document(
        secret, upload=upload(pdf_bytes(2)), title="Utredning Andersson", date=day, confidential=True
    )
    other = MembershipFactory(role=Role.MEMBER).person
    outsider = account(other, "annan@example.org")
    return Agenda(meeting, secretary, members, silent, public, secret, public_document, secret_document, outsider)


def totp_code(device: TOTPDevice) -> str:
    """The code the member's app shows now, computed from the device's key as the app does."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"
