"""The Meeting Guide JSON feed: what /meetings.json serves and what the importer reads.

A feed is a flat JSON array with one object per weekly meeting. Our programs play the
feed's "group"; each of their published weekly meetings is one item. Confidential places
(sober homes and the like) are given only as their town, with the ZIP code's centre as the
position, as everywhere else on the site.

The feed is written as it is read, a thousand programs at a time in slug order, from plain
rows rather than model instances: a national directory's feed is over a hundred megabytes,
and it begins at once, never holds every meeting in memory, and costs little Python per
meeting. What every meeting of a
program shares (its address fields, its page's URL) is worked out once per program.
"""

import re
from collections import Counter

import orjson
from django.conf import settings
from django.db.models import CharField, Func, Q
from django.urls import reverse

from listings.models import PublicationStatus
from listings.streaming import still_working
from listings.week import Weekday
from programs.models import Attendance, Meeting, Program

URL_SAFE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
NOT_DIALLED = re.compile(r"[^0-9+,*#]")
COUNTRY_NAMES = {"US": "USA", "CA": "Canada"}
PROGRAMS_PER_PIECE = 1000  # programs per step (about two thousand meetings)
DAY_NAMES = {day.value: day.short for day in Weekday}
ONLINE, IN_PERSON = Attendance.ONLINE.value, Attendance.IN_PERSON.value
PUBLISHED = PublicationStatus.PUBLISHED.value

PLACE_COLUMNS = (
    "city", "state", "country", "is_confidential", "street_address", "address_line_2",
    "postal_code", "name", "directions", "latitude", "longitude", "search_latitude",
    "search_longitude",
)  # fmt: skip
PROGRAM_COLUMNS = (
    "pk", "slug", "name", "description", "website", "email", "phone", "updated_text",
    "location_id", *(f"location__{name}" for name in PLACE_COLUMNS),
)  # fmt: skip
MEETING_COLUMNS = (
    "pk", "program_id", "name", "weekday", "start_time", "end_time", "timezone", "attendance",
    "conference_url", "conference_url_notes", "conference_phone", "conference_phone_notes",
    "notes", "temporarily_closed", "source", "source_id", "updated_text", "location_id",
    *(f"location__{name}" for name in PLACE_COLUMNS),
)  # fmt: skip
OWN_PLACE = MEETING_COLUMNS.index("location_id") + 1  # where the meeting's own place starts


