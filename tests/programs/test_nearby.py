"""Near me: place search, radius, distance sort, online meetings, confidential places, map."""

import json
import math
import re

import pytest
from django.urls import reverse

from listings import geo
from listings.models import Location
from programs.models import Attendance, ProgramKind
from tests.factories import make_activity, make_center, make_location, make_meeting, make_program

pytestmark = pytest.mark.django_db

DAYTON = (39.7563, -84.1895)  # centre of ZIP 45402
MILES_PER_DEGREE_LAT = math.radians(1) * geo.EARTH_RADIUS_MILES


def north_of_dayton(miles, **fields):
    fields.setdefault("city", "Dayton")
    fields.setdefault("postal_code", "45402")
    return make_location(
        latitude=DAYTON[0] + miles / MILES_PER_DEGREE_LAT, longitude=DAYTON[1], **fields
    )


def names(response):
    return [p.name for p in response.context["object_list"]]


def programs_near(client, **params):
    return client.get(reverse("programs:list"), params)


def test_radius_boundary_and_distance_sort(client):
    make_program(name="Just Inside", location=north_of_dayton(9.9))
    make_program(name="Just Outside", location=north_of_dayton(10.1))
    make_program(name="Very Close", location=north_of_dayton(0.5))
    response = programs_near(client, where="45402")
    assert names(response) == ["Very Close", "Just Inside"]
    html = response.content.decode()
    assert "0.5 mi" in html and "9.9 mi" in html
    assert "Within 10 miles of 45402 (Dayton, OH)" in html
    wider = programs_near(client, where="45402", radius="25")
    assert names(wider) == ["Very Close", "Just Inside", "Just Outside"]


def test_city_and_state_and_browser_coordinates(client):
    make_program(name="Dayton Group", location=north_of_dayton(1))
    make_program(name="Columbus Group")  # the factory's default place
    assert names(programs_near(client, where="Dayton, OH")) == ["Dayton Group"]
    assert names(programs_near(client, lat="39.757", lng="-84.190")) == ["Dayton Group"]


def test_other_filters_combine_with_distance(client):
    make_program(name="Near SMART", kind=ProgramKind.SMART, location=north_of_dayton(2))
    make_program(name="Near AA", location=north_of_dayton(1))
    response = programs_near(client, where="45402", kind="smart-recovery")
    assert names(response) == ["Near SMART"]
    assert names(programs_near(client, where="45402", sort="name")) == ["Near AA", "Near SMART"]


def test_online_only_meetings_are_offered_apart(client):
    near = make_program(name="Near Group", location=north_of_dayton(1))
    make_meeting(program=near)
    online = make_program(name="Zoom Group", location=None)
    make_meeting(
        program=online,
        attendance=Attendance.ONLINE,
        conference_url="https://zoom.us/j/123",
        timezone="America/New_York",
    )
    response = programs_near(client, where="45402")
    assert names(response) == ["Near Group"]
    assert [m.program.name for m in response.context["online_meetings"]] == ["Zoom Group"]
    assert "Online meetings you can join from anywhere" in response.content.decode()
    # Without a place there is no separate section: online groups are in the list itself.
    assert "Zoom Group" in names(programs_near(client))


def test_the_online_section_costs_one_query_however_many_it_shows(client):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_meeting(program=make_program(name="Near Group", location=north_of_dayton(1)))

    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            programs_near(client, where="45402")
        return len(captured)

    without = queries()
    for n in range(3):
        make_meeting(
            program=make_program(name=f"Zoom Group {n}", location=None),
            attendance=Attendance.ONLINE,
            conference_url="https://zoom.us/j/123",
            types=["O", "D"],
        )
    assert queries() == without


def zoom_group(name, **fields):
    return make_meeting(
        program=make_program(name=name, location=None, **fields),
        attendance=Attendance.ONLINE,
        conference_url="https://zoom.us/j/123",
    )


def online_offered(response):
    return [m.program.name for m in response.context["online_meetings"]]


def test_the_online_section_keeps_the_other_filters(client):
    from programs.models import Fellowship

    make_meeting(program=make_program(name="Near NA", location=north_of_dayton(1)))
    zoom_group("Zoom AA", fellowship=Fellowship.objects.get(slug="aa"))
    zoom_group("Zoom NA", fellowship=Fellowship.objects.get(slug="na"))
    zoom_group("Zoom SMART", kind=ProgramKind.SMART)
    assert online_offered(programs_near(client, where="45402", fellowship="na")) == ["Zoom NA"]
    assert online_offered(programs_near(client, where="45402", kind="smart-recovery")) == [
        "Zoom SMART"
    ]
    kind_page = client.get(reverse("programs:kind", args=["smart-recovery"]), {"where": "45402"})
    assert online_offered(kind_page) == ["Zoom SMART"]


