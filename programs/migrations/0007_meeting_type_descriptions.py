"""Give each Meeting Guide type a short plain-language definition, written for this project.

Only empty descriptions are filled, so a curator's own wording survives; going back clears
only the descriptions that still read as this migration wrote them.
"""

import json
from pathlib import Path

from django.db import migrations, models

DESCRIPTIONS_FILE = (
    Path(__file__).resolve().parent.parent / "data" / "meeting_type_descriptions.json"
)


def descriptions():
    return json.loads(DESCRIPTIONS_FILE.read_text(encoding="utf-8"))


def fill(apps, schema_editor):
    MeetingType = apps.get_model("programs", "MeetingType")
    for code, text in descriptions().items():
        MeetingType.objects.filter(code=code, description="").update(description=text)


def clear(apps, schema_editor):
    MeetingType = apps.get_model("programs", "MeetingType")
    for code, text in descriptions().items():
        MeetingType.objects.filter(code=code, description=text).update(description="")


class Migration(migrations.Migration):
    dependencies = [("programs", "0006_program_approach")]

    operations = [
        migrations.AlterField(
            model_name="meetingtype",
            name="description",
            field=models.TextField(
                blank=True, help_text="One or two plain sentences a newcomer can understand."
            ),
        ),
        migrations.RunPython(fill, clear),
    ]
