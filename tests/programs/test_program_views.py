import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from listings.models import PublicationStatus
from programs.models import (
    Attendance,
    Audience,
    ChangeRequest,
    Cost,
    Fellowship,
    Language,
    ProgramKind,
)
from tests.factories import make_center, make_location, make_meeting, make_program
from tests.sitemaps import sitemap_text

pytestmark = pytest.mark.django_db

# Tuesday 2026-11-24, 18:00 in New York (23:00 UTC).
TUESDAY_6PM_NY = datetime.datetime(2026, 11, 24, 23, 0, tzinfo=datetime.UTC)


def names(response):
    return [p.name for p in response.context["object_list"]]


def get_list(client, **params):
    return client.get(reverse("programs:list"), params)


class TestProgramList:
    def test_lists_only_published_programs(self, client):
        make_program(name="Live Group")
        make_program(name="Hidden Draft", status=PublicationStatus.DRAFT)
        response = get_list(client)
        assert response.status_code == 200
        assert names(response) == ["Live Group"]
        assert b"Hidden Draft" not in response.content

    def test_kind_and_fellowship_filters(self, client):
        aa = Fellowship.objects.get(slug="aa")
        make_program(name="AA Group", fellowship=aa)
        make_program(name="SMART Group", kind=ProgramKind.SMART)
        assert names(get_list(client, kind="smart-recovery")) == ["SMART Group"]
        assert names(get_list(client, fellowship="aa")) == ["AA Group"]

    def test_approach_filter_tells_the_alternatives_apart(self, client):
        for name, kind, slug in (
            ("AA Group", ProgramKind.TWELVE_STEP, "aa"),
            ("LifeRing Group", ProgramKind.OTHER, "lifering"),
            ("SMART Group", ProgramKind.SMART, "smart"),
            ("Dharma Group", ProgramKind.OTHER, "recovery-dharma"),
            ("Celebrate Group", ProgramKind.OTHER, "celebrate-recovery"),
        ):
            make_program(name=name, kind=kind, fellowship=Fellowship.objects.get(slug=slug))
        make_program(name="Unstated Group", kind=ProgramKind.OTHER)
        secular = get_list(client, approach="secular")
        assert sorted(names(secular)) == ["LifeRing Group", "SMART Group"]
        assert "Approach: Secular or science-based" in secular.content.decode()  # its chip
        both = get_list(client, approach=["buddhist-inspired", "faith-based"])
        assert sorted(names(both)) == ["Celebrate Group", "Dharma Group"]
        assert names(get_list(client, approach="secular", kind="other")) == ["LifeRing Group"]

    def test_cards_name_the_approach(self, client):
        make_program(name="Dharma Group", fellowship=Fellowship.objects.get(slug="recovery-dharma"))
        make_program(name="Unstated Group", kind=ProgramKind.OTHER)
        page = get_list(client).content.decode()
        assert page.count("Buddhist-inspired, with meditation</span>") == 1

    def test_meeting_filters_apply_to_the_same_meeting(self, client):
        # One program meets on Tuesday (closed) and Wednesday (women): asking for a women's
        # meeting on Tuesday must not match it.
        program = make_program(name="Split Group")
        make_meeting(program=program, weekday=2, types=["C"])
        make_meeting(program=program, weekday=3, types=["W"])
        match = make_program(name="Women Tuesday")
        make_meeting(program=match, weekday=2, types=["W", "O"])
        assert names(get_list(client, day="2", type="W")) == ["Women Tuesday"]

    def test_types_use_and_semantics(self, client):
        make_meeting(program=make_program(name="Open Only"), types=["O"])
        make_meeting(program=make_program(name="Open Speaker"), types=["O", "SP"])
        response = client.get(reverse("programs:list") + "?type=O&type=SP")
        assert names(response) == ["Open Speaker"]

    def test_type_filter_compares_the_types_key_not_a_join_on_its_code(self, client):
        # PostgreSQL estimates a join on the code alike for every type and at national scale
        # picked a 300 ms plan for the commonest one; the literal key uses its statistics.
        make_meeting(program=make_program(name="Open Only"), types=["O"])
        with CaptureQueriesContext(connection) as captured:
            listed = client.get(reverse("programs:list") + "?type=O")
            meetings = client.get(reverse("programs:meetings") + "?type=O")
        lookups = [q["sql"] for q in captured if '"programs_meetingtype"."code" =' in q["sql"]]
        assert lookups == []
        assert names(listed) == ["Open Only"]
        assert "Open Only" in meetings.content.decode()

    def test_attendance_filter_counts_hybrid_both_ways(self, client):
        make_meeting(program=make_program(name="In Room"))
        make_meeting(
            program=make_program(name="On Zoom", location=None),
            attendance=Attendance.ONLINE,
            conference_url="https://zoom.us/j/1",
            timezone="America/New_York",
        )
        make_meeting(
            program=make_program(name="Both Ways"),
            attendance=Attendance.HYBRID,
            conference_url="https://zoom.us/j/2",
        )
        assert sorted(names(get_list(client, attendance="online"))) == ["Both Ways", "On Zoom"]
        assert sorted(names(get_list(client, attendance="in_person"))) == ["Both Ways", "In Room"]
        assert names(get_list(client, attendance="hybrid")) == ["Both Ways"]

    def test_time_of_day_including_night_wrap(self, client):
        make_meeting(program=make_program(name="Early"), start_time=datetime.time(7))
        make_meeting(program=make_program(name="Late"), start_time=datetime.time(23, 30))
        make_meeting(program=make_program(name="Small Hours"), start_time=datetime.time(1))
        assert names(get_list(client, time="morning")) == ["Early"]
        assert sorted(names(get_list(client, time="night"))) == ["Late", "Small Hours"]

    def test_audience_language_cost_city_and_wheelchair(self, client):
        women = Audience.objects.get(slug="women")
        spanish = Language.objects.get(code="es")
        dayton = make_location(city="Dayton", wheelchair_accessible=True)
        target = make_program(name="Target", location=dayton, cost=Cost.DONATION)
        target.audiences.add(women)
        target.languages.add(spanish)
        make_program(name="Other")
        for params in (
            {"audience": "women"},
            {"language": "es"},
            {"cost": "donation"},
            {"city": "dayton"},
            {"wheelchair": "on"},
        ):
            assert names(get_list(client, **params)) == ["Target"], params

    def test_sober_living_for_women_accepting_mat(self, client):
        make_program(
            name="Maple House",
            kind=ProgramKind.SOBER_LIVING,
            gender_served="women",
            accepts_mat_residents=True,
        )
        make_program(
            name="Oak House",
            kind=ProgramKind.SOBER_LIVING,
            gender_served="women",
            accepts_mat_residents=False,
        )
        make_program(
            name="Pine House",
            kind=ProgramKind.SOBER_LIVING,
            gender_served="men",
            accepts_mat_residents=True,
        )
        response = get_list(client, kind="sober-living", gender="women", mat="on")
        assert names(response) == ["Maple House"]

    def test_unticked_checkbox_means_dont_care(self, client):
        make_program(name="No MAT", kind=ProgramKind.SOBER_LIVING, accepts_mat_residents=False)
        assert names(get_list(client, kind="sober-living")) == ["No MAT"]

    @time_machine.travel(TUESDAY_6PM_NY, tick=False)
    def test_today_and_starting_soon_use_each_meetings_zone(self, client):
        # 18:00 in New York is 15:00 in Los Angeles, the same Tuesday.
        la = make_location(city="Los Angeles", state="CA", timezone="America/Los_Angeles")
        make_meeting(program=make_program(name="NY Soon"), weekday=2, start_time=datetime.time(19))
        make_meeting(program=make_program(name="NY Later"), weekday=2, start_time=datetime.time(21))
        make_meeting(
            program=make_program(name="LA Soon", location=la),
            weekday=2,
            start_time=datetime.time(16),
            timezone="America/Los_Angeles",
        )
        make_meeting(
            program=make_program(name="LA Tonight", location=la),
            weekday=2,
            start_time=datetime.time(19),
            timezone="America/Los_Angeles",
        )
        # Detroit reads New York's clock: both zones go into one condition.
        detroit = make_location(city="Detroit", state="MI", timezone="America/Detroit")
        make_meeting(
            program=make_program(name="Detroit Soon", location=detroit),
            weekday=2,
            start_time=datetime.time(19, 30),
            timezone="America/Detroit",
        )
        make_meeting(
            program=make_program(name="Wednesday"), weekday=3, start_time=datetime.time(19)
        )
        assert sorted(names(get_list(client, soon="on"))) == ["Detroit Soon", "LA Soon", "NY Soon"]
        assert sorted(names(get_list(client, today="on"))) == [
            "Detroit Soon",
            "LA Soon",
            "LA Tonight",
            "NY Later",
            "NY Soon",
        ]

    @time_machine.travel(datetime.datetime(2026, 11, 25, 4, 0, tzinfo=datetime.UTC), tick=False)
    def test_starting_soon_crosses_midnight(self, client):
        # Tuesday 23:00 in New York: a Wednesday 00:30 meeting starts within two hours.
        make_meeting(
            program=make_program(name="Midnight"), weekday=3, start_time=datetime.time(0, 30)
        )
        make_meeting(program=make_program(name="Wed Noon"), weekday=3, start_time=datetime.time(12))
        assert names(get_list(client, soon="on")) == ["Midnight"]

    @time_machine.travel(TUESDAY_6PM_NY, tick=False)
    def test_default_sort_is_next_meeting(self, client):
        make_meeting(program=make_program(name="A Thursday"), weekday=4)
        make_meeting(
            program=make_program(name="B Tonight"), weekday=2, start_time=datetime.time(19)
        )
        make_meeting(
            program=make_program(name="C Earlier Today"), weekday=2, start_time=datetime.time(9)
        )  # already over: next week
        make_program(name="D No Meetings", kind=ProgramKind.SOBER_LIVING)
        assert names(get_list(client)) == [
            "B Tonight",
            "A Thursday",
            "C Earlier Today",
            "D No Meetings",
        ]
        assert names(get_list(client, sort="name")) == [
            "A Thursday",
            "B Tonight",
            "C Earlier Today",
            "D No Meetings",
        ]

    def test_keyword_sorts_by_relevance(self, client):
        make_program(name="Tuesday Serenity", description="A group about hope.")
        make_program(name="Hope Circle", description="Meets weekly.")
        response = get_list(client, q="hope")
        assert names(response)[0] == "Hope Circle"
        assert set(names(response)) == {"Hope Circle", "Tuesday Serenity"}

    def test_pagination_keeps_filters(self, client, settings):
        settings.LISTINGS_PER_PAGE = 2
        for i in range(5):
            make_program(name=f"SMART {i}", kind=ProgramKind.SMART)
        response = get_list(client, kind="smart-recovery", sort="name")
        html = response.content.decode()
        links = re.findall(r'href="(\?[^"]*page=2[^"]*)"', html)
        assert links, "no link to page 2"
        assert "kind=smart-recovery" in links[0]
        assert "sort=name" in links[0]
        page2 = client.get(reverse("programs:list") + links[0].replace("&amp;", "&"))
        assert names(page2) == ["SMART 2", "SMART 3"]

    def test_active_filters_are_removable_one_by_one(self, client):
        make_program(name="X")
        response = client.get(reverse("programs:list") + "?day=1&day=2&kind=12-step")
        chips = response.context["active_filters"]
        labels = [c["label"] for c in chips]
        assert "Day of the week: Monday" in labels
        assert "Day of the week: Tuesday" in labels
        monday = next(c for c in chips if c["label"].endswith("Monday"))
        assert "day=1" not in monday["url"]
        assert "day=2" in monday["url"] and "kind=12-step" in monday["url"]

    def test_empty_state_suggests_widening(self, client):
        response = get_list(client, q="nothing-matches-this")
        assert response.status_code == 200
        assert b"Nothing matches yet" in response.content
        assert b"Clear every filter" in response.content

    def test_invalid_filter_is_reported_and_others_still_apply(self, client):
        make_program(name="SMART One", kind=ProgramKind.SMART)
        make_program(name="AA One")
        response = get_list(client, kind="smart-recovery", day="banana")
        assert response.status_code == 200
        assert names(response) == ["SMART One"]
        assert b"Select a valid choice" in response.content
        assert response.content.decode().count("<title>Error: ") == 1


