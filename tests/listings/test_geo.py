"""Place parsing, distances and coordinate back-fill (listings.geo)."""

import gc
import math
import threading
import time

import pytest
import zipcodes
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from listings import geo
from listings.geo import (
    MAX_QUERY_LENGTH,
    RADIUS_CHOICES,
    bounding_box,
    distance_expression,
    fill_coordinates,
    haversine_miles,
    parse_coordinates,
    resolve_place,
)
from listings.models import Location
from listings.week import zone_or_none
from programs.models import Program
from tests.factories import make_location, make_program

DAYTON_45402 = (39.7563, -84.1895)


def reference_miles(lat1, lng1, lat2, lng2):
    """Haversine written independently of listings.geo (atan2 form, rounder radius)."""
    radius = 6371.0 / 1.609344
    dlat = math.radians(lat2 - lat1)
    dlng = math.radians(lng2 - lng1)
    h = (
        math.sin(dlat / 2) ** 2
        + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlng / 2) ** 2
    )
    return radius * 2 * math.atan2(math.sqrt(h), math.sqrt(1 - h))


def destination(lat, lng, bearing_degrees, miles):
    """The point `miles` away from (lat, lng) heading `bearing_degrees`, on the sphere.

    It uses the module's radius: the box has to hold what the distance filter will keep.
    """
    delta = miles / geo.EARTH_RADIUS_MILES
    phi, lam, theta = math.radians(lat), math.radians(lng), math.radians(bearing_degrees)
    phi2 = math.asin(
        math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta)
    )
    lam2 = lam + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi),
        math.cos(delta) - math.sin(phi) * math.sin(phi2),
    )
    lng2 = (math.degrees(lam2) + 540) % 360 - 180
    return math.degrees(phi2), lng2


def zip_point(code):
    (row,) = zipcodes.matching(code)
    return float(row["lat"]), float(row["long"])


# --- Place parsing ---------------------------------------------------------------------------


class TestZipCodes:
    @pytest.mark.parametrize(
        "text", ["45402", "45402-1234", "45402 1234", "454021234", " 45402 ", "Dayton, OH 45402"]
    )
    def test_zip_and_zip_plus_four(self, text):
        place = resolve_place(text)
        assert place.kind == "zip"
        assert place.label == "45402 (Dayton, OH)"
        assert (place.latitude, place.longitude) == DAYTON_45402
        assert place.found and place.message == ""

    def test_label_resolves_again(self):
        assert resolve_place("45402 (Dayton, OH)") == resolve_place("45402")

    @pytest.mark.parametrize("text", ["99999", "00000", "09001"])
    def test_unknown_or_unplaceable_zip(self, text):
        place = resolve_place(text)
        assert place.kind == "unknown"
        assert not place.found
        assert text in place.message

    @pytest.mark.parametrize("text", ["4540", "454", "45402-12", "1234567"])
    def test_wrong_number_of_digits(self, text):
        place = resolve_place(text)
        assert place.kind == "unknown"
        assert "five digits" in place.message

    def test_unknown_zip_after_a_known_town_falls_back_to_the_town(self):
        place = resolve_place("Dayton, OH 45499")
        assert place.kind == "city"
        assert place.label == "Dayton, OH"


