"""The report_missing_coordinates management command."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from listings.models import Location, PublicationStatus
from tests.factories import (
    make_activity,
    make_center,
    make_location,
    make_meeting,
    make_program,
)

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("report_missing_coordinates", *args, stdout=out)
    return out.getvalue()


def unplaced_location(**fields):
    """A place with no coordinates, as bulk imports leave them (save() would fill them)."""
    location = make_location(**fields)
    Location.objects.filter(pk=location.pk).update(
        latitude=None, longitude=None, search_latitude=None, search_longitude=None
    )
    location.refresh_from_db()
    return location


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


@pytest.fixture
def listings():
    unplaced = {"latitude": None, "longitude": None}
    program = make_program(
        name="Dayton Hope Group", location=unplaced_location(postal_code="45402")
    )
    meeting_place = unplaced_location(name="Unknown Hall", city="Nowhereville", postal_code="99999")
    meeting = make_meeting(program=make_program(name="Columbus Group"), location=meeting_place)
    center = make_center(name="River Clinic")
    center.locations.update(**unplaced, search_latitude=None, search_longitude=None)
    activity = make_activity(
        name="Picnic", location=unplaced_location(postal_code="", city="Dayton")
    )
    hidden = make_program(
        name="Draft Group",
        status=PublicationStatus.DRAFT,
        location=unplaced_location(postal_code="45403"),
    )
    placed = make_program(name="Placed Group")
    return {
        "program": program,
        "meeting": meeting,
        "center": center,
        "activity": activity,
        "hidden": hidden,
        "placed": placed,
    }


def test_lists_published_listings_without_coordinates(listings):
    output = run()
    for key in ("program", "meeting", "center", "activity"):
        assert change_url(listings[key]) in output, key
    assert change_url(listings["program"].location) in output
    assert change_url(listings["meeting"].location) in output
    assert change_url(listings["center"].locations.get()) in output
    assert "Dayton Hope Group" in output and "River Clinic" in output
    assert "Draft Group" not in output
    assert "Placed Group" not in output
    assert "4 place(s) used by 4 published listing(s) still lack coordinates." in output
    # Reporting alone changes nothing.
    assert Location.objects.filter(latitude__isnull=True).count() == 5


def test_a_place_shared_by_listings_is_listed_once(listings):
    make_program(name="Second Group", location=listings["program"].location)
    output = run()
    assert output.count(change_url(listings["program"].location)) == 1
    assert "4 place(s) used by 5 published listing(s)" in output


def test_fill_sets_approximate_coordinates_and_reports_the_rest(listings):
    output = run("--fill")
    assert "Filled approximate coordinates for 3 place(s)." in output
    assert "1 place(s) used by 1 published listing(s) still lack coordinates." in output
    assert change_url(listings["meeting"].location) in output
    assert change_url(listings["program"]) not in output

    program_place = Location.objects.get(pk=listings["program"].location_id)
    assert (program_place.latitude, program_place.longitude) == (39.7563, -84.1895)
    assert program_place.coordinates_approximate
    assert Location.objects.get(pk=listings["activity"].location_id).coordinates_approximate
    still = Location.objects.get(pk=listings["meeting"].location_id)
    assert still.latitude is None and not still.coordinates_approximate
    # Drafts are outside the report and left for whoever publishes them.
    assert Location.objects.get(pk=listings["hidden"].location_id).latitude is None
    # A curator's coordinates were never in question.
    placed = Location.objects.get(pk=listings["placed"].location_id)
    assert not placed.coordinates_approximate


def test_second_fill_has_nothing_left_to_do(listings):
    run("--fill")
    output = run("--fill")
    assert "Filled approximate coordinates for 0 place(s)." in output


def test_all_placed():
    make_program()
    output = run()
    assert "0 place(s) used by 0 published listing(s) still lack coordinates." in output


def test_base_url_makes_links_absolute(listings):
    output = run("--base-url", "https://example.org/")
    assert "https://example.org" + change_url(listings["program"].location) in output


def test_quiet_prints_only_the_summary(listings):
    out = io.StringIO()
    call_command("report_missing_coordinates", verbosity=0, stdout=out)
    assert out.getvalue().strip().splitlines() == [
        "4 place(s) used by 4 published listing(s) still lack coordinates."
    ]
