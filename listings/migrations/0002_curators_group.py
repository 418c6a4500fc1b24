"""The "Curators" group: everything needed to keep listings true, and nothing else."""

from django.db import migrations

from listings.permissions import curators_migration, editing


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [curators_migration("listings", editing("location"))]
