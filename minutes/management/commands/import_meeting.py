import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes.exchange import ExchangeError, import_meeting


class Command(BaseCommand):
    help = (
        "Create a meeting from a JSON exchange file (docs/exchange/), reusing the committee, parties and "
        "people the database already has. Prints the new meeting's primary key. A file with any problem "
        "is refused as a whole: each problem is printed as 'JSON path: message' and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The exchange file, or - for standard input.")

    def handle(self, *args, file: str, **options):
        try:
            content = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        try:
            meeting = import_meeting(content)
        except ExchangeError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            raise CommandError(
                f"{file} was refused ({count} problem{'s' if count != 1 else ''}); nothing was imported."
            ) from None
        self.stdout.write(str(meeting.pk))
