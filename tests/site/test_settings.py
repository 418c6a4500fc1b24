"""Production settings refuse to start without their secrets, and say which one is missing.

Most tests read the settings module afresh in this process under an environment of their own
(`settings_under`): the module only reads the environment. What needs Django started with
those settings (the system checks, app start-up, migrate) runs in a fresh interpreter.
"""

import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = str(ROOT / "recovery_directory" / "settings.py")
KEY = "prod-1:" + "A" * 43 + "="
STRIPPED = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "REFERRAL_KEYS",
    "REFERRAL_KEYS_FILE",
    "DATABASE_URL",
    "SECURE_SSL_REDIRECT",
    "REDIS_URL",
    "CACHE_URL",
    "CLIENT_IP_HEADER",
    "BEHIND_TLS_PROXY",
}


def clean_env(**env):
    return {**{k: v for k, v in os.environ.items() if k not in STRIPPED}, **env}


def run(code, **env):
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_under(**env):
    """The settings module run afresh with only `env` (and the process's unrelated
    variables) in the environment, as a fresh interpreter would run it."""
    with mock.patch.dict(os.environ, clean_env(**env), clear=True):
        return SimpleNamespace(**runpy.run_path(SETTINGS_FILE, run_name="settings_under_test"))


def refused(message, **env):
    """Reading the settings under `env` stops with ImproperlyConfigured saying `message`."""
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        settings_under(**env)


def production_env(**env):
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
        "REFERRAL_KEYS": KEY,
        **env,
    }


def test_missing_secret_key_in_production_fails_loudly():
    refused("SECRET_KEY must be set", ALLOWED_HOSTS="example.org", REFERRAL_KEYS=KEY)


def test_missing_allowed_hosts_in_production_fails_loudly():
    refused("ALLOWED_HOSTS must be set", SECRET_KEY="x" * 60, REFERRAL_KEYS=KEY)


