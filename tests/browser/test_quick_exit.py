"""Quick exit and the referral form in a real browser (Debian's Chromium, headless)."""

import re
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def exit_url(site_url, settings):
    # Stands in for the neutral outside site: the test machine has no internet.
    settings.QUICK_EXIT_URL = f"{site_url}/robots.txt"
    return settings.QUICK_EXIT_URL


def test_clicking_leave_replaces_the_page_in_history(page, site_url, exit_url):
    page.goto(f"{site_url}/privacy/")
    page.goto(f"{site_url}/get-help/")
    page.click("[data-quick-exit]")
    page.wait_for_url(exit_url)
    page.go_back()
    # The page left behind is gone from history: Back skips over it.
    assert urlsplit(page.url).path == "/privacy/"


def test_pressing_escape_twice_leaves(page, site_url, exit_url):
    page.goto(f"{site_url}/get-help/")
    assert page.is_visible("[data-quick-exit-hint]")
    page.keyboard.press("Escape")
    assert page.text_content("[data-quick-exit-status]") == "Press Escape again to leave this site."
    assert urlsplit(page.url).path == "/get-help/"
    page.keyboard.press("Escape")
    page.wait_for_url(exit_url)


def test_escape_works_while_typing_in_the_form(page, site_url, exit_url):
    page.goto(f"{site_url}/get-help/")
    page.fill("#id_first_name", "Sam")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(exit_url)


def test_without_javascript_the_link_still_leaves(browser, site_url, exit_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/get-help/")
    assert not page.is_visible("[data-quick-exit-hint]")  # no shortcut is promised
    page.click("[data-quick-exit]")
    page.wait_for_url(exit_url)
    context.close()


def test_pages_make_no_outside_requests_and_break_no_csp_rule(page, site_url):
    origin = site_url
    requests, problems = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    for path in ("/", "/programs/", "/treatment-centres/", "/get-help/", "/browsing-safely/"):
        page.goto(origin + path)
    assert requests
    outside = [url for url in requests if not url.startswith(origin)]
    assert outside == []
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_a_failed_submit_focuses_the_error_summary(page, site_url):
    page.goto(f"{site_url}/get-help/")
    # Until the page with the errors has loaded: the script that moves the focus is
    # deferred, so it runs after the summary is already in the document.
    with page.expect_navigation(wait_until="load"):
        page.click("button[type=submit]")
    page.wait_for_selector("[data-error-summary]")
    assert re.match(r"Error: ", page.title())
    focused = page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert focused is True
    page.click("[data-error-summary] a[href='#id_first_name']")
    assert page.evaluate("document.activeElement.id") == "id_first_name"


def test_typing_narrows_the_program_menu(page, site_url):
    page.goto(f"{site_url}/get-help/")
    page.fill("#id_listing_filter", "smart")
    enabled = page.eval_on_selector_all(
        "#id_listing option:not([disabled])", "options => options.map(o => o.textContent)"
    )
    chosen = [name for name in enabled if name != "No particular program or centre"]
    assert len(chosen) >= 2
    assert all("smart" in name.lower() for name in chosen)
    page.select_option("#id_listing", label=chosen[1])
    page.fill("#id_listing_filter", "")
    assert (
        page.eval_on_selector("#id_listing", "s => s.selectedOptions[0].textContent") == (chosen[1])
    )
