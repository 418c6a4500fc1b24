from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self):
        # A malformed REFERRAL_KEYS stops the site at start-up, not at the first referral.
        from . import crypto

        crypto.key_ring()