def test_missing_referral_keys_in_production_fails_loudly():
    refused("REFERRAL_KEYS must be set", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org")


def test_malformed_referral_keys_stop_the_site_at_start_up():
    result = run(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="recovery_directory.settings",
        **production_env(REFERRAL_KEYS="prod-1:tooshort"),
    )
    assert result.returncode != 0
    assert "REFERRAL_KEYS: the key 'prod-1' must be 32 bytes" in result.stderr


def test_production_starts_with_its_secrets():
    assert settings_under(**production_env()).DEBUG is False


def test_production_settings_pass_the_deployment_checks():
    result = run(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        DJANGO_SETTINGS_MODULE="recovery_directory.settings",
        **production_env(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_debug_defaults_off(settings):
    # The test settings run with DEBUG unset, like production.
    assert settings.DEBUG is False


@pytest.mark.parametrize("value", ["1", "true", "yes", "on"])
def test_debug_mode_needs_no_secrets(value, tmp_path):
    assert settings_under(DEBUG=value, REFERRAL_KEYS_FILE=str(tmp_path / "keys.txt")).DEBUG


def test_debug_mode_generates_a_private_key_file_once(tmp_path):
    key_file = tmp_path / "var" / "referral-keys.txt"
    first = settings_under(DEBUG="1", REFERRAL_KEYS_FILE=str(key_file)).REFERRAL_KEYS
    second = settings_under(DEBUG="1", REFERRAL_KEYS_FILE=str(key_file)).REFERRAL_KEYS
    assert first == second
    assert key_file.read_text().strip() == first
    assert first.startswith("dev-")
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_the_development_key_file_is_ignored_by_git():
    ignored = subprocess.run(  # noqa: S603
        ["git", "check-ignore", "-q", "var/referral-keys.txt"],  # noqa: S607
        cwd=ROOT,
        timeout=30,
    )
    assert ignored.returncode == 0


def test_crisis_lines_have_the_national_defaults(settings):
    phones = [line["phone"] for line in settings.CRISIS_LINES]
    assert phones == ["988", "1-800-662-4357"]


def test_home_state_defaults_to_the_demo_s_state(settings):
    assert settings.HOME_STATE == "OH"


def test_home_state_is_read_from_the_environment():
    assert settings_under(**production_env(HOME_STATE=" ny ")).HOME_STATE == "NY"


@pytest.mark.parametrize("value", ["Ohio", "XX", "O", "OHI", "4"])
def test_a_home_state_that_is_no_state_code_stops_the_site(value):
    refused(
        f"HOME_STATE must be a two-letter US state code such as OH, not {value.upper()!r}",
        **production_env(HOME_STATE=value),
    )


@pytest.mark.django_db
def test_postgresql_pages_run_without_parallel_workers():
    from django.db import connection

    if connection.vendor != "postgresql":
        assert "max_parallel" not in str(connection.settings_dict.get("OPTIONS"))
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


# --- The shared cache -------------------------------------------------------------------------


def cache_choice(**env):
    """The default cache's backend and location under `env`, and the class of the client the
    backend builds (built as Django's cache handler builds it), or "-" when it has none."""
    config = settings_under(**env).CACHES["default"]
    params = {k: v for k, v in config.items() if k not in ("BACKEND", "LOCATION")}
    backend = import_string(config["BACKEND"])(config.get("LOCATION", ""), params)
    client = type(backend._cache).__name__ if hasattr(backend, "_cache") else "-"
    return config["BACKEND"], config["LOCATION"], client


def test_production_without_redis_shares_the_database_cache():
    backend, location, _ = cache_choice(**production_env())
    assert backend == "django.core.cache.backends.db.DatabaseCache"
    assert location == "recovery_directory_cache"


@pytest.mark.parametrize("name", ["REDIS_URL", "CACHE_URL"])
def test_production_with_a_redis_url_uses_redis(name):
    backend, location, client = cache_choice(**production_env(**{name: "redis://cache:6379/2"}))
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert location == "redis://cache:6379/2"
    # The client builds without a server: redis-py is installed, and nothing connects yet.
    assert client == "RedisCacheClient"


def test_redis_url_wins_over_cache_url():
    _, location, _ = cache_choice(
        **production_env(REDIS_URL="redis://first:6379/0", CACHE_URL="redis://second:6379/0")
    )
    assert location == "redis://first:6379/0"


def test_a_cache_url_that_is_not_redis_stops_the_site():
    refused(
        "REDIS_URL (or CACHE_URL) must name a Redis server",
        **production_env(CACHE_URL="memcached://cache:11211"),
    )


def test_development_keeps_the_cache_in_memory(tmp_path):
    backend, _, _ = cache_choice(DEBUG="1", REFERRAL_KEYS_FILE=str(tmp_path / "keys.txt"))
    assert backend == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize(
    "env",
    [{}, {"REDIS_URL": "redis://cache:6379/0"}, {"CACHE_URL": "rediss://cache:6380/0"}],
)
def test_production_never_keeps_the_cache_in_one_process(env):
    backend, _, _ = cache_choice(**production_env(**env))
    assert "locmem" not in backend.lower() and "dummy" not in backend.lower()


# --- The proxy's address header -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["X-Real-IP", "x_real_ip", "HTTP_X-REAL-IP", "REMOTE ADDR"])
def test_a_proxy_header_not_in_meta_form_stops_the_site(value):
    refused(
        "CLIENT_IP_HEADER must be a request header in Django's META form",
        **production_env(CLIENT_IP_HEADER=value),
    )


def test_a_proxy_header_in_meta_form_is_accepted():
    settings = settings_under(**production_env(CLIENT_IP_HEADER="HTTP_X_REAL_IP"))
    assert settings.CLIENT_IP_HEADER == "HTTP_X_REAL_IP"


def deploy_check(**env):
    return run(
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy'])",
        DJANGO_SETTINGS_MODULE="recovery_directory.settings",
        **production_env(**env),
    )


def test_behind_a_proxy_without_the_address_header_the_deploy_check_warns():
    result = deploy_check(BEHIND_TLS_PROXY="1")
    assert "recovery_directory.W001" in result.stdout + result.stderr
    assert "every visitor shares the proxy's address" in result.stdout + result.stderr


def test_behind_a_proxy_with_the_address_header_the_deploy_check_is_quiet():
    result = deploy_check(BEHIND_TLS_PROXY="1", CLIENT_IP_HEADER="HTTP_X_REAL_IP")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "recovery_directory.W001" not in result.stdout + result.stderr


def test_production_migrate_creates_the_cache_table(tmp_path):
    import sqlite3

    database = tmp_path / "db.sqlite3"
    result = run(
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'migrate', '-v0'])",
        DJANGO_SETTINGS_MODULE="recovery_directory.settings",
        **production_env(DATABASE_URL=f"sqlite:///{database}"),
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert "recovery_directory_cache" in tables
