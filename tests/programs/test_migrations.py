import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from programs.models import Fellowship, Language, MeetingType, ServiceOption

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
