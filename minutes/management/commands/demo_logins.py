from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from minutes.demo import demo_logins


class Command(BaseCommand):
    help = "Print the demo's sign-in accounts that exist in this database."

    def handle(self, *args, **options):
        existing = set(get_user_model().objects.values_list("username", flat=True))
        for role, username, password in demo_logins():
            if username in existing:
                self.stdout.write(f"  {role}: {username} / {password}")
