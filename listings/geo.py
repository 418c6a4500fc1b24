"""Places and distances for "near me" searches, all worked out offline.

Visitors type a ZIP code, a town, a county or a state; `resolve_place` turns that into a
point (or, for a state, its code) using the ZIP code centres and counties shipped with the
`zipcodes` package, so no request ever reaches an outside geocoder. A name typed alone means
the one in the site's home state first (settings.HOME_STATE), with the others offered as
"Did you mean". The same data, read once here, also gives importers and the demo loader each
ZIP code's state, centre and time zone (`zip_info`, `state_zone`).

Distances are great-circle (haversine) miles on a spherical Earth, computed in the database
by `distance_expression` after a cheap `bounding_box` prefilter on the indexed
latitude/longitude columns. That works the same on SQLite and PostgreSQL, without PostGIS.
"""

import difflib
import gc
import math
import re
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.db.models import F, FloatField, Func
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .states import STATE_NAMES
from .week import zone_or_none

# Mean Earth radius (IUGG, 6371.0088 km). Distances on this sphere stay within about 0.5%
# of those on the real, slightly flattened Earth: far finer than a ZIP code centre.
EARTH_RADIUS_MILES = 3958.7613
_MILES_PER_DEGREE = math.radians(1) * EARTH_RADIUS_MILES

RADIUS_CHOICES = [1, 2, 5, 10, 25, 50, 100]

# Nothing that people type as a place comes close; refusing longer text early keeps junk
# from costing any work.
MAX_QUERY_LENGTH = 100

MAX_CHOICES = 10
# Also how many same-named places a found one offers: a hint beside the box, not a choice.
MAX_SUGGESTIONS = 5

# A ZIP code's centre lies inside its area, and the ZIP codes on a county's edge are mostly
# rural and large: searching this far beyond the farthest centre takes in the county's rim.
COUNTY_MARGIN_MILES = 5

PLACE_EXAMPLE = _("a ZIP code or a town, such as 45402 or Dayton, OH")


@dataclass(frozen=True)
class PlaceResult:
    """What a visitor's "where" turned out to be.

    `kind` is one of: "zip", "city", "county", "coords" (a point is known); "state" (a whole
    state, `state` holds its code, there is no point); "ambiguous" (pick one of `choices`);
    "unknown" (see `message`, perhaps `suggestions`); "empty" (nothing typed).
    `suggestions` are, for an unknown place, near misses of what was typed and, for a place
    that was found, other places of the same name ("Dayton" found Dayton, OH; Dayton, KY is
    suggested). A county also says how far from its centre it reaches (`reach_miles`), so a
    search around that centre covers all of it.
    Labels in `choices` and `suggestions` are strings ("City, ST", "Name County, ST",
    "Ohio (state)") that resolve_place accepts as they are, so they can be offered as links
    or buttons that search again.
    """

    kind: str
    label: str = ""
    latitude: float | None = None
    longitude: float | None = None
    choices: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    message: str = ""
    state: str = ""
    reach_miles: int = 0

    @property
    def found(self):
        return self.latitude is not None and self.longitude is not None


EMPTY = PlaceResult("empty")


# --- ZIP codes ----------------------------------------------------------------------------


class ZipCode(NamedTuple):
    """One ZIP code as the `zipcodes` package describes it."""

    code: str  # five digits
    city: str  # the postal service's name for the town
    state: str  # two letters; also AA, AE, AP for military mail
    latitude: float | None  # the centre; None where the data has none (military mail: 0,0)
    longitude: float | None
    timezone: str  # an IANA name, or "" where the data has none or a word that is no zone
    active: bool  # False for retired codes
    kind: str  # STANDARD, PO BOX, UNIQUE (one large mail receiver) or MILITARY
    other_cities: list | tuple  # other town names the postal service accepts for it
    area_codes: list | tuple  # telephone area codes, most used first
    county: str  # "Franklin County", "Orleans Parish"; "" where the data has none


