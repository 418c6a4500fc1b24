"""FilterSets behind the public lists. Every filter is a GET parameter, so every result page
is a shareable URL; invalid values are reported beside their control and otherwise ignored."""

import datetime

import django_filters
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings import geo
from listings.filters import CheckboxFilter, CheckboxMultiple, NearFilterSet
from listings.models import Location
from listings.search import normalise_query
from listings.week import Weekday, day_name, weekday_of, zone_or_none

from .choices import (
    audience_choices,
    fellowship_choices,
    language_choices,
    meeting_type_choices,
    meeting_type_pk,
)
from .models import (
    SPANISH_TYPE,
    Approach,
    Attendance,
    Cost,
    LevelOfCare,
    Medication,
    Meeting,
    Payment,
    Program,
    ProgramKind,
    ServiceOption,
    TreatmentCenter,
)
from .schedule import week_minute
from .search import search_centers, search_programs

SOON_WINDOW = datetime.timedelta(hours=2)

WEEKDAY_CHOICES = [(str(day.value), day_name(day.value)) for day in Weekday]

# Local clock ranges; night wraps past midnight.
TIME_OF_DAY = {
    "morning": (_("Morning (5am–noon)"), datetime.time(5), datetime.time(12)),
    "midday": (_("Afternoon (noon–5pm)"), datetime.time(12), datetime.time(17)),
    "evening": (_("Evening (5pm–9pm)"), datetime.time(17), datetime.time(21)),
    "night": (_("Night (9pm–5am)"), datetime.time(21), datetime.time(5)),
}

ATTENDANCE_CHOICES = [
    ("in_person", _("In person")),
    ("online", _("Online")),
    ("hybrid", _("Both (hybrid)")),
]

PROGRAM_SORTS = [
    ("distance", _("Distance")),
    ("next", _("Next meeting")),
    ("name", _("Name (A–Z)")),
    ("relevance", _("Best match (with a keyword)")),
]

CENTER_SORTS = [
    ("distance", _("Distance")),
    ("name", _("Name (A–Z)")),
    ("relevance", _("Best match (with a keyword)")),
]


def local_now(zone_name, now=None):
    return (now or timezone.now()).astimezone(zone_or_none(zone_name))


def _zones_by_clock(clock, zones=None):
    """The zones in use (or `zones`) grouped by what `clock(local now)` gives for each.

    Zones sharing an offset read the same clock, so a condition per group rather than per
    zone: a national directory uses 28 zones but about 8 clocks, and the condition is
    rebuilt for each of a page's queries.
    """
    groups = {}
    for zone in Meeting.objects.zones_in_use() if zones is None else zones:
        groups.setdefault(clock(zone), []).append(zone)
    return groups.items()


def today_q(now=None):
    """Meetings still to come or under way today, in each meeting's own zone.

    The same day as the next-meetings view's "today": one that ended at 8 pm is not on at
    11 pm, whatever its weekday, and last night's meeting still running past midnight is.
    """

    now = now or timezone.now()

    def clock(zone):
        local = local_now(zone, now)
        today = weekday_of(local)
        return today, week_minute(today, local.time())

    q, days = Q(pk__in=[]), set()
    for (today, minute), zones in _zones_by_clock(clock):
        yesterday = (today - 1) % 7
        days |= {today, yesterday}
        # Yesterday's minutes, counted on from yesterday's start, so Saturday night works
        # the same on a Sunday.
        since_yesterday = yesterday * 1440 + 1440 + minute % 1440
        q |= Q(
            timezone__in=zones,
            weekday=today,
            week_minute__gt=Value(minute) - F("duration_minutes"),
        ) | Q(
            timezone__in=zones,
            weekday=yesterday,
            week_minute__gt=Value(since_yesterday) - F("duration_minutes"),
        )
    # Implied by the branches, but a condition of its own the weekday index can answer:
    # without it PostgreSQL read every meeting to test the branches (700 ms at national
    # scale late in the evening).
    return q & Q(weekday__in=sorted(days))


def starting_soon_q(now=None, window=SOON_WINDOW, zones=None):
    """Meetings starting between now and now + window, each in its own zone; `zones`, when
    given, are the only zones the meetings asked about can be in."""

    now = now or timezone.now()  # one instant for every zone, so equal clocks group

    def clock(zone):
        start = local_now(zone, now)
        end = start + window
        return (
            weekday_of(start),
            start.time(),
            weekday_of(end),
            end.time(),
            start.date() == end.date(),
        )

    q, days = Q(pk__in=[]), set()
    for (day, start, end_day, end, same_day), group in _zones_by_clock(clock, zones):
        days |= {day, end_day}
        if same_day:
            q |= Q(timezone__in=group, weekday=day, start_time__gte=start, start_time__lt=end)
        else:  # the window crosses midnight
            q |= Q(timezone__in=group, weekday=day, start_time__gte=start) | Q(
                timezone__in=group, weekday=end_day, start_time__lt=end
            )
    return q & Q(weekday__in=sorted(days))  # for the index, as in today_q()


