"""The "Referral coordinators" group: the only people who may read or handle referrals.

Curators get nothing here, and no other group is given referral permissions.
"""

from django.db import migrations

from listings.permissions import grant, revoke

GROUP = "Referral coordinators"
CODENAMES = [
    "view_referral",
    "change_referral",
    "delete_referral",
    "export_referral",
    "view_referralauditevent",
]


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: grant(apps, GROUP, "referrals", CODENAMES),
            lambda apps, schema_editor: revoke(apps, GROUP, "referrals"),
        )
    ]
