"""The page chrome kept per language and section (recovery_directory/templatetags/kept.py)."""

import re

import pytest
from django.template import Context, Template
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