class TestTowns:
    @pytest.mark.parametrize(
        "text",
        [
            "Dayton, OH",
            "dayton oh",
            "DAYTON,OH",
            "  Dayton ,  oh ",
            "Dayton, Ohio",
            "dayton ohio",
            "Dayton, OH, USA",
        ],
    )
    def test_city_and_state_spellings(self, text):
        place = resolve_place(text)
        assert place.kind == "city"
        assert place.label == "Dayton, OH"
        # The town's centre lies among its ZIP codes, a few miles from downtown.
        assert haversine_miles(place.latitude, place.longitude, *DAYTON_45402) < 5

    @pytest.mark.parametrize(
        "text",
        ["Saint Louis, MO", "St. Louis, MO", "St Louis, MO", "st louis mo", "St. Louis Missouri"],
    )
    def test_saint_spellings(self, text):
        place = resolve_place(text)
        assert place.kind == "city"
        assert place.label == "Saint Louis, MO"

    @pytest.mark.parametrize(
        "text, label",
        [
            ("Ft Worth, TX", "Fort Worth, TX"),
            ("Wilkes-Barre, PA", "Wilkes Barre, PA"),
            ("O'Fallon, MO", "O Fallon, MO"),
            ("O\u2019Fallon MO", "O Fallon, MO"),
            ("Espa\u00f1ola, NM", "Espanola, NM"),
            ("Washington, D.C.", "Washington, DC"),
            ("Kansas City MO", "Kansas City, MO"),
            ("Phila, PA", "Philadelphia, PA"),
        ],
    )
    def test_other_spellings(self, text, label):
        place = resolve_place(text)
        assert (place.kind, place.label) == ("city", label)

    # Arizona has no Springfield, so none is preferred.
    @override_settings(HOME_STATE="AZ")
    def test_ambiguous_bare_city_offers_choices_most_zip_codes_first(self):
        place = resolve_place("Springfield")
        assert place.kind == "ambiguous"
        assert not place.found
        assert {"Springfield, IL", "Springfield, MO", "Springfield, OH"} <= set(place.choices)
        assert place.choices[0] == "Springfield, IL"
        assert len(place.choices) <= 10
        assert "Springfield" in place.message

    @override_settings(HOME_STATE="AZ")
    def test_every_choice_resolves_to_a_town(self):
        for label in resolve_place("Springfield").choices:
            place = resolve_place(label)
            assert (place.kind, place.label) == ("city", label)

    def test_unique_bare_city(self):
        place = resolve_place("Chicago")
        assert (place.kind, place.label) == ("city", "Chicago, IL")
        assert place.found

    @override_settings(HOME_STATE="NY")
    def test_new_york_is_a_city_not_only_a_state(self):
        assert resolve_place("New York").label == "New York, NY"

    def test_city_label_resolves_again(self):
        place = resolve_place("st louis mo")
        assert resolve_place(place.label) == place


class TestHomeState:
    """A name typed alone means the one in settings.HOME_STATE (OH in the tests) first."""

    @pytest.mark.parametrize("name", ["Dayton", "Columbus", "Cincinnati", "Springfield"])
    def test_a_bare_town_is_the_one_in_the_home_state(self, name):
        place = resolve_place(name)
        assert (place.kind, place.label) == ("city", f"{name}, OH")
        explicit = resolve_place(f"{name}, OH")
        assert (place.latitude, place.longitude) == (explicit.latitude, explicit.longitude)
        assert place.suggestions, "the same-named towns elsewhere are offered"
        assert not any(label.endswith(", OH") for label in place.suggestions)
        assert all(label.startswith(f"{name}, ") for label in place.suggestions)

    def test_dayton_offers_the_other_daytons_most_zip_codes_first(self):
        place = resolve_place("Dayton")
        assert haversine_miles(place.latitude, place.longitude, *DAYTON_45402) < 5
        counts = {}
        for row in zipcodes.filter_by(city="Dayton", active=True):
            counts[row["state"]] = counts.get(row["state"], 0) + 1
        others = sorted((-n, state) for state, n in counts.items() if state != "OH")
        assert len(others) > geo.MAX_SUGGESTIONS
        expected = tuple(f"Dayton, {state}" for _, state in others[: geo.MAX_SUGGESTIONS])
        assert place.suggestions == expected
        for label in place.suggestions:
            assert (resolve_place(label).kind, resolve_place(label).label) == ("city", label)

    def test_springfield_is_springfield_ohio_with_illinois_offered(self):
        place = resolve_place("Springfield")
        assert place.label == "Springfield, OH"
        assert place.suggestions[0] == "Springfield, IL"

    def test_a_town_found_only_elsewhere_still_resolves(self):
        assert resolve_place("Chicago").label == "Chicago, IL"
        assert resolve_place("Chicago").suggestions == ()

    def test_a_name_shared_only_outside_the_home_state_stays_ambiguous(self):
        place = resolve_place("Rochester")
        assert place.kind == "ambiguous"
        assert place.choices[:2] == ("Rochester, NY", "Rochester, MN")
        assert not place.found

    def test_portland_is_ambiguous_where_the_home_state_has_none(self, settings):
        # Ohio has a Portland (ZIP 45770), so the case the brief meant needs another state.
        assert resolve_place("Portland").label == "Portland, OH"
        settings.HOME_STATE = "CA"
        place = resolve_place("Portland")
        assert place.kind == "ambiguous"
        assert place.choices[:2] == ("Portland, OR", "Portland, ME")

    def test_the_answer_follows_the_setting(self, settings):
        assert resolve_place("Dayton").label == "Dayton, OH"
        settings.HOME_STATE = "KY"
        place = resolve_place("Dayton")
        assert place.label == "Dayton, KY"
        assert "Dayton, OH" in place.suggestions


