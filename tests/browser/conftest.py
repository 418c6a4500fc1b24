"""Browser tests: Playwright driving Chromium against a live server loaded with demo data.

They run in their own pytest run (see the Makefile): the demo data is loaded once into each
worker's test database and shared by every browser test that worker runs.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
# here are still plain synchronous calls, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "screenshots"

# The two screens the page checks use: a desktop window and a small phone.
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    """Every browser test is slow: `make test-fast` (and `-m "not slow"`) leaves them out."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.slow)


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots", action="store_true", help="save page screenshots to screenshots/"
    )


# Chromium's headless shell first: the same Blink engine, layout and accessibility tree as the
# full browser (it is what Playwright itself runs for headless tests), without the desktop
# browser's machinery, so a page costs about a third of the CPU.
BROWSERS = ("chromium-headless-shell", "chromium")


def chromium_path():
    candidates = [os.environ.get("CHROMIUM")]
    for name in BROWSERS:
        candidates += [f"/usr/bin/{name}", shutil.which(name)]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        except Exception as exc:  # no usable browser at all
            pytest.fail(
                f"No Chromium to drive ({exc}). Install Debian's chromium-headless-shell "
                "package (apt-get install chromium-headless-shell) or Playwright's browser."
            )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def django_db_setup(
    django_test_environment, django_db_modify_db_settings, django_db_keepdb, django_db_blocker
):
    """Create the test database even though no browser test carries a django_db mark.

    pytest-django only creates the databases that marked tests ask for; browser tests reach
    the database through the live server instead, so they ask for it here. Under xdist each
    worker gets a database of its own (pytest-django's suffix), loaded with its own demo data.
    On SQLite it starts as a copy of the migrated template (django_db_keepdb in
    tests/conftest.py), which is also what removes it at the end.
    """
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, keepdb=django_db_keepdb
        )
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=0)


@pytest.fixture(scope="session")
def site_url(django_db_setup, django_db_blocker):
    """A live server over the test database, loaded with the demo data once."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.db import connections
    from django.test.testcases import LiveServerThread

    with django_db_blocker.unblock():
        name = str(connections["default"].settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"refusing to load demo data into {name}"
        call_command("seed_demo", verbosity=0)
        # SQLite in-memory databases must be shared with the server thread.
        connections_override = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()
        }
        for conn in connections_override.values():
            conn.inc_thread_sharing()
        server = LiveServerThread(
            "127.0.0.1", StaticFilesHandler, connections_override=connections_override, port=0
        )
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield f"http://127.0.0.1:{server.port}"
        server.terminate()
        for conn in connections_override.values():
            conn.dec_thread_sharing()


class PageRecorder:
    """Everything a page asked the network for, said on the console, or broke in CSP."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.requests = []
        self.console_errors = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on(
            "response",
            lambda r: (
                self.console_errors.append(f"{r.status} {r.url}") if r.status == 404 else None
            ),
        )
        page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))
        page.add_init_script(
            "window.__csp = [];"
            "document.addEventListener('securitypolicyviolation', function (e) {"
            "  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });"
        )

    def forget(self):
        """Start over, for the next test that uses this page."""
        self.requests.clear()
        self.console_errors.clear()

    def foreign_requests(self):
        return [
            url
            for url in self.requests
            if not url.startswith(self.base_url) and not url.startswith(("data:", "blob:"))
        ]

    def csp_violations(self):
        return self.page.evaluate("window.__csp || []")


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context
    context.close()


def recorded_page(context, site_url):
    """A new page of `context`, with the suite's timeout and a PageRecorder."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.recorder = PageRecorder(page, site_url)
    return page


@pytest.fixture
def page(context, site_url):
    page = recorded_page(context, site_url)
    yield page
    page.close()


def reusable_page(browser, site_url, **options):
    """A page in a context of its own, for the tests of one module to take in turn
    (`fresh`): opening a page costs Chromium a new renderer process, about 0.12 s of CPU,
    where a test that only loads a page and checks it needs none. Nothing is kept between
    tests: the HTTP cache is off, so each test sees every request its page makes."""
    context = browser.new_context(**options)
    page = recorded_page(context, site_url)
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    return page


@pytest.fixture(scope="module")
def desktop_page(browser, site_url):
    """One desktop-sized page for the module's tests to take in turn, each through `fresh`."""
    page = reusable_page(browser, site_url, viewport=DESKTOP)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def phone_page(browser, site_url):
    """One page on a 360-pixel touch phone, taken in turn like `desktop_page`."""
    page = reusable_page(browser, site_url, viewport=PHONE, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


def fresh(page):
    """`page` as a new one would be: an empty document, no cookies, nothing recorded. The
    blank page comes first, so that nothing the last test's page still does is recorded."""
    page.goto("about:blank")
    page.context.clear_cookies()
    page.recorder.forget()
    return page


def run_axe(page):
    """Run axe-core's WCAG 2.0/2.1/2.2 A and AA rules; return the violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's CSP does not block it.
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: [
                'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
