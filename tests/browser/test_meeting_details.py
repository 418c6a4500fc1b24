"""What a newcomer needs from a meeting: what its types mean, in a real browser."""

import pytest

from tests.browser.conftest import run_axe

pytestmark = pytest.mark.browser

TYPE_LINK = ".schedule .type-list a"


@pytest.fixture(scope="module")
def program_path(site_url):
    from programs.models import Meeting

    meeting = (
        Meeting.objects.published()
        .filter(types__isnull=False, program__location__isnull=False)
        .exclude(types__description="")
        .select_related("program")
        .first()
    )
    return meeting.program.get_absolute_url()


@pytest.fixture
def phone(browser):
    """A 375-pixel phone with a touch screen and no scripts: the definitions need neither."""
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def tip_of(page, link):
    """The definition shown below a type link (the ::after of its list item), or None."""
    return link.evaluate(
        """a => { const s = getComputedStyle(a.parentElement, '::after');
                  return s.content === 'none' || s.display === 'none' ? null
                       : s.content.slice(1, -1); }"""
    )


def overflow(page):
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_a_type_explains_itself_on_keyboard_focus_and_on_tap(phone, site_url, program_path):
    page = phone
    page.goto(site_url + program_path)
    link = page.locator(TYPE_LINK).first
    assert tip_of(page, link) is None
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.type-list a')"):
            break
    else:
        pytest.fail("no meeting type is reachable with Tab")
    focused = page.locator(".type-list a:focus")
    anchor = focused.get_attribute("href")
    definition = page.locator(f"#def-{anchor.removeprefix('#code-')}").inner_text()
    assert tip_of(page, focused) == definition
    assert overflow(page) <= 0, "the open definition runs off a 375-pixel screen"
    # Its accessible description is the same definition.
    assert focused.get_attribute("aria-describedby") == f"def-{anchor.removeprefix('#code-')}"

    link.tap()
    page.wait_for_url(f"**{link.get_attribute('href')}")
    entry = page.locator(link.get_attribute("href"))
    assert entry.is_visible()
    box = entry.bounding_box()
    assert 0 <= box["y"] < 740, "tapping a type does not bring its definition into view"
    assert page.evaluate("document.querySelector(':target').id") == entry.get_attribute("id")


def test_hover_shows_the_definition_and_escape_closes_it(page, site_url, program_path):
    page.goto(site_url + program_path)
    link = page.locator(TYPE_LINK).first
    link.hover()
    assert tip_of(page, link)
    # The pointer can move onto the definition without it closing (WCAG 1.4.13).
    box = link.bounding_box()
    page.mouse.move(box["x"] + 2, box["y"] + box["height"] + 6)
    assert tip_of(page, link)
    page.keyboard.press("Escape")
    assert tip_of(page, link) is None
    page.mouse.move(0, 0)
    link.hover()
    assert tip_of(page, link)


@pytest.mark.parametrize("which", ["meeting-types", "program"])
def test_definitions_are_accessible_on_a_phone(browser, site_url, program_path, which):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        page.goto(site_url + ("/meeting-types/" if which == "meeting-types" else program_path))
        if which == "program":
            page.locator(TYPE_LINK).first.focus()  # with a definition open
        violations = run_axe(page)
        assert violations == [], f"{which}: {violations}"
        assert overflow(page) <= 0
    finally:
        context.close()


def test_share_uses_the_browsers_share_sheet_where_there_is_one(page, site_url, program_path):
    page.add_init_script(
        "window.__shared = [];"
        "navigator.share = function (data) {"
        "  window.__shared.push(data); return Promise.resolve(); };"
    )
    page.goto(site_url + program_path)
    link = page.locator("[data-share]").first
    assert link.inner_text().startswith("Share this meeting")
    href = link.evaluate("a => a.href")
    link.click()
    shared = page.evaluate("window.__shared")
    assert shared == [{"title": link.get_attribute("data-share-title"), "url": href}]
    assert page.url == site_url + program_path  # the click did not navigate


def test_share_copies_the_link_where_the_browser_cannot_share(browser, site_url, program_path):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.add_init_script("delete Navigator.prototype.share;")
        page.goto(site_url + program_path)
        link = page.locator("[data-share]").first
        assert link.inner_text().startswith("Copy link to this meeting")
        link.click()
        page.get_by_role("status").filter(has_text="Link copied.").first.wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == link.evaluate("a => a.href")
    finally:
        context.close()


def test_share_is_a_plain_link_without_scripts(phone, site_url, program_path):
    page = phone
    page.goto(site_url + program_path)
    link = page.locator("[data-share]").first
    assert link.inner_text().startswith("Link to this meeting")
    href = link.get_attribute("href")
    assert href.startswith(program_path + "#meeting-")
    link.tap()
    page.wait_for_url(f"**{href}")