def time_of_day_q(names):
    q = Q(pk__in=[])
    for name in names:
        _label, start, end = TIME_OF_DAY[name]
        if start < end:
            q |= Q(start_time__gte=start, start_time__lt=end)
        else:
            q |= Q(start_time__gte=start) | Q(start_time__lt=end)
    return q


class ProgramFilter(NearFilterSet):
    """Programs, narrowed by what they are and by when and how their meetings happen.

    Meeting-level filters are collected into one condition so that a single meeting must
    satisfy all of them ("a women's meeting on Tuesday evening", not "a women's meeting on
    some day and some meeting on Tuesday").
    """

    q = django_filters.CharFilter(label=_("Keyword"), method="filter_keyword", max_length=200)
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind of program"), choices=ProgramKind.choices, widget=CheckboxMultiple
    )
    approach = django_filters.MultipleChoiceFilter(
        label=_("Approach"), choices=Approach.choices, widget=CheckboxMultiple
    )
    fellowship = django_filters.MultipleChoiceFilter(
        label=_("Fellowship"),
        choices=fellowship_choices,
        field_name="fellowship__slug",
        widget=CheckboxMultiple,
        distinct=False,  # one fellowship per program: no duplicate rows to remove
    )
    day = django_filters.MultipleChoiceFilter(
        label=_("Day of the week"),
        choices=WEEKDAY_CHOICES,
        method="filter_meeting",
        widget=CheckboxMultiple,
    )
    today = CheckboxFilter(label=_("Meets today"), method="filter_meeting")
    soon = CheckboxFilter(label=_("Starts in the next 2 hours"), method="filter_meeting")
    time = django_filters.MultipleChoiceFilter(
        label=_("Time of day"),
        choices=[(k, v[0]) for k, v in TIME_OF_DAY.items()],
        method="filter_meeting",
        widget=CheckboxMultiple,
    )
    attendance = django_filters.MultipleChoiceFilter(
        label=_("How to attend"),
        choices=ATTENDANCE_CHOICES,
        method="filter_meeting",
        widget=CheckboxMultiple,
    )
    type = django_filters.MultipleChoiceFilter(
        label=_("Meeting types (all must apply)"),
        choices=meeting_type_choices,
        method="filter_meeting",
    )
    audience = django_filters.MultipleChoiceFilter(
        label=_("Who it is for"),
        choices=audience_choices,
        field_name="audiences__slug",
        widget=CheckboxMultiple,
    )
    language = django_filters.MultipleChoiceFilter(
        label=_("Language"),
        choices=language_choices,
        method="filter_language",
        widget=CheckboxMultiple,
    )
    wheelchair = CheckboxFilter(label=_("Wheelchair accessible"), method="filter_wheelchair")
    cost = django_filters.MultipleChoiceFilter(
        label=_("Cost"), choices=Cost.choices, widget=CheckboxMultiple
    )
    city = django_filters.CharFilter(
        label=_("City"), field_name="location__city", lookup_expr="iexact", max_length=100
    )
    gender = django_filters.ChoiceFilter(
        label=_("Sober living for"),
        field_name="gender_served",
        choices=[("women", _("Women")), ("men", _("Men")), ("lgbtq", _("LGBTQ+ affirming"))],
    )
    mat = CheckboxFilter(label=_("Accepts residents on MAT"), field_name="accepts_mat_residents")
    beds = django_filters.NumberFilter(
        label=_("Beds (at least)"), field_name="beds", lookup_expr="gte", min_value=1, max_value=999
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=PROGRAM_SORTS, method="filter_noop", empty_label=None
    )

    # Read by the filter set itself (the place) or not a filter at all (the order).
    NOT_PROGRAM_FILTERS = {"where", "radius", "lat", "lng", "sort"}

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        self.meeting_q = Q()

    def narrows_programs(self):
        """Whether anything but the meeting filters (a day, a type) narrows the programs:
        when nothing does, every published program with a matching meeting is listed."""
        if self.has_area:
            return True
        self.form.is_valid()
        return any(
            self.filters[name].method != "filter_meeting"
            for name, value in self.form.cleaned_data.items()
            if name not in self.NOT_PROGRAM_FILTERS and value not in (None, "", [], False)
        )

    # Filter methods ---------------------------------------------------------------------

    def filter_keyword(self, queryset, name, value):
        return search_programs(queryset, value) if normalise_query(value) else queryset

    def filter_language(self, queryset, name, value):
        """Programs in any of the languages; Spanish also takes the groups that list a
        Spanish-language meeting (Meeting Guide type S) without saying so themselves."""
        if not value:
            return queryset
        # EXISTS rather than "pk IN (subquery)": under OR, PostgreSQL can only hash an IN
        # list, reading every Spanish meeting (16,558 at national scale) for each query,
        # 45 ms even when the list page asks about sixty programs; an EXISTS it may also
        # probe per program through the indexes (1.5 ms), and it still hashes for a count.
        condition = Exists(
            Program.languages.through.objects.filter(
                program=OuterRef("pk"), language__code__in=value
            )
        )
        if "es" in value:
            spanish = meeting_type_pk(SPANISH_TYPE)
            of_type = Q(types=spanish) if spanish else Q(types__code=SPANISH_TYPE)
            condition |= Exists(Meeting.objects.filter(of_type, program=OuterRef("pk")))
        return queryset.filter(condition)

    def filter_wheelchair(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(location__wheelchair_accessible=True)
            | Exists(
                Meeting.objects.filter(program=OuterRef("pk"), location__wheelchair_accessible=True)
            )
        )

    def filter_meeting(self, queryset, name, value):
        if not value:
            return queryset
        if name == "day":
            self.meeting_q &= Q(weekday__in=[int(v) for v in value])
        elif name == "today":
            self.meeting_q &= today_q(self.now)
        elif name == "soon":
            self.meeting_q &= starting_soon_q(self.now)
        elif name == "time":
            self.meeting_q &= time_of_day_q(value)
        elif name == "attendance":
            wanted = set()
            for v in value:
                wanted |= {
                    "in_person": {Attendance.IN_PERSON, Attendance.HYBRID},
                    "online": {Attendance.ONLINE, Attendance.HYBRID},
                    "hybrid": {Attendance.HYBRID},
                }[v]
            self.meeting_q &= Q(attendance__in=wanted)
        elif name == "type":
            for code in value:  # AND: each chosen type must be on the same meeting
                pk = meeting_type_pk(code)
                of_type = Q(meetingtype=pk) if pk else Q(meetingtype__code=code)
                self.meeting_q &= Q(
                    Exists(Meeting.types.through.objects.filter(of_type, meeting=OuterRef("pk")))
                )
        return queryset

    # Putting it together ---------------------------------------------------------------

    def filter_queryset(self, queryset):
        self.meeting_q = Q()
        queryset = self.near(super().filter_queryset(queryset))
        if self.meeting_q:
            queryset = queryset.filter(
                Exists(self._meetings_matching().filter(program=OuterRef("pk")))
            )
        # Sorted by next meeting, the view pages through the programs with
        # upcoming.ByNextMeeting, reading the matching meetings in week order, rather than
        # sorting every program here. The cards' meetings are read once the page is known
        # (card_meetings).
        return self.apply_sort(queryset)

    class Meta:
        model = Program
        fields = []

    def matching_meetings(self):
        """Published meetings meeting every meeting-level filter chosen."""
        self.qs  # noqa: B018 (the filters gather meeting_q as they make the programs' queryset)
        return self._meetings_matching()

    def _meetings_matching(self):
        return Meeting.objects.published().filter(self.meeting_q)

    def card_meetings(self):
        """The meetings a program's card lists: those that matched, in week order."""
        return self.matching_meetings().order_by("weekday", "start_time", "pk")

    @property
    def sort_key(self):
        return self.sort_key_or("next")

    @property
    def by_next_meeting(self):
        """The programs in the order of their next matching meeting: paged by the view,
        not sorted in SQL (see upcoming.ByNextMeeting)."""
        return self.sort_key == "next"

    def apply_sort(self, queryset):
        key = self.sort_key
        if key == "relevance":
            return queryset.order_by("-search_rank", "name", "pk")
        if key == "distance":
            return queryset.order_by("distance_miles", "name", "pk")
        return queryset.order_by("name", "pk")


