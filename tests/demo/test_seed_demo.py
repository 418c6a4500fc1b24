"""The demo and synthetic data sets behind `manage.py seed_demo`."""

import datetime
import zoneinfo
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from activities.models import Activity, Category
from demo import data as demo_data
from listings.models import Location, PublicationStatus
from programs.models import (
    Approach,
    Attendance,
    Fellowship,
    GenderServed,
    Meeting,
    Program,
    ProgramKind,
    TreatmentCenter,
    default_approach,
)
from programs.upcoming import next_occurrences

# One worker runs the whole module: the demo data is loaded once per worker (seeded).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_demo")]

EVENING = datetime.time(17, 0)
EASTERN = zoneinfo.ZoneInfo("America/New_York")

# Every table the loader writes, M2M link tables included, so a re-run that duplicated
# anything would show up as a changed count.
COUNTED = [
    Location,
    Program,
    Meeting,
    TreatmentCenter,
    Activity,
    Program.audiences.through,
    Program.languages.through,
    Meeting.types.through,
    TreatmentCenter.locations.through,
    TreatmentCenter.levels_of_care.through,
    TreatmentCenter.medications.through,
    TreatmentCenter.payment_options.through,
    TreatmentCenter.populations.through,
    TreatmentCenter.languages.through,
]


