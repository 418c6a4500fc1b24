import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities.models import Activity
from listings.models import Location, PublicationStatus
from programs.models import (
    Approach,
    Attendance,
    Fellowship,
    Meeting,
    Program,
    ProgramKind,
    ServiceOption,
    TreatmentCenter,
    load_services,
)
from tests.factories import make_activity, make_center, make_location, make_meeting, make_program

pytestmark = pytest.mark.django_db


def violates(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


class TestPublishedGate:
    def test_only_published_programs_are_public(self):
        live = make_program(status=PublicationStatus.PUBLISHED)
        make_program(status=PublicationStatus.DRAFT)
        make_program(status=PublicationStatus.ARCHIVED)
        assert list(Program.objects.published()) == [live]

    def test_meetings_of_unpublished_programs_are_hidden(self):
        shown = make_meeting(program=make_program())
        make_meeting(program=make_program(status=PublicationStatus.DRAFT))
        make_meeting(program=make_program(), status=PublicationStatus.ARCHIVED)
        assert list(Meeting.objects.published()) == [shown]

    def test_centres_and_activities_share_the_gate(self):
        center = make_center()
        make_center(status=PublicationStatus.DRAFT)
        activity = make_activity()
        make_activity(status=PublicationStatus.ARCHIVED)
        assert list(TreatmentCenter.objects.published()) == [center]
        assert list(Activity.objects.published()) == [activity]

    def test_stale_means_never_or_over_a_year_ago(self):
        today = timezone.localdate()
        fresh = make_program(last_verified_on=today - datetime.timedelta(days=30))
        old = make_program(last_verified_on=today - datetime.timedelta(days=400))
        never = make_program(last_verified_on=None)
        stale = set(Program.objects.stale())
        assert {old, never} <= stale
        assert fresh not in stale


class TestConstraints:
    def test_program_kind_must_be_known(self):
        violates(lambda: Program.objects.create(name="X", kind="astrology"))

    def test_status_must_be_known(self):
        violates(lambda: Program.objects.create(name="X", kind=ProgramKind.OTHER, status="live"))

    def test_sober_living_fields_only_on_sober_living(self):
        violates(lambda: make_program(kind=ProgramKind.TWELVE_STEP, gender_served="women"))
        home = make_program(
            kind=ProgramKind.SOBER_LIVING, gender_served="women", accepts_mat_residents=True, beds=8
        )
        assert home.pk

    def test_weekday_range(self):
        program = make_program()
        violates(
            lambda: Meeting.objects.create(program=program, weekday=7, start_time=datetime.time(9))
        )

    def test_online_meeting_needs_link_or_phone(self):
        program = make_program()
        violates(
            lambda: Meeting.objects.create(
                program=program,
                weekday=1,
                start_time=datetime.time(9),
                attendance=Attendance.ONLINE,
            )
        )

    def test_coordinates_in_range_and_paired(self):
        violates(lambda: make_location(latitude=95, longitude=0))
        violates(lambda: make_location(latitude=40, longitude=-200))
        violates(lambda: make_location(latitude=40, longitude=None))

    def test_activity_must_end_after_it_starts(self):
        start = timezone.now()
        violates(lambda: make_activity(starts_at=start, ends_at=start))

    def test_activity_needs_place_or_link(self):
        start = timezone.now()
        violates(
            lambda: Activity.objects.create(
                name="Nowhere",
                category="art",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
            )
        )

    def test_service_code_must_match_category(self):
        violates(
            lambda: ServiceOption.objects.create(category="payment", code="detox-2", name="Nope")
        )

    def test_import_keys_are_unique_per_source(self):
        make_program(source="feed-a", source_id="1")
        make_program(source="feed-b", source_id="1")
        make_program(source="", source_id="")
        make_program(source="", source_id="")
        violates(lambda: make_program(source="feed-a", source_id="1"))


class TestCleanMirrorsConstraints:
    """The admin shows these messages instead of a database error."""

    def test_in_person_meeting_without_address(self):
        program = make_program(location=None)
        meeting = Meeting(program=program, weekday=2, start_time=datetime.time(18))
        with pytest.raises(ValidationError) as err:
            meeting.full_clean()
        assert "needs an address" in str(err.value)

    def test_online_meeting_without_link(self):
        program = make_program(location=None)
        meeting = Meeting(
            program=program, weekday=2, start_time=datetime.time(18), attendance=Attendance.ONLINE
        )
        with pytest.raises(ValidationError) as err:
            meeting.full_clean()
        assert "conference link" in str(err.value)

    def test_meeting_takes_its_place_timezone(self):
        place = make_location(city="Phoenix", state="AZ", timezone="America/Phoenix")
        meeting = Meeting(
            program=make_program(location=place), weekday=2, start_time=datetime.time(18)
        )
        meeting.full_clean()
        assert meeting.timezone == "America/Phoenix"

    def test_unknown_timezone_is_rejected_clearly(self):
        place = Location(city="X", state="OH", timezone="Mars/Olympus")
        with pytest.raises(ValidationError) as err:
            place.full_clean()
        assert "not a known time zone" in str(err.value)

    def test_activity_end_before_start_message(self):
        start = timezone.now()
        activity = Activity(
            name="A",
            category="art",
            starts_at=start,
            ends_at=start - datetime.timedelta(hours=1),
            location=make_location(),
        )
        with pytest.raises(ValidationError) as err:
            activity.full_clean()
        assert "end must be after the start" in str(err.value)

    def test_check_constraint_message_reaches_full_clean(self):
        program = Program(name="X", kind=ProgramKind.TWELVE_STEP, gender_served="men")
        with pytest.raises(ValidationError) as err:
            program.full_clean()
        assert "only apply to sober living" in str(err.value)


class TestApproach:
    def test_database_refuses_an_unknown_approach(self):
        violates(lambda: make_program(approach="astrology"))
        program = make_program()
        violates(lambda: Program.objects.filter(pk=program.pk).update(approach="astrology"))
        fellowship = Fellowship.objects.get(slug="aa")
        violates(lambda: Fellowship.objects.filter(pk=fellowship.pk).update(default_approach="x"))

    def test_full_clean_refuses_it_beside_the_field(self):
        program = Program(name="X", kind=ProgramKind.OTHER, approach="astrology")
        with pytest.raises(ValidationError) as err:
            program.full_clean()
        assert list(err.value.message_dict) == ["approach"]

    def test_blank_means_not_stated(self):
        program = make_program(kind=ProgramKind.OTHER)
        program.full_clean()
        assert program.approach == ""

    def test_a_program_takes_its_fellowships_approach_when_none_is_given(self):
        lifering = Fellowship.objects.get(slug="lifering")
        assert make_program(fellowship=lifering).approach == Approach.SECULAR

    def test_or_the_one_its_kind_implies(self):
        assert make_program(kind=ProgramKind.RECOVERY_COMMUNITY).approach == Approach.ALL_PATHWAYS
        assert make_program(kind=ProgramKind.SOBER_LIVING).approach == ""

    def test_cards_name_the_approach_only_where_the_kind_does_not_say_it(self):
        aa = Fellowship.objects.get(slug="aa")
        assert not make_program(fellowship=aa).shows_approach  # a 12-step group
        assert make_program(kind=ProgramKind.DUAL_DIAGNOSIS, fellowship=aa).shows_approach
        assert make_program(kind=ProgramKind.RECOVERY_COMMUNITY).shows_approach
        assert not make_program(kind=ProgramKind.SOBER_LIVING).shows_approach  # none stated

    def test_a_chosen_approach_is_kept(self):
        smart = Fellowship.objects.get(slug="smart")
        program = make_program(fellowship=smart, approach=Approach.FAMILY)
        program.save()
        assert Program.objects.get(pk=program.pk).approach == Approach.FAMILY


class TestSlugsAndUrls:
    def test_slugs_are_generated_and_unique(self):
        a = make_program(name="Hope Group")
        b = make_program(name="Hope Group")
        assert a.slug == "hope-group"
        assert b.slug == "hope-group-2"

    def test_absolute_urls(self):
        program = make_program(name="Hope Group")
        center = make_center(name="Harbor Clinic")
        activity = make_activity(name="Picnic in the Park")
        meeting = make_meeting(program=program)
        assert program.get_absolute_url() == "/program/hope-group/"
        assert center.get_absolute_url() == "/treatment-centres/harbor-clinic/"
        assert activity.get_absolute_url() == "/activities/picnic-in-the-park/"
        assert meeting.get_absolute_url() == f"/program/hope-group/#meeting-{meeting.pk}"


class TestTimezones:
    def test_next_start_uses_the_meetings_own_zone(self):
        # Monday 2026-11-23 at 20:30 in New York is 18:30 in Denver.
        now = datetime.datetime(2026, 11, 24, 1, 30, tzinfo=datetime.UTC)
        denver = make_location(city="Denver", state="CO", timezone="America/Denver")
        meeting = make_meeting(
            program=make_program(location=denver),
            weekday=1,
            start_time=datetime.time(19),
            timezone="America/Denver",
        )
        start = meeting.next_start(now)
        assert start.tzinfo == zoneinfo.ZoneInfo("America/Denver")
        assert start == datetime.datetime(
            2026, 11, 23, 19, 0, tzinfo=zoneinfo.ZoneInfo("America/Denver")
        )

    def test_next_start_rolls_to_next_week_once_started(self):
        now = datetime.datetime(2026, 11, 24, 2, 30, tzinfo=datetime.UTC)  # Mon 21:30 NY
        meeting = make_meeting(weekday=1, start_time=datetime.time(19))
        assert meeting.next_start(now).date() == datetime.date(2026, 11, 30)

    def test_activity_datetimes_are_aware(self):
        activity = make_activity()
        activity.refresh_from_db()
        assert timezone.is_aware(activity.starts_at)


def test_in_city_takes_the_meetings_place_or_else_its_programs_in_any_case():
    columbus, dayton = make_location(city="Columbus"), make_location(city="Dayton")
    at_home = make_program(name="At home", location=columbus)
    away = make_program(name="Away", location=dayton)
    own_place = make_meeting(program=away, location=make_location(city="COLUMBUS"))
    programs_place = make_meeting(program=at_home, location=None)
    make_meeting(program=at_home, location=dayton)  # its own place is elsewhere
    make_meeting(program=away, location=None)
    found = set(Meeting.objects.in_city("columbus"))
    assert found == {own_place, programs_place}


def test_zones_in_city_are_those_of_its_meetings_alone():
    columbus, denver = make_location(city="Columbus"), make_location(city="Denver")
    make_meeting(program=make_program(name="East"), location=columbus)
    make_meeting(program=make_program(name="Far"), location=columbus, timezone="America/Chicago")
    make_meeting(program=make_program(name="West"), location=denver, timezone="America/Denver")
    assert Meeting.objects.zones_in_city("columbus") == ["America/Chicago", "America/New_York"]
    assert Meeting.objects.zones_in_city("Denver") == ["America/Denver"]


def test_zones_in_city_take_a_name_with_spaces_without_a_cache_warning():
    import warnings

    make_meeting(program=make_program(name="Uptown"), location=make_location(city="New York"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Meeting.objects.zones_in_city("new york") == ["America/New_York"]


def test_load_services_gives_every_centre_its_care_and_payment_in_one_query(
    django_assert_num_queries,
):
    option = {o.code: o for o in ServiceOption.objects.all()}
    first, second, bare = (make_center(name=n) for n in ("First", "Second", "Bare"))
    first.levels_of_care.add(option["residential"], option["detox"])
    first.payment_options.add(option["self-pay"], option["medicaid"])
    first.medications.add(option["methadone"])
    second.levels_of_care.add(option["iop"])
    centers = list(TreatmentCenter.objects.order_by("name"))
    with django_assert_num_queries(1):
        load_services(centers)
    by_name = {c.name: c for c in centers}
    assert [o.code for o in by_name["First"].care_list] == ["detox", "residential"]
    assert [o.code for o in by_name["First"].payment_list] == ["medicaid", "self-pay"]
    assert [o.code for o in by_name["Second"].care_list] == ["iop"]
    assert by_name["Second"].payment_list == [] and by_name["Bare"].care_list == []
    # One object per option, however many cards show it.
    second.payment_options.add(option["medicaid"])
    again = list(TreatmentCenter.objects.filter(name__in=["First", "Second"]))
    load_services(again)
    assert again[0].payment_list[0] is again[1].payment_list[0]


def test_load_services_reads_the_kinds_asked_for(django_assert_num_queries):
    option = {o.code: o for o in ServiceOption.objects.all()}
    center = make_center(name="Clinic")
    center.levels_of_care.add(option["detox"])
    center.medications.add(option["methadone"], option["buprenorphine"])
    center.payment_options.add(option["medicaid"])
    with django_assert_num_queries(1):
        load_services([center], kinds=("care", "medication", "payment"))
    assert [o.code for o in center.medication_list] == ["buprenorphine", "methadone"]
    assert [o.code for o in center.care_list] == ["detox"]
    assert [o.code for o in center.payment_list] == ["medicaid"]
    listed = TreatmentCenter.objects.get(pk=center.pk)
    load_services([listed])  # a card's two lists: no medications read
    assert not hasattr(listed, "medication_list")
    with django_assert_num_queries(0):
        load_services([listed])