class CenterFilter(NearFilterSet):
    q = django_filters.CharFilter(label=_("Keyword"), method="filter_keyword", max_length=200)
    level = django_filters.MultipleChoiceFilter(
        label=_("Level of care (any of these)"),
        choices=LevelOfCare.choices,
        method="filter_services",
        widget=CheckboxMultiple,
    )
    medication = django_filters.MultipleChoiceFilter(
        label=_("Medication (any of these)"),
        choices=Medication.choices,
        method="filter_services",
        widget=CheckboxMultiple,
    )
    payment = django_filters.MultipleChoiceFilter(
        label=_("Payment accepted (any of these)"),
        choices=Payment.choices,
        method="filter_services",
        widget=CheckboxMultiple,
    )
    peer_support = CheckboxFilter(label=_("Offers peer support"), field_name="offers_peer_support")
    population = django_filters.MultipleChoiceFilter(
        label=_("Who it serves"),
        choices=audience_choices,
        field_name="populations__slug",
        widget=CheckboxMultiple,
    )
    language = django_filters.MultipleChoiceFilter(
        label=_("Language"),
        choices=language_choices,
        field_name="languages__code",
        widget=CheckboxMultiple,
    )
    city = django_filters.CharFilter(label=_("City"), method="filter_city", max_length=100)
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=CENTER_SORTS, method="filter_noop", empty_label=None
    )

    RELATIONS = {
        "level": "levels_of_care",
        "medication": "medications",
        "payment": "payment_options",
    }

    def filter_keyword(self, queryset, name, value):
        return search_centers(queryset, value) if normalise_query(value) else queryset

    def filter_city(self, queryset, name, value):
        through = TreatmentCenter.locations.through
        return queryset.filter(
            Exists(
                through.objects.filter(treatmentcenter=OuterRef("pk"), location__city__iexact=value)
            )
        )

    def filter_services(self, queryset, name, value):
        if not value:
            return queryset
        through = getattr(self.Meta.model, self.RELATIONS[name]).through
        # Any of the chosen codes will do: someone ticking detox and residential wants a
        # centre offering either, not only those offering both.
        options = ServiceOption.objects.filter(code__in=value)
        return queryset.filter(
            Exists(
                through.objects.filter(treatmentcenter=OuterRef("pk"), serviceoption__in=options)
            )
        )

    @property
    def sort_key(self):
        return self.sort_key_or("name")

    default_radius = 25

    def near(self, queryset):
        """A centre's distance is that of its nearest location within the radius; in a
        state, a centre with any location there is listed."""
        place = self.place
        if self.place_state:
            return queryset.filter(
                Exists(
                    TreatmentCenter.locations.through.objects.filter(
                        treatmentcenter=OuterRef("pk"), location__state=self.place_state
                    )
                )
            )
        if not place.found:
            return queryset
        min_lat, max_lat, min_lng, max_lng = geo.bounding_box(
            place.latitude, place.longitude, self.radius_miles
        )
        nearest = (
            Location.objects.filter(
                treatment_centers=OuterRef("pk"),
                search_latitude__range=(min_lat, max_lat),
                search_longitude__range=(min_lng, max_lng),
            )
            .annotate(
                distance=geo.distance_expression(
                    place.latitude, place.longitude, "search_latitude", "search_longitude"
                )
            )
            .filter(distance__lte=self.radius_miles)
            .order_by("distance")
            .values("distance")[:1]
        )
        # The box first, from the places' position index: without it PostgreSQL runs the
        # nearest-location subquery for every centre in the country (13 ms for 5,011).
        in_box = TreatmentCenter.locations.through.objects.filter(
            location__search_latitude__range=(min_lat, max_lat),
            location__search_longitude__range=(min_lng, max_lng),
        ).values("treatmentcenter_id")
        return (
            queryset.filter(pk__in=in_box)
            .annotate(distance_miles=Subquery(nearest))
            .filter(distance_miles__isnull=False)
        )

    def filter_queryset(self, queryset):
        queryset = self.near(super().filter_queryset(queryset))
        if self.sort_key == "relevance":
            return queryset.order_by("-search_rank", "name", "pk")
        if self.sort_key == "distance":
            return queryset.order_by("distance_miles", "name", "pk")
        return queryset.order_by("name", "pk")

    class Meta:
        model = TreatmentCenter
        fields = []


