import functools

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from listings import geo, ratelimit
from listings.cache import shared_version
from listings.fragments import Kept, kept_on
from listings.ical import calendar_response
from listings.maps import detail_map, marker, osm_link
from listings.models import Listing
from listings.validators import validates_own_input
from listings.views import Deferred, FilteredListView, chosen, detail_key
from listings.week import zone_or_none

from . import guide, query
from .calendar import meeting_calendar
from .choices import types_in_use
from .filters import CenterFilter, MeetingFilter, ProgramFilter
from .forms import ChangeRequestForm
from .jsonld import center_jsonld, program_jsonld
from .models import (
    CARD_MEETING,
    CARD_MEETINGS,
    Attendance,
    Meeting,
    Program,
    ProgramKind,
    Resource,
    ResourceKind,
    TreatmentCenter,
    load_services,
    load_types,
)
from .templatetags.program_cards import center_card, program_card
from .upcoming import (
    ByNextMeeting,
    next_occurrences,
    nothing_more_today,
    occurrences_at,
    sections,
)

KIND_SLUGS = {kind.value: kind for kind in ProgramKind}
ONLINE_SECTION_SIZE = 6
# Online meetings offered beside place searches (online_meetings, online_occurrences).
_online = Kept(100)
# Listings' pages as read from the database (kept_detail), and the activities each
# host's page lists, for the minute (upcoming_activities).
_details = Kept(500)
_upcoming = Kept(500)
# Which meetings each program's card lists, per choice of filters and page (with_cards).
_listed = Kept(1000)
# Programs and centres as their lists read them (FilteredListView.kept_rows).
_program_rows = Kept(3000)
_center_rows = Kept(1000)
# The meetings of each page of the next-meetings lists, per choice of filters and minute
# (MeetingListView.occurrences): twenty to eighty references to kept rows each.
_occurrence_pages = Kept(300)
# Treatment centres by name, per choice of filters (CenterListView.kept_orders).
_named_centers = Kept(32)
PLACE_PARAMS = ("where", "lat", "lng", "radius")


def without_place(params):
    """A list's parameters without the place: what results from anywhere are filtered by."""
    params = params.copy()
    for name in PLACE_PARAMS:
        params.pop(name, None)
    return params


def types_on(meetings):
    """Each type the meetings carry, once, by name: the page's glossary of meeting types.

    Definitions are printed there once rather than beside every meeting: a list page can show
    a hundred type labels, and repeating the words would more than double its weight.
    """
    found = {t.pk: t for meeting in meetings for t in meeting.type_list}
    return sorted(found.values(), key=lambda t: t.name)


def search(request):
    """The home page's one box: read the words, then open the list that answers them."""
    understood = query.understand(request.GET.get("q", ""), request.GET.get("where", ""))
    return redirect(understood.url())


class UnderstandsKeywords:
    """A list whose keyword box reads the field's words as filters, as the home page's does.

    "women sober living ohio" typed here comes back as kind, gender and place filters (chips
    the person can remove), with whatever words are left as the keyword. Words only a
    treatment centre answers ("detox", "suboxone") open the treatment-centre list instead;
    on that list, words about groups stay a plain keyword search.
    """

    understood_as = None  # which list this is, in query.understand()'s terms
    GROUP_LISTS = (query.MEETINGS, query.PROGRAMS)

    def for_houses(self):
        return False

    def get(self, request, *args, **kwargs):
        text = request.GET.get("q", "")
        if not text:
            return super().get(request, *args, **kwargs)
        understood = query.understand(text, houses=self.for_houses())
        here, there = self.understood_as, understood.destination
        same_list = there == here or (there in self.GROUP_LISTS and here in self.GROUP_LISTS)
        if not (understood.params or understood.place) or (here == query.CENTRES and not same_list):
            return super().get(request, *args, **kwargs)
        dropped = {"q", "page"} | ({"where", "lat", "lng"} if understood.place else set())
        kept = [n for n in request.GET if n not in dropped]
        if not same_list:
            kept = [n for n in kept if n in ("where", "radius", "lat", "lng")]
        for name in kept:  # what the visitor had chosen stays, beside what was read
            values = understood.params.setdefault(name, [])
            values += [v for v in request.GET.getlist(name) if v not in values]
        if same_list:
            understood.destination = here
            return redirect(understood.url(path=request.path))
        return redirect(understood.url())


