"""Curators manage feed sources and read their sync history (written by the sync alone)."""

from django.db import migrations

from listings.permissions import curators_migration, editing


class Migration(migrations.Migration):
    dependencies = [
        ("opendata", "0001_feed_sources"),
        ("listings", "0002_curators_group"),
    ]

    operations = [curators_migration("opendata", [*editing("feedsource"), "view_feedrun"])]
