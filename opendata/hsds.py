"""Our listings as Open Referral HSDS 3.0 objects, for the read-only API in `hsds_views`.

The mapping in short (docs/hsds-api.md tells it at length):

- every published Program and every published TreatmentCenter is an HSDS service;
- a centre is its own organization; a program belongs to its published host centre, else to
  its fellowship, else to the group named in `run_by`, else it stands as its own organization;
- each place a service is found at is a service_at_location; confidential places (sober homes)
  give only their town and an approximate position, never the street, ZIP code or the door;
- each published meeting is a weekly schedule;
- program kinds, approaches, levels of care, medications, payment, meeting types and
  audiences are taxonomies whose terms reach services through attributes;
- every id is a uuid5 of a fixed namespace and a name such as "program:12", so the same row
  always has the same id and nothing needs storing.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    CharField,
    F,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from listings.geo import bounding_box, distance_expression
from listings.models import Location, PublicationStatus
from listings.week import WEEKDAY_NAMES, Weekday, zone_or_none
from programs.models import (
    Approach,
    Attendance,
    Audience,
    Cost,
    Fellowship,
    GenderServed,
    Meeting,
    MeetingType,
    Program,
    ProgramKind,
    ServiceOption,
    TreatmentCenter,
)
from programs.search import search_centers, search_programs, terms

HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/openreferral/specification/tree/3.0"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"

# Fixed for good: changing it would give every record a new id and break consumers' links.
NAMESPACE = uuid.UUID("e5b9945f-961f-475b-b2a4-e8e4339c0c3c")

ATTENDING = {
    Attendance.IN_PERSON: "in person",
    Attendance.ONLINE: "online",
    Attendance.HYBRID: "hybrid",
}
CONFIDENTIAL_NOTE = (
    "Confidential address: only the town is published and the position shown is the "
    "centre of its ZIP code or town. The exact address is given when you get in touch."
)
PUBLISHED = PublicationStatus.PUBLISHED
METRES_PER_MILE = 1609.344


def hsds_id(name):
    return str(uuid.uuid5(NAMESPACE, name))


def find_key(target, keys):
    """The name among `keys` whose uuid5 is `target`, or None.

    uuid5 cannot be reversed, so a lookup by id computes the ids of the candidates; that is
    a couple of microseconds a row, one query for their keys and no stored mapping.
    """
    target = str(target)
    return next((key for key in keys if hsds_id(key) == target), None)


# --- Taxonomies ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    description: str
    link_type: str
    uri: str = ""

    @property
    def id(self):
        return hsds_id(f"taxonomy:{self.key}")

    def as_hsds(self):
        data = {"id": self.id, "name": self.name, "description": self.description}
        if self.uri:
            data["uri"] = self.uri
        return data


TAXONOMIES = (
    Taxonomy("kind", "Program kinds", "What sort of peer support a program offers.", "kind"),
    Taxonomy(
        "approach",
        "Approaches",
        "The outlook a program's meetings share: 12-step, secular, faith-based and others.",
        "approach",
    ),
    Taxonomy(
        "level",
        "Levels of care",
        "The kinds of treatment a treatment centre provides.",
        "level_of_care",
    ),
    Taxonomy(
        "medication",
        "Medications for addiction treatment",
        "Medications a treatment centre prescribes or dispenses.",
        "medication",
    ),
    Taxonomy("payment", "Payment accepted", "Ways a treatment centre can be paid.", "payment"),
    Taxonomy(
        "meeting-type",
        "Meeting Guide meeting types",
        "The type codes of the Meeting Guide format (open, closed, women, speaker...); a "
        "program carries the types of its meetings.",
        "meeting_type",
        uri="https://github.com/code4recovery/spec",
    ),
    Taxonomy(
        "audience",
        "Audiences",
        "Groups of people a listing is especially meant for.",
        "audience",
    ),
)
TAXONOMY = {t.key: t for t in TAXONOMIES}


@dataclass(frozen=True)
class Term:
    taxonomy: Taxonomy
    code: str
    name: str
    description: str

    @property
    def id(self):
        return hsds_id(f"term:{self.taxonomy.key}:{self.code}")

    def as_hsds(self, *, with_taxonomy=False):
        data = {
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "description": self.description,
            "taxonomy": self.taxonomy.name,
            "taxonomy_id": self.taxonomy.id,
            "language": "en",
        }
        if with_taxonomy:
            data["taxonomy_detail"] = self.taxonomy.as_hsds()
        return data


def kind_term(code):
    label = ProgramKind(code).label
    return Term(TAXONOMY["kind"], code, label, f"Programs of the kind “{label}”.")


def approach_term(code):
    label = Approach(code).label
    return Term(TAXONOMY["approach"], code, label, f"Programs whose approach is “{label}”.")


def option_term(option):
    taxonomy = TAXONOMY[option.category]
    return Term(taxonomy, option.code, option.name, f"{taxonomy.name}: {option.name}.")


def type_term(meeting_type):
    description = meeting_type.description or (
        f"Meetings with the Meeting Guide type code “{meeting_type.code}”."
    )
    return Term(TAXONOMY["meeting-type"], meeting_type.code, meeting_type.name, description)


def audience_term(audience):
    return Term(
        TAXONOMY["audience"], audience.slug, audience.name, f"Especially for: {audience.name}."
    )


def all_terms():
    """Every term of every taxonomy, in taxonomy order (three small queries)."""
    return [
        *(kind_term(code) for code in ProgramKind.values),
        *(approach_term(code) for code in Approach.values),
        *(option_term(o) for o in ServiceOption.objects.order_by("category", "name", "code")),
        *(type_term(t) for t in MeetingType.objects.order_by("name", "code")),
        *(audience_term(a) for a in Audience.objects.order_by("name", "slug")),
    ]


def attribute(link_key, link_entity, term):
    return {
        "id": hsds_id(f"attribute:{link_key}:{term.taxonomy.key}:{term.code}"),
        "link_id": hsds_id(link_key),
        "link_type": term.taxonomy.link_type,
        "link_entity": link_entity,
        "taxonomy_term_id": term.id,
        "taxonomy_term": term.as_hsds(),
    }


# --- Organizations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Organization:
    key: str
    name: str
    description: str
    website: str = ""
    email: str = ""
    alternate_name: str = ""

    @property
    def id(self):
        return hsds_id(f"organization:{self.key}")

    def as_hsds(self):
        data = {"id": self.id, "name": self.name, "description": self.description}
        for field in ("alternate_name", "website", "email"):
            if getattr(self, field):
                data[field] = getattr(self, field)
        return data


def run_by_key(text):
    # Python, not the database, folds case: SQLite's lower() leaves non-ASCII letters alone.
    return " ".join(text.split()).casefold()


def center_org(center):
    return Organization(
        f"center:{center.pk}",
        center.name,
        center.description or f"{center.name}, a treatment centre.",
        website=center.website,
        email=center.email,
    )


def fellowship_org(fellowship):
    return Organization(
        f"fellowship:{fellowship.pk}",
        fellowship.name,
        f"{fellowship.name}, a mutual-aid fellowship. Its local groups listed in this "
        "directory are its services here.",
        website=fellowship.website,
        alternate_name=fellowship.abbreviation,
    )


def run_by_org(name):
    name = " ".join(name.split())
    return Organization(
        f"run-by:{run_by_key(name)}",
        name,
        f"{name}, named by its listings as the group that runs them.",
    )


def standalone_org(program):
    return Organization(
        f"program:{program.pk}",
        program.name,
        program.description or f"{program.name}, which runs itself.",
        website=program.website,
        email=program.email,
    )


def program_org(program):
    host = program.host_center
    if host is not None and host.is_published:
        return center_org(host)
    if program.fellowship is not None:
        return fellowship_org(program.fellowship)
    if program.run_by.strip():
        return run_by_org(program.run_by)
    return standalone_org(program)


# The same choice as program_org, as filters, so lists and counts happen in the database.
def _unhosted(programs):
    return programs.exclude(host_center__status=PUBLISHED)


def fellowship_programs(programs):
    return _unhosted(programs).filter(fellowship__isnull=False)


def run_by_programs(programs):
    return _unhosted(programs).filter(fellowship__isnull=True, run_by__regex=r"\S")


def standalone_programs(programs):
    return _unhosted(programs).filter(fellowship__isnull=True).exclude(run_by__regex=r"\S")


def run_by_groups(programs):
    """{key: [spellings]} of the run_by organizations among `programs`, sorted by key."""
    groups = {}
    spellings = run_by_programs(programs).order_by().values_list("run_by", flat=True)
    for name in sorted(set(spellings)):
        groups.setdefault(run_by_key(name), []).append(name)
    return dict(sorted(groups.items()))


def organization_fellowships():
    ids = fellowship_programs(Program.objects.published()).values("fellowship_id")
    return Fellowship.objects.filter(pk__in=ids).order_by("name", "pk")


def find_organization(target):
    """The Organization with HSDS id `target`, or None (at most four small queries)."""
    published = Program.objects.published()
    sources = (
        ("center", TreatmentCenter.objects.published(), center_org),
        ("fellowship", organization_fellowships(), fellowship_org),
        ("program", standalone_programs(published), standalone_org),
    )
    for kind, rows, make in sources:
        pks = rows.values_list("pk", flat=True)
        name = find_key(target, (f"organization:{kind}:{pk}" for pk in pks))
        if name:
            return make(rows.get(pk=name.rsplit(":", 1)[1]))
    groups = run_by_groups(published)
    name = find_key(target, (f"organization:run-by:{key}" for key in groups))
    if name:
        return run_by_org(groups[name.removeprefix("organization:run-by:")][0])
    return None


def organization_services(org, programs, centers):
    """(programs, centers) narrowed to the services `org` provides."""
    kind, _, rest = org.key.partition(":")
    if kind == "center":
        return programs.filter(host_center_id=rest), centers.filter(pk=rest)
    if kind == "fellowship":
        return fellowship_programs(programs).filter(fellowship_id=rest), centers.none()
    if kind == "run-by":
        spellings = run_by_groups(programs).get(rest, [])
        return run_by_programs(programs).filter(run_by__in=spellings), centers.none()
    return standalone_programs(programs).filter(pk=rest), centers.none()


# --- Places ----------------------------------------------------------------------------------


def location_object(location, *, full):
    data = {"id": hsds_id(f"location:{location.pk}"), "location_type": "physical"}
    if location.is_confidential:
        data["name"] = f"{location.city}, {location.state}"
        data["description"] = CONFIDENTIAL_NOTE
        # Only the blurred search position, which distance searches use too; never the door.
        lat, lng = location.search_latitude, location.search_longitude
    else:
        data["name"] = location.name or location.street_address or location.city
        notes = [location.directions]
        if location.coordinates_approximate:
            notes.append("The position given is the centre of the ZIP code, not the door.")
        if any(notes):
            data["description"] = " ".join(n for n in notes if n)
        lat, lng = location.latitude, location.longitude
    if lat is not None and lng is not None:
        data["latitude"], data["longitude"] = lat, lng
    if full:
        data["addresses"] = _addresses(location)
        data["accessibility"] = _accessibility(location)
    return data


def _addresses(location):
    if location.is_confidential or not location.street_address:
        return []
    address = {
        "id": hsds_id(f"address:location:{location.pk}"),
        "location_id": hsds_id(f"location:{location.pk}"),
        "address_1": location.street_address,
        "city": location.city,
        "state_province": location.state,
        "postal_code": location.postal_code,
        "country": location.country,
        "address_type": "physical",
    }
    if location.address_line_2:
        address["address_2"] = location.address_line_2
    if location.name:
        address["attention"] = location.name
    return [address]


def _accessibility(location):
    # A confidential home's notes may describe the house; only the yes/no is safe to give.
    notes = "" if location.is_confidential else location.accessibility_notes
    if not (location.wheelchair_accessible or notes):
        return []
    description = "Wheelchair accessible." if location.wheelchair_accessible else ""
    entry = {
        "id": hsds_id(f"accessibility:location:{location.pk}"),
        "location_id": hsds_id(f"location:{location.pk}"),
        "description": description or notes,
    }
    if description and notes:
        entry["details"] = notes
    return [entry]


def service_at_location(service, location, *, full, schedules=None, nested_service=None):
    """The link between a service (its dict) and one of its places."""
    data = {
        "id": hsds_id(f"service-at-location:{service['_key']}:{location.pk}"),
        "service_id": service["id"],
        "location_id": hsds_id(f"location:{location.pk}"),
        "description": f"{service['name']} in {location.city}, {location.state}.",
        "location": location_object(location, full=full),
    }
    if schedules is not None:
        data["schedules"] = schedules
    if nested_service is not None:
        data["service"] = nested_service
    return data


# --- Schedules -------------------------------------------------------------------------------


def _zone(name):
    return zone_or_none(name) or zone_or_none(settings.TIME_ZONE)


def _offset_text(offset):
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "Z"
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _clock(t):
    return f"{t.hour % 12 or 12}:{t.minute:02d} {'am' if t.hour < 12 else 'pm'}"


def meeting_place(meeting, program):
    """Where people attend in person, or None for an online-only meeting."""
    if meeting.attendance == Attendance.ONLINE:
        return None
    return meeting.location if meeting.location_id else program.location


def schedule_object(meeting, program, service_key, now):
    """A published weekly meeting as an RRULE-style schedule.

    HSDS gives a time zone as a fixed UTC offset, which cannot follow daylight saving time;
    the offset is the one in force at the meeting's next occurrence, and the IANA zone name
    is in the description so nobody has to guess.
    """
    zone = _zone(meeting.timezone)
    offset = meeting.next_start(now).utcoffset()
    hours = offset.total_seconds() / 3600
    data = {
        "id": hsds_id(f"meeting:{meeting.pk}"),
        "service_id": hsds_id(service_key),
        "freq": "WEEKLY",
        "byday": Weekday(meeting.weekday).ical,
        "opens_at": f"{meeting.start_time:%H:%M}{_offset_text(offset)}",
        "timezone": int(hours) if hours.is_integer() else hours,
        "attending_type": ATTENDING[meeting.attendance],
        "description": _schedule_description(meeting, program, zone),
    }
    if meeting.end_time:
        data["closes_at"] = f"{meeting.end_time:%H:%M}{_offset_text(offset)}"
    place = meeting_place(meeting, program)
    if place is not None:
        data["service_at_location_id"] = hsds_id(f"service-at-location:{service_key}:{place.pk}")
    if meeting.conference_url and meeting.attendance != Attendance.IN_PERSON:
        data["schedule_link"] = meeting.conference_url
    notes = _schedule_notes(meeting)
    if notes:
        data["notes"] = notes
    types = [type_term(t) for t in meeting.types.all()]
    if types:
        data["attributes"] = [attribute(f"meeting:{meeting.pk}", "schedule", t) for t in types]
    return data


def _schedule_description(meeting, program, zone):
    when = f"Every {WEEKDAY_NAMES[meeting.weekday]} from {_clock(meeting.start_time)}"
    if meeting.end_time:
        when += f" to {_clock(meeting.end_time)}"
    parts = [f"{when} ({zone.key} time), {Attendance(meeting.attendance).label.lower()}."]
    if meeting.name and meeting.name != program.name:
        parts.insert(0, f"{meeting.name}:")
    names = sorted(t.name for t in meeting.types.all())
    if names:
        parts.append(f"Meeting types: {', '.join(names)}.")
    if meeting.temporarily_closed:
        parts.append("Temporarily not meeting.")
    return " ".join(parts)


def _schedule_notes(meeting):
    notes = []
    if meeting.temporarily_closed:
        notes.append("This meeting is temporarily not taking place; check before going.")
    if meeting.attendance != Attendance.IN_PERSON:
        if meeting.conference_url_notes:
            notes.append(meeting.conference_url_notes)
        if meeting.conference_phone:
            dial_in = f"Dial in: {meeting.conference_phone}"
            if meeting.conference_phone_notes:
                dial_in += f" ({meeting.conference_phone_notes})"
            notes.append(dial_in + ".")
    if meeting.notes:
        notes.append(meeting.notes)
    return " ".join(notes)


# --- Services --------------------------------------------------------------------------------


def _phone(key, owner_key, number, description=""):
    data = {
        "id": hsds_id(key),
        "service_id": hsds_id(owner_key),
        "number": number,
        "type": "voice",
    }
    if description:
        data["description"] = description
    return data


def _languages(owner_key, languages):
    return [
        {
            "id": hsds_id(f"language:{owner_key}:{lang.code}"),
            "service_id": hsds_id(owner_key),
            "name": lang.name,
            "code": lang.code,
        }
        for lang in languages
    ]


def _status(row):
    # Annotated by decorate_programs(): a program whose every meeting is paused is closed
    # for now; one without meetings (a sober home, say) is simply active.
    if getattr(row, "hsds_all_paused", None):
        return "temporarily closed"
    return "active"


def _common(row, key, org, request, description):
    data = {
        "_key": key,  # dropped before output; service_at_location ids are built from it
        "id": hsds_id(key),
        "organization_id": org.id,
        "name": row.name,
        "description": description,
        "url": request.build_absolute_uri(row.get_absolute_url()),
        "status": _status(row),
        "last_modified": _iso(getattr(row, "hsds_modified", None) or row.updated_at),
        "organization": org.as_hsds(),
    }
    if row.email:
        data["email"] = row.email
    if row.last_verified_on:
        data["assured_date"] = row.last_verified_on.isoformat()
    return data


def _iso(moment):
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def program_service(program, request, *, full, now=None):
    key = f"program:{program.pk}"
    data = _common(
        program,
        key,
        program_org(program),
        request,
        program.description or f"{program.get_kind_display()}.",
    )
    data["fees_description"] = " ".join(
        x for x in (f"{program.get_cost_display()}.", program.cost_notes) if x
    )
    eligibility = _program_eligibility(program)
    if eligibility:
        data["eligibility_description"] = eligibility
    if full:
        now = now or timezone.now()
        meetings = program.hsds_meetings
        data["phones"] = [_phone(f"phone:{key}", key, program.phone)] if program.phone else []
        data["schedules"] = [schedule_object(m, program, key, now) for m in meetings]
        data["service_at_locations"] = [
            service_at_location(data, place, full=True) for place in program_places(program)
        ]
        data["languages"] = _languages(key, program.languages.all())
        data["cost_options"] = [_cost_option(program, key)]
        data["attributes"] = [attribute(key, "service", t) for t in program_terms(program)]
    return data


def program_places(program):
    """The program's own place, then any other place its published meetings are held at."""
    places = {}
    if program.location is not None:
        places[program.location.pk] = program.location
    for meeting in getattr(program, "hsds_meetings", []):
        place = meeting_place(meeting, program)
        if place is not None:
            places.setdefault(place.pk, place)
    return list(places.values())


