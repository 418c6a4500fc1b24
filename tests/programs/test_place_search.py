"""What people type as a place, through the list pages: towns, states, counties, positions."""

import re
from html import unescape

import pytest
from django.urls import reverse

from listings import geo
from programs.models import Attendance, Fellowship, ProgramKind
from tests.factories import make_activity, make_center, make_location, make_meeting, make_program

pytestmark = pytest.mark.django_db

# ZIP code centres, so each place is exactly where the gazetteer puts it.
DAYTON = {"city": "Dayton", "state": "OH", "postal_code": "45402"}
COLUMBUS = {"city": "Columbus", "state": "OH", "postal_code": "43215"}
SPRINGFIELD = {"city": "Springfield", "state": "OH", "postal_code": "45502"}
# Across the river from Cincinnati: near Ohio, but not in it.
COVINGTON = {"city": "Covington", "state": "KY", "postal_code": "41011"}
INDIANAPOLIS = {"city": "Indianapolis", "state": "IN", "postal_code": "46204"}


def at(place, **fields):
    point = geo.zip_info(place["postal_code"])
    return make_location(latitude=point.latitude, longitude=point.longitude, **place, **fields)


def names(response):
    return sorted(getattr(o, "name", "") for o in response.context["object_list"])


def meeting_names(response):
    return sorted(o.meeting.display_name for o in response.context["occurrences"])


def html_of(response):
    return unescape(response.content.decode())


def place_links(response):
    return re.findall(r'class="place-choices">(.*?)</ul>', html_of(response), re.S)


class TestBareTowns:
    def test_dayton_is_dayton_ohio_with_the_others_offered(self, client):
        make_program(name="Dayton Group", location=at(DAYTON))
        make_program(name="Columbus Group", location=at(COLUMBUS))
        response = client.get(reverse("programs:list"), {"where": "Dayton", "day": "2"})
        assert names(response) == []  # no meeting on Tuesday yet: the day still applies
        response = client.get(reverse("programs:list"), {"where": "Dayton"})
        assert names(response) == ["Dayton Group"]
        html = html_of(response)
        assert "Within 10 miles of Dayton, OH." in html
        assert "Not Dayton, OH? Did you mean:" in html
        (links,) = place_links(response)
        assert '<a href="?where=Dayton%2C+KY">Dayton, KY</a>' in links
        assert "Dayton, OH<" not in links
        assert not response.context["filter"].form.errors

    def test_springfield_is_springfield_ohio(self, client):
        make_program(name="Springfield Group", location=at(SPRINGFIELD))
        make_program(name="Dayton Group", location=at(DAYTON))  # 24 miles away
        response = client.get(reverse("programs:list"), {"where": "Springfield"})
        assert names(response) == ["Springfield Group"]
        assert "Springfield, IL" in place_links(response)[0]

    def test_portland_without_one_in_the_home_state_asks_which(self, client, settings):
        settings.HOME_STATE = "CA"
        make_program(name="Anywhere", location=at(COLUMBUS))
        response = client.get(reverse("programs:list"), {"where": "Portland"})
        html = html_of(response)
        assert "Which one did you mean?" in html
        assert '<a href="?where=Portland%2C+OR">Portland, OR</a>' in html
        assert names(response) == ["Anywhere"]  # no place is applied until one is chosen


