"""Send queued "new referral" emails to coordinators. Run it from cron every few minutes."""

from django.core.management.base import BaseCommand, CommandError

from referrals.services import notifications_send_pending


class Command(BaseCommand):
    help = "Send referral notifications that could not be sent when the referral arrived."

    def handle(self, *args, **options):
        result = notifications_send_pending(limit=1000)
        self.stdout.write(
            f"Sent {result['sent']}, failed {result['failed']}, still queued {result['pending']}."
        )
        if result["failed"]:
            # A non-zero exit lets cron (or its monitoring) notice a mail server that stays down.
            raise CommandError("The mail server refused a notification; it stays queued.")
