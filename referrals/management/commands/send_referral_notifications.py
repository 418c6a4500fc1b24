"""Tell coordinators about waiting referrals (one email per window). Run it from cron every
few minutes: referrals that arrive while a window is closed are announced by it."""

from django.core.management.base import BaseCommand, CommandError

from referrals.services import notifications_send_pending


class Command(BaseCommand):
    help = "Email coordinators how many referrals wait that no email has announced yet."

    def handle(self, *args, **options):
        result = notifications_send_pending()
        self.stdout.write(
            f"Announced {result['sent']} in {result['emails']} email(s), "
            f"failed {result['failed']}, still queued {result['pending']}."
        )
        if result["failed"]:
            # A non-zero exit lets cron (or its monitoring) notice a mail server that stays down.
            raise CommandError("The mail server refused a notification; it stays queued.")