def seed(**options):
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts():
    return {model._meta.label: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo data, loaded once for this module and rolled back after it.

    Each test still runs in its own savepoint inside this transaction, so a test that
    changes the data (a re-run, a curator's edit) leaves the next one the data as loaded.
    The loader's options on an empty database are tested in test_seed_demo_options.py.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_summary_line(demo):
    assert demo.startswith("Demo data loaded: ")
    assert f"{Program.objects.count()} programs" in demo


def test_every_program_kind_is_represented(demo):
    assert Program.objects.count() >= 42
    for kind in ProgramKind.values:
        assert Program.objects.filter(kind=kind).exists(), kind


def test_everything_is_published_and_recently_verified(demo):
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=365)
    for model in (Program, TreatmentCenter, Activity):
        assert not model.objects.exclude(status=PublicationStatus.PUBLISHED).exists()
        assert not model.objects.filter(last_verified_on=None).exists()
        assert not model.objects.filter(last_verified_on__gt=today).exists()
    stale = Program.objects.filter(last_verified_on__lt=year_ago).count()
    assert 1 <= stale <= 5, "a few listings should be stale, most fresh"


def test_meetings_cover_the_week_and_formats(demo):
    meetings = Meeting.objects.all()
    assert meetings.count() >= 80
    assert set(meetings.values_list("weekday", flat=True)) == set(range(7))
    assert set(meetings.values_list("attendance", flat=True)) == set(Attendance.values)
    hours = {m.start_time.hour for m in meetings}
    assert min(hours) < 9 and any(11 <= h < 14 for h in hours) and max(hours) >= 21
    assert meetings.filter(temporarily_closed=True).count() >= 2
    assert not meetings.filter(types=None).exists()
    for meeting in meetings.select_related("location", "program__location"):
        if meeting.place is not None:
            assert meeting.timezone == meeting.place.timezone


def test_early_and_late_meetings_in_person(demo):
    in_person = Meeting.objects.filter(attendance=Attendance.IN_PERSON)
    early = in_person.filter(start_time__gte=datetime.time(6), start_time__lte=datetime.time(7))
    assert set(early.values_list("weekday", flat=True)) == set(range(7))
    late = in_person.filter(start_time__gte=datetime.time(22))
    assert set(late.values_list("weekday", flat=True)) == set(range(7))
    past_midnight = [m for m in late if m.end_time < m.start_time]
    assert past_midnight and past_midnight[0].duration_minutes == 90


def test_online_meetings_are_held_in_several_zones_every_day(demo):
    online = Meeting.objects.filter(attendance=Attendance.ONLINE)
    zones = {
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
    }
    assert set(online.values_list("timezone", flat=True)) == zones
    for zone in zones - {"America/Phoenix"}:
        days = online.filter(timezone=zone).values_list("weekday", flat=True)
        assert len(set(days)) >= 5, zone
    # An online meeting's place, when it has one, is only the town its group is based in.
    for meeting in online.exclude(location=None).select_related("location"):
        assert not meeting.location.street_address and not meeting.location.name


# A week in winter and one in summer, for the zones' daylight saving (Arizona has none).
WEEKS = [
    datetime.datetime(2027, 1, 10, tzinfo=EASTERN),
    datetime.datetime(2027, 7, 11, tzinfo=EASTERN),
]


def on_or_soon(meetings, now):
    found, _ = next_occurrences(meetings, now=now, limit=1)
    first = found[0] if found else None
    return first is not None and (
        first.in_progress or first.starts - now <= datetime.timedelta(hours=1)
    )


@pytest.mark.parametrize("week", WEEKS, ids=["winter", "summer"])
def test_something_is_on_or_about_to_start_at_any_hour(demo, week):
    """The next-meetings page never opens on an empty night, whenever it is read."""
    meetings = Meeting.objects.published()
    online = meetings.filter(attendance__in=[Attendance.ONLINE, Attendance.HYBRID])
    gaps = []
    for step in range(7 * 48):
        now = week + datetime.timedelta(minutes=30 * step)
        if not on_or_soon(meetings, now):
            gaps.append(f"{now:%a %H:%M}")
        if now.hour in (23, 3) and now.minute == 0:
            assert on_or_soon(online, now), f"no online meeting on or soon at {now:%a %H:%M}"
    assert gaps == []


def test_columbus_has_an_open_aa_meeting_every_evening(demo):
    found = set(
        Meeting.objects.published()
        .filter(
            program__fellowship__slug="aa",
            types__code="O",
            start_time__gte=EVENING,
            temporarily_closed=False,
            attendance__in=[Attendance.IN_PERSON, Attendance.HYBRID],
        )
        .filter(location__isnull=True, program__location__city="Columbus")
        .values_list("weekday", flat=True)
    )
    assert found == set(range(7))


def test_online_smart_meeting_on_tuesday(demo):
    meeting = Meeting.objects.filter(
        program__kind=ProgramKind.SMART, weekday=Meeting.Weekday.TUESDAY, attendance="online"
    ).first()
    assert meeting is not None
    assert meeting.conference_url.startswith("https://zoom.us/j/")


def test_every_program_states_an_approach():
    for spec in demo_data.PROGRAMS:
        assert spec.get("approach") in Approach.values, spec["slug"]
    stated = {spec["approach"] for spec in demo_data.PROGRAMS}
    assert stated == set(Approach.values)
    other = {spec["approach"] for spec in demo_data.PROGRAMS if spec["kind"] == "other"}
    assert {Approach.SECULAR, Approach.BUDDHIST, Approach.FAITH_BASED} <= other


def loaded_and_stated():
    specs = {spec["slug"]: spec for spec in demo_data.PROGRAMS}
    fellowships = {f.slug: f for f in Fellowship.objects.all()}
    for program in Program.objects.select_related("fellowship"):
        spec = specs[program.slug]
        default = default_approach(spec["kind"], fellowships.get(spec.get("fellowship")))
        yield program, spec["approach"], default


def test_approaches_that_follow_from_fellowship_or_kind_are_loaded(demo):
    agreeing = [(p, stated) for p, stated, default in loaded_and_stated() if stated == default]
    assert len(agreeing) >= 50
    for program, stated in agreeing:
        assert program.approach == stated, program.slug


def test_every_stated_approach_is_loaded(demo):
    for program, stated, _ in loaded_and_stated():
        assert program.approach == stated, program.slug


def test_smart_family_and_friends_meeting(demo):
    assert Program.objects.filter(kind=ProgramKind.SMART, audiences__slug="families").exists()


def test_sober_living_homes(demo):
    homes = Program.objects.filter(kind=ProgramKind.SOBER_LIVING).select_related("location")
    assert homes.count() >= 5
    for home in homes:
        assert home.location.is_confidential
        assert home.gender_served and home.beds and home.accepts_mat_residents is not None
    assert homes.filter(gender_served=GenderServed.WOMEN, accepts_mat_residents=True).exists()
    assert homes.filter(gender_served=GenderServed.WOMEN).count() >= 2


def test_confidential_locations_are_only_homes(demo):
    confidential = Location.objects.filter(is_confidential=True)
    assert confidential.count() >= 5
    assert set(confidential.values_list("programs__kind", flat=True)) == {ProgramKind.SOBER_LIVING}
    for location in confidential:
        assert location.street_address not in " ".join(location.public_lines)


def test_locations_use_zip_centroids(demo):
    cities = Location.objects.values_list("city", flat=True)
    assert {"Columbus", "Cincinnati", "Dayton", "Cleveland", "Toledo", "Akron"} <= set(cities)
    columbus = Location.objects.filter(postal_code="43215").first()
    assert columbus.latitude == pytest.approx(39.9671)
    assert columbus.longitude == pytest.approx(-83.0044)
    assert not Location.objects.filter(coordinates_approximate=False).exists()
    assert Location.objects.filter(wheelchair_accessible=True).count() > (
        Location.objects.count() / 2
    )


def test_treatment_centres(demo):
    centers = TreatmentCenter.objects.all()
    assert centers.count() >= 10
    for center in centers:
        cities = list(center.locations.values_list("city", flat=True))
        assert len(cities) >= 2 and len(set(cities)) == len(cities), center
        assert center.intake_phone and center.hotline_phone
        assert center.levels_of_care.exists() and center.payment_options.exists()
    assert centers.filter(offers_peer_support=True).count() > centers.count() / 2
    assert (
        centers.filter(
            levels_of_care__code="iop", payment_options__code="medicaid", offers_peer_support=True
        )
        .distinct()
        .exists()
    )
    assert Program.objects.exclude(host_center=None).exists()


def test_upcoming_activities(demo):
    now = timezone.now()
    upcoming = Activity.objects.upcoming(now)
    assert upcoming.count() >= 25
    assert set(upcoming.values_list("category", flat=True)) == set(Category.values)
    assert not upcoming.filter(starts_at__gt=now + datetime.timedelta(weeks=8)).exists()
    assert upcoming.exclude(online_url="").exists()
    assert upcoming.exclude(registration_url="").exists()
    assert upcoming.filter(is_free=False).exists()
    assert not upcoming.filter(host_program=None, host_center=None).exists()
    free_art_soon = upcoming.filter(
        category=Category.ART, is_free=True, starts_at__lte=now + datetime.timedelta(days=30)
    )
    assert free_art_soon.count() >= 2


def test_activities_start_at_sensible_local_hours(demo):
    for activity in Activity.objects.all():
        assert 7 <= activity.starts_at.astimezone(EASTERN).hour <= 20, activity


def test_past_activities_for_the_archive(demo):
    now = timezone.now()
    past = Activity.objects.past(now)
    assert past.count() >= 4
    assert not past.filter(ends_at__lt=now - datetime.timedelta(days=31)).exists()


def test_every_row_passes_full_clean(demo):
    for model in (Location, TreatmentCenter, Program, Meeting, Activity):
        for row in model.objects.all():
            row.full_clean()


def test_running_twice_changes_nothing(demo):
    before = counts()
    starts = dict(Activity.objects.values_list("slug", "starts_at"))
    seed()
    assert counts() == before
    assert dict(Activity.objects.values_list("slug", "starts_at")) == starts


def test_rerun_moves_activity_dates_with_today(demo, time_machine):
    def local_start():
        return Activity.objects.get(slug="collage-your-story").starts_at.astimezone(EASTERN)

    first = local_start()
    time_machine.move_to(timezone.now() + datetime.timedelta(days=7))
    seed()
    # Compared on the wall clock, since a daylight-saving change may fall in between.
    moved = local_start()
    assert moved.date() == first.date() + datetime.timedelta(days=7)
    assert moved.time() == first.time()
    assert Activity.objects.count() == len(demo_data.ACTIVITIES)
