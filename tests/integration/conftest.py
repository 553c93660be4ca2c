"""Fixtures shared by the integration tests (modules may define their own of the same name)."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

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


@pytest.fixture
def demo() -> Meeting:
    """The demo meeting as a draft, loaded as `./paragraf run` loads it."""
    call_command("loaddemo", "--draft", stdout=io.StringIO())
    return Meeting.objects.get()


@pytest.fixture
def secretary_client(client, demo):
    """The test client signed in as a secretary of the demo committee."""
    user = User.objects.create_user("sekreterare", password="x")
    demo.committee.secretaries.add(user)
    client.force_login(user)
    return client
