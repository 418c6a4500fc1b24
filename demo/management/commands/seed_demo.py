"""Fill the database with demo listings, or with a large synthetic set for benchmarks.

`seed_demo` loads the hand-written Ohio data set from `demo.data`. Rows are found
again by slug (or another natural key) on later runs, so running it twice changes nothing
but the activity dates, which always stay relative to today.

`seed_demo --scale N` leaves the hand-written rows alone and replaces any earlier synthetic
rows with N programs spread over real US ZIP code centres:

- one Location per program, plus one per treatment centre;
- program i gets 1 + i % 3 meetings, so N programs have sum(1 + i % 3 for i < N) meetings
  (2N - 1 for N = 1000, about 2N in general), each with one to three type codes;
- N // 20 treatment centres and N // 10 upcoming activities.

Programs, centres and meetings are marked with source="synthetic" and activities with a
"syn-" slug prefix; that is how the next --scale run finds and deletes them.

`--if-empty` makes either form a no-op when any program exists, so `make run` can call it
every time without overwriting a curator's edits to the demo rows.
"""

import datetime
import random
import time
import zoneinfo

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from activities.models import Activity, Category
from demo import data as demo_data
from listings.geo import all_zip_codes, zip_info
from listings.models import Location, PublicationStatus, free_slug, taken_slugs
from listings.week import DAY_WORDS
from programs.models import (
    Attendance,
    Audience,
    Cost,
    Fellowship,
    GenderServed,
    Language,
    LevelOfCare,
    Medication,
    Meeting,
    MeetingType,
    Payment,
    Program,
    ProgramKind,
    ServiceCategory,
    ServiceOption,
    TreatmentCenter,
)
from programs.search import refresh_search_text

DEMO_SOURCE = "demo"
SYNTHETIC_SOURCE = "synthetic"
SYNTHETIC_SLUG_PREFIX = "syn-"
BATCH_SIZE = 5000
EASTERN = "America/New_York"
PUBLISHED = PublicationStatus.PUBLISHED


def zip_record(code):
    place = zip_info(code)
    if place is None:
        raise CommandError(f"Unknown ZIP code {code!r} in the demo data.")
    if place.latitude is None:
        raise CommandError(f"The ZIP code {code!r} in the demo data has no position.")
    return place


def usable_zone(place):
    """The ZIP's IANA zone, or Eastern time when the package has none or a bogus one."""
    return place.timezone or EASTERN


def parse_time(value):
    hours, minutes = value.split(":")
    return datetime.time(int(hours), int(minutes))


def local_datetime(day, clock, zone_name):
    return datetime.datetime.combine(day, clock, tzinfo=zoneinfo.ZoneInfo(zone_name))


class Command(BaseCommand):
    help = (
        "Load the hand-written demo data set, or with --scale N replace the synthetic "
        "benchmark rows with N generated programs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            metavar="N",
            help="Generate N synthetic programs instead of loading the hand-written set.",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed for --scale (default 1)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds programs (for `make run`).",
        )

    def handle(self, *args, scale=None, seed=1, if_empty=False, verbosity=1, **options):
        if scale is not None and scale < 0:
            raise CommandError("--scale must be zero or more.")
        log = self.log if verbosity > 0 else lambda message: None
        if if_empty and Program.objects.exists():
            log("Programs already present; nothing loaded.")
            return
        if scale is None:
            DemoLoader(log).load()
        else:
            SyntheticGenerator(log, seed).generate(scale)

    def log(self, message):
        self.stdout.write(message)
        # Progress lines should appear while a long --scale run is still going.
        self.stdout.flush()


# --- The hand-written set ----------------------------------------------------------------


