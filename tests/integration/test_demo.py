"""The demo: loaded once into an empty database, its logins printable on every start."""

import io

import pytest
from django.core.management import CommandError, call_command

from committee.models import Committee
from minutes.models import Item, Meeting

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_demo_loads_the_seed_meeting_and_prints_its_login():
    loaded = run("loaddemo")
    meeting = Meeting.objects.get()
    assert (meeting.committee.seats, meeting.items.count(), Item.objects.get(number=10).dnr) == (
        11,
        12,
        "1.5.1-392/2016",
    )
    assert "admin / paragraf-demo" in loaded and run("demo_logins").strip() == "administratör: admin / paragraf-demo"


def test_demo_refuses_a_database_with_data_unless_asked_to_skip():
    run("loaddemo")
    with pytest.raises(CommandError, match="already has committees"):
        run("loaddemo")
    assert "not loaded" in run("loaddemo", "--if-empty") and Committee.objects.count() == 1
