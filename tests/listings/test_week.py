"""The one place weekdays and time zones are spelled out: listings/week.py."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from listings.week import (
    DAY_WORDS,
    WEEKDAY_NAMES,
    Weekday,
    validate_timezone,
    weekday_of,
    zone_label,
    zone_or_none,
)


def test_the_week_starts_on_sunday_as_in_meeting_guide():
    assert [day.value for day in Weekday] == list(range(7))
    assert WEEKDAY_NAMES == [
        "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    ]  # fmt: skip


def test_each_format_s_spelling_of_a_day():
    assert [day.ical for day in Weekday] == ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]
    assert [day.short for day in Weekday] == ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
    assert Weekday.SUNDAY.schema_org == "https://schema.org/Sunday"
    assert Weekday(3).schema_org == "https://schema.org/Wednesday"


@pytest.mark.parametrize(
    ("word", "day"),
    [
        ("sunday", 0), ("sun", 0), ("monday", 1), ("mon", 1), ("tuesday", 2), ("tue", 2),
        ("tues", 2), ("wednesday", 3), ("wed", 3), ("weds", 3), ("thursday", 4), ("thu", 4),
        ("thur", 4), ("thurs", 4), ("friday", 5), ("fri", 5), ("saturday", 6), ("sat", 6),
    ],
)  # fmt: skip
def test_day_words(word, day):
    assert DAY_WORDS[word] == day


def test_day_words_are_only_lower_case_day_names():
    assert len(DAY_WORDS) == 18
    assert "Monday" not in DAY_WORDS and "mo" not in DAY_WORDS


def test_weekday_of_dates_and_datetimes():
    sunday = datetime.date(2025, 6, 1)
    assert [weekday_of(sunday + datetime.timedelta(days=n)) for n in range(8)] == [
        0, 1, 2, 3, 4, 5, 6, 0,
    ]  # fmt: skip
    assert weekday_of(datetime.datetime(2025, 6, 7, 23, 59)) == Weekday.SATURDAY


@pytest.mark.parametrize("name", ["America/Chicago", "UTC", "Pacific/Honolulu", "EST"])
def test_zone_or_none_knows_iana_names(name):
    assert zone_or_none(name).key == name


@pytest.mark.parametrize(
    "name",
    [
        "", None, 42, "Mars/Olympus", "america/chicago", "America/Chicago ", "../etc/passwd",
        "/etc/localtime", "America/", "zone1970.tab", "America", "US", "\x00", "\ud800",
        "A" * 65, "a" * 5000,
    ],
)  # fmt: skip
def test_zone_or_none_refuses_everything_else(name):
    # "America" is a folder of the zone database and "a" * 5000 a name the file system
    # refuses: both used to escape as OSError.
    assert zone_or_none(name) is None


def test_validate_timezone():
    validate_timezone("America/New_York")
    for bad in ("Mars/Olympus", "America", ""):
        with pytest.raises(ValidationError):
            validate_timezone(bad)


JANUARY = datetime.datetime(2027, 1, 12, 19, 0)
JULY = datetime.datetime(2026, 7, 14, 19, 0)


@pytest.mark.parametrize(
    ("zone", "winter", "summer"),
    [
        ("America/New_York", "ET", "ET"),
        ("America/Chicago", "CT", "CT"),
        ("America/Denver", "MT", "MT"),
        ("America/Phoenix", "MST", "MST"),
        ("America/Los_Angeles", "PT", "PT"),
        ("America/Anchorage", "AKT", "AKT"),
        ("Pacific/Honolulu", "HST", "HST"),
        ("America/Puerto_Rico", "AST", "AST"),
        ("Europe/London", "GMT", "BST"),
        ("Asia/Kolkata", "IST", "IST"),
        ("Europe/Berlin", "CET", "CEST"),
        ("Asia/Dubai", "UTC+04", "UTC+04"),
    ],
)
def test_zone_labels_are_what_people_say(zone, winter, summer):
    tz = zoneinfo.ZoneInfo(zone)
    assert zone_label(JANUARY.replace(tzinfo=tz)) == winter
    assert zone_label(JULY.replace(tzinfo=tz)) == summer


def test_weekdays_have_icalendar_codes():
    assert [day.ical for day in Weekday] == ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]
