from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(sender, using, verbosity=1, **kwargs):
    """Make the database cache's table whenever `migrate` runs, so no deploy step is missed.

    `createcachetable` only creates what is missing, and does nothing for other backends.
    """
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


class RecoveryDirectoryConfig(AppConfig):
    name = "recovery_directory"
    verbose_name = "Site"

    def ready(self):
        from . import checks, lockout  # noqa: F401  (registers the checks and signal receivers)

        post_migrate.connect(create_cache_table, sender=self)
