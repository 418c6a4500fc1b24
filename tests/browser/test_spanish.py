"""The Spanish pages in a real browser: accessible, private, and the switch keeps the filters."""

import pytest

from tests.browser.conftest import fresh, run_axe
from tests.browser.test_pages import FORMS_WITH_CSRF, PAGE_TYPES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def spanish_paths(site_url):
    from tests.browser.test_pages import page_paths

    return {name: "/es" + path for name, path in page_paths().items()}


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_spanish_page_is_accessible_and_private(desktop_page, site_url, spanish_paths, name):
    page, context = fresh(desktop_page), desktop_page.context
    response = page.goto(site_url + spanish_paths[name])
    assert response.status == (404 if name == "not-found" else 200)
    assert page.get_attribute("html", "lang") == "es"
    violations = run_axe(page)
    assert violations == [], f"{name}: {violations}"
    assert page.recorder.foreign_requests() == [], name
    assert page.recorder.csp_violations() == [], name
    if name not in FORMS_WITH_CSRF:
        assert context.cookies() == [], f"{name} set cookies for an anonymous visitor"


def test_the_switch_keeps_the_filters_and_sets_no_cookie(page, context, site_url):
    page.goto(site_url + "/programs/?day=2&attendance=online#results")
    page.get_by_role("link", name="Español").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(site_url + "/es/programs/?day=2&attendance=online")
    assert page.get_attribute("html", "lang") == "es"
    assert page.get_by_label("martes").is_checked()
    page.get_by_role("link", name="English").first.click()
    page.wait_for_load_state()
    assert page.url == site_url + "/programs/?day=2&attendance=online"
    assert page.get_by_label("Tuesday").is_checked()
    assert context.cookies() == []


def test_location_button_speaks_spanish(page, site_url):
    page.goto(site_url + "/es/programs/")
    assert page.get_by_role("button", name="Usar mi ubicación").count() >= 1
