"""The "Referral coordinators" group: the only people who may read or handle referrals.

Curators get nothing here, and no other group is given referral permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Referral coordinators"
CODENAMES = [
    "view_referral",
    "change_referral",
    "delete_referral",
    "export_referral",
    "view_referralauditevent",
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the group
    # can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="programs", codename__in=CODENAMES)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0006_referrals")]

    operations = [migrations.RunPython(create_group, remove_group)]