@dataclass(frozen=True)
class _ZipCodes:
    by_code: dict  # "45402" -> ZipCode, in the package's order
    state_zones: dict  # "OH" -> the time zone most of the state's ZIP codes are in


_zip_codes = None
_zip_codes_lock = threading.Lock()


def _get_zip_codes():
    global _zip_codes
    # A lighter read than the place index, so importers that only look ZIP codes up never
    # pay for the town names.
    if _zip_codes is None:
        with _zip_codes_lock:
            if _zip_codes is None:
                with _collector_paused():
                    _zip_codes = _read_zip_codes()
    return _zip_codes


@contextmanager
def _collector_paused():
    """Pause Python's cycle collector while a table is built.

    The tables are tens of thousands of objects that all stay; collections in the middle
    only walk them (and the rest of the process) again and again, which is about half the
    time a build takes otherwise. Any garbage cycles made meanwhile are collected once the
    collector is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_zip_codes():
    import zipcodes

    by_code = {}
    zones = {}  # name -> usable, for the few dozen names the data uses
    zone_counts = {}  # state -> {zone: ZIP codes}
    for row in zipcodes.list_all():
        try:
            lat, lng = float(row["lat"]), float(row["long"])
        except (TypeError, ValueError):
            lat = lng = None
        else:
            # Military mail codes carry 0,0: they have no place on the map.
            if (lat == 0 and lng == 0) or not (-90 <= lat <= 90 and -180 <= lng <= 180):
                lat = lng = None
        zone = row.get("timezone") or ""
        if zone not in zones:
            # A few entries hold a place name instead of a zone.
            zones[zone] = zone_or_none(zone) is not None
        if not zones[zone]:
            zone = ""
        code, state = row["zip_code"], row["state"]
        by_code[code] = ZipCode(
            code,
            row["city"],
            state,
            lat,
            lng,
            zone,
            row["active"],
            row["zip_code_type"],
            # The package's own lists, and one shared () for the many empty ones: tens of
            # thousands of new empty lists would slow the build.
            row.get("acceptable_cities") or (),
            row.get("area_codes") or (),
            row.get("county") or "",
        )
        if zone:
            counts = zone_counts.setdefault(state, {})
            counts[zone] = counts.get(zone, 0) + 1
    state_zones = {state: max(counts, key=counts.get) for state, counts in zone_counts.items()}
    return _ZipCodes(by_code=by_code, state_zones=state_zones)


def zip_info(code):
    """The ZipCode for five digits such as "45402", or None if there is no such ZIP code."""
    return _get_zip_codes().by_code.get(code)


def all_zip_codes():
    """Every ZipCode, retired ones and those without a position included, in ZIP order."""
    return _get_zip_codes().by_code.values()


def state_zone(state):
    """The time zone most of a state's ZIP codes are in ("IN": America/Indiana/...), or None."""
    return _get_zip_codes().state_zones.get(state)


# --- The index ----------------------------------------------------------------------------


class _Place(NamedTuple):
    """A town or a county. A tuple because tens of thousands are made at every build."""

    name: str
    state: str
    latitude: float
    longitude: float
    zip_count: int
    reach_miles: int = 0  # a county's: from its centre to beyond its farthest ZIP code

    @property
    def label(self):
        return f"{self.name}, {self.state}"


@dataclass(frozen=True)
class _Index:
    cities: dict  # (key, "OH") -> _Place, for the postal service's own city names
    aliases: dict  # (key, "OH") -> _Place, other names the postal service accepts
    aliases_by_key: dict  # key -> [_Place], most ZIP codes first
    by_key: dict  # key -> [_Place], most ZIP codes first
    keys_by_state: dict  # "OH" -> [key]
    keys: list  # every key in `cities`, for spelling suggestions
    counties: dict  # ("franklin", "OH") -> _Place; the key leaves out "County", "Parish"
    counties_by_key: dict  # "franklin" -> [_Place], most ZIP codes first


_index = None
_index_lock = threading.Lock()


