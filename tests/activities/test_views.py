import datetime

import icalendar
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from activities.models import Category
from listings.models import PublicationStatus
from tests.factories import make_activity, make_location, make_program

pytestmark = pytest.mark.django_db

# Wednesday 2026-11-18, noon in New York.
WEDNESDAY = datetime.datetime(2026, 11, 18, 17, 0, tzinfo=datetime.UTC)


def at(days, hour=18):
    base = timezone.localtime(WEDNESDAY).replace(hour=hour, minute=0)
    return base + datetime.timedelta(days=days)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(WEDNESDAY, tick=False):
        yield


def names(response):
    return [a.name for a in response.context["object_list"]]


class TestActivityList:
    def test_upcoming_by_default_and_past_on_archive(self, client):
        make_activity(name="Next Week", starts_at=at(7))
        make_activity(name="Tomorrow", starts_at=at(1))
        make_activity(name="Last Week", starts_at=at(-7))
        make_activity(name="Draft", starts_at=at(2), status=PublicationStatus.DRAFT)
        assert names(client.get(reverse("activities:list"))) == ["Tomorrow", "Next Week"]
        assert names(client.get(reverse("activities:past"))) == ["Last Week"]

    def test_category_free_online_city_keyword(self, client):
        make_activity(name="Free Art", category=Category.ART, is_free=True, starts_at=at(2))
        make_activity(name="Paid Art", category=Category.ART, is_free=False, starts_at=at(3))
        make_activity(
            name="Online Talk",
            category=Category.SKILLS,
            location=None,
            online_url="https://meet.example.org/x",
            starts_at=at(4),
        )
        make_activity(
            name="Dayton Hike",
            category=Category.OUTDOOR,
            location=make_location(city="Dayton"),
            starts_at=at(5),
        )
        url = reverse("activities:list")
        assert names(client.get(url, {"category": "art", "free": "on"})) == ["Free Art"]
        assert names(client.get(url, {"attendance": "online"})) == ["Online Talk"]
        assert "Online Talk" not in names(client.get(url, {"attendance": "in_person"}))
        assert names(client.get(url, {"city": "dayton"})) == ["Dayton Hike"]
        assert names(client.get(url, {"q": "hike"})) == ["Dayton Hike"]

    def test_date_range_and_this_weekend(self, client):
        make_activity(name="Friday Night", starts_at=at(2, 19))  # Friday 20th
        make_activity(name="Sunday Picnic", starts_at=at(4, 12))  # Sunday 22nd
        make_activity(name="Monday Class", starts_at=at(5, 12))
        make_activity(name="Thursday Circle", starts_at=at(1, 12))
        url = reverse("activities:list")
        assert names(client.get(url, {"weekend": "on"})) == ["Friday Night", "Sunday Picnic"]
        assert names(client.get(url, {"date_from": "2026-11-22", "date_to": "2026-11-23"})) == [
            "Sunday Picnic",
            "Monday Class",
        ]

    def test_malformed_date_is_reported_not_fatal(self, client):
        make_activity(name="Still Shown", starts_at=at(1))
        response = client.get(reverse("activities:list"), {"date_from": "31/31/2026"})
        assert response.status_code == 200
        assert names(response) == ["Still Shown"]
        assert b"Enter a valid date" in response.content


class TestActivityDetailAndCalendar:
    def test_detail(self, client):
        host = make_program(name="Hosting Group")
        activity = make_activity(
            name="Paint Night",
            host_program=host,
            starts_at=at(2),
            registration_url="https://example.org/r",
        )
        html = client.get(activity.get_absolute_url()).content.decode()
        assert "Paint Night" in html
        assert "Hosting Group" in html
        assert reverse("activities:ics", args=[activity.slug]) in html

    def test_single_event_ics_parses(self, client):
        activity = make_activity(name="Paint Night", starts_at=at(2))
        response = client.get(reverse("activities:ics", args=[activity.slug]))
        assert response["Content-Type"].startswith("text/calendar")
        cal = icalendar.Calendar.from_ical(response.content)
        events = list(cal.walk("VEVENT"))
        assert len(events) == 1
        event = events[0]
        assert str(event["SUMMARY"]) == "Paint Night"
        assert event.decoded("DTSTART") == activity.starts_at
        assert event.decoded("DTEND") == activity.ends_at
        assert str(event["UID"]).startswith(f"activity-{activity.pk}@")

    def test_feed_lists_upcoming_and_honours_filters(self, client):
        make_activity(name="Art One", category=Category.ART, starts_at=at(1))
        make_activity(name="Picnic", category=Category.SOCIAL, starts_at=at(2))
        make_activity(name="Old", category=Category.ART, starts_at=at(-3))
        whole = icalendar.Calendar.from_ical(client.get(reverse("activities:feed")).content)
        assert sorted(str(e["SUMMARY"]) for e in whole.walk("VEVENT")) == ["Art One", "Picnic"]
        art = icalendar.Calendar.from_ical(
            client.get(reverse("activities:feed"), {"category": "art"}).content
        )
        assert [str(e["SUMMARY"]) for e in art.walk("VEVENT")] == ["Art One"]

    def test_confidential_place_is_not_in_the_calendar(self, client):
        secret = make_location(street_address="9 Private Rd", is_confidential=True)
        activity = make_activity(name="House Dinner", location=secret, starts_at=at(1))
        body = client.get(reverse("activities:ics", args=[activity.slug])).content.decode()
        assert "Private Rd" not in body
        assert "Columbus" in body
