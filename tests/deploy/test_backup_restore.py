"""Backup and restore as docs/operations.md describes it, on PostgreSQL 15.

pg_dump (custom format) of a database holding a live referral and one purged by the
retention purge, pg_restore into a fresh database, then a separate process with production
settings pointed at the restored database and the key ring kept apart from the dump.
"""

import datetime
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from referrals.models import Referral
from tests.factories import make_referral

from .servers import (
    PGBIN,
    ROOT,
    database_url,
    need_binary,
    plain_environment,
    random_key_ring,
    write_env_file,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SEALED = ["first_name", "phone", "message"]


def stored(column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM referrals_referral WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def pg(tool, *args, **kwargs):
    binary = need_binary(tool, PGBIN / tool, package="postgresql-15")
    return subprocess.run(
        [binary, *args], check=True, capture_output=True, text=True, timeout=300, **kwargs
    )


def open_referrals(url, key_ring, copies=None):
    """What a site started on `url` with `key_ring` reads (tests/deploy/open_referrals.py)."""
    env = {
        **plain_environment(),
        "DJANGO_SETTINGS_MODULE": "recovery_directory.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "help.example.org",
        "DATABASE_URL": url,
        "REFERRAL_KEYS": key_ring,
    }
    out = subprocess.run(
        [sys.executable, "-m", "tests.deploy.open_referrals", json.dumps(copies or {})],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return env, json.loads(out.stdout)


@pytest.fixture
def restored_url():
    """A fresh, empty database for the restore, dropped afterwards."""
    name = f"restored_{secrets.token_hex(4)}"
    source = dict(connection.settings_dict)
    admin_url = database_url({**source, "NAME": "postgres"})
    pg("psql", admin_url, "-qc", f'CREATE DATABASE "{name}"')
    yield database_url({**source, "NAME": name})
    pg("psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_restored_backup_opens_live_referrals_and_never_a_purged_one(tmp_path, restored_url):
    kept = make_referral(first_name="Robin", message="Kept after the backup")
    purged = make_referral(first_name="Alex", message="Purged before the backup")
    purged.status = Referral.Status.CLOSED
    purged.save()
    Referral.objects.filter(pk=purged.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=settings.REFERRAL_RETENTION_DAYS + 1)
    )
    # What the row looked like before the purge: a copy may linger in WAL or free space.
    copies = {column: stored(column, purged.pk) for column in SEALED}
    live_sealed = stored("message", kept.pk)
    call_command("purge_referrals", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert not Referral.objects.filter(pk=purged.pk).exists()

    began = time.perf_counter()
    # The nightly backup script, as cron runs it.
    env_file = write_env_file(
        tmp_path / "env", {"DATABASE_URL": database_url(connection.settings_dict)}
    )
    backup = subprocess.run(
        [str(ROOT / "deploy" / "backup.sh")],
        env={
            **plain_environment(),
            "DIRECTORY_ENV": str(env_file),
            "BACKUP_DIR": str(tmp_path / "backups"),
            "PG_DUMP": need_binary("pg_dump", PGBIN / "pg_dump", package="postgresql-15"),
        },
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    dump = Path(backup.stdout.strip())
    assert dump.parent == tmp_path / "backups" and dump.name.startswith("directory-")
    assert [p.name for p in dump.parent.iterdir()] == [dump.name]  # no .part left behind
    pg("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored_url}", str(dump))
    env, restored = open_referrals(restored_url, settings.REFERRAL_KEYS, copies)
    restore_seconds = time.perf_counter() - began
    print(f"\nbackup, restore and open: {restore_seconds:.1f} s")

    # The restored schema is complete: nothing left for migrate to do.
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    # With the same key ring the live referral opens.
    assert restored["referrals"] == {
        kept.reference: {"first_name": "Robin", "message": "Kept after the backup"}
    }
    # The purged one is gone, its data key with it; its old fields open with nothing there.
    assert purged.pk not in restored["data_keys"]
    assert restored["copies"] == {column: [] for column in SEALED}

    # The dump holds sealed fields and wrapped keys only: never the key ring, nothing of the
    # purged referral's fields. (Its audit events stay, by design: reference and action.)
    script = pg("pg_restore", "--file=-", str(dump)).stdout
    assert live_sealed in script
    for value in copies.values():
        assert value not in script
    for _key_id, key in (entry.split(":", 1) for entry in settings.REFERRAL_KEYS.split(",")):
        assert key not in script

    # With any other key ring nothing opens: not a key of the same name, not another name.
    same_name = random_key_ring(settings.REFERRAL_KEYS.split(":", 1)[0])
    for wrong in (same_name, random_key_ring("other")):
        _, opened = open_referrals(restored_url, wrong)
        assert list(opened["referrals"]) == [kept.reference]
        assert "error" in opened["referrals"][kept.reference]
