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
