"""What was moved on a §, and how the chair put it: motions, propositions, roll-call votes."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from committee.models import Person
from minutes.models.item import Item


class MotionKind(models.TextChoices):
    APPROVE = "approve", _("Approve the proposal (bifall)")
    REJECT = "reject", _("Reject the proposal (avslag)")
    APPROVE_WITH_TEXT = "approve_with_text", _("Approve, with an own text (bifall med egen text)")
    REFER_BACK = "refer_back", _("Refer back (återremiss)")
    TABLE = "table", _("Table (bordläggning)")
    OWN_PROPOSAL = "own_proposal", _("Own proposal (eget förslag)")
    CHAIR_PROPOSAL = "chair_proposal", _("The chair's proposal (ordförandeförslag)")

    @classmethod
    def formal(cls) -> tuple[str, ...]:
        """Formal motions are put first and separately (KL 5:53 practice)."""
        return (cls.REFER_BACK, cls.TABLE)


class Motion(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="motions")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=MotionKind)
    text = models.TextField(
        _("text"), blank=True, help_text=_("The mover's own text, or the reason for a referral back.")
    )
    wording = models.TextField(_("own wording for the motion sentence"), blank=True)

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("motion")
        verbose_name_plural = _("motions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (§ {self.item.number})"


class Participant(models.Model):
    """A person named on a motion, reservation or statement, in order, maybe "m fl"."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    with_others = models.BooleanField(_("m fl"), default=False, help_text=_("On behalf of their group."))

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return str(self.person)


class MotionMover(Participant):
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="movers")

    class Meta(Participant.Meta):
        verbose_name = _("mover")
        verbose_name_plural = _("movers")
        constraints = [models.UniqueConstraint(fields=["motion", "person"], name="mover_once_per_motion")]


class PropositionKind(models.TextChoices):
    AGAINST_EACH_OTHER = "against_each_other", _("Motions put against each other")
    SINGLE = "single", _("A single motion put")
    DECIDE_TODAY_OR_REFER = "decide_today_or_refer", _("Decide today or refer back")
    DECIDE_TODAY_OR_TABLE = "decide_today_or_table", _("Decide today or table")


class CastingVote(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nej")


class Proposition(models.Model):
    """One step of the order in which the chair put the proposals, and what the chair found.

    `outcome` is the motion the chair found adopted; for the formal steps it is the formal
    motion if it won, or empty when the committee decided to handle the matter today. A single
    motion put and found rejected has no outcome and `rejected` set. A demanded roll-call vote
    (`voted`) decides between `yes_motion` and `no_motion`; its list may be in an appendix
    (`roll_call_appendix`).
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="propositions")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=30, choices=PropositionKind)
    outcome = models.ForeignKey(
        Motion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the chair found"),
    )
    rejected = models.BooleanField(
        _("the chair found the motion rejected"),
        default=False,
        help_text=_("Only for a single motion put: the committee rejected it."),
    )
    voted = models.BooleanField(_("roll-call vote"), default=False)
    yes_motion = models.ForeignKey(
        Motion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("Ja for")
    )
    no_motion = models.ForeignKey(
        Motion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("Nej for")
    )
    casting_vote = models.CharField(_("chair's casting vote"), max_length=3, choices=CastingVote, blank=True)
    roll_call_appendix = models.CharField(
        _("roll-call list in appendix"),
        max_length=20,
        blank=True,
        help_text=_("The appendix the roll-call list is in (1, A), when the house style prints it there."),
    )
    wording = models.TextField(_("own wording for the procedure"), blank=True)

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (§ {self.item.number})"


class BallotChoice(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nej")
    ABSTAIN = "abstain", _("Avstår")


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    abstain: int

    @property
    def tied(self) -> bool:
        return self.yes == self.no

    @classmethod
    def of(cls, choices: Iterable[str]) -> "Tally":
        choices = list(choices)
        return cls(choices.count(BallotChoice.YES), choices.count(BallotChoice.NO), choices.count(BallotChoice.ABSTAIN))


class Ballot(models.Model):
    proposition = models.ForeignKey(Proposition, on_delete=models.CASCADE, related_name="ballots")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    choice = models.CharField(_("vote"), max_length=10, choices=BallotChoice)

    class Meta:
        ordering = ["proposition", "id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [models.UniqueConstraint(fields=["proposition", "person"], name="one_ballot_per_member")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_choice_display()}"
