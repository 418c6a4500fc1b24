"""Staff groups and their permissions, granted from data migrations.

Each app grants the Curators group its own models in a migration of its own, so the group
grows with the apps installed and no app names another's models.
"""

from django.contrib.auth.management import create_permissions

CURATORS = "Curators"
EDIT = ("add", "change", "delete", "view")


def ensure_permissions(apps):
    # Permissions are normally created after all migrations; create them now so a group
    # can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None


def grant(apps, group_name, app_label, codenames):
    """Add `app_label`'s permissions named `codenames` to the group, creating it if needed."""
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def revoke(apps, group_name, app_label):
    """Take the app's permissions back; the group goes when it has none left."""
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=group_name).first()
    if group is None:
        return
    group.permissions.remove(*group.permissions.filter(content_type__app_label=app_label))
    if not group.permissions.exists():
        group.delete()


def editing(*models):
    return [f"{action}_{model}" for model in models for action in EDIT]


def curators_migration(app_label, codenames):
    """RunPython operation granting Curators `codenames` of `app_label`."""
    from django.db import migrations

    return migrations.RunPython(
        lambda apps, schema_editor: grant(apps, CURATORS, app_label, codenames),
        lambda apps, schema_editor: revoke(apps, CURATORS, app_label),
    )
