"""/meetings.json: the Meeting Guide feed of every published weekly meeting."""

import datetime
import io
import json
import re

import pytest
from django.urls import reverse

from listings.models import PublicationStatus
from programs.models import Attendance
from tests.factories import make_location, make_meeting, make_program

pytestmark = pytest.mark.django_db

TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
UPDATED = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def get_feed(client):
    response = client.get(reverse("meeting_guide_feed"))
    assert response.status_code == 200
    return response, json.loads(response.getvalue())


def test_feed_lists_published_meetings_with_meeting_guide_fields(client):
    place = make_location(
        name="St Mark's Hall",
        street_address="412 E Broad St",
        city="Columbus",
        postal_code="43215",
        directions="Side door after 6 pm.",
    )
    program = make_program(
        name="Early Birds", location=place, website="https://example.org/eb", phone="614-555-0101"
    )
    make_meeting(
        program=program,
        weekday=0,
        start_time=datetime.time(7, 5),
        end_time=datetime.time(8, 0),
        types=["O", "D"],
        notes="Coffee from 6:45.",
    )
    response, items = get_feed(client)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    [item] = items
    assert item["name"] == "Early Birds"
    assert item["slug"] == f"{program.slug}-sun-0705"
    assert item["day"] == 0
    assert item["time"] == "07:05" and item["end_time"] == "08:00"
    assert item["timezone"] == "America/New_York"
    assert item["types"] == ["D", "O"]
    assert item["notes"] == "Coffee from 6:45."
    assert item["location"] == "St Mark's Hall"
    assert item["location_notes"] == "Side door after 6 pm."
    assert item["address"] == "412 E Broad St"
    assert item["city"] == "Columbus" and item["state"] == "OH"
    assert item["postal_code"] == "43215" and item["country"] == "USA"
    assert item["formatted_address"] == "412 E Broad St, Columbus, OH 43215, USA"
    assert item["approximate"] == "no"
    assert item["latitude"] == round(place.latitude, 5)
    assert item["group"] == "Early Birds"
    assert item["website"] == "https://example.org/eb"
    assert item["url"] == "http://testserver" + program.get_absolute_url()
    assert item["attendance_option"] == "in_person"
    assert UPDATED.match(item["updated"])


def test_drafts_archived_meetings_and_unpublished_programs_stay_out(client):
    shown = make_meeting(program=make_program(name="Shown"))
    make_meeting(program=make_program(name="Draft", status=PublicationStatus.DRAFT))
    make_meeting(program=shown.program, weekday=3, status=PublicationStatus.ARCHIVED)
    _, items = get_feed(client)
    assert [i["name"] for i in items] == ["Shown"]


def test_online_meetings_give_only_their_town_and_the_join_details(client):
    program = make_program(name="Night Owls")
    make_meeting(
        program=program,
        attendance=Attendance.ONLINE,
        conference_url="https://zoom.us/j/123456789",
        conference_url_notes="Passcode on request",
        conference_phone="+1 (646) 555-0100,,123#",
        conference_phone_notes="Meeting ID 123",
    )
    _, [item] = get_feed(client)
    assert item["attendance_option"] == "online"
    assert item["conference_url"] == "https://zoom.us/j/123456789"
    assert item["conference_url_notes"] == "Passcode on request"
    assert item["conference_phone"] == "+16465550100,,123#"
    assert item["conference_phone_notes"] == "Meeting ID 123"
    assert item["approximate"] == "yes"
    assert item["formatted_address"] == "Columbus, OH, USA"
    assert "address" not in item and "latitude" not in item and "location" not in item


def test_online_meetings_with_no_place_are_listed_in_the_directorys_area(client, settings):
    settings.DEFAULT_AREA = "Dayton, OH"
    program = make_program(name="Anywhere Group", location=None)
    make_meeting(
        program=program, attendance=Attendance.ONLINE, conference_url="https://zoom.us/j/9"
    )
    _, [item] = get_feed(client)
    assert item["formatted_address"] == "Dayton, OH, USA"
    assert (item["city"], item["state"], item["approximate"]) == ("Dayton", "OH", "yes")
    assert "latitude" not in item


