"""The "Curators" group: everything needed to keep listings true, and nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED = {
    "programs": [
        "program",
        "meeting",
        "treatmentcenter",
        "location",
        "fellowship",
        "audience",
        "language",
        "meetingtype",
        "changerequest",
    ],
    "activities": ["activity"],
}
# Curators may view the fixed service codes but not change them: they mirror TextChoices.
VIEW_ONLY = {"programs": ["serviceoption"]}


def ensure_permissions(apps):
    # Permissions are normally created after all migrations; create them now so the group
    # can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None


def create_group(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Curators")
    codenames = [
        f"{action}_{model}"
        for models in CURATED.values()
        for model in models
        for action in ("add", "change", "delete", "view")
    ] + [f"view_{model}" for models in VIEW_ONLY.values() for model in models]
    perms = Permission.objects.filter(
        content_type__app_label__in=["programs", "activities"], codename__in=codenames
    )
    group.permissions.set(perms)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Curators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0002_seed_lookups"),
        ("activities", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