class MeetingFilter(ProgramFilter):
    """Weekly meetings, each to be shown as its next occurrence (programs/upcoming.py).

    The same parameters as the programs list: program-level filters choose the programs
    whose meetings are listed, meeting-level filters the meetings, and a place is matched
    against each meeting's own position. The order is always "soonest first".
    """

    position_fields = ("search_latitude", "search_longitude")

    class Meta:
        model = Meeting
        fields = []

    def state_q(self, code):
        # The meeting's own place, else its program's, as for its search position.
        return Q(location__state=code) | Q(location__isnull=True, program__location__state=code)

    def filter_queryset(self, queryset):
        self.meeting_q = Q()
        programs, narrowed = Program.objects.published(), False
        for name, value in self.form.cleaned_data.items():
            if name in self.NOT_PROGRAM_FILTERS or value in (None, "", [], False):
                continue
            if self.filters[name].method == "filter_meeting":
                self.filter_meeting(queryset, name, value)
            else:
                programs, narrowed = self.filters[name].filter(programs, value), True
        queryset = queryset.filter(self.meeting_q)
        if narrowed:
            queryset = queryset.filter(program__in=programs.values("pk"))
        return self.near(queryset)

    @property
    def sort_key(self):
        return "next"


MeetingFilter.base_filters.pop("sort")