class TestStates:
    @pytest.fixture
    def listings(self):
        aa = Fellowship.objects.get(slug="aa")
        dayton = make_program(name="Dayton AA", location=at(DAYTON), fellowship=aa)
        make_meeting(program=dayton, weekday=2)
        columbus = make_program(name="Columbus AA", location=at(COLUMBUS), fellowship=aa)
        make_meeting(program=columbus, weekday=2)
        covington = make_program(name="Covington AA", location=at(COVINGTON), fellowship=aa)
        make_meeting(program=covington, weekday=2)
        indy = make_program(name="Indianapolis AA", location=at(INDIANAPOLIS), fellowship=aa)
        # An Indiana group meeting in Ohio, and an Ohio group meeting across the river.
        make_meeting(program=indy, weekday=2, name="Indy group in Dayton", location=at(DAYTON))
        make_meeting(
            program=columbus, weekday=2, name="Columbus group in Kentucky", location=at(COVINGTON)
        )
        online = make_program(name="Zoom AA", location=None, fellowship=aa)
        make_meeting(
            program=online,
            weekday=2,
            attendance=Attendance.ONLINE,
            conference_url="https://zoom.us/j/1",
            timezone="America/New_York",
        )

    @pytest.mark.parametrize("typed", ["Ohio", "OH", "ohio"])
    def test_programs_in_ohio_and_none_from_elsewhere(self, client, listings, typed):
        response = client.get(reverse("programs:list"), {"where": typed})
        assert names(response) == ["Columbus AA", "Dayton AA"]
        html = html_of(response)
        assert "2 programs in Ohio match your filters." in html
        assert "miles of" not in html
        assert not response.context["filter"].form.errors
        # Online groups have no state; they are offered apart, as with a distance search.
        assert [m.program.name for m in response.context["online_meetings"]] == ["Zoom AA"]

    def test_ohio_offers_the_town_of_that_name(self, client, listings):
        response = client.get(reverse("programs:list"), {"where": "Ohio", "day": "2"})
        assert "Not Ohio? Did you mean:" in html_of(response)
        (links,) = place_links(response)
        assert '<a href="?where=Ohio%2C+IL&day=2">Ohio, IL</a>' in links

    def test_a_state_has_no_distance_and_keeps_the_default_sort(self, client, listings):
        response = client.get(reverse("programs:list"), {"where": "Ohio", "sort": "distance"})
        filterset = response.context["filter"]
        assert filterset.sort_key == "next"
        assert "distance" not in dict(filterset.sort_options)
        assert all(
            getattr(p, "distance_miles", None) is None for p in response.context["object_list"]
        )
        assert " mi</span>" not in html_of(response)

    def test_a_state_with_other_filters(self, client, listings):
        make_program(name="Dayton SMART", kind=ProgramKind.SMART, location=at(DAYTON))
        response = client.get(reverse("programs:list"), {"where": "Ohio", "kind": "smart-recovery"})
        assert names(response) == ["Dayton SMART"]

    def test_meetings_in_ohio_by_their_own_place_else_their_program_s(self, client, listings):
        response = client.get(reverse("programs:meetings"), {"where": "Ohio"})
        assert meeting_names(response) == ["Columbus AA", "Dayton AA", "Indy group in Dayton"]
        html = html_of(response)
        assert "Meetings in Ohio from now that match your filters." in html
        online = [o.meeting.display_name for o in response.context["online_occurrences"]]
        assert online == ["Zoom AA"]

    def test_meetings_in_kentucky(self, client, listings):
        response = client.get(reverse("programs:meetings"), {"where": "Kentucky"})
        assert meeting_names(response) == ["Columbus group in Kentucky", "Covington AA"]

    def test_treatment_centres_with_any_location_in_the_state(self, client):
        both = make_center(name="Both Sides", locations=0)
        both.locations.set([at(COVINGTON), at(DAYTON)])
        make_center(name="Kentucky Only", locations=0).locations.set([at(COVINGTON)])
        response = client.get(reverse("programs:center_list"), {"where": "OH", "sort": "distance"})
        assert names(response) == ["Both Sides"]
        assert getattr(response.context["object_list"][0], "distance_miles", None) is None
        assert "1 treatment centre in Ohio matches your filters." in html_of(response)

    def test_activities_in_the_state(self, client):
        make_activity(name="Dayton Picnic", location=at(DAYTON))
        make_activity(name="Covington Walk", location=at(COVINGTON))
        make_activity(name="Webinar", location=None, online_url="https://example.org/live")
        response = client.get(reverse("activities:list"), {"where": "Ohio"})
        assert names(response) == ["Dayton Picnic"]
        assert "1 activity in Ohio matches your filters." in html_of(response)

    def test_right_now_in_a_state_lists_what_is_on_there(self, client, listings):
        response = client.get(reverse("programs:right_now"), {"where": "Ohio"})
        html = html_of(response)
        assert "In Ohio: under way or starting within the hour" in html
        for occurrence in response.context["near"]:
            assert occurrence.meeting.place.state == "OH"

    def test_new_york_is_the_state_washington_dc_is_the_town(self, client):
        make_program(
            name="Albany Group",
            location=at({"city": "Albany", "state": "NY", "postal_code": "12207"}),
        )
        make_program(
            name="DC Group",
            location=at({"city": "Washington", "state": "DC", "postal_code": "20001"}),
        )
        assert names(client.get(reverse("programs:list"), {"where": "New York"})) == [
            "Albany Group"
        ]
        response = client.get(reverse("programs:list"), {"where": "Washington, DC"})
        assert names(response) == ["DC Group"]
        assert "Within 10 miles of Washington, DC." in html_of(response)