def program_terms(program):
    found = [kind_term(program.kind)]
    if program.approach:
        found.append(approach_term(program.approach))
    found += [audience_term(a) for a in program.audiences.all()]
    types = {t.code: t for m in program.hsds_meetings for t in m.types.all()}
    found += [type_term(types[code]) for code in sorted(types)]
    return found


def _program_eligibility(program):
    parts = []
    audiences = [a.name for a in program.audiences.all()]
    if audiences:
        parts.append(f"Especially for: {', '.join(audiences)}.")
    if program.gender_served and program.gender_served != GenderServed.ANY:
        parts.append(f"Residents: {program.get_gender_served_display()}.")
    if program.accepts_mat_residents is not None:
        parts.append(
            "Residents taking medication for addiction treatment are welcome."
            if program.accepts_mat_residents
            else "Residents taking medication for addiction treatment are not accepted."
        )
    return " ".join(parts)


def _cost_option(program, key):
    option = {
        "id": hsds_id(f"cost:{key}"),
        "service_id": hsds_id(key),
        "option": program.get_cost_display(),
    }
    if program.cost in (Cost.FREE, Cost.DONATION):
        option["amount"] = 0
        option["currency"] = "USD"
    if program.cost_notes:
        option["amount_description"] = program.cost_notes
    return option


