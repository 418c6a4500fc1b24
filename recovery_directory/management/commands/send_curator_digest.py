"""Queue the weekly digest to every curator (for cron, e.g. Monday mornings)."""

from django.core.management.base import BaseCommand

from recovery_directory.digest import send_digest
from recovery_directory.tasks import send_curator_digest


class Command(BaseCommand):
    help = (
        "Send each curator with an email address what changed in the directory and what "
        "needs doing, with links to the admin. Referrals appear only as a count, to "
        "coordinators. The mail is sent by a task worker; --now sends it from this command."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="How far back (default 7).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the messages instead of sending."
        )
        parser.add_argument(
            "--now", action="store_true", help="Send here and now instead of queueing a task."
        )

    def handle(self, *args, days, dry_run, now, **options):
        days = max(days, 1)
        if dry_run or now:
            sent = send_digest(days=days, dry_run=dry_run, write=self.stdout.write)
            verb = "would be sent" if dry_run else "sent"
            self.stdout.write(f"{sent} digest(s) {verb}.")
            return
        result = send_curator_digest.enqueue(days=days)
        self.stdout.write(f"The digest is queued (task {result.id}); a task worker sends it.")
