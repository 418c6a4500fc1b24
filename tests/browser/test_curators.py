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
