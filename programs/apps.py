from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs, meetings and treatment centres"

    def ready(self):
        # A malformed REFERRAL_KEYS stops the site at start-up, not at the first referral.
        from .referrals import crypto

        crypto.key_ring()
