"""Curators edit the resources page's entries."""

from django.db import migrations

from listings.permissions import CURATORS, editing, grant


def allow(apps, schema_editor):
    grant(apps, CURATORS, "programs", editing("resource"))


class Migration(migrations.Migration):
    dependencies = [("programs", "0013_resources")]

    # Going back drops the table and its permissions with it; the group keeps the rest.
    operations = [migrations.RunPython(allow, migrations.RunPython.noop)]
