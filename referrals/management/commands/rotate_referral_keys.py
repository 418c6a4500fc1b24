"""Re-wrap every referral's data key with the first key of REFERRAL_KEYS (see
docs/operations.md). The referrals' fields, sealed with their own data keys, stay as they are."""

from django.core.management.base import BaseCommand, CommandError

from referrals import crypto
from referrals.services import referral_key_usage, referrals_reencrypt


class Command(BaseCommand):
    help = (
        "Re-wrap every referral's data key with the first key in REFERRAL_KEYS. Put the new "
        "key first, keep the old one after it, run this, then remove the old key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--generate",
            action="store_true",
            help="Print a new random key entry (id:base64key) and exit without touching data.",
        )
        parser.add_argument(
            "--key-id", default=None, help="With --generate: the id to give the new key."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report how many stored values each key id encrypted.",
        )

    def handle(self, *args, generate, key_id, check, **options):
        if generate:
            try:
                self.stdout.write(crypto.generate_key_entry(key_id))
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            return
        primary = crypto.primary_key_id()
        if check:
            self._report(referral_key_usage(), primary)
            return
        try:
            result = referrals_reencrypt()
        except crypto.ReferralKeyError as exc:
            raise CommandError(f"Stopped: {exc}") from exc
        usage = referral_key_usage()
        self._report(usage, primary)
        stale = sum(count for key, count in usage.items() if key != primary)
        if stale:
            raise CommandError(f"{stale} key(s) or value(s) are still under an older key.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-wrapped {result['reencrypted']} referral data key(s) with key {primary!r}. "
                "Older keys may now be removed from REFERRAL_KEYS."
            )
        )

    def _report(self, usage, primary):
        if not usage:
            self.stdout.write("No referrals stored.")
        for key_id, count in sorted(usage.items()):
            marker = " (current)" if key_id == primary else ""
            self.stdout.write(f"key {key_id}{marker}: wraps {count} data key(s) or value(s)")
