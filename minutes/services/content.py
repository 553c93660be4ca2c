"""The content of a §: its text, motions, recusals, reservations, statements, propositions and votes."""

from collections.abc import Sequence

from django.db import transaction

from committee.models import Person
from minutes.models import (
    Ballot,
    BallotChoice,
    Item,
    Motion,
    MotionMover,
    Proposition,
    Recusal,
    Reservation,
    ReservationMember,
    Statement,
    StatementAuthor,
)
from minutes.services.guards import (
    Participants,
    StaleEdit,
    _create,
    _done,
    _editable_item,
    _next_position,
    _participants,
    _refuse_structural,
    _replace_rows,
)

# The parts of a § that the editor adds, rewords and removes.
Part = Motion | Proposition | Recusal | Reservation | Statement


def save_item(item: Item, *, expected_version: int, **fields) -> Item:
    """Save the secretary's edit unless someone else saved the § since it was loaded.

    Only the text of the § changes (the structural fields are refused), and no rule of `rules`
    reads it: the rules are not checked again, nor are the meeting, number and position validated.
    """
    with transaction.atomic():
        _refuse_structural(fields)
        current = _editable_item(item)
        if current.version != expected_version:
            raise StaleEdit(current)
        for name, value in fields.items():
            setattr(current, name, value)
        current.full_clean(exclude=["meeting", "position", "number"])
        current.version += 1
        current.save()
    return current


def add_motion(
    item: Item, *, kind: str, movers: Sequence[tuple[Person, bool]], text: str = "", wording: str = ""
) -> Motion:
    with transaction.atomic():
        item = _editable_item(item)
        motion = _create(
            Motion, item=item, position=_next_position(item.motions), kind=kind, text=text, wording=wording
        )
        for position, (person, with_others) in enumerate(movers, start=1):
            _create(MotionMover, motion=motion, person=person, position=position, with_others=with_others)
        _done(item)
    return motion


def record_recusal(
    item: Item, person: Person, *, left_room: bool = True, substitute: Person | None = None, wording: str = ""
) -> Recusal:
    with transaction.atomic():
        item = _editable_item(item)
        recusal = _create(
            Recusal, item=item, person=person, left_room=left_room, substitute=substitute, wording=wording
        )
        _done(item)
    return recusal


def add_reservation(
    item: Item,
    *,
    members: Participants,
    in_favour_of: Motion | None = None,
    text: str = "",
    wording: str = "",
    appendix: str = "",
) -> Reservation:
    with transaction.atomic():
        item = _editable_item(item)
        reservation = _create(
            Reservation,
            item=item,
            position=_next_position(item.reservations),
            in_favour_of=in_favour_of,
            text=text,
            wording=wording,
            appendix=appendix,
        )
        for position, (person, with_others) in enumerate(_participants(members), start=1):
            _create(
                ReservationMember,
                reservation=reservation,
                person=person,
                position=position,
                with_others=with_others,
            )
        _done(item)
    return reservation


def add_statement(
    item: Item, *, kind: str, authors: Participants, text: str = "", in_appendix: bool = False, appendix: str = ""
) -> Statement:
    """A statement printed in the §, or with `in_appendix` only announced there (its text in `appendix`)."""
    with transaction.atomic():
        item = _editable_item(item)
        statement = _create(
            Statement,
            item=item,
            position=_next_position(item.statements),
            kind=kind,
            text=text,
            in_appendix=in_appendix,
            appendix=appendix,
        )
        for position, (person, with_others) in enumerate(_participants(authors), start=1):
            _create(
                StatementAuthor,
                statement=statement,
                person=person,
                position=position,
                with_others=with_others,
            )
        _done(item)
    return statement


def record_proposition(
    item: Item, *, kind: str, outcome: Motion | None = None, rejected: bool = False, wording: str = ""
) -> Proposition:
    """A step of the procedure; a single motion put and found rejected has `rejected` and no outcome."""
    with transaction.atomic():
        item = _editable_item(item)
        proposition = _create(
            Proposition,
            item=item,
            position=_next_position(item.propositions),
            kind=kind,
            outcome=outcome,
            rejected=rejected,
            wording=wording,
        )
        _done(item)
    return proposition


def record_vote(
    proposition: Proposition,
    *,
    yes_motion: Motion,
    no_motion: Motion,
    ballots: dict[Person, BallotChoice],
    casting_vote: str = "",
    roll_call_appendix: str = "",
) -> Proposition:
    """Record a demanded roll-call vote on a proposition, replacing any ballots recorded before."""
    with transaction.atomic():
        item = _editable_item(proposition.item)
        proposition = Proposition.objects.get(pk=proposition.pk)
        proposition.voted = True
        proposition.yes_motion = yes_motion
        proposition.no_motion = no_motion
        proposition.casting_vote = casting_vote
        proposition.roll_call_appendix = roll_call_appendix
        proposition.full_clean()
        proposition.save()
        wanted = [Ballot(proposition=proposition, person=person, choice=choice) for person, choice in ballots.items()]
        for ballot in wanted:
            ballot.full_clean(validate_unique=False, validate_constraints=False)  # replaced below, not added
        _replace_rows(proposition.ballots.all(), wanted, key=lambda row: row.person_id)
        _done(item)
    return proposition


def set_wording(part: Part, *, wording: str) -> Part:
    """The secretary's own sentence in place of the generated one; empty goes back to generated."""
    if not any(field.name == "wording" for field in part._meta.fields):
        raise TypeError(f"{type(part).__name__} has no wording of its own")
    with transaction.atomic():
        item = _editable_item(part.item)
        part = type(part).objects.get(pk=part.pk)
        part.wording = wording
        part.full_clean()
        part.save(update_fields=["wording"])
        _done(item)
    return part


def remove_part(part: Part) -> None:
    """Remove a motion, proposition, recusal, reservation or statement from its §.

    The § is checked afterwards: removing a motion that the chair found adopted, for one, is
    refused.
    """
    with transaction.atomic():
        item = _editable_item(part.item)
        type(part).objects.filter(pk=part.pk, item=item).delete()
        _done(item)
