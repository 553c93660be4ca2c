from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes.exchange import ExchangeError, export_meeting
from minutes.models import Meeting


class Command(BaseCommand):
    help = "Write a meeting, with everything it refers to, as one JSON exchange file (docs/exchange/)."

    def add_arguments(self, parser):
        parser.add_argument("meeting", type=int, help="The meeting's primary key.")
        parser.add_argument("-o", "--output", required=True, help="The file to write, or - for standard output.")

    def handle(self, *args, meeting: int, output: str, **options):
        try:
            text = export_meeting(meeting)
        except Meeting.DoesNotExist:
            raise CommandError(f"There is no meeting {meeting}") from None
        except ExchangeError as error:
            raise CommandError(f"The meeting cannot be exported:\n{error}") from None
        if output == "-":
            self.stdout.write(text, ending="")
            return
        path = Path(output)
        path.write_text(text, encoding="utf-8")
        self.stderr.write(f"Wrote {path} ({path.stat().st_size} bytes)")
