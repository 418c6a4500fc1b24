"""Next meetings from now: sections, the week wrapping, daylight saving, other zones."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from programs.models import Attendance, Cost, Meeting, Program, ProgramKind
from programs.schedule import refresh_schedule, utc_minute_of_week
from programs.upcoming import ByNextMeeting, clocks_change, next_occurrences, sections
from tests.factories import make_location, make_meeting, make_program

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")
T = datetime.time


def at(*args):
    return datetime.datetime(*args, tzinfo=NY)


MONDAY_11PM = at(2026, 11, 30, 23, 0)
MONDAY_6_55AM = at(2026, 11, 30, 6, 55)
SATURDAY_11_30PM = at(2026, 12, 5, 23, 30)


def meeting(name, weekday, start, end=None, **kwargs):
    program = kwargs.pop("program", None) or make_program(name=name)
    return make_meeting(
        program=program, name=name, weekday=weekday, start_time=start, end_time=end, **kwargs
    )


def online_meeting(name, weekday, start, end=None, program=None, **kwargs):
    """An online meeting; unless a program is given, of its own program with no place."""
    if end is not None:
        kwargs["end_time"] = end
    return make_meeting(
        program=program or make_program(name=name, location=None),
        name=name,
        weekday=weekday,
        start_time=start,
        attendance=Attendance.ONLINE,
        conference_url="https://example.org/join",
        **kwargs,
    )


def listed(now, **kwargs):
    found, _ = next_occurrences(Meeting.objects.published(), now=now, **kwargs)
    return found


def titles(now):
    return [
        (s.key, [o.meeting.name for o in s.occurrences]) for s in sections(listed(now), now, NY)
    ]


def page_text(client, url):
    import re

    html = client.get(url).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


class TestSections:
    @time_machine.travel(MONDAY_11PM, tick=False)
    def test_eleven_pm_monday_leaves_out_what_ended_and_starts_with_what_is_on(self):
        meeting("Early bird", 1, T(7, 0), T(8, 0))
        meeting("Evening", 1, T(19, 0), T(20, 0))
        meeting("Late night", 1, T(22, 30), T(23, 30))
        meeting("Tomorrow morning", 2, T(6, 30), T(7, 30))
        meeting("Wednesday noon", 3, T(12, 0), T(13, 0))
        assert titles(MONDAY_11PM) == [
            ("now", ["Late night"]),
            ("tomorrow", ["Tomorrow morning"]),
            ("2026-12-02", ["Wednesday noon"]),
            ("2026-12-07", ["Early bird", "Evening"]),
        ]

    @time_machine.travel(MONDAY_6_55AM, tick=False)
    def test_just_before_seven_in_the_morning(self):
        meeting("Sunrise", 1, T(6, 30), T(7, 30))
        meeting("Seven o'clock", 1, T(7, 0), T(8, 0))
        meeting("Lunch", 1, T(12, 0), T(13, 0))
        assert titles(MONDAY_6_55AM) == [
            ("now", ["Sunrise"]),
            ("soon", ["Seven o'clock"]),
            ("today", ["Lunch"]),
        ]

    @time_machine.travel(SATURDAY_11_30PM, tick=False)
    def test_the_week_wraps_from_saturday_night_to_sunday_morning(self):
        meeting("Saturday late", 6, T(23, 0), T(0, 30))
        meeting("Sunday breakfast", 0, T(8, 0), T(9, 0))
        meeting("Saturday morning", 6, T(9, 0), T(10, 0))
        assert titles(SATURDAY_11_30PM) == [
            ("now", ["Saturday late"]),
            ("tomorrow", ["Sunday breakfast"]),
            ("2026-12-12", ["Saturday morning"]),
        ]

    @time_machine.travel(MONDAY_11PM, tick=False)
    def test_a_meeting_without_an_end_lasts_an_hour(self):
        meeting("No end given", 1, T(22, 15))
        meeting("Ended", 1, T(21, 30))
        running, ended = listed(MONDAY_11PM)
        assert running.meeting.name == "No end given"
        assert running.in_progress and running.started_minutes_ago == 45
        assert running.local_ends.time() == T(23, 15)
        assert ended.meeting.name == "Ended"  # listed last, as next week's
        assert ended.local_starts == at(2026, 12, 7, 21, 30)

    @time_machine.travel(MONDAY_11PM, tick=False)
    def test_closed_and_unpublished_meetings_never_appear(self):
        meeting("Closed", 2, T(9, 0), temporarily_closed=True)
        meeting("Draft", 2, T(9, 0), status="draft")
        meeting("Open", 2, T(10, 0))
        assert [o.meeting.name for o in listed(MONDAY_11PM)] == ["Open"]


class TestZones:
    @time_machine.travel(at(2026, 12, 1, 18, 0), tick=False)
    def test_a_meeting_in_another_zone_reads_on_the_visitors_clock(self):
        chicago = make_location(
            city="Chicago",
            state="IL",
            postal_code="60601",
            latitude=41.88,
            longitude=-87.62,
            timezone="America/Chicago",
        )
        meeting("Chicago evening", 2, T(20, 0), T(21, 0), location=chicago)
        meeting("Columbus evening", 2, T(20, 30), T(21, 30))
        first, second = listed(at(2026, 12, 1, 18, 0))
        assert first.meeting.name == "Columbus evening"  # 8:30 PM ET comes before 9:00 PM ET
        assert second.local_starts.time() == T(21, 0)
        assert second.zone_label == "ET" and second.own_zone_label == "CT"
        assert second.own_zone_differs and not first.own_zone_differs

    def test_spring_forward_sunday_orders_by_the_real_instant(self):
        phoenix = make_location(
            city="Phoenix",
            state="AZ",
            postal_code="85004",
            latitude=33.45,
            longitude=-112.07,
            timezone="America/Phoenix",
        )
        with time_machine.travel(at(2027, 3, 1, 12, 0), tick=False):  # written in winter
            meeting("Ohio 9 AM", 0, T(9, 0), T(10, 0))  # 13:00 UTC once clocks go forward
            meeting("Phoenix 6:30 AM", 0, T(6, 30), T(7, 30), location=phoenix)  # 13:30 UTC
        saturday_night = at(2027, 3, 13, 23, 0)  # clocks go forward at 2 AM
        with time_machine.travel(saturday_night, tick=False):
            found = listed(saturday_night)
        assert [o.meeting.name for o in found] == ["Ohio 9 AM", "Phoenix 6:30 AM"]
        assert found[0].starts == datetime.datetime(2027, 3, 14, 13, 0, tzinfo=datetime.UTC)
        assert found[1].local_starts.time() == T(9, 30)
        assert found[0].zone_label == "ET"

    def test_fall_back_sunday_and_the_offsets_follow_the_clock_change(self):
        phoenix = make_location(
            city="Phoenix",
            state="AZ",
            postal_code="85004",
            latitude=33.45,
            longitude=-112.07,
            timezone="America/Phoenix",
        )
        with time_machine.travel(at(2026, 7, 1, 12, 0), tick=False):  # written in summer
            ohio = meeting("Ohio 9 AM", 0, T(9, 0), T(10, 0))  # 14:00 UTC after the change
            meeting("Phoenix 6:30 AM", 0, T(6, 30), T(7, 30), location=phoenix)  # 13:30 UTC
        assert Meeting.objects.get(pk=ohio.pk).utc_offset == -240
        sunday_early = at(2026, 11, 1, 5, 0)  # clocks went back at 2 AM
        with time_machine.travel(sunday_early, tick=False):
            found = listed(sunday_early)
        assert [o.meeting.name for o in found] == ["Phoenix 6:30 AM", "Ohio 9 AM"]
        assert found[0].local_starts.time() == T(8, 30)
        stored = Meeting.objects.get(pk=ohio.pk)
        assert stored.utc_offset == -300  # moved by the check the list made
        assert stored.utc_week_minute == 14 * 60


def test_clocks_change_only_when_an_offset_moves_within_the_window():
    zones = ["America/New_York", "America/Phoenix"]
    before_spring = datetime.datetime(2027, 3, 14, 6, 30, tzinfo=datetime.UTC)  # 1:30 EST
    assert clocks_change(zones, before_spring, 30)  # 2 AM falls within the window's hour
    assert not clocks_change(zones, before_spring - datetime.timedelta(hours=2), 30)
    assert not clocks_change(["America/Phoenix"], before_spring, 30)  # no daylight saving
    assert not clocks_change(zones, at(2026, 12, 1, 19, 40), 60)


class TestSchedule:
    def test_columns_are_derived_on_save(self):
        m = meeting("Tuesday", 2, T(19, 30), T(21, 0))
        m.refresh_from_db()
        assert m.week_minute == 2 * 1440 + 19 * 60 + 30
        assert m.duration_minutes == 90
        assert m.search_latitude == m.program.location.search_latitude

    def test_a_meeting_past_midnight_lasts_into_the_next_day(self):
        m = meeting("Midnight", 6, T(23, 30), T(0, 30))
        m.refresh_from_db()
        assert m.duration_minutes == 60

    def test_moving_a_place_moves_its_meetings(self):
        m = meeting("Moves", 2, T(19, 0))
        place = m.program.location
        place.latitude, place.longitude = 41.0, -81.5
        place.save()
        m.refresh_from_db()
        assert (m.search_latitude, m.search_longitude) == (41.0, -81.5)

    def test_a_new_place_is_one_insert(self, django_assert_num_queries):
        # No meeting can be held at a place that did not exist: nothing to move.
        with django_assert_num_queries(1):
            make_location(city="Akron", state="OH", latitude=41.08, longitude=-81.52)

    def test_bulk_refresh_and_the_command_recompute_everything(self):
        m = meeting("Bulk", 3, T(18, 15), T(19, 45))
        Meeting.objects.filter(pk=m.pk).update(
            week_minute=0, duration_minutes=1, utc_week_minute=0, search_latitude=None
        )
        refresh_schedule(Meeting.objects.filter(pk=m.pk))
        m.refresh_from_db()
        assert (m.week_minute, m.duration_minutes) == (3 * 1440 + 18 * 60 + 15, 90)
        assert m.search_latitude is not None
        assert m.utc_week_minute == (m.week_minute - m.utc_offset) % (7 * 1440)
        Meeting.objects.filter(pk=m.pk).update(week_minute=0, utc_week_minute=0)
        call_command("refresh_meeting_times", verbosity=0)
        m.refresh_from_db()
        assert m.week_minute == 3 * 1440 + 18 * 60 + 15

    def test_utc_minute_of_week_starts_on_sunday(self):
        sunday = datetime.datetime(2026, 11, 29, 0, 5, tzinfo=datetime.UTC)
        assert utc_minute_of_week(sunday) == 5


class TestPaging:
    @time_machine.travel(MONDAY_11PM, tick=False)
    def test_pages_run_through_the_week_and_wrap_once(self):
        program = make_program(name="Every day")
        for day in range(7):
            for hour in (8, 12, 18):
                meeting(f"d{day}h{hour}", day, T(hour, 0), program=program)
        seen = []
        for page in range(4):
            found, more = next_occurrences(
                Meeting.objects.published(), now=MONDAY_11PM, offset=page * 6, limit=6
            )
            seen += [o.meeting.name for o in found]
        assert seen[:3] == ["d2h8", "d2h12", "d2h18"]  # Tuesday comes first
        assert seen[-3:] == ["d1h8", "d1h12", "d1h18"]  # Monday comes round again
        assert len(seen) == len(set(seen)) == 21
        assert not more


class TestView:
    @time_machine.travel(MONDAY_11PM, tick=False)
    def test_late_at_night_it_says_so_and_offers_online_meetings(self, client):
        meeting("Morning group", 2, T(7, 0), T(8, 0))
        online_meeting(
            "Online night owls",
            1,
            T(20, 15),
            T(21, 15),
            program=make_program(name="Online group", location=None),
            timezone="America/Los_Angeles",
        )
        text = page_text(client, reverse("programs:meetings") + "?where=43215")
        assert "Nothing more nearby today" in text
        assert "Tomorrow, Tuesday 1 December" in text
        assert text.index("Morning group") < text.index("Online meetings you can join")
        assert "Online night owls" in text.split("Online meetings you can join")[1]
        online_part = text.split("Online meetings you can join")[1]
        assert "11:15 PM ET" in online_part, online_part[:300]
        assert "8:15 PM PT where it meets" in online_part
        assert "988" in text

    @time_machine.travel(MONDAY_11PM, tick=False)
    def test_the_chosen_fellowship_applies_to_online_meetings_too(self, client):
        from programs.models import Fellowship

        aa = Fellowship.objects.get(slug="aa")
        na = Fellowship.objects.get(slug="na")
        for name, fellowship in (("AA online", aa), ("NA online", na)):
            program = make_program(name=name, fellowship=fellowship, location=None)
            online_meeting(name, 1, T(23, 20), program=program)
        meeting("AA in person", 2, T(7, 0), program=make_program(fellowship=aa))
        text = page_text(client, reverse("programs:meetings") + "?where=43215&fellowship=aa")
        assert "AA online" in text and "NA online" not in text

    @time_machine.travel(MONDAY_11PM, tick=False)
    def test_the_approach_filter_applies_to_meetings(self, client):
        from programs.models import Fellowship

        for name, slug in (("Steps", "aa"), ("Tools", "smart"), ("Fellowship", "lifering")):
            program = make_program(name=name, fellowship=Fellowship.objects.get(slug=slug))
            meeting(f"{name} tonight", 1, T(23, 30), program=program)
        url = reverse("programs:meetings")
        response = client.get(url, {"approach": "secular"})
        shown = {o.meeting.name for o in response.context["occurrences"]}
        assert shown == {"Tools tonight", "Fellowship tonight"}
        text = page_text(client, url + "?approach=secular")
        assert "Approach: Secular or science-based" in text
        assert "Steps tonight" not in text
        everything = page_text(client, url)
        assert "Steps tonight" in everything
        # A 12-step group's approach goes without saying; another kind's does not.
        assert "Approach: 12-step" not in everything
        dda = make_program(name="Double Trouble", kind="dual-diagnosis", approach="12-step")
        meeting("Double tonight", 1, T(23, 45), program=dda)
        assert "Approach: 12-step" in page_text(client, url + "?kind=dual-diagnosis")

    @time_machine.travel(MONDAY_11PM, tick=False)
    def test_online_meetings_put_no_pin_on_the_map(self, client):
        meeting("In the hall", 2, T(7, 0))
        # Online groups name the town they are based in, which sets their clock.
        chicago = make_location(
            name="",
            street_address="",
            city="Chicago",
            state="IL",
            postal_code="60601",
            timezone="America/Chicago",
            latitude=41.8858,
            longitude=-87.6181,
        )
        make_meeting(
            program=make_program(name="Online group", location=None),
            name="Online from Chicago",
            weekday=1,
            start_time=T(22, 30),
            attendance=Attendance.ONLINE,
            conference_url="https://example.org/join",
            location=chicago,
        )
        response = client.get(reverse("programs:meetings"))
        shown = [o.meeting.name for o in response.context["occurrences"]]
        assert shown == ["Online from Chicago", "In the hall"]
        assert [m["name"] for m in response.context["markers"]] == ["In the hall"]

    def test_bad_page_numbers_fall_back(self, client):
        meeting("Any", 2, T(9, 0))
        for page in ("0", "-3", "abc", "99999999999999999999"):
            response = client.get(reverse("programs:meetings"), {"page": page})
            assert response.status_code == 200


class TestRightNow:
    URL = "programs:right_now"

    @time_machine.travel(at(2026, 12, 1, 3, 0), tick=False)
    def test_at_three_in_the_morning_the_lines_come_first(self, client):
        meeting("Breakfast club", 2, T(7, 0), T(8, 0))
        text = page_text(client, reverse(self.URL) + "?where=43215")
        assert text.index("Someone to talk to, any hour") < text.index("Near 43215")
        assert "988" in text and "1-800-662-4357" in text
        assert "Breakfast club" not in text  # four hours away is not "now"
        assert "Nothing is under way or starting within the hour" in text

    @time_machine.travel(at(2026, 12, 1, 19, 40), tick=False)
    def test_near_and_online_windows(self, client):
        meeting("Under way", 2, T(19, 0), T(20, 30))
        meeting("In half an hour", 2, T(20, 10), T(21, 0))
        meeting("Too late tonight", 2, T(21, 0), T(22, 0))
        far = make_location(city="Cleveland", postal_code="44114", latitude=41.5, longitude=-81.7)
        meeting("Far away", 2, T(19, 45), location=far)

        online_meeting("Online soon", 2, T(20, 5))
        online_meeting("Online later", 2, T(20, 30))
        text = page_text(client, reverse(self.URL) + "?where=43215&radius=10")
        near, online_part = text.split("Online: starting within")
        assert "Under way" in near and "In half an hour" in near
        assert "Too late tonight" not in near and "Far away" not in near
        assert "Online soon" in online_part and "Online later" not in online_part
        assert "Someone to talk to" not in text  # evening, and something is near

    @time_machine.travel(at(2026, 12, 5, 18, 40), tick=False)  # Saturday, 23:40 UTC
    def test_the_next_hour_reaches_past_the_end_of_the_week(self, client):
        # The week's keys run in UTC: from here the next hour starts again at Sunday 00:00.
        meeting("Saturday at seven", 6, T(19, 0), T(20, 0))
        meeting("Saturday at nine", 6, T(21, 0), T(22, 0))
        online_meeting("Online at five past", 6, T(19, 5))
        text = page_text(client, reverse(self.URL) + "?where=43215&radius=10")
        near, online_part = text.split("Online: starting within")
        assert "Saturday at seven" in near and "Saturday at nine" not in near
        assert "Online at five past" in online_part

    def test_the_hour_ahead_holds_a_meeting_past_the_clocks_going_forward(self, client):
        with time_machine.travel(at(2027, 3, 1, 12, 0), tick=False):  # written in winter
            meeting("Quarter past three", 0, T(3, 15), T(4, 15))
        # 1:30 AM standard time: at 2 AM the clocks jump to 3, so 3:15 is 45 minutes away,
        # though the key written with the winter offset puts it an hour and 45 minutes on.
        with time_machine.travel(at(2027, 3, 14, 1, 30), tick=False):
            text = page_text(client, reverse(self.URL) + "?where=43215&radius=10")
        assert "Quarter past three" in text.split("Online: starting within")[0]

    def test_without_a_place_it_asks_for_one(self, client):
        text = page_text(client, reverse(self.URL))
        assert "Type a ZIP code or town" in text

    def test_every_page_links_to_it(self, client):
        assert reverse(self.URL) in client.get(reverse("privacy")).content.decode()


class TestToday:
    @time_machine.travel(MONDAY_11PM, tick=False)
    def test_meets_today_at_eleven_pm_leaves_out_what_has_ended(self, client):
        meeting("Ended at eight", 1, T(19, 0), T(20, 0))
        meeting("Still going", 1, T(22, 30), T(23, 30))
        meeting("Tomorrow", 2, T(7, 0), T(8, 0))
        programs = client.get(reverse("programs:list"), {"today": "on"}).context["object_list"]
        assert [p.name for p in programs] == ["Still going"]
        meetings = client.get(reverse("programs:meetings"), {"today": "on"})
        assert [o.meeting.name for o in meetings.context["occurrences"]] == ["Still going"]


class TestReviewedEdges:
    @time_machine.travel(at(2026, 12, 5, 19, 30), tick=False)  # Saturday, Sunday 00:30 UTC
    def test_saturday_evening_lists_a_meeting_under_way_once(self):
        meeting("Sat evening", 6, T(18, 30), T(20, 0))
        meeting("Sun morning", 0, T(9, 0), T(10, 0))
        names = [o.meeting.name for o in listed(at(2026, 12, 5, 19, 30))]
        assert names == ["Sat evening", "Sun morning"]

    @time_machine.travel(at(2026, 12, 1, 0, 15), tick=False)
    def test_last_nights_meeting_past_midnight_is_still_today(self, client):
        meeting("Midnight oil", 1, T(23, 30), T(0, 45))
        meeting("Done by midnight", 1, T(22, 0), T(23, 0))
        response = client.get(reverse("programs:meetings"), {"today": "on"})
        assert [o.meeting.name for o in response.context["occurrences"]] == ["Midnight oil"]

    def test_long_and_unknown_lengths(self):
        long = meeting("Marathon", 6, T(9, 0), T(17, 0))
        same = meeting("Same start and end", 6, T(9, 0), T(9, 0))
        long.refresh_from_db()
        same.refresh_from_db()
        assert long.duration_minutes == 240  # the longest a list looks back for
        assert same.duration_minutes == 60

    @time_machine.travel(at(2026, 12, 1, 15, 0), tick=False)
    def test_times_read_on_the_clock_of_the_place_searched(self, client):
        la = make_location(
            city="Los Angeles",
            state="CA",
            postal_code="90012",
            latitude=34.06,
            longitude=-118.24,
            timezone="America/Los_Angeles",
        )
        meeting("LA evening", 2, T(19, 0), T(20, 0), location=la)
        text = page_text(client, reverse("programs:meetings") + "?where=90012")
        assert "7:00 PM PT" in text and "ET" not in text.split("LA evening")[0][-200:]

    @time_machine.travel(at(2026, 12, 1, 19, 40), tick=False)
    def test_right_now_finds_the_online_meeting_starting_among_many_under_way(self, client):
        for i in range(45):
            online_meeting(f"Busy {i}", 2, T(19, 0), T(21, 0))
        online_meeting("About to start", 2, T(19, 50), T(20, 50))
        text = page_text(client, reverse("programs:right_now"))
        assert "About to start" in text.split("Online: starting within")[1]

    def test_arizona_keeps_its_own_name(self):
        from listings.week import zone_label

        july = datetime.datetime(2026, 7, 1, 12, tzinfo=zoneinfo.ZoneInfo("America/Phoenix"))
        denver = datetime.datetime(2026, 7, 1, 12, tzinfo=zoneinfo.ZoneInfo("America/Denver"))
        assert (zone_label(july), zone_label(denver)) == ("MST", "MT")


class TestProgramsByNextMeeting:
    """The programs list's default order, read from the week index page by page."""

    def programs(self):
        return Program.objects.published().for_listing()

    @time_machine.travel(MONDAY_6_55AM, tick=False)
    def test_next_meeting_first_then_programs_without_one_by_name(self):
        meeting("In an hour", 1, T(8, 0), T(9, 0))
        meeting("Tonight", 1, T(19, 0), T(20, 0))
        meeting("Just started", 1, T(6, 50), T(7, 50))  # under way: next week's comes last
        meeting("Tuesday", 2, T(7, 0), T(8, 0))
        make_program(name="B without meetings")
        make_program(name="A without meetings")
        names = [p.name for p in ByNextMeeting(self.programs())[0:10]]
        assert names == [
            "In an hour",
            "Tonight",
            "Tuesday",
            "Just started",
            "A without meetings",
            "B without meetings",
        ]
        assert ByNextMeeting(self.programs()).count() == 6

    def test_the_order_is_kept_for_the_minute(
        self, client, settings, shared_cache, django_capture_on_commit_callbacks
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page
        for i in range(4):
            meeting(f"Group {i}", 1, T(7 + i, 0), T(8 + i, 0))
        url = reverse("programs:list") + "?day=1"

        def listed(when):
            with time_machine.travel(when, tick=False), CaptureQueriesContext(connection) as q:
                response = client.get(url)
            week = [
                x for x in q if 'FROM "programs_meeting"' in x["sql"] and "week_minute" in x["sql"]
            ]
            return [p.name for p in response.context["object_list"]], len(week)

        names, walks = listed(at(2026, 11, 30, 6, 55, 5))  # a Monday
        assert names == ["Group 0", "Group 1", "Group 2", "Group 3"] and walks > 0
        assert listed(at(2026, 11, 30, 6, 55, 50)) == (names, 0)  # the same minute: kept
        # 7:01: Group 0 has started, so it is listed last, after a week's walk.
        names, walks = listed(at(2026, 11, 30, 7, 1, 1))
        assert names == ["Group 1", "Group 2", "Group 3", "Group 0"] and walks > 0
        with django_capture_on_commit_callbacks(execute=True):
            meeting("Group 4", 1, T(7, 30), T(8, 0))
        names, walks = listed(at(2026, 11, 30, 7, 1, 2))  # a change: read again at once
        assert names[:2] == ["Group 4", "Group 1"] and walks > 0

    def test_those_without_a_meeting_are_kept_too_until_a_change(
        self, client, settings, shared_cache, django_capture_on_commit_callbacks
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page
        settings.LISTINGS_PER_PAGE = 2
        meeting("Group", 1, T(7, 0), T(8, 0))
        for name in ("B house", "C house", "D house"):
            make_program(name=name, kind=ProgramKind.SOBER_LIVING)
        url = reverse("programs:list") + "?page=2"

        def listed():
            monday = at(2026, 11, 30, 6, 55, 5)
            with time_machine.travel(monday, tick=False), CaptureQueriesContext(connection) as q:
                response = client.get(url)
            # Those without a meeting are read by name, past those with one.
            by_name = [x for x in q if 'ORDER BY "programs_program"."name"' in x["sql"]]
            return [p.name for p in response.context["object_list"]], len(by_name)

        assert listed() == (["C house", "D house"], 1)
        assert listed() == (["C house", "D house"], 0)  # kept
        with django_capture_on_commit_callbacks(execute=True):
            make_program(name="A house", kind=ProgramKind.SOBER_LIVING)
        assert listed() == (["B house", "C house"], 1)  # a change: read again at once

    def test_a_deep_page_is_read_each_time(self, client, settings, shared_cache, monkeypatch):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page
        settings.LISTINGS_PER_PAGE = 2
        monkeypatch.setattr(ByNextMeeting, "KEPT_UP_TO", 2)  # the first page alone
        for i in range(4):
            meeting(f"Group {i}", 1, T(7 + i, 0), T(8 + i, 0))

        def walks(page):
            url = reverse("programs:list") + f"?day=1&page={page}"
            when = at(2026, 11, 30, 6, 55, 5)
            with time_machine.travel(when, tick=False), CaptureQueriesContext(connection) as q:
                assert client.get(url).status_code == 200
            return len([x for x in q if "week_minute" in x["sql"]])

        assert walks(1) > 0 and walks(1) == 0
        assert walks(2) > 0 and walks(2) > 0

    @pytest.mark.parametrize("broad", [False, True], ids=["filtered-in-sql", "checked-by-chunk"])
    @time_machine.travel(SATURDAY_11_30PM, tick=False)
    def test_pages_far_down_keep_the_same_order(self, broad, monkeypatch):
        monkeypatch.setattr(ByNextMeeting, "BROAD", 0 if broad else 5000)
        monkeypatch.setattr(ByNextMeeting, "FIRST_CHUNK", 4)  # several chunks, even here
        for i in range(30):
            meeting(f"Group {i:02d}", i % 7, T(6 + i % 15, 0))
        for i in range(5):
            make_program(name=f"House {i}")
        now_minute = utc_minute_of_week(timezone.now())
        # Worked out here from the stored rows: minutes from now to each program's next
        # start (ties in the index's order, by meeting), then the rest by name.
        ahead = sorted(
            Meeting.objects.values_list("utc_week_minute", "id", "program_id"),
            key=lambda row: ((row[0] - now_minute) % 10080, row[1]),
        )
        expected = [program for _, _, program in ahead]
        expected += list(
            Program.objects.filter(meetings=None).order_by("name").values_list("pk", flat=True)
        )
        read = [p.pk for p in ByNextMeeting(self.programs())[0:35]]
        assert read == expected
        for start in range(0, 35, 10):
            page = ByNextMeeting(self.programs())[start : start + 10]
            assert [p.pk for p in page] == read[start : start + 10]
        assert len(set(read)) == 35

    @time_machine.travel(SATURDAY_11_30PM, tick=False)
    def test_every_program_needs_no_check_of_its_chunks(
        self, monkeypatch, django_assert_num_queries
    ):
        monkeypatch.setattr(ByNextMeeting, "BROAD", 0)
        monkeypatch.setattr(ByNextMeeting, "FIRST_CHUNK", 64)
        for i in range(12):
            meeting(f"Group {i:02d}", i % 7, T(6 + i, 0))
        make_program(name="Draft", status="draft")
        make_meeting(program=Program.objects.get(name="Draft"), weekday=0)
        checked = ByNextMeeting(self.programs())
        checked.count_upto(1)
        expected = [p.pk for p in checked[0:10]]
        unchecked = ByNextMeeting(self.programs(), every_program=True)
        unchecked.count_upto(1)
        # The week's keys and the page's rows: no query for the chunk's programs.
        with django_assert_num_queries(2):
            assert [p.pk for p in unchecked[0:10]] == expected
        assert "Draft" not in [p.name for p in Program.objects.filter(pk__in=expected)]

    @pytest.mark.parametrize(
        "query,every",
        [
            ("", True),
            ("?page=2", True),
            ("?sort=next", True),
            ("?cost=donation", False),
            ("?day=1", True),
            ("?day=2&type=O&attendance=online", True),
            ("?day=1&cost=donation", False),
            ("?day=1&city=Columbus", False),
            ("?kind=sober-living", False),
            ("?day=funday", True),
        ],
    )
    def test_only_a_list_narrowed_by_meetings_alone_is_every_program(self, client, query, every):
        seen = []
        original = ByNextMeeting.__init__

        def spy(self, *args, **kwargs):
            original(self, *args, **kwargs)
            seen.append(self.every_program)

        make_meeting()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(ByNextMeeting, "__init__", spy)
            assert client.get(reverse("programs:list") + query).status_code == 200
            client.get(reverse("programs:kind", args=["12-step"]) + query)
        assert seen == [every, False]

    @time_machine.travel(MONDAY_6_55AM, tick=False)
    def test_meeting_filters_alone_list_the_same_programs_unchecked(
        self, client, monkeypatch, settings
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from programs.views import ProgramListView

        settings.PAGE_CACHE_SECONDS = 0  # the same page twice, built each time
        monkeypatch.setattr(ByNextMeeting, "BROAD", 0)
        monkeypatch.setattr(ByNextMeeting, "FIRST_CHUNK", 2)
        for i in range(12):
            meeting(f"Group {i:02d}", 1 + i % 3, T(7 + i, 0), T(8 + i, 0), types=["O"] * (i % 2))
        url = reverse("programs:list") + "?day=1&day=2&type=O"

        def listed():
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            checks = [
                q for q in captured if q["sql"].startswith('SELECT "programs_program"."id" AS')
            ]
            return [p.name for p in response.context["object_list"]], len(checks)

        unchecked, checks = listed()
        assert checks == 0
        monkeypatch.setattr(ProgramListView, "lists_every_program", lambda self, qs: False)
        checked, checks = listed()
        assert checks > 0
        # Monday 10:00 and 16:00, then Tuesday 8:00 and 14:00: the open ones, from 6:55.
        assert unchecked == checked == ["Group 03", "Group 09", "Group 01", "Group 07"]

    @time_machine.travel(MONDAY_6_55AM, tick=False)
    def test_a_broad_choice_is_checked_against_its_kept_keys(
        self, client, monkeypatch, settings, shared_cache, django_capture_on_commit_callbacks
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from listings.fragments import Kept
        from programs.models import Fellowship
        from programs.views import ProgramListView

        settings.PAGE_CACHE_SECONDS = 0  # the same page again, built each time
        monkeypatch.setattr(ByNextMeeting, "BROAD", 0)
        monkeypatch.setattr(ByNextMeeting, "FIRST_CHUNK", 2)
        aa = Fellowship.objects.get(slug="aa")
        for i in range(12):
            program = make_program(name=f"Group {i:02d}", fellowship=aa if i % 2 else None)
            meeting(f"Group {i:02d}", 1 + i % 3, T(7 + i, 0), T(8 + i, 0), program=program)
        url = reverse("programs:list") + "?fellowship=aa"

        def listed():
            """The names listed, and how many queries read program keys, by kind."""
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            keys = [
                q["sql"]
                for q in captured
                if q["sql"].startswith('SELECT "programs_program"."id" AS "pk" FROM')
            ]
            read = {
                "kept keys": len([q for q in keys if " LIMIT " in q]),
                "chunk checks": len([q for q in keys if '"programs_program"."id" IN (' in q]),
            }
            return [p.name for p in response.context["object_list"]], read

        names, read = listed()
        # Monday 10:00 and 16:00, then Tuesday 8:00: the AA groups in order, from 6:55.
        assert names[:3] == ["Group 03", "Group 09", "Group 01"]
        assert read == {"kept keys": 1, "chunk checks": 0}
        assert listed() == (names, {"kept keys": 0, "chunk checks": 0})
        with monkeypatch.context() as fewer:
            fewer.setattr(ProgramListView, "KEPT_KEYS", 3)  # too many to keep: checked
            fewer.setattr("programs.views._program_keys", Kept(8))  # none kept yet
            fewer.setattr("programs.views._orders", Kept(8))  # nor any order
            checked, read = listed()
        assert checked == names and read["chunk checks"] > 0
        with django_capture_on_commit_callbacks(execute=True):
            program = make_program(name="Group 12", fellowship=aa)
            meeting("Group 12", 1, T(7, 30), program=program)
        assert listed()[0][0] == "Group 12"  # Monday 7:30, listed at once

    @pytest.mark.parametrize("broad", [False, True], ids=["filtered-in-sql", "checked-by-chunk"])
    @time_machine.travel(MONDAY_6_55AM, tick=False)
    def test_a_filter_on_the_program_keeps_the_order(self, broad, monkeypatch):
        monkeypatch.setattr(ByNextMeeting, "BROAD", 0 if broad else 5000)
        monkeypatch.setattr(ByNextMeeting, "FIRST_CHUNK", 2)
        for i in range(12):
            found = meeting(f"Group {i:02d}", 1 + i % 3, T(7 + i, 0), T(8 + i, 0))
            if i % 3 == 0:
                found.program.cost = Cost.DONATION
                found.program.save()
        make_program(name="House without meetings", cost=Cost.DONATION)
        chosen = self.programs().filter(cost=Cost.DONATION)
        names = [p.name for p in ByNextMeeting(chosen)[0:10]]
        # Monday 7:00, 10:00, 13:00 and 16:00; the others, on Tuesday and Wednesday, cost money.
        assert names == ["Group 00", "Group 03", "Group 06", "Group 09", "House without meetings"]

    @time_machine.travel(MONDAY_6_55AM, tick=False)
    def test_with_meeting_filters_a_program_is_placed_by_its_next_matching_meeting(self, client):
        both = meeting("Monday and Wednesday", 1, T(8, 0), T(9, 0))  # sooner, but Monday
        make_meeting(program=both.program, weekday=3, start_time=T(7, 0), end_time=T(8, 0))
        meeting("Wednesday early", 3, T(6, 0), T(7, 0))
        meeting("A paused Wednesday", 3, T(5, 0), T(6, 0), temporarily_closed=True)
        meeting("Tuesday only", 2, T(7, 0), T(8, 0))
        html = client.get(reverse("programs:list") + "?day=3").content.decode()
        assert "Tuesday only" not in html
        # Wednesday 6:00, then Wednesday 7:00; a program whose only match is paused comes
        # after those with one ahead.
        order = ["Wednesday early", "Monday and Wednesday", "A paused Wednesday"]
        assert sorted(order, key=html.index) == order

    @time_machine.travel(MONDAY_6_55AM, tick=False)
    def test_with_meeting_filters_meetings_in_other_zones_come_in_the_order_they_start(
        self, client
    ):
        la = make_location(city="Los Angeles", state="CA", timezone="America/Los_Angeles")
        meeting("Pacific eight", 3, T(8, 0), T(9, 0), location=la)  # 11:00 in New York
        meeting("Eastern ten", 3, T(10, 0), T(11, 0))
        meeting("Eastern noon", 3, T(12, 0), T(13, 0))
        html = client.get(reverse("programs:list") + "?day=3").content.decode()
        order = ["Eastern ten", "Pacific eight", "Eastern noon"]
        assert sorted(order, key=html.index) == order

    @time_machine.travel(MONDAY_11PM, tick=False)
    def test_the_list_page_uses_it(self, client):
        meeting("Tomorrow early", 2, T(7, 0), T(8, 0))
        meeting("Ended tonight", 1, T(19, 0), T(20, 0))
        html = client.get(reverse("programs:list")).content.decode()
        assert html.index("Tomorrow early") < html.index("Ended tonight")


class TestPagesKeptForTheMinute:
    """With a cache every process shares, which meetings a page of the next-meetings list
    shows is read once a minute for each choice of filters; their times come from the
    exact clock, and a change shows on the next request."""

    @pytest.fixture(autouse=True)
    def no_page_cache(self, settings, shared_cache):
        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page

    def walks_and_text(self, client, when, query=""):
        """How many queries read the week in order, and the page's text."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        url = reverse("programs:meetings") + query
        with time_machine.travel(when, tick=False), CaptureQueriesContext(connection) as ctx:
            text = page_text(client, url)
        walks = [q for q in ctx.captured_queries if re.search(r'week_minute" (>|<=) \d', q["sql"])]
        return len(walks), text

    def test_within_a_minute_the_week_is_not_read_again(
        self, client, django_capture_on_commit_callbacks
    ):
        meeting("Evening group", 2, T(20, 0), T(21, 0))  # Tuesdays, 8 pm
        meeting("Late group", 2, T(22, 0), T(23, 0))
        walks, text = self.walks_and_text(client, at(2026, 12, 1, 19, 40, 5))
        assert walks > 0 and "in 19 min" in text
        assert text.index("Evening group") < text.index("Late group")
        walks, text = self.walks_and_text(client, at(2026, 12, 1, 19, 40, 55))
        assert walks == 0 and "in 19 min" in text  # the same meetings, timed from the clock
        assert "in 18 min" in self.walks_and_text(client, at(2026, 12, 1, 19, 41, 30))[1]
        walks, text = self.walks_and_text(client, at(2026, 12, 1, 20, 0, 5))
        # 8 pm: a new minute, read again; the evening group is under way.
        assert walks > 0 and "In progress" in text and "started 0 min ago" in text
        assert text.index("Evening group") < text.index("Late group")
        walks, _ = self.walks_and_text(client, at(2026, 12, 1, 20, 0, 6), "?fellowship=aa")
        assert walks > 0  # other filters have their own
        with (
            time_machine.travel(at(2026, 12, 1, 20, 0, 7), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            meeting("Half past group", 2, T(20, 30), T(21, 30))
        walks, text = self.walks_and_text(client, at(2026, 12, 1, 20, 0, 8))
        assert walks > 0 and text.index("Half past group") < text.index("Late group")


class TestOnlineKeptForTheMinute:
    """With a cache every process shares, the online meetings offered beside a place's
    results are read once a minute for each choice of other filters and time zone, and
    read again at once when a listing changes."""

    URL = "programs:right_now"

    @pytest.fixture(autouse=True)
    def no_page_cache(self, settings):
        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page

    def queries_and_text(self, client, url, when):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with time_machine.travel(when, tick=False), CaptureQueriesContext(connection) as ctx:
            text = page_text(client, url)
        online_reads = [q for q in ctx.captured_queries if "'online', 'hybrid'" in q["sql"]]
        return len(online_reads), text.split("Online: starting within")[1]

    def test_within_a_minute_the_meetings_are_not_read_again(self, client, shared_cache):
        online_meeting("Online soon", 2, T(20, 5))
        url = reverse(self.URL) + "?where=43215&radius=10"
        first, online = self.queries_and_text(client, url, at(2026, 12, 1, 19, 40, 5))
        assert "Online soon" in online and "in 24 min" in online
        again, online = self.queries_and_text(client, url, at(2026, 12, 1, 19, 40, 55))
        assert "Online soon" in online
        assert first > 0 and again == 0
        other_place, _ = self.queries_and_text(
            client, reverse(self.URL) + "?where=43201", at(2026, 12, 1, 19, 40, 58)
        )
        assert other_place == 0  # another place in the same zone shares them

    def test_the_next_minute_reads_them_again(self, client, shared_cache):
        online_meeting("Online at eleven past", 2, T(20, 11))
        url = reverse(self.URL) + "?where=43215&radius=10"
        _, online = self.queries_and_text(client, url, at(2026, 12, 1, 19, 40, 30))
        assert "Online at eleven past" not in online  # 31 minutes away
        _, online = self.queries_and_text(client, url, at(2026, 12, 1, 19, 41, 0))
        assert "Online at eleven past" in online and "in 30 min" in online

    def test_a_change_shows_on_the_next_request(
        self, client, shared_cache, django_capture_on_commit_callbacks
    ):
        url = reverse(self.URL) + "?where=43215&radius=10"
        when = at(2026, 12, 1, 19, 40, 5)
        _, online = self.queries_and_text(client, url, when)
        assert "Online soon" not in online
        with (
            time_machine.travel(when, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            online_meeting("Online soon", 2, T(20, 5))
        _, online = self.queries_and_text(client, url, when)
        assert "Online soon" in online

    def test_other_filters_have_their_own(self, client, shared_cache):
        from programs.models import Fellowship

        aa, na = Fellowship.objects.get(slug="aa"), Fellowship.objects.get(slug="na")
        for name, fellowship in (("AA online", aa), ("NA online", na)):
            program = make_program(name=name, fellowship=fellowship, location=None)
            online_meeting(name, 2, T(20, 0), program=program)
        when = at(2026, 12, 1, 19, 40, 5)
        _, every = self.queries_and_text(client, reverse(self.URL) + "?where=43215", when)
        assert "AA online" in every and "NA online" in every
        url = reverse(self.URL) + "?where=43215&fellowship=na"
        _, chosen = self.queries_and_text(client, url, when)
        assert "NA online" in chosen and "AA online" not in chosen
        # The meetings list's online section is kept apart from this page's.
        meetings_url = reverse("programs:meetings") + "?where=43215&fellowship=na"
        with time_machine.travel(when, tick=False):
            response = client.get(meetings_url)
        shown = [o.meeting.name for o in response.context["online_occurrences"]]
        assert shown == ["NA online"]


class TestRowsKept:
    """With a cache every process shares, a meeting's row (program, places, types) is read
    once, then taken from the process's store by every list that shows it, until a listing
    changes; a place search keeps its own, with their distance."""

    @pytest.fixture(autouse=True)
    def no_page_cache(self, settings, shared_cache):
        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page

    def rows_read(self, client, query=""):
        """How many queries read whole meeting rows, and the meetings listed, in order."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("programs:meetings") + query)
        rows = [
            q for q in captured if q["sql"].startswith('SELECT "programs_meeting"."id", "programs_')
        ]
        listed = [o.meeting.name for o in response.context["occurrences"]]
        return len(rows), listed

    @time_machine.travel(MONDAY_11PM, tick=False)
    def test_rows_are_read_once(self, client, django_capture_on_commit_callbacks):
        meeting("Breakfast club", 2, T(7, 0), T(8, 0))
        meeting("Lunch group", 2, T(12, 0), T(13, 0))
        online_meeting("Online at noon", 2, T(12, 30))
        every = ["Breakfast club", "Lunch group", "Online at noon"]
        assert self.rows_read(client) == (1, every)
        assert self.rows_read(client) == (0, every)
        assert self.rows_read(client, "?attendance=in_person") == (0, every[:2])
        # Near a place, with each meeting's distance: read once for that spot.
        read, near = self.rows_read(client, "?where=43215")
        assert (read, near) == (1, every[:2])
        assert self.rows_read(client, "?where=43215&radius=25") == (0, near)
        page = client.get(reverse("programs:meetings") + "?where=43215").content.decode()
        assert re.findall(r'<span class="distance">([^<]*)</span>', page) == ["0.5 mi"] * 2
        with django_capture_on_commit_callbacks(execute=True):
            renamed = Meeting.objects.get(name="Lunch group")
            renamed.name = "Lunch bunch"
            renamed.save()
        assert self.rows_read(client) == (1, ["Breakfast club", "Lunch bunch", "Online at noon"])
