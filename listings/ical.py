"""What every iCalendar (RFC 5545) file the site serves shares: the calendar, its zones, the
download response."""

import datetime

import icalendar
from django.conf import settings
from django.http import HttpResponse

# How far ahead a zone's daylight-saving changes are written out for a weekly event.
ZONE_YEARS_AHEAD = 20


def new_calendar(name, product):
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//{product}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def add_timezones(cal, start):
    """A VTIMEZONE for every TZID the events use, written from the year before `start`.

    Without one, a calendar that does not know the zone's name would read the times as
    floating; starting near the event keeps the file small (the default goes back to 1970).
    """
    first = datetime.date(start.year - 1, 1, 1)
    cal.add_missing_timezones(
        first_date=first, last_date=first.replace(year=first.year + ZONE_YEARS_AHEAD)
    )


def calendar_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def host_of(base_url):
    """The site's address without its scheme, which makes event UIDs globally unique."""
    return base_url.split("//")[-1]
