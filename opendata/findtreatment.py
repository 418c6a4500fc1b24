"""Load a FindTreatment.gov facility download into draft treatment centres.

SAMHSA's locator (findtreatment.gov) lets anyone download a search's results as CSV: one
row per facility with its name, address, phones, website and position, then one 0/1 column
per service code (about 315 of them; `opendata/data/findtreatment-service-codes.csv`).
`import_findtreatment` turns each row into a TreatmentCenter with one Location, and the
codes into our own vocabulary through the tables below.

Keying. The download has no identifier column, so a facility is known by its normalised
name1 + street1 + 5-digit ZIP (see `facility_key`). When the file has a `frid` column (the
locator's own facility id, present in older exports) its value is used instead. The API's
`_irow` is ignored: it numbers the rows of one result list, so the same facility gets a
different one in the next search. A facility that renames itself or moves therefore comes
back as a new draft; curators archive the old row.

What a re-import may change. New facilities are created as drafts for curators to review.
For facilities loaded before, the fields the file supplies are brought up to date and the
publication status, slug, description, e-mail and verification date are never touched. A
field whose column is absent from the file is left alone, and so is every service option
none of whose codes is a column: a narrower download never wipes what a wider one said.
Options that nothing in the file can express (a language with no SAMHSA code, say) are
left as curators set them. Facilities missing from the file are left alone too, since a
download is usually one search (a state, a radius), not the whole directory.

Rows describing the same facility (same key, or same name, street and ZIP) are merged:
the centre gets the union of their service codes, see `read_facilities`.

Rows that cannot be placed or named are rejected with their row number; mental-health-only
facilities (type_facility MH with no substance use treatment) are skipped, because this
directory lists addiction treatment.
"""

import csv
import hashlib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from listings.cache import listings_changed
from listings.geo import STATE_NAMES, approximate_coordinates, state_zone, zip_info
from listings.models import Location, PublicationStatus, free_slug, taken_slugs
from programs.models import (
    Audience,
    Language,
    LevelOfCare,
    Medication,
    Payment,
    ServiceOption,
    TreatmentCenter,
)

from . import readers
from .readers import clean_text
from .summary import ImportFileError, ImportSummary

DEFAULT_SOURCE = "findtreatment"
CODES_FILE = Path(__file__).resolve().parent / "data" / "findtreatment-service-codes.csv"
PROGRESS_EVERY = 500
BATCH = 1000

REQUIRED_COLUMNS = ("name1", "street1", "city", "state", "zip")
# Columns we know and read, or know and deliberately ignore, so they raise no warning.
OTHER_COLUMNS = (
    "name2", "street2", "zip4", "county", "phone", "intake_prompt", "intake1", "intake2",
    "website", "latitude", "longitude", "type_facility", "frid", "_irow", "hotline1",
    "miles",
)  # fmt: skip

# --- From SAMHSA's codes to our vocabulary ----------------------------------------------------
#
# Each table reads: our option <- the SAMHSA codes, any one of which (value 1) gives it.
# Only treatment for substance use is mapped; the mental-health-only codes (facility types,
# antipsychotics, ECT...) have no counterpart here and are read but not used.

LEVELS_OF_CARE = {
    LevelOfCare.DETOX: (
        "DT", "HID", "RD", "OD",  # detox in general, in hospital, residential, outpatient
        "ADTX", "BDTX", "CDTX", "MDTX", "ODTX",  # detox from one substance
        "DM", "DB", "DLC",  # methadone, buprenorphine, lofexidine/clonidine detox
    ),
    # We have no separate inpatient level; 24-hour hospital care is closest to residential.
    LevelOfCare.RESIDENTIAL: ("RES", "RS", "RL", "HI", "HIT"),
    LevelOfCare.PHP: ("ODT", "PHDT", "PH"),
    LevelOfCare.IOP: ("OIT",),
    LevelOfCare.OUTPATIENT: ("OP", "ORT", "OMB"),
    LevelOfCare.MAT: (
        "OTP", "SOTP", "MM", "BUM", "MWS",  # opioid treatment programmes, maintenance
        "MU", "BU", "NU", "UB", "UN", "RPN",  # opioid medications used or prescribed
        "METH", "BWN", "BWON", "BERI", "BSDM", "NXN", "VTRL",  # the medications themselves
        "PMAT", "ACM", "DSF",  # medication for alcohol use disorder
    ),
    LevelOfCare.TRANSITIONAL_HOUSING: ("HH",),
    LevelOfCare.TELEHEALTH: ("TELE",),
}  # fmt: skip

