"""Filter sets share their class's filters' options and form fields, never their state."""

import pytest
from django.http import QueryDict

from programs.filters import ProgramFilter
from programs.models import Program
from tests.factories import make_meeting, make_program

pytestmark = pytest.mark.django_db


def names(filterset):
    return sorted(p.name for p in filterset.qs)


def test_each_filter_set_reads_its_own_values_through_its_own_methods():
    make_meeting(program=make_program(name="Monday Group"), weekday=1)
    make_meeting(program=make_program(name="Wednesday Group"), weekday=3)
    monday = ProgramFilter(QueryDict("day=1"), queryset=Program.objects.published())
    wednesday = ProgramFilter(QueryDict("day=3&q=wednesday"), queryset=Program.objects.published())
    # Built side by side, then read: a method bound to the other filter set would mix them.
    assert names(wednesday) == ["Wednesday Group"]
    assert names(monday) == ["Monday Group"]
    for filterset in (monday, wednesday):
        for name, each in filterset.filters.items():
            assert each.parent is filterset, name
            assert each is not ProgramFilter.base_filters[name], name


def test_forms_share_fields_but_not_their_values_or_errors():
    good = ProgramFilter(QueryDict("day=2"), queryset=Program.objects.none()).form
    bad = ProgramFilter(QueryDict("day=banana"), queryset=Program.objects.none()).form
    assert good.is_valid()
    assert good.cleaned_data["day"] == ["2"]
    assert not bad.is_valid()
    assert "day" in bad.errors
    assert good.errors == {}
    assert good.fields is not bad.fields
    del bad.fields["day"]
    assert "day" in good.fields
    assert "day" in ProgramFilter(QueryDict(""), queryset=Program.objects.none()).form.fields
