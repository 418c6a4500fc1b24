"""Open every referral in the database DATABASE_URL names with REFERRAL_KEYS; print JSON.

What a site started on a restored backup would see. test_backup_restore.py runs it in its
own process, with production settings and only the environment an operator would give it.
An optional argument, a JSON object {column: stored value}, is a copy of a purged
referral's fields (as might linger in WAL or free space): the output says whether anything
in this database opens it.
"""

import contextlib
import json
import os
import sys

import django


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_directory.settings")
    django.setup()
    from referrals import crypto
    from referrals.models import Referral, ReferralDataKey

    copies = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    result = {"referrals": {}, "data_keys": [], "copies": {}}
    for referral in Referral.objects.order_by("pk"):
        try:
            fields = {"first_name": referral.first_name, "message": referral.message}
        except crypto.ReferralKeyError as exc:
            fields = {"error": str(exc)}
        result["referrals"][referral.reference] = fields

    keys = []
    for row in ReferralDataKey.objects.order_by("pk"):
        result["data_keys"].append(row.referral_id)
        with contextlib.suppress(crypto.ReferralKeyError):
            keys.append(crypto.unwrap_data_key(row.wrapped, referral_id=row.referral_id))
    for column, value in copies.items():
        context = f"referral.{column}"
        opened = []
        for key in keys:
            with contextlib.suppress(crypto.ReferralKeyError):
                opened.append(crypto.unseal(value, key=key, context=context))
        with contextlib.suppress(crypto.ReferralKeyError):
            opened.append(crypto.decrypt(value, context=context))
        result["copies"][column] = opened
    print(json.dumps(result))


if __name__ == "__main__":
    main()
