"""Recompute every meeting's derived schedule columns (see programs/schedule.py).

Pages keep them current by themselves; run this from cron just after each daylight-saving
change so no visitor's request does that work, or after loading meetings with raw SQL.
"""

from django.core.management.base import BaseCommand

from programs.models import Meeting
from programs.schedule import refresh_schedule


class Command(BaseCommand):
    help = "Recompute when each weekly meeting starts in UTC, its length and its position."

    def handle(self, *args, verbosity=1, **options):
        count = refresh_schedule(Meeting.objects.all())
        if verbosity:
            self.stdout.write(f"Schedule columns refreshed for {count:,} meetings.")
