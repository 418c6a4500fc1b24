"""One slug rule for every listing: unique_slug row by row, free_slug for bulk loaders."""

import pytest

from activities.models import Activity
from listings.models import PublicationStatus, free_slug, slug_candidates, taken_slugs, unique_slug
from programs.models import Program, TreatmentCenter
from tests.factories import make_activity, make_center, make_program

pytestmark = pytest.mark.django_db


def test_candidates_are_the_name_then_numbered():
    candidates = slug_candidates("St. Mark's Hall")
    assert [next(candidates) for _ in range(4)] == [
        "st-marks-hall", "st-marks-hall-2", "st-marks-hall-3", "st-marks-hall-4",
    ]  # fmt: skip


def test_candidates_leave_room_for_a_counter():
    base = next(slug_candidates("x" * 200))
    assert base == "x" * 72
    assert next(slug_candidates("x" * 200, max_length=50)) == "x" * 42


@pytest.mark.parametrize("name", ["", "!!!", "  "])
def test_a_name_without_letters_gets_a_placeholder(name):
    assert next(slug_candidates(name)) == "listing"


def test_save_numbers_repeated_names():
    first = make_program(name="Hope Group")
    second = make_program(name="Hope Group")
    third = make_program(name="Hope Group")
    assert [first.slug, second.slug, third.slug] == ["hope-group", "hope-group-2", "hope-group-3"]
    assert unique_slug(second, "Hope Group") == "hope-group-2"  # its own slug stays free


def test_free_slug_picks_what_save_would():
    make_program(name="Hope Group")
    make_program(name="Hope Group", status=PublicationStatus.ARCHIVED)
    taken = taken_slugs(Program)
    assert taken >= {"hope-group", "hope-group-2"}
    assert free_slug("Hope Group", taken) == unique_slug(Program(), "Hope Group")
    assert free_slug("Hope Group", taken) == "hope-group-4"  # the one before joined `taken`
    assert {"hope-group-3", "hope-group-4"} <= taken


def test_taken_slugs_are_per_model_and_every_status():
    make_program(name="Harbor", status=PublicationStatus.DRAFT)
    make_center(name="Bridge")
    make_activity(name="Walk")
    assert "harbor" in taken_slugs(Program)
    assert "harbor" not in taken_slugs(TreatmentCenter)
    assert "bridge" in taken_slugs(TreatmentCenter)
    assert "walk" in taken_slugs(Activity)
