import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs.models import ProgramKind
from tests.factories import make_activity, make_location, make_meeting, make_program
from tests.sitemaps import sitemap_text

pytestmark = pytest.mark.django_db


def test_every_page_shows_the_crisis_lines_and_quick_exit(client):
    for url in (reverse("home"), reverse("about"), reverse("programs:list"), "/missing/"):
        html = client.get(url).content.decode()
        assert 'href="tel:988"' in html, url
        assert 'href="tel:18006624357"' in html, url
        assert "Leave this site quickly" in html, url
        assert 'class="skip-link" href="#main-content"' in html, url


@time_machine.travel(datetime.datetime(2026, 11, 24, 23, 0, tzinfo=datetime.UTC), tick=False)
def test_home_shows_meetings_starting_soon_in_the_default_area(client, settings):
    settings.DEFAULT_AREA = "Columbus, OH"
    make_meeting(
        program=make_program(name="Columbus Evening"), weekday=2, start_time=datetime.time(19)
    )
    dayton = make_location(city="Dayton")
    make_meeting(
        program=make_program(name="Dayton Evening", location=dayton),
        weekday=2,
        start_time=datetime.time(19),
    )
    html = client.get(reverse("home")).content.decode()
    assert "Columbus Evening" in html
    assert "Dayton Evening" not in html
    assert reverse("referral") in html
    for kind in (
        ProgramKind.TWELVE_STEP,
        ProgramKind.SMART,
        ProgramKind.SOBER_LIVING,
        ProgramKind.DUAL_DIAGNOSIS,
    ):
        assert reverse("programs:kind", args=[kind.value]) in html
    assert reverse("programs:center_list") in html
    assert reverse("activities:list") in html


def test_home_reads_its_lists_once_a_minute(
    client, settings, shared_cache, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.DEFAULT_AREA = "Columbus, OH"
    settings.PAGE_CACHE_SECONDS = 0  # each request builds its page
    eastern = timezone.get_default_timezone()
    tuesday_645pm = datetime.datetime(2026, 11, 24, 18, 45, tzinfo=eastern)

    def read(seconds):
        when = tuesday_645pm + datetime.timedelta(seconds=seconds)
        with time_machine.travel(when, tick=False), CaptureQueriesContext(connection) as ctx:
            html = client.get(reverse("home")).content.decode()
        rows = [q for q in ctx.captured_queries if "recovery_directory_cache" not in q["sql"]]
        return len(rows), html

    make_meeting(
        program=make_program(name="Seven o'clock"), weekday=2, start_time=datetime.time(19)
    )
    first, html = read(5)
    assert first > 0 and "Seven o&#x27;clock" in html
    again, kept = read(50)
    assert again == 0 and kept == html
    with (
        time_machine.travel(tuesday_645pm + datetime.timedelta(seconds=51), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        make_meeting(
            program=make_program(name="Ten past seven"), weekday=2, start_time=datetime.time(19, 10)
        )
    read_again, html = read(52)
    assert read_again > 0 and "Ten past seven" in html
    assert read(60)[0] > 0  # 6:46: the next minute reads them again


def test_404_page_is_friendly_and_keeps_the_crisis_lines(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"We can't find that page" in response.content
    assert b"tel:988" in response.content


@pytest.mark.urls("tests.site.urls_failing")
def test_500_page_shows_phone_numbers():
    client = Client(raise_request_exception=False)
    response = client.get("/fail/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"tel:988" in response.content
    assert b"1-800-662-4357" in response.content


def test_robots_and_sitemap(client):
    program = make_program(name="Listed Group")
    activity = make_activity(name="Listed Activity")
    robots = client.get(reverse("robots")).content.decode()
    assert "Disallow: /admin/" in robots
    assert "Disallow: /get-help/" in robots
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    sitemap = sitemap_text(client)
    assert program.get_absolute_url() in sitemap
    assert activity.get_absolute_url() in sitemap
    assert "/programs/sober-living/" in sitemap
    assert "/get-help/" not in sitemap  # robots.txt keeps crawlers off the form


def test_health_check(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_list_page_weight_stays_small(client, settings):
    """HTML + CSS + JS of a full list page under 60 kB before compression."""
    from pathlib import Path

    settings.LISTINGS_PER_PAGE = 20
    for i in range(25):
        program = make_program(name=f"Weekly Group Number {i}", description="x" * 200)
        make_meeting(program=program, types=["O", "D", "W"])
        make_meeting(program=program, weekday=4, types=["C", "BE"])
    html = client.get(reverse("programs:list")).content
    static = Path(settings.BASE_DIR) / "static"
    assets = (static / "css" / "site.css").read_bytes() + (static / "js" / "site.js").read_bytes()
    # The meeting types' definitions come in a stylesheet of their own.
    assert reverse("programs:meeting_types_css").encode() in html
    assets += client.get(reverse("programs:meeting_types_css")).content
    total = len(html) + len(assets)
    assert total < 60_000, f"{total} bytes"
    assert b"@font-face" not in assets


def test_open_data_page_gives_the_feed_and_api_addresses(client):
    response = client.get(reverse("open_data"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "http://testserver/meetings.json" in page
    assert "http://testserver/api/hsds/" in page
    assert 'href="/open-data/"' in page  # linked from every page's footer
    assert "/open-data/" in sitemap_text(client)


def test_the_sitemap_is_an_index_of_sections_of_at_most_5000_urls(
    client, monkeypatch, django_assert_max_num_queries
):
    from recovery_directory.sitemaps import ProgramSitemap

    programs = [make_program(name=f"Group {i}") for i in range(5)]
    monkeypatch.setattr(ProgramSitemap, "limit", 2)
    index = client.get(reverse("sitemap")).content.decode()
    assert "<sitemapindex" in index
    # Each program has an address per language: ten URLs make five files of two, each
    # file with the latest change of its section.
    for page in ("", "?p=2", "?p=3", "?p=4", "?p=5"):
        assert f"<loc>http://testserver/sitemap-programs.xml{page}</loc>" in index
    assert "sitemap-programs.xml?p=6" not in index
    latest = max(p.updated_at for p in programs)
    assert f"<lastmod>{timezone.localtime(latest).isoformat()}</lastmod>" in index
    with django_assert_max_num_queries(2):  # a count and one page of rows
        last = client.get("/sitemap-programs.xml?p=5").content.decode()
    assert last.count("<url>") == 2 and programs[-1].get_absolute_url() in last
    assert client.get("/sitemap-programs.xml?p=9").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_files_that_split_a_programs_languages_lose_no_address(client, monkeypatch):
    from recovery_directory.sitemaps import ProgramSitemap

    programs = [make_program(name=f"Group {i}") for i in range(4)]
    monkeypatch.setattr(ProgramSitemap, "limit", 3)  # eight addresses: files of 3, 3 and 2
    index = client.get(reverse("sitemap")).content.decode()
    assert "sitemap-programs.xml?p=3</loc>" in index and "?p=4" not in index
    found = []
    for page in ("", "?p=2", "?p=3"):
        text = client.get(f"/sitemap-programs.xml{page}").content.decode()
        found += re.findall(r"<url><loc>([^<]+)</loc>", re.sub(r"\s+", "", text))
    expected = []
    for program in programs:
        for prefix in ("", "/es"):
            expected.append(f"http://testserver{prefix}{program.get_absolute_url()}")
    assert found == expected