class TestOnlineSectionKept:
    """With a cache every process shares, the online section is read once for each choice
    of the other filters, whatever the place, until a listing changes."""

    @pytest.fixture(autouse=True)
    def no_page_cache(self, settings, shared_cache):
        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page

    def queries(self, client, **params):
        """How many queries read online meetings, and the online meetings offered."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = programs_near(client, **params)
        online_reads = [q for q in captured if "'online', 'hybrid'" in q["sql"]]
        return len(online_reads), online_offered(response)

    def test_another_place_with_the_same_filters_reads_it_no_more(self, client):
        zoom_group("Zoom Group")
        assert self.queries(client, where="45402") == (1, ["Zoom Group"])
        assert self.queries(client, where="45402", radius="25") == (0, ["Zoom Group"])
        assert self.queries(client, where="Dayton, OH") == (0, ["Zoom Group"])
        assert self.queries(client, where="45402", kind="smart-recovery") == (1, [])

    def test_a_change_shows_on_the_next_request(self, client, django_capture_on_commit_callbacks):
        assert self.queries(client, where="45402") == (1, [])
        with django_capture_on_commit_callbacks(execute=True):
            zoom_group("Zoom Group")
        assert self.queries(client, where="45402") == (1, ["Zoom Group"])

    def test_a_filter_on_the_clock_keeps_it_for_the_minute(
        self, client, django_capture_on_commit_callbacks
    ):
        import datetime
        import zoneinfo

        import time_machine

        eastern = zoneinfo.ZoneInfo("America/New_York")
        with django_capture_on_commit_callbacks(execute=True):  # as a real save commits
            make_meeting(
                program=make_program(name="Zoom Group", location=None),
                attendance=Attendance.ONLINE,
                conference_url="https://zoom.us/j/123",
                timezone="America/New_York",
            )  # Mondays at 7 pm
        monday = datetime.datetime(2026, 11, 30, 18, 0, 30, tzinfo=eastern)
        with time_machine.travel(monday, tick=False):
            assert self.queries(client, where="45402", today="on") == (1, ["Zoom Group"])
            assert self.queries(client, where="45402", today="on") == (0, ["Zoom Group"])
        with time_machine.travel(monday + datetime.timedelta(days=1), tick=False):
            assert self.queries(client, where="45402", today="on") == (1, [])


class TestDistanceOrderKept:
    """With a cache every process shares, a place's results are sorted by distance once for
    each choice of filters; each page, and each visitor after, reads only its own rows,
    until a listing changes."""

    @pytest.fixture(autouse=True)
    def no_page_cache(self, settings, shared_cache):
        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page
        settings.LISTINGS_PER_PAGE = 2

    def sorted_and_names(self, client, url, **params):
        """How many queries read the matches in order of distance, and the names listed."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        # The order is read as keys, up to the count cap.
        sorts = [q for q in captured if q["sql"].endswith(" LIMIT 10000")]
        return len(sorts), names(response)

    @staticmethod
    def listed_at(listing, name, miles):
        if listing == "programs:list":
            make_program(name=name, location=north_of_dayton(miles))
        else:
            make_center(name=name, locations=0).locations.set([north_of_dayton(miles)])

    @pytest.mark.parametrize("listing", ["programs:list", "programs:center_list"])
    def test_the_order_is_read_once_and_paged_from(
        self, client, listing, django_capture_on_commit_callbacks
    ):
        for miles in (4, 1, 3, 2):
            self.listed_at(listing, f"{miles} miles", miles)
        url = reverse(listing)
        assert self.sorted_and_names(client, url, where="45402") == (1, ["1 miles", "2 miles"])
        assert self.sorted_and_names(client, url, where="45402") == (0, ["1 miles", "2 miles"])
        second = self.sorted_and_names(client, url, where="45402", page="2")
        assert second == (0, ["3 miles", "4 miles"])
        assert self.sorted_and_names(client, url, where="45402", radius="25")[0] == 1
        with django_capture_on_commit_callbacks(execute=True):
            self.listed_at(listing, "Nearest", 0.5)
        assert self.sorted_and_names(client, url, where="45402") == (1, ["Nearest", "1 miles"])


def test_ambiguous_city_offers_a_choice(client, settings):
    settings.HOME_STATE = "AZ"  # which has no Springfield to prefer
    response = programs_near(client, where="Springfield")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Which one did you mean?" in html
    assert re.search(r'href="\?[^"]*where=Springfield%2C\+IL', html)
    assert response.content.decode().count("<title>Error: ") == 1


