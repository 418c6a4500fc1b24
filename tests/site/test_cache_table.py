"""`migrate` creates the database cache's table, so a deploy cannot forget it."""

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import connection
from django.db.models.signals import post_migrate

pytestmark = pytest.mark.django_db

TABLE = "test_shared_cache"
DATABASE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": TABLE},
}


def end_of_migrate():
    """What `migrate` sends once it has run, for this app (it needs a models module for it)."""
    config = apps.get_app_config("recovery_directory")
    assert config.models_module is not None
    post_migrate.send(
        sender=config,
        app_config=config,
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )


@pytest.fixture
def database_cache(settings):
    settings.CACHES = DATABASE_CACHE
    return caches["shared"]


def test_migrate_creates_the_cache_table(database_cache):
    assert TABLE not in connection.introspection.table_names()
    end_of_migrate()
    assert TABLE in connection.introspection.table_names()
    # The table works as a cache that other processes would see.
    database_cache.set("shared-key", 41)
    assert database_cache.incr("shared-key") == 42


def test_migrate_again_keeps_the_cached_values(database_cache):
    end_of_migrate()
    database_cache.set("kept", "yes")
    end_of_migrate()
    assert database_cache.get("kept") == "yes"
