"""The “which fits me?” comparison: complete, linked to real listings, reachable."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import resolve, reverse

from programs import guide
from programs.models import Approach, Fellowship, ProgramKind
from programs.views import WhichFitsMeView
from tests.factories import make_program
from tests.sitemaps import sitemap_text

pytestmark = pytest.mark.django_db

URL = "/programs/which-fits-me/"


def links_in_table(html):
    table = html[html.index('<table class="compare"') : html.index("</table>")]
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', table)]


def test_every_approach_and_every_kind_has_a_row():
    assert {c.approach for c in guide.CHOICES} >= set(Approach.values)
    assert {c.kind for c in guide.CHOICES} >= set(ProgramKind.values)
    assert len({c.key for c in guide.CHOICES}) == len(guide.CHOICES)
    for choice in guide.CHOICES:
        assert all(text.strip() for _, text in choice.cells), choice.key


def test_the_path_is_not_taken_for_a_kind():
    assert reverse("programs:which_fits_me") == URL
    assert resolve(URL).func.view_class is WhichFitsMeView


def test_page_is_a_captioned_table_with_headers(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "<caption>" in html
    assert html.count('<th scope="col"') == len(guide.COLUMNS) + 2
    assert html.count('<th scope="row"') == len(guide.CHOICES)
    for _, heading in guide.COLUMNS:
        assert f'data-label="{heading}"' in html
    assert response.cookies == {}


def test_each_row_links_to_listings_that_match_it(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # each response's context is read
    lifering = Fellowship.objects.get(slug="lifering")
    make_program(name="Steps Group", kind=ProgramKind.TWELVE_STEP)
    make_program(name="Sunday LifeRing", kind=ProgramKind.OTHER, fellowship=lifering)
    make_program(name="Tools Group", kind=ProgramKind.SMART)
    links = links_in_table(client.get(URL).content.decode())
    assert len(links) == len(guide.CHOICES)
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert not response.context["filter"].form.errors, link
        query = parse_qs(urlsplit(link).query)
        for program in response.context["object_list"]:
            if "approach" in query:
                assert program.approach in query["approach"], (link, program)
            if "kind" in query:
                assert program.kind in query["kind"], (link, program)
    secular = client.get(guide.CHOICES[2].url)
    assert [p.name for p in secular.context["object_list"]] == ["Sunday LifeRing"]


def test_a_program_page_points_at_its_row(client):
    smart = make_program(name="Tools Group", kind=ProgramKind.SMART)
    dharma = make_program(
        name="Sitting Group",
        kind=ProgramKind.OTHER,
        fellowship=Fellowship.objects.get(slug="recovery-dharma"),
    )
    unstated = make_program(name="Open Circle", kind=ProgramKind.OTHER)
    assert guide.anchor_for(smart) == "fit-smart-recovery"
    assert guide.anchor_for(dharma) == "fit-buddhist-inspired"
    assert guide.anchor_for(unstated) == ""
    page = client.get(dharma.get_absolute_url()).content.decode()
    assert f'href="{URL}#fit-buddhist-inspired"' in page
    assert 'id="fit-buddhist-inspired"' in client.get(URL).content.decode()
    assert "<dt>Approach</dt>" not in client.get(unstated.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "page", [reverse("home"), reverse("about"), reverse("programs:list"), "/programs/other/"]
)
def test_linked_from_the_pages_people_start_on(client, page):
    assert f'href="{URL}"' in client.get(page).content.decode()


def test_in_the_sitemap(client):
    assert URL in sitemap_text(client)
