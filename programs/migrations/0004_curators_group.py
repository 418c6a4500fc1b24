"""Curators edit programs, meetings, centres, the open lookup lists and visitors' reports.

They may view the fixed service codes but not change them: those mirror TextChoices.
"""

from django.db import migrations

from listings.permissions import curators_migration, editing

EDITED = [
    "program",
    "meeting",
    "treatmentcenter",
    "fellowship",
    "audience",
    "language",
    "meetingtype",
    "changerequest",
]


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_postgres_search"),
        ("listings", "0002_curators_group"),
    ]

    operations = [curators_migration("programs", [*editing(*EDITED), "view_serviceoption"])]
