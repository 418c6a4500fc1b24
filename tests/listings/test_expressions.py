"""Among: a column among the values a subquery selects, as one query."""

import datetime

import pytest

from listings.expressions import Among
from listings.models import Location
from programs.models import Meeting, Program
from tests.factories import make_meeting, make_program

pytestmark = pytest.mark.django_db


def test_keeps_the_rows_its_keys_select_with_the_rest_of_the_query(django_assert_num_queries):
    rows = [
        make_meeting(
            program=make_program(name=f"Group {n}"), weekday=n, start_time=datetime.time(7)
        )
        for n in range(5)
    ]
    everything = Meeting.objects.select_related("program").order_by("-weekday")
    picked = Meeting.objects.filter(weekday__in=[1, 3, 4]).order_by("weekday").values("pk")[:2]
    with django_assert_num_queries(1):
        found = list(everything.filter(Among("pk", picked)))
    assert [m.pk for m in found] == [rows[3].pk, rows[1].pk]
    assert found[0].program.name == "Group 3"  # joined as the outer query says
    assert list(everything.filter(Among("pk", picked[:0]))) == []


def test_names_any_column_and_combines_with_other_conditions():
    mine, other = make_program(name="Mine"), make_program(name="Other")
    kept = make_meeting(program=mine, weekday=1, start_time=datetime.time(7))
    make_meeting(program=mine, weekday=2, start_time=datetime.time(7))
    make_meeting(program=other, weekday=1, start_time=datetime.time(7))
    programs = Program.objects.filter(name="Mine").values("pk")
    assert list(Meeting.objects.filter(Among("program", programs), weekday=1)) == [kept]
    assert Meeting.objects.exclude(Among("program", programs)).count() == 1


def test_keys_are_read_in_no_order_unless_a_slice_needs_one():
    """A model's default order inside the keys is work for nothing; a slice's is not."""
    programs = Program.objects.order_by()
    whole = programs.filter(Among("location", Location.objects.values("pk")))
    assert "ORDER BY" not in str(whole.query)
    first = Location.objects.order_by("city").values("pk")[:2]
    assert "ORDER BY" in str(programs.filter(Among("location", first)).query)