class TestCounties:
    def test_franklin_county_covers_columbus_and_not_dayton(self, client):
        make_program(name="Columbus Group", location=at(COLUMBUS))
        make_program(
            name="Westerville Group",
            location=at({"city": "Westerville", "state": "OH", "postal_code": "43081"}),
        )
        make_program(name="Dayton Group", location=at(DAYTON))
        for typed in ("Franklin County, OH", "Franklin County Ohio", "franklin county"):
            response = client.get(reverse("programs:list"), {"where": typed})
            assert names(response) == ["Columbus Group", "Westerville Group"], typed
        filterset = response.context["filter"]
        reach = filterset.place.reach_miles
        assert filterset.radius_miles == reach > 10
        html = html_of(response)
        assert f"Within {reach} miles of the centre of Franklin County, OH." in html
        assert re.search(r"\d+\.\d mi</span>", html)  # distances from the county's centre

    def test_a_wider_chosen_radius_is_kept(self, client):
        make_program(name="Dayton Group", location=at(DAYTON))
        response = client.get(
            reverse("programs:list"), {"where": "Franklin County, OH", "radius": "100"}
        )
        assert response.context["filter"].radius_miles == 100
        assert names(response) == ["Dayton Group"]


PAGES = {
    "programs": ("programs:list", {"day": "2", "fellowship": "aa"}),
    "meetings": ("programs:meetings", {"day": "2", "fellowship": "aa"}),
    "centres": ("programs:center_list", {"level": "iop", "payment": "medicaid"}),
    "activities": ("activities:list", {"category": "art", "free": "on"}),
}


@pytest.fixture
def one_of_each():
    """For every page, one listing that matches its filters and one that does not."""
    from programs.models import ServiceOption

    aa = Fellowship.objects.get(slug="aa")
    make_meeting(program=make_program(name="AA Tuesday", fellowship=aa), weekday=2)
    make_meeting(program=make_program(name="AA Monday", fellowship=aa), weekday=1)
    make_meeting(program=make_program(name="Other Tuesday"), weekday=2)
    wanted = make_center(name="IOP Medicaid")
    wanted.levels_of_care.add(ServiceOption.objects.get(code="iop"))
    wanted.payment_options.add(ServiceOption.objects.get(code="medicaid"))
    make_center(name="Plain Centre")
    make_activity(name="Free Art", is_free=True)
    make_activity(name="Paid Art", is_free=False)


EXPECTED = {
    "programs": ["AA Tuesday"],
    "meetings": ["AA Tuesday"],
    "centres": ["IOP Medicaid"],
    "activities": ["Free Art"],
}


def shown(page, response):
    return meeting_names(response) if page == "meetings" else names(response)


def checked_boxes(response):
    return set(
        re.findall(
            r'<input type="checkbox" name="(\w+)" value="([\w-]+)"[^>]* checked', html_of(response)
        )
    )


