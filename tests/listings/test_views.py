"""The list view's querysets are made only when a page reads them (listings.views.Deferred)."""

from unittest import mock

import pytest
from django.urls import reverse

from activities.filters import ActivityFilter
from listings.views import Deferred, made
from programs.filters import CenterFilter, ProgramFilter
from programs.models import Program
from tests.factories import make_activity, make_center, make_meeting, make_program

pytestmark = pytest.mark.django_db


def test_a_deferred_queryset_is_made_once_and_only_when_read():
    calls = []

    def make():
        calls.append(1)
        return Program.objects.filter(name="Nobody")

    rows = Deferred(Program, make)
    assert rows.model is Program and calls == []  # the model is known without it
    assert rows.filter(pk=1).model is Program and calls == [1]
    assert rows.count() == 0 and calls == [1]
    assert made(rows) is rows.made and made(rows).query is rows.query
    assert made(Program.objects.none()).model is Program


def test_a_deferred_queryset_lacks_what_a_queryset_lacks():
    rows = Deferred(Program, Program.objects.all)
    with pytest.raises(AttributeError):
        rows.no_such_method  # noqa: B018


def filters_run(filterset_class, client, url):
    """How many times the list's filters made its queryset, for one request of `url`."""
    original = filterset_class.filter_queryset
    with mock.patch.object(
        filterset_class, "filter_queryset", autospec=True, side_effect=original
    ) as spy:
        response = client.get(url)
    assert response.status_code == 200
    return spy.call_count


@pytest.fixture
def kept(settings, shared_cache):
    settings.PAGE_CACHE_SECONDS = 0  # each request builds its page


@pytest.mark.parametrize(
    "query",
    ["", "?day=2&type=O", "?kind=12-step", "?where=43215&radius=25", "?q=hope"],
)
def test_a_programs_page_all_kept_makes_no_queryset(client, kept, query):
    program = make_program(name="Hope Group")
    make_meeting(program=program, weekday=2)
    url = reverse("programs:list") + query
    assert filters_run(ProgramFilter, client, url) >= 1
    assert filters_run(ProgramFilter, client, url) == 0
    assert "Hope Group" in client.get(url).content.decode()


def test_an_order_not_kept_is_read_each_time(client, kept):
    # By name, the database's index answers at once: nothing is kept, the query is made.
    make_meeting(program=make_program(name="Hope Group"), weekday=2)
    url = reverse("programs:list") + "?sort=name"
    assert filters_run(ProgramFilter, client, url) == 1
    assert filters_run(ProgramFilter, client, url) == 1


def test_centres_and_activities_all_kept_make_no_queryset(client, kept):
    make_center(name="Riverside Recovery")
    make_activity(name="Open Studio")
    for filterset_class, url in (
        (CenterFilter, reverse("programs:center_list")),
        (ActivityFilter, reverse("activities:list")),
    ):
        assert filters_run(filterset_class, client, url) >= 1
        assert filters_run(filterset_class, client, url) == 0


def test_without_a_shared_cache_every_page_makes_its_queryset(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_meeting(program=make_program(name="Hope Group"), weekday=2)
    url = reverse("programs:list")
    assert filters_run(ProgramFilter, client, url) == 1
    assert filters_run(ProgramFilter, client, url) == 1


def test_a_place_not_found_is_reported_on_a_kept_page_too(client, kept):
    make_meeting(program=make_program(name="Hope Group"), weekday=2)
    url = reverse("programs:list") + "?where=Nowhereville+Zzz"
    first = client.get(url).content.decode()
    assert filters_run(ProgramFilter, client, url) == 0
    second = client.get(url).content.decode()
    assert first == second
    assert "<title>Error:" in second
