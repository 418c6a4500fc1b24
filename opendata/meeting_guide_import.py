"""Read a Meeting Guide feed into programs, weekly meetings and locations.

The import is keyed by the source's name and the feed's own slugs, so running it again
changes nothing, and a meeting that leaves the feed is unpublished (archived), never
deleted. Feeds come from many tools and many hands; this module accepts what they really
contain (strings for numbers and booleans, day lists, 12-hour times, zone aliases, HTML in
notes) and rejects an item only when it cannot tell when or where the meeting happens.

The work is done in two passes: `read_feed` turns raw items into `FeedMeeting` values (or
rejections) without touching the database; `apply` then compares them with what the
source loaded before and writes only the difference, in bulk.
"""

import datetime
import hashlib
import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import nh3
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from listings.cache import listings_changed
from listings.geo import _state_code, fill_coordinates, zip_info
from listings.models import Location, PublicationStatus, free_slug, taken_slugs
from listings.week import DAY_WORDS, zone_or_none
from programs import schedule
from programs.models import (
    Attendance,
    Meeting,
    MeetingType,
    Program,
    ProgramKind,
    default_approach,
)
from programs.search import refresh_search_text

from . import readers
from .readers import clean_text
from .summary import ImportFileError, ImportSummary

MAX_FEED_BYTES = 50 * 1024 * 1024
PROGRESS_EVERY = 1000
BATCH = 500

# Column names other tools use for the spec's fields.
ALIASES = {
    "zip": "postal_code",
    "meeting": "name",
    "location_name": "location",
    "start_time": "time",
}

# Zone spellings seen in real feeds that are not the canonical IANA names.
ZONE_ALIASES = {
    "us/eastern": "America/New_York", "eastern": "America/New_York", "et": "America/New_York",
    "est": "America/New_York", "edt": "America/New_York",
    "us/central": "America/Chicago", "central": "America/Chicago", "ct": "America/Chicago",
    "cst": "America/Chicago", "cdt": "America/Chicago",
    "us/mountain": "America/Denver", "mountain": "America/Denver", "mt": "America/Denver",
    "mst": "America/Denver", "mdt": "America/Denver", "us/arizona": "America/Phoenix",
    "us/pacific": "America/Los_Angeles", "pacific": "America/Los_Angeles",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "west_coast": "America/Los_Angeles", "us/alaska": "America/Anchorage",
    "us/hawaii": "Pacific/Honolulu", "us/east-indiana": "America/Indiana/Indianapolis",
    "us/michigan": "America/Detroit", "us/aleutian": "America/Adak",
}  # fmt: skip

# Hosts of the video services Meeting Guide recognises; a link to one of them found in the
# notes is the meeting's join link when the feed gave none.
CONFERENCE_HOSTS = (
    "zoom.us", "meet.google.com", "teams.microsoft.com", "teams.live.com", "webex.com",
    "bluejeans.com", "discord.gg", "freeconference.com", "freeconferencecall.com", "goto.com",
    "gotomeet.me", "gotomeeting.com", "meet.jit.si", "meetings.dialpad.com", "signal.group",
    "skype.com", "zoho.com",
)  # fmt: skip
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
COUNTRIES = {"us": "US", "usa": "US", "united states": "US", "united states of america": "US"}
STATE_ZIP = re.compile(r"^([A-Za-z][A-Za-z .]*?)\s*(\d{4,5})?(?:-\d{4})?$")
TRUE_WORDS = {"yes", "y", "true", "1", "on"}


class Rejected(Exception):
    """One item the importer cannot understand; the message says why."""


@dataclass
class Place:
    key: str
    name: str = ""
    street_address: str = ""
    address_line_2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = "US"
    latitude: float | None = None
    longitude: float | None = None
    directions: str = ""
    timezone: str = ""
    is_confidential: bool = False


@dataclass
class FeedMeeting:
    slug: str
    program_key: str
    group: str
    name: str
    weekday: int
    start_time: datetime.time
    end_time: datetime.time | None
    timezone: str
    attendance: str
    temporarily_closed: bool
    conference_url: str = ""
    conference_url_notes: str = ""
    conference_phone: str = ""
    conference_phone_notes: str = ""
    notes: str = ""
    types: frozenset = frozenset()
    place: Place | None = None
    group_notes: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""


# --- Entry point ------------------------------------------------------------------------------


