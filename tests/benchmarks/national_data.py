"""A national-scale synthetic directory for benchmarks: N programs across real US ZIP codes.

    python tests/benchmarks/national_data.py 100000     # or: make national-data

Run against the database in DATABASE_URL (PostgreSQL for the national figures). It leaves
the hand-written demo rows alone and replaces any earlier synthetic rows with:

- one Location per program, plus one per treatment centre;
- program i gets 1 + i % 3 meetings, so N programs have sum(1 + i % 3 for i < N) meetings
  (2N - 1 for N = 1000, about 2N in general), each with one to three type codes;
- N // 20 treatment centres and N // 10 upcoming activities.

Programs, centres and meetings are marked with source="synthetic" and activities with a
"syn-" slug prefix; that is how the next run finds and deletes them. This is not demo data
and not part of the site: it lives with the other generators beside the benchmarks.
"""

import argparse
import datetime
import os
import random
import sys
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_directory.settings")
    import django

    django.setup()


if __name__ == "__main__":
    setup_django()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from activities.models import Activity, Category  # noqa: E402
from listings.cache import bulk_changes  # noqa: E402
from listings.geo import all_zip_codes  # noqa: E402
from listings.models import Location, PublicationStatus, free_slug, taken_slugs  # noqa: E402
from programs import schedule  # noqa: E402
from programs.models import (  # noqa: E402
    Attendance,
    Audience,
    Cost,
    Fellowship,
    GenderServed,
    Language,
    Meeting,
    MeetingType,
    Program,
    ProgramKind,
    ServiceCategory,
    ServiceOption,
    TreatmentCenter,
    default_approach,
)
from programs.search import refresh_search_text  # noqa: E402

SYNTHETIC_SOURCE = "synthetic"
SYNTHETIC_SLUG_PREFIX = "syn-"
BATCH_SIZE = 5000
EASTERN = "America/New_York"
PUBLISHED = PublicationStatus.PUBLISHED


def usable_zone(place):
    """The ZIP's IANA zone, or Eastern time when the package has none."""
    return place.timezone or EASTERN


def local_datetime(day, clock, zone_name):
    return datetime.datetime.combine(day, clock, tzinfo=zoneinfo.ZoneInfo(zone_name))


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
        self.fellowships = {f.slug: f for f in Fellowship.objects.all()}
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
        with bulk_changes():  # one DELETE per table, not a signal per row
            self._delete_previous()

    def _delete_previous(self):
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
                    fellowship=self.fellowships.get(fellowship),
                    approach=default_approach(kind, self.fellowships.get(fellowship)),
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
        meeting = Meeting(
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
        # bulk_create skips Meeting.save, which derives these.
        schedule.set_times(meeting)
        schedule.set_position(meeting, location)
        return meeting

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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("programs", type=int, help="How many programs (0 removes them all).")
    parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
    args = parser.parse_args(argv)
    if args.programs < 0:
        parser.error("the number of programs must be zero or more")
    SyntheticGenerator(lambda line: print(line, flush=True), args.seed).generate(args.programs)


if __name__ == "__main__":
    main()
