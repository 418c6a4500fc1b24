"""One search box: the words people type, read as filters, a place and a list to open."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from programs.models import Approach, Attendance, Fellowship, ProgramKind, ServiceOption
from programs.query import CENTRES, MEETINGS, PROGRAMS, RIGHT_NOW, understand
from tests.factories import make_center, make_location, make_meeting, make_program

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("text", "destination", "params", "place", "words"),
    [
        ("AA 43215", MEETINGS, {"fellowship": ["aa"]}, "43215", []),
        ("suboxone dayton", CENTRES, {"medication": ["buprenorphine"]}, "Dayton, OH", []),
        (
            "women sober living ohio",
            PROGRAMS,
            {"kind": ["sober-living"], "gender": ["women"]},
            "Ohio",
            [],
        ),
        ("español", MEETINGS, {"language": ["es"]}, "", []),
        ("Spanish", MEETINGS, {"language": ["es"]}, "", []),
        ("non 12 step", MEETINGS, {"approach": ["secular"]}, "", []),
        ("not religious", MEETINGS, {"approach": ["secular"]}, "", []),
        ("detox", CENTRES, {"level": ["detox"]}, "", []),
        ("detox near Dayton", CENTRES, {"level": ["detox"]}, "Dayton, OH", []),
        (
            "methadone clinic medicaid",
            CENTRES,
            {"medication": ["methadone"], "payment": ["medicaid"]},
            "",
            [],
        ),  # noqa: E501
        ("vivitrol", CENTRES, {"medication": ["naltrexone"]}, "", []),
        ("IOP", CENTRES, {"level": ["iop"]}, "", []),
        ("halfway house for men", PROGRAMS, {"kind": ["sober-living"], "gender": ["men"]}, "", []),
        ("veterans", MEETINGS, {"audience": ["veterans"]}, "", []),
        ("young people", MEETINGS, {"audience": ["young-people"]}, "", []),
        ("LGBTQ meetings in Cincinnati", MEETINGS, {"audience": ["lgbtq"]}, "Cincinnati, OH", []),
        ("right now", RIGHT_NOW, {}, "", []),
        ("NA tonight near me", MEETINGS, {"today": ["on"], "fellowship": ["na"]}, "", []),
        ("big book", MEETINGS, {}, "", ["big", "book"]),
        ("Celebrate Recovery", MEETINGS, {"fellowship": ["celebrate-recovery"]}, "", []),
    ],
)
def test_the_words_people_type(text, destination, params, place, words):
    found = understand(text)
    assert (found.destination, found.params, found.place, found.words) == (
        destination,
        params,
        place,
        words,
    )


def test_a_plain_keyword_is_left_alone(client):
    make_program(name="Alcoholics Together")
    make_program(name="Cocaine Group")
    response = client.get(reverse("programs:list"), {"q": "alcoholics"})
    assert response.status_code == 200
    assert [p.name for p in response.context["object_list"]] == ["Alcoholics Together"]


def test_the_list_keyword_box_turns_words_into_chips_and_keeps_the_rest(client):
    make_program(name="SMART group", fellowship=Fellowship.objects.get(slug="smart"))
    response = client.get(reverse("programs:list"), {"q": "SMART", "day": "2"})
    assert response.status_code == 302
    assert response["Location"] == "/programs/?fellowship=smart&day=2#results"
    page = client.get(response["Location"].split("#")[0])
    chips = [c["label"] for c in page.context["active_filters"]]
    assert "Fellowship: SMART Recovery (SMART)" in chips and "Day of the week: Tuesday" in chips


def test_treatment_words_on_a_meeting_list_open_the_centres(client):
    response = client.get(reverse("programs:meetings"), {"q": "detox", "where": "45402"})
    assert response["Location"] == "/treatment-centres/?level=detox&where=45402#results"


def home_search(client, q, where=""):
    response = client.get(reverse("programs:search"), {"q": q, "where": where})
    assert response.status_code == 302
    return client.get(response["Location"].split("#")[0])


def names(response, key="object_list"):
    return {getattr(x, "name", None) for x in response.context[key]}


@time_machine.travel(datetime.datetime(2026, 11, 30, 23, 0, tzinfo=NY), tick=False)
def test_aa_43215_at_eleven_pm(client):
    aa = Fellowship.objects.get(slug="aa")
    group = make_program(name="Downtown AA", fellowship=aa)
    make_meeting(program=group, name="Late AA", weekday=1, start_time=datetime.time(22, 30))
    make_meeting(program=group, name="Morning AA", weekday=2, start_time=datetime.time(7, 0))
    na = make_program(name="NA group", fellowship=Fellowship.objects.get(slug="na"))
    make_meeting(program=na, weekday=1, start_time=datetime.time(22, 45))
    page = home_search(client, "AA 43215")
    shown = [o.meeting.name for o in page.context["occurrences"]]
    assert shown[:2] == ["Late AA", "Morning AA"] and "NA group" not in shown
    assert page.context["occurrences"][0].in_progress


def test_suboxone_dayton(client):
    dayton = make_location(city="Dayton", postal_code="45402", latitude=39.758, longitude=-84.19)
    bup = make_center(name="Dayton Bup Clinic")
    bup.locations.set([dayton])
    bup.medications.add(
        *__import__("programs.models").models.ServiceOption.objects.filter(code="buprenorphine")
    )
    other = make_center(name="Dayton Counselling")
    other.locations.set([dayton])
    page = home_search(client, "suboxone dayton")
    assert names(page) == {"Dayton Bup Clinic"}


def test_women_sober_living_ohio(client):
    make_program(name="Hannah House", kind=ProgramKind.SOBER_LIVING, gender_served="women")
    make_program(name="Brothers House", kind=ProgramKind.SOBER_LIVING, gender_served="men")
    page = home_search(client, "women sober living ohio")
    assert page.request["PATH_INFO"] == "/programs/"
    assert page.context["filter"].form.data["where"] == "Ohio"
    assert "Hannah House" in names(page) and "Brothers House" not in names(page)
    chips = [c["label"] for c in page.context["active_filters"]]
    assert "Kind of program: Sober living" in chips and "Sober living for: Women" in chips


def test_espanol_finds_spanish_language_groups(client):
    from programs.models import Language

    spanish = make_program(name="Grupo Esperanza")
    spanish.languages.add(Language.objects.get(code="es"))
    make_meeting(program=spanish)
    make_meeting(program=make_program(name="English group"))
    page = home_search(client, "español")
    assert {o.meeting.program.name for o in page.context["occurrences"]} == {"Grupo Esperanza"}


def test_non_12_step_has_no_twelve_step_group(client):
    smart = make_program(name="SMART group", fellowship=Fellowship.objects.get(slug="smart"))
    aa = make_program(name="AA group", fellowship=Fellowship.objects.get(slug="aa"))
    for program in (smart, aa):
        make_meeting(program=program)
    page = home_search(client, "non 12 step")
    programs = {o.meeting.program for o in page.context["occurrences"]}
    assert {p.name for p in programs} == {"SMART group"}
    assert all(p.approach != Approach.TWELVE_STEP for p in programs)


def test_detox(client):
    detox = make_center(name="Detox Centre")
    detox.levels_of_care.add(ServiceOption.objects.get(code="detox"))
    make_center(name="Counselling Only")
    assert names(home_search(client, "detox")) == {"Detox Centre"}


@time_machine.travel(datetime.datetime(2026, 12, 1, 3, 0, tzinfo=NY), tick=False)
def test_right_now_at_three_am(client):
    online = make_program(name="Night owls", location=None)
    make_meeting(
        program=online,
        name="Night owls online",
        weekday=2,
        start_time=datetime.time(3, 15),
        attendance=Attendance.ONLINE,
        conference_url="https://example.org/join",
    )
    page = home_search(client, "right now")
    text = page.content.decode()
    assert page.request["PATH_INFO"] == "/right-now/"
    assert text.index("Someone to talk to, any hour") < text.index("Night owls online")


def test_an_empty_result_is_never_a_dead_end(client):
    make_meeting(program=make_program(name="Somewhere"))
    html = client.get(reverse("programs:meetings"), {"where": "43215", "q": "zzzz"}).content
    html = html.decode()
    assert "within 50 miles" in html
    assert "/meetings/?attendance=online" in html
    assert "/treatment-centres/?where=" in html
    assert "988" in html


@pytest.mark.parametrize(
    ("text", "attendance", "place"),
    [("aa in person", ["in_person"], ""), ("women in recovery", None, "")],
)
def test_common_phrases_are_not_places(text, attendance, place):
    found = understand(text)
    assert found.place == place
    assert found.params.get("attendance") == attendance


def test_times_of_day():
    assert understand("NA evening").params == {"time": ["evening"], "fellowship": ["na"]}


def test_on_the_centre_list_group_words_stay_a_keyword(client):
    response = client.get(reverse("programs:center_list"), {"q": "women"})
    assert response.status_code == 200


def test_on_the_sober_living_page_women_means_a_womens_house(client):
    response = client.get(reverse("programs:kind", args=["sober-living"]), {"q": "women"})
    assert response["Location"] == "/programs/sober-living/?gender=women#results"


def test_the_visitors_own_choices_stay_beside_what_was_read(client):
    make_program(name="SMART group", fellowship=Fellowship.objects.get(slug="smart"))
    response = client.get(reverse("programs:list"), {"q": "SMART", "fellowship": "aa"})
    assert response["Location"] == "/programs/?fellowship=smart&fellowship=aa#results"


def test_switching_lists_keeps_the_browsers_position(client):
    response = client.get(
        reverse("programs:meetings"), {"q": "detox", "lat": "39.96", "lng": "-83.0"}
    )
    assert response["Location"] == "/treatment-centres/?level=detox&lat=39.96&lng=-83.0#results"
