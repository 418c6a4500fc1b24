"""A search on a phone: the results come first, the filters fold away, no script needed."""

import pytest

from tests.browser.conftest import DESKTOP, run_axe

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


@pytest.fixture(params=[True, False], ids=["script", "no-script"])
def phone(browser, request):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=request.param
    )
    page = context.new_page()
    yield page
    context.close()


def first_result_in_view(page):
    return page.evaluate(
        """() => { const el = document.querySelector('.occurrence, .card');
                   if (!el) return null;
                   const r = el.getBoundingClientRect();
                   return r.top >= 0 && r.top + 40 <= window.innerHeight; }"""
    )


def test_a_home_page_search_opens_at_the_first_result(phone, site_url):
    phone.goto(site_url + "/")
    phone.fill("#home-q", "AA")
    phone.fill("#home-where", "43215")
    phone.get_by_role("button", name="Search").click()
    phone.wait_for_url("**#results")
    assert first_result_in_view(phone)


@pytest.mark.parametrize(
    "path", ["/programs/", "/meetings/", "/treatment-centres/", "/activities/"]
)
def test_after_filtering_the_first_result_is_on_the_first_screen(phone, site_url, path):
    phone.goto(site_url + path)
    summary = phone.locator(".filters-summary")
    assert summary.is_visible()
    assert not phone.locator(".filter-form").is_visible()  # folded away on a phone
    summary.click()
    assert phone.locator(".filter-form").is_visible()
    phone.get_by_role("button", name="Show results").click()
    phone.wait_for_url("**#results")
    assert first_result_in_view(phone)
    assert not phone.locator(".filter-form").is_visible()  # folded again on the results
    summary.click()
    assert phone.locator(".filter-form").is_visible()
    summary.click()  # and it closes again
    assert not phone.locator(".filter-form").is_visible()


def test_the_summary_counts_the_filters_in_use(browser, site_url):
    # axe runs in the page, so this one has scripts on; the folding itself needs none.
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(site_url + "/meetings/?fellowship=aa&attendance=in_person&day=2")
    assert phone.locator(".filters-summary").inner_text().startswith("Filters (3)")
    assert run_axe(phone) == []
    phone.locator(".filters-summary").click()
    assert run_axe(phone) == []
    context.close()


def test_a_filter_the_visitor_got_wrong_stays_open(phone, site_url):
    phone.goto(site_url + "/programs/?day=banana")
    assert phone.locator(".filter-form").is_visible()


def test_wide_screens_keep_the_filters_beside_the_results(browser, site_url):
    for script in (True, False):
        context = browser.new_context(viewport=DESKTOP, java_script_enabled=script)
        page = context.new_page()
        page.goto(site_url + "/programs/?q=AA")
        assert page.locator(".filter-form").is_visible()
        form, results = page.locator(".filter-form"), page.locator("#results")
        assert form.bounding_box()["x"] < results.bounding_box()["x"]
        context.close()
