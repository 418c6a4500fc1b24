"""`migrate` creates the database cache's table, so a deploy cannot forget it."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

TABLE = "test_shared_cache"
DATABASE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": TABLE},
}


@pytest.fixture
def database_cache(settings):
    settings.CACHES = DATABASE_CACHE
    yield caches["shared"]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def test_migrate_creates_the_cache_table(database_cache):
    assert TABLE not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert TABLE in connection.introspection.table_names()
    # The table works as a cache that other processes would see.
    database_cache.set("shared-key", 41)
    assert database_cache.incr("shared-key") == 42


def test_migrate_again_keeps_the_cached_values(database_cache):
    call_command("migrate", verbosity=0)
    database_cache.set("kept", "yes")
    call_command("migrate", verbosity=0)
    assert database_cache.get("kept") == "yes"
