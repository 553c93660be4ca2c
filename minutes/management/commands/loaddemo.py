from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from committee.models import Committee
from minutes import jobs
from minutes.agenda.demo import add_coming_meeting
from minutes.demo import demo_logins, load_demo, publish_demo


class Command(BaseCommand):
    help = "Load the demo committee and its meeting (the seed's § 10) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when committees exist.")
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Leave the § 10 meeting a draft: no adjustment, seal or notice, and no recent meeting.",
        )

    def handle(self, *args, if_empty: bool = False, draft: bool = False, **options):
        if Committee.objects.exists():
            if if_empty:
                self.stdout.write("The database already has data; the demo was not loaded.")
                return
            raise CommandError("The database already has committees; loaddemo needs an empty database.")
        meeting = load_demo()
        self.stdout.write(f"Loaded the demo: {meeting} (meeting {meeting.pk}).")
        if not draft:
            recent = publish_demo(meeting)
            jobs.run_queued()  # seal them now, so the demo opens complete
            self.stdout.write(
                f"Adjusted, sealed and announced it, and the recent meeting {recent} (meeting {recent.pk})."
            )
            coming = add_coming_meeting(recent, today=timezone.localdate())
            self.stdout.write(f"Built the agenda of the coming meeting {coming} (meeting {coming.pk}).")
        for role, username, password in demo_logins():
            self.stdout.write(f"  {role}: {username} / {password}")