def _get_index():
    global _index
    # Checked twice so that concurrent first requests build the index only once, while
    # later calls never touch the lock.
    if _index is None:
        with _index_lock:
            if _index is None:
                _get_zip_codes()
                with _collector_paused():
                    _index = _build_index()
    return _index


def _build_index():
    # (key, state) -> ({spelling: count}, active lats, active lngs, retired lats, retired lngs)
    city_points = {}
    alias_points = {}
    county_points = {}
    key_cache = {}
    county_keys = {}  # a few thousand names, each met dozens of times

    def key_of(name):
        if name not in key_cache:
            key_cache[name] = _key(name)
        return key_cache[name]

    # (alias key, state) -> {(city key, state): ZIP codes they share}
    alias_owners = {}

    # Called about 100,000 times: it makes nothing new for a row it has seen, and keeps
    # latitudes and longitudes in lists of their own so that sum() can add them up in C.
    def add(table, key, name, state, lat, lng, active):
        entry = table.get((key, state))
        if entry is None:
            entry = table[key, state] = ({}, [], [], [], [])
        names = entry[0]
        names[name] = names.get(name, 0) + 1
        if active:
            entry[1].append(lat)
            entry[2].append(lng)
        else:
            entry[3].append(lat)
            entry[4].append(lng)

    for zip_code in all_zip_codes():
        lat = zip_code.latitude
        if lat is None:
            continue
        state, city, active, lng = (
            zip_code.state,
            zip_code.city,
            zip_code.active,
            zip_code.longitude,
        )
        city_key = key_of(city)
        add(city_points, city_key, city, state, lat, lng, active)
        county = zip_code.county
        if county:
            if county not in county_keys:
                county_keys[county] = _county_key(county)
            if county_keys[county]:
                add(county_points, county_keys[county], county, state, lat, lng, active)
        for other in zip_code.other_cities:
            other_key = key_of(other)
            add(alias_points, other_key, other, state, lat, lng, active)
            owners = alias_owners.setdefault((other_key, state), {})
            owners[city_key, state] = owners.get((city_key, state), 0) + 1

    def centre(entry):
        # Retired ZIP codes still say where a town is, but only when it has no live ones.
        lats, lngs = (entry[1], entry[2]) if entry[1] else (entry[3], entry[4])
        count = len(lats)
        return round(sum(lats) / count, 6), round(sum(lngs) / count, 6), lats, lngs

    def place(key, state, entry):
        names = entry[0]
        lat, lng, lats, _spread = centre(entry)
        return _Place(max(names, key=names.get), state, lat, lng, len(lats))

    cities = {k: place(*k, entry) for k, entry in city_points.items() if k[0]}
    aliases = {}
    for k, entry in alias_points.items():
        if not k[0] or k in cities:
            continue
        owner, shared = max(alias_owners[k].items(), key=lambda item: item[1])
        # An alias covering much of one town is another spelling of it ("Phila", "Colo
        # Spgs") and should be shown as that town; a smaller one is a neighbourhood
        # ("Watts") with a centre of its own.
        owned = city_points.get(owner)
        if owner in cities and shared >= 2 and 2 * shared >= len(owned[1]) + len(owned[3]):
            aliases[k] = cities[owner]
        else:
            aliases[k] = place(*k, entry)

    def county_place(key, state, entry):
        names = entry[0]
        lat0, lng0, lats, lngs = centre(entry)
        # Flat distances are plenty at the size of a county and cheaper to work out for
        # each of its ZIP codes than great circles; the margin dwarfs their error.
        squeeze = math.cos(math.radians(lat0)) ** 2
        farthest = math.sqrt(
            max(
                (a - lat0) ** 2 + (b - lng0) ** 2 * squeeze for a, b in zip(lats, lngs, strict=True)
            )
        )
        return _Place(
            max(names, key=names.get),
            state,
            lat0,
            lng0,
            len(lats),
            math.ceil(farthest * _MILES_PER_DEGREE + COUNTY_MARGIN_MILES),
        )

    by_key, keys_by_state = {}, {}
    for (key, state), found in cities.items():
        by_key.setdefault(key, []).append(found)
        keys_by_state.setdefault(state, []).append(key)
    aliases_by_key = {}
    for (key, _state_code), found in aliases.items():
        aliases_by_key.setdefault(key, []).append(found)

    counties, counties_by_key = {}, {}
    for k, entry in county_points.items():
        counties[k] = found = county_place(*k, entry)
        counties_by_key.setdefault(k[0], []).append(found)

    for found in (*by_key.values(), *aliases_by_key.values(), *counties_by_key.values()):
        found.sort(key=_popularity)
    return _Index(
        cities=cities,
        aliases=aliases,
        aliases_by_key=aliases_by_key,
        by_key=by_key,
        keys_by_state=keys_by_state,
        keys=sorted(by_key),
        counties=counties,
        counties_by_key=counties_by_key,
    )