def center_service(center, request, *, full, now=None):
    key = f"center:{center.pk}"
    data = _common(
        center, key, center_org(center), request, center.description or "A treatment centre."
    )
    payments = [o.name for o in center.payment_options.all()]
    if payments:
        data["fees_description"] = f"Payment accepted: {', '.join(payments)}."
    populations = [a.name for a in center.populations.all()]
    if populations:
        data["eligibility_description"] = f"Especially for: {', '.join(populations)}."
    if full:
        data["phones"] = _center_phones(center, key)
        data["schedules"] = []
        data["service_at_locations"] = [
            service_at_location(data, place, full=True) for place in center.locations.all()
        ]
        data["languages"] = _languages(key, center.languages.all())
        data["attributes"] = [attribute(key, "service", t) for t in center_terms(center)]
    return data


def _center_phones(center, key):
    phones = []
    if center.intake_phone:
        phones.append(
            _phone(f"phone:{key}:intake", key, center.intake_phone, "Intake and admissions.")
        )
    if center.hotline_phone:
        phones.append(
            _phone(f"phone:{key}:hotline", key, center.hotline_phone, "Answered around the clock.")
        )
    return phones


def center_terms(center):
    options = [*center.levels_of_care.all(), *center.medications.all()]
    options += center.payment_options.all()
    return [option_term(o) for o in options] + [audience_term(a) for a in center.populations.all()]


