"""Referral fields are encrypted at rest, name their key, rotate, and fail loudly."""

import base64
import datetime
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
from django.utils import timezone

from referrals import crypto
from referrals.models import Referral, ReferralDataKey
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
        assert stored.startswith("enc2:"), column  # sealed with the referral's own key
    wrapped = ReferralDataKey.objects.get(referral=referral).wrapped
    assert wrapped.startswith("enc1:test-1:")  # which only the key ring opens
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
    loaded = Referral.objects.get(pk=referral.pk)
    with pytest.raises(crypto.ReferralKeyError):
        loaded.first_name  # noqa: B018


@pytest.mark.django_db
def test_rotation_rewraps_the_data_keys_only_then_the_old_key_can_go(settings):
    settings.REFERRAL_KEYS = KEY_A
    originals = {}
    for n in range(12):
        r = make_referral(first_name=f"Name {n}", email=f"p{n}@example.org", message=f"m{n}")
        originals[r.pk] = (r.first_name, r.email, r.message)
    assert referral_key_usage() == {"a1": 12}
    stored = {pk: raw_column("message", pk) for pk in originals}

    settings.REFERRAL_KEYS = f"{KEY_B},{KEY_A}"
    call_command("rotate_referral_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert referral_key_usage() == {"b2": 12}

    settings.REFERRAL_KEYS = KEY_B  # the old key removed
    rotated = {r.pk: (r.first_name, r.email, r.message) for r in Referral.objects.all()}
    assert rotated == originals
    # The fields were not rewritten: only the short data-key rows were.
    assert {pk: raw_column("message", pk) for pk in originals} == stored
    assert all(
        w.startswith("enc1:b2:") for w in ReferralDataKey.objects.values_list("wrapped", flat=True)
    )


# --- Crypto-shredding ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_purged_referral_cannot_be_opened_from_a_saved_copy(settings):
    """A copy of the row kept anywhere (table file, WAL, backup) is useless once purged."""
    referral = make_referral(first_name="Robin", message="Looking for a meeting")
    copy = {column: raw_column(column, referral.pk) for column in ENCRYPTED}
    referral.status = Referral.Status.CLOSED
    referral.save()
    Referral.objects.filter(pk=referral.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=400)
    )
    call_command("purge_referrals", "--older-than", "30", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert not ReferralDataKey.objects.filter(referral_id=referral.pk).exists()
    # The live key ring opens nothing in the copy: the fields were never under it.
    for column, value in copy.items():
        with pytest.raises(crypto.ReferralKeyError):
            crypto.decrypt(value, context=f"referral.{column}")
    # A referral still kept opens as before.
    kept = make_referral(first_name="Sam")
    assert Referral.objects.get(pk=kept.pk).first_name == "Sam"


@pytest.mark.django_db
def test_each_referral_has_its_own_data_key():
    first, second = make_referral(first_name="Same"), make_referral(first_name="Same")
    assert first.data_key_bytes() != second.data_key_bytes()
    # A sealed value moved onto another referral does not open there.
    value = raw_column("first_name", first.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE referrals_referral SET first_name = %s WHERE id = %s", [value, second.pk]
        )
    with pytest.raises(crypto.ReferralKeyError):
        Referral.objects.get(pk=second.pk).first_name  # noqa: B018


@pytest.mark.django_db
def test_a_wrapped_key_moved_onto_another_referral_does_not_unwrap():
    first, second = make_referral(), make_referral()
    ReferralDataKey.objects.filter(referral=second).update(
        wrapped=ReferralDataKey.objects.get(referral=first).wrapped
    )
    with pytest.raises(crypto.ReferralKeyError):
        Referral.objects.get(pk=second.pk).first_name  # noqa: B018


@pytest.mark.django_db
def test_values_from_before_data_keys_still_open_and_rotation_reseals_them(settings):
    referral = make_referral(first_name="Old", message="Older message")
    legacy = crypto.encrypt("Old", context="referral.first_name")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE referrals_referral SET first_name = %s WHERE id = %s", [legacy, referral.pk]
        )
    assert Referral.objects.get(pk=referral.pk).first_name == "Old"
    assert referral_key_usage() == {"test-1": 2}  # the data key, and the old value
    call_command("rotate_referral_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert raw_column("first_name", referral.pk).startswith("enc2:")
    assert Referral.objects.get(pk=referral.pk).first_name == "Old"
    assert referral_key_usage() == {"test-1": 1}


@pytest.mark.django_db
def test_encrypted_fields_refuse_writes_that_skip_the_data_key():
    referral = make_referral()
    with pytest.raises(TypeError, match="can only be written by saving its row"):
        Referral.objects.filter(pk=referral.pk).update(notes="plain")


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


@pytest.mark.django_db
def test_the_migration_gives_existing_referrals_their_own_keys():
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("referrals.migrations.0003_referral_data_keys")
    referral = make_referral()
    # As stored before data keys: every field of the time under the key ring itself, and
    # no key row (fields added later are sealed by their own migrations).
    values = {column: f"old {column}" for column in migration.COLUMNS}
    with connection.cursor() as cursor:
        for column, value in values.items():
            cursor.execute(
                f"UPDATE referrals_referral SET {column} = %s WHERE id = %s",  # noqa: S608
                [crypto.encrypt(value, context=f"referral.{column}"), referral.pk],
            )
    ReferralDataKey.objects.filter(referral=referral).delete()

    editor = SimpleNamespace(connection=connection)
    migration.give_each_referral_its_own_key(apps, editor)
    migration.give_each_referral_its_own_key(apps, editor)  # a second run changes nothing
    assert ReferralDataKey.objects.filter(referral=referral).count() == 1
    loaded = Referral.objects.get(pk=referral.pk)
    for column, value in values.items():
        assert raw_column(column, referral.pk).startswith("enc2:"), column
        assert getattr(loaded, column) == value


@pytest.mark.django_db
def test_the_languages_migration_seals_the_new_empty_answer_with_each_rows_key():
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("referrals.migrations.0004_referral_languages")
    referral = make_referral()
    with connection.cursor() as cursor:  # as the column is added: empty, in plain text
        cursor.execute(
            "UPDATE referrals_referral SET other_language = '' WHERE id = %s", [referral.pk]
        )
    migration.seal_empty_other_language(apps, SimpleNamespace(connection=connection))
    assert raw_column("other_language", referral.pk).startswith("enc2:")
    assert Referral.objects.get(pk=referral.pk).other_language == ""
