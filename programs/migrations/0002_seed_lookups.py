"""Seed the lookup tables every deployment starts with; curators extend them in the admin."""

import json
from pathlib import Path

from django.db import migrations

TYPES_FILE = Path(__file__).resolve().parent.parent / "data" / "meeting_guide_types.json"

SERVICE_OPTIONS = [
    ("level", "detox", "Detox (withdrawal management)"),
    ("level", "residential", "Residential"),
    ("level", "php", "Partial hospitalisation (PHP)"),
    ("level", "iop", "Intensive outpatient (IOP)"),
    ("level", "outpatient", "Outpatient"),
    ("level", "obot", "Office-based opioid treatment (OBOT)"),
    ("level", "mat", "Medication for addiction treatment (MAT / OTP)"),
    ("level", "transitional-housing", "Transitional housing"),
    ("level", "telehealth", "Telehealth"),
    ("medication", "methadone", "Methadone"),
    ("medication", "buprenorphine", "Buprenorphine"),
    ("medication", "naltrexone", "Naltrexone"),
    ("payment", "medicaid", "Medicaid"),
    ("payment", "medicare", "Medicare"),
    ("payment", "private-insurance", "Private insurance"),
    ("payment", "tricare", "TRICARE (military)"),
    ("payment", "sliding-scale", "Sliding-scale fees"),
    ("payment", "self-pay", "Self-pay (cash)"),
    ("payment", "free", "Free of charge"),
]

LANGUAGES = [
    ("en", "English"),
    ("es", "Spanish"),
    ("ase", "American Sign Language"),
    ("ar", "Arabic"),
    ("zh", "Chinese"),
    ("fr", "French"),
    ("ht", "Haitian Creole"),
    ("ne", "Nepali"),
    ("ru", "Russian"),
    ("so", "Somali"),
    ("vi", "Vietnamese"),
]

AUDIENCES = [
    ("women", "Women"),
    ("men", "Men"),
    ("young-people", "Young people"),
    ("seniors", "Older adults"),
    ("lgbtq", "LGBTQ+ people"),
    ("veterans", "Veterans and military families"),
    ("families", "Families and friends"),
    ("pregnant-postpartum", "Pregnant and postpartum people"),
    ("justice-involved", "People involved with the justice system"),
    ("professionals", "Healthcare professionals"),
]

FELLOWSHIPS = [
    ("Alcoholics Anonymous", "AA", "aa"),
    ("Narcotics Anonymous", "NA", "na"),
    ("Cocaine Anonymous", "CA", "ca"),
    ("Crystal Meth Anonymous", "CMA", "cma"),
    ("Heroin Anonymous", "HA", "ha"),
    ("Marijuana Anonymous", "MA", "ma"),
    ("Al-Anon Family Groups", "Al-Anon", "al-anon"),
    ("Nar-Anon Family Groups", "Nar-Anon", "nar-anon"),
    ("SMART Recovery", "SMART", "smart"),
    ("Dual Diagnosis Anonymous", "DDA", "dda"),
    ("National Alliance on Mental Illness", "NAMI", "nami"),
    ("Depression and Bipolar Support Alliance", "DBSA", "dbsa"),
    ("Refuge Recovery", "", "refuge-recovery"),
    ("Recovery Dharma", "", "recovery-dharma"),
    ("LifeRing Secular Recovery", "LifeRing", "lifering"),
    ("Celebrate Recovery", "", "celebrate-recovery"),
    ("Women for Sobriety", "WFS", "women-for-sobriety"),
]


def seed(apps, schema_editor):
    MeetingType = apps.get_model("programs", "MeetingType")
    ServiceOption = apps.get_model("programs", "ServiceOption")
    Language = apps.get_model("programs", "Language")
    Audience = apps.get_model("programs", "Audience")
    Fellowship = apps.get_model("programs", "Fellowship")

    types = json.loads(TYPES_FILE.read_text(encoding="utf-8"))
    for code, names in types.items():
        MeetingType.objects.update_or_create(
            code=code, defaults={"name": names["en"], "name_es": names.get("es", "")}
        )
    for category, code, name in SERVICE_OPTIONS:
        ServiceOption.objects.update_or_create(
            code=code, defaults={"category": category, "name": name}
        )
    for code, name in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name})
    for slug, name in AUDIENCES:
        Audience.objects.update_or_create(slug=slug, defaults={"name": name})
    for name, abbreviation, slug in FELLOWSHIPS:
        Fellowship.objects.update_or_create(
            slug=slug, defaults={"name": name, "abbreviation": abbreviation}
        )


def unseed(apps, schema_editor):
    # Lookup rows may be referenced by listings by now; only remove the untouched ones.
    apps.get_model("programs", "MeetingType").objects.filter(meetings__isnull=True).delete()
    apps.get_model("programs", "ServiceOption").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