class TestKindPages:
    @pytest.mark.parametrize("kind", list(ProgramKind))
    def test_each_kind_explains_then_lists(self, client, kind):
        make_program(name="Of This Kind", kind=kind)
        make_program(
            name="Another Kind",
            kind=ProgramKind.OTHER if kind != ProgramKind.OTHER else ProgramKind.SMART,
        )
        response = client.get(reverse("programs:kind", args=[kind.value]))
        assert response.status_code == 200
        assert b"Who it suits" in response.content
        assert names(response) == ["Of This Kind"]

    def test_unknown_kind_is_404(self, client):
        assert client.get("/programs/astrology/").status_code == 404


class TestProgramDetail:
    def test_shows_schedule_place_and_contact(self, client):
        program = make_program(
            name="Hope Group", phone="614-555-0123", last_verified_on=datetime.date(2026, 10, 1)
        )
        make_meeting(program=program, weekday=2, start_time=datetime.time(19, 30), types=["O", "W"])
        response = client.get(program.get_absolute_url())
        html = response.content.decode()
        assert "Tuesday" in html and "7:30 PM" in html
        assert "Open" in html and "Women" in html  # names, not codes
        assert "America/New_York" in html
        assert "7:30 PM to 8:00 PM ET</p>" in html
        assert 'href="tel:6145550123"' in html
        assert "openstreetmap.org/directions?to=39.9612%2C-82.9988" in html
        assert "October 1, 2026" in html
        assert f"/get-help/?program={program.slug}" in html
        assert "Report a problem with this listing" in html
        assert '<script type="application/ld+json">' in html

    def test_confidential_home_hides_street_and_coordinates(self, client):
        secret = make_location(
            street_address="742 Hidden Lane",
            postal_code="43206",
            latitude=39.9401,
            longitude=-82.9811,
            is_confidential=True,
        )
        program = make_program(name="Quiet House", kind=ProgramKind.SOBER_LIVING, location=secret)
        html = client.get(program.get_absolute_url()).content.decode()
        assert "Hidden Lane" not in html
        assert "39.9401" not in html and "-82.9811" not in html
        assert "43206" not in html
        assert "Columbus, OH" in html

    def test_unpublished_program_is_404(self, client):
        program = make_program(status=PublicationStatus.DRAFT)
        assert client.get(program.get_absolute_url()).status_code == 404

    def test_anonymous_visitor_gets_no_cookies(self, client):
        program = make_program()
        make_meeting(program=program)
        for url in (reverse("home"), reverse("programs:list"), program.get_absolute_url()):
            assert not client.get(url).cookies, url


