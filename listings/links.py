"""Addresses of listing pages, without a pass through the URL resolver for each link.

A list page links every card, its map marker and its structured data to the listing's
page, and a sitemap file names thousands of pages in both languages; `reverse()` costs
tens of microseconds each time. The address of a listing's page is the same around its
slug whatever the slug, so it is worked out once per page kind, language and URL setup.
"""

from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# A slug no listing has: it marks where the slug goes in the reversed address.
_MARK = "slug-goes-here"


@lru_cache(maxsize=64)
def _around_slug(view_name, language, script_prefix, urlconf):
    before, _mark, after = reverse(view_name, kwargs={"slug": _MARK}).partition(_MARK)
    return before, after


def slug_url(view_name, slug):
    """The same as reverse(view_name, kwargs={"slug": slug})."""
    before, after = _around_slug(
        view_name, get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    )
    return f"{before}{quote(slug)}{after}"