class ProgramListView(UnderstandsKeywords, FilteredListView):
    understood_as = query.PROGRAMS
    filterset_class = ProgramFilter
    template_name = "programs/program_list.html"
    keep_counts = True
    clock_params = ("today", "soon")
    rows_store = _program_rows

    def get_queryset(self):
        return Program.objects.published().for_listing()

    def paginate_queryset(self, queryset, page_size):
        if self.filterset.by_next_meeting:
            queryset = ByNextMeeting(
                queryset,
                now=self.filterset.now,
                meetings=Deferred(Meeting, self.filterset.matching_meetings),
                every_program=functools.partial(self.lists_every_program, queryset),
                keys=functools.partial(self.matching_keys, queryset),
                kept=None if shared_version() is None else (_orders, self.choice_key()),
                kept_rows=self.kept_rows(),
            )
        else:
            queryset = self.kept_order(queryset)
        return super().paginate_queryset(queryset, page_size)

    # The most programs whose keys a process keeps for one choice of filters (about 1.5 MB).
    KEPT_KEYS = 25_000

    def matching_keys(self, queryset):
        """The keys of every program `queryset` lists, when there are at most KEPT_KEYS,
        kept per process until a listing changes; else None.

        A broad choice (AA groups, Spanish-speaking ones) has its page found by reading the
        week's meetings and checking each chunk's programs against the filters, a query per
        chunk; with the keys at hand, the checks are made in memory. The keys are the same
        for every page of that choice, so they are read once.
        """
        if shared_version() is None:
            return None

        def read():
            found = set(queryset.order_by().values_list("pk", flat=True)[: self.KEPT_KEYS + 1])
            return frozenset(found) if len(found) <= self.KEPT_KEYS else None

        return _program_keys.get_or_make(self.choice_key(), read)

    def lists_every_program(self, queryset):
        """Whether every published program with a matching meeting is in the list: with
        nothing chosen, only what the filters ignore (an unreadable day, a radius without a
        place), or only meeting filters (a day, a type). Judged on the query's conditions
        where they say so, so it holds however a filter is written."""
        every = Program.objects.published().query.where
        if queryset.query.where == every:
            return True
        return self.get_queryset().query.where == every and not self.filterset.narrows_programs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programs = context["object_list"]
        choice = None
        if shared_version() is not None:
            choice = (*self.choice_key(), tuple(p.pk for p in programs))
        meetings = Deferred(Meeting, self.filterset.card_meetings)
        context["page_types"] = with_cards(programs, meetings, choice)
        if self.filterset.has_area:
            # Results near a place or in a state leave out online-only programs; offer
            # their meetings separately.
            context["online_meetings"] = self.online_meetings()
        return context

    def online_meetings(self):
        """The first online meetings in the week of the programs matching every filter but
        the place, and matching the meeting filters.

        They are the same for every place searched with the same other filters, so a
        process keeps them until a listing changes (or, with a filter on the clock such as
        "today", for the minute).
        """

        def read():
            anywhere = self.filterset_class(
                without_place(self.request.GET), queryset=self.get_queryset()
            )
            programs = anywhere.qs.order_by().values("pk")  # also gathers the meeting filters
            return list(
                anywhere.matching_meetings()
                .filter(
                    attendance__in=[Attendance.ONLINE, Attendance.HYBRID],
                    temporarily_closed=False,
                    program__in=programs,
                )
                .select_related("program")
                .order_by("weekday", "start_time", "pk")[:ONLINE_SECTION_SIZE]
            )

        if shared_version() is None:
            return read()
        return _online.get_or_make(self.choice_key(leave_out={"page", *PLACE_PARAMS}), read)