class TestReportProblem:
    def test_report_is_queued_for_curators(self, client):
        program = make_program(name="Wrong Time Group")
        url = reverse("programs:report_problem", args=["program", program.slug])
        assert client.get(url).status_code == 200
        response = client.post(url, {"problem": "time", "details": "Moved to 8pm."})
        assert response.status_code == 302
        assert response["Location"] == program.get_absolute_url() + "?reported=1"
        report = ChangeRequest.objects.get()
        assert report.listing == program
        assert report.status == "open"
        assert b"A curator will check" in client.get(response["Location"]).content

    def test_invalid_report_keeps_text_and_shows_summary(self, client):
        center = make_center()
        url = reverse("programs:report_problem", args=["treatment-centre", center.slug])
        response = client.post(url, {"problem": "bogus", "details": "keep me"})
        assert response.status_code == 400
        html = response.content.decode()
        assert "There is a problem" in html
        assert "keep me" in html
        assert ChangeRequest.objects.count() == 0

    def test_reports_are_rate_limited_per_address(self, client, settings):
        settings.REPORT_RATE_LIMIT = 3
        program = make_program(name="Busy Group")
        url = reverse("programs:report_problem", args=["program", program.slug])
        data = {"problem": "time", "details": "Moved."}
        for _ in range(3):
            assert client.post(url, data, REMOTE_ADDR="192.0.2.7").status_code == 302
        blocked = client.post(url, data, REMOTE_ADDR="192.0.2.7")
        assert blocked.status_code == 429
        assert int(blocked["Retry-After"]) > 0
        assert b"We could not take another report just now" in blocked.content
        assert program.get_absolute_url().encode() in blocked.content
        assert ChangeRequest.objects.count() == 3
        # Another address may still report, and reading the form is never limited.
        assert client.post(url, data, REMOTE_ADDR="198.51.100.7").status_code == 302
        assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200

    def test_reports_and_referrals_are_counted_apart(self, client, settings):
        settings.REPORT_RATE_LIMIT = 1
        settings.REFERRAL_RATE_LIMIT = 1
        program = make_program()
        url = reverse("programs:report_problem", args=["program", program.slug])
        assert client.post(url, {"problem": "time"}).status_code == 302
        from tests.factories import referral_form_data

        assert client.post(reverse("referral"), referral_form_data()).status_code == 302

    def test_unknown_kind_or_listing_is_404(self, client):
        assert client.get("/report/user/x/").status_code == 404
        assert client.get("/report/program/missing/").status_code == 404


