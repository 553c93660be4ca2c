from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes.verification import verify_upload


class Command(BaseCommand):
    help = "Check that a PDF is an authentic, unaltered Paragraf protocol or extract; exit 1 with the reason if not."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The PDF to check.")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        try:
            with path.open("rb") as handle:
                result = verify_upload(handle, size=path.stat().st_size)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        if not result.ok:
            raise CommandError(f"{path}: {result.reason}", returncode=1)
        self.stdout.write(f"{path}: {result.reason}")
        when = f"{result.meeting_date:%Y-%m-%d}"
        self.stdout.write(f"{result.kind}: {result.committee}, sammanträde {result.meeting} ({when})")
        self.stdout.write("Paragrafer: " + ", ".join(f"§ {n}" for n in result.numbers))
        self.stdout.write(f"Justerat {result.adjusted_on:%Y-%m-%d} av:")
        for signer in result.signers:
            note = " (med avvikande mening)" if signer.disagreement else ""
            self.stdout.write(f"  {signer.name}, {signer.role.lower()}, {signer.at:%Y-%m-%d %H.%M}{note}")
        self.stdout.write(f"SHA-256: {result.seal.sha256}")
