"""Give each Meeting Guide type its plain-language definition in Spanish, written for this
project alongside the English ones of 0007.

Only empty Spanish descriptions are filled, so a curator's own wording survives; going back
clears only the descriptions that still read as this migration wrote them.
"""

import json
from pathlib import Path

from django.db import migrations

DESCRIPTIONS_FILE = (
    Path(__file__).resolve().parent.parent / "data" / "meeting_type_descriptions_es.json"
)


def descriptions():
    return json.loads(DESCRIPTIONS_FILE.read_text(encoding="utf-8"))


def fill(apps, schema_editor):
    MeetingType = apps.get_model("programs", "MeetingType")
    for code, text in descriptions().items():
        MeetingType.objects.filter(code=code, description_es="").update(description_es=text)


def clear(apps, schema_editor):
    MeetingType = apps.get_model("programs", "MeetingType")
    for code, text in descriptions().items():
        MeetingType.objects.filter(code=code, description_es=text).update(description_es="")


class Migration(migrations.Migration):
    dependencies = [("programs", "0016_postgres_spanish_search")]

    operations = [migrations.RunPython(fill, clear)]