def public(data):
    """Drop the private helper keys (leading underscore), however deep."""
    if isinstance(data, dict):
        return {k: public(v) for k, v in data.items() if not k.startswith("_")}
    if isinstance(data, list):
        return [public(v) for v in data]
    return data


# --- Finding rows ----------------------------------------------------------------------------


def published_meetings():
    return (
        Meeting.objects.published()
        .select_related("location")
        .prefetch_related("types")
        .order_by("weekday", "start_time", "pk")
    )


def _program_modified():
    """When anything shown in a program's service last changed: the row, a meeting, its place."""
    latest_meeting = (
        Meeting.objects.filter(program=OuterRef("pk")).order_by("-updated_at").values("updated_at")
    )
    return Greatest(
        F("updated_at"),
        Coalesce(Subquery(latest_meeting[:1]), F("updated_at")),
        Coalesce(F("location__updated_at"), F("updated_at")),
    )


def _center_modified():
    latest_place = (
        Location.objects.filter(treatment_centers=OuterRef("pk"))
        .order_by("-updated_at")
        .values("updated_at")
    )
    return Greatest(F("updated_at"), Coalesce(Subquery(latest_place[:1]), F("updated_at")))


def decorate_programs(programs, *, full):
    """What program_service() reads, fetched in a fixed number of queries."""
    meetings = Meeting.objects.published().filter(program=OuterRef("pk"))
    programs = programs.select_related("fellowship", "location", "host_center").prefetch_related(
        "audiences"
    )
    programs = programs.annotate(
        hsds_modified=_program_modified(),
        # True when the program has meetings and every one is paused: the first of them
        # with open ones sorted first. A scalar subquery, since PostgreSQL turned two
        # EXISTS into a hash of all 200,000 meetings even for a page of 50 (176 ms).
        hsds_all_paused=Subquery(
            meetings.order_by("temporarily_closed").values("temporarily_closed")[:1]
        ),
    )
    if full:
        programs = programs.prefetch_related(
            "languages", Prefetch("meetings", published_meetings(), to_attr="hsds_meetings")
        )
    return programs


