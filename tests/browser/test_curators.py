"""The curators' own pages in a real browser: reachable by keyboard, no axe violations."""

import pytest

from tests.browser.conftest import run_axe
from tests.browser.test_admin import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1234"


@pytest.fixture(scope="module")
def curator(site_url):
    from django.contrib.auth.models import Group, User

    user, _ = User.objects.get_or_create(username="start-curator", defaults={"is_staff": True})
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def test_start_page_by_keyboard_with_no_axe_violations(page, site_url, curator):
    sign_in(page, site_url, curator)
    link = page.get_by_role("link", name="What needs doing")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "/admin/work/")
    assert page.get_by_role("heading", level=2, name="Open problem reports").count() == 1
    violations = run_axe(page)
    assert violations == [], violations
    # The page's own table of contents leads to each section's list link.
    page.get_by_role("link", name="Published listings to verify").click()
    page.get_by_role("link", name="Programs to verify").click()
    assert "verified=stale" in page.url
    assert page.recorder.console_errors == []


def test_curator_fixes_the_reported_meeting_and_resolves_the_report(page, site_url, curator):
    from programs.models import ChangeRequest, Meeting

    meeting = Meeting.objects.filter(status="published", program__status="published").first()
    original_start = meeting.start_time
    original_verified = meeting.program.last_verified_on
    report = ChangeRequest.about(meeting.program)
    report.problem, report.meeting, report.details = "time", meeting, "Starts half an hour later"
    report.save()
    try:
        resolve_in_the_browser(page, site_url, curator, report, meeting)
    finally:
        # The demo data is shared by every browser test: put it back as it was.
        report.delete()
        meeting.start_time = original_start
        meeting.save()
        meeting.program.last_verified_on = original_verified
        meeting.program.save(update_fields=["last_verified_on"])


def resolve_in_the_browser(page, site_url, curator, report, meeting):
    import datetime

    from django.utils import timezone

    sign_in(page, site_url, curator)
    page.goto(f"{site_url}/admin/programs/changerequest/{report.pk}/change/")
    assert page.get_by_text("Starts half an hour later").count() == 1
    assert page.recorder.console_errors == [], "load"
    violations = run_axe(page)
    assert violations == [], violations
    # axe's own probes try inline styles, which the admin's CSP rightly refuses.
    page.recorder.console_errors.clear()
    later = (datetime.datetime.combine(datetime.date.today(), meeting.start_time)
             + datetime.timedelta(minutes=30)).time()  # fmt: skip
    page.locator("#id_meeting-start_time").fill(later.strftime("%H:%M"))
    page.get_by_role("button", name="Save, resolve and mark the listing verified").click()
    page.wait_for_url("**/admin/programs/changerequest/?status__exact=open")
    assert page.get_by_text("marked verified today").count() == 1
    report.refresh_from_db()
    meeting.refresh_from_db()
    assert report.status == "resolved"
    assert meeting.start_time == later
    assert meeting.program.last_verified_on == timezone.localdate()
    assert page.recorder.console_errors == []


def test_feed_source_pages_have_no_axe_violations(page, site_url, curator):
    from opendata.models import FeedRun, FeedSource, SyncState

    source, _ = FeedSource.objects.get_or_create(
        name="browser-area", defaults={"url": "https://example.org/meetings.json"}
    )
    FeedRun.objects.create(
        source=source, outcome=SyncState.FAILED, error="The server answered 503."
    )
    try:
        check_feed_pages(page, site_url, curator, source)
    finally:
        source.delete()  # the demo data is shared by every browser test


def check_feed_pages(page, site_url, curator, source):
    sign_in(page, site_url, curator)
    for path in (
        "/admin/opendata/feedsource/?attention=yes",
        f"/admin/opendata/feedsource/{source.pk}/change/",
        "/admin/programs/meeting/",
    ):
        page.goto(site_url + path)
        assert page.recorder.csp_violations() == [], path
        assert page.recorder.console_errors == [], path
        violations = run_axe(page)
        assert violations == [], (path, [v["id"] for v in violations])
        page.recorder.console_errors.clear()
