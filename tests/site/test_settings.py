"""Production settings refuse to start without their secrets, and say which one is missing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import recovery_directory.settings as s; print(s.DEBUG)"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_in_production_fails_loudly():
    result = load_settings(ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_missing_allowed_hosts_in_production_fails_loudly():
    result = load_settings(SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_starts_with_its_secrets():
    result = load_settings(SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_debug_defaults_off(settings):
    # The test settings run with DEBUG unset, like production.
    assert settings.DEBUG is False


@pytest.mark.parametrize("value", ["1", "true", "yes", "on"])
def test_debug_mode_needs_no_secrets(value):
    result = load_settings(DEBUG=value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_crisis_lines_have_the_national_defaults(settings):
    phones = [line["phone"] for line in settings.CRISIS_LINES]
    assert phones == ["988", "1-800-662-4357"]
