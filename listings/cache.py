"""The page cache for public pages: whole responses, the same for every visitor."""

from django.conf import settings
from django.views.decorators.cache import cache_page

from .maps import with_map


def public_page(view, tiles=True):
    """A listing page anyone may see: cached whole for PAGE_CACHE_SECONDS, map tiles allowed.

    These pages are the same for every visitor (no cookies, no personal content), so the
    rendered response can be reused; the short lifetime keeps "starting soon" honest.
    """
    mapped = with_map(view) if tiles else view

    def wrapped(request, *args, **kwargs):
        seconds = settings.PAGE_CACHE_SECONDS  # read per request, so tests can change it
        handler = cache_page(seconds)(mapped) if seconds else mapped
        return handler(request, *args, **kwargs)

    wrapped.__name__ = getattr(view, "__name__", "view")
    return wrapped
