"""Asking to be contacted, as a person does it: by keyboard, without scripts, accessibly."""

import pytest

from tests.browser.conftest import run_axe

pytestmark = pytest.mark.browser


def tab_to(page, element_id, limit=80):
    """Press Tab until the element has focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    pytest.fail(f"#{element_id} is not reachable with Tab")


def focus_is_visible(page):
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                          || s.boxShadow !== 'none'; }"""
    )


def test_empty_form_and_its_errors_are_accessible(page, site_url):
    page.goto(site_url + "/get-help/")
    assert run_axe(page) == []
    # Until the page with the errors has loaded: the script that moves the focus is deferred.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Send my request").click()
    page.wait_for_selector("[data-error-summary]")
    assert page.title().startswith("Error: ")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert run_axe(page) == []
    assert page.recorder.csp_violations() == []
    assert page.recorder.foreign_requests() == []


def test_submit_a_referral_with_the_keyboard_only(page, site_url):
    page.goto(site_url + "/get-help/")
    page.keyboard.press("Tab")  # skip link first
    page.keyboard.press("Enter")
    tab_to(page, "id_requester_0")
    assert focus_is_visible(page)
    page.keyboard.press("Space")
    tab_to(page, "id_first_name")
    page.keyboard.type("Sam")
    tab_to(page, "id_phone")
    page.keyboard.type("614 555 0142")
    tab_to(page, "id_contact_method_0")
    page.keyboard.press("Space")
    tab_to(page, "id_consent")
    page.keyboard.press("Space")
    assert focus_is_visible(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-reference]")
    assert "Sam" not in page.content()  # nothing personal echoed back
    reference = page.locator("[data-reference]")
    assert reference.count() == 1
    assert len(reference.inner_text().strip()) >= 6
    assert run_axe(page) == []


def test_referral_works_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + "/get-help/")
        page.get_by_label("A family member or friend").check()
        page.get_by_label("First name or initials").fill("Alex")
        page.get_by_label("Email address").fill("alex@example.org")
        page.get_by_label("Email", exact=True).check()
        page.get_by_label("I agree to be contacted about this request").check()
        page.get_by_role("button", name="Send my request").click()
        assert page.locator("[data-reference]").count() == 1
        assert "alex@example.org" not in page.content()
    finally:
        context.close()