class TestStates:
    @pytest.mark.parametrize(
        "text",
        ["Ohio", "OH", "ohio", "oh", "Ohio, USA", "State of Ohio", "ohio state", "Ohio (state)"],
    )
    def test_a_state_is_the_whole_state(self, text):
        place = resolve_place(text)
        assert (place.kind, place.state, place.label) == ("state", "OH", "Ohio")
        assert not place.found
        assert place.message == ""

    def test_ohio_is_the_state_with_the_town_in_illinois_offered(self):
        assert resolve_place("Ohio").suggestions == ("Ohio, IL",)

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("New York", "NY"),
            ("West Virginia", "WV"),
            ("north carolina", "NC"),
            ("New Mexico", "NM"),
            ("Rhode Island", "RI"),
            ("District of Columbia", "DC"),
            ("Washington", "WA"),
            ("Washington State", "WA"),
        ],
    )
    def test_state_names_of_several_words_or_shared_with_towns(self, text, code):
        place = resolve_place(text)
        assert (place.kind, place.state) == ("state", code)

    def test_new_york_the_state_offers_the_city(self):
        assert resolve_place("New York").suggestions == ("New York, NY",)
        assert resolve_place("New York, NY").kind == "city"

    @pytest.mark.parametrize("text", ["Washington, DC", "Washington DC", "Washington, D.C."])
    def test_washington_dc_stays_a_town(self, text):
        place = resolve_place(text)
        assert (place.kind, place.label) == ("city", "Washington, DC")

    def test_washington_offers_the_towns_of_that_name(self):
        place = resolve_place("Washington")
        assert place.suggestions[0] == "Washington, DC"
        for label in place.suggestions:
            assert resolve_place(label).kind == "city"

    def test_a_town_in_the_home_state_wins_over_a_state(self, settings):
        # Kansas, OH is a village; the state stays one click away.
        place = resolve_place("Kansas")
        assert (place.kind, place.label) == ("city", "Kansas, OH")
        assert place.suggestions[0] == "Kansas (state)"
        assert resolve_place("Kansas (state)").state == "KS"
        settings.HOME_STATE = "PA"
        place = resolve_place("Washington")
        assert (place.kind, place.label) == ("city", "Washington, PA")
        assert place.suggestions[0] == "Washington (state)"
        assert resolve_place(place.suggestions[0]).state == "WA"

    def test_a_town_named_like_a_state_is_still_that_town(self):
        assert resolve_place("Mississippi State").label == "Mississippi State, MS"
        assert resolve_place("Ohio, IL").label == "Ohio, IL"


def franklin_county_zip_points():
    rows = zipcodes.filter_by(county="Franklin County", state="OH", active=True)
    return [(float(row["lat"]), float(row["long"])) for row in rows]


