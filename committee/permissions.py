"""Who may see and change what: plain predicates, one place, used by every view."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from committee.models import Committee, Membership

User = AbstractBaseUser | AnonymousUser


def serves_as_secretary(user: User, committee: Committee) -> bool:
    """A committee's secretaries, and administrators, prepare its meetings."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return committee.secretaries.filter(pk=user.pk).exists()


def can_prepare_meeting(user: User, meeting) -> bool:
    return serves_as_secretary(user, meeting.committee)


def can_edit_meeting(user: User, meeting) -> bool:
    """Only a draft can change, and only in its committee's secretaries' hands."""
    return meeting.is_editable and can_prepare_meeting(user, meeting)


def serves_as_clerk(user: User, committee: Committee) -> bool:
    """A committee's registrars (and administrators) export and archive its adjusted protocols."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return committee.clerks.filter(pk=user.pk).exists()


def can_export_meeting(user: User, meeting) -> bool:
    return serves_as_clerk(user, meeting.committee) or serves_as_secretary(user, meeting.committee)


def can_announce_meeting(user: User, meeting) -> bool:
    """The secretary or the registrar posts the notice of adjustment."""
    return can_export_meeting(user, meeting)


def signer_person(user: User):
    """The person behind a signed-in account, if any: chairs and adjusters sign as themselves."""
    if not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def can_read_agenda(user: User, meeting) -> bool:
    """Members and substitutes of the committee (on the meeting's day or today), and its secretaries, read its
    agenda and case documents in the reading room."""
    if not user.is_authenticated:
        return False
    if serves_as_secretary(user, meeting.committee):
        return True
    person = getattr(user, "person", None)
    if person is None:
        return False
    memberships = Membership.objects.filter(person=person, committee_id=meeting.committee_id)
    return memberships.on(meeting.date).exists() or memberships.on(timezone.localdate()).exists()
