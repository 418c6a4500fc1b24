"""Every public page type, as a person's browser sees it: accessible, private, mobile-ready."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOT_DIR, fresh, run_axe

pytestmark = pytest.mark.browser


def page_paths():
    """One URL per page type and state (computed from the demo data)."""
    from activities.models import Activity
    from programs.models import Program, ProgramKind, TreatmentCenter

    program = Program.objects.published().filter(meetings__isnull=False).first()
    home = Program.objects.published().filter(kind=ProgramKind.SOBER_LIVING).first()
    center = TreatmentCenter.objects.published().first()
    activity = Activity.objects.published().upcoming().first()
    paths = {
        "home": "/",
        "programs": "/programs/",
        "programs-filtered": "/programs/?day=2&attendance=online&kind=smart-recovery",
        "programs-empty": "/programs/?q=zzzznothing",
        "programs-invalid": "/programs/?day=banana",
        "programs-page-2": "/programs/?page=2",
        "program-detail": program.get_absolute_url(),
        "sober-living-detail": home.get_absolute_url(),
        "centres": "/treatment-centres/",
        "centres-filtered": "/treatment-centres/?level=iop&payment=medicaid&peer_support=on",
        "centre-detail": center.get_absolute_url(),
        "centres-empty": "/treatment-centres/?q=zzzznothing",
        "centres-near": "/treatment-centres/?where=45402",
        "programs-near": "/programs/?where=43215&radius=5",
        "programs-ambiguous-place": "/programs/?where=Springfield",
        "activities-empty": "/activities/?q=zzzznothing",
        "activities": "/activities/",
        "activities-filtered": "/activities/?category=art&free=on",
        "activities-past": "/activities/past/",
        "activity-detail": activity.get_absolute_url(),
        "about": "/about/peer-support/",
        "which-fits-me": "/programs/which-fits-me/",
        "privacy": "/privacy/",
        "accessibility": "/accessibility/",
        "browsing-safely": "/browsing-safely/",
        "open-data": "/open-data/",
        "meeting-types": "/meeting-types/",
        "resources": "/resources/",
        "next-meetings": "/meetings/",
        "report-problem": f"/report/program/{program.slug}/",
        "get-help": "/get-help/",
        "not-found": "/no-such-page/",
        "meetings": "/meetings/",
        "meetings-near": "/meetings/?where=43215&radius=10",
        "meetings-filtered": "/meetings/?fellowship=aa&attendance=in_person&where=45402",
        "meetings-empty": "/meetings/?q=zzzznothing",
        "right-now": "/right-now/",
        "right-now-near": "/right-now/?where=43215",
    }
    for kind in ProgramKind:
        paths[f"kind-{kind.value}"] = f"/programs/{kind.value}/"
    return paths


@pytest.fixture(scope="module")
def paths(site_url):
    return page_paths()


PAGE_TYPES = [
    "home",
    "programs",
    "programs-filtered",
    "programs-empty",
    "programs-invalid",
    "programs-page-2",
    "program-detail",
    "sober-living-detail",
    "centres",
    "centres-filtered",
    "centre-detail",
    "centres-empty",
    "centres-near",
    "programs-near",
    "programs-ambiguous-place",
    "activities-empty",
    "activities",
    "activities-filtered",
    "activities-past",
    "activity-detail",
    "about",
    "which-fits-me",
    "privacy",
    "accessibility",
    "browsing-safely",
    "open-data",
    "meeting-types",
    "resources",
    "next-meetings",
    "report-problem",
    "get-help",
    "not-found",
    "meetings",
    "meetings-near",
    "meetings-filtered",
    "meetings-empty",
    "right-now",
    "right-now-near",
    "kind-12-step",
    "kind-smart-recovery",
    "kind-sober-living",
    "kind-dual-diagnosis",
    "kind-mental-health",
    "kind-recovery-community",
    "kind-other",
]
FORMS_WITH_CSRF = {"report-problem", "get-help"}


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_is_accessible_private_and_clean(desktop_page, site_url, paths, name):
    page, context = fresh(desktop_page), desktop_page.context
    response = page.goto(site_url + paths[name])
    expected = 404 if name == "not-found" else 200
    assert response.status == expected
    violations = run_axe(page)
    assert violations == [], f"{name}: {violations}"
    assert page.recorder.foreign_requests() == [], name
    assert page.recorder.csp_violations() == [], name
    errors = [e for e in page.recorder.console_errors if "404" not in e or name != "not-found"]
    assert errors == [], f"{name}: {errors}"
    if name not in FORMS_WITH_CSRF:
        assert context.cookies() == [], f"{name} set cookies for an anonymous visitor"


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_fits_a_small_phone(phone_page, site_url, paths, name, request):
    page = fresh(phone_page)
    try:
        page.goto(site_url + paths[name])
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 360px"
        small = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                    'a[href], button, input:not([type=hidden]), select, textarea, summary'))
                .filter(el => el.offsetParent !== null && el.tabIndex >= 0)
                .filter(el => !el.closest('[aria-hidden="true"]'))
                .filter(el => !el.closest('p, li, dd, td, .prose, address'))
                .map(el => [el, el.getBoundingClientRect()])
                .filter(([el, r]) => r.width < 24 || r.height < 24)
                .map(([el, r]) => el.outerHTML.slice(0, 80) + ` ${r.width}x${r.height}`)"""
        )
        assert small == [], f"{name}: tap targets under 24x24 px: {small}"
        if request.config.getoption("--screenshots"):
            SCREENSHOT_DIR.mkdir(exist_ok=True)
            page.screenshot(path=SCREENSHOT_DIR / f"{name}-360.png", full_page=True)
            page.set_viewport_size(DESKTOP)
            page.screenshot(path=SCREENSHOT_DIR / f"{name}-1280.png", full_page=True)
    finally:
        page.set_viewport_size(PHONE)


@pytest.mark.parametrize("width", [375, 1280])
def test_which_fits_me_reads_as_a_table_on_phones_and_desktops(browser, site_url, width, request):
    from programs.guide import CHOICES

    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 800}, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    try:
        page.goto(site_url + "/programs/which-fits-me/")
        assert run_axe(page) == []
        table = page.get_by_role("table", name="The kinds of peer support compared")
        assert table.count() == 1
        # Phones lay each row out as a card; it must still be a table with headers.
        assert table.get_by_role("rowheader").count() == len(CHOICES)
        assert table.get_by_role("columnheader").count() == 6
        display = page.evaluate(
            "getComputedStyle(document.querySelector('.compare tbody tr')).display"
        )
        assert display == ("block" if phone else "table-row")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"scrolls sideways by {overflow}px at {width}px"
        if request.config.getoption("--screenshots"):
            SCREENSHOT_DIR.mkdir(exist_ok=True)
            page.screenshot(path=SCREENSHOT_DIR / f"which-fits-me-{width}.png", full_page=True)
    finally:
        context.close()