class TestCounties:
    @pytest.mark.parametrize(
        "text",
        [
            "Franklin County, OH",
            "Franklin County Ohio",
            "franklin county oh",
            "Franklin Co., OH",
            "Franklin Co",
            "Franklin County",
        ],
    )
    def test_a_county_is_its_centre_and_reach(self, text):
        place = resolve_place(text)
        assert (place.kind, place.label) == ("county", "Franklin County, OH")
        assert place.found
        points = franklin_county_zip_points()
        assert len(points) > 40
        centre = (
            sum(p[0] for p in points) / len(points),
            sum(p[1] for p in points) / len(points),
        )
        assert haversine_miles(place.latitude, place.longitude, *centre) < 0.1
        farthest = max(haversine_miles(place.latitude, place.longitude, *p) for p in points)
        assert farthest < place.reach_miles <= farthest + geo.COUNTY_MARGIN_MILES + 1

    def test_a_bare_county_is_the_one_in_the_home_state(self):
        place = resolve_place("Hamilton county")
        assert (place.kind, place.label) == ("county", "Hamilton County, OH")
        assert "Hamilton County, IN" in place.suggestions
        assert resolve_place("Hamilton County, IN").label == "Hamilton County, IN"
        assert resolve_place("Franklin County, OH").suggestions == ()

    def test_a_county_found_only_elsewhere_or_shared_elsewhere(self):
        assert resolve_place("Contra Costa County").label == "Contra Costa County, CA"
        place = resolve_place("St. Louis County")
        assert place.kind == "ambiguous"
        assert set(place.choices) == {"St. Louis County, MN", "St. Louis County, MO"}
        for label in place.choices:
            assert (resolve_place(label).kind, resolve_place(label).label) == ("county", label)

    def test_the_word_typed_picks_parish_or_county(self):
        assert resolve_place("Orleans Parish").label == "Orleans Parish, LA"
        assert resolve_place("Orleans County").kind == "ambiguous"

    def test_a_county_missing_from_the_state_named_suggests_the_others(self):
        place = resolve_place("Franklin County, AZ")
        assert place.kind == "unknown"
        assert "Franklin County, OH" in place.suggestions

    @pytest.mark.parametrize(
        ("text", "label"),
        [("Cornwall Borough, PA", "Cornwall Borough, PA"), ("Weld Co, CO", "Weld County, CO")],
    )
    def test_towns_and_counties_that_look_alike(self, text, label):
        assert resolve_place(text).label == label

    def test_what_only_looks_like_a_county(self):
        assert resolve_place("Franklin, CO").kind == "unknown"  # no Franklin in Colorado
        assert resolve_place("Franklin County Line Rd").kind == "unknown"


class TestUnknownPlaces:
    def test_misspelt_town_suggests_the_real_one(self):
        place = resolve_place("Daytn, OH")
        assert place.kind == "unknown"
        assert "Dayton, OH" in place.suggestions
        assert len(place.suggestions) <= 5
        assert place.message

    def test_misspelt_bare_town(self):
        place = resolve_place("Cincinatti")
        assert place.kind == "unknown"
        assert "Cincinnati, OH" in place.suggestions

    def test_town_in_the_wrong_state_suggests_the_right_state(self):
        place = resolve_place("Chicago, OH")
        assert place.kind == "unknown"
        assert "Chicago, IL" in place.suggestions

    def test_unknown_state(self):
        place = resolve_place("Dayton, ZZ")
        assert place.kind == "unknown"
        assert "ZZ" in place.message
        assert "Dayton, OH" in place.suggestions

    def test_nothing_close(self):
        place = resolve_place("Qwxzv Pqlk, OH")
        assert place.kind == "unknown"
        assert place.suggestions == ()
        assert "spelling" in place.message

    def test_suggestions_resolve(self):
        for label in resolve_place("Daytn, OH").suggestions:
            assert resolve_place(label).kind == "city"


