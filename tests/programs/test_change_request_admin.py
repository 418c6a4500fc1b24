"""Problem reports in the admin: they name what is wrong and lead straight to the fix."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from listings.models import PublicationStatus
from programs.models import ChangeRequest, ChangeRequestStatus, Meeting, Program, TreatmentCenter
from tests.factories import make_activity, make_center, make_meeting, make_program

pytestmark = pytest.mark.django_db


def report(listing, problem="time", meeting=None, details=""):
    request = ChangeRequest.about(listing)
    request.problem, request.meeting, request.details = problem, meeting, details
    request.save()
    return request


def change_url(obj):
    return reverse("admin:programs_changerequest_change", args=[obj.pk])


def meeting_post(meeting, **changes):
    data = {
        "meeting-weekday": meeting.weekday,
        "meeting-start_time": meeting.start_time.strftime("%H:%M"),
        "meeting-end_time": meeting.end_time.strftime("%H:%M") if meeting.end_time else "",
        "meeting-timezone": meeting.timezone,
        "meeting-attendance": meeting.attendance,
        "meeting-status": meeting.status,
        "meeting-name": meeting.name,
        "meeting-conference_url": meeting.conference_url,
        "meeting-conference_phone": meeting.conference_phone,
        "meeting-notes": meeting.notes,
    }
    data.update({f"meeting-{k}": v for k, v in changes.items()})
    return data


def test_the_list_names_the_listing_and_filters_by_listing_type_only(client, curator):
    program = make_program(name="Hope Group")
    report(program)
    report(make_center(name="River Centre"), problem="contact")
    report(make_activity(name="Picnic"), problem="other")
    url = reverse("admin:programs_changerequest_changelist")
    page = client.get(url).content.decode()
    program_url = reverse("admin:programs_program_change", args=[program.pk])
    assert f'<a href="{program_url}">Hope Group</a>' in page
    assert "Open the listing" not in page
    listing_filter = next(
        spec for spec in client.get(url).context["cl"].filter_specs if spec.title == "listing type"
    )
    offered = {label for _, label in listing_filter.lookup_choices}
    assert offered == {"Program", "Treatment centre", "Activity"}
    center_type = ContentType.objects.get_for_model(TreatmentCenter)
    listed = client.get(url, {"listing_type": center_type.pk}).context["cl"].result_list
    assert [r.listing_name for r in listed] == ["River Centre"]
    assert client.get(url, {"listing_type": "x"}).status_code == 200
    assert client.get(url, {"q": "river"}).context["cl"].result_count == 1


def test_the_report_page_shows_the_listings_current_values(client, curator):
    program = make_program(name="Hope Group", phone="614-555-0100")
    meeting = make_meeting(program=program, weekday=2)
    request = report(program, meeting=meeting, details="It moved to 7:30")
    page = client.get(change_url(request)).content.decode()
    assert "What the listing says now" in page
    assert "614-555-0100" in page
    assert "Hope Group – Tuesday 19:00" in page
    assert "100 Main St" in page
    assert "It moved to 7:30" in page
    assert 'name="meeting-start_time"' in page
    assert 'name="_resolve"' in page


def test_editing_the_named_meeting_and_resolving_in_one_step(client, curator):
    program = make_program(name="Hope Group", last_verified_on=None)
    meeting = make_meeting(program=program, weekday=2)
    request = report(program, meeting=meeting)
    data = {"status": "open", "_resolve": "1", **meeting_post(meeting, start_time="19:30")}
    response = client.post(change_url(request), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    meeting.refresh_from_db()
    request.refresh_from_db()
    program.refresh_from_db()
    assert meeting.start_time == datetime.time(19, 30)
    assert meeting.week_minute == 2 * 1440 + 19 * 60 + 30  # the schedule follows the edit
    assert request.status == ChangeRequestStatus.RESOLVED
    assert request.resolved_at is not None
    assert program.last_verified_on == timezone.localdate()
    assert "marked verified today" in client.get(response["Location"]).content.decode()


def test_a_bad_meeting_edit_is_shown_and_nothing_saved(client, curator):
    meeting = make_meeting(weekday=2)
    request = report(meeting.program, meeting=meeting)
    data = {"status": "open", "_resolve": "1", **meeting_post(meeting, timezone="Mars/Base")}
    response = client.post(change_url(request), data)
    assert response.status_code == 200
    assert "Mars/Base" in response.content.decode()
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.OPEN
    assert Meeting.objects.get(pk=meeting.pk).timezone == "America/New_York"


def test_a_report_about_a_whole_listing_resolves_without_a_meeting_form(client, curator):
    center = make_center(last_verified_on=None)
    request = report(center, problem="contact")
    page = client.get(change_url(request)).content.decode()
    assert 'name="meeting-start_time"' not in page
    response = client.post(change_url(request), {"status": "open", "_resolve": "1"})
    assert response.status_code == 302
    center.refresh_from_db()
    assert center.last_verified_on == timezone.localdate()


def test_the_list_action_resolves_and_verifies(client, curator):
    program = make_program(last_verified_on=None)
    center = make_center(last_verified_on=None)
    reports = [report(program), report(center, problem="contact")]
    client.post(
        reverse("admin:programs_changerequest_changelist"),
        {"action": "resolve", "_selected_action": [r.pk for r in reports]},
    )
    assert set(ChangeRequest.objects.values_list("status", flat=True)) == {"resolved"}
    assert Program.objects.get(pk=program.pk).last_verified_on == timezone.localdate()
    assert TreatmentCenter.objects.get(pk=center.pk).last_verified_on == timezone.localdate()


def test_a_report_whose_listing_was_deleted_still_opens(client, curator):
    program = make_program(name="Gone Group")
    request = report(program)
    program.delete()
    page = client.get(change_url(request)).content.decode()
    assert "The listing has been deleted." in page
    assert "Gone Group" in page


def test_the_public_form_files_the_meeting_and_the_name(client):
    program = make_program(name="Hope Group", status=PublicationStatus.PUBLISHED)
    meeting = make_meeting(program=program)
    url = reverse("programs:report_problem", args=["program", program.slug])
    response = client.post(url, {"meeting": meeting.pk, "problem": "time", "details": ""})
    assert response.status_code == 302
    filed = ChangeRequest.objects.get()
    assert (filed.meeting, filed.listing_name) == (meeting, "Hope Group")


def test_report_pages_cost_a_fixed_number_of_queries(client, curator):
    program = make_program()
    meeting = make_meeting(program=program)
    request = report(program, meeting=meeting)
    report(make_center(), problem="contact")
    changelist = reverse("admin:programs_changerequest_changelist")
    # The session's first write and the content-type cache, once per process.
    client.get(changelist)
    client.get(change_url(request))
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as change:
            client.get(change_url(request))
        with CaptureQueriesContext(connection) as listed:
            client.get(changelist)
        counts.append((len(change), len(listed)))
        for day in range(2, 7):
            make_meeting(program=program, weekday=day)
        for _ in range(5):
            report(program, meeting=meeting)
    assert counts[0] == counts[1] == (12, 11)