# Program cards as written, per process, while the listings' version holds (with_cards).
_cards = Kept(3000)
# Treatment centres' cards, as program cards are kept.
_center_cards = Kept(1000)
# Meetings as the next-meetings pages read them (MeetingListView.kept_rows).
_meeting_rows = Kept(3000)
# The programs of broad choices of filters (ProgramListView.matching_keys).
_program_keys = Kept(8)
# Programs in the order of their next meeting, per choice of filters and minute
# (ByNextMeeting.in_order): the keys of the pages read so far, up to 1,000 (40 KB); and
# per choice, the keys of the pages of those with no meeting ahead.
_orders = Kept(200)


def with_cards(programs, meetings, choice=None):
    """Give each program of a page its card (`card_html`, which program_card writes out),
    and return the meeting types the cards show: those the page's glossary explains.

    `meetings` are those a card may list (the filters' matching meetings, in week order). A
    card depends only on its program, which of its meetings it lists, the distance and the
    language, so with a cache every process shares it is kept (kept_cards). A page whose
    cards are all kept reads only which meetings each lists, as keys: not the meetings,
    their types, nor the markup; and given `choice`, what the filters chose and the page's
    programs, those keys are kept too.
    """
    programs = list(programs)
    if not programs:
        return []
    if shared_version() is None:  # no version every process shares: nothing can be kept
        return types_on(_read_card_meetings(programs, meetings))

    def read_listed():
        listed = {program.pk: [] for program in programs}
        matching = meetings.filter(program__in=list(listed)).values_list("program_id", "pk")
        for program_id, pk in matching:
            listed[program_id].append(pk)
        return listed

    listed = read_listed() if choice is None else _listed.get_or_make(choice, read_listed)
    types = {}
    for card_types in kept_cards(
        programs,
        _cards,
        key=lambda p: (tuple(listed[p.pk]), p.__dict__.get("distance_miles")),
        prepare=lambda missing: _read_card_meetings(missing, meetings),
        write=lambda p: (
            program_card(p),
            {t.pk: t for m in p.card_lines for t in m.type_list},
        ),
    ):
        types.update(card_types)
    return sorted(types.values(), key=lambda t: t.name)


def kept_cards(listings, store, *, key, prepare, write):
    """Give each of a page's `listings` its card (`card_html`), kept in `store` under the
    listings' version and the language, for what else `key(listing)` says it depends on.

    `prepare(missing)` reads in one go what writing the cards not kept needs, and
    `write(listing)` gives a card and what else to keep with it; returns those, in order.
    """
    number, language = shared_version(), get_language()
    extras, missing = [], []
    for listing in listings:
        found_key = (listing.pk, key(listing), language, number)
        kept = store.get(found_key)
        if kept is None:
            # A kept row may carry the card another list wrote for it (kept_rows).
            listing.__dict__.pop("card_html", None)
            missing.append((listing, found_key))
        else:
            listing.card_html = kept[0]
            extras.append(kept[1])
    if missing:
        prepare([listing for listing, _ in missing])
        for listing, found_key in missing:
            card, extra = store.put(found_key, write(listing))
            listing.card_html = card
            extras.append(extra)
    return extras


def _read_card_meetings(programs, meetings):
    """Read the meetings each program's card lists (`shown_meetings`, the first
    CARD_MEETINGS of them `card_lines`) and their types; return the listed ones."""
    by_pk = {program.pk: program for program in programs}
    for program in programs:
        program.shown_meetings = []
    for meeting in meetings.filter(program__in=list(by_pk)).only(*CARD_MEETING):
        program = by_pk[meeting.program_id]
        meeting.program = program  # already loaded
        program.shown_meetings.append(meeting)
    shown = []
    for program in programs:
        program.card_lines = program.shown_meetings[:CARD_MEETINGS]
        shown += program.card_lines
    load_types(shown)
    return shown


MAX_PAGE = 500


