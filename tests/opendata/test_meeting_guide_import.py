"""import_meeting_guide: feeds as the field writes them, loaded idempotently."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from listings.models import Location, PublicationStatus
from opendata.meeting_guide_import import import_meeting_guide
from opendata.summary import ImportFileError
from programs.models import Attendance, Fellowship, Meeting, Program, ProgramKind, TreatmentCenter

pytestmark = pytest.mark.django_db

SOURCE = "area-feed"


def item(**overrides):
    base = {
        "name": "Serenity Seekers",
        "slug": "serenity-seekers-mon",
        "day": 1,
        "time": "19:00",
        "end_time": "20:00",
        "timezone": "America/Chicago",
        "types": ["O", "D"],
        "location": "Grace Church",
        "address": "100 Main St",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "country": "US",
        "group": "Serenity Seekers",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def run(items, **kwargs):
    kwargs.setdefault("source", SOURCE)
    data = items if isinstance(items, str | bytes) else json.dumps(items)
    return import_meeting_guide(data, **kwargs)


def snapshot():
    """Everything an import may write, to prove a run changed nothing."""
    return (
        list(Program.objects.order_by("pk").values()),
        list(Meeting.objects.order_by("pk").values()),
        list(Location.objects.order_by("pk").values()),
        list(Meeting.types.through.objects.order_by("pk").values()),
    )


# --- The basics -------------------------------------------------------------------------------


def test_a_feed_creates_programs_meetings_and_locations_as_drafts():
    summary = run(
        [
            item(),
            item(slug="serenity-seekers-thu", day=4, types=["C", "BB"]),
            item(slug="noon", name="Noon Group", group=None, time="12:00", end_time=None),
        ]
    )
    assert summary.counts == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "unpublished": 0,
        "rejected": 0,
    }
    seekers = Program.objects.get(name="Serenity Seekers")
    assert seekers.status == PublicationStatus.DRAFT
    assert seekers.kind == ProgramKind.TWELVE_STEP
    assert seekers.source == SOURCE and seekers.source_id == "group:serenity-seekers"
    assert seekers.location.street_address == "100 Main St"
    assert seekers.location.timezone == "America/Chicago"
    assert seekers.location.latitude is not None  # the ZIP code's centre, until a curator sets it
    assert seekers.location.coordinates_approximate
    monday, thursday = seekers.meetings.order_by("weekday")
    assert (monday.weekday, monday.start_time, monday.end_time) == (
        1,
        datetime.time(19),
        datetime.time(20),
    )
    assert {t.code for t in monday.types.all()} == {"O", "D"}
    assert monday.source_id == "serenity-seekers-mon"
    assert monday.status == PublicationStatus.PUBLISHED
    assert monday.timezone == "America/Chicago"
    assert "BB" in thursday.notes  # unknown code kept as a note
    assert Location.objects.count() == 1  # one place, shared
    assert "Serenity Seekers" in seekers.search_text or "Open" in seekers.search_text
    assert "Discussion" in seekers.search_text  # search knows the imported types
    noon = Program.objects.get(name="Noon Group")
    assert noon.meetings.get().end_time is None


def test_publish_and_fellowship_options_apply_to_new_groups():
    aa = Fellowship.objects.get(slug="aa")
    run([item()], publish=True, fellowship=aa, kind=ProgramKind.TWELVE_STEP)
    program = Program.objects.get()
    assert program.status == PublicationStatus.PUBLISHED
    assert program.fellowship == aa
    assert program.approach == "12-step"  # the fellowship's usual approach


def test_without_a_fellowship_the_kind_decides_the_approach():
    run([item()])  # twelve-step groups by default
    assert Program.objects.get().approach == "12-step"
    Program.objects.all().delete()
    run([item()], kind=ProgramKind.OTHER)
    assert Program.objects.get().approach == ""  # not stated


def test_running_the_same_feed_twice_changes_nothing():
    feed = [item(), item(slug="b", day=3, notes="<p>Bring a book</p>", types=["XYZ"])]
    run(feed)
    before = snapshot()
    summary = run(feed)
    assert summary.counts == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "unpublished": 0,
        "rejected": 0,
    }
    assert snapshot() == before


def test_a_changed_meeting_is_updated_and_the_rest_left_alone():
    run([item(), item(slug="b", day=3)])
    untouched = Meeting.objects.get(source_id="b").updated_at
    summary = run([item(time="19:30", types=["C"]), item(slug="b", day=3)])
    assert (summary.updated, summary.unchanged) == (1, 1)
    changed = Meeting.objects.get(source_id="serenity-seekers-mon")
    assert changed.start_time == datetime.time(19, 30)
    assert {t.code for t in changed.types.all()} == {"C"}
    assert Meeting.objects.get(source_id="b").updated_at == untouched


def test_imported_meetings_know_when_they_start_and_where_they_are():
    """Bulk writes skip Meeting.save: the next-meetings columns are set all the same."""
    run([item(), item(slug="b", day=3, time="07:30", end_time=None)])
    monday = Meeting.objects.get(source_id="serenity-seekers-mon")
    assert monday.week_minute == 1 * 1440 + 19 * 60
    assert monday.duration_minutes == 60
    offset = monday.utc_offset
    assert offset in (-360, -300)  # Chicago, standard or daylight time
    assert monday.utc_week_minute == (monday.week_minute - offset) % (7 * 1440)
    assert monday.search_latitude == monday.location.search_latitude is not None
    run([item(time="20:15"), item(slug="b", day=3, time="07:30", end_time=None)])
    monday.refresh_from_db()
    assert monday.week_minute == 1 * 1440 + 20 * 60 + 15
    # The church is found to stand elsewhere; the Wednesday meeting's own row is unchanged.
    moved = {"latitude": 39.8, "longitude": -89.7}
    run([item(time="20:15", **moved), item(slug="b", day=3, time="07:30", end_time=None, **moved)])
    wednesday = Meeting.objects.get(source_id="b")
    assert (wednesday.search_latitude, wednesday.search_longitude) == (39.8, -89.7)


def test_a_curators_publication_decision_survives_reimport():
    run([item()])
    Program.objects.update(status=PublicationStatus.PUBLISHED)
    run([item(notes="New notes")])
    assert Program.objects.get().status == PublicationStatus.PUBLISHED


def test_meetings_that_leave_the_feed_are_archived_not_deleted_and_come_back():
    run([item(), item(slug="b", day=3), item(slug="other", group="Other Group", day=5)])
    Program.objects.update(status=PublicationStatus.PUBLISHED)
    summary = run([item()])
    assert summary.unpublished == 2
    assert Meeting.objects.count() == 3
    assert Meeting.objects.get(source_id="b").status == PublicationStatus.ARCHIVED
    # The group left with nothing to attend goes too; the other keeps its live meeting.
    assert Program.objects.get(name="Other Group").status == PublicationStatus.ARCHIVED
    assert Program.objects.get(name="Serenity Seekers").status == PublicationStatus.PUBLISHED
    summary = run([item(), item(slug="other", group="Other Group", day=5)])
    assert summary.updated == 1 and summary.unpublished == 0
    assert Meeting.objects.get(source_id="other").status == PublicationStatus.PUBLISHED
    # Back, but as a draft: a curator decides whether it is really running again.
    assert Program.objects.get(name="Other Group").status == PublicationStatus.DRAFT


def test_sources_do_not_touch_each_others_meetings():
    run([item()], source="one")
    run([item(slug="x", day=2)], source="two")
    assert Meeting.objects.filter(status=PublicationStatus.PUBLISHED).count() == 2
    assert Program.objects.count() == 2


def test_dry_run_reports_but_saves_nothing():
    before = snapshot()
    summary = run([item(), item(slug="b", day=3)], dry_run=True)
    assert summary.created == 2 and summary.dry_run
    assert summary.headline().startswith("Dry run, nothing saved")
    assert snapshot() == before


# --- Messy feeds ------------------------------------------------------------------------------


def only_meeting():
    return Meeting.objects.select_related("location", "program").get()


def test_numbers_and_booleans_as_strings():
    run([item(day="2", time="7:30 PM", end_time="8:30 pm", approximate="no", slug=42)])
    meeting = only_meeting()
    assert meeting.weekday == 2
    assert (meeting.start_time, meeting.end_time) == (datetime.time(19, 30), datetime.time(20, 30))
    assert meeting.source_id == "42"
    assert meeting.attendance == Attendance.IN_PERSON and not meeting.temporarily_closed


@pytest.mark.parametrize("value", ["yes", "Yes", True, "true", "1"])
def test_approximate_yes_in_its_many_spellings(value):
    run([item(approximate=value, conference_url="https://zoom.us/j/1", address=None)])
    assert only_meeting().attendance == Attendance.ONLINE


def test_day_names_and_lists_become_one_meeting_per_day():
    summary = run([item(day=["1", "Wednesday", 5], slug="multi")])
    assert summary.created == 3
    assert sorted(Meeting.objects.values_list("weekday", "source_id")) == [
        (1, "multi-1"),
        (3, "multi-3"),
        (5, "multi-5"),
    ]
    assert Program.objects.count() == 1


def test_day_as_comma_separated_text():
    run([item(day="0, 6")])
    assert sorted(Meeting.objects.values_list("weekday", flat=True)) == [0, 6]


def test_missing_slugs_are_made_and_reported_and_stable():
    feed = [item(slug=None), item(slug=None, day=3)]
    summary = run(feed)
    assert summary.created == 2
    assert any("without a slug" in w for w in summary.warnings)
    assert run(feed).unchanged == 2


def test_duplicate_slugs_get_a_suffix():
    summary = run([item(slug="dup"), item(slug="dup", day=4)])
    assert summary.created == 2
    assert sorted(Meeting.objects.values_list("source_id", flat=True)) == ["dup", "dup-2"]
    assert any("duplicate slug" in w for w in summary.warnings)


def test_24_00_start_is_the_next_days_midnight_and_24_00_end_is_the_end_of_the_day():
    run(
        [
            item(day=6, time="24:00", end_time="01:00"),
            item(slug="late", time="23:00", end_time="24:00"),
        ]
    )
    first = Meeting.objects.get(source_id="serenity-seekers-mon")
    assert (first.weekday, first.start_time) == (0, datetime.time(0, 0))
    late = Meeting.objects.get(source_id="late")
    assert late.end_time == datetime.time(23, 59)


def test_zoom_link_in_the_notes_becomes_the_join_link():
    run([item(notes="Join at https://us02web.zoom.us/j/8765432100?pwd=abc. Passcode 12")])
    meeting = only_meeting()
    assert meeting.conference_url == "https://us02web.zoom.us/j/8765432100?pwd=abc"
    assert meeting.attendance == Attendance.HYBRID


def test_other_links_in_notes_are_not_taken_for_a_join_link():
    run([item(notes="Our newsletter: https://example.org/news")])
    assert only_meeting().conference_url == ""


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("US/Eastern", "America/New_York"),
        ("US/Pacific", "America/Los_Angeles"),
        ("EST", "America/New_York"),
        ("Central", "America/Chicago"),
        ("America/Denver", "America/Denver"),
    ],
)
def test_zone_aliases(given, stored):
    run([item(timezone=given)])
    assert only_meeting().timezone == stored


def test_missing_zone_falls_back_to_the_option_then_the_site():
    summary = run([item(timezone=None)], default_timezone="America/Phoenix")
    assert only_meeting().timezone == "America/Phoenix"
    assert any("no time zone" in w for w in summary.warnings)
    run([item(timezone=None, slug="other", day=2)], source="two")
    assert Meeting.objects.get(source_id="other").timezone == "America/New_York"


def test_unknown_zone_uses_the_default_and_says_so():
    summary = run([item(timezone="Mars/Olympus")], default_timezone="America/Chicago")
    assert only_meeting().timezone == "America/Chicago"
    assert any("Mars/Olympus" in w for w in summary.warnings)


@pytest.mark.parametrize("given", ["America", "x" * 5000, "EST5EDT", "Cuba"])
def test_folder_long_and_bare_zone_names_use_the_default(given):
    summary = run([item(timezone=given)], default_timezone="America/Chicago")
    assert only_meeting().timezone == "America/Chicago"
    assert any("unknown time zone" in w for w in summary.warnings)


def test_html_in_notes_is_reduced_to_plain_text():
    run(
        [
            item(
                notes="<p>Open to all.<br>Use the <b>side</b> door &amp; ring.</p>"
                "<script>alert(1)</script>",
                location_notes="<i>Upstairs</i>",
                name="<b>Serenity</b> Seekers",
            )
        ]
    )
    meeting = only_meeting()
    assert meeting.notes == "Open to all.\nUse the side door & ring."
    assert meeting.location.directions == "Upstairs"
    assert meeting.program.name == "Serenity Seekers"


def test_unknown_type_codes_are_kept_as_notes_and_reported():
    summary = run([item(types=["O", "XYZ", "Potluck"], notes="Bring a dish")])
    meeting = only_meeting()
    assert {t.code for t in meeting.types.all()} == {"O"}
    assert meeting.notes == "Bring a dish\nOther types given: XYZ, Potluck"
    assert {"unknown type code “XYZ” kept in the meeting's notes"} <= set(summary.warnings)


def test_type_names_and_the_obsolete_onl_code():
    run([item(types=["open", "Speaker", "ONL"], conference_url="https://zoom.us/j/5")])
    meeting = only_meeting()
    assert {t.code for t in meeting.types.all()} == {"O", "SP"}
    assert meeting.attendance == Attendance.HYBRID


def test_temporarily_closed_in_person_meetings():
    run([item(types=["O", "TC"])])
    meeting = only_meeting()
    assert meeting.temporarily_closed
    assert {t.code for t in meeting.types.all()} == {"O"}


def test_formatted_address_alone_is_split_into_parts():
    run(
        [
            item(
                address=None,
                city=None,
                state=None,
                postal_code=None,
                country=None,
                formatted_address=(
                    "742 Evergreen Terrace, Rear Hall, Springfield, Illinois 62704, USA"
                ),
            )
        ]
    )
    place = only_meeting().location
    assert (place.street_address, place.address_line_2) == ("742 Evergreen Terrace", "Rear Hall")
    assert (place.city, place.state) == ("Springfield", "IL")


def test_formatted_address_with_state_and_zip():
    run(
        [
            item(
                address=None,
                city=None,
                state=None,
                postal_code=None,
                formatted_address="1 Elm St, Boston, MA 2108",
            )
        ]
    )
    place = only_meeting().location
    assert (place.street_address, place.city, place.state) == ("1 Elm St", "Boston", "MA")


def test_new_england_zip_codes_get_their_leading_zero_back():
    run([item(city="Boston", state="MA", postal_code=2108)])
    assert only_meeting().location.postal_code == "02108"


def test_given_coordinates_are_kept_and_impossible_ones_dropped():
    summary = run(
        [
            item(latitude="39.78", longitude="-89.65"),
            item(slug="b", day=2, address="5 Oak St", latitude=200, longitude=5),
        ]
    )
    good = Meeting.objects.get(source_id="serenity-seekers-mon").location
    assert (good.latitude, good.longitude) == (39.78, -89.65)
    assert not good.coordinates_approximate
    assert any("impossible coordinates" in w for w in summary.warnings)


def test_online_meeting_with_a_town_only():
    run(
        [
            item(
                address=None,
                postal_code=None,
                location=None,
                formatted_address="Springfield, IL, USA",
                approximate="yes",
                conference_phone="+1 646 555 0100",
                attendance_option="online",
            )
        ]
    )
    meeting = only_meeting()
    assert meeting.attendance == Attendance.ONLINE
    assert meeting.conference_phone == "+16465550100"
    assert meeting.location.street_address == ""


def test_in_person_meeting_with_only_its_town_is_kept_confidential():
    run([item(address=None, approximate="yes", attendance_option="in_person")])
    meeting = only_meeting()
    assert meeting.attendance == Attendance.IN_PERSON and not meeting.temporarily_closed
    assert meeting.location.is_confidential


def test_attendance_option_online_without_a_link_is_not_believed():
    summary = run([item(attendance_option="online")])
    assert only_meeting().attendance == Attendance.IN_PERSON
    assert any("without a link" in w for w in summary.warnings)


def test_bad_optional_values_are_dropped_not_fatal():
    summary = run(
        [
            item(
                end_time="half past",
                website="not a url",
                email="nobody@",
                conference_phone="12",
                conference_url="javascript:alert(1)",
            )
        ]
    )
    assert summary.created == 1
    meeting = only_meeting()
    assert meeting.end_time is None and meeting.conference_url == ""
    assert meeting.program.website == "" and meeting.program.email == ""
    assert len(summary.warnings) >= 4


def test_column_aliases_from_other_tools():
    aliased = {"meeting": "Aliased", "slug": "a", "day": 2, "start_time": "18:00", "zip": "62701"}
    aliased |= {"location_name": "Hall", "address": "1 Main St", "city": "Springfield"}
    run([aliased | {"state": "IL"}])
    meeting = only_meeting()
    assert meeting.program.name == "Aliased"
    assert meeting.start_time == datetime.time(18, 0)
    assert (meeting.location.name, meeting.location.postal_code) == ("Hall", "62701")


# --- What is rejected, and why ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"day": None, "time": None}, "by appointment"),
        ({"day": "Funday"}, "is not a day"),
        ({"day": 9}, "is not a day"),
        ({"time": "25:99"}, "is not a time"),
        ({"address": None, "city": None, "state": None}, "no address and no online link"),
        ({"state": "Narnia"}, "no town and US state"),
        ({"country": "France"}, "outside the United States"),
        ({"name": None, "group": None, "location": None}, "no name"),
    ],
)
def test_items_that_cannot_be_understood_are_rejected_with_their_slug(bad, reason):
    summary = run([item(slug="good"), item(**{"slug": "bad-one", "day": 2, **bad})])
    assert summary.created == 1
    [rejection] = summary.rejected
    assert rejection.key == "“bad-one”"
    assert reason in rejection.reason
    assert Meeting.objects.get().source_id == "good"
    assert f"Rejected “bad-one”: {rejection.reason}" in summary.lines()


def test_an_item_that_is_not_an_object_is_rejected_by_position():
    summary = run([item(), "oops", 7])
    assert [r.key for r in summary.rejected] == ["item 2", "item 3"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "empty"),
        ("[{", "not valid JSON"),
        ('{"a": 1}', "Expected a JSON list"),
        ('"meetings"', "Expected a JSON list"),
        ("[]", "lists no meetings"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        ('[{"name": "x"}]', "None of the feed's items could be read"),
    ],
)
def test_unusable_files_change_nothing(data, message):
    run([item()])
    before = snapshot()
    with pytest.raises(ImportFileError, match=message):
        run(data)
    assert snapshot() == before


def test_a_wrapped_list_is_accepted():
    assert run(json.dumps({"meetings": [item()]})).created == 1


def test_byte_order_mark_and_file_objects():
    data = b"\xef\xbb\xbf" + json.dumps([item()]).encode()
    assert import_meeting_guide(io.BytesIO(data), source=SOURCE).created == 1


def test_source_name_is_required():
    with pytest.raises(ImportFileError, match="source a name"):
        run([item()], source=" ")


# --- Round trip, scale ------------------------------------------------------------------------


def test_round_trip_export_import_export_is_equal(client):
    call_command("seed_demo", stdout=io.StringIO())
    first = json.loads(client.get(reverse("meeting_guide_feed")).getvalue())
    assert len(first) > 50
    # An empty directory...
    Meeting.objects.all().delete()
    Activity.objects.all().delete()
    Program.objects.all().delete()
    TreatmentCenter.objects.all().delete()
    Location.objects.all().delete()
    summary = run(json.dumps(first), publish=True)
    assert summary.created == len(first) and not summary.rejected
    from django.core.cache import cache

    cache.clear()
    second = json.loads(client.get(reverse("meeting_guide_feed")).getvalue())

    def comparable(items):
        # `url` names the receiving site's own page and `updated` when it was written there.
        rows = [{k: v for k, v in i.items() if k not in {"url", "updated"}} for i in items]
        return sorted(rows, key=lambda r: r["slug"])

    assert comparable(second) == comparable(first)


def big_feed(n):
    zips = ["43215", "43201", "43206", "45202", "44113", "43604", "45402", "44308"]
    feed = []
    for i in range(n):
        group = i // 3
        feed.append(
            {
                "name": f"Group {group}",
                "slug": f"meeting-{i}",
                "day": i % 7,
                "time": f"{6 + i % 15:02d}:{(i % 4) * 15:02d}",
                "types": ["O", "D"] if i % 2 else ["C", "BB", "ST"],
                "group": f"Group {group}",
                "location": f"Hall {group % 700}",
                "address": f"{100 + group % 700} Main St",
                "city": "Columbus",
                "state": "OH",
                "postal_code": zips[group % 700 % len(zips)],
                "timezone": "America/New_York",
                "notes": "<p>Welcome</p>" if i % 5 == 0 else "",
                "conference_url": "https://zoom.us/j/1234567890" if i % 10 == 0 else "",
            }
        )
    return feed


@pytest.mark.slow
def test_five_thousand_meetings_import_with_a_bounded_number_of_queries():
    feed = json.dumps(big_feed(5000))
    with CaptureQueriesContext(connection) as queries:
        summary = run(feed)
    assert summary.created == 5000 and not summary.rejected
    assert Meeting.objects.count() == 5000
    assert Program.objects.count() == 1667
    assert Location.objects.count() == 700
    # Writes go in batches: SQLite's 999-parameter limit allows about 58 meetings per INSERT,
    # PostgreSQL 500. Either way far fewer queries than meetings, and none per meeting.
    assert len(queries) < 5000 / 20, len(queries)
    with CaptureQueriesContext(connection) as queries:
        again = run(feed)
    assert again.unchanged == 5000
    assert len(queries) < 30, len(queries)


# --- The command ------------------------------------------------------------------------------


def test_command_imports_a_file_and_prints_the_summary(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([item(), item(slug="x", day=None, time=None)]))
    out = io.StringIO()
    call_command("import_meeting_guide", str(path), "--source", SOURCE, "--publish", stdout=out)
    text = out.getvalue()
    assert f"{SOURCE}: 1 created, 0 updated, 0 unchanged, 0 unpublished, 1 rejected." in text
    assert "Rejected “x”: no day and time" in text
    assert Program.objects.get().status == PublicationStatus.PUBLISHED


def test_command_dry_run_and_fellowship(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([item()]))
    out = io.StringIO()
    call_command("import_meeting_guide", str(path), "--fellowship", "NA", "--dry-run", stdout=out)
    assert "Dry run, nothing saved" in out.getvalue()
    assert not Program.objects.exists()
    call_command("import_meeting_guide", str(path), "--fellowship", "na", stdout=out)
    assert Program.objects.get().fellowship.abbreviation == "NA"
    assert Program.objects.get().source == "feed.json"


def test_command_errors_are_clear(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[{")
    with pytest.raises(CommandError, match="not valid JSON.*Nothing was changed"):
        call_command("import_meeting_guide", str(bad), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_meeting_guide", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="No fellowship"):
        call_command("import_meeting_guide", str(bad), "--fellowship", "Nope")
    with pytest.raises(CommandError, match="not a time zone"):
        call_command("import_meeting_guide", str(bad), "--timezone", "Mars/Base")


# A live server needs real commits; serialized rollback puts the seeded lookups back after.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_command_fetches_a_feed_over_http(live_server):
    Location.objects.all().delete()
    from tests.factories import make_meeting, make_program

    make_meeting(program=make_program(name="Served"), types=["O"])
    out = io.StringIO()
    call_command("import_meeting_guide", live_server.url + "/meetings.json", stdout=out)
    assert "1 created" in out.getvalue()
    copy = Program.objects.get(source=live_server.url.split("://")[1] + "/meetings.json")
    assert copy.name == "Served" and copy.status == PublicationStatus.DRAFT


# --- Curators' decisions survive re-imports ---------------------------------------------------


def test_a_curators_confidential_flag_is_never_undone():
    feed = [item(location_notes="Ring the back door")]
    run(feed)
    Location.objects.update(is_confidential=True)
    summary = run(feed)
    assert Location.objects.get().is_confidential
    assert summary.unchanged == 1


def test_a_meeting_a_curator_archived_stays_archived():
    feed = [item(), item(slug="b", day=3)]
    run(feed)
    Meeting.objects.filter(source_id="b").update(status=PublicationStatus.ARCHIVED)
    summary = run(feed)
    assert summary.unchanged == 2
    assert Meeting.objects.get(source_id="b").status == PublicationStatus.ARCHIVED


def test_a_program_a_curator_archived_stays_archived():
    run([item()], publish=True)
    Program.objects.update(status=PublicationStatus.ARCHIVED)
    summary = run([item(notes="changed")], publish=True)
    assert summary.updated == 1
    assert Program.objects.get().status == PublicationStatus.ARCHIVED


def test_a_meeting_that_moves_to_another_group_leaves_the_old_one_archived():
    run([item()], publish=True)
    run([item(group="New Group")], publish=True)
    old = Program.objects.get(name="Serenity Seekers")
    assert old.status == PublicationStatus.ARCHIVED
    assert Meeting.objects.get().program.name == "New Group"


def test_groups_named_in_other_scripts_stay_apart():
    run(
        [
            item(slug="a", group="Группа Надежда", name="Надежда"),
            item(slug="b", group="希望小组", name="希望", address="5 Oak St"),
        ]
    )
    assert Program.objects.count() == 2
    assert set(Program.objects.values_list("name", flat=True)) == {"Группа Надежда", "希望小组"}


def test_an_online_meeting_whose_address_is_marked_approximate_keeps_it_hidden():
    run(
        [
            item(
                approximate="yes",
                conference_url="https://zoom.us/j/123456789",
                location="Safe Harbor House",
                address="99 Quiet Ct",
            )
        ]
    )
    meeting = only_meeting()
    assert meeting.attendance == Attendance.ONLINE
    assert meeting.location.is_confidential


# --- Hostile or broken values never crash the import ------------------------------------------

HUGE = "9" * 400


@pytest.mark.parametrize(
    "bad",
    [
        {"day": int(HUGE)},
        {"day": "9" * 5000},
        {"day": "²"},
        {"day": float("nan")},
        {"latitude": int(HUGE), "longitude": 5},
        {"latitude": float("nan"), "longitude": float("inf")},
        {"latitude": "39.9"},
        {"name": "X\ud800Y"},
        {"name": "A\x00B", "slug": "nul\x00slug"},
        {"email": "a" * 250 + "@example.com"},
        {"website": "https://example.org/" + "a" * 300},
        {"slug": "s" * 200, "day": [1, 2]},
        {"notes": {"nested": "object"}, "types": "O, D"},
        {"types": [["O"], {"x": 1}, None, 5]},
        {"city": "Springfield" * 20},
    ],
)
def test_odd_values_are_rejected_or_dropped_never_a_crash(bad):
    summary = run([item(slug="good"), item(**{"slug": "odd", "day": 2, **bad})])
    assert summary.created + len(summary.rejected) >= 2
    assert Meeting.objects.filter(source_id="good").exists()
    for meeting in Meeting.objects.all():
        meeting.full_clean()  # what was stored fits its fields


def test_slugs_that_collide_with_made_up_suffixes_stay_unique():
    summary = run([item(slug="x"), item(slug="x", day=2), item(slug="x-2", day=3)])
    assert summary.created == 3
    assert sorted(Meeting.objects.values_list("source_id", flat=True)) == ["x", "x-2", "x-2-2"]


@pytest.mark.parametrize(
    "data",
    ["[" + "9" * 5000 + "]", "[" * 100_000 + "]" * 100_000],
)
def test_absurd_json_is_refused_as_a_whole(data):
    with pytest.raises(ImportFileError, match="cannot be read as a meeting feed|not valid JSON"):
        run(data)


def test_a_zone_that_disagrees_with_the_zip_codes_is_warned_about():
    summary = run(
        [item(timezone=None), item(timezone=None, slug="tue", day=2)],
        default_timezone="America/New_York",
    )
    warnings = {w: n for w, n in summary.warnings.items() if "disagrees" in w}
    assert list(warnings.values()) == [2]
    assert "America/Chicago" in next(iter(warnings))


@pytest.mark.parametrize("zone", ["America/Chicago", "America/Menominee"])
def test_a_zone_keeping_the_zip_codes_clock_raises_no_warning(zone):
    summary = run([item(timezone=zone)])
    assert not any("disagrees" in w for w in summary.warnings)