def test_hybrid_and_temporarily_closed_meetings(client):
    program = make_program(name="Both Ways")
    make_meeting(
        program=program, attendance=Attendance.HYBRID, conference_url="https://zoom.us/j/1"
    )
    make_meeting(program=program, weekday=4, temporarily_closed=True, types=["O"])
    _, items = get_feed(client)
    by_day = {i["day"]: i for i in items}
    assert by_day[1]["attendance_option"] == "hybrid"
    assert by_day[1]["approximate"] == "no"
    assert by_day[4]["attendance_option"] == "inactive"
    assert by_day[4]["types"] == ["O", "TC"]


def test_confidential_places_are_approximate_and_never_leak_the_street(client):
    home = make_location(
        name="Maple House",
        street_address="1180 E 17th Ave",
        postal_code="43211",
        latitude=40.0001,
        longitude=-82.9702,
        is_confidential=True,
    )
    make_meeting(program=make_program(name="House meeting", location=home))
    response, [item] = get_feed(client)
    body = client.get(reverse("meeting_guide_feed")).getvalue().decode()
    assert "1180" not in body and "Maple House" not in body and "43211" not in body
    assert item["approximate"] == "yes"
    assert item["formatted_address"] == "Columbus, OH, USA"
    assert item["attendance_option"] == "in_person"
    home.refresh_from_db()
    assert (item["latitude"], item["longitude"]) == (
        round(home.search_latitude, 5),
        round(home.search_longitude, 5),
    )
    assert (item["latitude"], item["longitude"]) != (40.0001, -82.9702)


def test_slugs_are_unique_even_for_two_meetings_at_the_same_time(client):
    program = make_program(name="Twice")
    make_meeting(program=program)
    make_meeting(program=program, name="Second room")
    _, items = get_feed(client)
    slugs = [i["slug"] for i in items]
    assert len(set(slugs)) == 2
    assert sorted(slugs) == [f"{program.slug}-mon-1900", f"{program.slug}-mon-1900-2"]


def test_imported_meetings_keep_their_source_slug_when_it_is_url_safe(client):
    kept = make_meeting(source="area-12", source_id="tuesday-serenity")
    odd = make_meeting(source="area-12", source_id="Wed 7:00 pm", weekday=3)
    _, items = get_feed(client)
    slugs = {i["name"]: i["slug"] for i in items}
    assert slugs[kept.program.name] == "tuesday-serenity"
    assert slugs[odd.program.name] == f"{odd.program.slug}-wed-1900"


def test_every_item_has_what_the_app_requires(client):
    for i in range(5):
        make_meeting(weekday=i, start_time=datetime.time(i + 8, 30), types=["C"])
    _, items = get_feed(client)
    for item in items:
        assert item["name"] and item["slug"]
        assert 0 <= item["day"] <= 6
        assert TIME.match(item["time"])
        assert item["formatted_address"]


def test_feed_costs_the_same_queries_for_many_meetings(client, django_assert_num_queries):
    for i in range(3):
        make_meeting(weekday=i, types=["O"])
    # A piece of up to a thousand programs: the programs, their meetings, the meetings' types.
    with django_assert_num_queries(3):
        get_feed(client)
    for i in range(30):
        make_meeting(weekday=i % 7, types=["O", "D"])
    from django.core.cache import cache

    cache.clear()
    with django_assert_num_queries(3):
        _, items = get_feed(client)
    assert len(items) == 33


def test_feed_is_cached_between_requests(client, django_assert_num_queries, settings):
    settings.PAGE_CACHE_SECONDS = 60
    make_meeting()
    first = client.get(reverse("meeting_guide_feed")).getvalue()
    with django_assert_num_queries(0):
        response = client.get(reverse("meeting_guide_feed"))
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.getvalue() == first
    assert len(json.loads(first)) == 1


