"""The week and its time zones, as every listing format counts them.

Weekdays follow the Meeting Guide feed: 0 is Sunday, 6 is Saturday. Every other numbering
(Python's, iCalendar's, schema.org's) is translated here and nowhere else.
"""

import datetime
import zoneinfo
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_noop


class Weekday(models.IntegerChoices):
    SUNDAY = 0, "Sunday"
    MONDAY = 1, "Monday"
    TUESDAY = 2, "Tuesday"
    WEDNESDAY = 3, "Wednesday"
    THURSDAY = 4, "Thursday"
    FRIDAY = 5, "Friday"
    SATURDAY = 6, "Saturday"

    @property
    def ical(self):
        """The iCalendar BYDAY code (RFC 5545), also used by HSDS schedules."""
        return self.name[:2]

    @property
    def schema_org(self):
        """The schema.org DayOfWeek URL, as in a Schedule's byDay."""
        return f"https://schema.org/{self.label}"

    @property
    def short(self):
        """The three-letter lower-case form: "sun", "mon"... (feed slugs, the demo data)."""
        return self.label[:3].lower()


WEEKDAY_NAMES = Weekday.labels


# Spanish writes the clock "8:00 p. m."; the project's catalogue gives these Django's date
# format "a" reads, in place of Django's own "p.m.".
MERIDIEMS = (gettext_noop("a.m."), gettext_noop("p.m."))


def day_name(value):
    """The weekday's name for people, in the active language ("Tuesday", "martes").

    Weekday's own labels stay English: feeds, schema.org and the day words read them.
    Django's catalogue already names the days, with Monday first.
    """
    return WEEKDAYS[(value - 1) % 7]


# What feeds and people write for a day: full names, three-letter and common short forms.
DAY_WORDS = {day.label.lower(): day.value for day in Weekday}
DAY_WORDS |= {day.short: day.value for day in Weekday}
DAY_WORDS |= {"tues": 2, "weds": 3, "thur": 4, "thurs": 4}


def weekday_of(moment):
    """The Meeting Guide weekday of a date or datetime: Sunday 0 ... Saturday 6."""
    return moment.isoweekday() % 7


# No zone name is longer than the models' 64-character field; anything longer is not one.
MAX_ZONE_LENGTH = 64


@lru_cache(maxsize=1024)  # bounded: importers pass it whatever their files say
def zone_or_none(name):
    """The ZoneInfo for an IANA name, or None when the name is not a known zone.

    This is the one test of "is this a time zone" for models, forms, importers and pages.
    """
    if not name or not isinstance(name, str) or len(name) > MAX_ZONE_LENGTH:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a folder of the zone database ("America") or a name the file system
        # refuses is no zone either.
        return None


def validate_timezone(value):
    if zone_or_none(value) is None:
        raise ValidationError(
            "“%(value)s” is not a known time zone; use an IANA name such as America/New_York.",
            params={"value": value},
        )


# North American zones, whose "standard" and "daylight" letters people leave out.
_NORTH_AMERICAN = {"E", "C", "M", "P", "AK", "H", "A", "N"}


def _keeps_summer_time(moment):
    """Whether the zone moves its clocks at all: Arizona's MST never becomes MDT, so "MT"
    would put it an hour off Denver's for half the year."""
    zone, year = moment.tzinfo, moment.year
    winter = datetime.datetime(year, 1, 15, 12, tzinfo=zone).utcoffset()
    summer = datetime.datetime(year, 7, 15, 12, tzinfo=zone).utcoffset()
    return winter != summer


def zone_label(moment):
    """A short name for the zone of an aware datetime, as people say it: ET, CT, MT, PT.

    North American abbreviations drop the standard/daylight letter (EST and EDT are both
    "ET"); any other zone keeps the abbreviation it has at that moment (BST stays BST, not
    "BT"), and a zone known only by its offset reads as one ("UTC+04").
    """
    name = moment.tzname() or ""
    if name[-2:] in ("ST", "DT") and name[:-2] in _NORTH_AMERICAN and _keeps_summer_time(moment):
        return name[:-2] + "T"
    if name[:1] in ("+", "-"):
        return f"UTC{name}"
    return name
