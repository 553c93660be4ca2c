import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes.models import Meeting
from minutes.protocol.adjusted import snapshot_for
from minutes.protocol.render import Request, render_html, render_text


class Command(BaseCommand):
    help = (
        "Render a meeting's protocol, one § of it, or a certified extract, as PDF, HTML or text: "
        "an adjusted protocol as it was adjusted."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting", type=int, help="The meeting's primary key.")
        parser.add_argument("--item", type=int, help="The § number: that § exactly as it stands in the protocol.")
        parser.add_argument("--extract", action="store_true", help="With --item: a certified extract.")
        parser.add_argument("--public", action="store_true", help="The public version (confidential §§ withheld).")
        parser.add_argument("--format", choices=["pdf", "html", "text"], default="pdf")
        parser.add_argument("-o", "--output", required=True, help="The file to write, or - for standard output.")

    def handle(
        self,
        *args,
        meeting: int,
        item: int | None,
        extract: bool,
        public: bool,
        format: str,
        output: str,
        **options,
    ):
        if extract and item is None:
            raise CommandError("--extract needs --item")
        try:
            snapshot = snapshot_for(Meeting.objects.get(pk=meeting))
        except Meeting.DoesNotExist:
            raise CommandError(f"There is no meeting {meeting}") from None
        kind = "extract" if extract else ("item" if item is not None else "protocol")
        request = Request(
            kind=kind,
            numbers=(item,) if item is not None else (),
            public=public,
            certified_on=datetime.date.today(),
        )
        try:
            if format == "text":
                content: str | bytes = render_text(snapshot, request)
            else:
                content = render_html(snapshot, request)
                if format == "pdf":
                    from minutes.protocol.pdf import html_to_pdf

                    content = html_to_pdf(content)
        except KeyError as error:
            raise CommandError(error.args[0]) from None
        if output == "-":
            if isinstance(content, bytes):
                self.stdout.buffer.write(content)  # type: ignore[attr-defined]
            else:
                self.stdout.write(content, ending="")
            return
        path = Path(output)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        self.stderr.write(f"Wrote {path} ({path.stat().st_size} bytes)")
