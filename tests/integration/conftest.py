"""Fixtures shared by the adjustment, worker and storage tests."""

import pytest
from django.contrib.auth.models import User

from minutes.demo import load_demo
from minutes.models import Meeting


@pytest.fixture
def meeting(seal_certificate) -> Meeting:
    """The demo meeting, its chair and adjusters with accounts to approve it (modules may define their own)."""
    meeting = load_demo()
    for person in [meeting.chair, *(a.person for a in meeting.adjusters.all())]:
        person.user = User.objects.create_user(f"user-{person.pk}", password="x")
        person.save()
    return meeting


@pytest.fixture
def secretary(meeting) -> User:
    user = User.objects.create_user("sekreterare", password="x")
    meeting.committee.secretaries.add(user)
    return user
