import datetime
import zoneinfo

import pytest

from listings.week import Weekday, zone_label

JANUARY = datetime.datetime(2027, 1, 12, 19, 0)
JULY = datetime.datetime(2026, 7, 14, 19, 0)


@pytest.mark.parametrize(
    ("zone", "winter", "summer"),
    [
        ("America/New_York", "ET", "ET"),
        ("America/Chicago", "CT", "CT"),
        ("America/Denver", "MT", "MT"),
        ("America/Phoenix", "MT", "MT"),
        ("America/Los_Angeles", "PT", "PT"),
        ("America/Anchorage", "AKT", "AKT"),
        ("Pacific/Honolulu", "HT", "HT"),
        ("America/Puerto_Rico", "AT", "AT"),
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
