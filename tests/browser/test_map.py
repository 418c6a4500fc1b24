"""The map is opt-in: nothing from the tile server until the visitor presses "Show map"."""

import base64

import pytest

pytestmark = pytest.mark.browser

# A 1x1 transparent PNG stands in for the tile server, which this machine cannot reach.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.mark.parametrize("path", ["/programs/?where=43215", "/treatment-centres/"])
def test_tiles_load_only_after_show_map(page, site_url, path):
    tile_requests = []

    def fake_tiles(route):
        tile_requests.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.route("https://tile.openstreetmap.org/**", fake_tiles)
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    assert tile_requests == []
    assert not any("leaflet" in url for url in page.recorder.requests)

    button = page.get_by_role("button", name="Show map")
    button.click()
    page.wait_for_selector(".leaflet-marker-icon")
    # The page reached "network idle" long before the click, so waiting for that state
    # again returns at once; Leaflet marks each tile it has drawn, so wait for one.
    page.wait_for_selector(".leaflet-tile-loaded", state="attached")
    assert tile_requests, "the map drew no tiles"
    assert all(url.startswith("https://tile.openstreetmap.org/") for url in tile_requests)
    assert page.locator(".leaflet-marker-icon").count() >= 1
    assert page.recorder.csp_violations() == []
    foreign = [u for u in page.recorder.foreign_requests() if "tile.openstreetmap.org" not in u]
    assert foreign == []


def test_without_scripts_the_map_button_is_a_link(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + "/programs/?where=43215")
        link = page.get_by_role("link", name="Show map")
        assert link.get_attribute("href").startswith("https://www.openstreetmap.org/#map=")
    finally:
        context.close()


def test_use_my_location_fills_coordinates_and_searches(browser, site_url):
    context = browser.new_context(
        geolocation={"latitude": 39.9612, "longitude": -82.9988}, permissions=["geolocation"]
    )
    page = context.new_page()
    try:
        page.goto(site_url + "/programs/")
        page.get_by_role("button", name="Use my location").click()
        page.wait_for_url("**lat=39.961**")
        assert "lng=-82.999" in page.url
        assert "your location" in page.locator("#result-count").inner_text()
    finally:
        context.close()