def decorate_centers(centers, *, full):
    centers = centers.prefetch_related("payment_options", "populations").annotate(
        hsds_modified=_center_modified()
    )
    if full:
        centers = centers.prefetch_related(
            "locations", "levels_of_care", "medications", "languages"
        )
    return centers


@dataclass
class ServiceFilters:
    """The HSDS query parameters that narrow services, already checked and looked up.

    A filter given with an id nothing has (`missing`) matches no service at all.
    """

    search: str = ""
    term: Term | None = None
    taxonomy: Taxonomy | None = None
    organization: Organization | None = None
    modified_after: datetime.datetime | None = None
    missing: bool = False


def filtered_services(filters):
    """(programs, centers): the published services matching every filter, in list order."""
    programs = Program.objects.published()
    centers = TreatmentCenter.objects.published()
    if filters.missing:
        return programs.none(), centers.none()
    if filters.term:
        programs, centers = _with_term(programs, centers, filters.term.taxonomy, filters.term)
    if filters.taxonomy:
        programs, centers = _with_term(programs, centers, filters.taxonomy, None)
    if filters.organization:
        programs, centers = organization_services(filters.organization, programs, centers)
    if filters.modified_after:
        when = filters.modified_after
        programs = programs.alias(hsds_changed=_program_modified()).filter(hsds_changed__gte=when)
        centers = centers.alias(hsds_changed=_center_modified()).filter(hsds_changed__gte=when)
    if terms(filters.search):
        programs = search_programs(programs, filters.search).order_by("-search_rank", "name", "pk")
        centers = search_centers(centers, filters.search).order_by("-search_rank", "name", "pk")
    else:
        programs, centers = programs.order_by("name", "pk"), centers.order_by("name", "pk")
    return programs, centers


