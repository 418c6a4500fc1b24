import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached fragments must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_collection_modifyitems(config, items):
    """Run database-specific tests only against their database.

    CI runs the suite once on SQLite and once on PostgreSQL, so each of these runs in one of
    the two passes; they are deselected (not skipped) in the other.
    """
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    vendor = "postgres" if "postgresql" in engine else "sqlite"
    other = {"postgres": "sqlite_only", "sqlite": "postgres_only"}[vendor]
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker(other) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def tasks_after_commit(django_capture_on_commit_callbacks):
    """Like django_capture_on_commit_callbacks(execute=True), then a worker's pass over the
    task queue: what a request's after-commit work (a queued email...) leads to."""
    from contextlib import contextmanager

    from tests.tasks import run_queued_tasks

    @contextmanager
    def capture(execute=True):
        with django_capture_on_commit_callbacks(execute=execute) as callbacks:
            yield callbacks
        run_queued_tasks()

    return capture