class TestJunk:
    @pytest.mark.parametrize(
        "text",
        [
            "x" * 10_000,
            "Dayton " * 2_000,
            "'; DROP TABLE programs_location; --",
            "1 OR 1=1",
            "<script>alert(1)</script>",
            "\U0001f600",
            "Dayton \U0001f600, OH",
            "\x00",
            "\u202eHO ,notyaD",
            "\u0414\u0435\u0439\u0442\u043e\u043d",
            "%00",
            "../../etc/passwd",
            "{{ 7*7 }}",
            "-",
            "...",
            ", , ,",
            "()",
        ],
    )
    def test_junk_is_unknown_with_a_message(self, text):
        place = resolve_place(text)
        assert place.kind == "unknown"
        assert place.message
        assert not place.found

    @pytest.mark.parametrize("text", ["", "   ", "\t\n", None])
    def test_nothing_typed(self, text):
        place = resolve_place(text)
        assert place.kind == "empty"
        assert not place.found

    def test_input_length_is_capped(self):
        fits = "Dayton, OH".ljust(MAX_QUERY_LENGTH)
        assert resolve_place(fits).kind == "city"
        assert resolve_place(fits + "x").kind == "unknown"

    def test_junk_is_fast(self):
        start = time.perf_counter()
        resolve_place("a" * 1_000_000)
        assert time.perf_counter() - start < 0.05

    def test_non_text_does_not_raise(self):
        assert resolve_place(45402).kind == "zip"
        assert resolve_place(3.5).kind == "unknown"


@pytest.mark.slow
def test_index_is_built_once_under_concurrency(monkeypatch):
    calls = []
    real_build = geo._build_index

    def slow_build():
        calls.append(1)
        time.sleep(0.2)
        return real_build()

    monkeypatch.setattr(geo, "_index", None)
    monkeypatch.setattr(geo, "_build_index", slow_build)
    geo._resolve.cache_clear()
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(resolve_place("Dayton, OH").label))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1]
    assert results == ["Dayton, OH"] * 8
    geo._resolve.cache_clear()


# --- ZIP code facts for importers ------------------------------------------------------------


class TestZipInfo:
    def test_a_zip_code_s_state_centre_and_zone(self):
        place = geo.zip_info("45402")
        assert (place.code, place.city, place.state) == ("45402", "Dayton", "OH")
        assert (place.latitude, place.longitude) == DAYTON_45402
        assert place.timezone == "America/New_York"
        assert place.active and place.kind == "STANDARD"
        assert "937" in place.area_codes

    @pytest.mark.parametrize(
        ("code", "zone"),
        [
            ("85004", "America/Phoenix"),
            ("96813", "Pacific/Honolulu"),
            ("46204", "America/Indiana/Indianapolis"),
            ("00901", "America/Puerto_Rico"),
        ],
    )
    def test_zones(self, code, zone):
        assert geo.zip_info(code).timezone == zone

    def test_military_mail_has_no_position_and_no_zone(self):
        place = geo.zip_info("09001")
        assert place.state == "AE"
        assert place.latitude is None and place.longitude is None
        assert place.timezone == ""

    @pytest.mark.parametrize("code", ["99999", "", "4540", "45402-1234", None])
    def test_unknown(self, code):
        assert geo.zip_info(code) is None

    def test_every_zone_is_a_real_one(self):
        zones = {z.timezone for z in geo.all_zip_codes()}
        assert "" in zones
        assert all(zone_or_none(zone) for zone in zones - {""})

    def test_all_zip_codes_in_the_package_s_order(self):
        codes = [z.code for z in geo.all_zip_codes()]
        assert codes == [row["zip_code"] for row in zipcodes.list_all()]

    @pytest.mark.parametrize(
        ("state", "zone"),
        [
            ("OH", "America/New_York"),
            ("AZ", "America/Phoenix"),
            ("IN", "America/Indiana/Indianapolis"),
            ("TX", "America/Chicago"),
            ("HI", "Pacific/Honolulu"),
            ("ZZ", None),
            ("AE", None),
        ],
    )
    def test_state_zone(self, state, zone):
        assert geo.state_zone(state) == zone

    def test_a_zip_code_s_centre_needs_no_place_index(self, monkeypatch):
        monkeypatch.setattr(geo, "_index", None)
        monkeypatch.setattr(geo, "_build_index", lambda: pytest.fail("built the place index"))
        assert geo.approximate_coordinates("45402", state="OH") == DAYTON_45402

    def test_building_leaves_the_cycle_collector_as_it_was(self, monkeypatch):
        monkeypatch.setattr(geo, "_index", None)
        monkeypatch.setattr(geo, "_zip_codes", None)
        assert gc.isenabled()
        geo.preload()
        assert gc.isenabled()
        gc.disable()
        try:
            monkeypatch.setattr(geo, "_index", None)
            geo.preload()
            assert not gc.isenabled()
        finally:
            gc.enable()


