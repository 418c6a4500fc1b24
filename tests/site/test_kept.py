"""The page chrome kept per language and section (recovery_directory/templatetags/kept.py)."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def current_link(html):
    return re.search(r'<a[^>]*href="([^"]*)"[^>]*aria-current="page"', html).group(1)


def test_the_header_marks_the_section_of_each_page(client):
    assert current_link(client.get(reverse("programs:list")).content.decode()) == "/programs/"
    centres = client.get(reverse("programs:center_list")).content.decode()
    assert current_link(centres) == "/treatment-centres/"
    assert current_link(client.get("/es/programs/").content.decode()) == "/es/programs/"


def test_each_page_switches_language_to_itself(client):
    html = client.get("/programs/?day=2").content.decode()
    assert 'href="/es/programs/?day=2" lang="es" hreflang="es">Español' in html
    html = client.get("/treatment-centres/").content.decode()
    assert 'href="/es/treatment-centres/" lang="es"' in html
    assert "/es/programs/?day=2" not in html


def test_the_chrome_is_written_in_each_language(client):
    assert "Crisis lines" in client.get("/programs/").content.decode()
    spanish = client.get("/es/programs/").content.decode()
    assert "Crisis lines" not in spanish
    assert 'href="/es/privacy/"' in spanish


def test_a_changed_setting_shows_at_once(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the page, not a copy the page cache kept
    assert "Recovery Line Test" not in client.get("/").content.decode()
    settings.ORGANISATION_NAME = "Recovery Line Test"
    assert "Recovery Line Test" in client.get("/").content.decode()


def test_kept_parts_vary_by_the_values_named_and_nothing_else():
    template = Template("{% load kept %}{% kept section %}{{ section }} {{ other }}{% endkept %}")
    assert template.render(Context({"section": "a", "other": 1})) == "a 1"
    assert template.render(Context({"section": "b", "other": 2})) == "b 2"
    # Anything not named is what it was the first time: only what never changes belongs inside.
    assert template.render(Context({"section": "a", "other": 3})) == "a 1"
    with translation.override("es"):
        assert template.render(Context({"section": "a", "other": 4})) == "a 4"


def test_keptfor_writes_a_part_once_per_key_and_language():
    template = Template("{% load kept %}{% keptfor key %}{{ shown }}{% endkeptfor %}")

    def render(key, shown, language="en"):
        with translation.override(language):
            return template.render(Context({"key": key, "shown": shown}))

    assert render(("a", 1), "first") == "first"
    assert render(("a", 1), "second") == "first"  # kept for the key
    assert render(("a", 2), "third") == "third"  # another key: written
    assert render(("a", 1), "fourth", "es") == "fourth"  # another language: written
    assert render(None, "fifth") == "fifth" and render(None, "sixth") == "sixth"
    assert (
        Template("{% load kept %}{% keptfor nothing %}x{% endkeptfor %}").render(Context()) == "x"
    )


def test_keptpage_keeps_apart_from_keptfor():
    from recovery_directory.templatetags import kept

    page = Template("{% load kept %}{% keptpage key %}{{ shown }}{% endkeptpage %}")
    part = Template("{% load kept %}{% keptfor key %}{{ shown }}{% endkeptfor %}")
    assert part.render(Context({"key": ("k",), "shown": "form"})) == "form"
    assert page.render(Context({"key": ("k",), "shown": "body"})) == "body"
    assert page.render(Context({"key": ("k",), "shown": "changed"})) == "body"  # kept
    # Many pages read one after the other empty the pages' store, not the parts'.
    for n in range(kept._kept_pages.limit + 1):
        page.render(Context({"key": ("page", n), "shown": n}))
    assert part.render(Context({"key": ("k",), "shown": "changed"})) == "form"
    with pytest.raises(TemplateSyntaxError):
        Template("{% load kept %}{% keptpage %}x{% endkeptpage %}")


def test_a_list_keeps_its_filter_form_until_a_listing_changes(
    client, settings, shared_cache, django_capture_on_commit_callbacks
):
    from programs.models import Fellowship
    from tests.factories import make_program

    def form(url):
        html = client.get(url).content.decode()
        return re.search(r'<form method="get".*?</form>', html, re.S).group()

    settings.PAGE_CACHE_SECONDS = 0  # each request builds its page
    url = reverse("programs:list") + "?kind=12-step"
    first = form(url)
    assert form(url + "&page=2") == first  # every page of the choice shows the same form
    with django_capture_on_commit_callbacks(execute=True):
        fellowship = Fellowship.objects.create(name="Gamblers Together", slug="gamblers-together")
        make_program(name="Tuesday Gamblers", fellowship=fellowship)
    assert "Gamblers Together" in form(url) and "Gamblers Together" not in first
