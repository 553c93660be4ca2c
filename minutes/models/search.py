"""The portal's search index: one row per § of an announced protocol, holding only its public text.

An announced protocol never changes (its rows are frozen by triggers on PostgreSQL, and the names
in it are those frozen at its adjustment), so its §§ are indexed once, when it is announced
(`index_meeting`, called by `adjustment.announce`), into this table of their own; `reindex_search`
writes the same entries again. A confidential § is indexed by its public heading alone: no text,
no Dnr, no people, no parties, no vote or reservation flag, so no search can find it by them.
"""

import re

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models, transaction
from django.db.models import Prefetch

from committee.models import Committee, Membership, Party, Person
from minutes.models.item import Item
from minutes.models.meeting import Meeting
from minutes.models.procedure import Ballot, Motion, MotionMover, Proposition
from minutes.models.statements import Recusal, Reservation, ReservationMember, Statement, StatementAuthor
from minutes.points import decision_points, numbered

# The text search configuration of the index and of every query against it.
CONFIG = "swedish"


def fold(text: str) -> str:
    """Lower case with the whitespace collapsed: what substring matching compares, on every database."""
    return " ".join(text.split()).lower()


class SearchEntry(models.Model):
    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="search_entry")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    year = models.PositiveSmallIntegerField(db_index=True)
    meeting_number = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    confidential = models.BooleanField(default=False)
    dnr = models.CharField(max_length=60, blank=True)
    has_vote = models.BooleanField(default=False)
    has_reservation = models.BooleanField(default=False)
    # The public text, by weight: title (A), decision (B), the rest of the § (C), who acted in it (D).
    title = models.CharField(max_length=700)
    decision = models.TextField(blank=True)
    body = models.TextField(blank=True)
    names = models.TextField(blank=True)
    # fold() of the title, and of all the public text with the Dnr: for substring and compound matches.
    folded_title = models.CharField(max_length=700)
    folded_text = models.TextField(blank=True)
    # Weighted, with Swedish stemming (weighted_vector).
    vector = SearchVectorField(null=True, editable=False)
    people = models.ManyToManyField(Person, blank=True, related_name="+")
    parties = models.ManyToManyField(Party, blank=True, related_name="+")

    class Meta:
        ordering = ["-date", "-meeting_number", "number"]

    def __str__(self) -> str:
        return f"§ {self.number} {self.title}"


def _joined(*texts: str) -> str:
    return "\n\n".join(text.strip() for text in texts if text and text.strip())


# Characters that are no text: they would only get in the way of matching and highlighting.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text)


def _entry(
    item: Item, meeting: Meeting, parties_of: dict[int, set[int]], names: dict[int, str]
) -> tuple[SearchEntry, set[int], set[int]]:
    """The entry of one §, with the ids of the people who acted in it and of their parties.

    `names` are the people's names as the protocol was adjusted with them, by id.
    """
    entry = SearchEntry(
        item=item,
        meeting=meeting,
        committee_id=meeting.committee_id,
        date=meeting.date,
        year=meeting.date.year,
        meeting_number=meeting.number,
        number=item.number,
        confidential=item.confidential,
    )
    if item.confidential:
        entry.title = _clean(item.public_heading)
        entry.folded_title = entry.folded_text = fold(entry.title)
        return entry, set(), set()

    people: dict[int, Person] = {}
    texts = [item.matter, item.report_wording]
    for motion in item.motions.all():
        texts += [motion.text, motion.wording]
        people.update((m.person_id, m.person) for m in motion.movers.all())
    for proposition in item.propositions.all():
        texts.append(proposition.wording)
        people.update((b.person_id, b.person) for b in proposition.ballots.all())
        entry.has_vote = entry.has_vote or proposition.voted
    for recusal in item.recusals.all():
        texts.append(recusal.wording)
        people[recusal.person_id] = recusal.person
    for reservation in item.reservations.all():
        texts += [reservation.text, reservation.wording]
        people.update((m.person_id, m.person) for m in reservation.members.all())
        entry.has_reservation = True
    for statement in item.statements.all():
        texts.append(statement.text)
        people.update((a.person_id, a.person) for a in statement.authors.all())

    entry.dnr = item.dnr.strip()
    entry.title = _clean(item.heading)
    entry.decision = _clean(" ".join(numbered(decision_points(item.decision))))  # as printed
    entry.body = _clean(_joined(*texts))
    entry.names = ", ".join(sorted(names.get(pk, person.full_name) for pk, person in people.items()))
    entry.folded_title = fold(entry.title)
    entry.folded_text = fold(_joined(entry.title, entry.decision, entry.body, entry.names, entry.dnr))
    parties = set().union(*(parties_of.get(pk, set()) for pk in people))
    return entry, set(people), parties


