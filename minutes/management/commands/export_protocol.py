import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes import adjustment
from minutes.models import DocumentKind, Meeting, SealedDocument, TamperedFile


class Command(BaseCommand):
    help = "Write the stored, sealed PDF of an adjusted protocol, or of an extract with --item, for the archive."

    def add_arguments(self, parser):
        parser.add_argument("meeting", type=int, help="The meeting's primary key.")
        parser.add_argument("--item", type=int, help="The number of the § to extract.")
        parser.add_argument("-o", "--output", required=True, help="The PDF file to write.")

    def handle(self, *args, meeting: int, item: int | None, output: str, **options):
        try:
            found = Meeting.objects.get(pk=meeting)
        except Meeting.DoesNotExist:
            raise CommandError(f"There is no meeting {meeting}") from None
        document = sealed(found, item)
        try:
            data = document.read_verified()
        except TamperedFile as error:
            raise CommandError(str(error)) from None
        path = Path(output)
        # Whole or not at all: an archive script never picks up half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
        self.stderr.write(f"Wrote {path} ({len(data)} bytes, SHA-256 {document.sha256})")


def sealed(meeting: Meeting, number: int | None) -> SealedDocument:
    round = adjustment.completed_round(meeting)
    if round is None and number is not None:
        round = meeting.adjustment_rounds.filter(state="completed", item__number=number).first()
    if round is None:
        raise CommandError(f"The protocol of {meeting} is not adjusted")
    if number is None:
        return adjustment.seal_document(round, DocumentKind.PROTOCOL)
    if not meeting.items.filter(number=number).exists():
        raise CommandError(f"The meeting {meeting} has no § {number}")
    return adjustment.seal_document(round, DocumentKind.EXTRACT, (number,))
