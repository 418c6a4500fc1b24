"""Curators keep activities true too."""

from django.db import migrations

from listings.permissions import curators_migration, editing


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_initial"),
        ("listings", "0002_curators_group"),
    ]

    operations = [curators_migration("activities", editing("activity"))]