CENTER_RELATIONS = {
    "level": "levels_of_care",
    "medication": "medications",
    "payment": "payment_options",
}


def _with_term(programs, centers, taxonomy, term):
    """Services carrying `term`, or any term of `taxonomy` when `term` is None."""
    code = term.code if term else None
    key = taxonomy.key
    if key == "kind":
        return (programs.filter(kind=code) if code else programs), centers.none()
    if key == "approach":
        chosen = programs.filter(approach=code) if code else programs.exclude(approach="")
        return chosen, centers.none()
    if key in CENTER_RELATIONS:
        relation = CENTER_RELATIONS[key]
        lookup = {f"{relation}__code": code} if code else {f"{relation}__isnull": False}
        return programs.none(), centers.filter(pk__in=_ids(TreatmentCenter, lookup))
    if key == "meeting-type":
        lookup = {"types__code": code} if code else {"types__isnull": False}
        meetings = Meeting.objects.published().filter(**lookup).values("program_id")
        return programs.filter(pk__in=meetings), centers.none()
    lookup = {"slug": code} if code else {}
    audiences = Audience.objects.filter(**lookup)
    return (
        programs.filter(pk__in=_ids(Program, {"audiences__in": audiences})),
        centers.filter(pk__in=_ids(TreatmentCenter, {"populations__in": audiences})),
    )


