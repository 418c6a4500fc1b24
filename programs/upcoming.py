"""Weekly meetings as their next occurrence from now: in progress first, then by start.

The database orders candidates by `utc_week_minute` (see schedule.py), reading the week
from now and wrapping once past Saturday night; Python then works out each
occurrence's exact start and end in the meeting's own zone, daylight saving included, and
groups them into the sections a visitor reads ("In progress", "Starting within the hour",
"Later today", "Tomorrow", then each following day).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, When, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from listings.week import zone_label, zone_or_none

from .schedule import MAX_DURATION, MINUTES_PER_WEEK, ensure_current_offsets, utc_minute_of_week

# How long ago a meeting may have started and still be shown as in progress.
LOOKBACK_MINUTES = MAX_DURATION
SOON = datetime.timedelta(hours=1)


@dataclass
class Occurrence:
    meeting: object
    starts: datetime.datetime
    ends: datetime.datetime
    now: datetime.datetime
    zone: datetime.tzinfo

    @property
    def in_progress(self):
        return self.starts <= self.now < self.ends

    @property
    def started_minutes_ago(self):
        return int((self.now - self.starts).total_seconds() // 60)

    @property
    def starts_in_minutes(self):
        return int((self.starts - self.now).total_seconds() // 60)

    @property
    def local_starts(self):
        """The start on the visitor's clock (their area's zone)."""
        return self.starts.astimezone(self.zone)

    @property
    def local_ends(self):
        return self.ends.astimezone(self.zone)

    # Templates convert aware datetimes to the site's zone; these naive clock readings are
    # shown as they are, on the visitor's clock and on the meeting's own.
    @property
    def start_clock(self):
        return self.local_starts.replace(tzinfo=None)

    @property
    def end_clock(self):
        return self.local_ends.replace(tzinfo=None)

    @property
    def own_start_clock(self):
        return self.starts.replace(tzinfo=None)

    @property
    def zone_label(self):
        return zone_label(self.local_starts)

    @property
    def own_zone_differs(self):
        return self.starts.utcoffset() != self.local_starts.utcoffset()

    @property
    def own_zone_label(self):
        return zone_label(self.starts)


def occurrence_of(meeting, now):
    """The meeting's occurrence under way at `now`, or else its next one."""
    zone = zone_or_none(meeting.timezone) or timezone.get_default_timezone()
    duration = datetime.timedelta(minutes=meeting.duration_minutes or 60)
    local = (now - duration).astimezone(zone)
    days_ahead = (meeting.weekday - local.isoweekday() % 7) % 7
    day = local.date() + datetime.timedelta(days=days_ahead)
    starts = datetime.datetime.combine(day, meeting.start_time, tzinfo=zone)
    if starts + duration <= now:
        starts = datetime.datetime.combine(
            day + datetime.timedelta(days=7), meeting.start_time, tzinfo=zone
        )
    # Normalise through UTC so a time that does not exist locally (the hour skipped by
    # daylight saving) still gives a real instant.
    starts = starts.astimezone(datetime.UTC).astimezone(zone)
    return starts, starts + duration


def _running(meetings, now_minute):
    """Meetings under way: started in the last few hours and not yet over."""
    key = F("utc_week_minute")
    since = now_minute - LOOKBACK_MINUTES
    recent = Q(utc_week_minute__gte=since, utc_week_minute__lte=now_minute)
    if since < 0:  # the lookback reaches back past Sunday 00:00 UTC
        recent = Q(utc_week_minute__gte=since + MINUTES_PER_WEEK) | Q(
            utc_week_minute__lte=now_minute
        )
    return meetings.filter(recent).alias(
        started_ago=Case(
            When(utc_week_minute__lte=now_minute, then=now_minute - key),
            default=now_minute - key + MINUTES_PER_WEEK,
            output_field=IntegerField(),
        )
    )


def _page_across(querysets, offset, wanted):
    """`wanted` rows from the querysets read one after another, skipping `offset` rows.

    A queryset is counted only when a page starts beyond its end.
    """
    rows, skip = [], offset
    for queryset in querysets:
        need = wanted - len(rows)
        if need <= 0:
            break
        chunk = list(queryset[skip : skip + need])
        if chunk:
            rows += chunk
            skip = 0
        elif skip:
            skip -= queryset.count()
    return rows


def next_occurrences(meetings, *, now=None, visitor_zone=None, offset=0, limit=20, under_way=True):
    """A page of occurrences of `meetings` in the order they start, and whether more follow.

    `meetings` is a filtered Meeting queryset; closed meetings are left out here. The order
    is: meetings under way (earliest start first), then every other meeting from now round
    the week, so one that ended an hour ago comes last, as next week's. With
    `under_way=False` only meetings still to start are listed.
    """
    now = now or timezone.now()
    visitor_zone = visitor_zone or timezone.get_default_timezone()
    ensure_current_offsets(meetings.model.objects.zones_in_use(), now)
    meetings = meetings.filter(temporarily_closed=False)
    minute = utc_minute_of_week(now)
    running = _running(meetings, minute).filter(started_ago__lt=F("duration_minutes"))
    later = meetings.filter(utc_week_minute__gt=minute)
    if minute < LOOKBACK_MINUTES:
        # Early on Sunday (UTC) the lookback reaches into the end of the week: meetings
        # under way there have keys "later" than now too.
        later = later.exclude(pk__in=running.values("pk"))
    later = later.order_by("utc_week_minute", "pk")
    round_again = (
        meetings.filter(utc_week_minute__lte=minute)
        .exclude(pk__in=running.values("pk"))
        .order_by("utc_week_minute", "pk")
    )
    wanted = limit + 1  # one more than a page tells whether another page follows
    sequence = [later, round_again]
    if under_way:
        sequence.insert(0, running.order_by("-started_ago", "pk"))
    rows = _page_across(sequence, offset, wanted)
    has_next = len(rows) > limit
    rows = rows[:limit]
    prefetch_related_objects(rows, "types")
    found = []
    for meeting in rows:
        starts, ends = occurrence_of(meeting, now)
        found.append(Occurrence(meeting, starts, ends, now, visitor_zone))
    # The index orders by this week's offsets; exact times settle the order across a
    # daylight-saving change.
    found.sort(key=lambda o: (not o.in_progress, o.starts, o.meeting.pk))
    return found, has_next


@dataclass
class Section:
    key: str
    title: str
    occurrences: list


def sections(occurrences, now, zone):
    """Group occurrences under headings read from the visitor's clock."""
    today = now.astimezone(zone).date()
    grouped = []
    for occurrence in occurrences:
        day = occurrence.local_starts.date()
        if occurrence.in_progress:
            key, title = "now", _("In progress")
        elif occurrence.starts - now <= SOON:
            key, title = "soon", _("Starting within the hour")
        elif day == today:
            key, title = "today", _("Later today")
        elif day == today + datetime.timedelta(days=1):
            key, title = "tomorrow", _("Tomorrow, %(day)s") % {"day": date_format(day, _("l j F"))}
        else:
            key, title = day.isoformat(), date_format(day, _("l j F"))
        if not grouped or grouped[-1].key != key:
            grouped.append(Section(key, title, []))
        grouped[-1].occurrences.append(occurrence)
    return grouped


def nothing_more_today(section_list):
    """True when the first thing listed is not today: the night has no more meetings."""
    return bool(section_list) and section_list[0].key not in ("now", "soon", "today")