class TestParseCoordinates:
    def test_valid(self):
        place = parse_coordinates("39.75634", "-84.18951")
        assert place.kind == "coords"
        assert place.label == "your location"
        # Rounded to about 100 m so the exact position travels no further than needed.
        assert (place.latitude, place.longitude) == (39.756, -84.19)

    def test_numbers(self):
        assert parse_coordinates(0, 0).found
        assert parse_coordinates(-90, 180).found

    @pytest.mark.parametrize(
        "lat, lng",
        [
            ("", ""),
            (None, None),
            ("39.7", ""),
            ("", "-84.2"),
            ("abc", "-84.2"),
            ("nan", "1"),
            ("inf", "1"),
            ("1e309", "1"),
            ("91", "0"),
            ("-90.0001", "0"),
            ("0", "180.5"),
            ("0", "-181"),
            (True, False),
            ("1" * 40, "1"),
            ("0x10", "1"),
            ([1], "1"),
        ],
    )
    def test_invalid(self, lat, lng):
        assert parse_coordinates(lat, lng) is None


# --- Distances -------------------------------------------------------------------------------

ZIP_PAIRS = [
    ("60601", "60602"),  # neighbouring blocks in Chicago, well under a mile
    ("45402", "45403"),  # across Dayton
    ("45402", "43215"),  # Dayton to Columbus
    ("10001", "02108"),  # New York to Boston
    ("10001", "90001"),  # coast to coast
    ("98101", "33101"),  # Seattle to Miami
    ("99501", "96813"),  # Anchorage to Honolulu
    ("96910", "00901"),  # Guam to San Juan, across the date line
    ("04101", "92101"),  # Portland, ME to San Diego
    ("80202", "70112"),  # Denver to New Orleans
    ("55401", "59801"),  # Minneapolis to Missoula
    ("00802", "99501"),  # St Thomas to Anchorage
]


@pytest.mark.parametrize("a, b", ZIP_PAIRS)
def test_python_haversine_matches_reference(a, b):
    p, q = zip_point(a), zip_point(b)
    expected = reference_miles(*p, *q)
    assert haversine_miles(*p, *q) == pytest.approx(expected, rel=0.005)
    assert haversine_miles(*q, *p) == pytest.approx(expected, rel=0.005)


@pytest.mark.django_db
def test_database_distance_matches_reference_for_real_zip_pairs():
    codes = sorted({code for pair in ZIP_PAIRS for code in pair})
    rows = {
        code: make_location(
            postal_code=code, latitude=zip_point(code)[0], longitude=zip_point(code)[1]
        )
        for code in codes
    }
    checked = 0
    for a, b in ZIP_PAIRS:
        origin = zip_point(a)
        measured = (
            Location.objects.filter(pk=rows[b].pk)
            .annotate(distance=distance_expression(*origin))
            .values_list("distance", flat=True)
            .get()
        )
        expected = reference_miles(*origin, *zip_point(b))
        assert measured == pytest.approx(expected, rel=0.005), (a, b)
        assert measured == pytest.approx(haversine_miles(*origin, *zip_point(b)), rel=1e-9)
        checked += 1
    assert checked >= 10