def _ids(model, lookup):
    # A subquery, not a join, so a service with two matching terms is listed once.
    return model.objects.filter(**lookup).order_by().values("pk")


SERVICE_MODELS = (("program", Program), ("center", TreatmentCenter))


def find_service(target):
    """('program', row) or ('center', row) for a published service's HSDS id, else None.

    The ids are stored (`hsds_id`, unique and so indexed): one query finds the row. Rows
    made without one (bulk imports) get theirs on the first lookup that misses.
    """
    found = _service_by_id(target)
    if found is None and assign_service_ids():
        found = _service_by_id(target)
    return found


def _service_by_id(target):
    programs = Program.objects.published().filter(hsds_id=target)
    if row := decorate_programs(programs, full=True).first():
        return "program", row
    centers = TreatmentCenter.objects.published().filter(hsds_id=target)
    if row := decorate_centers(centers, full=True).first():
        return "center", row
    return None


def assign_service_ids(batch_size=5000):
    """Store the HSDS id of every program and centre that has none; how many were filled.

    One plain UPDATE per row, sent in batches (executemany): far quicker than bulk_update's
    CASE expressions when a bulk import has left tens of thousands to fill.
    """
    filled = 0
    for prefix, model in SERVICE_MODELS:
        field = model._meta.get_field("hsds_id")
        quote = connection.ops.quote_name
        table, column, pk_column = (
            quote(model._meta.db_table),
            quote(field.column),
            quote(model._meta.pk.column),
        )
        # Names from the model, quoted; values as parameters.
        sql = f"UPDATE {table} SET {column} = %s WHERE {pk_column} = %s AND {column} IS NULL"  # noqa: S608
        missing = model.objects.filter(hsds_id__isnull=True)
        while pks := list(missing.values_list("pk", flat=True)[:batch_size]):
            params = [
                (field.get_db_prep_value(uuid.UUID(hsds_id(f"{prefix}:{pk}")), connection), pk)
                for pk in pks
            ]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, params)
            filled += len(pks)
    return filled


