import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes.backup import BackupError, describe, write_backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup into a new directory: the database as one snapshot, every sealed file, "
        "and a manifest with the SHA-256 of each (minutes/backup.py describes the format)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The directory to create; it must not exist.")

    def handle(self, *args, directory: str, **options):
        started = time.monotonic()
        try:
            manifest = write_backup(Path(directory))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up {describe(manifest)} to {directory} in {time.monotonic() - started:.1f} s.")
