"""No query string, however wrong, produces a server error on any list."""

import pytest
from django.urls import reverse

from activities.filters import ActivityFilter
from programs.filters import CenterFilter, ProgramFilter
from tests.factories import make_activity, make_center, make_meeting, make_program

pytestmark = pytest.mark.django_db

LISTS = [
    ("programs:list", ProgramFilter),
    ("programs:center_list", CenterFilter),
    ("activities:list", ActivityFilter),
    ("activities:past", ActivityFilter),
]

HOSTILE_VALUES = [
    "zzz-unknown",
    "-1",
    "99999999999999999999999",
    "3.5",
    "2026-13-45",
    "31/31/2026",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "\u202e\u0000",
    "🙂",
    "x" * 10_000,
]


@pytest.fixture(autouse=True)
def data():
    program = make_program(name="Sample Group")
    make_meeting(program=program)
    make_center(name="Sample Centre")
    make_activity(name="Sample Activity")


def every_param(filterset_class):
    return [*filterset_class.base_filters, "page", "where", "radius", "lat", "lng"]


CASES = [
    (url_name, param, value)
    for url_name, filterset_class in LISTS
    for param in every_param(filterset_class)
    for value in HOSTILE_VALUES
]


@pytest.mark.parametrize(("url_name", "param", "value"), CASES)
def test_hostile_value_never_errors(client, url_name, param, value):
    response = client.get(reverse(url_name), {param: value})
    assert response.status_code == 200, (url_name, param, value[:40])
    if value.startswith("<script>"):
        assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.parametrize("url_name", [name for name, _ in LISTS])
def test_repeated_and_combined_junk(client, url_name):
    query = "&".join(
        f"{p}={v}"
        for p in ("day", "type", "level", "page", "sort", "q")
        for v in ("1", "zz", "", "%ZZ")
    )
    response = client.get(reverse(url_name) + "?" + query)
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["0", "-5", "abc", "100000", "1e9"])
def test_out_of_range_pages_show_a_real_page(client, page):
    response = client.get(reverse("programs:list"), {"page": page})
    assert response.status_code == 200
    assert [p.name for p in response.context["object_list"]] == ["Sample Group"]


def test_calendar_feed_ignores_bad_filters(client):
    response = client.get(reverse("activities:feed"), {"date_from": "junk", "category": "zz"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
