"""The opening §§' wording is the house style's (`opening.*`), and the agenda § names what changed at the meeting."""

import pytest

from minutes import opening, styles
from minutes.agenda.items import add_agenda_item, save_agenda_item, withdraw_agenda_item
from minutes.models import OpeningKind
from minutes.protocol import housestyle
from tests.factories import serving_meeting

pytestmark = pytest.mark.django_db


def decisions(meeting) -> dict[str, str]:
    return {item.opening: item.decision for item in meeting.items.exclude(opening="")}


def test_opening_items_take_titles_and_decisions_from_the_committees_style():
    meeting = serving_meeting(n_members=5, n_items=1)
    document = housestyle.preset("sunne-kf")
    document["opening"]["adjusters"] = "{{ Body }} väljer {{ adjusters }} till justerare."
    document["opening"]["missing_adjusters"] = "[ingen vald]"
    meeting.committee.house_style = styles.create_style(name="Sunne", municipality="Sunne", document=document)
    meeting.committee.save()

    opening.write(meeting)

    titles = dict(meeting.items.exclude(opening="").values_list("opening", "title"))
    assert titles[OpeningKind.AGENDA] == "Ändringar i föredragningslistan"
    body = document["body_noun"][:1].upper() + document["body_noun"][1:]
    assert decisions(meeting)[OpeningKind.ADJUSTERS] == f"{body} väljer [ingen vald] till justerare."


def test_the_agenda_item_lists_what_was_withdrawn_and_added_at_the_meeting():
    meeting = serving_meeting(n_members=5, n_items=1)
    opening.write(meeting)
    assert decisions(meeting)[OpeningKind.AGENDA] == "Föredragningslistan godkändes."
    gone = add_agenda_item(meeting, title="Motion om badplats")
    withdraw_agenda_item(gone)
    assert decisions(meeting)[OpeningKind.AGENDA] == (
        "Föredragningslistan godkändes med följande ändringar: ärendet ”Motion om badplats” utgick."
    )
    extra = add_agenda_item(meeting, title="Val av revisor", added_at_meeting=True)
    save_agenda_item(add_agenda_item(meeting, title="Avsägelse"), added_at_meeting=True)
    assert decisions(meeting)[OpeningKind.AGENDA] == (
        "Föredragningslistan godkändes med följande ändringar: ärendet ”Motion om badplats” utgick"
        " och ärendena ”Val av revisor” och ”Avsägelse” tillkom."
    )
    withdraw_agenda_item(gone)  # restored: no longer withdrawn
    withdraw_agenda_item(extra)  # added at the meeting, then withdrawn: it is listed as withdrawn
    assert decisions(meeting)[OpeningKind.AGENDA] == (
        "Föredragningslistan godkändes med följande ändringar: ärendet ”Val av revisor” utgick"
        " och ärendet ”Avsägelse” tillkom."
    )