def test_unknown_place_gets_a_message_and_suggestions(client):
    make_program(name="Still Listed")
    response = programs_near(client, where="Daytn, OH")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dayton, OH" in html  # suggested
    assert 'id="id_where_error"' in html
    assert names(response) == ["Still Listed"]  # the rest of the page still works


@pytest.mark.parametrize("junk", ["'; DROP TABLE x; --", "🙂🙂", "x" * 5000, "99999", "0"])
def test_junk_places_never_error(client, junk):
    assert programs_near(client, where=junk).status_code == 200


@pytest.mark.parametrize(("lat", "lng"), [("91", "0"), ("abc", "1"), ("", "5"), ("nan", "inf")])
def test_bad_coordinates_are_ignored(client, lat, lng):
    make_program(name="Anywhere")
    response = programs_near(client, lat=lat, lng=lng)
    assert response.status_code == 200
    assert names(response) == ["Anywhere"]


def test_confidential_home_matches_by_approximate_position_only(client):
    # The house is 0.3 miles from the ZIP centre; searches see it at the centre.
    secret = north_of_dayton(
        0.3, street_address="17 Hidden Way", is_confidential=True, postal_code="45402"
    )
    assert (secret.search_latitude, secret.search_longitude) == DAYTON
    make_program(name="Quiet House", kind=ProgramKind.SOBER_LIVING, location=secret)
    response = programs_near(client, where="45402")
    assert names(response) == ["Quiet House"]
    html = response.content.decode()
    assert "0.0 mi" in html  # the centre, not the door
    assert "Hidden Way" not in html
    assert f"{secret.latitude:.4f}" not in html
    markers = json.loads(re.search(r'id="map-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert markers == [
        {
            "name": "Quiet House",
            "url": markers[0]["url"],
            "lat": DAYTON[0],
            "lng": DAYTON[1],
            "approximate": True,
        }
    ]
    detail = client.get(markers[0]["url"]).content.decode()
    assert "Hidden Way" not in detail
    assert f"{secret.latitude:.4f}" not in detail
    assert "openstreetmap.org/directions" not in detail


def test_treatment_centres_use_their_nearest_location_and_25_miles(client):
    center = make_center(name="Two Sites", locations=0)
    center.locations.set([north_of_dayton(20), north_of_dayton(60)])
    make_center(name="Far Away", locations=0).locations.set([north_of_dayton(40)])
    response = client.get(reverse("programs:center_list"), {"where": "45402"})
    assert names(response) == ["Two Sites"]
    assert "20.0 mi" in response.content.decode()


def test_activities_near_a_place_skip_online_only_ones(client):
    make_activity(name="Nearby Picnic", location=north_of_dayton(3))
    make_activity(name="Columbus Walk")
    make_activity(name="Webinar", location=None, online_url="https://example.org/live")
    response = client.get(reverse("activities:list"), {"where": "45402"})
    assert [a.name for a in response.context["object_list"]] == ["Nearby Picnic"]


def test_saving_an_address_fills_approximate_coordinates(client):
    place = Location.objects.create(city="Dayton", state="OH", postal_code="45402")
    assert (place.latitude, place.longitude) == DAYTON
    assert place.coordinates_approximate
    exact = Location.objects.create(
        city="Dayton", state="OH", postal_code="45402", latitude=39.7601, longitude=-84.1920
    )
    assert (exact.latitude, exact.longitude) == (39.7601, -84.1920)
    assert not exact.coordinates_approximate
    assert (exact.search_latitude, exact.search_longitude) == (39.7601, -84.1920)


class TestMapIsOptIn:
    def test_list_pages_allow_the_tile_host_only_where_a_map_is_shown(self, client):
        make_program(name="On The Map", location=north_of_dayton(1))
        listing = client.get(reverse("programs:list"))
        assert "https://tile.openstreetmap.org" in listing["Content-Security-Policy"]
        assert "data-map" in listing.content.decode()
        for url in (reverse("home"), reverse("about"), reverse("privacy")):
            assert "tile.openstreetmap.org" not in client.get(url)["Content-Security-Policy"]

    def test_no_tile_is_referenced_in_html(self, client):
        make_program(name="On The Map", location=north_of_dayton(1))
        html = client.get(reverse("programs:list")).content.decode()
        # The tile URL appears only as a data attribute for the script, never as an image.
        assert not re.search(r"<img[^>]+tile\.openstreetmap", html)
        assert 'href="https://www.openstreetmap.org/#map=' in html  # script-free fallback

    def test_detail_without_script_links_to_directions(self, client):
        program = make_program(name="Public Hall", location=north_of_dayton(1))
        html = client.get(program.get_absolute_url()).content.decode()
        assert re.search(
            r'href="https://www.openstreetmap.org/directions\?to=[^"]+" data-map-toggle', html
        )