# SAMHSA has no code for office-based opioid treatment: a facility counts as OBOT when it
# works in an outpatient setting and offers buprenorphine.
OBOT_SETTING = ("OP",)
OBOT_BUPRENORPHINE = ("BU", "UB", "BWN", "BWON")

MEDICATIONS = {
    Medication.METHADONE: ("MU", "METH", "MM", "DM"),
    Medication.BUPRENORPHINE: ("BU", "UB", "BUM", "DB", "BWN", "BWON", "BERI", "BSDM"),
    Medication.NALTREXONE: ("NU", "UN", "RPN", "NXN", "VTRL"),
}

PAYMENTS = {
    Payment.MEDICAID: ("MD",),
    Payment.MEDICARE: ("MC",),
    Payment.PRIVATE: ("PI",),
    Payment.TRICARE: ("MI",),
    Payment.SLIDING_SCALE: ("SS",),
    Payment.SELF_PAY: ("SF",),
    Payment.FREE: ("NP",),  # "no payment accepted"
}

# Audience slugs. Special programmes only: "accepts women" (FEM) or "accepts adults" (ADLT)
# says who may come, not that a group is run for them.
POPULATIONS = {
    "women": ("WN",),
    "men": ("MN",),
    "young-people": ("AD", "TAY"),
    "seniors": ("SE",),
    "lgbtq": ("GL",),  # gone from the 2025 exports, kept for older files
    "veterans": ("VET", "ADM", "MF"),
    "pregnant-postpartum": ("PW",),
    "justice-involved": ("CJ", "DU"),
}

# Language codes (BCP 47) of the Language rows to link. Languages with no row yet are named
# in the summary so a curator can add the row; English is not coded because every
# facility offers it.
LANGUAGES = {
    "es": ("SP",),
    "ase": ("AH",),  # "sign language services for the deaf and hard of hearing"
    "ar": ("F4",),
    "zh": ("F17",),
    "ht": ("F19",),  # "Creole": in US treatment services that is nearly always Haitian
    "fa": ("F25",),
    "fr": ("F28",),
    "de": ("F30",),
    "el": ("F31",),
    "he": ("F35",),
    "hi": ("F36",),
    "hmn": ("F37",),
    "it": ("F42",),
    "ja": ("F43",),
    "ko": ("F47",),
    "pl": ("F66",),
    "pt": ("F67",),
    "ru": ("F70",),
    "tl": ("F81",),
    "vi": ("F92",),
    "hop": ("N13",),
    "lkt": ("N18",),
    "nv": ("N23",),
    "oj": ("N24",),
    "ypk": ("N40",),
}
ENGLISH = "en"

PEER_SUPPORT = ("PEER", "RC", "SHG")  # peer mentoring, recovery coaches, self-help groups

# Facilities that treat substance use; a type_facility "MH" row with none of these is a
# mental-health-only facility.
SUBSTANCE_USE = ("SA", "SUMH")

# M2M field -> (table, kind of row it links to).
M2M_TABLES = {
    "levels_of_care": LEVELS_OF_CARE,
    "medications": MEDICATIONS,
    "payment_options": PAYMENTS,
    "populations": POPULATIONS,
    "languages": LANGUAGES,
}

FLAGS = {
    "1": True, "0": False, "": False, "y": True, "n": False, "yes": True, "no": False,
    "true": True, "false": False, "t": True, "f": False, "x": True, "1.0": True, "0.0": False,
}  # fmt: skip

CENTER_FIELDS = ("name", "website", "intake_phone", "hotline_phone", "offers_peer_support")


