import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


@pytest.fixture
def browser(live_server):
    """Headless Chromium, started after the test database is ready and closed before it resets.

    Playwright's sync API runs an asyncio loop in this thread while it is open, and Django
    then hands this thread a different database connection. Keeping the browser inside the
    database fixtures (function scope, after live_server) means set-up and teardown of the
    test database never happen while the loop runs; the tests themselves only talk to the
    live server, which has its own threads.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