@transaction.atomic
def index_meeting(meeting: Meeting) -> int:
    """Write the search entries of the meeting's §§ anew; returns how many were written.

    Only the caller knows the protocol may be public: `announce` calls this when the whole
    protocol is announced, and `reindex_search` for the announced meetings only.
    """
    from minutes.protocol.adjusted import adjusted_protocol  # the pipeline imports these models

    meeting = Meeting.objects.select_related("committee").get(pk=meeting.pk)
    frozen = adjusted_protocol(meeting)
    names = _names(frozen.snapshot.items) if frozen else {}
    items = meeting.items.prefetch_related(
        Prefetch("motions", Motion.objects.prefetch_related(_named("movers", MotionMover))),
        Prefetch("propositions", Proposition.objects.prefetch_related(_named("ballots", Ballot))),
        Prefetch("recusals", Recusal.objects.select_related("person")),
        Prefetch("reservations", Reservation.objects.prefetch_related(_named("members", ReservationMember))),
        Prefetch("statements", Statement.objects.prefetch_related(_named("authors", StatementAuthor))),
    )
    parties_of: dict[int, set[int]] = {}
    memberships = Membership.objects.on(meeting.date).filter(committee_id=meeting.committee_id, party__isnull=False)
    for person_id, party_id in memberships.values_list("person_id", "party_id"):
        parties_of.setdefault(person_id, set()).add(party_id)

    built = [_entry(item, meeting, parties_of, names) for item in items]
    SearchEntry.objects.filter(meeting=meeting).delete()
    SearchEntry.objects.bulk_create([entry for entry, _people, _parties in built])  # sets each entry's pk
    person_link, party_link = SearchEntry.people.through, SearchEntry.parties.through
    person_link.objects.bulk_create(
        person_link(searchentry_id=entry.pk, person_id=pk) for entry, people, _ in built for pk in sorted(people)
    )
    party_link.objects.bulk_create(
        party_link(searchentry_id=entry.pk, party_id=pk) for entry, _, parties in built for pk in sorted(parties)
    )
    SearchEntry.objects.filter(meeting=meeting).update(vector=weighted_vector())
    return len(built)


def _names(items) -> dict[int, str]:
    """The name of everyone who acted in the §§ (ItemSnapshots), by person id."""
    found: dict[int, str] = {}
    for item in items:
        named = [n.person for m in item.motions for n in m.movers]
        named += [b.person for p in item.propositions for b in p.ballots]
        named += [r.person for r in item.recusals]
        named += [n.person for r in item.reservations for n in r.members]
        named += [n.person for s in item.statements for n in s.authors]
        found.update((person.id, person.name) for person in named)
    return found


def _named(lookup: str, model: type[models.Model]) -> Prefetch:
    return Prefetch(lookup, model.objects.select_related("person"))


def weighted_vector() -> SearchVector:
    """The entry's text as one tsvector, weighted A title, B decision, C the rest of the §, D names."""
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("decision", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
        + SearchVector("names", weight="D", config=CONFIG)
    )