@cache
def service_codes():
    """{code: name} for every code in SAMHSA's list, as kept in programs/data."""
    with CODES_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


# --- Entry point ------------------------------------------------------------------------------


def import_findtreatment(file, *, source=DEFAULT_SOURCE, dry_run=False, progress=None):
    """Create or update treatment centres from a FindTreatment.gov CSV download.

    `file` is a text or binary file object (an uploaded file will do) or bytes. Raises
    ImportFileError, with nothing changed, when the file as a whole cannot be read; bad rows
    are rejected one by one in the returned summary. `progress` gets short status lines, and
    with the row counts ones also `done` and `total` as keywords.
    """
    source = (source or "").strip()
    if not source or len(source) > TreatmentCenter._meta.get_field("source").max_length:
        raise ValueError("The source must be a short non-empty name, such as findtreatment.")
    say = progress or (lambda message, **counts: None)
    summary = ImportSummary(source=source, dry_run=dry_run)
    text = read_text(file, summary)
    facilities, managed = read_facilities(text, summary, say)
    say(f"Saving {len(facilities):,} treatment centres.")
    with transaction.atomic():
        apply(facilities, managed, source, summary, say)
        if dry_run:
            transaction.set_rollback(True)
        else:
            listings_changed()  # bulk writes send no signals
    return summary


# --- Reading the file -------------------------------------------------------------------------