def import_meeting_guide(
    data,
    *,
    source,
    default_timezone="",
    kind=ProgramKind.TWELVE_STEP,
    fellowship=None,
    publish=False,
    dry_run=False,
    progress=None,
):
    """Load a feed (bytes, str or a binary/text file) for `source`; returns an ImportSummary.

    Raises ImportFileError, having changed nothing, when the feed as a whole is unusable.
    `progress` gets short status lines, and with the item counts ones also `done` and
    `total` as keywords (an import job shows them as a progress bar).
    """
    source = (source or "").strip()
    if not source:
        raise ImportFileError("Give the source a name, e.g. the area's website address.")
    if len(source) > 60:
        raise ImportFileError("The source name is too long: use 60 characters or fewer.")
    zone = resolve_zone(default_timezone or settings.TIME_ZONE)
    if zone is None:
        raise ImportFileError(f"“{default_timezone}” is not a time zone (try America/Chicago).")
    summary = ImportSummary(source=source, dry_run=dry_run)
    raw = parse_feed(data)
    say = progress or (lambda message, **counts: None)
    say(f"Read {len(raw):,} items from the feed.", done=0, total=len(raw))
    meetings = read_feed(raw, summary, default_timezone=zone, progress=say)
    if not meetings:
        raise ImportFileError(
            "None of the feed's items could be read, so nothing was changed: "
            + "; ".join(f"{r.key}: {r.reason}" for r in summary.rejected[:5])
        )
    say(f"Saving {len(meetings):,} meetings.", done=len(raw), total=len(raw))
    with transaction.atomic():
        apply(meetings, summary, kind=kind, fellowship=fellowship, publish=publish, say=say)
        if dry_run:
            transaction.set_rollback(True)
        else:
            listings_changed()  # bulk writes send no signals
    return summary


