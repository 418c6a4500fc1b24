"""A weekly meeting as an .ics file: a repeating event in the meeting's own zone."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse

from listings.models import PublicationStatus
from programs.models import Attendance
from tests.factories import make_location, make_meeting, make_program

pytestmark = pytest.mark.django_db

# Tuesday 2026-11-24, noon in New York.
TUESDAY_NOON_NY = datetime.datetime(2026, 11, 24, 17, 0, tzinfo=datetime.UTC)


def ics_url(meeting):
    return reverse("programs:meeting_ics", args=[meeting.program.slug, meeting.pk])


def read_event(client, meeting):
    response = client.get(ics_url(meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_weekly_rule_in_the_meetings_own_zone(client, settings, time_machine):
    time_machine.move_to(TUESDAY_NOON_NY, tick=False)
    assert settings.TIME_ZONE == "America/New_York"
    denver = make_location(
        city="Denver", state="CO", postal_code="80202", timezone="America/Denver"
    )
    program = make_program(name="Mile High Group", location=denver)
    meeting = make_meeting(
        program=program,
        weekday=4,  # Thursday
        start_time=datetime.time(18, 30),
        end_time=datetime.time(19, 45),
        types=["O", "D"],
    )
    calendar, event = read_event(client, meeting)
    start = event.decoded("dtstart")
    assert start == datetime.datetime(
        2026, 11, 26, 18, 30, tzinfo=zoneinfo.ZoneInfo("America/Denver")
    )
    assert event["dtstart"].params["TZID"] == "America/Denver"
    assert event.decoded("dtend") - start == datetime.timedelta(minutes=75)
    assert event["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=TH"
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["tzid"] == "America/Denver"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert b"America/New_York" not in calendar.to_ical()
    assert str(event["summary"]) == "Mile High Group"
    assert str(event["url"]) == settings.SITE_URL + program.get_absolute_url()
    assert str(event["location"]) == f"{denver.name}, 100 Main St, Denver, CO 80202"
    assert "Meeting types: Discussion, Open" in str(event["description"])
    assert str(event["uid"]).startswith(f"meeting-{meeting.pk}@")


def test_next_start_is_next_week_once_todays_meeting_has_begun(client, time_machine):
    time_machine.move_to(TUESDAY_NOON_NY, tick=False)
    meeting = make_meeting(weekday=2, start_time=datetime.time(11, 0))
    _, event = read_event(client, meeting)
    assert event.decoded("dtstart").date() == datetime.date(2026, 12, 1)
    assert event["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU"


def test_confidential_place_gives_only_the_town(client):
    secret = make_location(street_address="742 Hidden Lane", is_confidential=True)
    meeting = make_meeting(program=make_program(location=secret), name="House meeting")
    _, event = read_event(client, meeting)
    assert str(event["location"]) == "Columbus, OH"
    assert str(event["summary"]) == "House meeting"
    assert b"Hidden Lane" not in client.get(ics_url(meeting)).content


def test_online_meeting_carries_its_join_link_and_dial_in(client):
    meeting = make_meeting(
        program=make_program(location=None),
        attendance=Attendance.ONLINE,
        conference_url="https://zoom.us/j/81234567890",
        conference_url_notes="Passcode on the group's website",
        conference_phone="+1 646 558 8656",
        conference_phone_notes="Meeting ID 812 3456 7890",
        timezone="America/Los_Angeles",
    )
    calendar, event = read_event(client, meeting)
    text = str(event["description"])
    assert "Join online: https://zoom.us/j/81234567890 (Passcode on the group's website)" in text
    assert "Dial in: (646) 558-8656 (Meeting ID 812 3456 7890)" in text
    assert "+16465588656,,81234567890#" in text
    assert str(event["location"]) == "https://zoom.us/j/81234567890"
    assert event["dtstart"].params["TZID"] == "America/Los_Angeles"
    assert [z["tzid"] for z in calendar.walk("VTIMEZONE")] == ["America/Los_Angeles"]


def test_only_published_meetings_of_the_listing(client):
    meeting = make_meeting()
    other = make_program()
    assert (
        client.get(reverse("programs:meeting_ics", args=[other.slug, meeting.pk])).status_code
        == 404
    )
    draft = make_meeting(program=meeting.program, status=PublicationStatus.DRAFT)
    assert client.get(ics_url(draft)).status_code == 404
    meeting.program.status = PublicationStatus.DRAFT
    meeting.program.save()
    assert client.get(ics_url(meeting)).status_code == 404


def test_program_page_offers_each_meeting_to_a_calendar(client):
    meeting = make_meeting(weekday=3, start_time=datetime.time(19, 0))
    html = client.get(meeting.program.get_absolute_url()).content.decode()
    assert f'href="{ics_url(meeting)}">Add to calendar' in html
    assert "(every Wednesday, 7:00 PM)" in html
