"""Listing addresses built around the slug match Django's own reverse()."""

import pytest
from django.urls import reverse
from django.utils import translation

from listings.links import slug_url


@pytest.mark.parametrize(
    "view_name", ["programs:program_detail", "programs:center_detail", "activities:detail"]
)
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("slug", ["downtown-group", "a", "group-2", "slug_goes_here-2"])
def test_the_same_address_as_reverse(view_name, language, slug):
    with translation.override(language):
        assert slug_url(view_name, slug) == reverse(view_name, kwargs={"slug": slug})


def test_each_language_keeps_its_own_prefix():
    with translation.override("es"):
        spanish = slug_url("programs:program_detail", "downtown-group")
    english = slug_url("programs:program_detail", "downtown-group")
    assert spanish == "/es" + english