class TestMeetingTypesPage:
    def test_lists_each_type_in_use_with_its_definition_and_anchor(self, client):
        make_meeting(types=["C", "SP"])
        make_meeting(types=["W"], status=PublicationStatus.DRAFT)
        response = client.get(reverse("programs:meeting_types"))
        assert response.status_code == 200
        html = response.content.decode()
        assert [t.code for t in response.context["types"]] == ["C", "SP"]  # by name
        assert 'id="code-C"' in html and 'id="code-SP"' in html
        assert "visitors are asked to come to an open meeting instead" in html
        assert 'id="code-W"' not in html  # only on a draft meeting
        assert f'href="{reverse("programs:meetings")}?type=SP"' in html

    def test_type_links_point_at_their_entry(self):
        from programs.models import MeetingType

        assert MeetingType.objects.get(code="12x12").get_absolute_url() == (
            "/meeting-types/#code-12x12"
        )

    def test_list_filters_say_where_the_types_are_explained(self, client):
        make_meeting(types=["O"])
        for url in (reverse("programs:list"), reverse("programs:meetings")):
            html = client.get(url).content.decode()
            assert 'href="/meeting-types/">What do these mean?</a>' in html, url

    def test_is_in_the_sitemap(self, client):
        assert "/meeting-types/</loc>" in sitemap_text(client)


def type_links(html):
    """(href, described by, name) of each meeting type link shown."""
    return re.findall(
        r'<li><a href="(#code-[^"]+)"(?: aria-describedby="([^"]+)")?>([^<]+)</a></li>', html
    )


def glossary(html):
    """{anchor: (name, definition)} of the page's glossary of meeting types."""
    return {
        anchor: (name, text)
        for anchor, name, text in re.findall(
            r'<div id="(code-[^"]+)"><dt>([^<]+)</dt><dd id="def-[^"]+">([^<]+)</dd></div>', html
        )
    }


class TestTypesExplainThemselves:
    def test_program_page_links_each_type_to_its_definition(self, client):
        meeting = make_meeting(types=["C", "SP"])
        make_meeting(program=meeting.program, weekday=4, types=["C"])
        html = client.get(meeting.program.get_absolute_url()).content.decode()
        assert type_links(html) == [
            ("#code-C", "def-C", "Closed"),
            ("#code-SP", "def-SP", "Speaker"),
            ("#code-C", "def-C", "Closed"),
        ]
        definitions = glossary(html)
        assert list(definitions) == ["code-C", "code-SP"]  # once each, by name
        assert "visitors are asked to come to an open meeting" in definitions["code-C"][1]
        assert 'id="def-C"' in html and 'id="def-SP"' in html
        assert 'href="/meeting-types/">Every meeting type explained' in html
        assert 'href="/meeting-types.css"' in html
        assert ' title="' not in html.split("<body")[1]

    def test_program_cards_and_next_meetings_explain_types_too(self, client):
        make_meeting(types=["O"])
        make_meeting(types=["O", "W"])
        for url in (reverse("programs:list"), reverse("programs:meetings")):
            html = client.get(url).content.decode()
            links = type_links(html)
            # On lists the definition is one tap away, not read out at every meeting.
            assert sorted(links) == [("#code-O", "", "Open")] * 2 + [("#code-W", "", "Women")]
            definitions = glossary(html)
            assert list(definitions) == ["code-O", "code-W"], url
            assert definitions["code-O"][1].startswith("Anyone may come"), url
            assert 'href="/meeting-types.css"' in html

    def test_a_card_explains_only_the_types_of_the_meetings_it_shows(self, client):
        first = make_meeting(weekday=0, types=["O"])
        for weekday in (1, 2, 3):
            make_meeting(program=first.program, weekday=weekday, types=["O"])
        make_meeting(program=first.program, weekday=4, types=["SP"])  # a fifth: not on the card
        html = client.get(reverse("programs:list")).content.decode()
        assert "All 5 meeting times" in html
        assert list(glossary(html)) == ["code-O"]

    def test_pages_without_types_have_no_glossary(self, client):
        program = make_program(kind=ProgramKind.SOBER_LIVING)
        html = client.get(program.get_absolute_url()).content.decode()
        assert "type-glossary" not in html and "meeting-types.css" not in html

    def test_a_type_without_a_definition_still_has_its_entry(self, client):
        from programs.models import MeetingType

        MeetingType.objects.filter(code="O").update(description="")
        meeting = make_meeting(types=["O"])
        html = client.get(meeting.program.get_absolute_url()).content.decode()
        assert glossary(html) == {"code-O": ("Open", "No description yet.")}


class TestTypesStylesheet:
    def test_gives_each_described_type_in_use_its_words(self, client):
        from programs.models import MeetingType

        make_meeting(types=["O", "C"])
        make_meeting(types=["W"], status=PublicationStatus.DRAFT)
        MeetingType.objects.filter(code="C").update(description="")
        response = client.get(reverse("programs:meeting_types_css"))
        assert response["Content-Type"] == "text/css; charset=utf-8"
        css = response.content.decode()
        assert css.splitlines() == [
            '.type-list li:has(>a[href="#code-O"]){--type-def:"Anyone may come: people who '
            "want to stop, and also family, friends, students or anyone curious. You do not "
            'have to speak."}'
        ]

    def test_curators_words_cannot_break_out_of_the_string(self, client):
        from programs.models import MeetingType

        make_meeting(types=["O"])
        MeetingType.objects.filter(code="O").update(
            description='Say "hi" \\ then}\nbody{display:none}'
        )
        css = client.get(reverse("programs:meeting_types_css")).content.decode()
        assert css == (
            '.type-list li:has(>a[href="#code-O"])'
            '{--type-def:"Say \\22 hi\\22  \\5c  then}\\a body{display:none}"}\n'
        )