# --- Services at locations -------------------------------------------------------------------


def service_location_pairs(programs, centers, near=None):
    """("program" or "center", service pk, location pk) rows, one per service_at_location.

    A program is found at its own place and wherever its published in-person or hybrid
    meetings are held; a centre at each of its locations. `near` narrows the places: a
    (lat, lng, miles) circle, or a ZIP code string for that ZIP code only.
    """
    own = programs.filter(location__isnull=False)
    meeting_places = (
        Meeting.objects.published()
        .filter(program__in=programs.values("pk"), location__isnull=False)
        .exclude(attendance=Attendance.ONLINE)
    )
    center_places = TreatmentCenter.locations.through.objects.filter(
        treatmentcenter__in=centers.values("pk")
    )
    branches = [
        _pairs(own, "program", "pk", near),
        _pairs(meeting_places, "program", "program_id", near),
        _pairs(center_places, "center", "treatmentcenter_id", near),
    ]
    first, *rest = branches
    return first.union(*rest).order_by("owner", "sid", "lid")


def _pairs(rows, owner, service_field, near):
    if isinstance(near, str):
        # A confidential home's ZIP code is not published, so it cannot be searched by:
        # such places are found only by distance to their blurred position.
        rows = rows.filter(location__postal_code__startswith=near, location__is_confidential=False)
    elif near is not None:
        rows = _within(rows, *near)
    return (
        rows.annotate(
            owner=Value(owner, output_field=CharField()),
            sid=F(service_field),
            lid=F("location_id"),
        )
        .values_list("owner", "sid", "lid")
        .order_by()  # a compound query allows ordering only on the whole
    )


def _within(rows, lat, lng, miles):
    """Rows whose place lies within `miles`, by the position searches use.

    That position is the ZIP code's centre for confidential homes, so no sequence of
    proximity searches can home in on the house.
    """
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, miles)
    distance = distance_expression(
        lat, lng, "location__search_latitude", "location__search_longitude"
    )
    return (
        rows.filter(
            location__search_latitude__range=(min_lat, max_lat),
            location__search_longitude__range=(min_lng, max_lng),
        )
        .alias(hsds_distance=distance)
        .filter(hsds_distance__lte=miles)
    )


def pair_key(owner, service_pk, location_pk):
    return f"service-at-location:{owner}:{service_pk}:{location_pk}"


def render_pairs(pairs, request, *, full, now=None):
    """service_at_location objects for (owner, service pk, location pk) rows, in order."""
    pairs = list(pairs)
    program_ids = {sid for owner, sid, _ in pairs if owner == "program"}
    center_ids = {sid for owner, sid, _ in pairs if owner == "center"}
    programs = Program.objects.none()
    centers = TreatmentCenter.objects.none()
    if program_ids:
        programs = decorate_programs(Program.objects.filter(pk__in=program_ids), full=full)
    if center_ids:
        centers = decorate_centers(TreatmentCenter.objects.filter(pk__in=center_ids), full=False)
    programs = {p.pk: p for p in programs}
    centers = {c.pk: c for c in centers}
    locations = Location.objects.in_bulk({lid for _, _, lid in pairs})
    now = now or timezone.now()
    out = []
    for owner, sid, lid in pairs:
        if owner == "program":
            row = programs[sid]
            service = program_service(row, request, full=False)
        else:
            row = centers[sid]
            service = center_service(row, request, full=False)
        schedules = None
        if full:
            schedules = [
                schedule_object(m, row, service["_key"], now)
                for m in getattr(row, "hsds_meetings", [])
                if (place := meeting_place(m, row)) is not None and place.pk == lid
            ]
        out.append(
            service_at_location(
                service, locations[lid], full=full, schedules=schedules, nested_service=service
            )
        )
    return out


def find_pair(target):
    """The (owner, service pk, location pk) row of a service_at_location id, or None."""
    programs, centers = Program.objects.published(), TreatmentCenter.objects.published()
    rows = list(service_location_pairs(programs, centers))
    key = find_key(target, (pair_key(*row) for row in rows))
    if key is None:
        return None
    owner, sid, lid = key.removeprefix("service-at-location:").split(":")
    return owner, int(sid), int(lid)
