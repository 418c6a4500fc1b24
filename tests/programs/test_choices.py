"""Filter choices and the types in use: cached, and never stale where the cache is shared."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Fellowship
from tests.factories import make_location, make_meeting, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(shared_cache, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the lists' own caching, not the whole page's


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).content.decode()
    return html, len(ctx.captured_queries)


def test_a_type_first_used_shows_in_the_glossary_on_the_next_request(
    client, shared_cache, django_capture_on_commit_callbacks
):
    make_meeting(types=["O"])
    url = reverse("programs:meeting_types")
    html, cold = queries(client, url)
    assert 'id="code-O"' in html and 'id="code-X"' not in html
    html, warm = queries(client, url)
    assert warm < cold  # the list of types in use came from the cache
    # And the definitions were written once and kept: the page reads no rows at all.
    assert warm == 0
    with django_capture_on_commit_callbacks(execute=True):
        make_meeting(types=["X"])
    html, _ = queries(client, url)
    assert 'id="code-X"' in html


def test_a_fellowship_first_used_is_offered_on_the_next_request(
    client, shared_cache, django_capture_on_commit_callbacks
):
    make_program(fellowship=Fellowship.objects.get(slug="aa"))
    url = reverse("programs:list")
    html, _ = queries(client, url)
    assert 'value="na"' not in html
    with django_capture_on_commit_callbacks(execute=True):
        make_program(fellowship=Fellowship.objects.get(slug="na"))
    html, _ = queries(client, url)
    assert 'value="na"' in html


def test_a_meeting_in_a_zone_not_used_before_counts_for_today_at_once(
    client, shared_cache, django_capture_on_commit_callbacks
):
    honolulu = make_location(city="Honolulu", state="HI", timezone="Pacific/Honolulu")
    # Tuesday 23:30 in New York is 18:30 in Honolulu, the same Tuesday.
    with time_machine.travel(datetime.datetime(2026, 12, 2, 4, 30, tzinfo=datetime.UTC)):
        make_meeting(weekday=2, start_time=datetime.time(19, 30))
        url = reverse("programs:meetings") + "?today=on"
        assert "Aloha" not in client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            make_meeting(
                program=make_program(name="Aloha Group", location=honolulu),
                weekday=2,
                start_time=datetime.time(19, 0),
                timezone="Pacific/Honolulu",
            )
        assert "Aloha Group" in client.get(url).content.decode()