def read_text(file, summary):
    if isinstance(file, bytes | bytearray | memoryview):
        data = bytes(file)
    else:
        try:
            if file.seekable():
                # An uploaded file may have been read once already (size or type checks).
                file.seek(0)
        except (AttributeError, OSError, ValueError):
            pass
        data = file.read()
    if isinstance(data, str):
        text = data
    else:
        if data.startswith(b"PK\x03\x04"):
            raise ImportFileError(
                "This is a spreadsheet or ZIP archive, not CSV. Download the CSV version from "
                "FindTreatment.gov, or save the sheet as CSV (UTF-8) first."
            )
        if b"\x00" in data:
            raise ImportFileError("This file is binary, not a CSV text file.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                # What Excel writes when a CSV is saved on Windows without choosing UTF-8.
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise ImportFileError(
                    "This file is not readable text (neither UTF-8 nor Windows-1252)."
                ) from None
            summary.warn("The file was not UTF-8; it was read as Windows-1252 text.")
    if "\x00" in text:
        raise ImportFileError("This file is binary, not a CSV text file.")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ImportFileError("The file is empty.")
    return text


@dataclass
class Facility:
    """One readable row of the download, in our terms; None means "the file does not say"."""

    line: int
    key: str
    name: str
    website: str | None
    intake_phone: str | None
    hotline_phone: str | None
    offers_peer_support: bool | None
    place: dict
    options: dict = field(default_factory=dict)  # m2m field -> set of targets
    name_key: str = ""  # facility_key of name, street and ZIP, whatever `key` is
    mental_health_only: bool = False
    rows: int = 1  # how many rows of the file describe this facility
    codes: set = field(default_factory=set)  # the service codes set to 1

    def absorb(self, other):
        """Take in another row of the same facility: the union of what both say."""
        self.rows += 1
        self.mental_health_only &= other.mental_health_only
        for m2m, targets in other.options.items():
            self.options.setdefault(m2m, set()).update(targets)
        # The first row's contacts win; a later row fills only what the first left blank.
        for name in ("website", "intake_phone", "hotline_phone"):
            if not getattr(self, name):
                setattr(self, name, getattr(other, name) or getattr(self, name))
        if other.offers_peer_support is not None:
            self.offers_peer_support = bool(self.offers_peer_support) or other.offers_peer_support
        # Outpatient on one row and buprenorphine on the other still make office-based care.
        self.codes |= other.codes
        if self.codes.intersection(OBOT_SETTING) and self.codes.intersection(OBOT_BUPRENORPHINE):
            self.options["levels_of_care"].add(LevelOfCare.OBOT)


@dataclass
class Header:
    columns: dict  # our column name -> index
    codes: list  # [(index, code)]
    present: set  # the codes that have a column
    managed: dict  # m2m field -> targets the file can speak about
    width: int


class RowError(Exception):
    pass


def read_facilities(text, summary, say):
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Spreadsheets saved in some locales use semicolons or tabs; the header tells which.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = []
        header = None
        start = 1
        for cells in reader:
            if any(c.strip() for c in cells):
                if header is None:
                    header = read_header(cells, summary)
                else:
                    rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(f"Line {reader.line_num} is not valid CSV: {exc}.") from None
    if not rows:
        raise ImportFileError("The file has a header row but no facilities.")

    # One facility often fills several rows (typically one for its substance use services
    # and one for its mental health services, each with its own codes): rows with the same
    # key, or the same name, street and ZIP code, become one centre with what they all say.
    facilities, groups = [], {}
    skipped_mental_health = 0
    for number, (line, cells) in enumerate(rows, start=1):
        if number % PROGRESS_EVERY == 0:
            say(f"Checked {number:,} of {len(rows):,} rows.", done=number, total=len(rows))
        label = row_label(line, cells, header)
        try:
            facility = read_row(line, cells, header, summary)
        except RowError as exc:
            summary.reject(label, str(exc))
            continue
        if facility is None:
            skipped_mental_health += 1
            continue
        group = groups.get(facility.key) or groups.get(facility.name_key)
        if group is None:
            groups[facility.key] = groups[facility.name_key] = facility
            facilities.append(facility)
        else:
            group.absorb(facility)
    merged = [f for f in facilities if f.rows > 1]
    if merged:
        summary.merged_rows = sum(f.rows for f in merged)
        summary.merged_into = len(merged)
    # A facility is mental-health-only when none of its rows says it treats substance use.
    kept = [f for f in facilities if not f.mental_health_only]
    skipped_mental_health += sum(f.rows for f in facilities if f.mental_health_only)
    if skipped_mental_health:
        summary.warnings[
            "Skipped mental-health-only facilities (type_facility MH, no substance use "
            "treatment): this directory lists addiction treatment."
        ] = skipped_mental_health
    facilities = kept
    return facilities, header.managed


def read_header(cells, summary):
    known = service_codes()
    ours = {*REQUIRED_COLUMNS, *OTHER_COLUMNS}
    columns, codes, seen = {}, [], set()
    for index, raw in enumerate(cells):
        name = clean_text(raw, one_line=True)
        if not name:
            continue  # the empty column a trailing comma makes
        key = name.lower() if name.lower() in ours else name.upper()
        if key in seen:
            raise ImportFileError(f"The column “{name}” appears twice in the header.")
        seen.add(key)
        if key in ours:
            columns[key] = index
        elif key in known:
            codes.append((index, key))
        else:
            summary.warn(f"Column “{name}” is not a known FindTreatment service code; ignored.")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportFileError(
            f"The header has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}. "
            "Is this a FindTreatment.gov facility download saved as CSV?"
        )
    if not codes:
        summary.warn("The file has no service code columns; only names and places were read.")
    present = {code for _, code in codes}
    managed = {
        name: {target for target, sources in table.items() if present.intersection(sources)}
        for name, table in M2M_TABLES.items()
    }
    if present.intersection(OBOT_SETTING) and present.intersection(OBOT_BUPRENORPHINE):
        managed["levels_of_care"].add(LevelOfCare.OBOT)
    managed["languages"].add(ENGLISH)
    return Header(columns, codes, present, managed, width=len(cells))


def row_label(line, cells, header):
    index = header.columns["name1"]
    name = clean_text(cells[index], one_line=True) if index < len(cells) else ""
    return f"row {line} “{name[:80]}”" if name else f"row {line}"


def read_row(line, cells, header, summary):
    if len(cells) < header.width:
        raise RowError(
            f"it has {len(cells)} values where the header has {header.width} columns; "
            "the line looks cut short."
        )
    if any(c.strip() for c in cells[header.width :]):
        raise RowError(
            f"it has more values than the header's {header.width} columns; a comma inside "
            "an unquoted value may have split it."
        )
    cols = header.columns

    def value(column):
        return clean_text(cells[cols[column]], one_line=True) if column in cols else ""

    yes = set()
    for index, code in header.codes:
        cell = cells[index]
        flag = FLAGS.get(cell) if cell in FLAGS else FLAGS.get(cell.strip().lower())
        if flag is None:
            raise RowError(f"the {code} column holds “{cell.strip()[:20]}”; expected 1 or 0.")
        if flag:
            yes.add(code)

    mental_health_only = value("type_facility").upper() == "MH" and not yes.intersection(
        SUBSTANCE_USE
    )
    try:
        facility = read_facility(line, value, cols, yes, header, summary)
    except RowError:
        if mental_health_only:
            return None  # skipped in any case: its faults are not worth a rejection
        raise
    facility.mental_health_only = mental_health_only
    return facility


def read_facility(line, value, cols, yes, header, summary):
    name1 = value("name1")
    if not name1:
        raise RowError("it has no facility name (name1).")
    name = name1
    name2 = value("name2")
    if name2 and name2.casefold() not in name1.casefold():
        name = f"{name1} – {name2}"
    limit = TreatmentCenter._meta.get_field("name").max_length
    if len(name) > limit:
        name = name1
    if len(name) > limit:
        raise RowError(f"the name is longer than {limit} characters.")

    place = read_place(value, summary)

    if "frid" in cols and value("frid"):
        key = f"frid-{value('frid')}"
        if len(key) > 120:  # no real frid is this long, but two must never share a key
            key = "frid-" + hashlib.sha256(key.encode()).hexdigest()
    name_key = facility_key(name1, value("street1"), place["postal_code"])
    if "frid" not in cols or not value("frid"):
        key = name_key

    website = read_website(value("website"), summary) if "website" in cols else None
    intake = None
    if "intake1" in cols or "phone" in cols:
        intake = read_phone(value("intake1") or value("phone"), summary)
    hotline = read_phone(value("hotline1"), summary) if "hotline1" in cols else None
    peer = None
    if header.present.intersection(PEER_SUPPORT):
        peer = bool(yes.intersection(PEER_SUPPORT))

    options = {
        m2m: {target for target, sources in table.items() if yes.intersection(sources)}
        for m2m, table in M2M_TABLES.items()
    }
    if yes.intersection(OBOT_SETTING) and yes.intersection(OBOT_BUPRENORPHINE):
        options["levels_of_care"].add(LevelOfCare.OBOT)
    options["languages"].add(ENGLISH)
    return Facility(
        line=line,
        key=key,
        name=name,
        website=website,
        intake_phone=intake,
        hotline_phone=hotline,
        offers_peer_support=peer,
        place=place,
        options=options,
        name_key=name_key,
        codes=yes,
    )


_ZIP = re.compile(r"^(\d{3,5})(?:-?(\d{4}))?$")


_STATE_CODES = {name.upper(): code for code, name in STATE_NAMES.items()}


def read_place(value, summary):
    city, state = value("city"), value("state").upper()
    state = _STATE_CODES.get(state, state)
    if not city or not state:
        raise RowError("it has no city or no state.")
    if state not in STATE_NAMES:
        raise RowError(f"“{state[:20]}” is not a US state or territory code.")
    street = value("street1")
    for text, column, limit in (
        (street, "street1", 200),
        (value("street2"), "street2", 200),
        (city, "city", 100),
    ):
        if len(text) > limit:
            raise RowError(f"{column} is longer than {limit} characters.")

    raw_zip = value("zip")
    zip_code = ""
    if raw_zip:
        match = _ZIP.match(raw_zip)
        if not match:
            raise RowError(f"the ZIP code “{raw_zip[:20]}” is not a US ZIP code.")
        # Spreadsheets drop the leading zeros of New England and New Jersey ZIP codes.
        zip_code = match.group(1).zfill(5)

    latitude, longitude = read_coordinates(value("latitude"), value("longitude"), summary)
    approximate = False
    if latitude is None:
        point = approximate_coordinates(zip_code, city, state)
        if point:
            latitude, longitude = point
            approximate = True
            summary.warn("No position given: placed at the ZIP code's centre.")
        else:
            summary.warn("No position given and the ZIP code is unknown: left off the map.")
    return {
        "street_address": street,
        "address_line_2": value("street2"),
        "city": city,
        "state": state,
        "postal_code": zip_code,
        "latitude": latitude,
        "longitude": longitude,
        "coordinates_approximate": approximate,
        "timezone": zone_for(zip_code, state, summary),
    }


def read_coordinates(lat_text, lng_text, summary):
    try:
        return readers.read_coordinates(lat_text, lng_text)
    except readers.Incomplete:
        raise RowError("it gives only one of latitude and longitude.") from None
    except readers.Unreadable:
        raise RowError(
            f"the position “{lat_text[:20]}, {lng_text[:20]}” is not a pair of numbers."
        ) from None
    except readers.OffTheGlobe:
        raise RowError(f"the position {lat_text[:20]}, {lng_text[:20]} is off the globe.") from None
    except readers.NotGeocoded:
        # 0,0 is in the Gulf of Guinea: a placeholder for "not geocoded", not a place.
        summary.warn("Position 0,0 treated as missing.")
        return None, None


def read_website(text, summary):
    try:
        # The locator lists most sites as www.example.org; nearly all of them serve https.
        return readers.read_url(text, TreatmentCenter._meta.get_field("website").max_length)
    except readers.TooLong:
        summary.warn("A website address too long to store was left out.")
    except readers.Unusable:
        summary.warn("A website that is not a valid web address was left out.")
    return None


def read_phone(text, summary):
    try:
        return readers.read_phone(text, TreatmentCenter._meta.get_field("intake_phone").max_length)
    except readers.TooLong:
        summary.warn("A phone number too long to store was left out.")
        return None


_STREET_WORDS = {
    "street": "st", "avenue": "ave", "road": "rd", "drive": "dr", "boulevard": "blvd",
    "lane": "ln", "court": "ct", "place": "pl", "parkway": "pkwy", "highway": "hwy",
    "suite": "ste", "north": "n", "south": "s", "east": "e", "west": "w", "and": "&",
}  # fmt: skip


def _words(text):
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.findall(r"[a-z0-9&]+", text)


def facility_key(name1, street1, zip_code):
    """A stable source_id: the facility's name, street and ZIP with spelling noise removed.

    Case, accents, punctuation, spacing and common street-word abbreviations do not change
    it; it is a hash (with the ZIP code in front, for people reading it) so it always fits
    the column whatever the lengths of the parts.
    """
    name = " ".join(_STREET_WORDS.get(w, w) if w == "and" else w for w in _words(name1))
    street = " ".join(_STREET_WORDS.get(w, w) for w in _words(street1))
    digest = hashlib.sha256(f"{name}|{street}|{zip_code}".encode()).hexdigest()[:20]
    return f"{zip_code or 'nozip'}-{digest}"


# --- Time zones ------------------------------------------------------------------------------


def zone_for(zip_code, state, summary=None):
    """The IANA zone of a ZIP code, else the state's main zone, else the site's own."""
    found = zip_info(zip_code)
    if found is not None and found.timezone:
        return found.timezone
    zone = state_zone(state)
    if zone:
        if summary is not None:
            summary.warn("Time zone taken from the state (ZIP code unknown); check it.")
        return zone
    if summary is not None:
        summary.warn("Time zone unknown for the ZIP code and state: the site's own was used.")
    return settings.TIME_ZONE


# --- Writing ---------------------------------------------------------------------------------


@dataclass
class Lookups:
    """Row ids of each option by its code, per M2M field."""

    ids: dict  # m2m field -> {target code: pk}

    @classmethod
    def load(cls, summary, facilities):
        services = dict(ServiceOption.objects.values_list("code", "pk"))
        audiences = dict(Audience.objects.values_list("slug", "pk"))
        languages = dict(Language.objects.values_list("code", "pk"))
        ids = {
            "levels_of_care": {c: services[c] for c in LevelOfCare.values if c in services},
            "medications": {c: services[c] for c in Medication.values if c in services},
            "payment_options": {c: services[c] for c in Payment.values if c in services},
            "populations": audiences,
            "languages": languages,
        }
        missing, affected = Counter(), 0
        for facility in facilities:
            lacking = [
                (m2m, t) for m2m, targets in facility.options.items() for t in targets
                if t not in ids[m2m]
            ]  # fmt: skip
            missing.update(lacking)
            affected += bool(lacking)
        if missing:
            names = service_codes()
            parts = []
            for m2m, target in sorted(missing):
                if m2m == "languages":
                    code = LANGUAGES[target][0]
                    parts.append(f"{target} ({names.get(code, code)}, {code})")
                else:
                    parts.append(f"{target} ({m2m.replace('_', ' ')})")
            summary.warnings[
                "Not linked because the lookup table has no such row (add it in the admin, "
                f"or run migrate, then import again): {', '.join(parts)}."
            ] = affected
        return cls(ids)


def apply(facilities, managed, source, summary, say):
    lookups = Lookups.load(summary, facilities)
    managed_ids = {
        m2m: {lookups.ids[m2m][t] for t in targets if t in lookups.ids[m2m]}
        for m2m, targets in managed.items()
    }
    existing = {c.source_id: c for c in TreatmentCenter.objects.filter(source=source)}
    links = {m2m: current_links(m2m, source) for m2m in M2M_TABLES}
    places = current_places(source)

    now = timezone.now()
    created = []  # (centre, facility, location)
    relocated = []  # (existing centre, new location)
    changed_centers, changed_locations = [], []
    # Only the columns that changed somewhere are rewritten: bulk_update builds a CASE per
    # column and row, which is most of its cost.
    center_fields, location_fields = {"updated_at"}, {"updated_at"}
    new_links = {m2m: [] for m2m in M2M_TABLES}
    stale_links = {m2m: [] for m2m in M2M_TABLES}
    claimed = set()
    for facility in facilities:
        center = existing.get(facility.key)
        if center is None:
            center = TreatmentCenter(
                source=source, source_id=facility.key, status=PublicationStatus.DRAFT
            )
            copy_fields(center, facility, new=True)
            location = Location()
            copy_place(location, facility.place, new=True)
            created.append((center, facility, location))
            summary.created += 1
            continue

        fields = copy_fields(center, facility, new=False)
        center_fields |= fields
        changed = bool(fields)
        for m2m in M2M_TABLES:
            have = links[m2m].get(center.pk, {})
            want = wanted_ids(facility.options[m2m], have, lookups.ids[m2m], managed_ids[m2m])
            stale = [link_id for target, link_id in have.items() if target not in want]
            fresh = [(center.pk, target) for target in want if target not in have]
            stale_links[m2m] += stale
            new_links[m2m] += fresh
            changed |= bool(stale or fresh)

        # The import looks after the centre's oldest address; any a curator added stay as
        # they are. Claiming keeps two centres that share one place from fighting over it.
        location = next((loc for loc in places.get(center.pk, ()) if loc.pk not in claimed), None)
        if location is None:
            location = Location()
            copy_place(location, facility.place, new=True)
            relocated.append((center, location))
            changed = True
        else:
            claimed.add(location.pk)
            fields = copy_place(location, facility.place, new=False)
            if fields:
                location_fields |= fields
                location.updated_at = now
                changed_locations.append(location)
                changed = True
        if changed:
            center.updated_at = now
            changed_centers.append(center)
            summary.updated += 1
        else:
            summary.unchanged += 1

    if created:
        say(f"Saving {len(created):,} new treatment centres.")
    Location.objects.bulk_create(
        [loc for _, _, loc in created] + [loc for _, loc in relocated], batch_size=BATCH
    )
    if created:
        taken = taken_slugs(TreatmentCenter)
        for center, _, _ in created:
            center.slug = free_slug(center.name, taken)
        TreatmentCenter.objects.bulk_create([c for c, _, _ in created], batch_size=BATCH)
    place_links = [(c.pk, loc.pk) for c, _, loc in created] + [
        (c.pk, loc.pk) for c, loc in relocated
    ]
    for center, facility, _ in created:
        for m2m in M2M_TABLES:
            want = wanted_ids(facility.options[m2m], {}, lookups.ids[m2m], managed_ids[m2m])
            new_links[m2m] += [(center.pk, target) for target in want]
    new_links["locations"] = place_links

    if changed_centers:
        say(f"Updating {len(changed_centers):,} treatment centres.")
        TreatmentCenter.objects.bulk_update(
            changed_centers, sorted(center_fields), batch_size=BATCH
        )
    if changed_locations:
        Location.objects.bulk_update(changed_locations, sorted(location_fields), batch_size=BATCH)
    for m2m, ids in stale_links.items():
        through = getattr(TreatmentCenter, m2m).through
        for start in range(0, len(ids), BATCH):
            through.objects.filter(pk__in=ids[start : start + BATCH]).delete()
    for m2m, pairs in new_links.items():
        if pairs:
            descriptor = getattr(TreatmentCenter, m2m)
            target = f"{descriptor.field.m2m_reverse_name()}"
            descriptor.through.objects.bulk_create(
                [descriptor.through(treatmentcenter_id=c, **{target: t}) for c, t in pairs],
                batch_size=BATCH,
            )
    # Keyword search reads centres' names and descriptions as they are (programs/search.py);
    # unlike programs, centres keep no precomputed search text, so nothing needs refreshing.


def current_links(m2m, source):
    """{centre pk: {target pk: link row pk}} for one M2M field of the source's centres."""
    descriptor = getattr(TreatmentCenter, m2m)
    target = descriptor.field.m2m_reverse_name()
    rows = descriptor.through.objects.filter(treatmentcenter__source=source).values_list(
        "pk", "treatmentcenter_id", target
    )
    links = {}
    for link_id, center_id, target_id in rows:
        links.setdefault(center_id, {})[target_id] = link_id
    return links


def current_places(source):
    """{centre pk: [its locations, oldest first]}; the oldest is the one the import keeps."""
    through = TreatmentCenter.locations.through
    places = {}
    rows = (
        through.objects.filter(treatmentcenter__source=source)
        .select_related("location")
        .order_by("location_id")
    )
    for link in rows:
        places.setdefault(link.treatmentcenter_id, []).append(link.location)
    return places


def wanted_ids(targets, have, ids, managed):
    """The target pks a centre should link to: the file's say, plus what it cannot speak of."""
    return {ids[t] for t in targets if t in ids} | {pk for pk in have if pk not in managed}


def copy_fields(center, facility, *, new):
    """Set the file's values on the centre; the names of the fields that changed."""
    changed = set()
    for name in CENTER_FIELDS:
        value = getattr(facility, name)
        if value is None:
            if not new:
                continue
            value = False if name == "offers_peer_support" else ""
        if getattr(center, name) != value:
            setattr(center, name, value)
            changed.add(name)
    return changed


def copy_place(location, place, *, new):
    """Set the file's address and position on the location; the names of changed fields."""
    values = dict(place)
    # When the file has no position of its own, a curator's exact one beats a ZIP centre,
    # and an earlier guess is only worth replacing with a newer guess (the ZIP may differ).
    guessed = values["latitude"] is None or values["coordinates_approximate"]
    better = location.has_coordinates and (
        values["latitude"] is None or not location.coordinates_approximate
    )
    if guessed and better and not new:
        for name in ("latitude", "longitude", "coordinates_approximate"):
            values.pop(name)
    changed = set()
    for name, value in values.items():
        if getattr(location, name) != value:
            setattr(location, name, value)
            changed.add(name)
    before = (location.search_latitude, location.search_longitude)
    location.set_search_position()
    if before != (location.search_latitude, location.search_longitude):
        changed |= {"search_latitude", "search_longitude"}
    return changed