class TestZoneLabels:
    def test_meeting_times_say_the_zone_as_people_do(self, client):
        chicago = make_location(city="Chicago", state="IL", timezone="America/Chicago")
        program = make_program(location=chicago)
        make_meeting(program=program, weekday=2, start_time=datetime.time(19, 0))
        online = make_meeting(
            program=program,
            weekday=3,
            start_time=datetime.time(12, 0),
            end_time=None,
            attendance=Attendance.ONLINE,
            conference_url="https://zoom.us/j/5",
            timezone="America/Los_Angeles",
        )
        html = client.get(program.get_absolute_url()).content.decode()
        assert "7:00 PM to 8:00 PM CT</p>" in html
        assert "12:00 PM PT</p>" in html
        assert "America/Chicago)" not in html and "(America/" not in html
        assert online.zone_label == "PT"

    def test_online_meetings_beside_place_results_show_short_zones(self, client):
        make_meeting(attendance=Attendance.ONLINE, conference_url="https://zoom.us/j/6")
        html = get_list(client, where="43215").content.decode()
        assert "7:00 PM ET</span>" in html
        assert "(America/New_York)" not in html

    def test_a_kept_online_line_follows_the_language_and_the_zone_in_force(
        self, settings, shared_cache
    ):
        from django.utils import translation

        from programs.templatetags.program_cards import online_meeting_lines

        london = make_location(city="London", state="", timezone="Europe/London")
        meeting = make_meeting(
            location=london, weekday=1, attendance=Attendance.ONLINE, conference_url="https://x.org"
        )
        # Saturday 17 October 2026: the next Monday meeting is in British Summer Time.
        with time_machine.travel(datetime.datetime(2026, 10, 17, 12, 30, tzinfo=datetime.UTC)):
            english = online_meeting_lines([meeting])
            with translation.override("es"):
                spanish = online_meeting_lines([meeting])
        assert "Monday" in english and "BST" in english
        assert "lunes" in spanish.lower() and "Monday" not in spanish
        # The same kept meeting a week on, after the clocks went back: written again.
        with time_machine.travel(datetime.datetime(2026, 10, 26, 12, 30, tzinfo=datetime.UTC)):
            later = online_meeting_lines([meeting])
        assert "GMT" in later and "BST" not in later

    @pytest.mark.parametrize(
        ("moment", "label"),
        [
            (datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC), "BST"),
            (datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), "GMT"),
            # Saturday before the clocks go back: the next Monday meeting is in GMT already.
            (datetime.datetime(2026, 10, 24, 12, tzinfo=datetime.UTC), "GMT"),
        ],
    )
    def test_label_is_the_one_in_force_at_the_next_meeting(self, moment, label):
        london = make_location(city="London", state="", timezone="Europe/London")
        with time_machine.travel(moment, tick=False):
            assert make_meeting(location=london, weekday=1).zone_label == label


class TestDialIn:
    def test_one_tap_link_dials_the_meeting_id_beside_the_join_link(self, client):
        meeting = make_meeting(
            attendance=Attendance.HYBRID,
            conference_url="https://zoom.us/j/81234567890",
            conference_phone="+1 646 558 8656",
            conference_phone_notes="Meeting ID: 812 3456 7890, Passcode: 4321",
        )
        html = client.get(meeting.program.get_absolute_url()).content.decode()
        online = html.split('class="online"')[1].split("</p>")[0]
        assert 'href="https://zoom.us/j/81234567890"' in online
        assert 'href="tel:+16465588656,,81234567890%23,,,,*4321%23">Join by phone</a>' in online
        assert "calls (646) 558-8656, then enters meeting ID 812 3456 7890 and the passcode" in (
            online
        )
        # The plain number too, for dialling from another phone.
        assert 'Dial in: <a href="tel:+16465588656">(646) 558-8656</a>' in online
        assert "Meeting ID: 812 3456 7890, Passcode: 4321" in online

    def test_without_a_meeting_id_only_the_number_is_offered(self, client):
        meeting = make_meeting(
            attendance=Attendance.ONLINE,
            conference_phone="646-558-8656",
            conference_phone_notes="Ask the host for the code",
        )
        html = client.get(meeting.program.get_absolute_url()).content.decode()
        assert "Join by phone" not in html
        assert 'href="tel:6465588656"' in html

    def test_a_one_tap_number_from_a_feed_is_dialled_as_written(self, client):
        meeting = make_meeting(
            attendance=Attendance.ONLINE, conference_phone="+16465550100,,85012345678#"
        )
        html = client.get(meeting.program.get_absolute_url()).content.decode()
        assert 'href="tel:+16465550100,,85012345678%23">Join by phone</a>' in html
        assert 'href="tel:+16465550100">' in html


def radios(html, name):
    """(value, label, checked) of each radio button named `name`."""
    return [
        (value, label.strip(), " checked" in attributes)
        for value, attributes, label in re.findall(
            rf'<input type="radio" name="{name}" value="([^"]*)"([^>]*)>([^<]*)</label>', html
        )
    ]


