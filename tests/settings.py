"""Settings for the test suite: the real settings module, with test-only secrets."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# A fixed test key (never used anywhere else): 32 bytes, urlsafe base64.
os.environ.setdefault("REFERRAL_KEYS", "test-1:dGVzdC1vbmx5LXJlZmVycmFsLWtleS0zMi1ieXRlcyE=")

from recovery_directory.settings import *  # noqa: E402,F403

# Production shares one cache between workers (see test_settings.py for that choice); the
# tests keep theirs in memory, cleared around each test (conftest.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "recovery-directory-tests",
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests render templates without running collectstatic first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The static files the header tests fetch are served from the app folders, not STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
# A folder that is never made: a checkout where collectstatic has run (for `make bench`)
# would otherwise have WhiteNoise read its 575 files again for every test client.
STATIC_ROOT = BASE_DIR / "var" / "tests-collect-nothing-here"  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the live-server tests need one connection per thread (as in
    # production), and the encryption tests read the database file itself.
    # TEST_DB_NAME lets two test runs share a checkout without sharing a database file.
    name = os.environ.get("TEST_DB_NAME", "test-db.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / name)}  # noqa: F405
