"""The admin, as curators and coordinators use it: no script errors, nothing the CSP blocks."""

import pytest

from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1234"


@pytest.fixture(scope="module")
def curator(site_url):
    from django.contrib.auth.models import Group, User

    user, _ = User.objects.get_or_create(username="browser-curator", defaults={"is_staff": True})
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def sign_in(page, site_url, user):
    page.goto(site_url + "/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site_url + "/admin/")


def test_admin_pages_run_cleanly_under_the_csp(page, site_url, curator):
    from programs.models import Program

    program = Program.objects.filter(meetings__isnull=False).first()
    sign_in(page, site_url, curator)
    for path in (
        "/admin/",
        "/admin/programs/program/",
        "/admin/programs/program/?verified=stale",
        f"/admin/programs/program/{program.pk}/change/",
        "/admin/programs/program/add/",
        "/admin/programs/treatmentcenter/",
        "/admin/activities/activity/",
        "/admin/programs/changerequest/",
        "/admin/programs/program/import/",
        "/admin/programs/treatmentcenter/import/",
    ):
        response = page.goto(site_url + path)
        assert response.status == 200, path
        assert page.recorder.csp_violations() == [], path
        assert page.recorder.foreign_requests() == [], path
    assert page.recorder.console_errors == []


def test_curator_uploads_a_meeting_feed_checks_it_then_imports_it(
    page, site_url, curator, tmp_path
):
    import json

    from programs.models import Meeting, Program

    feed = [
        {
            "name": "Browser Upload Group",
            "slug": "browser-upload-1",
            "day": 4,
            "time": "18:30",
            "address": "200 Main St",
            "city": "Columbus",
            "state": "OH",
            "postal_code": "43215",
            "types": ["O", "ZZZ"],
        },
        {"name": "No Time", "slug": "browser-upload-2", "city": "Columbus", "state": "OH"},
    ]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed))
    sign_in(page, site_url, curator)
    page.goto(site_url + "/admin/programs/program/")
    page.get_by_role("link", name="Import a Meeting Guide feed").click()
    page.get_by_label("Meeting Guide feed (.json)").set_input_files(str(path))
    page.get_by_label("Source").fill("browser-test-area")
    page.get_by_role("button", name="Upload and import").click()
    # The upload lands on its job's page at once; a worker imports it, and the page (which
    # reloads itself while the job runs) then shows the summary.
    assert "Waiting for a worker" in page.locator("#content-main").inner_text()
    run_queued_tasks()
    page.reload()
    summary = page.locator(".import-summary")
    assert "What the import would do" in summary.inner_text()
    assert "Dry run, nothing saved: 1 created" in summary.inner_text()
    assert "browser-upload-2" in summary.inner_text()
    assert not Program.objects.filter(source="browser-test-area").exists()

    page.get_by_role("link", name="Upload another file").click()
    page.get_by_label("Meeting Guide feed (.json)").set_input_files(str(path))
    page.get_by_label("Source").fill("browser-test-area")
    page.get_by_label("Check only (save nothing)").uncheck()
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_url("**/admin/opendata/importjob/*/change/")
    run_queued_tasks()
    page.reload()
    assert "What the import did" in page.locator(".import-summary").inner_text()
    meeting = Meeting.objects.get(source="browser-test-area")
    assert meeting.program.name == "Browser Upload Group"
    assert page.recorder.csp_violations() == []
    assert page.recorder.console_errors == []
