"""Keyboard-only and script-free use of the directory."""

import pytest

pytestmark = pytest.mark.browser


def focused(page):
    return page.evaluate(
        """() => { const el = document.activeElement;
                   return {tag: el.tagName, text: (el.innerText || el.value || '').trim(),
                           id: el.id, href: el.getAttribute('href') || ''}; }"""
    )


def focus_is_visible(page):
    """The focused element draws an outline or a box shadow (our :focus-visible style)."""
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                          || s.boxShadow !== 'none'; }"""
    )


def test_skip_link_is_first_and_moves_focus_to_main(page, site_url):
    page.goto(site_url + "/programs/")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_quick_exit_is_reached_early_in_the_tab_order(page, site_url):
    page.goto(site_url + "/")
    stops = []
    for _ in range(3):
        page.keyboard.press("Tab")
        stops.append(focused(page)["text"])
    assert "Leave this site quickly" in stops


def test_find_a_meeting_with_the_keyboard_only(page, site_url):
    page.goto(site_url + "/")
    # Tab to the "what" box of the home search, type, submit with Enter.
    for _ in range(30):
        page.keyboard.press("Tab")
        if focused(page)["id"] == "home-q":
            break
    else:
        pytest.fail("the search box is not reachable with Tab")
    assert focus_is_visible(page)
    page.keyboard.type("SMART")
    page.keyboard.press("Enter")
    page.wait_for_url("**/meetings/?fellowship=smart*")
    assert "Meetings from now" in page.locator("#result-count").inner_text()
    # Tab through to the first result and open it.
    for _ in range(200):
        page.keyboard.press("Tab")
        info = focused(page)
        if info["href"].startswith("/program/"):
            break
    else:
        pytest.fail("no result link reachable with Tab")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/program/**")
    assert page.locator("h1").count() == 1


@pytest.fixture
def no_script_page(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def test_filtering_and_paging_work_without_javascript(no_script_page, site_url):
    page = no_script_page
    page.goto(site_url + "/programs/")
    page.get_by_label("Tuesday").check()
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url("**day=2**")
    count_text = page.locator("#result-count").inner_text()
    assert "match your filters" in count_text
    assert page.locator(".chip", has_text="Tuesday").count() == 1
    page.goto(site_url + "/programs/?sort=name")
    next_link = page.get_by_role("link", name="Next page")
    if next_link.count():
        next_link.first.click()
        assert "page=2" in page.url and "sort=name" in page.url


def test_quick_exit_is_a_plain_link_without_javascript(no_script_page, site_url):
    from django.conf import settings

    page = no_script_page
    page.goto(site_url + "/")
    link = page.get_by_role("link", name="Leave this site quickly")
    assert link.get_attribute("href") == settings.QUICK_EXIT_URL