def preload():
    """Build the place index now rather than on the first search (it takes about a second).

    Call it where a worker process starts, if that first search should be fast too.
    """
    _get_index()


def _popularity(place):
    # The number of ZIP codes is the only size measure in the data; it ranks Springfield,
    # IL above Springfield, VT, which is what people mostly mean.
    return (-place.zip_count, place.state, place.name)


# --- Reading what people type -------------------------------------------------------------

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
_COMPASS = {"n": "north", "s": "south", "e": "east", "w": "west"}
_ALLOWED = re.compile(r"^[A-Za-z0-9 ,.'()\-]+$")
_ZIP = re.compile(r"^(\d{5})(?:[-\s]?\d{4})?$")
_LEADING_ZIP = re.compile(r"^(\d{5})(?:-?\d{4})?(?:[\s,(]|$)")
_TRAILING_ZIP = re.compile(r"(?:^|[\s,])(\d{5})(?:-\d{4})?$")
_COUNTRY_SUFFIX = re.compile(
    r",\s*(?:usa|u\.s\.a\.?|us|u\.s\.?|united states(?: of america)?)\s*$", re.IGNORECASE
)

# What names a whole state when typed alone: "Ohio", "OH", "new york".
_STATE_BY_NAME = {name.lower(): code for code, name in STATE_NAMES.items()}
_STATE_BY_NAME.update({code.lower(): code for code in STATE_NAMES})
# After a town the state may also be written this way ("Georgetown, Washington DC"); alone,
# "Washington DC" is the town.
_STATE_BY_WORDS = {**_STATE_BY_NAME, "washington dc": "DC"}
# "State of Ohio", "New York State", and the "Ohio (state)" that "Did you mean" offers.
_NAMED_STATE = re.compile(
    r"^(?:state of\s+(?P<after>.+)|(?P<before>.+?)\s*(?:\(\s*state\s*\)|\bstate))$",
    re.IGNORECASE,
)
# "Franklin County", "Franklin Co., OH", "Orleans Parish Louisiana". The name holds no comma,
# so "Franklin, CO" stays Franklin in Colorado.
_COUNTY_TEXT = re.compile(
    r"^(?P<name>[^,]+?)\s+(?P<word>county|cnty|co\.?|parish|borough|census area|municipio)"
    r"(?=$|[\s,])[\s,]*(?P<state>.*)$",
    re.IGNORECASE,
)
# How the data names counties and their equivalents; independent cities ("Richmond city")
# are towns to visitors and stay out of the county table.
_COUNTY_NAME = re.compile(r"^(.*\S)\s+(?:county|parish|borough|census area|municipio)$", re.I)


def _words(text):
    return re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))


def _key(name):
    """One spelling for every way of writing a town: "St. Louis", "saint louis", "O'Fallon"."""
    words = _words(_ascii(name))
    if len(words) > 1 and words[0] in _COMPASS:
        words[0] = _COMPASS[words[0]]
    return "".join(_ABBREVIATIONS.get(w, w) for w in words)


def _ascii(text):
    if text.isascii():
        return text
    # People type "Española" and "Cañon City"; the postal data spells them without accents.
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("\u2019", "'").replace("\u2018", "'")