class TestNearMeErrorsKeepTheOtherFilters:
    @pytest.mark.parametrize("page", list(PAGES))
    @pytest.mark.parametrize(
        ("lat", "lng"), [("91", "0"), ("abc", "-84"), ("", "-84.19"), ("nan", "inf")]
    )
    def test_an_unreadable_position(self, client, one_of_each, page, lat, lng):
        url, filters = PAGES[page]
        response = client.get(reverse(url), {"lat": lat, "lng": lng, **filters})
        assert response.status_code == 200
        assert shown(page, response) == EXPECTED[page]
        html = html_of(response)
        assert "We couldn't use the location your browser sent." in html
        assert 'id="id_where_error"' in html
        # Not sent again with the next search...
        assert '<input type="hidden" name="lat" id="id_lat">' in html
        assert '<input type="hidden" name="lng" id="id_lng">' in html
        # ...while every filter chosen stays chosen, and removable one by one.
        chips = response.context["active_filters"]
        assert len(chips) == len(filters)
        for chip in chips:
            assert "lat=" not in chip["url"] and "lng=" not in chip["url"]
        boxes = {(name, value) for name, value in filters.items() if value != "on"}
        assert boxes <= checked_boxes(response)

    @pytest.mark.parametrize("page", list(PAGES))
    @pytest.mark.parametrize("typed", ["Qwxzv", "Dayton, ZZ", "x" * 150])
    def test_an_unreadable_typed_place(self, client, one_of_each, page, typed):
        url, filters = PAGES[page]
        response = client.get(reverse(url), {"where": typed, **filters})
        assert response.status_code == 200
        assert shown(page, response) == EXPECTED[page]
        assert 'id="id_where_error"' in html_of(response)
        assert len(response.context["active_filters"]) == len(filters) + 1
        boxes = {(name, value) for name, value in filters.items() if value != "on"}
        assert boxes <= checked_boxes(response)

    @pytest.mark.parametrize("page", list(PAGES))
    def test_a_place_typed_after_using_the_position_wins(self, client, page):
        make_program(name="Dayton Group", location=at(DAYTON))
        make_meeting(program=make_program(name="Dayton Meeting", location=at(DAYTON)))
        make_center(name="Dayton Centre", locations=0).locations.set([at(DAYTON)])
        make_activity(name="Dayton Walk", location=at(DAYTON))
        make_program(name="Columbus Group", location=at(COLUMBUS))
        url, _ = PAGES[page]
        columbus = geo.zip_info("43215")
        response = client.get(
            reverse(url),
            {"where": "Dayton, OH", "lat": columbus.latitude, "lng": columbus.longitude},
        )
        assert response.context["filter"].place.label == "Dayton, OH"
        assert all("Dayton" in name for name in shown(page, response))
        assert shown(page, response)
        html = html_of(response)
        assert '<input type="hidden" name="lat" id="id_lat">' in html
        assert [c["label"] for c in response.context["active_filters"]] == [
            "Near (ZIP code or town): Dayton, OH"
        ]

    def test_a_usable_position_is_one_removable_filter(self, client, one_of_each):
        point = geo.zip_info("43215")
        response = client.get(
            reverse("programs:list"),
            {"lat": point.latitude, "lng": point.longitude, "day": "2", "fellowship": "aa"},
        )
        assert names(response) == ["AA Tuesday"]
        chips = response.context["active_filters"]
        labels = [c["label"] for c in chips]
        assert labels[0] == "Near your location"
        assert "[invalid name]" not in " ".join(labels)
        assert chips[0]["url"] == "?day=2&fellowship=aa"
        tuesday = next(c for c in chips if c["label"].endswith("Tuesday"))
        assert f"lat={point.latitude}" in tuesday["url"]
        assert f"lng={point.longitude}" in tuesday["url"]

    def test_right_now_keeps_filters_its_form_does_not_show(self, client, one_of_each):
        response = client.get(
            reverse("programs:right_now"), {"lat": "91", "lng": "0", "fellowship": "aa", "day": "2"}
        )
        html = html_of(response)
        assert "We couldn't use the location your browser sent." in html
        form = re.search(r"<form[^>]*right-now-form.*?</form>", html, re.S).group(0)
        assert '<input type="hidden" name="fellowship" value="aa">' in form
        assert '<input type="hidden" name="day" value="2">' in form
