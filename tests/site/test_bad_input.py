"""No query string, however wrong, produces a server error on any list."""

import pytest
from django.test import Client
from django.urls import reverse

from activities.filters import ActivityFilter
from listings.validators import has_control_characters
from programs.filters import CenterFilter, MeetingFilter, ProgramFilter
from tests.factories import make_activity, make_center, make_meeting, make_program

pytestmark = pytest.mark.django_db

LISTS = [
    ("programs:list", ProgramFilter),
    ("programs:meetings", MeetingFilter),
    ("programs:right_now", MeetingFilter),
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
def data(settings):
    # Every response is rendered from the query it was given, never taken from the page cache.
    settings.PAGE_CACHE_SECONDS = 0
    program = make_program(name="Sample Group")
    make_meeting(program=program)
    make_center(name="Sample Centre")
    make_activity(name="Sample Activity")


def every_param(filterset_class):
    # The filter sets already hold where/radius/lat/lng; each name is tried once.
    return list(
        dict.fromkeys([*filterset_class.base_filters, "page", "where", "radius", "lat", "lng"])
    )


def problems_with(url, query, value):
    """What is wrong with the response to `query`, as a list of strings (empty when fine).

    Each request comes from a new client, and its page is rendered afresh (the page cache
    is off). What the site keeps until a listing changes (filter choices, counts) is kept
    between requests, as between visitors. A keyword box that reads words as filters answers
    with a redirect: the page it leads to is the one checked.
    """
    try:
        response = Client().get(url, query, follow=True)
    except Exception as exc:  # the test client re-raises a view's exception
        return [f"raised {type(exc).__name__}: {str(exc)[:200]}"]
    found = []
    # Control characters (a NUL) are refused with a clear page (test_request_input.py).
    expected = 400 if has_control_characters(value) else 200
    if response.status_code != expected:
        found.append(f"status {response.status_code}")
    if value.startswith("<script>") and b"<script>alert(1)</script>" in response.content:
        found.append("echoed the <script> value unescaped")
    return found


def shown(value):
    return value if len(value) <= 40 else f"{value[:40]}... ({len(value):,} characters)"


@pytest.mark.parametrize(("url_name", "filterset_class"), LISTS, ids=[name for name, _ in LISTS])
def test_hostile_values_never_error(url_name, filterset_class):
    """Every filter parameter, one at a time and all at once, with every hostile value."""
    url = reverse(url_name)
    params = every_param(filterset_class)
    failures = []
    for value in HOSTILE_VALUES:
        for param in params:
            for problem in problems_with(url, {param: value}, value):
                failures.append((url_name, param, shown(value), problem))
        for problem in problems_with(url, dict.fromkeys(params, value), value):
            failures.append((url_name, "(every parameter at once)", shown(value), problem))
    assert not failures, f"{len(failures)} failing (url, param, value):\n" + "\n".join(
        repr(failure) for failure in failures
    )


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


def test_the_search_box_takes_anything(client):
    failures = []
    for value in HOSTILE_VALUES:
        for query in ({"q": value}, {"where": value}, {"q": value, "where": value}):
            failures += [
                (query, p) for p in problems_with(reverse("programs:search"), query, value)
            ]
    assert not failures, failures


def test_calendar_feed_ignores_bad_filters(client):
    response = client.get(reverse("activities:feed"), {"date_from": "junk", "category": "zz"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
