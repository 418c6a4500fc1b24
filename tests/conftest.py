import fcntl
import hashlib
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _static_file_settings():
    """Every setting that decides which static files WhiteNoise finds and which headers they
    get, as one comparable value."""
    from django.conf import settings

    names = ["DEBUG", "FORCE_SCRIPT_NAME", "INSTALLED_APPS", "STATIC_URL", "STATIC_ROOT"]
    names += ["STATICFILES_DIRS", "STATICFILES_FINDERS", "STORAGES"]
    names += sorted(name for name in dir(settings._wrapped) if name.startswith("WHITENOISE_"))
    return repr([(name, getattr(settings, name, None)) for name in names])


@pytest.fixture(scope="session", autouse=True)
def _static_files_found_once():
    """Every test client builds its own middleware, and WhiteNoise (with finders, as the test
    settings ask) walks every app's static folder each time: about a thousand walks of the same
    files per run. Walk once for each distinct set of static-file settings and hand later
    instances the same table, which is what one long-lived production process has anyway.
    """
    from whitenoise.middleware import WhiteNoiseMiddleware

    walk = WhiteNoiseMiddleware.add_files_from_finders
    found = {}

    def add_files_from_finders(self):
        key = _static_file_settings()
        if key not in found:
            before = dict(self.files)
            walk(self)
            found[key] = {url: f for url, f in self.files.items() if before.get(url) is not f}
        self.files.update(found[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WhiteNoiseMiddleware, "add_files_from_finders", add_files_from_finders)
        yield


@pytest.fixture(scope="session", autouse=True)
def _columns_left_out_are_never_read():
    """A list query that leaves columns out (QuerySet.only) must not meet code that reads
    one: Django would fetch it with a query per row, which no page's query budget shows
    when the page lists a single row. Such a read fails the test instead."""
    from django.db.models.query_utils import DeferredAttribute

    read = DeferredAttribute.__get__

    def __get__(self, instance, cls=None):
        if (
            instance is not None
            and self.field.attname not in instance.__dict__
            and self._check_parent_chain(instance) is None
        ):
            raise AssertionError(
                f"{type(instance).__name__}.{self.field.attname} was left out of its query"
            )
        return read(self, instance, cls)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DeferredAttribute, "__get__", __get__)
        yield


def _schema_key():
    """What a migrated database depends on: the project's code (its migrations import it),
    the locked dependencies (Django's and other apps' migrations) and the database engine."""
    from django.apps import apps
    from django.conf import settings

    digest = hashlib.sha256(settings.DATABASES["default"]["ENGINE"].encode())
    digest.update((ROOT / "uv.lock").read_bytes())
    folders = {Path(app.path) for app in apps.get_app_configs()}
    folders = {folder for folder in folders if folder.is_relative_to(ROOT)}
    folders.add(ROOT / "recovery_directory")
    for path in sorted(path for folder in folders for path in folder.rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _migrated_template(connection):
    """A migrated SQLite database file for this code, made by the first process to need it.

    Later processes (the other xdist worker, the browser run, the next run) copy the file
    instead of applying every migration again (about 2 s of CPU each). The key changes with
    any change to the code or the locked dependencies; `pytest --create-db` skips the copy.
    """
    from django.conf import settings

    folder = ROOT / "var"
    folder.mkdir(exist_ok=True)
    template = folder / f"test-template-{_schema_key()}.sqlite3"
    with open(folder / "test-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            for old in folder.glob("test-template-*.sqlite3"):
                old.unlink()
            # Django's own test-database creation, pointed at the template's file for once.
            db_settings = connection.settings_dict
            saved = db_settings["NAME"], db_settings["TEST"]["NAME"]
            partial = template.with_suffix(".partial")
            db_settings["TEST"]["NAME"] = str(partial)
            try:
                connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            finally:
                connection.close()
                db_settings["NAME"], db_settings["TEST"]["NAME"] = saved
                settings.DATABASES[connection.alias]["NAME"] = saved[0]
            partial.rename(template)
    return template


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings, django_db_blocker):
    """On SQLite, start each process's test database as a copy of a migrated template and
    tell pytest-django to keep it (its migrations are then already applied); the copy is
    deleted at the end, as pytest-django would have deleted the database it created."""
    from django.db import connection

    reuse = request.config.getvalue("reuse_db")
    if reuse or request.config.getvalue("create_db") or connection.vendor != "sqlite":
        return reuse
    target = Path(connection.creation._get_test_db_name())
    if connection.creation.is_in_memory_db(str(target)):
        return reuse
    with django_db_blocker.unblock():
        template = _migrated_template(connection)
    # A write-ahead log left beside an earlier file of this name would be replayed into
    # the copy: they go first.
    files = [target, *(target.with_name(target.name + end) for end in ("-wal", "-shm"))]
    _remove(files)
    shutil.copyfile(template, target)
    request.addfinalizer(lambda: _remove(files))
    return True


def _remove(files):
    from django.db import connections

    connections.close_all()
    for path in files:
        path.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached fragments must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# The modules whose tests take longest, longest first (measured with --durations). They run
# first, so that an xdist run ends on short tests on both workers instead of one worker
# waiting for the other's last long one. Names only: a module that moves keeps its place.
RUN_FIRST = [
    "test_bad_input.py",
    "test_hsds.py",
    "test_hsds_lookup.py",
    "test_services.py",
    "test_meeting_guide_import.py",
    "test_seed_demo.py",
    "test_national_data.py",
    "test_query_counts.py",
]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Run database-specific tests only against their database, the longest modules first.

    CI runs the suite once on SQLite and once on PostgreSQL, so each of these runs in one of
    the two passes; they are deselected (not skipped) in the other.

    This runs before pytest-django's own ordering (database tests, then transactional ones,
    then the rest), whose sort is stable and so keeps this order within each group; each
    module's tests stay together and in their own order.
    """
    rank = {name: position for position, name in enumerate(RUN_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(RUN_FIRST)))
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


_running_deep = False


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session):
    """Run the session's tests inside one deep frame, as the gunicorn worker runs requests
    (recovery_directory/framestack.py): a test client's request would otherwise map and
    unmap frame memory hundreds of times. The loop itself is whichever plugin runs it (this
    one, or pytest-xdist's on a worker), called again from inside the frame."""
    global _running_deep
    if _running_deep:
        return None  # the call from inside: let the real loop run
    from recovery_directory.framestack import run_deep

    _running_deep = True
    try:
        return run_deep(session.config.hook.pytest_runtestloop, session=session)
    finally:
        _running_deep = False


@pytest.fixture
def curator(client):
    """A signed-in member of the Curators group."""
    from tests.factories import make_staff

    user = make_staff("curator", "Curators")
    client.force_login(user)
    return user


@pytest.fixture
def shared_cache(settings, tmp_path):
    """A cache every process would see (files on disk), as production's database or Redis:
    what is kept under the listings' version number is kept only with one like it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }


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