def page_number(request):
    """The page asked for, or 1: bad page numbers fall back to a real page, never an error."""
    try:
        return min(max(int(request.GET.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        return 1


class MeetingListView(FilteredListView):
    """Weekly meetings read as occurrences (programs/upcoming.py) rather than paged rows."""

    filterset_class = MeetingFilter
    # A meeting's row (its program, places and types) is the same whatever else was chosen,
    # so pages of other filters, other places in the same spot and later pages of the week
    # share them; reading them was a third of the list's time.
    rows_store = _meeting_rows

    def get_queryset(self):
        return Meeting.objects.published().for_listing()

    def get_paginate_by(self, queryset):
        return None  # paged by occurrence: the week has no fixed length to count

    def everywhere(self):
        """The meetings matching every filter but the place."""
        return self.filterset_class(
            without_place(self.request.GET), queryset=self.get_queryset()
        ).qs

    def occurrences(self, meetings, now, zone, **options):
        """next_occurrences() of `meetings` with these `options`, and whether more follow.

        Meetings start and end on the minute, so which of them a page lists is the same for
        every visitor with the same filters for a whole minute. With a version every
        process shares, a process reads them, and their times, once a minute for each
        choice of filters and page; each request sees them from the exact clock.
        """

        def read(at):
            found, more = next_occurrences(
                meetings, now=at, visitor_zone=zone, kept=self.kept_rows(), **options
            )
            return [(o.meeting, o.starts, o.ends) for o in found], more

        if shared_version() is None:  # no version every process shares: nothing can be kept
            times, more = read(now)
        else:
            minute = now.replace(second=0, microsecond=0)
            key = (*self.choice_key(), minute, *sorted(options.items()))
            times, more = _occurrence_pages.get_or_make(key, lambda: read(minute))
        return occurrences_at(times, now, zone), more

    def online_occurrences(self, now, zone, **options):
        """Online meetings anyone can join from here, matching every filter but the place:
        next_occurrences() of them with these `options`.

        Everyone searching with the same other filters from the same time zone gets the
        same meetings for a whole minute, since meetings start and end on the minute. So a
        process reads them, and their times, once a minute for each such search while the
        listings' version holds (a change moves it); each request sees them from the exact
        clock. Read each time, they were a quarter of a place search's time on the
        meetings list.
        """

        def read(at):
            online = self.everywhere().filter(attendance__in=[Attendance.ONLINE, Attendance.HYBRID])
            found, _ = next_occurrences(
                online, now=at, visitor_zone=zone, kept=self.kept_rows(anywhere=True), **options
            )
            return [(o.meeting, o.starts, o.ends) for o in found]

        number = shared_version()
        if number is None:  # no version every process shares: nothing can be kept
            return occurrences_at(read(now), now, zone)
        minute = now.replace(second=0, microsecond=0)
        choice = chosen(self.request.GET, leave_out={"page", *PLACE_PARAMS})
        key = (choice, get_language(), str(zone), minute, number)
        key += tuple(sorted(options.items()))
        return occurrences_at(_online.get_or_make(key, lambda: read(minute)), now, zone)


class NextMeetingsView(UnderstandsKeywords, MeetingListView):
    """Each weekly meeting as its next occurrence, soonest first, grouped by when it is."""

    understood_as = query.MEETINGS

    template_name = "programs/meeting_list.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        zone = visitor_zone(self.filterset)
        number = page_number(self.request)
        per_page = settings.LISTINGS_PER_PAGE
        found, has_next = self.occurrences(
            kwargs["object_list"], now, zone, offset=(number - 1) * per_page, limit=per_page
        )
        kwargs["object_list"] = [o.meeting for o in found]
        context = super().get_context_data(**kwargs)
        grouped = sections(found, now, zone)
        context.update(
            occurrences=found,
            sections=grouped,
            page_number=number,
            has_next=has_next,
            nothing_more_today=number == 1 and nothing_more_today(grouped),
            **occurrence_map(found),
        )
        if self.filterset.has_area:
            context["online_occurrences"] = self.online_occurrences(
                now, zone, limit=ONLINE_SECTION_SIZE
            )
        context["page_types"] = types_on(
            o.meeting for o in [*found, *context.get("online_occurrences", [])]
        )
        return context


class RightNowView(MeetingListView):
    """One screen for "is there anything I can go to now?": near, online, and the 24/7 lines."""

    template_name = "programs/right_now.html"
    NEAR_WINDOW = 60  # minutes ahead for meetings near the visitor
    ONLINE_WINDOW = 30  # minutes ahead for online meetings
    SCAN = 40  # occurrences read to find those in the window (only the soonest matter)

    def get_context_data(self, **kwargs):
        now = timezone.now()
        zone = visitor_zone(self.filterset)
        near = []
        if self.filterset.has_area:
            # Those under way, then those starting: one read, as many as two scans.
            found, _ = self.occurrences(
                kwargs["object_list"],
                now,
                zone,
                limit=2 * self.SCAN,
                within_minutes=self.NEAR_WINDOW,
            )
            near = [o for o in found if o.in_progress] + within(found, self.NEAR_WINDOW)
        online = self.online_occurrences(
            now, zone, limit=self.SCAN, under_way=False, within_minutes=self.ONLINE_WINDOW
        )
        online = within(online, self.ONLINE_WINDOW)
        kwargs["object_list"] = [o.meeting for o in near]
        context = super().get_context_data(**kwargs)
        hour = now.astimezone(zone).hour
        context.update(
            near=near,
            online=online,
            night=hour >= 21 or hour < 6,
            page_types=types_on(o.meeting for o in [*near, *online]),
            **occurrence_map(near),
            carried=self.carried_filters(),
        )
        return context

    def carried_filters(self):
        """The filters this page's short form has no control for, as (name, value) pairs.

        A link may bring them (a fellowship, say); sending the form again must keep them.
        """
        shown = {"where", "radius", "lat", "lng"}
        fields = self.filterset.form.fields
        return [
            (name, value)
            for name, values in self.request.GET.lists()
            if name in fields and name not in shown
            for value in values
            if value
        ]


def within(occurrences, minutes):
    return [o for o in occurrences if not o.in_progress and o.starts_in_minutes <= minutes]


def visitor_zone(filterset):
    """The zone of the place searched, else the site's: times read on the visitor's clock."""
    if filterset.has_area:
        zone = zone_or_none(geo.zone_of_place(filterset.place))
        if zone is not None:
            return zone
    return timezone.get_default_timezone()


def occurrence_map(occurrences):
    """The map's markers for these occurrences, and the script-free link to the same area."""
    markers = meeting_markers(occurrences)
    link = osm_link(markers[0]["lat"], markers[0]["lng"]) if markers else ""
    return {"markers": markers, "map_link": link}


def meeting_markers(occurrences):
    """The markers of in-person meetings, each kept on its meeting per language, as a
    list's markers are (markers_for): the meetings are rows kept between requests."""
    language = get_language()
    markers, seen = [], set()
    for occurrence in occurrences:
        meeting = occurrence.meeting
        if not meeting.is_in_person:
            continue  # an online meeting's place is only the town its group is based in
        m = kept_on(
            meeting,
            "_marker",
            language,
            lambda m: marker(m.display_name, m.get_absolute_url(), m.place),
        )
        if m and meeting.pk not in seen:
            seen.add(meeting.pk)
            markers.append(m)
    return markers


HOUSE_FILTERS = ["where", "radius", "gender", "mat", "beds", "q"]
GROUP_FILTERS = ["q", "where", "radius", "approach", "day", "today", "soon", "attendance"]
HOUSE_ONLY = ["kind", "gender", "mat", "beds"]
MEETING_ONLY = ["kind", "day", "today", "soon", "time", "attendance", "type"]


class ProgramKindView(ProgramListView):
    """A program kind's explainer page, followed by the listings of that kind."""

    template_name = "programs/program_kind.html"

    def dispatch(self, request, *args, kind, **kwargs):
        if kind not in KIND_SLUGS:
            raise Http404("No such kind of program.")
        self.kind = KIND_SLUGS[kind]
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind)

    def for_houses(self):
        return self.kind == ProgramKind.SOBER_LIVING

    def get_context_data(self, **kwargs):
        houses = self.kind == ProgramKind.SOBER_LIVING
        return {
            **super().get_context_data(**kwargs),
            "kind": self.kind,
            # Written whole in each language; English where a translation is missing.
            "explainer_template": [
                f"programs/kinds/{get_language()}/{self.kind.value}.html",
                f"programs/kinds/{self.kind.value}.html",
            ],
            # A house has no meeting times, and a group no beds: show what decides a choice.
            "primary_filters": HOUSE_FILTERS if houses else GROUP_FILTERS,
            "omitted_filters": MEETING_ONLY if houses else HOUSE_ONLY,
        }


class WhichFitsMeView(TemplateView):
    """The kinds of support and their approaches compared, each linking to its listings."""

    template_name = "programs/which_fits_me.html"
    extra_context = {"choices": guide.CHOICES, "columns": guide.COLUMNS}


def kept_detail(key, read):
    """`read()`, the rows a listing's page shows, kept in this process under `key` while
    the listings' version holds, so its page reads nothing again until a listing changes
    (read each time without a version every process shares). An Http404 is not kept."""
    return _details.get_or_make_while_version(key, read)


def program_detail(request, slug):
    def read():
        program = get_object_or_404(
            Program.objects.published()
            .select_related("fellowship", "location", "host_center")
            .prefetch_related("audiences", "languages"),
            slug=slug,
        )
        meetings = list(
            Meeting.objects.published()
            .filter(program=program)
            .select_related("location")
            .prefetch_related("types")
            .order_by("weekday", "start_time")
        )
        for meeting in meetings:
            meeting.program = program  # already loaded; spares a query per meeting
        return program, meetings

    program, meetings = kept_detail(("program", slug), read)
    activities = upcoming_activities(program)
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "meetings": meetings,
            "activities": activities,
            "jsonld": program_jsonld(request, program, meetings),
            "fit_anchor": guide.anchor_for(program),
            "page_types": types_on(meetings),
            **detail_map(program, [program.location] + [m.location for m in meetings]),
            "reported": request.GET.get("reported") == "1",
            "detail_key": detail_key("program", slug),
        },
    )