def test_feed_is_streamed_in_pieces_of_programs(
    client, monkeypatch, settings, django_assert_num_queries
):
    from opendata import meeting_guide

    settings.PAGE_CACHE_SECONDS = 0
    for i in range(7):
        make_meeting(program=make_program(name=f"Group {i}"), types=["O", "D"][: 1 + i % 2])
    _, whole = get_feed(client)
    monkeypatch.setattr(meeting_guide, "PROGRAMS_PER_PIECE", 3)
    response = client.get(reverse("meeting_guide_feed"))
    assert response.streaming
    # Programs 1-3, 4-6 and 7, each piece read in three queries (programs, meetings, types).
    with django_assert_num_queries(3 * 3):
        pieces = list(response.streaming_content)
    assert len(pieces) == 4  # three pieces of items and the closing bracket
    assert json.loads(b"".join(pieces)) == whole
    assert [i["name"] for i in whole] == [f"Group {i}" for i in range(7)]
    monkeypatch.setattr(meeting_guide, "PROGRAMS_PER_PIECE", 7)
    with django_assert_num_queries(3 + 1):  # a full piece: one more look finds no more
        assert json.loads(client.get(reverse("meeting_guide_feed")).getvalue()) == whole


def test_an_empty_feed_is_an_empty_array(client):
    response = client.get(reverse("meeting_guide_feed"))
    assert response.getvalue() == b"[]"


def test_head_answers_without_reading_the_meetings(client, django_assert_num_queries):
    make_meeting()
    with django_assert_num_queries(0):
        response = client.head(reverse("meeting_guide_feed"))
    assert response.status_code == 200 and response.getvalue() == b""
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_one_states_feed(client, settings, monkeypatch):
    from opendata import meeting_guide

    settings.DEFAULT_AREA = "Columbus, OH"
    settings.PAGE_CACHE_SECONDS = 0
    ohio = make_program(name="Ohio Group", location=make_location(city="Dayton", state="OH"))
    make_meeting(program=ohio)
    illinois = make_program(
        name="Illinois Group", location=make_location(city="Springfield", state="IL")
    )
    make_meeting(program=illinois)
    # A meeting held in Illinois, though its program's own address is in Ohio.
    make_meeting(
        program=ohio, weekday=3, location=make_location(city="Peoria", state="IL"), name="Away"
    )
    online = make_program(name="Online Group", location=None)
    make_meeting(
        program=online,
        attendance=Attendance.ONLINE,
        conference_url="https://example.org/meet",
        location=None,
    )
    response = client.get(reverse("meeting_guide_feed"), {"state": "il"})
    assert response["Access-Control-Allow-Origin"] == "*"
    items = json.loads(response.getvalue())
    assert sorted((i["name"], i["city"]) for i in items) == [
        ("Away", "Peoria"),
        ("Illinois Group", "Springfield"),
    ]
    items = json.loads(client.get(reverse("meeting_guide_feed"), {"state": "OH"}).getvalue())
    # Online meetings with no place are listed in the directory's own area, so in its state.
    assert sorted((i["name"], i["city"]) for i in items) == [
        ("Ohio Group", "Dayton"),
        ("Online Group", "Columbus"),
    ]
    assert json.loads(client.get(reverse("meeting_guide_feed"), {"state": "WY"}).getvalue()) == []
    assert len(get_feed(client)[1]) == 4
    # Read a program at a time, the state's feed is the same.
    monkeypatch.setattr(meeting_guide, "PROGRAMS_PER_PIECE", 1)
    response = client.get(reverse("meeting_guide_feed"), {"state": "IL"})
    assert len(list(response.streaming_content)) == 3  # two programs, then the closing bracket
    assert (
        len(json.loads(client.get(reverse("meeting_guide_feed"), {"state": "IL"}).getvalue())) == 2
    )


