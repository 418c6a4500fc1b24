"""AES-256-GCM encryption of referral fields with a key ring read from the environment.

`REFERRAL_KEYS` holds one or more keys, `id:base64key` separated by commas. The first key
encrypts; every key decrypts. Each ciphertext carries the id of the key that made it:

    enc1:<key id>:<urlsafe base64 of 12-byte nonce + ciphertext + 16-byte tag>

The field name is bound in as associated data, so a value copied from one column to another
does not decrypt. When no key fits, reading raises `ReferralKeyError`: ciphertext is never
handed back as if it were text.
"""

import base64
import binascii
import functools
import os
import re
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1"
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
NONCE_BYTES = 12


class ReferralKeyError(Exception):
    """A stored value cannot be decrypted with any configured key."""


def generate_key_entry(key_id=None):
    """A new `id:base64key` entry for REFERRAL_KEYS (32 random bytes, AES-256)."""
    key_id = key_id or f"k{secrets.token_hex(4)}"
    if not KEY_ID.match(key_id):
        raise ValueError("A key id is 1 to 32 letters, digits, '-' or '_'.")
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(32)).decode()}"


def parse_key_ring(text):
    """[(key id, key bytes), ...] from `id:base64key,id:base64key`; the first one encrypts."""
    entries = [part.strip() for part in (text or "").replace("\n", ",").split(",")]
    ring = []
    for entry in filter(None, entries):
        key_id, sep, encoded = entry.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                "REFERRAL_KEYS entries look like 'id:base64key', with an id of letters, digits, "
                "'-' or '_'. Generate one with `manage.py rotate_referral_keys --generate`."
            )
        try:
            key = base64.urlsafe_b64decode(encoded.strip().encode())
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(
                f"REFERRAL_KEYS: the key {key_id!r} is not valid base64."
            ) from exc
        if len(key) != 32:
            raise ImproperlyConfigured(
                f"REFERRAL_KEYS: the key {key_id!r} must be 32 bytes (AES-256), not {len(key)}."
            )
        if any(existing == key_id for existing, _ in ring):
            raise ImproperlyConfigured(f"REFERRAL_KEYS: the key id {key_id!r} appears twice.")
        ring.append((key_id, key))
    if not ring:
        raise ImproperlyConfigured(
            "REFERRAL_KEYS is empty: referrals cannot be stored without an encryption key."
        )
    return ring


@functools.lru_cache(maxsize=8)
def _ring_for(text):
    return tuple(parse_key_ring(text))


def key_ring():
    """The configured ring, read from settings at call time (tests may override it)."""
    return _ring_for(settings.REFERRAL_KEYS)


def primary_key_id():
    return key_ring()[0][0]


def encrypt(plaintext, *, context):
    key_id, key = key_ring()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), context.encode())
    return f"{PREFIX}:{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def key_id_of(ciphertext):
    prefix, key_id, _ = _split(ciphertext)
    return key_id


def decrypt(ciphertext, *, context):
    _, key_id, payload = _split(ciphertext)
    keys = dict(key_ring())
    if key_id not in keys:
        raise ReferralKeyError(
            f"No key with id {key_id!r} in REFERRAL_KEYS; it was removed before every value "
            "was re-encrypted (run rotate_referral_keys with the old key still listed)."
        )
    try:
        raw = base64.urlsafe_b64decode(payload.encode())
        plain = AESGCM(keys[key_id]).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise ReferralKeyError(
            f"The key {key_id!r} in REFERRAL_KEYS does not open this value: the key is wrong "
            "or the stored value was altered."
        ) from exc
    return plain.decode("utf-8")


def _split(ciphertext):
    parts = ciphertext.split(":", 2) if isinstance(ciphertext, str) else []
    if len(parts) != 3 or parts[0] != PREFIX:
        raise ReferralKeyError("The stored value is not an encrypted referral field.")
    return parts


# --- Per-referral data keys (crypto-shredding) -----------------------------------------------
#
# Each referral's fields are sealed with a random key of its own (the data key), and only
# that key is encrypted with the key ring ("wrapped"), in ReferralDataKey. Purging a referral
# deletes its data key: any copy of its sealed fields left behind (free space in table files,
# WAL, an old backup) no longer opens with the key ring. Rotating the ring re-wraps the data
# keys; the fields themselves are never rewritten.
#
#     enc2:<urlsafe base64 of 12-byte nonce + ciphertext + 16-byte tag>

SEALED_PREFIX = "enc2"
DATA_KEY_BYTES = 32


def new_data_key():
    return os.urandom(DATA_KEY_BYTES)


def _data_key_context(referral_id):
    # Bound to the referral: a wrapped key copied onto another referral does not unwrap.
    return f"referral-data-key:{referral_id}"


def wrap_data_key(key, *, referral_id):
    return encrypt(base64.urlsafe_b64encode(key).decode(), context=_data_key_context(referral_id))


def unwrap_data_key(wrapped, *, referral_id):
    key = base64.urlsafe_b64decode(decrypt(wrapped, context=_data_key_context(referral_id)))
    if len(key) != DATA_KEY_BYTES:
        raise ReferralKeyError("A stored data key has the wrong length.")
    return key


def seal(plaintext, *, key, context):
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), context.encode())
    return f"{SEALED_PREFIX}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def is_sealed(value):
    return isinstance(value, str) and value.startswith(SEALED_PREFIX + ":")


def unseal(value, *, key, context):
    if not is_sealed(value):
        raise ReferralKeyError("The stored value is not a sealed referral field.")
    try:
        raw = base64.urlsafe_b64decode(value[len(SEALED_PREFIX) + 1 :].encode())
        plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise ReferralKeyError(
            "The referral's data key does not open this value: it was altered, or it belongs "
            "to another referral."
        ) from exc
    return plain.decode("utf-8")
