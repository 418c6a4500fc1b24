"""Delete closed and withdrawn referrals past the retention period. Safe to run daily."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from referrals.services import referrals_purge


class Command(BaseCommand):
    help = "Delete closed or withdrawn referrals finished more than DAYS days ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            dest="days",
            default=None,
            metavar="DAYS",
            help="Retention in days (default: the REFERRAL_RETENTION_DAYS setting, 180).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, days, dry_run, **options):
        days = settings.REFERRAL_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("--older-than must be at least 1 day.")
        count = referrals_purge(older_than_days=days, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} closed referral(s) finished over {days} days ago.")