@pytest.mark.parametrize("value", ["Ohio", "XX", "O", "'; drop table", "é" * 5000])
def test_an_unknown_state_is_a_clear_400(client, value):
    response = client.get(reverse("meeting_guide_feed"), {"state": value})
    assert response.status_code == 400
    data = json.loads(response.content)
    assert data["status"] == 400 and "two-letter US state code" in data["message"]
    assert len(data["message"]) < 200


def test_feed_refuses_writes(client):
    response = client.post(reverse("meeting_guide_feed"))
    assert response.status_code == 405


def test_pages_point_to_the_feed(client):
    response = client.get(reverse("home"))
    assert (
        '<link rel="alternate" type="application/json" '
        'title="Meetings feed (Meeting Guide format)" href="/meetings.json">'
    ) in response.content.decode()


# --- The demo data's feed, checked against the spec's rules ------------------------------------

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
PHONE = re.compile(r"^\+?[0-9,*#]+$")
SPEC_FIELDS = {
    "name", "slug", "day", "time", "end_time", "timezone", "formatted_address", "address",
    "city", "state", "postal_code", "country", "region", "conference_url",
    "conference_url_notes", "conference_phone", "conference_phone_notes", "types", "notes",
    "location", "location_notes", "latitude", "longitude", "approximate", "updated", "group",
    "group_notes", "url", "website", "email", "phone", "attendance_option",
}  # fmt: skip


def test_demo_feed_follows_the_meeting_guide_spec(client):
    import zoneinfo

    from django.core.management import call_command

    from programs.models import Meeting, MeetingType

    call_command("seed_demo", stdout=io.StringIO())
    _, items = get_feed(client)
    assert len(items) == Meeting.objects.published().count() > 50
    codes = set(MeetingType.objects.values_list("code", flat=True))
    slugs = [i["slug"] for i in items]
    assert len(slugs) == len(set(slugs))
    for item in items:
        where = item["slug"]
        assert set(item) <= SPEC_FIELDS, where
        assert isinstance(item["name"], str) and 0 < len(item["name"]) <= 255, where
        assert SLUG.match(item["slug"]) and len(item["slug"]) <= 64, where
        assert isinstance(item["day"], int) and 0 <= item["day"] <= 6, where
        assert TIME.match(item["time"]), where
        assert "end_time" not in item or TIME.match(item["end_time"]), where
        zoneinfo.ZoneInfo(item["timezone"])
        assert set(item["types"]) <= codes, where
        assert item["approximate"] in {"yes", "no"}, where
        assert item["formatted_address"].endswith(", USA"), where
        assert item["attendance_option"] in {"in_person", "hybrid", "online", "inactive"}, where
        assert UPDATED.match(item["updated"]), where
        assert item["url"].startswith("http://testserver/program/"), where
        for text in ("notes", "group_notes", "location_notes", "name", "location"):
            assert "<" not in item.get(text, ""), (where, text)
        if "conference_phone" in item:
            assert PHONE.match(item["conference_phone"]), where
        if "conference_url" in item:
            assert item["conference_url"].startswith("https://"), where
        if item["attendance_option"] in {"online", "hybrid"}:
            assert item.get("conference_url") or item.get("conference_phone"), where
        if item["approximate"] == "no":
            assert item["address"] and item["postal_code"] and "latitude" in item, where
        else:
            assert "address" not in item and "location" not in item, where


# --- With a cache every worker shares: the feed kept as a file per listings version -------------


@pytest.fixture
def shared_cache(shared_cache, settings, tmp_path):
    settings.FEED_ROOT = tmp_path / "feeds"
    return settings.FEED_ROOT