@pytest.mark.django_db
def test_database_distance_through_a_relation_and_nulls():
    placed = make_program(location=make_location(latitude=39.9671, longitude=-83.0044))
    # A place nobody could position (no ZIP code or town the gazetteer knows).
    unplaced = make_program(
        location=make_location(
            latitude=None, longitude=None, postal_code="", city="Nowhereville", state="ZZ"
        )
    )
    distances = dict(
        Program.objects.annotate(
            distance=distance_expression(
                *DAYTON_45402, lat_field="location__latitude", lng_field="location__longitude"
            )
        ).values_list("pk", "distance")
    )
    assert distances[placed.pk] == pytest.approx(
        reference_miles(*DAYTON_45402, 39.9671, -83.0044), rel=0.005
    )
    assert distances[unplaced.pk] is None


@pytest.mark.django_db
def test_database_distance_survives_the_far_side_of_the_earth():
    spot = make_location(latitude=39.7563, longitude=-84.1895)
    antipode = (-39.7563, 95.8105)
    distance = (
        Location.objects.filter(pk=spot.pk)
        .annotate(distance=distance_expression(*antipode))
        .values_list("distance", flat=True)
        .get()
    )
    assert distance == pytest.approx(math.pi * geo.EARTH_RADIUS_MILES, rel=1e-6)
    assert haversine_miles(*antipode, 39.7563, -84.1895) == pytest.approx(distance, rel=1e-6)


@pytest.mark.django_db
def test_box_then_exact_distance_at_the_radius():
    """The way lists will use it: index-friendly box, exact filter, nearest first."""
    origin = DAYTON_45402
    miles_per_degree = math.radians(1) * geo.EARTH_RADIUS_MILES
    inside = make_location(latitude=origin[0] + 9.99 / miles_per_degree, longitude=origin[1])
    outside = make_location(latitude=origin[0] + 10.01 / miles_per_degree, longitude=origin[1])
    nearest = make_location(latitude=origin[0], longitude=origin[1] + 0.01)
    make_location(latitude=None, longitude=None)
    min_lat, max_lat, min_lng, max_lng = bounding_box(*origin, 10)
    found = (
        Location.objects.filter(
            latitude__range=(min_lat, max_lat), longitude__range=(min_lng, max_lng)
        )
        .alias(distance=distance_expression(*origin))
        .filter(distance__lte=10)
        .order_by("distance")
    )
    assert list(found) == [nearest, inside]
    assert outside.latitude <= max_lat + 1  # the row exists; only the distance excludes it


def test_radius_choices():
    assert RADIUS_CHOICES == [1, 2, 5, 10, 25, 50, 100]


# --- Bounding box ----------------------------------------------------------------------------


def inside(box, lat, lng):
    min_lat, max_lat, min_lng, max_lng = box
    return min_lat <= lat <= max_lat and min_lng <= lng <= max_lng


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(
    lat=st.floats(-90, 90),
    lng=st.floats(-180, 180),
    miles=st.one_of(st.sampled_from(RADIUS_CHOICES), st.floats(0, 3000)),
    bearing=st.floats(0, 360),
    fraction=st.one_of(st.just(1.0), st.floats(0, 1)),
)
def test_box_holds_every_point_within_the_radius(lat, lng, miles, bearing, fraction):
    point = destination(lat, lng, bearing, miles * fraction)
    assert haversine_miles(lat, lng, *point) <= miles * (1 + 1e-9) + 1e-6
    assert inside(bounding_box(lat, lng, miles), *point)


@pytest.mark.parametrize("lat", [0, 25, 45, 60, 70, 80, 89, -45, -75])
@pytest.mark.parametrize("miles", [1, 10, 100, 500])
def test_box_holds_the_whole_circle(lat, miles):
    """A sweep round the rim, where a flat-Earth longitude spread falls short."""
    box = bounding_box(lat, 10.0, miles)
    for step in range(0, 3600):
        assert inside(box, *destination(lat, 10.0, step / 10, miles)), step / 10