def _state_code(text):
    words = " ".join(text.lower().split())
    return _STATE_BY_WORDS.get(words) or _STATE_BY_WORDS.get(words.replace(".", ""))


def _whole_state(text):
    """The code of the state that the whole text names ("Ohio", "OH", "N.Y."), else None."""
    words = " ".join(text.lower().replace(".", "").split())
    return _STATE_BY_NAME.get(words)


def _county_key(name):
    """The key of a county as the data names it ("Franklin County": "franklin"), else None."""
    match = _COUNTY_NAME.match(name)
    return _key(match.group(1)) if match else None


def _state_choice(code):
    """How "Did you mean" offers a whole state, in words resolve_place reads as that state."""
    return f"{STATE_NAMES[code]} (state)"


def _clean(text):
    """The visitor's text tidied up, or None if it cannot be a place name at all."""
    text = " ".join(_ascii(text).split())
    if not _ALLOWED.match(text) or not re.search(r"[A-Za-z0-9]", text):
        return None
    return _COUNTRY_SUFFIX.sub("", text).strip(" ,")


def resolve_place(text):
    """Turn a ZIP code, a town, a county or a state into a PlaceResult. Never raises.

    A name typed alone ("Dayton", "Hamilton County") means the one in settings.HOME_STATE
    when there is one there; otherwise the only one of that name, else a choice.
    """
    if text is None:
        return EMPTY
    if not isinstance(text, str):
        text = str(text)
    # Measure before any other work, so a pasted novel costs nothing.
    if len(text) > MAX_QUERY_LENGTH:
        return _unreadable()
    text = text.strip()
    if not text:
        return EMPTY
    return _resolve(text, settings.HOME_STATE)


@lru_cache(maxsize=2048)
def _resolve(text, home):
    cleaned = _clean(text)
    if cleaned is None:
        return _unreadable()
    index = _get_index()

    match = _LEADING_ZIP.match(cleaned) or _TRAILING_ZIP.search(cleaned)
    if match:
        code = match.group(1)
        found = zip_info(code)
        if found is not None and found.latitude is not None:
            return PlaceResult(
                "zip",
                label=f"{code} ({found.city}, {found.state})",
                latitude=found.latitude,
                longitude=found.longitude,
            )
        rest = cleaned[: match.start(1)].strip(" ,")
        if not rest:
            return PlaceResult(
                "unknown",
                message=format_lazy(
                    _(
                        "We don't know the ZIP code {code}. Check the number, or type a town "
                        "instead, such as Dayton, OH."
                    ),
                    code=code,
                ),
            )
        # "Dayton, OH 45499": the ZIP code is unknown but the town may not be.
        cleaned = rest
    elif cleaned.replace("-", "").replace(" ", "").isdigit():
        return PlaceResult(
            "unknown",
            message="A ZIP code has five digits, such as 45402. Check the number and try again.",
        )

    named = _NAMED_STATE.match(cleaned)
    if named and not _is_town(cleaned, index):
        state = _whole_state(named.group("after") or named.group("before"))
        if state:
            return _state(state, index.by_key.get(_key(STATE_NAMES[state]), ()))
    county = _county(cleaned, index, home)
    if county is not None:
        return county
    if _whole_state(cleaned):
        # Before splitting off a state, which would read "West Virginia" as West, VA.
        return _bare_name(cleaned, index, home)
    city, state = _split_state(cleaned, index)
    if state is None:
        return _bare_name(cleaned, index, home)
    return _city_in_state(city, state, cleaned, index)


def _is_town(text, index):
    key = _key(text)
    return key in index.by_key or key in index.aliases_by_key


