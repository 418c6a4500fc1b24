"""When weekly meetings happen, as columns an index can answer "what starts next?" from.

A meeting repeats every week at a local time in its own zone. Each row also keeps:

- `week_minute`: that local time as minutes since Sunday 00:00 (0 to 10,079);
- `utc_week_minute`: the same moment as minutes since Sunday 00:00 UTC, using the offset
  its zone has now (`utc_offset`, minutes east of UTC);
- `duration_minutes`: how long it lasts (an hour when no end time is given);
- `search_latitude` / `search_longitude`: the searchable position of its place (its own
  location, else its program's), so "near a place" is one indexed box on the meeting.

Ordering by `utc_week_minute` from the current UTC minute of the week lists meetings in the
order they start, across every zone, straight from an index. When a zone changes its
offset (daylight saving), `refresh_offsets()` moves that zone's rows with one UPDATE; the
next-meetings views call `ensure_current_offsets()`, which does so once per change, and
`manage.py refresh_meeting_times` can run it from cron just after each change.
"""

import datetime

from django.core.cache import cache
from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractHour, ExtractMinute, Least, Mod
from django.utils import timezone

from listings.cache import listings_changed, shared_version
from listings.models import Location
from listings.week import weekday_of, zone_or_none

MINUTES_PER_WEEK = 7 * 24 * 60
DEFAULT_DURATION = 60


def week_minute(weekday, clock):
    return weekday * 1440 + clock.hour * 60 + clock.minute


# Lists look this far back for meetings under way; a longer meeting is taken to last this
# long, so that it never shows as under way at the end of the week's list.
MAX_DURATION = 240


def duration_of(start, end):
    """Minutes from start to end; an end before the start runs past midnight. No end, or
    an end equal to the start (feeds write that for "not given"), means an hour."""
    if end is None or end == start:
        return DEFAULT_DURATION
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return min(minutes if minutes > 0 else minutes + 1440, MAX_DURATION)


def current_offset(zone_name, now=None):
    """The zone's offset from UTC, in minutes east, at `now`."""
    zone = zone_or_none(zone_name) or zone_or_none(timezone.get_default_timezone_name())
    offset = (now or timezone.now()).astimezone(zone).utcoffset()
    return int(offset.total_seconds() // 60)


def utc_week_minute(minute, offset):
    return (minute - offset) % MINUTES_PER_WEEK


def utc_minute_of_week(now=None):
    """Minutes since Sunday 00:00 UTC."""
    now = (now or timezone.now()).astimezone(datetime.UTC)
    return week_minute(weekday_of(now), now.time())


def set_times(meeting, now=None):
    """Fill a meeting's derived time columns in Python (single saves and bulk loaders)."""
    meeting.week_minute = week_minute(meeting.weekday, meeting.start_time)
    meeting.duration_minutes = duration_of(meeting.start_time, meeting.end_time)
    meeting.utc_offset = current_offset(meeting.timezone, now)
    meeting.utc_week_minute = utc_week_minute(meeting.week_minute, meeting.utc_offset)


def set_position(meeting, place):
    if place is None:
        meeting.search_latitude = meeting.search_longitude = None
    else:
        meeting.search_latitude = place.search_latitude
        meeting.search_longitude = place.search_longitude


TIME_FIELDS = ["week_minute", "duration_minutes", "utc_offset", "utc_week_minute"]
POSITION_FIELDS = ["search_latitude", "search_longitude"]


def refresh_positions(meetings):
    """Copy each meeting's place position onto it, in one UPDATE (after bulk changes)."""

    def from_place(field):
        own = Location.objects.filter(pk=OuterRef("location_id")).values(field)
        program = Location.objects.filter(programs=OuterRef("program_id")).values(field)
        return Coalesce(Subquery(own[:1]), Subquery(program[:1]))

    listings_changed()
    return meetings.update(
        search_latitude=from_place("search_latitude"),
        search_longitude=from_place("search_longitude"),
    )


def refresh_schedule(meetings, now=None):
    """Recompute the derived columns of many meetings in a few UPDATEs (after bulk loads).

    One UPDATE for the local minute, duration and position, then one per time zone.
    """
    from .models import Meeting

    rows = Meeting.objects.filter(pk__in=meetings.values("pk"))
    start = _minutes("start_time")
    count = rows.update(
        week_minute=ExpressionWrapper(F("weekday") * 1440 + start, output_field=IntegerField()),
        duration_minutes=Case(
            When(end_time__isnull=True, then=Value(DEFAULT_DURATION)),
            When(end_time=F("start_time"), then=Value(DEFAULT_DURATION)),
            default=Least(Mod(_minutes("end_time") - start + 1439, 1440) + 1, Value(MAX_DURATION)),
            output_field=IntegerField(),
        ),
    )
    refresh_positions(rows)
    for zone in rows.order_by().values_list("timezone", flat=True).distinct():
        minutes = current_offset(zone, now)
        rows.filter(timezone=zone).update(
            utc_offset=minutes,
            utc_week_minute=_week_mod(F("week_minute") - Value(minutes)),
        )
    return count


def _minutes(field):
    return ExpressionWrapper(
        ExtractHour(field) * 60 + ExtractMinute(field), output_field=IntegerField()
    )


def _week_mod(minutes):
    """`minutes` folded into one week, 0 to 10,079 (SQL's modulo keeps the sign)."""
    return Mod(
        ExpressionWrapper(minutes + MINUTES_PER_WEEK, output_field=IntegerField()),
        MINUTES_PER_WEEK,
        output_field=IntegerField(),
    )


def refresh_offsets(zones, now=None):
    """Move the rows of every zone whose offset changed since they were written: one UPDATE."""
    from .models import Meeting

    offsets = {zone: current_offset(zone, now) for zone in zones}
    if not offsets:
        return 0
    offset = Case(
        *[When(timezone=zone, then=Value(minutes)) for zone, minutes in offsets.items()],
        default=F("utc_offset"),
        output_field=IntegerField(),
    )
    stale = Q()
    for zone, minutes in offsets.items():
        stale |= Q(timezone=zone) & ~Q(utc_offset=minutes)
    stale_rows = Meeting.objects.filter(stale)
    # Reading first keeps page views from writing (and waiting on a writer) when, as
    # nearly always, nothing changed.
    if not stale_rows.exists():
        return 0
    listings_changed()  # pages show times on the new clock from now on
    return stale_rows.update(
        utc_offset=offset,
        utc_week_minute=_week_mod(F("week_minute") - offset),
    )


# The offsets this process last found applied (see ensure_current_offsets).
_confirmed = {}


def ensure_current_offsets(zones, now=None):
    """Refresh offsets when a zone's offset differs from the one last applied.

    The applied offsets are remembered in the cache, so the check costs nothing until a
    zone changes (twice a year) or the cache is cleared, when one refresh runs.
    """
    wanted = {zone: current_offset(zone, now) for zone in zones}
    # Until a listing changes, only a change of clocks can move them, and that changes
    # `wanted`: a process that saw them applied need not ask the cache on every page.
    seen = (shared_version(), wanted)
    if seen[0] is not None and _confirmed.get("offsets") == seen:
        return
    if cache.get("meeting-offsets") != wanted:
        refresh_offsets(zones, now)
        cache.set("meeting-offsets", wanted, None)
    _confirmed["offsets"] = seen
