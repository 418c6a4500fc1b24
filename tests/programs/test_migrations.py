import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from programs.models import (
    Approach,
    Fellowship,
    Language,
    MeetingType,
    Program,
    ProgramKind,
    ServiceOption,
    approach_for_fellowship,
    default_approach,
)
from tests.factories import make_program

pytestmark = pytest.mark.django_db

TYPES = json.loads(
    (
        Path(__file__).resolve().parents[2] / "programs" / "data" / "meeting_guide_types.json"
    ).read_text(encoding="utf-8")
)


def test_every_meeting_guide_type_is_seeded_with_both_names():
    assert MeetingType.objects.count() == len(TYPES) == 87
    women = MeetingType.objects.get(code="W")
    assert women.name == "Women"
    assert women.name_es == "Mujeres"
    assert MeetingType.objects.filter(name_es="").count() == 0


def test_service_codes_are_seeded_for_every_category():
    assert set(ServiceOption.objects.values_list("category", flat=True)) == {
        "level",
        "medication",
        "payment",
    }
    assert ServiceOption.objects.get(code="iop").category == "level"
    assert ServiceOption.objects.get(code="tricare").category == "payment"


def test_open_lists_are_seeded_and_editable():
    assert Fellowship.objects.filter(abbreviation="AA").exists()
    assert Language.objects.filter(code="es").exists()
    Fellowship.objects.create(name="Gamblers Anonymous", abbreviation="GA", slug="ga")
    assert Fellowship.objects.filter(slug="ga").exists()


def test_curators_group_can_edit_listings_only():
    perms = set(Group.objects.get(name="Curators").permissions.values_list("codename", flat=True))
    for model in ("program", "meeting", "treatmentcenter", "location", "activity"):
        assert {f"add_{model}", f"change_{model}", f"delete_{model}", f"view_{model}"} <= perms
    assert "view_serviceoption" in perms
    assert "change_serviceoption" not in perms
    assert not any(p.endswith(("_user", "_group", "_permission")) for p in perms)


APPROACH_MIGRATION = importlib.import_module("programs.migrations.0006_program_approach")


@pytest.mark.parametrize(
    ("slug", "approach"),
    [
        ("aa", Approach.TWELVE_STEP),
        ("na", Approach.TWELVE_STEP),
        ("ca", Approach.TWELVE_STEP),
        ("cma", Approach.TWELVE_STEP),
        ("ha", Approach.TWELVE_STEP),
        ("dda", Approach.TWELVE_STEP),
        ("al-anon", Approach.FAMILY),
        ("nar-anon", Approach.FAMILY),
        ("smart", Approach.SECULAR),
        ("lifering", Approach.SECULAR),
        ("women-for-sobriety", Approach.SECULAR),
        ("recovery-dharma", Approach.BUDDHIST),
        ("refuge-recovery", Approach.BUDDHIST),
        ("celebrate-recovery", Approach.FAITH_BASED),
        ("nami", ""),
        ("a-fellowship-added-later", ""),
    ],
)
def test_fellowship_approaches(slug, approach):
    assert approach_for_fellowship(slug) == approach


def test_a_fellowship_speaks_before_the_kind():
    al_anon = Fellowship.objects.get(slug="al-anon")
    nami = Fellowship.objects.get(slug="nami")
    assert default_approach(ProgramKind.TWELVE_STEP, al_anon) == Approach.FAMILY
    assert default_approach(ProgramKind.TWELVE_STEP) == Approach.TWELVE_STEP
    assert default_approach(ProgramKind.SMART) == Approach.SECULAR
    assert default_approach(ProgramKind.RECOVERY_COMMUNITY) == Approach.ALL_PATHWAYS
    assert default_approach(ProgramKind.DUAL_DIAGNOSIS, nami) == ""
    for kind in (ProgramKind.SOBER_LIVING, ProgramKind.MENTAL_HEALTH, ProgramKind.OTHER):
        assert default_approach(kind) == ""


def test_seeded_fellowships_carry_their_usual_approach():
    for fellowship in Fellowship.objects.all():
        assert fellowship.default_approach == approach_for_fellowship(fellowship.slug), fellowship


def test_the_migration_fills_blanks_and_keeps_choices():
    aa = Fellowship.objects.get(slug="aa")
    smart = Fellowship.objects.get(slug="smart")
    smart.default_approach = ""
    smart.save()
    group = make_program(fellowship=aa)
    centre = make_program(kind=ProgramKind.RECOVERY_COMMUNITY)
    smart_family = make_program(fellowship=smart, approach=Approach.FAMILY)
    other = make_program(kind=ProgramKind.OTHER)
    # As rows stood before the field existed.
    Program.objects.exclude(pk=smart_family.pk).update(approach="", search_text="")

    APPROACH_MIGRATION.set_approaches(apps, None)

    smart.refresh_from_db()
    assert smart.default_approach == Approach.SECULAR
    approaches = dict(Program.objects.values_list("pk", "approach"))
    assert approaches == {
        group.pk: Approach.TWELVE_STEP,
        centre.pk: Approach.ALL_PATHWAYS,
        smart_family.pk: Approach.FAMILY,
        other.pk: "",
    }
    assert Program.objects.get(pk=centre.pk).search_text.endswith("All pathways welcome")
    assert Program.objects.get(pk=other.pk).search_text == ""


DESCRIPTIONS = json.loads(
    (
        Path(__file__).resolve().parents[2] / "programs" / "data" / "meeting_type_descriptions.json"
    ).read_text(encoding="utf-8")
)


def description_migration():
    import importlib

    return importlib.import_module("programs.migrations.0007_meeting_type_descriptions")


def test_every_meeting_guide_type_has_a_short_definition():
    assert set(DESCRIPTIONS) == set(TYPES)
    for code, text in DESCRIPTIONS.items():
        assert 10 < len(text) <= 200, code
        assert text.endswith("."), code
        assert text[0].isupper(), code
    assert MeetingType.objects.filter(description="").count() == 0
    closed = MeetingType.objects.get(code="C").description
    assert "open meeting" in closed
    assert MeetingType.objects.get(code="S").description == "The meeting is held in Spanish."


def test_definitions_migration_goes_back_and_keeps_curators_words():
    from django.apps import apps

    migration = description_migration()
    assert all(op.reversible for op in migration.Migration.operations)
    MeetingType.objects.filter(code="W").update(description="Our own words for women.")
    migration.clear(apps, None)
    assert MeetingType.objects.exclude(description="").count() == 1
    assert MeetingType.objects.get(code="W").description == "Our own words for women."
    migration.fill(apps, None)
    assert MeetingType.objects.filter(description="").count() == 0
    assert MeetingType.objects.get(code="W").description == "Our own words for women."
    assert MeetingType.objects.get(code="O").description == DESCRIPTIONS["O"]
