"""Lists count up to a cap, then say "more than": an exact count of a national directory's
every program costs more than the page it heads."""

import re

import pytest
from django.test import override_settings
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


def page_links(response):
    """(label, href, current) of each link in the page list, as a reader hears them."""
    html = response.content.decode()
    start = html.index('<nav class="pagination"')
    nav = html[start : html.index("</nav>", start)]
    return [
        (re.sub(r"<[^>]+>", "", label), href, bool(current))
        for href, current, label in re.findall(
            r'<a href="([^"]*)"( aria-current="page")?[^>]*>(.*?)</a>', nav
        )
    ]


def test_a_deep_page_shows_itself_and_its_neighbours_among_the_pages(client, settings):
    settings.LISTINGS_PER_PAGE = 1
    for i in range(20):
        make_program(name=f"Group {i:02}", kind=ProgramKind.SMART)
    response = client.get(reverse("programs:list"), {"kind": "smart-recovery", "page": 10})
    links = page_links(response)
    labels = [label for label, _, _ in links]
    assert labels[0] == "‹ Previous page" and labels[-1] == "Next page ›"
    # The first and last pages, and those around the tenth: the tenth named as current.
    assert labels[1:-1] == [f"Page {n}" for n in (1, 2, 7, 8, 9, 10, 11, 12, 13, 19, 20)]
    assert [label for label, _, current in links if current] == ["Page 10"]
    assert "…" in response.content.decode().split('class="pagination"')[1].split("</nav>")[0]
    # Every link keeps the filters and changes the page alone.
    assert links[0][1] == "?kind=smart-recovery&amp;page=9"
    assert links[-1][1] == "?kind=smart-recovery&amp;page=11"


def test_page_links_escape_what_was_typed_and_keep_the_order_of_the_address(client):
    for i in range(3):
        make_program(name=f"Group {i}")
    with override_settings(LISTINGS_PER_PAGE=1):
        response = client.get(reverse("programs:list") + '?page=2&q=<b>"&sort=name')
    hrefs = [href for _, href, _ in page_links(response)]
    assert hrefs[0] == "?page=1&amp;q=%3Cb%3E%22&amp;sort=name"
    assert "<b>" not in response.content.decode().split('class="pagination"')[1]


def test_a_single_page_has_no_page_links(client):
    make_program(name="Alone")
    assert 'class="pagination"' not in client.get(reverse("programs:list")).content.decode()


def test_pages_are_named_in_spanish(client, settings):
    settings.LISTINGS_PER_PAGE = 1
    for i in range(3):
        make_program(name=f"Grupo {i}")
    labels = [label for label, _, _ in page_links(client.get("/es/programs/?page=2"))]
    assert labels == ["‹ Página Anterior", "Página 1", "Página 2", "Página 3", "Página Siguiente ›"]
