"""The rules of shared/domain.md §2, checked against what is stored for a §.

Services write inside a transaction, then call `check_item`; a broken rule raises
ValidationError and the transaction rolls back, so no path (form, admin, import) can leave a
§ that breaks them.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from committee.models import NumberingScheme
from minutes.attendance import Presence, Replacement, serving_ids, span
from minutes.models import (
    Attendance,
    BallotChoice,
    Item,
    Motion,
    MotionKind,
    MotionMover,
    Proposition,
    PropositionKind,
    Recusal,
    ReservationMember,
    Tally,
)


@dataclass(frozen=True)
class Problem:
    where: str  # a field name or a path such as "motions[1].movers[0]"
    message: str


def presences(meeting_id: int) -> list[Presence]:
    rows = Attendance.objects.filter(meeting_id=meeting_id).select_related("from_item", "to_item")
    return [
        Presence(
            person_id=row.person_id,
            function=row.function,
            replaces_id=row.replaces_id,
            first=first,
            last=last,
        )
        for row in rows
        for first, last in [
            span(
                row.from_item.position if row.from_item else None,
                row.to_item.position if row.to_item else None,
                row.from_time,
                row.to_time,
                row.pending_from_number,
            )
        ]
    ]


def serving_on(item: Item) -> list[int]:
    recusals = [Replacement(r.person_id, r.substitute_id) for r in item.recusals.all()]
    return serving_ids(presences(item.meeting_id), recusals, item.position)


def item_problems(item: Item) -> list[Problem]:
    problems: list[Problem] = []
    roll = presences(item.meeting_id)
    recusals = list(Recusal.objects.filter(item=item).select_related("person", "substitute"))
    recused = {r.person_id for r in recusals}
    serving = set(serving_ids(roll, [Replacement(r.person_id, r.substitute_id) for r in recusals], item.position))
    serving_before_recusals = set(serving_ids(roll, [], item.position))
    motions = list(Motion.objects.filter(item=item))
    motion_ids = {m.id for m in motions}

    for presence in roll:
        if (
            presence.replaces_id
            and presence.covers(item.position)
            and presence.person_id in serving_before_recusals
            and presence.replaces_id in serving_before_recusals
        ):
            problems.append(
                Problem(
                    "attendance",
                    _("A member and the substitute serving in their place both serve on § %(number)s.")
                    % {"number": item.number},
                )
            )
    present_not_serving = {
        p.person_id for p in roll if p.covers(item.position) and p.person_id not in serving_before_recusals
    }
    for index, recusal in enumerate(recusals):
        if recusal.person_id not in serving_before_recusals:
            problems.append(
                Problem(
                    f"recusals[{index}].person",
                    _("%(name)s is not serving on this §, so there is nothing to recuse from.")
                    % {"name": recusal.person},
                )
            )
        if recusal.substitute_id == recusal.person_id:
            problems.append(Problem(f"recusals[{index}].substitute", _("A member cannot serve in their own place.")))
        elif recusal.substitute_id and recusal.substitute_id not in present_not_serving:
            problems.append(
                Problem(
                    f"recusals[{index}].substitute",
                    _("%(name)s is not a substitute present and free to serve on this §.")
                    % {"name": recusal.substitute},
                )
            )

    movers = MotionMover.objects.filter(motion__item=item).select_related("person", "motion")
    motion_index = {m.id: i for i, m in enumerate(motions)}
    for mover in movers:
        where = f"motions[{motion_index[mover.motion_id]}].movers"
        if mover.person_id in recused:
            problems.append(
                Problem(where, _("%(name)s is recused on this § and cannot move.") % {"name": mover.person})
            )
        elif mover.person_id not in serving:
            problems.append(
                Problem(where, _("%(name)s is not serving on this § and cannot move.") % {"name": mover.person})
            )
    for index, motion in enumerate(motions):
        if not any(m.motion_id == motion.id for m in movers):
            problems.append(Problem(f"motions[{index}].movers", _("A motion needs at least one mover.")))
        elif motion.kind == MotionKind.CHAIR_PROPOSAL and any(
            m.motion_id == motion.id and m.person_id != item.meeting.chair_id for m in movers
        ):
            problems.append(
                Problem(f"motions[{index}].movers", _("Only the meeting's chair moves the chair's proposal."))
            )

    abstained: set[int] = set()
    voted = False
    for index, proposition in enumerate(Proposition.objects.filter(item=item).prefetch_related("ballots__person")):
        where = f"propositions[{index}]"
        for field in ("outcome_id", "yes_motion_id", "no_motion_id"):
            value = getattr(proposition, field)
            if value is not None and value not in motion_ids:
                problems.append(Problem(f"{where}.{field[:-3]}", _("The motion belongs to another §.")))
        if proposition.rejected and proposition.kind != PropositionKind.SINGLE:
            problems.append(
                Problem(f"{where}.rejected", _("Only a single motion put can be found rejected as a whole."))
            )
        elif proposition.rejected and (proposition.outcome_id or proposition.voted):
            problems.append(
                Problem(
                    f"{where}.rejected",
                    _("A rejected motion has no adopted motion and no vote: leave those empty."),
                )
            )
        elif proposition.kind in (PropositionKind.AGAINST_EACH_OTHER, PropositionKind.SINGLE) and not (
            proposition.outcome_id or proposition.voted or proposition.rejected
        ):
            problems.append(
                Problem(f"{where}.outcome", _("Say which motion the chair found adopted, or that it was rejected."))
            )
        if not proposition.voted:
            if proposition.roll_call_appendix:
                problems.append(
                    Problem(f"{where}.roll_call_appendix", _("Only a roll-call vote has a roll-call list."))
                )
            if proposition.casting_vote:
                problems.append(Problem(f"{where}.casting_vote", _("A casting vote needs a roll-call vote.")))
            continue
        voted = True
        if not (proposition.yes_motion_id and proposition.no_motion_id):
            problems.append(Problem(f"{where}.yes_motion", _("A vote needs a motion for Ja and one for Nej.")))
        elif proposition.yes_motion_id == proposition.no_motion_id:
            problems.append(Problem(f"{where}.no_motion", _("Ja and Nej must be different motions.")))
        ballots = list(proposition.ballots.all())
        for ballot in ballots:
            if ballot.person_id in recused:
                problems.append(
                    Problem(
                        f"{where}.ballots",
                        _("%(name)s is recused on this § and cannot vote.") % {"name": ballot.person},
                    )
                )
            elif ballot.person_id not in serving:
                problems.append(
                    Problem(
                        f"{where}.ballots",
                        _("%(name)s is not serving on this § and cannot vote.") % {"name": ballot.person},
                    )
                )
        # Only the vote that decided the matter counts for who took part in the decision.
        abstained = {b.person_id for b in ballots if b.choice == BallotChoice.ABSTAIN}
        counts = Tally.of(b.choice for b in ballots)
        yes, no = counts.yes, counts.no
        if not ballots:
            problems.append(Problem(f"{where}.ballots", _("A roll-call vote needs the members' votes.")))
        elif yes == no and not proposition.casting_vote:
            problems.append(Problem(f"{where}.casting_vote", _("The vote is tied: the chair's casting vote decides.")))
        elif yes != no and proposition.casting_vote:
            problems.append(Problem(f"{where}.casting_vote", _("There is no tie, so no casting vote.")))
        elif proposition.casting_vote and item.meeting.chair_id not in serving:
            problems.append(Problem(f"{where}.casting_vote", _("The chair is not serving on this § to cast a vote.")))

    took_part = serving - abstained if voted else serving
    reservers = ReservationMember.objects.filter(reservation__item=item).select_related("person", "reservation")
    reservation_ids = list(item.reservations.values_list("id", "in_favour_of_id"))
    reservation_index = {rid: i for i, (rid, _m) in enumerate(reservation_ids)}
    for rid, motion_id in reservation_ids:
        if motion_id is not None and motion_id not in motion_ids:
            problems.append(
                Problem(
                    f"reservations[{reservation_index[rid]}].in_favour_of",
                    _("The motion belongs to another §."),
                )
            )
    for member in reservers:
        where = f"reservations[{reservation_index[member.reservation_id]}].members"
        if member.person_id in recused:
            problems.append(
                Problem(where, _("%(name)s is recused on this § and cannot reserve.") % {"name": member.person})
            )
        elif member.person_id not in took_part:
            problems.append(
                Problem(
                    where,
                    _("%(name)s did not take part in the decision and cannot reserve.") % {"name": member.person},
                )
            )
    return problems


def numbering_problems(item: Item) -> list[Problem]:
    """§ numbers are unique in the meeting, and in the year when the committee numbers by year."""
    meeting = item.meeting
    same = Item.objects.filter(number=item.number).exclude(pk=item.pk)
    if meeting.committee.numbering == NumberingScheme.PER_YEAR:
        same = same.filter(meeting__committee_id=meeting.committee_id, meeting__date__year=meeting.date.year)
    else:
        same = same.filter(meeting=meeting)
    if same.exists():
        return [Problem("number", _("§ %(number)s is already used.") % {"number": item.number})]
    return []


def check_item(item: Item) -> None:
    """Raise ValidationError, keyed by where the problem is, if the § breaks a rule."""
    problems = item_problems(item) + numbering_problems(item)
    if problems:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.where, []).append(problem.message)
        raise ValidationError(errors)
