"""Faster editing: zone selects, internal fields out of the way, compact meetings, copies."""

import datetime

import pytest
from django.urls import reverse

from programs.models import Meeting
from tests.factories import make_center, make_location, make_meeting, make_program

pytestmark = pytest.mark.django_db


def test_zone_is_a_select_with_main_us_zones_first(client, curator):
    meeting = make_meeting()
    page = client.get(reverse("admin:programs_meeting_change", args=[meeting.pk])).content.decode()
    select = page[page.index('<select name="timezone"') :]
    select = select[: select.index("</select>")]
    assert select.index("America/New_York") < select.index("America/Adak")
    assert '<optgroup label="Main US zones">' in select
    assert 'value="America/New_York" selected' in select
    assert "Europe/" not in select


def test_a_stored_zone_outside_the_us_stays_selected(client, curator):
    meeting = make_meeting(timezone="Europe/Dublin")
    page = client.get(reverse("admin:programs_meeting_change", args=[meeting.pk])).content.decode()
    assert 'value="Europe/Dublin" selected' in page


def test_a_location_zone_is_a_select_and_a_bad_one_is_refused(client, curator):
    place = make_location()
    url = reverse("admin:listings_location_change", args=[place.pk])
    assert '<select name="timezone"' in client.get(url).content.decode()
    data = {
        "name": place.name,
        "street_address": place.street_address,
        "city": place.city,
        "state": "OH",
        "postal_code": "43215",
        "country": "US",
        "timezone": "Mars/Base",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["timezone"]


@pytest.mark.parametrize("model", ["program", "treatmentcenter", "meeting"])
def test_source_fields_are_read_only(client, curator, model):
    obj = {
        "program": lambda: make_program(source="feed", source_id="abc"),
        "treatmentcenter": lambda: make_center(source="feed", source_id="abc"),
        "meeting": lambda: make_meeting(source="feed", source_id="abc"),
    }[model]()
    response = client.get(reverse(f"admin:programs_{model}_change", args=[obj.pk]))
    form = response.context["adminform"].form
    assert "source" not in form.fields and "source_id" not in form.fields
    assert 'name="source_id"' not in response.content.decode()
    assert "search_text" not in response.content.decode()


def test_meetings_are_a_compact_table_on_the_program_page(client, curator):
    program = make_program()
    for day in range(4):
        make_meeting(program=program, weekday=day)
    page = client.get(reverse("admin:programs_program_change", args=[program.pk]))
    html = page.content.decode()
    assert "tabular inline-related" in html
    assert html.count('name="meetings-') > 30
    assert 'name="meetings-0-notes"' not in html  # one click away, on the meeting's own page


def test_program_list_shows_next_meeting_verified_status_and_source(
    client, curator, django_assert_num_queries
):
    program = make_program(name="Hope Group", source="feed", source_id="1")
    make_meeting(program=program, weekday=3, start_time=datetime.time(18, 30))
    make_program(name="No Meetings")
    for _ in range(10):
        make_meeting(program=make_program())
    url = reverse("admin:programs_program_changelist")
    client.get(url)  # the session's first write
    with django_assert_num_queries(13):
        response = client.get(url)
    for _ in range(10):
        make_meeting(program=make_program())
    with django_assert_num_queries(13):
        client.get(url)
    html = response.content.decode()
    for heading in ("Next meeting", "Verified", "Status", "Source"):
        assert heading in html
    row = html[html.index("Hope Group") :]
    row = row[: row.index("</tr>")]
    assert "Wed 18:30" in row and "feed" in row


@pytest.mark.parametrize(
    ("model", "query"),
    [("program", "43215"), ("meeting", "43215"), ("treatmentcenter", "43215")],
)
def test_search_finds_listings_by_zip_code(client, curator, model, query):
    make_meeting(program=make_program(location=make_location(postal_code="43215")))
    make_center()
    url = reverse(f"admin:programs_{model}_changelist")
    assert client.get(url, {"q": query}).context["cl"].result_count >= 1
    assert client.get(url, {"q": "Nowhereville"}).context["cl"].result_count == 0


def test_duplicate_a_meeting_to_other_days(client, curator):
    meeting = make_meeting(weekday=1, types=["O"], source="feed", source_id="x")
    url = reverse("admin:programs_meeting_changelist")
    ask = client.post(url, {"action": "duplicate_to_days", "_selected_action": [meeting.pk]})
    assert ask.status_code == 200
    assert "Copy to these days" in ask.content.decode()
    none_chosen = client.post(
        url, {"action": "duplicate_to_days", "_selected_action": [meeting.pk], "apply": "1"}
    )
    assert "Choose at least one day." in none_chosen.content.decode()
    done = client.post(
        url,
        {
            "action": "duplicate_to_days",
            "_selected_action": [meeting.pk],
            "apply": "1",
            "days": ["1", "2", "3"],
        },
    )
    assert done.status_code == 302
    copies = Meeting.objects.exclude(pk=meeting.pk).order_by("weekday")
    assert [m.weekday for m in copies] == [2, 3]
    assert all(m.start_time == meeting.start_time for m in copies)
    assert all({t.code for t in m.types.all()} == {"O"} for m in copies)
    assert all(m.source == "" for m in copies)  # a copy is the curator's, not the feed's
    assert copies[1].week_minute == 3 * 1440 + 19 * 60