class TestReportAMeeting:
    def report_url(self, program):
        return reverse("programs:report_problem", args=["program", program.slug])

    def test_offers_the_programs_meetings_after_the_whole_listing(self, client):
        program = make_program(name="Hope Group")
        tuesday = make_meeting(program=program, weekday=2, start_time=datetime.time(19, 0))
        online = make_meeting(
            program=program,
            weekday=4,
            start_time=datetime.time(12, 30),
            name="Lunchtime",
            attendance=Attendance.ONLINE,
            conference_url="https://zoom.us/j/7",
        )
        make_meeting(program=program, weekday=5, status=PublicationStatus.DRAFT)
        make_meeting()  # another program's
        html = client.get(self.report_url(program)).content.decode()
        assert radios(html, "meeting") == [
            ("", "The whole listing", True),
            (str(tuesday.pk), "Tuesday 7:00 PM ET (in person)", False),
            (str(online.pk), "Thursday 12:30 PM ET, Lunchtime (online)", False),
        ]
        assert "Which meeting is it about?" in html

    def test_the_link_beside_a_meeting_preselects_it(self, client):
        meeting = make_meeting()
        page = client.get(meeting.program.get_absolute_url()).content.decode()
        link = f"{self.report_url(meeting.program)}?meeting={meeting.pk}"
        assert f'href="{link}">Report a problem' in page
        html = client.get(link).content.decode()
        assert ("", "The whole listing", False) in radios(html, "meeting")
        assert (str(meeting.pk), "Monday 7:00 PM ET (in person)", True) in radios(html, "meeting")

    @pytest.mark.parametrize("wanted", ["abc", "-1", "99999999999999999999", "other"])
    def test_an_unknown_meeting_in_the_link_means_the_whole_listing(self, client, wanted):
        meeting = make_meeting()
        if wanted == "other":
            wanted = str(make_meeting().pk)
        response = client.get(self.report_url(meeting.program), {"meeting": wanted})
        assert response.status_code == 200
        assert radios(response.content.decode(), "meeting")[0] == ("", "The whole listing", True)

    def test_what_is_wrong_offers_no_blank_choice(self, client):
        meeting = make_meeting()
        html = client.get(self.report_url(meeting.program)).content.decode()
        problems = radios(html, "problem")
        assert [value for value, _, _ in problems] == [
            "closed",
            "time",
            "place",
            "contact",
            "other",
        ]
        assert not any(checked for _, _, checked in problems)
        assert "---------" not in html

    def test_report_names_the_meeting(self, client):
        meeting = make_meeting()
        response = client.post(
            self.report_url(meeting.program),
            {"meeting": str(meeting.pk), "problem": "time", "details": "Starts at 7:30 now."},
        )
        assert response.status_code == 302
        report = ChangeRequest.objects.get()
        assert report.meeting == meeting
        assert report.listing == meeting.program

    def test_report_about_the_whole_listing(self, client):
        meeting = make_meeting()
        client.post(self.report_url(meeting.program), {"meeting": "", "problem": "closed"})
        assert ChangeRequest.objects.get().meeting is None

    @pytest.mark.parametrize("tampered", ["other", "draft", "abc", "99999999999999999999"])
    def test_a_meeting_from_elsewhere_is_a_form_error(self, client, tampered):
        meeting = make_meeting()
        value = {
            "other": lambda: str(make_meeting().pk),
            "draft": lambda: str(
                make_meeting(program=meeting.program, status=PublicationStatus.DRAFT).pk
            ),
        }.get(tampered, lambda: tampered)()
        response = client.post(
            self.report_url(meeting.program), {"meeting": value, "problem": "time"}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Choose one of this listing&#x27;s meetings, or the whole listing." in html
        assert "There is a problem" in html
        assert ChangeRequest.objects.count() == 0

    def test_listings_without_meetings_do_not_ask(self, client):
        center = make_center()
        url = reverse("programs:report_problem", args=["treatment-centre", center.slug])
        html = client.get(url, {"meeting": "1"}).content.decode()
        assert 'name="meeting"' not in html
        response = client.post(url, {"meeting": "1", "problem": "contact"})
        assert response.status_code == 302
        assert ChangeRequest.objects.get().meeting is None

    def test_model_refuses_a_meeting_of_another_listing(self):
        from django.core.exceptions import ValidationError

        meeting = make_meeting()
        report = ChangeRequest.about(make_program())
        report.problem = "time"
        report.meeting = meeting
        with pytest.raises(ValidationError) as caught:
            report.full_clean()
        assert "meeting" in caught.value.message_dict
        ChangeRequest.about(meeting.program).full_clean(exclude=["problem"])


class TestShareAMeeting:
    def test_each_meeting_has_a_plain_link_to_itself(self, client):
        meeting = make_meeting(name="Early Birds", weekday=6, start_time=datetime.time(7, 0))
        html = client.get(meeting.program.get_absolute_url()).content.decode()
        assert f'id="meeting-{meeting.pk}"' in html
        assert (
            f'<a href="{meeting.program.get_absolute_url()}#meeting-{meeting.pk}" data-share '
            'data-share-title="Early Birds, Saturday 7:00 AM" '
            'data-share-label="Share this meeting" '
            'data-copy-label="Copy link to this meeting" data-copied-label="Link copied.">'
            "Link to this meeting"
        ) in html
        assert "share" not in html.split("<body")[1].split("</main>")[1].lower()

    def test_in_spanish_with_its_name_escaped(self, client):
        meeting = make_meeting(name='Tom & "Jerry" <b>', weekday=4, start_time=datetime.time(19))
        html = client.get("/es" + meeting.program.get_absolute_url()).content.decode()
        when = '<p class="meeting-when"><strong>Jueves</strong>, de 7:00 p. m. a 8:00 p. m. ET</p>'
        assert when in html
        assert f'href="/es/program/{meeting.program.slug}/meeting-{meeting.pk}.ics">' in html
        assert (
            'Agregar al calendario<span class="visually-hidden"> (cada jueves, 7:00 p. m.)' in html
        )
        assert 'data-share-title="Tom &amp; &quot;Jerry&quot; &lt;b&gt;, jueves 7:00 p. m."' in html
        assert 'data-share-label="Compartir esta reunión"' in html
        assert f"/es/report/program/{meeting.program.slug}/?meeting={meeting.pk}" in html
        assert "<b>" not in html.split('class="schedule"')[1].split("</ul>")[0]


def test_sober_living_shows_house_filters_and_hides_meeting_ones(client):
    import re

    html = client.get(reverse("programs:kind", args=["sober-living"])).content.decode()
    form = html[html.index('class="filter-form"') : html.index("</form>")]
    primary = form[: form.index("more-filters")]
    for name in ("gender", "mat", "beds", "where"):
        assert f'name="{name}"' in primary, name
    for name in ("day", "today", "soon", "attendance", "type", "kind"):
        assert not re.search(rf'name="{name}"', form), name


def test_group_pages_hide_house_filters(client):
    html = client.get(reverse("programs:kind", args=["12-step"])).content.decode()
    form = html[html.index('class="filter-form"') : html.index("</form>")]
    assert 'name="day"' in form and 'name="where"' in form and 'name="q"' in form
    for name in ("gender", "mat", "beds"):
        assert f'name="{name}"' not in form, name


def test_beds_filter_keeps_houses_with_room(client):
    from programs.models import ProgramKind

    make_program(name="Big House", kind=ProgramKind.SOBER_LIVING, beds=12)
    make_program(name="Small House", kind=ProgramKind.SOBER_LIVING, beds=4)
    response = client.get(reverse("programs:kind", args=["sober-living"]), {"beds": "6"})
    assert [p.name for p in response.context["object_list"]] == ["Big House"]


def test_a_filter_group_in_error_is_marked_once_and_cleanly(client):
    html = client.get(reverse("programs:list"), {"day": "banana"}).content.decode()
    assert '<fieldset aria-describedby="id_day_error">' in html
    assert 'value="0" aria-invalid="true">' in html
    assert (
        "&quot;"
        not in html[html.index("filter-day") : html.index("</fieldset>", html.index("filter-day"))]
    )


class TestRowsKept:
    """With a cache every process shares, a program read for one list's page is kept, with
    its distance from the place searched, for every list that shows it, until a listing
    changes."""

    @pytest.fixture(autouse=True)
    def no_page_cache(self, settings, shared_cache):
        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page

    def rows_read(self, client, url):
        """How many queries read programs' rows, and the page's HTML."""
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        rows = [q for q in captured if q["sql"].startswith('SELECT "programs_program"."id", ')]
        return len(rows), response.content.decode()

    def test_a_row_is_read_once_for_every_list(self, client, django_capture_on_commit_callbacks):
        program = make_program(name="Morning AA")
        make_meeting(program=program, weekday=1)
        url = reverse("programs:list")
        assert self.rows_read(client, url)[0] == 1
        assert self.rows_read(client, url)[0] == 0
        assert self.rows_read(client, url + "?day=1")[0] == 0  # another list, the same row
        near, html = self.rows_read(client, url + "?where=43215&radius=25")
        assert near == 1 and distances(html)  # its distance from there: read again
        with django_capture_on_commit_callbacks(execute=True):
            program.name = "Morning Serenity AA"
            program.save()
        read, html = self.rows_read(client, url)
        assert read == 1 and "Morning Serenity AA" in html


class TestCardsKept:
    """With a cache every process shares, a program's card is written once for each choice
    of the meetings it lists, distance and language, and kept until a listing changes."""

    @pytest.fixture(autouse=True)
    def no_page_cache(self, settings, shared_cache):
        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page

    def queries(self, client, url):
        """Which kinds of query the page made, and its HTML."""
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        sql = [q["sql"] for q in captured]
        read = {
            "meetings": [s for s in sql if s.startswith('SELECT "programs_meeting"."id", ')],
            "meeting keys": [
                s for s in sql if s.startswith('SELECT "programs_meeting"."program_id" AS ')
            ],
            "types": [s for s in sql if "programs_meeting_types" in s.split(" FROM ")[1]],
        }
        return {kind: len(found) for kind, found in read.items()}, response.content.decode()

    @pytest.fixture
    def groups(self):
        aa = Fellowship.objects.get(slug="aa")
        for program in (
            make_program(name="Morning AA", fellowship=aa),
            make_program(name="Evening SMART", kind=ProgramKind.SMART),
        ):
            make_meeting(program=program, weekday=1, types=["O"])
            make_meeting(program=program, weekday=2, start_time=datetime.time(7, 30))

    def test_a_page_of_kept_cards_reads_only_which_meetings_they_list(self, client, groups):
        url = reverse("programs:list")
        first, html = self.queries(client, url)
        assert first == {"meetings": 1, "meeting keys": 1, "types": 1}
        again, kept_html = self.queries(client, url)
        # The same page of the same list: which meetings its cards list is kept too.
        assert again == {"meetings": 0, "meeting keys": 0, "types": 0}
        assert kept_html == html
        assert list(glossary(kept_html)) == list(glossary(html)) == ["code-O"]
        # Another list showing the same cards writes none of them again.
        kind_page, _ = self.queries(client, reverse("programs:list") + "?kind=smart-recovery")
        assert kind_page == {"meetings": 0, "meeting keys": 1, "types": 0}

    def test_a_card_lists_the_meetings_the_filters_matched(self, client, groups):
        _, every_day = self.queries(client, reverse("programs:list"))
        assert "7:30 AM" in every_day
        read, tuesday = self.queries(client, reverse("programs:list") + "?day=2")
        assert read["meetings"] == 1  # other meetings listed: other cards
        assert "7:30 AM" in tuesday and "7:00 PM" not in tuesday
        assert glossary(tuesday) == {}  # Monday's Open meetings are not on the page

    def test_each_language_and_distance_has_its_own(self, client, groups):
        _, english = self.queries(client, reverse("programs:list"))
        _, spanish = self.queries(client, "/es" + reverse("programs:list"))
        assert "In person" in english and "En persona" in spanish
        _, near = self.queries(client, reverse("programs:list") + "?where=43215&radius=25")
        _, nearer = self.queries(client, reverse("programs:list") + "?lat=39.97&lng=-83.0")
        assert distances(near) != distances(nearer)

    def test_a_change_shows_on_the_next_request(
        self, client, groups, django_capture_on_commit_callbacks
    ):
        from programs.models import Meeting

        self.queries(client, reverse("programs:list"))
        meeting = Meeting.objects.get(program__name="Morning AA", weekday=2)
        with django_capture_on_commit_callbacks(execute=True):
            meeting.start_time = datetime.time(6, 45)
            meeting.save()
        read, html = self.queries(client, reverse("programs:list"))
        assert read["meetings"] == 1
        assert "6:45 AM" in html


def distances(html):
    return re.findall(r'<span class="distance">([^<]*)</span>', html)


class TestSearchOrderKept:
    """With a cache every process shares, a keyword search ranks its matches once; each
    page, and each visitor after, reads only its own rows, until a listing changes."""

    @pytest.fixture(autouse=True)
    def no_page_cache(self, settings, shared_cache):
        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page
        settings.LISTINGS_PER_PAGE = 2

    @pytest.fixture
    def groups(self):
        aa = Fellowship.objects.get(slug="aa")
        make_program(name="Serenity Seekers", fellowship=aa)
        make_program(name="Big Book Study", fellowship=aa, description="Serenity first.")
        make_program(name="Serenity Circle", description="Serenity, and more serenity.")
        make_program(name="Yoga for Recovery")

    def searched(self, client, query):
        """How many queries ranked every match (the order, read as keys), and the names."""
        with CaptureQueriesContext(connection) as captured:
            response = get_list(client, **query)
        ranking = [q for q in captured if " LIMIT 10000" in q["sql"]]
        return len(ranking), names(response)

    def test_the_order_is_read_once_and_paged_from(
        self, client, groups, django_capture_on_commit_callbacks
    ):
        reads, first = self.searched(client, {"q": "serenity"})
        assert reads == 1 and len(first) == 2
        assert self.searched(client, {"q": "serenity"}) == (0, first)
        reads, second = self.searched(client, {"q": "serenity", "page": "2"})
        assert reads == 0 and second and not set(first) & set(second)
        with self.settings_without_shared_cache():  # ranked by the query, page by page
            assert first + second == self.pages(client, 2)
        assert self.searched(client, {"q": "serenity", "kind": "sober-living"})[0] == 1
        with django_capture_on_commit_callbacks(execute=True):
            make_program(name="Serenity Now", description="Serenity, serenity.")
        assert self.searched(client, {"q": "serenity"})[0] == 1
        assert "Serenity Now" in self.pages(client, 2)

    def pages(self, client, count):
        """The names on the first `count` pages of the search."""
        return [
            name
            for page in range(1, count + 1)
            for name in names(get_list(client, q="serenity", page=page))
        ]

    def settings_without_shared_cache(self):
        from django.test import override_settings

        local = "django.core.cache.backends.locmem.LocMemCache"
        return override_settings(CACHES={"default": {"BACKEND": local, "LOCATION": "unshared"}})


class TestDetailKept:
    """With a cache every process shares, a listing's page reads its rows once and keeps
    them until a listing changes; the activities it lists are read once a minute."""

    @pytest.fixture(autouse=True)
    def no_page_cache(self, settings, shared_cache):
        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page

    def read(self, client, url):
        """How many queries the page made besides the listings' version, and its HTML."""
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        rows = [q for q in captured if "recovery_directory_cache" not in q["sql"]]
        return len(rows), response

    @pytest.mark.parametrize("kind", ["program", "centre"])
    def test_a_page_reads_its_rows_once(self, client, kind, django_capture_on_commit_callbacks):
        from tests.factories import make_activity

        listing = make_program(name="Morning AA") if kind == "program" else make_center()
        if kind == "program":
            make_meeting(program=listing, weekday=1)
        host = {"host_program" if kind == "program" else "host_center": listing}
        url = listing.get_absolute_url()
        first, response = self.read(client, url)
        assert first > 1 and response.status_code == 200
        assert self.read(client, url)[0] == 0
        with django_capture_on_commit_callbacks(execute=True):
            make_activity(name="Spring picnic", **host)
        read, response = self.read(client, url)
        assert read > 0 and "Spring picnic" in response.content.decode()

    def test_a_program_page_shows_an_edit_at_once(self, client, django_capture_on_commit_callbacks):
        program = make_program(name="Morning AA")
        meeting = make_meeting(program=program, weekday=1, start_time=datetime.time(7, 0))
        url = program.get_absolute_url()
        assert "7:00 AM" in client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            meeting.start_time = datetime.time(8, 30)
            meeting.save()
        html = client.get(url).content.decode()
        assert "8:30 AM" in html and "7:00 AM" not in html

    def test_the_thanks_for_a_report_shows_on_a_kept_page_only_when_asked(self, client):
        program = make_program(name="Morning AA")
        url = program.get_absolute_url()
        thanks = "A curator will check this listing."
        assert thanks not in client.get(url).content.decode()
        assert thanks in client.get(url + "?reported=1").content.decode()
        assert thanks not in client.get(url).content.decode()

    def test_each_language_keeps_its_own_page(self, client):
        program = make_program(name="Morning AA")
        make_meeting(program=program, weekday=1)
        english = client.get(program.get_absolute_url()).content.decode()
        spanish = client.get("/es" + program.get_absolute_url()).content.decode()
        assert "When it meets" in english and "When it meets" not in spanish
        assert "Monday" in english and "lunes" in spanish.lower()

    def test_a_missing_page_is_not_kept(self, client):
        url = reverse("programs:program_detail", args=["not-yet"])
        assert client.get(url).status_code == 404
        make_program(name="Not yet", slug="not-yet")  # no commit: the version stays
        assert client.get(url).status_code == 200

    def test_an_activity_that_ends_leaves_the_page_within_the_minute(self, client):
        from tests.factories import make_activity

        program = make_program(name="Morning AA")
        starts = (timezone.now() + datetime.timedelta(days=1)).replace(second=0, microsecond=0)
        make_activity(
            name="Short talk",
            host_program=program,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(seconds=40),
        )
        url = program.get_absolute_url()
        with time_machine.travel(starts + datetime.timedelta(seconds=5), tick=False):
            assert "Short talk" in client.get(url).content.decode()
        with time_machine.travel(starts + datetime.timedelta(seconds=50), tick=False):
            assert self.read(client, url)[0] == 0  # kept for the minute
            assert "Short talk" not in client.get(url).content.decode()
