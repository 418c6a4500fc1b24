"""The admin, as curators and coordinators use it: no script errors, nothing the CSP blocks."""

import pytest

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
    ):
        response = page.goto(site_url + path)
        assert response.status == 200, path
        assert page.recorder.csp_violations() == [], path
        assert page.recorder.foreign_requests() == [], path
    assert page.recorder.console_errors == []