def meeting_ics(request, slug, pk):
    """One weekly meeting as a repeating event to add to a calendar."""
    meeting = get_object_or_404(
        Meeting.objects.published()
        .select_related("program", "location", "program__location")
        .prefetch_related("types"),
        pk=pk,
        program__slug=slug,
    )
    return calendar_response(
        meeting_calendar(meeting, settings.SITE_URL),
        f"{slugify(meeting.display_name)[:60] or 'meeting'}.ics",
    )


def meeting_types_css(request):
    """Each described type's definition as a CSS string, shown below its label on hover and
    focus (static/css/site.css). One cached file serves every page, which then carries each
    definition once, in its glossary, instead of beside every meeting. /es/meeting-types.css
    gives the Spanish descriptions curators wrote, English where there is none."""
    rules = [
        f".type-list li:has(>a[href={css_string('#' + t.anchor)}])"
        f"{{--type-def:{css_string(t.shown_description)}}}"
        for t in types_in_use().exclude(description="").order_by("code")
    ]
    return HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")


def css_string(text):
    """Text as a quoted CSS string: quotes, backslashes and control characters escaped."""
    return (
        '"'
        + "".join(c if c.isprintable() and c not in '"\\' else f"\\{ord(c):x} " for c in text)
        + '"'
    )