class Lookups:
    """The lookup rows the seed migration created, by natural key; missing ones are an error."""

    def __init__(self):
        self.fellowships = {f.slug: f for f in Fellowship.objects.all()}
        self.audiences = {a.slug: a for a in Audience.objects.all()}
        self.languages = {lang.code: lang for lang in Language.objects.all()}
        self.types = {t.code: t for t in MeetingType.objects.all()}
        self.services = {s.code: s for s in ServiceOption.objects.all()}

    @staticmethod
    def _pick(table, keys, what):
        missing = sorted(set(keys) - table.keys())
        if missing:
            raise CommandError(
                f"Missing {what} rows {missing}; run `manage.py migrate` so the lookup "
                "tables are seeded."
            )
        return [table[key] for key in keys]

    def fellowship(self, slug):
        return self._pick(self.fellowships, [slug], "fellowship")[0] if slug else None

    def audience_rows(self, slugs):
        return self._pick(self.audiences, slugs, "audience")

    def language_rows(self, codes):
        return self._pick(self.languages, codes, "language")

    def type_rows(self, codes):
        return self._pick(self.types, codes, "meeting type")

    def service_rows(self, codes, choices):
        # Catch a level of care listed as a medication (or similar) before the M2M accepts it.
        wrong = sorted(set(codes) - set(choices.values))
        if wrong:
            raise CommandError(f"{wrong} are not {choices.__name__} codes.")
        return self._pick(self.services, codes, "service option")