def test_the_first_request_writes_the_feed_and_the_next_are_sent_the_file(
    client, shared_cache, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.http import FileResponse

    meeting = make_meeting(program=make_program(name="Early Birds"))
    first = client.get(reverse("meeting_guide_feed"))
    assert first.streaming and not isinstance(first, FileResponse)
    body = first.getvalue()
    [written] = shared_cache.glob("meetings-all-*.json")
    assert written.read_bytes() == body
    with django_assert_num_queries(0):
        again = client.get(reverse("meeting_guide_feed"))
    assert isinstance(again, FileResponse)
    assert again.getvalue() == body
    assert again["Content-Type"] == "application/json; charset=utf-8"
    assert again["Content-Disposition"] == 'inline; filename="meetings.json"'
    assert again["Access-Control-Allow-Origin"] == "*"
    assert int(again["Content-Length"]) == len(body)
    # A curator renames the group: the next request has the new name, the old file is gone.
    with django_capture_on_commit_callbacks(execute=True):
        meeting.program.name = "Late Birds"
        meeting.program.save()
    [item] = json.loads(client.get(reverse("meeting_guide_feed")).getvalue())
    assert item["group"] == "Late Birds"
    [rewritten] = shared_cache.glob("meetings-all-*.json")
    assert rewritten != written and not written.exists()
    assert json.loads(client.get(reverse("meeting_guide_feed")).getvalue()) == [item]


def test_each_state_has_its_own_file(client, shared_cache):
    make_meeting(program=make_program(location=make_location(state="IL", city="Peoria")))
    make_meeting(program=make_program(location=make_location(state="OH", city="Dayton")))
    for _ in range(2):
        [item] = json.loads(client.get(reverse("meeting_guide_feed"), {"state": "IL"}).getvalue())
        assert item["city"] == "Peoria"
        assert len(json.loads(client.get(reverse("meeting_guide_feed")).getvalue())) == 2
    assert len(list(shared_cache.glob("meetings-IL-*.json"))) == 1
    assert len(list(shared_cache.glob("meetings-all-*.json"))) == 1


def test_a_feed_cut_short_leaves_no_file(tmp_path):
    from opendata.views import _written

    path = tmp_path / "meetings-all-site-v2.json"
    older = tmp_path / "meetings-all-site-v1.json"
    older.write_bytes(b"[]")
    pieces = _written(iter([b"[1", b",2", b"]"]), path)
    assert next(pieces) == b"[1"
    pieces.close()  # the client went away after the first piece
    assert sorted(tmp_path.iterdir()) == [older]
    assert b"".join(_written(iter([b"[1", b",2", b"]"]), path)) == b"[1,2]"
    assert path.read_bytes() == b"[1,2]"
    assert sorted(tmp_path.iterdir()) == [path]  # the older version's file is gone


def test_a_feed_that_cannot_be_written_is_still_sent(client, shared_cache, settings, tmp_path):
    (tmp_path / "not-a-folder").write_text("")
    settings.FEED_ROOT = tmp_path / "not-a-folder" / "feeds"
    make_meeting()
    assert len(json.loads(client.get(reverse("meeting_guide_feed")).getvalue())) == 1


def test_each_piece_tells_the_server_the_feed_is_still_going(client, settings, monkeypatch):
    from listings import streaming
    from opendata import meeting_guide

    settings.PAGE_CACHE_SECONDS = 0
    beats = []
    monkeypatch.setattr(streaming, "_heartbeat", lambda: beats.append(len(beats)))
    monkeypatch.setattr(meeting_guide, "PROGRAMS_PER_PIECE", 2)
    for i in range(5):
        make_meeting(program=make_program(name=f"Group {i}"))
    response = client.get(reverse("meeting_guide_feed"))
    assert beats == []  # nothing read yet
    pieces = iter(response.streaming_content)
    next(pieces)
    assert len(beats) == 1
    rest = list(pieces)
    assert len(beats) == 3  # programs 1-2, 3-4 and 5
    assert len(rest) == 3 and rest[-1] == b"]"
