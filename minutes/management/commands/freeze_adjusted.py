from django.core.management.base import BaseCommand
from django.db import transaction

from minutes.adjustment import adjustment_facts
from minutes.models import AdjustmentRound, RoundState
from minutes.protocol import adjusted


class Command(BaseCommand):
    help = (
        "Freeze the snapshot of every protocol, or § adjusted on its own, that was adjusted before Paragraf "
        "froze them at adjustment (migration 0011), from its data and the registers as they stand now. From "
        "then on it is printed from that snapshot, whatever changes in the registers. Run it once after "
        "upgrading; a second run finds nothing to do."
    )

    def handle(self, *args, **options):
        rounds = AdjustmentRound.objects.filter(state=RoundState.COMPLETED, adjusted_snapshot__isnull=True)
        frozen = 0
        for round in rounds.select_related("meeting", "item").order_by("pk"):
            with transaction.atomic():
                adjusted.freeze(round, adjustment=adjustment_facts(round))
            frozen += 1
        self.stdout.write(f"Froze {frozen} adjusted protocols and §§.")
