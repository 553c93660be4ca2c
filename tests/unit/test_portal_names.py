"""Names in the portal's protocol text become links to the people's pages (no database)."""

from minutes.portal.names import link_names, people, person_links
from minutes.protocol.snapshot import ItemSnapshot, MotionData, Named, PersonRef
from tests.unit.test_phrases import BACK, FREDHOLM, OBERG, protocol

LINKS = {"Peter Öberg": "/p/4/", "Arne Fredholm": "/p/5/", "Lars Bäck": "/p/1/"}


def test_names_and_their_genitive_become_links_in_text_only():
    markup = (
        '<p class="names">Peter Öberg (L)</p>'
        "<p>Ordföranden ställde Arne Fredholms m fl (M) yrkande mot Lars Bäcks.</p>"
        '<td title="Peter Öberg">Peter Öbergsson</td>'
    )
    assert link_names(markup, LINKS) == (
        '<p class="names"><a href="/p/4/">Peter Öberg</a> (L)</p>'
        '<p>Ordföranden ställde <a href="/p/5/">Arne Fredholms</a> m fl (M) yrkande '
        'mot <a href="/p/1/">Lars Bäcks</a>.</p>'
        '<td title="Peter Öberg">Peter Öbergsson</td>'
    )


def test_a_name_already_inside_a_link_and_escaped_text_are_left_as_they_are():
    markup = '<a href="/x/">Peter Öberg</a> och Peter Öberg &amp; Lars Bäck'
    assert link_names(markup, LINKS) == (
        '<a href="/x/">Peter Öberg</a> och <a href="/p/4/">Peter Öberg</a> &amp; <a href="/p/1/">Lars Bäck</a>'
    )


def test_members_are_linked_and_officials_and_shared_names_are_not():
    twin = PersonRef(99, "Peter", "Öberg", "S", "substitute")
    official = PersonRef(50, "Birgitta", "Sjö")
    motion = MotionData(1, "approve", (Named(OBERG), Named(twin), Named(official)))
    snapshot = protocol(ItemSnapshot(number=1, position=1, title="Ärende", motions=(motion,), serving=(FREDHOLM,)))
    assert {ref.id for ref in people(snapshot)} == {BACK.id, OBERG.id, twin.id, official.id, FREDHOLM.id}
    assert person_links(snapshot) == {
        "Lars Bäck": f"/protokoll/person/{BACK.id}/",
        "Arne Fredholm": f"/protokoll/person/{FREDHOLM.id}/",
    }