def parse_feed(data):
    """The feed's list of items, or ImportFileError with a message a curator can act on."""
    if hasattr(data, "read"):
        data = data.read(MAX_FEED_BYTES + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_FEED_BYTES:
        raise ImportFileError("The file is over 50 MB; no meeting feed is that large.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"The file is not UTF-8 text (byte {exc.start}); is it really a JSON feed?"
        ) from exc
    if not text.strip():
        raise ImportFileError("The file is empty.")
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"The file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from exc
    except (ValueError, RecursionError) as exc:
        # Numbers thousands of digits long, or lists nested thousands deep: not a feed.
        raise ImportFileError(f"The file cannot be read as a meeting feed ({exc}).") from exc
    if isinstance(items, dict):
        # Some tools wrap the list; accept the one obvious wrapper and nothing cleverer.
        lists = [v for v in items.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise ImportFileError(
                "Expected a JSON list of meetings, but the file holds an object "
                f"with the keys {', '.join(sorted(items)[:8])}."
            )
        items = lists[0]
    if not isinstance(items, list):
        raise ImportFileError(f"Expected a JSON list of meetings, not a {type(items).__name__}.")
    if not items:
        raise ImportFileError(
            "The feed lists no meetings, so nothing was changed. To withdraw a source, "
            "unpublish its programs in the admin."
        )
    return items


# --- Reading items ----------------------------------------------------------------------------


def read_feed(raw, summary, *, default_timezone, progress):
    """FeedMeetings for every item that can be understood; the rest go to the summary."""
    # Feeds give codes in any case, and sometimes the type's name instead of its code.
    known_types = {}
    for code, name in MeetingType.objects.values_list("code", "name"):
        known_types |= {code: code, code.lower(): code, name.lower(): code}
    meetings, seen = [], set()
    for index, item in enumerate(raw, start=1):
        label = f"item {index}"
        try:
            if not isinstance(item, dict):
                raise Rejected(f"not a meeting object but a {type(item).__name__}")
            item = normalise_keys(item)
            label = item_label(item, index)
            meetings += read_item(item, seen, summary, known_types, default_timezone)
        except Rejected as exc:
            summary.reject(label, str(exc))
        if index % PROGRESS_EVERY == 0:
            progress(f"Checked {index:,} of {len(raw):,} items.", done=index, total=len(raw))
    return meetings


def normalise_keys(item):
    out = {}
    for key, value in item.items():
        key = str(key).strip().lower().replace(" ", "_")
        out.setdefault(ALIASES.get(key, key), value)
    return out


def item_label(item, index):
    slug = clean_text(item.get("slug"))
    name = clean_text(item.get("name"))
    if slug:
        return f"“{slug}”"
    return f"item {index}" + (f" (“{name[:60]}”)" if name else "")


def read_item(item, seen, summary, known_types, default_timezone):
    """One feed item as one FeedMeeting per day it lists."""
    days = read_days(item.get("day"))
    start = read_time(item.get("time"), "time")
    if start is None or not days:
        raise Rejected(
            "no day and time (a meeting “by appointment”); only weekly meetings can be listed"
        )
    if start == "24:00":
        # Midnight at the end of the listed day is the start of the next one.
        days, start = [(day + 1) % 7 for day in days], datetime.time(0, 0)
        summary.warn("start time 24:00 read as midnight at the start of the next day")
    end = read_time(item.get("end_time"), "end_time", summary=summary)
    if end == "24:00":
        end = datetime.time(23, 59)  # "until midnight", kept on the meeting's own day
    types, unknown = read_types(item.get("types"), known_types)
    for code in unknown:
        summary.warn(f"unknown type code “{code}” kept in the meeting's notes")
    notes = plain_text(item.get("notes"))
    if unknown:
        notes = "\n".join(x for x in (notes, "Other types given: " + ", ".join(unknown)) if x)
    closed = "TC" in types
    types.discard("TC")

    conference_url = read_url(item.get("conference_url"), summary, "conference link")
    if not conference_url:
        conference_url = conference_link_in(notes)
        if conference_url:
            summary.warn("online link found in the notes and used as the join link")
    conference_phone = read_phone(item.get("conference_phone"), summary)
    online = bool(conference_url or conference_phone)

    zone_text = clean_text(item.get("timezone"))
    zone = resolve_zone(zone_text) if zone_text else None
    if zone_text and zone is None:
        summary.warn(f"unknown time zone “{zone_text[:40]}”; the default zone was used")
    if zone is None:
        zone = default_timezone
        if not zone_text:
            summary.warn(f"no time zone given; {zone} was used")

    approximate = read_bool(item.get("approximate"))
    place = read_place(item, zone, summary)
    attendance, closed = read_attendance(item, online, place, approximate, closed, summary)
    if (
        place is not None
        and approximate
        and (attendance == Attendance.IN_PERSON or place.street_address or place.name)
    ):
        # The feed says the address is not for publishing: in person, only the town is
        # shown and the place is given on request; an online meeting's street stays hidden.
        place.is_confidential = True
    if place is None and attendance != Attendance.ONLINE:
        raise Rejected("no address and no online link, so nobody could find the meeting")

    name = plain_text(item.get("name"), single_line=True)[:200]
    group = plain_text(item.get("group"), single_line=True)[:200]
    if not name:
        name = group or (place.name if place else "")
        if not name:
            raise Rejected("no name, group or location name to call the meeting by")
        summary.warn("meeting without a name: its group or venue name was used")
    slug = clean_text(item.get("slug"))
    if not slug:
        slug = slugify(f"{name}-{'-'.join(map(str, days))}-{start:%H%M}")[:100]
        summary.warn("meeting without a slug: one was made from its name, day and time")
    # Keys keep non-Latin letters: two groups named only in Cyrillic must not merge.
    group_key = slugify(group, allow_unicode=True)
    program_key = (
        ("group:" + group_key if len(group_key) <= 100 else "group:" + short_key(group_key))
        if group_key
        else "meeting:" + short_key(name, place.key if place else "online")
    )

    results = []
    for day in days:
        item_slug, repeated = free_key(slug if len(days) == 1 else f"{slug}-{day}", seen)
        if repeated:
            summary.warn("duplicate slug: later meetings got a numbered suffix")
        results.append(
            FeedMeeting(
                slug=item_slug,
                program_key=program_key,
                group=group or name,
                name="" if name == (group or name) else name,
                weekday=day,
                start_time=start,
                end_time=end,
                timezone=zone,
                attendance=attendance,
                temporarily_closed=closed,
                conference_url=conference_url,
                conference_url_notes=plain_text(item.get("conference_url_notes"))[:300],
                conference_phone=conference_phone,
                conference_phone_notes=plain_text(item.get("conference_phone_notes"))[:300],
                notes=notes,
                types=frozenset(types),
                place=place,
                group_notes=plain_text(item.get("group_notes")),
                website=read_url(item.get("website"), summary, "website"),
                email=read_email(item.get("email"), summary),
                phone=plain_text(item.get("phone"), single_line=True)[:30],
            )
        )
    return results


def read_attendance(item, online, place, approximate, closed, summary):
    """Attendance and the temporarily-closed flag, from the feed's option or its facts."""
    option = clean_text(item.get("attendance_option")).lower()
    in_person = place is not None and not approximate and not closed
    if option in {"in_person", "hybrid", "online", "inactive"}:
        if option in {"online", "hybrid"} and not online:
            summary.warn("meeting said to be online without a link or phone: listed in person")
            option = "inactive" if place is None or approximate else "in_person"
        if option == "inactive":
            return Attendance.IN_PERSON, True
        if option == "in_person":
            return Attendance.IN_PERSON, closed
        return option, closed
    if option:
        summary.warn(f"unknown attendance_option “{option[:20]}”; worked out from the address")
    if online and in_person:
        return Attendance.HYBRID, closed
    if online:
        return Attendance.ONLINE, closed
    if place is not None and approximate:
        # Only the town is known and there is no link: nothing to attend, as Meeting Guide
        # also reads it, unless the feed said otherwise above.
        return Attendance.IN_PERSON, True
    return Attendance.IN_PERSON, closed


def read_days(value):
    values = value if isinstance(value, list) else [value]
    days = []
    for v in values:
        if isinstance(v, str) and "," in v:
            days += read_days(v.split(","))
            continue
        if isinstance(v, bool) or v is None or v == "":
            continue
        text = clean_text(v).lower().rstrip(".")
        if isinstance(v, int | float) and not isinstance(v, bool):
            day = int(v) if v == v and abs(v) < 100 and float(v).is_integer() else None
        elif text.isascii() and text.isdecimal() and len(text) < 4:
            day = int(text)
        else:
            day = DAY_WORDS.get(text)
        if day is None or not 0 <= day <= 6:
            raise Rejected(f"“{str(v)[:20]}” is not a day (0 = Sunday to 6 = Saturday)")
        if day not in days:
            days.append(day)
    return days


TIME_24 = re.compile(r"^(\d{1,2}):?(\d{2})(?::(\d{2}))?$")
TIME_12 = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s*m?\.?$", re.IGNORECASE)


def read_time(value, label, summary=None):
    """A datetime.time, the string "24:00", or None when blank.

    An unreadable start time rejects the item; an unreadable end time is only dropped.
    """
    text = clean_text(value).lower()
    if not text:
        return None
    if text in {"noon", "12 noon"}:
        return datetime.time(12, 0)
    if text == "midnight":
        return datetime.time(0, 0)
    hour = minute = None
    if match := TIME_24.match(text):
        hour, minute = int(match.group(1)), int(match.group(2))
    elif match := TIME_12.match(text):
        hour, minute = int(match.group(1)) % 12, int(match.group(2) or 0)
        if not 0 <= int(match.group(1)) <= 12:
            hour = 99
        if match.group(3) == "p":
            hour += 12
    if hour == 24 and minute == 0:
        return "24:00"
    if hour is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
        if summary is not None:
            summary.warn(f"unreadable {label} “{text[:20]}” dropped")
            return None
        raise Rejected(f"“{text[:20]}” is not a time of day (use HH:MM, 24-hour)")
    return datetime.time(hour, minute)


def read_types(value, known_types):
    if isinstance(value, str):
        value = re.split(r"[,;]", value)
    if not isinstance(value, list):
        return set(), []
    types, unknown = set(), []
    for raw in value:
        text = clean_text(raw)
        if not text or text.upper() == "ONL":
            continue  # ONL is worked out from the join link, as the spec now does
        code = known_types.get(text) or known_types.get(text.lower())
        if code:
            types.add(code)
        elif text[:20] not in unknown:
            unknown.append(text[:20])
    if {"O", "C"} <= types:
        types.discard("O")  # both given: the stricter one holds
    return types, unknown


def read_place(item, zone, summary):
    """The meeting's place from address parts or a one-line address; None if neither."""
    street = plain_text(item.get("address"), single_line=True)
    city = plain_text(item.get("city"), single_line=True)
    state = plain_text(item.get("state"), single_line=True)
    postal = clean_text(item.get("postal_code"))
    country = clean_text(item.get("country"))
    formatted = plain_text(item.get("formatted_address"), single_line=True)
    line2 = ""
    if formatted and not (city and state):
        parsed = split_address(formatted)
        street, line2 = street or parsed["street"], parsed["line2"]
        city, state = city or parsed["city"], state or parsed["state"]
        postal, country = postal or parsed["postal_code"], country or parsed["country"]
    if not (city or state or street):
        return None
    if country and country.lower().strip(". ") not in COUNTRIES:
        raise Rejected(f"the country “{country[:30]}” is outside the United States")
    state_code = _state_code(state.strip(". ")) if state else None
    if not state_code or not city:
        raise Rejected("the address has no town and US state, so the meeting cannot be placed")
    street = street.split("@")[0].strip()  # "123 Main St @ Oak" : the cross street is noise
    if postal.isdigit() and len(postal) < 5:
        postal = postal.zfill(5)  # spreadsheets drop the leading zeros of New England ZIPs
    lat, lng = read_coordinates(item, summary)
    key = slugify(
        " ".join(x for x in (street, line2, city, state_code, postal[:5]) if x),
        allow_unicode=True,
    )
    place = Place(
        key=short_key(key) if len(key) > 110 else key,
        name=plain_text(item.get("location"), single_line=True)[:200],
        street_address=street[:200],
        address_line_2=line2[:200],
        city=city[:100],
        state=state_code,
        postal_code=postal[:10],
        country="US",
        latitude=lat,
        longitude=lng,
        directions=plain_text(item.get("location_notes")),
        timezone=zone,
    )
    zip_zone = zone_at_zip(place.postal_code)
    if zip_zone and not same_clock(zone, zip_zone):
        # Usually the feed's (or the upload's default) zone is not the region's own.
        summary.warn(
            f"the time zone {zone} disagrees with the ZIP codes of the addresses "
            f"({zip_zone}); check the feed's zone or the default given"
        )
    return place


def zone_at_zip(postal_code):
    found = zip_info(postal_code[:5]) if len(postal_code) >= 5 else None
    return found.timezone if found is not None and found.timezone else ""


# A winter and a summer instant: two zones that agree at both keep the same clock.
_SAMPLE_INSTANTS = (
    datetime.datetime(2025, 1, 15, 12, tzinfo=datetime.UTC),
    datetime.datetime(2025, 7, 15, 12, tzinfo=datetime.UTC),
)


def same_clock(first, second):
    """Whether two zone names keep the same time (America/Detroit and America/New_York do)."""
    if first == second:
        return True
    a, b = zone_or_none(first), zone_or_none(second)
    if a is None or b is None:
        return True  # an unknown name is warned about elsewhere
    return all(t.astimezone(a).utcoffset() == t.astimezone(b).utcoffset() for t in _SAMPLE_INSTANTS)


def split_address(text):
    """Street, town, state, ZIP and country from "123 Main St, Springfield, IL 62701, USA"."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    found = {"street": "", "line2": "", "city": "", "state": "", "postal_code": "", "country": ""}
    if len(parts) > 1 and not state_and_zip(parts[-1]):
        found["country"] = parts.pop()  # anything after the state is the country
    # The state (with or without its ZIP) is the last part that reads as one.
    for i in range(len(parts) - 1, 0, -1):
        match = state_and_zip(parts[i])
        if not match:
            continue
        found["state"], found["postal_code"] = match
        found["city"] = parts[i - 1]
        if i >= 2:
            found["street"], found["line2"] = parts[0], ", ".join(parts[1 : i - 1])
        break
    return found


def state_and_zip(text):
    """("IL", "62701") from "IL 62701", "Illinois" or "Ill. 62701-1234"; None if not a state."""
    match = STATE_ZIP.match(text.strip())
    if not match or not _state_code(match.group(1).strip(". ")):
        return None
    return _state_code(match.group(1).strip(". ")), match.group(2) or ""


def read_coordinates(item, summary):
    try:
        lat, lng = readers.read_coordinates(item.get("latitude"), item.get("longitude"))
    except (readers.Incomplete, readers.Unreadable):
        summary.warn("unreadable coordinates dropped; the ZIP code's centre was used")
        return None, None
    except (readers.OffTheGlobe, readers.NotGeocoded):
        summary.warn("impossible coordinates dropped; the ZIP code's centre was used")
        return None, None
    if lat is None:
        return None, None
    return round(lat, 6), round(lng, 6)


def resolve_zone(text):
    """The canonical IANA name for a zone as feeds spell it, or None."""
    text = (text or "").strip()
    alias = ZONE_ALIASES.get(text.lower())
    if alias:
        return alias
    if zone_or_none(text) is None:
        return None
    return text if "/" in text or text == "UTC" else None


def read_bool(value):
    if isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    return text in TRUE_WORDS


def read_url(value, summary, label):
    limit = 500 if label == "conference link" else 200  # the model fields' lengths
    try:
        return readers.read_url(value, limit)
    except readers.Unusable:
        summary.warn(f"unusable {label} dropped")
        return ""


def read_email(value, summary):
    try:
        return readers.read_email(value)
    except readers.Unusable:
        summary.warn("unusable email address dropped")
        return ""


def read_phone(value, summary):
    try:
        dialable = readers.read_phone(value, dialable=True)
    except readers.Unreadable:
        summary.warn("conference phone with too few digits dropped")
        return ""
    return dialable[:60]  # the field's length: a longer dial string keeps its start


def conference_link_in(text):
    for match in URL_IN_TEXT.finditer(text or ""):
        url = match.group(0).rstrip(".,;:!?")
        host = url.split("://", 1)[1].split("/", 1)[0].lower().split(":")[0]
        if any(host == h or host.endswith("." + h) for h in CONFERENCE_HOSTS):
            return url[:500]
    return ""


def free_key(key, seen):
    """`key` made short enough to store and unique among `seen` (which it joins).

    Returns the key and whether it had to be changed to stay unique.
    """
    key = key if len(key) <= 110 else short_key(key)
    candidate, n = key, 2
    while candidate in seen:
        candidate, n = f"{key}-{n}", n + 1
    seen.add(candidate)
    return candidate, candidate != key


BLOCK_END = re.compile(r"<\s*(br\s*/?|/p|/div|/li|/h\d)\s*>", re.IGNORECASE)


def plain_text(value, single_line=False):
    """Text with any HTML reduced to its words, line breaks kept where the HTML had them."""
    text = clean_text(value)
    if "<" in text or "&" in text:
        text = BLOCK_END.sub("\n", text)
        text = html.unescape(nh3.clean(text, tags=set()))
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    if single_line:
        return " ".join(x for x in lines if x)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def short_key(*parts):
    text = "|".join(parts)
    readable = slugify(parts[0], allow_unicode=True)[:60]
    return f"{readable}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


# --- Writing ----------------------------------------------------------------------------------

PROGRAM_FIELDS = ["name", "description", "website", "email", "phone"]
MEETING_FIELDS = [
    "name", "weekday", "start_time", "end_time", "timezone", "attendance",
    "temporarily_closed", "conference_url", "conference_url_notes", "conference_phone",
    "conference_phone_notes", "notes", "location_id",
]  # fmt: skip
LOCATION_FIELDS = [
    "name", "street_address", "address_line_2", "city", "state", "postal_code", "country",
    "directions", "timezone", "is_confidential",
]  # fmt: skip


def apply(meetings, summary, *, kind, fellowship, publish, say):
    source = summary.source
    locations, moved_places = save_locations(meetings, source, say)
    programs, touched_programs = save_programs(
        meetings, locations, source, kind, fellowship, publish
    )
    touched_programs |= save_meetings(meetings, programs, locations, summary, say)
    touched_programs |= unpublish_missing(meetings, summary, publish, touched_programs)
    if moved_places or touched_programs:
        # Meetings whose own row did not change still follow their place or program.
        schedule.refresh_positions(
            Meeting.objects.filter(
                Q(location_id__in=moved_places)
                | Q(location__isnull=True, program__location_id__in=moved_places)
                | Q(location__isnull=True, program_id__in=touched_programs)
            )
        )
    if touched_programs:
        say(f"Refreshing the search text of {len(touched_programs):,} programs.")
        ids = sorted(touched_programs)
        for start in range(0, len(ids), BATCH):
            refresh_search_text(Program.objects.filter(pk__in=ids[start : start + BATCH]))


def save_locations(meetings, source, say):
    """Locations by key: the source's earlier rows, updated, plus new ones."""
    existing = {loc.source_id: loc for loc in Location.objects.filter(source=source)}
    wanted = {}
    for meeting in meetings:
        if meeting.place and meeting.place.key not in wanted:
            wanted[meeting.place.key] = meeting.place  # the first mention of a place wins
    now = timezone.now()
    new, changed = [], []
    for key, place in wanted.items():
        location = existing.get(key)
        if location is None:
            location = Location(source=source, source_id=key)
            copy_place(location, place)
            if place.latitude is not None:
                location.latitude, location.longitude = place.latitude, place.longitude
            else:
                fill_coordinates(location)
            location.set_search_position()
            new.append(location)
            existing[key] = location
        elif copy_place(location, place) or moved(location, place):
            if place.latitude is not None:
                location.latitude, location.longitude = place.latitude, place.longitude
                location.coordinates_approximate = False
            location.set_search_position()
            location.updated_at = now
            changed.append(location)
    Location.objects.bulk_create(new, batch_size=BATCH)
    Location.objects.bulk_update(
        changed,
        [*LOCATION_FIELDS, "latitude", "longitude", "coordinates_approximate",
         "search_latitude", "search_longitude", "updated_at"],
        batch_size=BATCH,
    )  # fmt: skip
    if new or changed:
        say(f"Locations: {len(new):,} new, {len(changed):,} changed.")
    return existing, [location.pk for location in changed]


def copy_place(location, place):
    """Set the imported fields; True if any differed."""
    differs = False
    for name in LOCATION_FIELDS:
        value = getattr(place, name)
        if name == "is_confidential":
            # A curator who hides an address keeps it hidden whatever the feed says.
            value = value or location.is_confidential
        if getattr(location, name) != value:
            setattr(location, name, value)
            differs = True
    return differs


def moved(location, place):
    return place.latitude is not None and (location.latitude, location.longitude) != (
        place.latitude,
        place.longitude,
    )


def save_programs(meetings, locations, source, kind, fellowship, publish):
    existing = {p.source_id: p for p in Program.objects.filter(source=source)}
    by_key = defaultdict(list)
    for meeting in meetings:
        by_key[meeting.program_key].append(meeting)
    taken = None
    now = timezone.now()
    new, changed, touched = [], [], set()
    for key, group in by_key.items():
        first = group[0]
        places = Counter(m.place.key for m in group if m.place)
        location = locations[places.most_common(1)[0][0]] if places else None
        values = {
            "name": first.group,
            "description": first.group_notes,
            "website": first.website,
            "email": first.email,
            "phone": first.phone,
        }
        program = existing.get(key)
        if program is None:
            if taken is None:
                taken = taken_slugs(Program)
            program = Program(
                source=source,
                source_id=key,
                kind=kind,
                fellowship=fellowship,
                # As Program.save would set it; bulk_create skips save.
                approach=default_approach(kind, fellowship),
                status=PublicationStatus.PUBLISHED if publish else PublicationStatus.DRAFT,
                location=location,
                **values,
            )
            program.slug = free_slug(program.name, taken)
            new.append(program)
            existing[key] = program
            continue
        differs = [name for name, value in values.items() if getattr(program, name) != value]
        if location is not None and program.location_id != location.pk:
            differs.append("location")
        if differs:
            for name, value in values.items():
                setattr(program, name, value)
            program.location = location
            program.updated_at = now
            changed.append(program)
            touched.add(program.pk)
    Program.objects.bulk_create(new, batch_size=BATCH)
    Program.objects.bulk_update(
        changed, [*PROGRAM_FIELDS, "location", "updated_at"], batch_size=BATCH
    )
    touched |= {p.pk for p in new}
    return existing, touched


def set_schedule(row, place):
    """What Meeting.save would derive, without a query per meeting (bulk writes skip save)."""
    schedule.set_times(row)
    schedule.set_position(row, place)


def save_meetings(meetings, programs, locations, summary, say):
    source = summary.source
    existing = {
        m.source_id: m for m in Meeting.objects.filter(source=source).prefetch_related("types")
    }
    type_ids = dict(MeetingType.objects.values_list("code", "pk"))
    now = timezone.now()
    new, changed, retyped, touched = [], [], [], set()
    for meeting in meetings:
        program = programs[meeting.program_key]
        location = locations[meeting.place.key] if meeting.place else None
        values = {
            "name": meeting.name,
            "weekday": meeting.weekday,
            "start_time": meeting.start_time,
            "end_time": meeting.end_time,
            "timezone": meeting.timezone,
            "attendance": meeting.attendance,
            "temporarily_closed": meeting.temporarily_closed,
            "conference_url": meeting.conference_url,
            "conference_url_notes": meeting.conference_url_notes,
            "conference_phone": meeting.conference_phone,
            "conference_phone_notes": meeting.conference_phone_notes,
            "notes": meeting.notes,
            "location_id": location.pk if location else None,
        }
        row = existing.get(meeting.slug)
        if row is None:
            row = Meeting(program=program, source=source, source_id=meeting.slug, **values)
            set_schedule(row, location or program.location)
            new.append((row, meeting.types))
            summary.created += 1
            continue
        differs = [name for name, value in values.items() if getattr(row, name) != value]
        if row.program_id != program.pk:
            differs.append("program")
        if row.withdrawn_by_source:
            differs.append("status")  # back in the feed after the import archived it
        old_types = {t.code for t in row.types.all()}
        if old_types != meeting.types:
            retyped.append((row, meeting.types))
            differs.append("types")
        if differs:
            touched |= {program.pk, row.program_id}  # the old program loses its types
            for name, value in values.items():
                setattr(row, name, value)
            row.program = program
            if row.withdrawn_by_source:
                row.status, row.withdrawn_by_source = PublicationStatus.PUBLISHED, False
            row.updated_at = now
            set_schedule(row, location or program.location)
            changed.append(row)
            summary.updated += 1
        else:
            summary.unchanged += 1
    Meeting.objects.bulk_create([row for row, _ in new], batch_size=BATCH)
    Meeting.objects.bulk_update(
        changed,
        [
            *MEETING_FIELDS,
            "program",
            "status",
            "withdrawn_by_source",
            "updated_at",
            *schedule.TIME_FIELDS,
            *schedule.POSITION_FIELDS,
        ],
        batch_size=BATCH,
    )
    Through = Meeting.types.through
    if retyped:
        Through.objects.filter(meeting_id__in=[row.pk for row, _ in retyped]).delete()
    Through.objects.bulk_create(
        [
            Through(meeting_id=row.pk, meetingtype_id=type_ids[code])
            for row, codes in [*new, *retyped]
            for code in sorted(codes)
        ],
        batch_size=BATCH * 4,
    )
    touched |= {row.program_id for row, _ in new}
    say(f"Meetings: {summary.created:,} new, {summary.updated:,} changed.")
    return touched


def unpublish_missing(meetings, summary, publish, touched):
    """Archive this source's meetings that left the feed, and programs left with none.

    Only what the import itself archived comes back when the feed lists it again: a
    curator's own decision to archive or hold back a row is never undone.
    """
    present = {m.slug for m in meetings}
    gone = Meeting.objects.filter(source=summary.source, status=PublicationStatus.PUBLISHED)
    gone_ids, touched = [], set(touched)  # programs that lost meetings, to moves or leaving
    for pk, source_id, program_id in gone.values_list("pk", "source_id", "program_id"):
        if source_id not in present:
            gone_ids.append(pk)
            touched.add(program_id)
    for start in range(0, len(gone_ids), BATCH):
        Meeting.objects.filter(pk__in=gone_ids[start : start + BATCH]).update(
            status=PublicationStatus.ARCHIVED, withdrawn_by_source=True
        )
    summary.unpublished = len(gone_ids)
    programs = Program.objects.filter(source=summary.source)
    # A program whose last meetings just left has nothing to attend: it leaves the public
    # pages with them.
    emptied = (
        programs.filter(pk__in=sorted(touched))
        .exclude(status=PublicationStatus.ARCHIVED)
        .exclude(meetings__status=PublicationStatus.PUBLISHED)
    )
    archived = emptied.update(status=PublicationStatus.ARCHIVED, withdrawn_by_source=True)
    if archived:
        summary.warn(f"{archived} programs left with no meetings were archived")
    # One the import archived that has meetings again returns, for a curator to look at.
    returning = programs.filter(
        withdrawn_by_source=True, meetings__status=PublicationStatus.PUBLISHED
    ).values("pk")
    back = Program.objects.filter(pk__in=returning).update(
        status=PublicationStatus.PUBLISHED if publish else PublicationStatus.DRAFT,
        withdrawn_by_source=False,
    )
    if back:
        summary.warn(f"{back} archived programs have meetings again and were restored")
    return touched