def _split_state(text, index):
    """("Dayton", "OH") from "Dayton, OH", "dayton oh" or "Dayton Ohio"; (text, None) if none.

    Without a comma the whole text is first tried as a town, so that "Fort Washington" stays
    a town.
    """
    if "," in text:
        city, _comma, tail = text.rpartition(",")
        code = _state_code(tail)
        if code is None:
            # Keep what the visitor wrote so the message can name it.
            return city.strip(), tail.strip() or None
        return city.strip(), code
    words = text.split()
    if len(words) < 2 or _key(text) in index.by_key:
        return text, None
    for size in (3, 2, 1):
        if len(words) > size:
            code = _state_code(" ".join(words[-size:]))
            if code:
                return " ".join(words[:-size]), code
    return text, None


def _city_in_state(city, state, typed, index):
    key = _key(city)
    if not key:
        return _unreadable()
    place = index.cities.get((key, state)) or index.aliases.get((key, state))
    if place:
        return _town(place)
    if state not in index.keys_by_state:
        suggestions = [p.label for p in index.by_key.get(key, ())][:MAX_SUGGESTIONS]
        return PlaceResult(
            "unknown",
            suggestions=tuple(suggestions),
            message=format_lazy(
                _(
                    "We don't recognise “{state}” as a US state. Use the two-letter code, "
                    "as in Dayton, OH."
                ),
                state=state,
            ),
        )
    suggestions = [
        index.cities[k, state].label
        for k in difflib.get_close_matches(
            key, index.keys_by_state[state], n=MAX_SUGGESTIONS, cutoff=0.75
        )
    ]
    # The same name in another state is the next most likely slip.
    suggestions += [p.label for p in index.by_key.get(key, ()) if p.label not in suggestions]
    return _not_found(typed, suggestions)


def _bare_name(text, index, home):
    """A town or a state named alone: the home state's town first, then the state."""
    key = _key(text)
    if not key:
        return _unreadable()
    found = index.by_key.get(key) or index.aliases_by_key.get(key, [])
    state = _whole_state(text)
    at_home = next((p for p in found if p.state == home), None)
    if at_home:
        # "Delaware" in Ohio is the town there; the state stays one click away.
        others = [_state_choice(state)] if state else []
        return _town(at_home, others + [p.label for p in found if p is not at_home])
    if state:
        # "Ohio" alone almost always means the state, not Ohio, IL.
        return _state(state, found)
    if len(found) == 1:
        return _town(found[0])
    if found:
        return PlaceResult(
            "ambiguous",
            choices=tuple(p.label for p in found[:MAX_CHOICES]),
            message=format_lazy(
                _("There is more than one {name}. Which one do you mean?"), name=found[0].name
            ),
        )
    suggestions = [
        index.by_key[k][0].label
        for k in difflib.get_close_matches(key, index.keys, n=MAX_SUGGESTIONS, cutoff=0.8)
    ]
    return _not_found(text, suggestions)


def _county(text, index, home):
    """A PlaceResult if the text names a county ("Franklin County, OH"), else None."""
    match = _COUNTY_TEXT.match(text)
    if not match:
        return None
    key = _key(match.group("name"))
    found = index.counties_by_key.get(key, []) if key else []
    # "Orleans Parish" is the one in Louisiana, not Orleans County, VT.
    word = match.group("word").lower()
    word = "county" if word in ("cnty", "co", "co.") else word
    found = [c for c in found if c.name.lower().endswith(word)] or found
    written_state = match.group("state").strip()
    if written_state:
        state = _state_code(written_state)
        if state is None:
            return None  # "Franklin County Line Rd": not a county after all
        county = index.counties.get((key, state))
        if county:
            return _county_place(county, ())  # the state was given: no other is meant
        if not found or _is_town(text[: match.start("state")].strip(" ,"), index):
            return None  # perhaps a town such as Cornwall Borough, PA
        return _not_found(text, [c.label for c in found])
    if not found:
        return None
    at_home = next((c for c in found if c.state == home), None)
    if at_home or len(found) == 1:
        return _county_place(at_home or found[0], found)
    return PlaceResult(
        "ambiguous",
        choices=tuple(c.label for c in found[:MAX_CHOICES]),
        message=format_lazy(
            _("There is more than one {name}. Which one do you mean?"), name=found[0].name
        ),
    )


