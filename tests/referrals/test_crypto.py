"""Referral fields are encrypted at rest, name their key, rotate, and fail loudly."""

import base64
import os
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from referrals import crypto
from referrals.models import Referral
from referrals.services import referral_key_usage
from tests.factories import make_referral, make_staff, referral_form_data

KEY_A = "a1:" + base64.urlsafe_b64encode(b"A" * 32).decode()
KEY_B = "b2:" + base64.urlsafe_b64encode(b"B" * 32).decode()
KEY_A_WRONG = "a1:" + base64.urlsafe_b64encode(b"Z" * 32).decode()

ENCRYPTED = ["first_name", "organisation", "phone", "email", "message", "notes", "other_language"]


def raw_column(column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM referrals_referral WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


# --- The cipher itself ------------------------------------------------------------------------


def test_round_trip_names_the_key_and_never_repeats(settings):
    settings.REFERRAL_KEYS = f"{KEY_A},{KEY_B}"
    first = crypto.encrypt("Sam", context="referral.first_name")
    second = crypto.encrypt("Sam", context="referral.first_name")
    assert first.startswith("enc1:a1:")
    assert first != second  # a fresh nonce each time
    assert "Sam" not in first
    assert crypto.decrypt(first, context="referral.first_name") == "Sam"


def test_every_key_in_the_ring_decrypts_and_the_first_encrypts(settings):
    settings.REFERRAL_KEYS = KEY_B
    old = crypto.encrypt("under b", context="x")
    settings.REFERRAL_KEYS = f"{KEY_A},{KEY_B}"
    assert crypto.decrypt(old, context="x") == "under b"
    assert crypto.key_id_of(crypto.encrypt("new", context="x")) == "a1"


def test_a_value_moved_to_another_column_does_not_decrypt(settings):
    value = crypto.encrypt("0123", context="referral.phone")
    with pytest.raises(crypto.ReferralKeyError):
        crypto.decrypt(value, context="referral.email")


def test_wrong_key_with_the_same_id_raises(settings):
    settings.REFERRAL_KEYS = KEY_A
    value = crypto.encrypt("secret", context="x")
    settings.REFERRAL_KEYS = KEY_A_WRONG
    with pytest.raises(crypto.ReferralKeyError, match="does not open"):
        crypto.decrypt(value, context="x")


def test_missing_key_id_raises(settings):
    settings.REFERRAL_KEYS = KEY_A
    value = crypto.encrypt("secret", context="x")
    settings.REFERRAL_KEYS = KEY_B
    with pytest.raises(crypto.ReferralKeyError, match="No key with id 'a1'"):
        crypto.decrypt(value, context="x")


def test_tampered_ciphertext_raises(settings):
    value = crypto.encrypt("secret", context="x")
    prefix, key_id, payload = value.split(":")
    raw = bytearray(base64.urlsafe_b64decode(payload))
    raw[-1] ^= 1
    forged = f"{prefix}:{key_id}:{base64.urlsafe_b64encode(bytes(raw)).decode()}"
    with pytest.raises(crypto.ReferralKeyError):
        crypto.decrypt(forged, context="x")
    with pytest.raises(crypto.ReferralKeyError):
        crypto.decrypt("plain text that was never encrypted", context="x")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "REFERRAL_KEYS is empty"),
        ("nocolon", "REFERRAL_KEYS entries look like"),
        ("bad id!:" + base64.urlsafe_b64encode(b"A" * 32).decode(), "REFERRAL_KEYS entries"),
        ("k:not base64!!", "REFERRAL_KEYS: the key 'k'"),
        ("k:" + base64.urlsafe_b64encode(b"short").decode(), "must be 32 bytes"),
        (f"{KEY_A},{KEY_A}", "appears twice"),
    ],
)
def test_malformed_key_rings_are_refused(value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.parse_key_ring(value)


def test_generated_keys_parse():
    entry = crypto.generate_key_entry("2027-01")
    [(key_id, key)] = crypto.parse_key_ring(entry)
    assert key_id == "2027-01"
    assert len(key) == 32


# --- Stored referrals -------------------------------------------------------------------------


@pytest.mark.django_db
def test_personal_fields_are_ciphertext_in_the_database():
    referral = make_referral(
        first_name="Robin",
        organisation="",
        phone="+16145550199",
        email="robin@example.org",
        message="Looking for a women's meeting",
    )
    for column in ENCRYPTED:
        stored = raw_column(column, referral.pk)
        assert stored.startswith("enc1:test-1:"), column
    assert "Robin" not in raw_column("first_name", referral.pk)
    assert "robin@example.org" not in raw_column("email", referral.pk)
    loaded = Referral.objects.get(pk=referral.pk)
    assert (loaded.first_name, loaded.email, loaded.message) == (
        "Robin",
        "robin@example.org",
        "Looking for a women's meeting",
    )


@pytest.mark.django_db
def test_reading_with_a_wrong_key_fails_loudly_instead_of_showing_ciphertext(settings):
    referral = make_referral(first_name="Robin")
    settings.REFERRAL_KEYS = KEY_A_WRONG.replace("a1:", "test-1:")
    with pytest.raises(crypto.ReferralKeyError):
        Referral.objects.get(pk=referral.pk)


@pytest.mark.django_db
def test_rotation_reencrypts_every_value_then_the_old_key_can_go(settings):
    settings.REFERRAL_KEYS = KEY_A
    originals = {}
    for n in range(12):
        r = make_referral(first_name=f"Name {n}", email=f"p{n}@example.org", message=f"m{n}")
        originals[r.pk] = (r.first_name, r.email, r.message)
    assert referral_key_usage() == {"a1": 12 * len(ENCRYPTED)}

    settings.REFERRAL_KEYS = f"{KEY_B},{KEY_A}"
    call_command("rotate_referral_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert referral_key_usage() == {"b2": 12 * len(ENCRYPTED)}

    settings.REFERRAL_KEYS = KEY_B  # the old key removed
    rotated = {r.pk: (r.first_name, r.email, r.message) for r in Referral.objects.all()}
    assert rotated == originals
    for pk in originals:
        assert raw_column("message", pk).startswith("enc1:b2:")


@pytest.mark.django_db
def test_rotation_stops_loudly_when_an_old_key_is_missing(settings):
    settings.REFERRAL_KEYS = KEY_A
    make_referral()
    settings.REFERRAL_KEYS = KEY_B
    with pytest.raises(CommandError, match="No key with id 'a1'"):
        call_command("rotate_referral_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_generate_prints_a_usable_entry(capsys):
    call_command("rotate_referral_keys", "--generate", "--key-id", "2027")
    entry = capsys.readouterr().out.strip()
    assert crypto.parse_key_ring(entry)[0][0] == "2027"


# --- The canary: a value typed into the form never reaches the disk in clear ----------------


def database_dump():
    """Every byte the database keeps: the SQLite files, or PostgreSQL's own pg_dump."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        path = Path(settings_dict["NAME"])
        assert path.exists(), "the SQLite test database should be a file"
        raw = b"".join(
            Path(f"{path}{suffix}").read_bytes()
            for suffix in ("", "-wal", "-shm")
            if Path(f"{path}{suffix}").exists()
        )
        dump = "\n".join(sqlite3.connect(path).iterdump())
        return raw.decode("utf-8", errors="replace") + "\n" + dump
    assert connection.vendor == "postgresql"
    pg_dump = shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"
    env = {**os.environ, "PGPASSWORD": settings_dict["PASSWORD"] or ""}
    result = subprocess.run(  # noqa: S603
        [
            pg_dump,
            "--no-owner",
            "--host",
            settings_dict["HOST"] or "localhost",
            "--port",
            str(settings_dict["PORT"] or 5432),
            "--username",
            settings_dict["USER"],
            settings_dict["NAME"],
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_canary_is_absent_from_the_database_dump_and_readable_by_a_coordinator(client, capsys):
    canary = f"CANARY-{uuid.uuid4().hex}"
    posted = [
        referral_form_data(first_name=canary[:60]),
        referral_form_data(message=f"please call {canary}", email=f"{canary.lower()}@example.org"),
        referral_form_data(requester="professional", organisation=canary),
    ]
    for data in posted:
        assert client.post(reverse("referral"), data).status_code == 302
    referrals = list(Referral.objects.order_by("pk"))
    assert len(referrals) == 3

    dump = database_dump()
    # The rows are in the dump (so the search below is looking at the right data)...
    for referral in referrals:
        assert referral.reference in dump
    assert "enc1:test-1:" in dump
    # ...and the canary, in any case, is not.
    assert canary not in dump
    assert canary.lower() not in dump
    assert canary[:40] not in dump
    with capsys.disabled():
        print(
            f"\n[canary] {connection.vendor}: {len(dump):,} characters of dump, "
            f"{sum(r.reference in dump for r in referrals)}/3 reference codes found, "
            f"{dump.count(canary) + dump.count(canary.lower())} canary hits"
        )

    coordinator = make_staff("coord", "Referral coordinators")
    client.force_login(coordinator)
    page = client.get(reverse("admin:referrals_referral_change", args=[referrals[1].pk]))
    assert page.status_code == 200
    assert f"please call {canary}".encode() in page.content
