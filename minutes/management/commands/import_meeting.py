import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from minutes.exchange import ExchangeError, import_meeting


class Command(BaseCommand):
    help = (
        "Create a meeting from a JSON exchange file (docs/exchange/), reusing the committee, parties and "
        "people the database already has. Prints the new meeting's primary key. A file with any problem "
        "is refused as a whole: each problem is printed as 'JSON path: message' and nothing is written. "
        "--by names the user the audit trail records as the importer."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The exchange file, or - for standard input.")
        parser.add_argument("--by", metavar="USERNAME", help="The user who imports, recorded in the audit trail.")

    def handle(self, *args, file: str, by: str | None = None, **options):
        user = None
        if by is not None:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"There is no user {by!r}; nothing was imported.")
        try:
            content = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        try:
            meeting = import_meeting(content, by=user)
        except ExchangeError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            raise CommandError(
                f"{file} was refused ({count} problem{'s' if count != 1 else ''}); nothing was imported."
            ) from None
        self.stdout.write(str(meeting.pk))
