"""`manage.py verify_published [--repair]`: re-read every published file and check its SHA-256."""

from django.core.management.base import BaseCommand, CommandError

from minutes.publication.verify import verify_published


class Command(BaseCommand):
    help = "Check every published file (pages, PDFs, OParl objects) against its SHA-256; --repair mends them."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repair", action="store_true", help="Write broken files again from their address.")

    def handle(self, *, repair: bool, **options) -> None:
        result = verify_published(repair=repair)
        for line in result.broken:
            self.stdout.write(f"BROKEN {line}")
        for line in result.repaired:
            self.stdout.write(f"repaired {line}")
        for line in result.withdrawn:
            self.stdout.write(f"withdrawn (served by its view again) {line}")
        self.stdout.write(f"{result.checked} published file(s) checked, {len(result.broken)} broken.")
        if result.broken and not repair:
            raise CommandError(f"{len(result.broken)} published file(s) do not match their SHA-256")
