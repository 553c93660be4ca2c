"""What KL 5:66-67 asks of a protocol, checked on a snapshot: what is missing or inconsistent.

Pure functions over the gathered data, so the secretary's checklist and the protocol agree on
what the § says. The hard rules (who may move, vote, reserve) are enforced on save by
`minutes.rules`; this lists what a secretary still has to fill in.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from minutes import points
from minutes.models import PropositionKind
from minutes.protocol.phrases import tally
from minutes.protocol.snapshot import ItemSnapshot, ProtocolSnapshot


@dataclass(frozen=True)
class Check:
    label: str  # the requirement, as the checklist names it
    ok: bool
    detail: str = ""  # what is missing, when not ok
    advisory: bool = False  # a warning to read: shown like the others, but it does not stop the adjustment

    @property
    def missing(self) -> bool:
        """Something the law asks for is not recorded: the protocol cannot go to adjustment."""
        return not self.ok and not self.advisory


def layout_check(item: ItemSnapshot) -> Check:
    """What in the §'s typed text would print otherwise than it reads in the form, naming the §.

    The decision's points are read by `minutes.points`; in the prose (the matter, motions,
    reservations, statements) a line that starts with a number inside a paragraph is run into
    the line above when printed.
    """
    found = [_("the decision: %(problem)s") % {"problem": p} for p in points.layout_problems(item.decision)]
    prose = [(_("the matter"), item.matter)]
    prose += [(_("a motion"), m.text) for m in item.motions]
    prose += [(_("a reservation"), r.text) for r in item.reservations]
    prose += [(_("a statement"), s.text) for s in item.statements]
    for where, text in prose:
        for marker in points.folded_markers(text):
            found.append(
                _("%(where)s: a line beginning “%(marker)s” runs into the line above; put a blank line before it")
                % {"where": where, "marker": marker}
            )
    detail = _("§ %(number)d: %(problems)s.") % {"number": item.number, "problems": "; ".join(found)} if found else ""
    return Check(_("How the text prints"), not found, detail, advisory=True)


def item_checks(item: ItemSnapshot, protocol: ProtocolSnapshot) -> list[Check]:
    serving = len(item.serving)
    decided = bool(item.decision_points)
    motions = len(item.motions)
    put = item.propositions
    voted = [p for p in put if p.voted]
    ties_without_casting = [p for p in voted if tally(p).tied and not p.casting_vote]
    needs_procedure = motions > 1 or any(m.kind in ("refer_back", "table") for m in item.motions)
    return [
        Check(_("Decision"), decided, "" if decided else _("The § has no decision text.")),
        Check(
            _("Proposals and motions"),
            True,
            _("%(count)d motion(s) recorded.") % {"count": motions},
        ),
        Check(
            _("Order of putting proposals"),
            bool(put) or not needs_procedure,
            "" if put or not needs_procedure else _("Several motions, but no record of how the chair put them."),
        ),
        Check(
            _("Votes and their results"),
            not ties_without_casting and all(p.ballots for p in voted),
            _("A tied vote needs the chair's casting vote.")
            if ties_without_casting
            else ("" if all(p.ballots for p in voted) else _("A roll-call vote has no ballots.")),
        ),
        Check(
            _("Members taking part"),
            serving >= protocol.quorum,
            _("%(serving)d serving; the committee needs %(quorum)d to decide.")
            % {"serving": serving, "quorum": protocol.quorum},
        ),
        Check(
            _("Reservations"),
            all(r.members for r in item.reservations),
            "" if all(r.members for r in item.reservations) else _("A reservation names no member."),
        ),
        Check(
            _("Formal motions tried first"),
            not any(m.kind in ("refer_back", "table") for m in item.motions)
            or any(
                p.kind in (PropositionKind.DECIDE_TODAY_OR_REFER, PropositionKind.DECIDE_TODAY_OR_TABLE) for p in put
            ),
            "",
        ),
        layout_check(item),
    ]


def meeting_checks(protocol: ProtocolSnapshot) -> list[Check]:
    return [
        Check(_("Attendance"), bool(protocol.attendance), "" if protocol.attendance else _("No one is on the roll.")),
        Check(_("Chair"), protocol.chair is not None, "" if protocol.chair else _("Say who chaired the meeting.")),
        Check(
            _("Secretary"), protocol.secretary is not None, "" if protocol.secretary else _("Say who kept the minutes.")
        ),
        Check(_("Adjusters"), bool(protocol.adjusters), "" if protocol.adjusters else _("Appoint an adjuster.")),
        Check(
            _("Time and place of adjustment"),
            protocol.adjustment_at is not None and bool(protocol.adjustment_place),
            "" if protocol.adjustment_at and protocol.adjustment_place else _("Set when and where it is adjusted."),
        ),
        Check(_("§§"), bool(protocol.items), "" if protocol.items else _("The meeting has no §§.")),
    ]
