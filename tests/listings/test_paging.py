"""Lists count up to a cap, then say "more than": an exact count of a national directory's
every program costs more than the page it heads."""

import pytest
from django.urls import reverse

from programs.models import ProgramKind
from tests.factories import make_activity, make_center, make_meeting, make_program

pytestmark = pytest.mark.django_db


def result_count(response):
    html = response.content.decode()
    start = html.index('id="result-count"')
    return " ".join(html[start : html.index("</p>", start)].split())


@pytest.fixture
def cap(settings):
    settings.LISTINGS_COUNT_CAP = 3
    settings.LISTINGS_PER_PAGE = 2
    return 3


def test_a_count_within_the_cap_is_exact(client, cap):
    for i in range(3):
        make_program(name=f"Group {i}")
    response = client.get(reverse("programs:list"), {"sort": "name"})
    assert response.context["paginator"].capped is False
    assert "3 programs match." in result_count(response)
    assert "Page 1 of 2." in result_count(response)


@pytest.mark.parametrize("sort", ["name", ""])  # "" is the next-meeting order
def test_past_the_cap_the_count_says_more_than(client, cap, sort):
    for i in range(5):
        make_meeting(program=make_program(name=f"Group {i}"))
    response = client.get(reverse("programs:list"), {"sort": sort} if sort else {})
    paginator = response.context["paginator"]
    assert paginator.capped is True
    assert paginator.count == 3
    text = result_count(response)
    assert "More than 3 programs match." in text
    assert "Narrow the search to see the rest." in text
    assert "5 programs" not in text


def test_filters_and_spanish_say_more_than_too(client, cap):
    for i in range(4):
        make_program(name=f"SMART {i}", kind=ProgramKind.SMART)
    response = client.get(reverse("programs:list"), {"kind": "smart-recovery", "sort": "name"})
    assert "More than 3 programs match your filters." in result_count(response)
    spanish = client.get("/es" + reverse("programs:list"), {"kind": "smart-recovery"})
    assert "Más de 3 programas" in result_count(spanish)


def test_centres_and_activities_are_capped_alike(client, cap):
    for i in range(4):
        make_center(name=f"Centre {i}")
        make_activity(name=f"Walk {i}")
    centres = client.get(reverse("programs:center_list"))
    assert "More than 3 treatment centres match." in result_count(centres)
    activities = client.get(reverse("activities:list"))
    assert "More than 3 activities match." in result_count(activities)


def test_the_last_page_within_the_cap_is_served(client, cap):
    for i in range(5):
        make_program(name=f"Group {i}")
    response = client.get(reverse("programs:list"), {"sort": "name", "page": "99"})
    assert response.status_code == 200
    # Three counted, two a page: page 2 is the last, and holds the third program.
    assert response.context["page_obj"].number == 2
    assert [p.name for p in response.context["object_list"]] == ["Group 2"]


@pytest.fixture
def shared_cache(shared_cache, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the count's own keeping, not the whole page's


def counts_made(client, url, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    counts = [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    return result_count(response), len(counts)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("programs:list", {"day": "1"}),
        ("programs:list", {"day": "1", "sort": "name", "page": "2"}),
        ("programs:center_list", {"city": "Columbus"}),
    ],
)
def test_a_count_is_kept_until_a_listing_changes(
    client, shared_cache, url, params, django_capture_on_commit_callbacks
):
    for i in range(3):
        make_meeting(program=make_program(name=f"Group {i}"), weekday=1)
        make_center(name=f"Centre {i}")
    url = reverse(url)
    text, counted = counts_made(client, url, params)
    assert "3 " in text and counted >= 1
    text_again, counted_again = counts_made(client, url, params)
    assert text_again == text and counted_again == 0
    with django_capture_on_commit_callbacks(execute=True):
        make_meeting(program=make_program(name="Group new"), weekday=1)
        make_center(name="Centre new")
    text, counted = counts_made(client, url, params)
    assert "4 " in text and counted >= 1


def test_a_count_that_depends_on_the_clock_is_never_kept(client, shared_cache):
    make_meeting(program=make_program(name="Group"), weekday=1)
    url = reverse("programs:list")
    assert counts_made(client, url, {"today": "on"})[1] >= 1
    assert counts_made(client, url, {"today": "on"})[1] >= 1


def test_each_language_keeps_its_own_count(client, shared_cache):
    # Keyword search stems words by the page's language, so a count kept for the English
    # page may not be the Spanish page's.
    make_meeting(program=make_program(name="Group"), weekday=1)
    url = reverse("programs:list")
    assert counts_made(client, url, {"q": "group"})[1] >= 1
    assert counts_made(client, url, {"q": "group"})[1] == 0
    assert counts_made(client, "/es" + url, {"q": "group"})[1] >= 1
