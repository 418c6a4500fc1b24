"""Weekly meetings as their next occurrence from now: in progress first, then by start.

The database orders candidates by `utc_week_minute` (see schedule.py), reading the week
from now and wrapping once past Saturday night; Python then works out each
occurrence's exact start and end in the meeting's own zone, daylight saving included, and
groups them into the sections a visitor reads ("In progress", "Starting within the hour",
"Later today", "Tomorrow", then each following day).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from listings.fragments import rows_in_order
from listings.week import zone_label, zone_or_none

from .models import load_types
from .schedule import (
    MAX_DURATION,
    MINUTES_PER_WEEK,
    current_offset,
    ensure_current_offsets,
    utc_minute_of_week,
)

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


def clocks_change(zones, now, minutes):
    """Whether any of `zones` changes its offset within `minutes` (and an hour) of `now`."""
    then = now + datetime.timedelta(minutes=minutes + 60)
    return any(current_offset(zone, now) != current_offset(zone, then) for zone in zones)


# Meetings in the order they start in the week, as the `meeting_next` index holds them.
WEEK_ORDER = ("utc_week_minute", "pk")


def _running(meetings, now_minute):
    """Meetings under way, the earliest started first: started in the last few hours and
    not yet over."""
    key = F("utc_week_minute")
    since = now_minute - LOOKBACK_MINUTES
    if since >= 0:
        # Plain comparisons on the key keep the database's estimate close (a handful of
        # rows, read in index order), where a computed "minutes ago" made PostgreSQL guess
        # hundreds and sort them in parallel workers.
        return meetings.filter(
            utc_week_minute__gte=since,
            utc_week_minute__lte=now_minute,
            duration_minutes__gt=now_minute - key,
        ).order_by(*WEEK_ORDER)
    # The lookback reaches back past Sunday 00:00 UTC: late Saturday's keys are "earlier".
    started_ago = Case(
        When(utc_week_minute__lte=now_minute, then=now_minute - key),
        default=now_minute - key + MINUTES_PER_WEEK,
        output_field=IntegerField(),
    )
    return (
        meetings.filter(
            Q(utc_week_minute__gte=since + MINUTES_PER_WEEK) | Q(utc_week_minute__lte=now_minute)
        )
        .alias(started_ago=started_ago)
        .filter(started_ago__lt=F("duration_minutes"))
        .order_by("-started_ago", "pk")
    )


def _week_parts(meetings, now, zones, *, under_way, starting, within_minutes):
    """The parts of the week to read, in order, each built only once it is reached:
    building a queryset's filters costs Django more than a page that never reads it
    should pay."""
    minute = utc_minute_of_week(now)
    if under_way:
        yield _running(meetings, minute)
    if not starting:
        return

    def not_running(queryset):
        return queryset.exclude(pk__in=_running(meetings, minute).values("pk"))

    later = meetings.filter(utc_week_minute__gt=minute)
    if minute < LOOKBACK_MINUTES:
        # Early on Sunday (UTC) the lookback reaches into the end of the week: meetings
        # under way there have keys "later" than now too.
        later = not_running(later)
    horizon = None
    if within_minutes is not None:
        # The keys follow the offsets zones have now: an hour more covers a change of
        # clocks before the window ends, when one falls there (twice a year).
        horizon = minute + within_minutes + (60 if clocks_change(zones, now, within_minutes) else 0)
        later = later.filter(utc_week_minute__lte=horizon)
    yield later.order_by(*WEEK_ORDER)
    if horizon is not None and horizon < MINUTES_PER_WEEK:
        return
    round_again = meetings.filter(utc_week_minute__lte=minute)
    if horizon is not None:
        round_again = round_again.filter(utc_week_minute__lte=horizon - MINUTES_PER_WEEK)
    yield not_running(round_again).order_by(*WEEK_ORDER)


def _page_across(rows, parts, offset, wanted, kept=None):
    """`wanted` of `rows` from the parts (each `rows` narrowed to part of the week, in its
    order) read one after another, skipping `offset`.

    Each part gives only its keys; the rows come in one query for all of them. Django's
    cost is in compiling that query's hundred columns (a meeting with its program,
    fellowship and places), about a millisecond each time, where a part's keys cost a
    fifth of that; a part is counted only when a page starts beyond its end. With `kept`, a
    (store, context) pair, rows already read are taken from the store (see
    next_occurrences) and only the others read.
    """
    keys, skip = [], offset
    for part in parts:
        need = wanted - len(keys)
        if need <= 0:
            break
        # The keys come from the meetings table alone; joining the listing and places
        # first would join every meeting in a busy area before the sort (1,125 rows for
        # 10 miles round Manhattan at national scale).
        chunk = list(part.values_list("pk", flat=True)[skip : skip + need])
        if chunk:
            keys += chunk
            skip = 0
        elif skip:
            skip -= part.count()
    return rows_in_order(rows, keys, kept) if keys else []


def next_occurrences(
    meetings,
    *,
    now=None,
    visitor_zone=None,
    offset=0,
    limit=20,
    under_way=True,
    starting=True,
    within_minutes=None,
    kept=None,
):
    """A page of occurrences of `meetings` in the order they start, and whether more follow.

    `meetings` is a filtered Meeting queryset; closed meetings are left out here. The order
    is: meetings under way (earliest start first), then every other meeting from now round
    the week, so one that ended an hour ago comes last, as next week's. With
    `under_way=False` only meetings still to start are listed, with `starting=False` only
    those under way. `within_minutes` stops reading the week soon after that many minutes
    from now; the caller keeps those exactly within them.

    `kept`, a (store, context) pair, keeps the meetings read (with their program, places
    and types) in the store, under (key, context), to be taken from there by later calls
    instead of read again: the context must hold all a row depends on besides its key
    (the listings' version; the place its distance is measured from).
    """
    now = now or timezone.now()
    visitor_zone = visitor_zone or timezone.get_default_timezone()
    zones = meetings.model.objects.zones_in_use()
    ensure_current_offsets(zones, now)
    meetings = meetings.filter(temporarily_closed=False)
    parts = _week_parts(
        meetings,
        now,
        zones,
        under_way=under_way,
        starting=starting,
        within_minutes=within_minutes,
    )
    wanted = limit + 1  # one more than a page tells whether another page follows
    rows = _page_across(meetings, parts, offset, wanted, kept)
    has_next = len(rows) > limit
    rows = rows[:limit]
    load_types(rows)
    return occurrences_as_of(rows, now, visitor_zone), has_next


def occurrences_as_of(meetings, now, visitor_zone):
    """The occurrences of meetings already read (types and all) as of `now`, in order."""
    return occurrences_at(timed(meetings, now), now, visitor_zone)


def timed(meetings, now):
    """(meeting, start, end) of each meeting's occurrence under way at `now`, or its next.

    Meetings start and end on the minute, so these are the same for every moment of the
    minute `now` is in: a list kept for the minute keeps them too (occurrences_at)."""
    return [(meeting, *occurrence_of(meeting, now)) for meeting in meetings]


def occurrences_at(times, now, visitor_zone):
    """Occurrences, in order, of meetings whose times were worked out in this minute
    (timed()), as seen at `now`: under way, or how many minutes away."""
    found = [
        Occurrence(meeting, starts, ends, now, visitor_zone) for meeting, starts, ends in times
    ]
    # The index orders by this week's offsets; exact times settle the order across a
    # daylight-saving change.
    found.sort(key=lambda o: (not o.in_progress, o.starts, o.meeting.pk))
    return found


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
            key = "now"
        elif occurrence.starts - now <= SOON:
            key = "soon"
        elif day == today:
            key = "today"
        elif day == today + datetime.timedelta(days=1):
            key = "tomorrow"
        else:
            key = day.isoformat()
        if not grouped or grouped[-1].key != key:
            grouped.append(Section(key, section_title(key, day), []))
        grouped[-1].occurrences.append(occurrence)
    return grouped


def section_title(key, day):
    """A section's heading (sections()), worked out once for the section, not for each of
    its meetings: a date written out costs as much as the rest of a meeting's placing."""
    if key == "now":
        return _("In progress")
    if key == "soon":
        return _("Starting within the hour")
    if key == "today":
        return _("Later today")
    if key == "tomorrow":
        return _("Tomorrow, %(day)s") % {"day": date_format(day, _("l j F"))}
    return date_format(day, _("l j F"))


def nothing_more_today(section_list):
    """True when the first thing listed is not today: the night has no more meetings."""
    return bool(section_list) and section_list[0].key not in ("now", "soon", "today")


class ByNextMeeting:
    """Programs in the order their next meeting starts, then those with none by name.

    A page is found by reading published, open meetings in week order from now (the
    `meeting_next` index) until enough distinct programs have turned up, so the first pages
    cost the same at 100 programs or 100,000; grouping every meeting by program to sort
    them all took 2.4 s at national scale. The paginator takes this for a queryset: it has
    `count()`, slicing and `ordered`.
    """

    ordered = True
    FIRST_CHUNK = 64
    # Programs matching the filters: above this many, the week is read unfiltered and each
    # chunk's programs checked against the filters, since PostgreSQL, asked to do both in
    # one query, fetches every matching program's meetings to sort them (170 ms for the
    # 10,000 AA groups of the national data). Below it, that plan is the quick one.
    BROAD = 5000
    # The deepest order kept (in_order): fifty pages; a crawler's deeper pages are read each
    # time rather than fill every process with long lists.
    KEPT_UP_TO = 1000

    def __init__(
        self,
        programs,
        *,
        now=None,
        meetings=None,
        every_program=False,
        keys=None,
        kept=None,
        kept_rows=None,
    ):
        self.programs = programs
        self.model = programs.model
        self.now = now or timezone.now()
        # The meetings that count: with meeting-level filters (a day, a type), only those
        # matching them, so a program is placed by its next matching meeting.
        self.meetings = meetings
        # Whether `programs` are every published program with a meeting among `meetings`
        # (nothing chosen but meeting filters): then the program of each meeting read is
        # one of them, and chunks need no checking. Or a callable that tells, asked only
        # when the order is read (a list view judges it on its queryset).
        self._every_program = every_program
        # A callable giving the keys of every program in `programs`, or None when there are
        # too many to hold: with them, each chunk is checked in memory, not by a query.
        self.keys = keys
        # (limit, rows counted up to it): kept from count_upto(), or set by the paginator
        # when it read the count from the cache.
        self.counted = None
        # (store, key) under which the order found is kept for the minute (see in_order),
        # or None.
        self.kept = kept
        # (store, context) where the programs read are kept (see rows_in_order), or None.
        self.kept_rows = kept_rows

    @cached_property
    def every_program(self):
        every = self._every_program
        return every() if callable(every) else every

    def count(self):
        return self.programs.order_by().count()

    def count_upto(self, limit):
        counted = self.programs.order_by().values("pk")[:limit].count()
        self.counted = (limit, counted)
        return counted

    def __len__(self):
        return self.count()

    def _broad(self):
        if self.counted is None or (
            self.counted[0] <= self.BROAD and self.counted[1] == self.counted[0]
        ):
            self.count_upto(self.BROAD + 1)
        return self.counted[1] > self.BROAD

    def _meetings(self):
        from .models import Meeting  # the ordering lives beside the occurrences it mirrors

        ensure_current_offsets(Meeting.objects.zones_in_use(), self.now)
        meetings = Meeting.objects.published() if self.meetings is None else self.meetings
        return meetings.filter(temporarily_closed=False)

    def _week_from_now(self, meetings):
        """Chunks of (program key) rows in week order from now, each twice the last."""
        minute = utc_minute_of_week(self.now)
        for segment in (
            meetings.filter(utc_week_minute__gte=minute),
            meetings.filter(utc_week_minute__lt=minute),
        ):
            # The index's own order, read on from the last row seen rather than by OFFSET:
            # many meetings share a start minute, and sorting those by anything else made
            # PostgreSQL read every one of them before the first row.
            ordered = segment.order_by("utc_week_minute", "id")
            after, size = None, self.FIRST_CHUNK
            while True:
                rows = ordered
                if after is not None:
                    minute_seen, key_seen = after
                    rows = rows.filter(
                        Q(utc_week_minute__gt=minute_seen)
                        | Q(utc_week_minute=minute_seen, id__gt=key_seen)
                    )
                chunk = list(rows.values_list("utc_week_minute", "id", "program_id")[:size])
                yield [row[2] for row in chunk]
                if len(chunk) < size:
                    break
                after, size = chunk[-1][:2], size * 2

    def _programs_in_order(self, wanted):
        """Up to `wanted` program keys in order of their next meeting, and whether that
        is every program with one."""
        meetings = self._meetings()
        broad = self._broad()
        if not broad:
            meetings = meetings.filter(program__in=self.programs.order_by().values("pk"))
        seen = {}
        every = broad and not self.every_program and self.keys and self.keys()
        for chunk in self._week_from_now(meetings):
            if every:
                chunk = [pk for pk in chunk if pk in every]
            elif broad and not self.every_program:
                new = {pk for pk in chunk if pk not in seen}
                matching = set(
                    self.programs.order_by().filter(pk__in=new).values_list("pk", flat=True)
                )
                chunk = [pk for pk in chunk if pk in matching]
            for pk in chunk:
                seen.setdefault(pk, None)
            if len(seen) >= wanted:
                return list(seen)[:wanted], False
        return list(seen), True

    def in_order(self, wanted):
        """_programs_in_order(), kept under `kept` with the minute: the order holds until a
        meeting starts or a listing changes, so every page and visitor of one
        choice of filters in that minute reads it once. What is kept is the longest order
        found so far; a deeper page reads on past it."""
        if self.kept is None or wanted > self.KEPT_UP_TO:
            return self._programs_in_order(wanted)
        store, key = self.kept
        key = (*key, self.now.replace(second=0, microsecond=0))
        found = store.get(key)
        if found is None or (len(found[0]) < wanted and not found[1]):
            found = store.put(key, self._programs_in_order(wanted))
        keys, all_found = found
        return keys[:wanted], all_found and len(keys) < wanted

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        keys, all_found = self.in_order(stop)
        page_keys = keys[start:stop]
        if all_found and len(page_keys) < stop - start:
            # Past the programs with a meeting ahead come the others, by name.
            skip = max(0, start - len(keys))
            page_keys += self._without_meetings(skip, (stop - start) - len(page_keys))
        return rows_in_order(self.programs, page_keys, self.kept_rows) if page_keys else []

    def _without_meetings(self, skip, count):
        """Keys of the programs with no meeting ahead, by name, from `skip` on: kept under
        `kept` when given, as they change only with the listings (the version in its key),
        not with the clock."""

        def read():
            return list(
                self.programs.exclude(pk__in=self._meetings().values("program_id"))
                .order_by("name", "pk")
                .values_list("pk", flat=True)[skip : skip + count]
            )

        if self.kept is None:
            return read()
        store, key = self.kept
        return store.get_or_make((*key, "without meetings", skip, count), read)
