"""The national-scale generator behind the benchmarks (tests/benchmarks/national_data.py)."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from activities.models import Activity
from listings.models import Location, PublicationStatus
from programs.models import Meeting, Program, TreatmentCenter
from programs.schedule import utc_week_minute
from tests.benchmarks.national_data import SyntheticGenerator, main
from tests.demo.test_seed_demo import counts

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)


def generate(n, seed=1):
    lines = []
    SyntheticGenerator(lines.append, seed).generate(n)
    return "\n".join(lines)


def test_generates_proportional_synthetic_rows(demo):
    demo_counts = {
        "programs": Program.objects.count(),
        "meetings": Meeting.objects.count(),
        "activities": Activity.objects.count(),
    }
    output = generate(1000)
    assert "1,000 programs" in output

    programs = Program.objects.filter(source="synthetic")
    assert programs.count() == 1000
    assert Meeting.objects.filter(source="synthetic").count() == sum(1 + i % 3 for i in range(1000))
    assert TreatmentCenter.objects.filter(source="synthetic").count() == 50
    assert Activity.objects.filter(slug__startswith="syn-").count() == 100
    assert not programs.exclude(status=PublicationStatus.PUBLISHED).exists()
    assert not programs.filter(location=None).exists()
    assert programs.values("location__state").distinct().count() > 20
    assert not Meeting.objects.filter(source="synthetic", types=None).exists()
    assert (
        not Activity.objects.filter(slug__startswith="syn-")
        .filter(ends_at__lt=timezone.now())
        .exists()
    )

    for row in programs.order_by("pk")[:50]:
        row.full_clean()
    for row in Meeting.objects.filter(source="synthetic").order_by("pk")[:50]:
        row.full_clean()
    for row in TreatmentCenter.objects.filter(source="synthetic")[:10]:
        row.full_clean()
        assert row.locations.count() == 1 and row.levels_of_care.exists()
    for row in Activity.objects.filter(slug__startswith="syn-")[:20]:
        row.full_clean()

    after_first = counts()
    generate(1000)
    assert Program.objects.filter(source="synthetic").count() == 1000
    assert counts() == after_first, "a second run replaces the synthetic rows, no leftovers"

    # The hand-written rows are left as they were.
    assert Program.objects.exclude(source="synthetic").count() == demo_counts["programs"]
    assert Meeting.objects.exclude(source="synthetic").count() == demo_counts["meetings"]
    assert Activity.objects.exclude(slug__startswith="syn-").count() == demo_counts["activities"]


def test_is_deterministic_for_a_seed():
    generate(60, seed=7)
    first = list(Program.objects.order_by("source_id").values_list("name", "location__postal_code"))
    generate(60, seed=7)
    again = list(Program.objects.order_by("source_id").values_list("name", "location__postal_code"))
    assert first == again


def test_zero_removes_synthetic_rows():
    generate(30)
    generate(0)
    assert not Program.objects.exists()
    assert not Location.objects.exists()
    assert not Activity.objects.exists()


def test_generated_meetings_carry_their_schedule_columns():
    generate(40)
    meetings = Meeting.objects.filter(source="synthetic").select_related("program__location")
    for meeting in meetings[:30]:
        assert meeting.week_minute == meeting.weekday * 1440 + meeting.start_time.hour * 60 + (
            meeting.start_time.minute
        )
        assert meeting.utc_week_minute == utc_week_minute(meeting.week_minute, meeting.utc_offset)
        assert meeting.search_latitude == meeting.place.search_latitude is not None


def test_the_script_takes_a_count(capsys):
    main(["25", "--seed", "3"])
    assert "25 programs" in capsys.readouterr().out
    assert Program.objects.filter(source="synthetic").count() == 25
    with pytest.raises(SystemExit):
        main(["-1"])