def _town(place, others=()):
    return PlaceResult(
        "city",
        label=place.label,
        latitude=place.latitude,
        longitude=place.longitude,
        suggestions=tuple(others[:MAX_SUGGESTIONS]),
    )


def _county_place(county, same_name):
    return PlaceResult(
        "county",
        label=county.label,
        latitude=county.latitude,
        longitude=county.longitude,
        reach_miles=county.reach_miles,
        suggestions=tuple(c.label for c in same_name if c is not county)[:MAX_SUGGESTIONS],
    )


def _state(code, same_name):
    return PlaceResult(
        "state",
        label=STATE_NAMES[code],
        state=code,
        suggestions=tuple(p.label for p in same_name)[:MAX_SUGGESTIONS],
    )


def _not_found(typed, suggestions):
    suggestions = tuple(suggestions[:MAX_SUGGESTIONS])
    if suggestions:
        message = format_lazy(
            _("We couldn't find “{typed}”. Did you mean one of these?"), typed=typed
        )
    else:
        message = format_lazy(
            _("We couldn't find “{typed}”. Check the spelling, or try {example}."),
            typed=typed,
            example=PLACE_EXAMPLE,
        )
    return PlaceResult("unknown", suggestions=suggestions, message=message)


def _unreadable():
    return PlaceResult(
        "unknown",
        message=format_lazy(
            _("That doesn't look like a place. Please type {example}."), example=PLACE_EXAMPLE
        ),
    )


def unreadable_position():
    """What to say when the browser's position came through unusable."""
    return PlaceResult(
        "unknown",
        message=_(
            "We couldn't use the location your browser sent. Type a ZIP code or a town "
            "instead, such as 45402 or Dayton, OH."
        ),
    )


def parse_coordinates(lat, lng):
    """A PlaceResult for the browser's "use my location" fields, or None if they're unusable.

    The position is rounded to about 100 m: plenty for a radius in miles, and it keeps a
    visitor's exact whereabouts out of any link or form the page builds from it.
    """
    values = []
    for raw in (lat, lng):
        if raw is None or isinstance(raw, bool):
            return None
        if isinstance(raw, str):
            raw = raw.strip()
            if not raw or len(raw) > 32:
                return None
        try:
            value = float(raw)
        except (TypeError, ValueError, OverflowError):
            return None
        if not math.isfinite(value):
            return None
        values.append(value)
    latitude, longitude = values
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return PlaceResult(
        "coords", label="your location", latitude=round(latitude, 3), longitude=round(longitude, 3)
    )


# --- Distances ----------------------------------------------------------------------------

# Float rounding can push the haversine term a hair past 1 for points at opposite ends of
# the Earth; ASIN then fails (an error on PostgreSQL and in Django's SQLite function). The
# factor changes real distances by one part in 10**15.
_ASIN_GUARD = 1 - 1e-15
# Widening the box by a few millimetres keeps rows exactly on the radius inside it whatever
# the last bit of rounding does.
_BOX_PADDING = 1e-9