class DemoLoader:
    def __init__(self, log):
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()

    def verified_on(self, days_ago):
        return self.today - datetime.timedelta(days=days_ago)

    @transaction.atomic
    def load(self):
        self.lookups = Lookups()
        venues = {key: self.save_venue(spec) for key, spec in demo_data.VENUES.items()}
        centers = {spec["slug"]: self.save_center(spec, venues) for spec in demo_data.CENTERS}
        meetings = 0
        programs = {}
        for spec in demo_data.PROGRAMS:
            program = self.save_program(spec, venues, centers)
            programs[program.slug] = program
            meetings += self.save_meetings(program, spec.get("meetings", []), venues)
        # Meeting types were set after each program was saved; search must know them.
        refresh_search_text(Program.objects.filter(slug__in=programs))
        upcoming = past = 0
        for spec in demo_data.ACTIVITIES:
            activity = self.save_activity(spec, venues, programs, centers)
            if activity.ends_at >= self.now:
                upcoming += 1
            else:
                past += 1
        kinds = len({p.kind for p in programs.values()})
        self.log(
            f"Demo data loaded: {len(programs)} programs ({kinds} kinds), {meetings} meetings, "
            f"{len(centers)} treatment centres, {len(venues)} locations, "
            f"{upcoming} upcoming and {past} past activities."
        )

    def save_venue(self, spec):
        place = zip_record(spec["postal_code"])
        location, _ = Location.objects.update_or_create(
            name=spec["name"],
            street_address=spec["street_address"],
            city=spec["city"],
            state=spec.get("state", "OH"),
            defaults={
                "postal_code": spec["postal_code"],
                "latitude": place.latitude,
                "longitude": place.longitude,
                # The ZIP centroid, not the door: say so, so maps don't pretend otherwise.
                "coordinates_approximate": True,
                "timezone": usable_zone(place),
                "is_confidential": spec.get("is_confidential", False),
                "wheelchair_accessible": spec.get("wheelchair_accessible", False),
                "accessibility_notes": spec.get("accessibility_notes", ""),
                "directions": spec.get("directions", ""),
            },
        )
        return location

    def save_center(self, spec, venues):
        lookups = self.lookups
        center, _ = TreatmentCenter.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "status": PUBLISHED,
                "last_verified_on": self.verified_on(spec["verified_days_ago"]),
                "description": spec["description"],
                "website": spec.get("website", ""),
                "email": spec.get("email", ""),
                "intake_phone": spec.get("intake_phone", ""),
                "hotline_phone": spec.get("hotline_phone", ""),
                "offers_peer_support": spec["peer_support"],
                "source": DEMO_SOURCE,
                "source_id": spec["slug"],
            },
        )
        center.locations.set([venues[key] for key in spec["venues"]])
        center.levels_of_care.set(lookups.service_rows(spec["levels"], LevelOfCare))
        center.medications.set(lookups.service_rows(spec["medications"], Medication))
        center.payment_options.set(lookups.service_rows(spec["payments"], Payment))
        center.populations.set(lookups.audience_rows(spec.get("populations", [])))
        center.languages.set(lookups.language_rows(spec.get("languages", ["en"])))
        return center

    def save_program(self, spec, venues, centers):
        kind = ProgramKind(spec["kind"])
        # Mutual-aid groups pass a basket; the other peer programs here cost nothing.
        default_cost = Cost.DONATION if kind == ProgramKind.TWELVE_STEP else Cost.FREE
        program, _ = Program.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "kind": kind,
                "status": PUBLISHED,
                "last_verified_on": self.verified_on(spec["verified_days_ago"]),
                "fellowship": self.lookups.fellowship(spec.get("fellowship")),
                "description": spec["description"],
                "cost": spec.get("cost", default_cost),
                "cost_notes": spec.get("cost_notes", ""),
                "phone": spec.get("phone", ""),
                "email": spec.get("email", ""),
                "website": spec.get("website", ""),
                "run_by": spec.get("run_by", ""),
                "peer_specialist_led": spec.get("peer_specialist_led", False),
                "approach": spec.get("approach", ""),
                "host_center": centers[spec["host_center"]] if "host_center" in spec else None,
                "location": venues[spec["venue"]] if "venue" in spec else None,
                "gender_served": spec.get("gender_served", ""),
                "accepts_mat_residents": spec.get("accepts_mat_residents"),
                "beds": spec.get("beds"),
                "source": DEMO_SOURCE,
                "source_id": spec["slug"],
            },
        )
        program.audiences.set(self.lookups.audience_rows(spec.get("audiences", [])))
        program.languages.set(self.lookups.language_rows(spec.get("languages", ["en"])))
        return program

    def save_meetings(self, program, specs, venues):
        keys = []
        for spec in specs:
            # One program never meets twice at the same weekday and time, so that pair is
            # a stable key even when other details of the meeting change.
            key = f"{program.slug}:{spec['day']}-{spec['start']}"
            keys.append(key)
            location = venues[spec["venue"]] if "venue" in spec else None
            place = location or program.location
            meeting, _ = Meeting.objects.update_or_create(
                source=DEMO_SOURCE,
                source_id=key,
                defaults={
                    "program": program,
                    "name": spec.get("name", ""),
                    "status": PUBLISHED,
                    "weekday": DAY_WORDS[spec["day"]],
                    "start_time": parse_time(spec["start"]),
                    "end_time": parse_time(spec["end"]),
                    "timezone": place.timezone if place else EASTERN,
                    "attendance": spec.get("attendance", Attendance.IN_PERSON),
                    "location": location,
                    "conference_url": spec.get("url", ""),
                    "conference_url_notes": spec.get("url_notes", ""),
                    "conference_phone": spec.get("phone", ""),
                    "conference_phone_notes": spec.get("phone_notes", ""),
                    "notes": spec.get("notes", ""),
                    "temporarily_closed": spec.get("closed", False),
                },
            )
            meeting.types.set(self.lookups.type_rows(spec["types"].split()))
        # A slot dropped from or moved in the data set should not linger from an older run.
        Meeting.objects.filter(source=DEMO_SOURCE, program=program).exclude(
            source_id__in=keys
        ).delete()
        return len(keys)

    def save_activity(self, spec, venues, programs, centers):
        day = self.today + datetime.timedelta(days=spec["in_days"])
        starts_at = local_datetime(day, parse_time(spec["start"]), EASTERN)
        activity, _ = Activity.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "category": Category(spec["category"]),
                "status": PUBLISHED,
                "last_verified_on": self.today,
                "description": spec["description"],
                "starts_at": starts_at,
                "ends_at": starts_at + datetime.timedelta(hours=spec["hours"]),
                "location": venues[spec["venue"]] if "venue" in spec else None,
                "online_url": spec.get("online_url", ""),
                "host_program": programs.get(spec.get("host_program")),
                "host_center": centers.get(spec.get("host_center")),
                "is_free": spec.get("is_free", True),
                "cost_notes": spec.get("cost_notes", ""),
                "registration_url": spec.get("registration_url", ""),
                "registration_required": spec.get("registration_required", False),
            },
        )
        return activity


# --- The synthetic benchmark set ---------------------------------------------------------

# Relative frequencies loosely follow real directories: mostly mutual-aid meetings.
KIND_WEIGHTS = {
    ProgramKind.TWELVE_STEP: 45,
    ProgramKind.SMART: 10,
    ProgramKind.SOBER_LIVING: 8,
    ProgramKind.DUAL_DIAGNOSIS: 5,
    ProgramKind.MENTAL_HEALTH: 10,
    ProgramKind.RECOVERY_COMMUNITY: 8,
    ProgramKind.OTHER: 14,
}