class UpdatedText(Func):
    """A timestamp as the feed writes it ("2025-01-31 18:05:00", UTC), made by the database:
    reading thousands of timestamps into Python only to print them again costs more than the
    rest of the items."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores SQLite timestamps as UTC text; "%%%%" reaches SQLite as "%".
        template = "strftime('%%%%Y-%%%%m-%%%%d %%%%H:%%%%M:%%%%S', %(expressions)s)"
        return self.as_sql(compiler, connection, template=template, **extra)


def program_pieces(state=None):
    """Published programs in slug order, PROGRAMS_PER_PIECE at a time, as rows of values,
    each piece with a condition that picks its programs' rows from related tables.

    The whole feed walks the slug index a piece at a time (a keyset: no step rereads what
    came before) and picks rows by a range of slugs, where a list of a thousand ids would
    make the database parse a long query. One state's programs are a few thousand, read
    at once; a walk would read the whole index to find them.
    """
    programs = (
        Program.objects.published()
        .annotate(updated_text=UpdatedText("updated_at"))
        .order_by("slug")
        .values_list(*PROGRAM_COLUMNS)
    )
    if state:
        yield from _state_pieces(programs, state)
        return
    last = None
    while True:
        piece = programs if last is None else programs.filter(slug__gt=last)
        rows = list(piece[:PROGRAMS_PER_PIECE])
        if rows:
            where = {"status": PUBLISHED, "slug__lte": rows[-1][1]}
            if last is not None:
                where["slug__gt"] = last
            yield rows, where
        if len(rows) < PROGRAMS_PER_PIECE:
            return
        last = rows[-1][1]


def _state_pieces(programs, state):
    """Programs that may have a meeting in `state`: placed there themselves, with a meeting
    placed there, or (in the directory's own state) with no place at all."""
    where = Q(location__state=state) | Q(
        pk__in=Meeting.objects.filter(location__state=state).values("program_id")
    )
    if home_area().get("state") == state:  # online meetings with no place are listed here
        where |= Q(location__isnull=True)
    rows = list(programs.filter(where))
    for start in range(0, len(rows), PROGRAMS_PER_PIECE):
        piece = rows[start : start + PROGRAMS_PER_PIECE]
        yield piece, {"pk__in": [row[0] for row in piece]}


def _related(prefix, where):
    return {prefix + key: value for key, value in where.items()}


def feed_items(state=None, base_url=None):
    """The feed as a list of dicts (for tests and small jobs; the view streams feed_chunks)."""
    return [item for chunk in _item_chunks(state, base_url) for item in chunk]


def feed_chunks(state=None, base_url=None):
    """The feed's JSON array as UTF-8 bytes, piece by piece.

    orjson writes a piece about ten times faster than the json module, which would be a
    third of the feed's whole cost.
    """
    first = True
    for items in _item_chunks(state, base_url):
        still_working()  # a national feed takes longer than gunicorn's timeout
        if items:
            yield (b"[" if first else b",") + orjson.dumps(items)[1:-1]
            first = False
    yield b"[]" if first else b"]"


def _item_chunks(state, base_url):
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    # Every program page's address is this with the slug in the middle; reversing the URL
    # for each program would cost more than the rest of its items.
    before, _, after = reverse("programs:program_detail", kwargs={"slug": "-"}).rpartition("-")
    url_prefix = base_url + before
    nowhere = home_area()
    slugs = Counter()
    for programs, where in program_pieces(state):
        meetings = {}
        for row in (
            Meeting.objects.filter(**_related("program__", where), status=PUBLISHED)
            .annotate(updated_text=UpdatedText("updated_at"))
            .order_by("program_id", "weekday", "start_time", "pk")
            .values_list(*MEETING_COLUMNS)
        ):
            meetings.setdefault(row[1], []).append(row)
        types = types_of(where)
        items = []
        for program in programs:
            rows = meetings.get(program[0])
            if not rows:
                continue
            group = Group(program, url_prefix + program[1] + after, nowhere)
            for row in rows:
                place = group.place_of(row)
                if state and place.get("state") != state:
                    continue
                slug = meeting_slug(row, group.slug)
                slugs[slug] += 1
                if slugs[slug] > 1:  # same program, day and time twice: rare, but slugs differ
                    slug = f"{slug}-{slugs[slug]}"
                items.append(feed_item(row, slug, group, types, place))
        yield items


class Group:
    """What every meeting of one program shares: its fields, URL and address fields."""

    def __init__(self, row, url, nowhere):
        (
            self.pk, self.slug, self.name, self.description, self.website, self.email,
            self.phone, self.updated_at, location_id,
        ) = row[: len(PROGRAM_COLUMNS) - len(PLACE_COLUMNS)]  # fmt: skip
        self.url = url
        self.place = row[len(PROGRAM_COLUMNS) - len(PLACE_COLUMNS) :]
        self.places = {} if location_id is not None else {False: nowhere, True: nowhere}

    def place_of(self, row):
        """The address fields of one meeting: its own place's, else its program's."""
        online_only = row[7] == ONLINE
        if row[OWN_PLACE - 1] is not None:
            return place_fields(row[OWN_PLACE:], online_only)
        if online_only not in self.places:
            self.places[online_only] = place_fields(self.place, online_only)
        return self.places[online_only]


def types_of(where):
    """Each meeting's type codes, sorted, in one query for a piece of the feed."""
    codes = {}
    for meeting_id, code in Meeting.types.through.objects.filter(
        **_related("meeting__program__", where), meeting__status=PUBLISHED
    ).values_list("meeting_id", "meetingtype__code"):
        codes.setdefault(meeting_id, []).append(code)
    for found in codes.values():
        found.sort()
    return codes


def meeting_slug(row, program_slug):
    """Stable and readable: the program's slug, the day and the start time.

    An imported meeting keeps its source's slug, so apps that bookmarked it there still
    find it here.
    """
    source, source_id = row[14], row[15]
    if source and URL_SAFE.match(source_id):
        return source_id
    return f"{program_slug}-{DAY_NAMES[row[3]]}-{row[4].isoformat()[:5].replace(':', '')}"


def feed_item(row, slug, group, types, place):
    (
        pk, _program_id, name, weekday, start_time, end_time, zone, attendance,
        conference_url, conference_url_notes, conference_phone, conference_phone_notes,
        notes, closed, _source, _source_id, updated_at,
    ) = row[: OWN_PLACE - 1]  # fmt: skip
    codes = types.get(pk, [])
    if closed and "TC" not in codes:
        codes.append("TC")
    if attendance != IN_PERSON:
        option = "online" if attendance == ONLINE else "hybrid"
    else:
        option = "inactive" if closed else "in_person"
    changed = updated_at if updated_at >= group.updated_at else group.updated_at
    item = {
        "name": name or group.name,
        "slug": slug,
        "day": weekday,
        "time": start_time.isoformat()[:5],
        "timezone": zone,
        "types": codes,
        "group": group.name,
        "url": group.url,
        "updated": changed,
        "attendance_option": option,
    }
    if end_time:
        item["end_time"] = end_time.isoformat()[:5]
    # Only what is set. A conference phone keeps only what a phone dials: digits, + and
    # , * # for pauses and codes.
    if notes:
        item["notes"] = notes
    if conference_url:
        item["conference_url"] = conference_url
    if conference_url_notes:
        item["conference_url_notes"] = conference_url_notes
    if conference_phone and (dialled := NOT_DIALLED.sub("", conference_phone)):
        item["conference_phone"] = dialled
    if conference_phone_notes:
        item["conference_phone_notes"] = conference_phone_notes
    if group.description:
        item["group_notes"] = group.description
    if group.website:
        item["website"] = group.website
    if group.email:
        item["email"] = group.email
    if group.phone:
        item["phone"] = group.phone
    item.update(place)
    return item


def place_fields(place, online_only):
    """Address, position and venue, honest about how exact they are."""
    (
        city, state, country, confidential, street, line_2, postal_code, venue, directions,
        latitude, longitude, search_latitude, search_longitude,
    ) = place  # fmt: skip
    # Online-only meetings give their town only: the app uses it to find meetings "nearby",
    # and a street address would suggest a room to walk into.
    approximate = confidential or online_only
    country = COUNTRY_NAMES.get(country, country)
    fields = {
        "city": city,
        "state": state,
        "country": country,
        "region": city,
        "approximate": "yes" if approximate else "no",
    }
    town = f"{city}, {state}"
    if approximate:
        fields["formatted_address"] = f"{town}, {country}"
        # A confidential place is shown at its ZIP code's centre, as on our map; an online
        # meeting's town needs no point at all.
        lat = search_latitude if confidential else None
        lng = search_longitude if confidential else None
    else:
        street = ", ".join(x for x in (street, line_2) if x)
        fields["address"] = street
        fields["postal_code"] = postal_code
        town_zip = f"{town} {postal_code}".strip()
        fields["formatted_address"] = ", ".join(x for x in (street, town_zip, country) if x)
        if venue:
            fields["location"] = venue
        if directions:
            fields["location_notes"] = directions
        lat, lng = latitude, longitude
    if lat is not None and lng is not None:
        fields["latitude"] = round(lat, 5)
        fields["longitude"] = round(lng, 5)
    return {key: value for key, value in fields.items() if value != ""}


def home_area():
    """Where an online meeting with no place of its own is listed: the directory's own area.

    The spec wants every online meeting placed roughly, so apps can offer it "nearby" and
    tell its time zone; the area this directory serves is the honest answer.
    """
    city, _, state = settings.DEFAULT_AREA.rpartition(",")
    city, state = city.strip(), state.strip().upper()
    if not city or len(state) != 2:
        return {}
    return {
        "city": city,
        "state": state,
        "country": "USA",
        "region": city,
        "approximate": "yes",
        "formatted_address": f"{city}, {state}, USA",
    }