def meeting_types(request):
    """What each meeting type a visitor can come across means, one anchor per type.

    The list changes only with the listings, so with a version every process shares it
    is written once per language until a listing changes ({% keptfor %}), and the types
    are then not read at all: writing forty definitions cost five milliseconds a request.
    """
    number = shared_version()
    return render(
        request,
        "programs/meeting_types.html",
        {
            "types": types_in_use().order_by("name"),
            "types_key": None if number is None else ("meeting types", number),
        },
    )


class CenterListView(UnderstandsKeywords, FilteredListView):
    understood_as = query.CENTRES
    filterset_class = CenterFilter
    template_name = "programs/center_list.html"
    keep_counts = True
    # A centre's services are each a join: choosing two and a feature took 9 ms of
    # PostgreSQL to sort the 5,000 centres of the national data by name.
    kept_orders = {**FilteredListView.kept_orders, "name": _named_centers}
    rows_store = _center_rows

    def get_queryset(self):
        return TreatmentCenter.objects.published().for_listing()

    def paginate_queryset(self, queryset, page_size):
        return super().paginate_queryset(self.kept_order(queryset), page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        centers = context["object_list"]
        if shared_version() is None:  # no version every process shares: nothing can be kept
            load_services(centers)
        else:
            kept_cards(
                centers,
                _center_cards,
                key=lambda c: c.__dict__.get("distance_miles"),
                prepare=load_services,
                write=lambda c: (center_card(c), None),
            )
        return context


def center_detail(request, slug):
    def read():
        center = get_object_or_404(
            TreatmentCenter.objects.published().prefetch_related(
                "locations", "populations", "languages"
            ),
            slug=slug,
        )
        load_services([center], kinds=("care", "medication", "payment"))
        hosted = list(
            Program.objects.published()
            .filter(host_center=center)
            .select_related("fellowship", "location")
            .order_by("name")
        )
        return center, hosted

    center, hosted = kept_detail(("center", slug), read)
    return render(
        request,
        "programs/center_detail.html",
        {
            "center": center,
            "hosted_programs": hosted,
            "activities": upcoming_activities(center),
            "jsonld": center_jsonld(request, center),
            **detail_map(center, center.locations.all()),
            "reported": request.GET.get("reported") == "1",
            "detail_key": detail_key("centre", slug),
        },
    )


UPCOMING_SHOWN = 5


def upcoming_activities(host):
    """The next few activities a program or centre hosts, with the place each card names.

    Kept for the minute, with a few more than are shown, while the listings' version holds:
    those that end during the minute are left out from the exact clock.
    """

    def read(at):
        return list(
            host.activities.published()
            .upcoming(at)
            .select_related("location")
            .order_by("starts_at")[: 2 * UPCOMING_SHOWN]
        )

    now = timezone.now()
    number = shared_version()
    if number is None:
        return read(now)[:UPCOMING_SHOWN]
    minute = now.replace(second=0, microsecond=0)
    found = _upcoming.get_or_make(
        (type(host).__name__, host.pk, minute, number), lambda: read(minute)
    )
    return [activity for activity in found if activity.ends_at >= now][:UPCOMING_SHOWN]


@validates_own_input
@require_http_methods(["GET", "POST"])
def report_problem(request, kind, slug):
    """A short, anonymous “this listing is wrong” form, queued for curators."""
    model = Listing.reportable_model(kind)
    if model is None:
        raise Http404("Nothing to report here.")
    listing = get_object_or_404(model.objects.published(), slug=slug)
    if request.method == "POST" and (
        wait := ratelimit.hit(
            request,
            scope="report",
            limit=settings.REPORT_RATE_LIMIT,
            window=settings.REPORT_RATE_WINDOW_SECONDS,
        )
    ):
        response = render(
            request, "programs/report_rate_limited.html", {"listing": listing}, status=429
        )
        response["Retry-After"] = str(wait)
        return response
    form = ChangeRequestForm(
        request.POST or None, listing=listing, initial={"meeting": request.GET.get("meeting")}
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(listing.get_absolute_url() + "?reported=1")
    return render(
        request,
        "programs/report_problem.html",
        {"form": form, "listing": listing},
        status=400 if form.errors else 200,
    )


def resources(request):
    """National and state resources for people in recovery and those who support them."""
    entries = Resource.objects.published().order_by("kind", "name")
    groups = []
    for kind in ResourceKind:
        listed = [entry for entry in entries if entry.kind == kind]
        if listed:
            groups.append((kind, listed))
    return render(request, "programs/resources.html", {"groups": groups})
