"""The resources page: staff-edited, grouped by kind, verified dates shown, linked and mapped."""

import datetime

import pytest
from django.urls import reverse

from listings.models import PublicationStatus
from programs.models import Resource, ResourceKind
from tests.factories import make_staff
from tests.sitemaps import sitemap_text

pytestmark = pytest.mark.django_db

URL = "/resources/"


def make_resource(**kwargs):
    kwargs.setdefault("name", "Helpline")
    kwargs.setdefault("kind", ResourceKind.LINE)
    kwargs.setdefault("offers", "Someone to talk to.")
    kwargs.setdefault("status", PublicationStatus.PUBLISHED)
    return Resource.objects.create(**kwargs)


def test_published_resources_grouped_by_kind_with_verified_dates(client):
    make_resource(
        name="Night Line",
        phone="1-800-662-4357",
        languages="English, Spanish",
        last_verified_on=datetime.date(2026, 3, 4),
    )
    make_resource(name="Peer Course", kind=ResourceKind.TRAINING, website="https://example.org")
    make_resource(name="Hidden Draft", status=PublicationStatus.DRAFT)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Lines to call or text") < html.index("Training and certification")
    assert "Night Line" in html and "Peer Course" in html
    assert "Hidden Draft" not in html
    assert 'href="tel:18006624357"' in html
    assert "Last checked by our team: March 4, 2026" in html
    assert "Last checked by our team: not yet" in html
    assert "Apps" not in html  # kinds with no entries are left out
    assert html.count("<h1") == 1


def test_an_empty_page_says_so(client):
    assert "No resources are listed yet." in client.get(URL).content.decode()


def test_linked_from_the_about_page_footer_and_sitemap(client):
    about = client.get(reverse("about")).content.decode()
    assert about.count(f'href="{URL}"') == 2  # in the page and in the footer
    assert f"{URL}</loc>" in sitemap_text(client)


def test_query_count_is_fixed(client, django_assert_num_queries, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for n in range(5):
        make_resource(name=f"Line {n}")
    with django_assert_num_queries(1):
        client.get(URL)


def test_curators_edit_resources_in_the_admin(client):
    client.force_login(make_staff("curator", "Curators"))
    url = reverse("admin:programs_resource_add")
    response = client.post(
        url,
        {
            "name": "Recovery App",
            "slug": "recovery-app",
            "kind": "app",
            "status": "published",
            "offers": "Counts sober days.",
            "website": "example.org",
        },
    )
    assert response.status_code == 302
    assert Resource.objects.get().website == "https://example.org"
    assert client.get(reverse("admin:programs_resource_changelist")).status_code == 200


def test_demo_data_seeds_national_lines(client):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    html = client.get(URL).content.decode()
    assert "988 Suicide &amp; Crisis Lifeline" in html
    assert "1-800-662-4357" in html
    call_command("seed_demo", verbosity=0)  # idempotent
    assert Resource.objects.filter(slug="988-lifeline").count() == 1