def test_box_is_not_needlessly_large():
    min_lat, max_lat, min_lng, max_lng = bounding_box(*DAYTON_45402, 10)
    miles_per_degree = math.radians(1) * geo.EARTH_RADIUS_MILES
    assert (max_lat - min_lat) * miles_per_degree == pytest.approx(20, rel=1e-6)
    width = (max_lng - min_lng) * miles_per_degree * math.cos(math.radians(DAYTON_45402[0]))
    assert width == pytest.approx(20, rel=0.01)


def test_box_near_a_pole_or_the_date_line_spans_every_longitude():
    assert bounding_box(89.99, 0, 10)[2:] == (-180.0, 180.0)
    assert bounding_box(51.8, 179.9, 25)[2:] == (-180.0, 180.0)  # the Aleutians
    assert bounding_box(89.99, 0, 10)[1] == 90.0


@pytest.mark.parametrize("args", [(0, 0, -1), (0, 0, math.nan), (91, 0, 1), (0, 181, 1)])
def test_box_rejects_nonsense(args):
    with pytest.raises(ValueError):
        bounding_box(*args)


# --- Back-filling listings' coordinates ------------------------------------------------------


def unplaced(**fields):
    fields.setdefault("city", "Dayton")
    fields.setdefault("state", "OH")
    return Location(name="Hall", latitude=None, longitude=None, **fields)


class TestFillCoordinates:
    @pytest.mark.parametrize("code", ["45402", "45402-1234"])
    def test_fills_from_the_zip_code_as_approximate(self, code):
        location = unplaced(postal_code=code)
        assert fill_coordinates(location) is True
        assert (location.latitude, location.longitude) == DAYTON_45402
        assert location.coordinates_approximate is True

    def test_fills_from_the_town_without_a_zip_code(self):
        location = unplaced(postal_code="")
        assert fill_coordinates(location) is True
        assert (location.latitude, location.longitude) == (
            resolve_place("Dayton, OH").latitude,
            resolve_place("Dayton, OH").longitude,
        )
        assert location.coordinates_approximate is True

    def test_unknown_zip_code_falls_back_to_the_town(self):
        location = unplaced(postal_code="99999")
        assert fill_coordinates(location) is True
        assert location.latitude == resolve_place("Dayton, OH").latitude

    def test_zip_code_from_another_state_is_not_trusted(self):
        location = unplaced(postal_code="10001")
        assert fill_coordinates(location) is True
        assert location.latitude == resolve_place("Dayton, OH").latitude

    def test_unknown_zip_and_town_stay_empty(self):
        location = unplaced(postal_code="99999", city="Nowhereville")
        assert fill_coordinates(location) is False
        assert (location.latitude, location.longitude) == (None, None)
        assert location.coordinates_approximate is False

    def test_leaves_a_curators_coordinates_alone(self):
        location = Location(
            city="Dayton", state="OH", postal_code="45402", latitude=39.76, longitude=-84.19
        )
        assert fill_coordinates(location) is False
        assert (location.latitude, location.longitude) == (39.76, -84.19)
        assert location.coordinates_approximate is False

    @pytest.mark.django_db
    def test_filled_row_saves(self):
        location = Location(
            city="Dayton", state="OH", postal_code="45402", latitude=None, longitude=None
        )
        assert fill_coordinates(location)
        location.save()
        location.refresh_from_db()
        assert (location.latitude, location.longitude) == DAYTON_45402
        assert location.coordinates_approximate


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=150))
def test_any_text_gets_an_answer(text):
    place = resolve_place(text)
    assert place.kind in {"zip", "city", "county", "state", "ambiguous", "unknown", "empty"}
    assert place.found == (place.kind in {"zip", "city", "county"})
    assert (place.state in geo.STATE_NAMES) == (place.kind == "state")
    assert place.kind not in {"ambiguous", "unknown"} or place.message