def haversine_miles(lat1, lng1, lat2, lng2):
    """Great-circle distance in miles; the same formula distance_expression runs in SQL."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) * 0.5
    half_dlam = (math.radians(lng2) - math.radians(lng1)) * 0.5
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlam) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


class Miles(Func):
    """Miles from a fixed point to each row's position: the haversine formula in one node.

    Written as Django's function expressions it is some twenty nested nodes, which Django
    copies and resolves again for every query that uses it; a distance search repeats it in
    up to nine queries, and that was most of such a page's Python time.
    """

    output_field = FloatField()
    arity = 2

    def __init__(self, lat_field, lng_field, *, origin):
        super().__init__(F(lat_field), F(lng_field))
        self.origin = origin

    def as_sql(self, compiler, connection, **extra_context):
        (lat, lat_params), (lng, lng_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        lat0, lng0 = (math.radians(degrees) for degrees in self.origin)
        # cos(lat0) is a constant for the whole query, so Python works it out once.
        sql = (
            f"(%s * ASIN(SQRT(POWER(SIN((RADIANS({lat}) - %s) * 0.5), 2)"
            f" + %s * COS(RADIANS({lat})) * POWER(SIN((RADIANS({lng}) - %s) * 0.5), 2)) * %s))"
        )
        params = [
            2 * EARTH_RADIUS_MILES,
            *lat_params,
            lat0,
            math.cos(lat0),
            *lat_params,
            *lng_params,
            lng0,
            _ASIN_GUARD,
        ]
        return sql, params


def distance_expression(lat, lng, lat_field="latitude", lng_field="longitude"):
    """Miles from (lat, lng) to each row's position, as an expression the database computes.

    Rows without coordinates get NULL. Use it with .alias()/.annotate(), filter on it and
    order by it; pair it with bounding_box() so the database can use its index first.
    """
    return Miles(lat_field, lng_field, origin=(lat, lng))


def bounding_box(lat, lng, miles):
    """(min_lat, max_lat, min_lng, max_lng) holding every point within `miles` of (lat, lng).

    A box is what a plain B-tree index can answer; the exact distance then trims its corners.
    Near a pole or across the 180° meridian the box spans every longitude rather than wrap,
    which stays correct and only costs speed in places with almost no listings.
    """
    if not (math.isfinite(miles) and miles >= 0):
        raise ValueError("The radius must be a non-negative number of miles.")
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValueError("Latitude or longitude out of range.")
    reach = miles / EARTH_RADIUS_MILES * (1 + _BOX_PADDING) + _BOX_PADDING
    phi = math.radians(lat)
    low, high = phi - reach, phi + reach
    min_lat = max(math.degrees(low), -90.0)
    max_lat = min(math.degrees(high), 90.0)
    if low <= -math.pi / 2 or high >= math.pi / 2:
        return min_lat, max_lat, -180.0, 180.0
    # The widest point of a circle on a sphere is not level with its centre but slightly
    # poleward, which is why this is asin(sin r / cos lat) and not the flat r / cos lat.
    spread = math.degrees(math.asin(min(1.0, math.sin(reach) / math.cos(phi))))
    min_lng, max_lng = lng - spread, lng + spread
    if min_lng < -180 or max_lng > 180:
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, min_lng, max_lng


# --- Listings' own positions --------------------------------------------------------------


def approximate_coordinates(postal_code="", city="", state=""):
    """(lat, lng) of a ZIP code's centre, else of the town's centre; None if neither is known.

    A ZIP code from another state than the one given is taken as a typo and not used.
    """
    state = (state or "").strip().upper()
    match = _ZIP.match((postal_code or "").strip())
    found = zip_info(match.group(1)) if match else None
    if found is not None and found.latitude is not None and (not state or found.state == state):
        return found.latitude, found.longitude
    if city and state:
        index = _get_index()
        key = _key(city)
        place = index.cities.get((key, state)) or index.aliases.get((key, state))
        if place:
            return place.latitude, place.longitude
    return None


def fill_coordinates(location):
    """Give a Location without coordinates its ZIP code's (or town's) centre; True if it did.

    The position is marked approximate so curators know to replace it with the door's.
    Coordinates already there, which a curator may have set, are never touched. The caller
    saves the row.
    """
    if location.latitude is not None or location.longitude is not None:
        return False
    point = approximate_coordinates(location.postal_code, location.city, location.state)
    if point is None:
        return False
    location.latitude, location.longitude = point
    location.coordinates_approximate = True
    return True


def zone_of_place(place):
    """The IANA zone a searched place keeps its clocks on, or "" when it cannot be told.

    A ZIP code knows its own zone; a town, its state's main one. Meetings near the place are
    shown on that clock.
    """
    label = place.label or ""
    if place.kind == "state":
        return state_zone(place.state) or ""
    if place.kind == "zip":
        info = zip_info(label[:5])
        return info.timezone if info else ""
    state = label.rsplit(",", 1)[-1].strip() if "," in label else ""
    return state_zone(state) if len(state) == 2 else ""