# (fellowship slug or None, name template); {city} and {street} are filled in.
NAME_TEMPLATES = {
    ProgramKind.TWELVE_STEP: [
        ("aa", "{city} {word} Group"),
        ("aa", "{street} Big Book Study"),
        ("na", "{city} {word} NA"),
        ("ca", "{city} Cocaine Anonymous"),
        ("cma", "{city} Crystal Meth Anonymous"),
        ("al-anon", "{city} Al-Anon Family Group"),
        ("nar-anon", "{city} Nar-Anon"),
        ("ha", "{city} Heroin Anonymous"),
        ("ma", "{city} Marijuana Anonymous"),
    ],
    ProgramKind.SMART: [
        ("smart", "SMART Recovery {city}"),
        ("smart", "SMART Recovery Family & Friends {city}"),
    ],
    ProgramKind.SOBER_LIVING: [(None, "{street} Recovery House"), (None, "{word} House")],
    ProgramKind.DUAL_DIAGNOSIS: [
        ("dda", "Dual Diagnosis Anonymous {city}"),
        ("nami", "NAMI Connection {city}"),
    ],
    ProgramKind.MENTAL_HEALTH: [
        ("dbsa", "DBSA {city}"),
        ("nami", "NAMI Family Support Group {city}"),
    ],
    ProgramKind.RECOVERY_COMMUNITY: [(None, "{city} Recovery Community Center")],
    ProgramKind.OTHER: [
        ("recovery-dharma", "Recovery Dharma {city}"),
        ("refuge-recovery", "Refuge Recovery {city}"),
        ("lifering", "LifeRing {city}"),
        ("celebrate-recovery", "Celebrate Recovery {city}"),
        ("women-for-sobriety", "Women for Sobriety {city}"),
    ],
}

DESCRIPTIONS = {
    ProgramKind.TWELVE_STEP: "A twelve-step group that welcomes newcomers and visitors.",
    ProgramKind.SMART: "Science-based mutual help meetings using SMART Recovery's tools.",
    ProgramKind.SOBER_LIVING: "A shared, alcohol- and drug-free home for people in recovery.",
    ProgramKind.DUAL_DIAGNOSIS: "Peer support for people managing mental health and addiction.",
    ProgramKind.MENTAL_HEALTH: "A peer-led support group for mental health.",
    ProgramKind.RECOVERY_COMMUNITY: "A peer-run centre open to every pathway of recovery.",
    ProgramKind.OTHER: "A peer support meeting outside the twelve-step tradition.",
}

COSTS = {ProgramKind.TWELVE_STEP: Cost.DONATION, ProgramKind.SOBER_LIVING: Cost.FEE}
WORDS = ["Serenity", "Hope", "Freedom", "New Life", "Sunrise", "Harmony", "Courage", "Unity"]
STREETS = ["Main St", "Oak St", "Maple Ave", "Church St", "Park Ave", "Elm St", "Broadway"]
VENUE_NAMES = ["Community Center", "Church Hall", "Public Library Room", "Fellowship Hall"]
START_TIMES = [
    datetime.time(h, m)
    for h, m in [(7, 0), (10, 0), (12, 0), (17, 30), (18, 30), (19, 0), (19, 30), (20, 0), (21, 0)]
]
FIRST_TYPES = ["O", "O", "O", "C"]
ATTENDANCE = [Attendance.IN_PERSON, Attendance.ONLINE, Attendance.HYBRID]
ATTENDANCE_WEIGHTS = [75, 15, 10]
EXTRA_TYPES = ["D", "SP", "B", "BE", "ST", "X", "W", "M", "Y", "LGBTQ", "S", "MED"]
ACTIVITY_NAMES = {
    Category.SUPPORT_GROUP: "Sharing Circle",
    Category.ART: "Open Art Studio",
    Category.SOCIAL: "Game Night",
    Category.SKILLS: "Life Skills Workshop",
    Category.CELEBRATION: "Recovery Anniversary Night",
    Category.OUTDOOR: "Group Walk",
}


