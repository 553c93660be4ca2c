import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes.backup import BackupError, describe, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into this installation, which must be empty (just migrated). "
        "A damaged backup is refused before anything changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The backup's directory.")

    def handle(self, *args, directory: str, **options):
        started = time.monotonic()
        try:
            manifest = restore_backup(Path(directory))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {describe(manifest)} in {time.monotonic() - started:.1f} s.")
