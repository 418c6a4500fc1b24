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


class TestKeptForTheMinute:
    """With a cache every process shares, the list's count, order and rows are read once a
    minute for each choice of filters; an activity leaves the list in the minute after it
    ends, and a change shows on the next request."""

    @pytest.fixture(autouse=True)
    def no_page_cache(self, settings, shared_cache):
        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page

    def read(self, client, when, path="activities:list"):
        """How many queries the page made besides the listings' version, and the names."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with time_machine.travel(when, tick=False), CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(path))
        rows = [q for q in ctx.captured_queries if "recovery_directory_cache" not in q["sql"]]
        return len(rows), names(response)

    def test_read_once_a_minute(self, client, django_capture_on_commit_callbacks):
        ends = WEDNESDAY + datetime.timedelta(minutes=30, seconds=20)
        make_activity(name="Lunch talk", starts_at=WEDNESDAY, ends_at=ends)
        make_activity(name="Tomorrow", starts_at=at(1))
        first, listed = self.read(client, WEDNESDAY + datetime.timedelta(seconds=5))
        assert first > 0 and listed == ["Lunch talk", "Tomorrow"]
        assert self.read(client, WEDNESDAY + datetime.timedelta(seconds=50)) == (0, listed)
        # Ended 20 seconds into 12:30: listed to the end of that minute, gone at 12:31.
        assert self.read(client, ends)[1] == listed
        read, listed = self.read(client, ends + datetime.timedelta(seconds=40))
        assert read > 0 and listed == ["Tomorrow"]
        assert self.read(client, ends + datetime.timedelta(seconds=41), "activities:past")[1] == [
            "Lunch talk"
        ]
        with (
            time_machine.travel(ends + datetime.timedelta(seconds=42), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            make_activity(name="Evening walk", starts_at=at(0, hour=19))
        read, listed = self.read(client, ends + datetime.timedelta(seconds=43))
        assert read > 0 and listed == ["Evening walk", "Tomorrow"]

    def test_a_kept_card_is_written_in_each_language_and_an_edit_shows_at_once(
        self, client, django_capture_on_commit_callbacks
    ):
        activity = make_activity(name="Paint Night", starts_at=at(1), is_free=True)
        english = client.get(reverse("activities:list")).content.decode()
        spanish = client.get("/es" + reverse("activities:list")).content.decode()
        assert ">Free</span>" in english and ">Gratis</span>" in spanish
        assert ">Free</span>" in client.get(reverse("activities:list")).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            activity.name = "Paint and Chat"
            activity.save()
        assert "Paint and Chat" in client.get(reverse("activities:list")).content.decode()


def local(day, hour, minute=0):
    """A moment in November 2026 on the site's clock."""
    return timezone.make_aware(datetime.datetime(2026, 11, day, hour, minute))


# Around the weekend of Friday 20 to Sunday 22 November 2026: (name, start, end).
AROUND_THE_WEEKEND = [
    ("Thursday Circle", local(19, 12), local(19, 14)),
    ("Friday Lunch", local(20, 12), local(20, 14)),
    ("Ends At Five", local(20, 15), local(20, 17)),  # ends as the weekend begins: not in it
    ("Friday Overlap", local(20, 16), local(20, 18)),  # runs into the weekend: in it
    ("Friday Night", local(20, 19), local(20, 21)),
    ("Saturday Hike", local(21, 10), local(21, 12)),
    ("Sunday Picnic", local(22, 12), local(22, 14)),
    ("Sunday Late", local(22, 23), local(23, 0, 30)),  # starts before midnight: in it
    ("Monday Midnight", local(23, 0), local(23, 1)),  # starts as the weekend ends: not in it
    ("Monday Class", local(23, 12), local(23, 14)),
    ("Next Saturday", local(28, 10), local(28, 12)),
]
FRIDAY_TO_SUNDAY = [
    "Friday Overlap",
    "Friday Night",
    "Saturday Hike",
    "Sunday Picnic",
    "Sunday Late",
]


class TestThisWeekend:
    """`?weekend=on`: Friday 5 pm to Sunday midnight, the coming weekend or the one under way.

    Each case: when it is, what the upcoming list shows, what the archive shows (newest first).
    """

    @pytest.mark.parametrize(
        ("now", "upcoming", "past"),
        [
            pytest.param(local(18, 12), FRIDAY_TO_SUNDAY, [], id="wednesday"),
            pytest.param(local(20, 16, 30), FRIDAY_TO_SUNDAY, [], id="friday-before-5pm"),
            pytest.param(
                local(20, 19, 30), FRIDAY_TO_SUNDAY[1:], ["Friday Overlap"], id="friday-evening"
            ),
            pytest.param(
                local(21, 11),
                ["Saturday Hike", "Sunday Picnic", "Sunday Late"],
                ["Friday Night", "Friday Overlap"],
                id="saturday",
            ),
            pytest.param(
                local(22, 13),
                ["Sunday Picnic", "Sunday Late"],
                ["Saturday Hike", "Friday Night", "Friday Overlap"],
                id="sunday",
            ),
            pytest.param(
                local(22, 23, 30),
                ["Sunday Late"],
                ["Sunday Picnic", "Saturday Hike", "Friday Night", "Friday Overlap"],
                id="late-sunday",
            ),
            pytest.param(local(23, 0, 30), ["Next Saturday"], [], id="monday-after-midnight"),
        ],
    )
    def test_lists_the_right_weekend(self, client, now, upcoming, past):
        for name, starts_at, ends_at in AROUND_THE_WEEKEND:
            make_activity(name=name, starts_at=starts_at, ends_at=ends_at)
        with time_machine.travel(now, tick=False):
            assert names(client.get(reverse("activities:list"), {"weekend": "on"})) == upcoming
            assert names(client.get(reverse("activities:past"), {"weekend": "on"})) == past


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

    def test_a_page_is_read_once_and_shows_an_edit_at_once(
        self, client, settings, shared_cache, django_capture_on_commit_callbacks
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page
        activity = make_activity(name="Paint Night", starts_at=at(2))
        url = activity.get_absolute_url()

        def read(address=url):
            with CaptureQueriesContext(connection) as captured:
                html = client.get(address).content.decode()
            return len(captured), html

        assert read()[0] > 0
        queries, html = read()
        assert queries == 0 and "Paint Night" in html  # kept until a listing changes
        thanks = "A curator will check this listing."
        assert thanks in read(url + "?reported=1")[1] and thanks not in read()[1]
        with django_capture_on_commit_callbacks(execute=True):
            activity.name = "Paint and Chat Night"
            activity.save()
        queries, html = read()
        assert queries > 0 and "Paint and Chat Night" in html

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