class SyntheticGenerator:
    def __init__(self, log, seed):
        self.log = log
        self.rng = random.Random(seed)
        self.today = timezone.localdate()

    def zip_pool(self):
        return [
            z
            for z in all_zip_codes()
            if z.active and z.kind == "STANDARD" and z.latitude is not None
        ]

    @transaction.atomic
    def generate(self, n):
        started = time.perf_counter()
        self.delete_previous()
        if n == 0:
            self.log("Synthetic rows removed; nothing generated for --scale 0.")
            return
        self.zips = self.zip_pool()
        self.types = dict(MeetingType.objects.values_list("code", "pk"))
        self.fellowships = dict(Fellowship.objects.values_list("slug", "pk"))
        self.languages = dict(Language.objects.values_list("code", "pk"))
        self.audiences = list(Audience.objects.values_list("pk", flat=True))
        self.services = {
            category: list(
                ServiceOption.objects.filter(category=category).values_list("pk", flat=True)
            )
            for category in ServiceCategory.values
        }
        center_ids = self.create_centers(n // 20)
        counts = self.create_programs(n, center_ids)
        self.log("  indexing programs for keyword search")
        refresh_search_text(Program.objects.filter(source=SYNTHETIC_SOURCE))
        activities = self.create_activities(n // 10)
        self.log(
            f"Synthetic data: {n:,} programs, {counts['meetings']:,} meetings, "
            f"{len(center_ids):,} treatment centres, {activities:,} activities "
            f"in {time.perf_counter() - started:.1f} s."
        )

    # Deleting through querysets lets Django cascade to anything else that points here,
    # while clearing the M2M tables first keeps those cascades from fetching big batches.
    def delete_previous(self):
        programs = Program.objects.filter(source=SYNTHETIC_SOURCE)
        centers = TreatmentCenter.objects.filter(source=SYNTHETIC_SOURCE)
        meetings = Meeting.objects.filter(source=SYNTHETIC_SOURCE)
        if not (programs.exists() or centers.exists() or meetings.exists()):
            Activity.objects.filter(slug__startswith=SYNTHETIC_SLUG_PREFIX).delete()
            return
        started = time.perf_counter()
        location_ids = set(programs.exclude(location=None).values_list("location_id", flat=True))
        location_ids.update(
            TreatmentCenter.locations.through.objects.filter(
                treatmentcenter__source=SYNTHETIC_SOURCE
            ).values_list("location_id", flat=True)
        )
        Activity.objects.filter(slug__startswith=SYNTHETIC_SLUG_PREFIX).delete()
        # Link rows go by explicit id batches: a join in the DELETE lets PostgreSQL pick a
        # nested loop when it has no statistics yet (fresh data), which ran for minutes.
        meeting_ids = list(meetings.values_list("pk", flat=True))
        program_ids = list(programs.values_list("pk", flat=True))
        center_ids = list(centers.values_list("pk", flat=True))
        self.delete_links(Meeting.types.through, "meeting_id", meeting_ids)
        meetings.delete()
        for field in ("audiences", "languages"):
            self.delete_links(getattr(Program, field).through, "program_id", program_ids)
        programs.delete()
        for field in (
            "locations",
            "levels_of_care",
            "medications",
            "payment_options",
            "populations",
            "languages",
        ):
            self.delete_links(
                getattr(TreatmentCenter, field).through, "treatmentcenter_id", center_ids
            )
        centers.delete()
        ids = sorted(location_ids)
        for start in range(0, len(ids), BATCH_SIZE):
            Location.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).delete()
        self.log(f"Removed earlier synthetic rows in {time.perf_counter() - started:.1f} s.")

    def delete_links(self, through, column, ids):
        for start in range(0, len(ids), BATCH_SIZE):
            through.objects.filter(**{f"{column}__in": ids[start : start + BATCH_SIZE]}).delete()

    def phone(self, place):
        area = (place.area_codes or ["555"])[0]
        return f"{area}-555-01{self.rng.randrange(100):02d}"

    def make_location(self, place, confidential=False):
        rng = self.rng
        # Synthetic places sit at their ZIP code's centre, which is also the approximate
        # position confidential places are searched by, so the search position is the same.
        lat, lng = place.latitude, place.longitude
        return Location(
            search_latitude=lat,
            search_longitude=lng,
            name=f"{place.city} {rng.choice(VENUE_NAMES)}",
            street_address=f"{rng.randint(10, 9999)} {rng.choice(STREETS)}",
            city=place.city,
            state=place.state,
            postal_code=place.code,
            latitude=lat,
            longitude=lng,
            coordinates_approximate=True,
            is_confidential=confidential,
            timezone=usable_zone(place),
            wheelchair_accessible=rng.random() < 0.7,
        )

    def create_centers(self, count):
        rng = self.rng
        places = [rng.choice(self.zips) for _ in range(count)]
        taken = taken_slugs(TreatmentCenter)
        locations = Location.objects.bulk_create(
            [self.make_location(place) for place in places], batch_size=BATCH_SIZE
        )
        centers = TreatmentCenter.objects.bulk_create(
            [
                TreatmentCenter(
                    name=f"{place.city} {rng.choice(WORDS)} Treatment Center",
                    slug=free_slug(f"{SYNTHETIC_SLUG_PREFIX}center-{i}", taken),
                    status=PUBLISHED,
                    last_verified_on=self.today - datetime.timedelta(days=rng.randint(0, 500)),
                    description="Outpatient and residential addiction treatment.",
                    website="https://example.org/",
                    intake_phone=self.phone(place),
                    hotline_phone=self.phone(place),
                    offers_peer_support=rng.random() < 0.8,
                    source=SYNTHETIC_SOURCE,
                    source_id=str(i),
                )
                for i, place in enumerate(places)
            ],
            batch_size=BATCH_SIZE,
        )
        links = {
            field: []
            for field in (
                "locations",
                "levels_of_care",
                "medications",
                "payment_options",
                "languages",
            )
        }
        english = self.languages["en"]
        for center, location in zip(centers, locations, strict=True):
            links["locations"].append((center.pk, location.pk))
            for option in rng.sample(self.services[ServiceCategory.LEVEL_OF_CARE], 3):
                links["levels_of_care"].append((center.pk, option))
            for option in rng.sample(self.services[ServiceCategory.MEDICATION], rng.randint(0, 2)):
                links["medications"].append((center.pk, option))
            for option in rng.sample(self.services[ServiceCategory.PAYMENT], rng.randint(1, 4)):
                links["payment_options"].append((center.pk, option))
            links["languages"].append((center.pk, english))
        for field, pairs in links.items():
            descriptor = getattr(TreatmentCenter, field)
            target = f"{descriptor.field.related_model._meta.model_name}_id"
            descriptor.through.objects.bulk_create(
                [descriptor.through(treatmentcenter_id=c, **{target: t}) for c, t in pairs],
                batch_size=BATCH_SIZE,
            )
        self.log(f"  {count:,} treatment centres")
        return [center.pk for center in centers]

    def create_programs(self, n, center_ids):
        counts = {"meetings": 0}
        self.activity_hosts = []
        self.program_slugs = taken_slugs(Program)
        kinds = list(KIND_WEIGHTS)
        weights = list(KIND_WEIGHTS.values())
        for start in range(0, n, BATCH_SIZE):
            stop = min(n, start + BATCH_SIZE)
            self.create_program_batch(range(start, stop), kinds, weights, center_ids, counts)
            self.log(f"  programs {stop:,}/{n:,}, meetings {counts['meetings']:,}")
        return counts

    def create_program_batch(self, indexes, kinds, weights, center_ids, counts):
        rng = self.rng
        specs = []
        for i in indexes:
            place = rng.choice(self.zips)
            kind = rng.choices(kinds, weights)[0]
            fellowship, template = rng.choice(NAME_TEMPLATES[kind])
            name = template.format(
                city=place.city, word=rng.choice(WORDS), street=rng.choice(STREETS)
            )
            specs.append((i, place, kind, fellowship, name))
        locations = Location.objects.bulk_create(
            [
                self.make_location(place, confidential=kind == ProgramKind.SOBER_LIVING)
                for _, place, kind, _, _ in specs
            ],
            batch_size=BATCH_SIZE,
        )
        programs = []
        for (i, place, kind, fellowship, name), location in zip(specs, locations, strict=True):
            sober = kind == ProgramKind.SOBER_LIVING
            programs.append(
                Program(
                    name=name,
                    slug=free_slug(
                        f"{SYNTHETIC_SLUG_PREFIX}{slugify(name)[:60]}-{i}", self.program_slugs
                    ),
                    kind=kind,
                    status=PUBLISHED,
                    last_verified_on=self.today - datetime.timedelta(days=rng.randint(0, 500)),
                    fellowship_id=self.fellowships.get(fellowship),
                    description=DESCRIPTIONS[kind],
                    cost=COSTS.get(kind, Cost.FREE),
                    phone=self.phone(place),
                    location=location,
                    host_center_id=(
                        rng.choice(center_ids) if center_ids and rng.random() < 0.05 else None
                    ),
                    gender_served=rng.choice(GenderServed.values) if sober else "",
                    accepts_mat_residents=rng.random() < 0.5 if sober else None,
                    beds=rng.randint(4, 16) if sober else None,
                    source=SYNTHETIC_SOURCE,
                    source_id=str(i),
                )
            )
        programs = Program.objects.bulk_create(programs, batch_size=BATCH_SIZE)

        languages, audiences, meetings = [], [], []
        for (i, _, _, _, _), program, location in zip(specs, programs, locations, strict=True):
            languages.append(
                Program.languages.through(program_id=program.pk, language_id=self.languages["en"])
            )
            if rng.random() < 0.1:
                languages.append(
                    Program.languages.through(
                        program_id=program.pk, language_id=self.languages["es"]
                    )
                )
            if rng.random() < 0.3:
                audiences.append(
                    Program.audiences.through(
                        program_id=program.pk, audience_id=rng.choice(self.audiences)
                    )
                )
            if i % 10 == 0:
                self.activity_hosts.append((program.pk, location.pk, location.timezone))
            for k in range(1 + i % 3):
                meetings.append(self.make_meeting(program, location, f"{i}-{k}"))
        Program.languages.through.objects.bulk_create(languages, batch_size=BATCH_SIZE)
        Program.audiences.through.objects.bulk_create(audiences, batch_size=BATCH_SIZE)
        meetings = Meeting.objects.bulk_create(meetings, batch_size=BATCH_SIZE)
        counts["meetings"] += len(meetings)

        through = Meeting.types.through
        links = []
        for meeting in meetings:
            codes = [rng.choice(FIRST_TYPES), *rng.sample(EXTRA_TYPES, rng.randint(0, 2))]
            links += [through(meeting_id=meeting.pk, meetingtype_id=self.types[c]) for c in codes]
        through.objects.bulk_create(links, batch_size=BATCH_SIZE)

    def make_meeting(self, program, location, key):
        rng = self.rng
        start = rng.choice(START_TIMES)
        end = (datetime.datetime.combine(self.today, start) + datetime.timedelta(hours=1)).time()
        attendance = rng.choices(ATTENDANCE, ATTENDANCE_WEIGHTS)[0]
        online = attendance != Attendance.IN_PERSON
        return Meeting(
            program=program,
            status=PUBLISHED,
            weekday=rng.randrange(7),
            start_time=start,
            end_time=end,
            timezone=location.timezone,
            attendance=attendance,
            conference_url=f"https://zoom.us/j/{rng.randrange(10**9, 10**10)}" if online else "",
            source=SYNTHETIC_SOURCE,
            source_id=key,
        )

    def create_activities(self, count):
        if not count or not self.activity_hosts:
            return 0
        rng = self.rng
        categories = list(Category)
        activities = []
        taken = taken_slugs(Activity)
        for j in range(count):
            program_id, location_id, zone = self.activity_hosts[j % len(self.activity_hosts)]
            category = categories[j % len(categories)]
            day = self.today + datetime.timedelta(days=rng.randint(1, 56))
            starts_at = local_datetime(day, datetime.time(rng.choice([10, 13, 18, 19])), zone)
            link = (
                f"https://zoom.us/j/{rng.randrange(10**9, 10**10)}" if rng.random() < 0.15 else ""
            )
            activities.append(
                Activity(
                    name=ACTIVITY_NAMES[category],
                    slug=free_slug(f"{SYNTHETIC_SLUG_PREFIX}activity-{j}", taken),
                    category=category,
                    status=PUBLISHED,
                    last_verified_on=self.today,
                    description="A community event for people in recovery and their families.",
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(hours=2),
                    location_id=None if link else location_id,
                    online_url=link,
                    host_program_id=program_id,
                    is_free=rng.random() < 0.8,
                )
            )
        Activity.objects.bulk_create(activities, batch_size=BATCH_SIZE)
        self.log(f"  {count:,} activities")
        return count
