"""The page cache for public pages: whole responses, the same for every visitor.

Every stored page is filed under the listings' version number, kept in the shared cache.
Any change to a listing bumps that number once its transaction commits, so every worker
stops finding the pages stored before the change at the same moment: nothing has to be
found and deleted, and pages can be kept for as long as their clock-dependent parts allow.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.cache import patch_response_headers
from django.views.decorators.cache import cache_page

from .maps import with_map

VERSION_KEY = "listings:version"
# Browsers keep a page only briefly whatever the server does: the server's copy is dropped
# the moment a listing changes, a copy in someone's browser cannot be.
BROWSER_SECONDS = 60
# Apps whose rows appear on public pages and in the feeds.
PUBLIC_APPS = {"listings", "programs", "activities"}
# Rows of those apps that never appear on a public page: saving one changes no page.
PRIVATE_MODELS = {"programs.changerequest"}


def _fresh_number():
    # Microseconds since 1970: larger than any number handed out before, even when the cache
    # has lost the key, so a page stored under an earlier number can never come back.
    return time.time_ns() // 1000


def version():
    """The listings' current version number (any cache backend; None with the dummy cache)."""
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, _fresh_number(), None)
        value = cache.get(VERSION_KEY)
    return value


LOCAL_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def shared_version():
    """The version number, when every process sees the same one; else None.

    A cache in each worker's own memory keeps a number per worker that a change made
    elsewhere (another worker, an import command) never moves: good enough for pages that
    also expire on a timer, not for anything kept only until the number moves.
    """
    if settings.CACHES["default"]["BACKEND"] in LOCAL_BACKENDS:
        return None
    return version()


def bump():
    """Move every worker on to a new version now: the pages stored so far are never served."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no number yet (or evicted): any fresh one differs from the last
        if not cache.add(VERSION_KEY, _fresh_number(), None):
            cache.incr(VERSION_KEY)


def listings_changed(using=None):
    """Call after any write to listings the model signals do not see (update(), bulk_*()).

    The bump waits for the commit: a page rebuilt before then would be stored under the new
    number with the old rows.
    """
    transaction.on_commit(bump, using=using, robust=True)


def on_model_change(sender, using=None, action="post_", **kwargs):
    """post_save, post_delete and m2m_changed receiver (connected in apps.py)."""
    if action.startswith("post_"):
        listings_changed(using)


def public_page(view, tiles=True):
    """A listing page anyone may see: cached whole for PAGE_CACHE_SECONDS, map tiles allowed.

    These pages are the same for every visitor (no cookies, no personal content), so the
    rendered response can be reused until the listings change or PAGE_CACHE_SECONDS pass;
    the time limit is what keeps "starting soon" honest.
    """
    mapped = with_map(view) if tiles else view

    def wrapped(request, *args, **kwargs):
        seconds = settings.PAGE_CACHE_SECONDS  # read per request, so tests can change it
        if not seconds:
            return mapped(request, *args, **kwargs)
        handler = cache_page(seconds, key_prefix=f"v{version()}")(mapped)
        response = handler(request, *args, **kwargs)
        if seconds > BROWSER_SECONDS and not response.streaming:
            response.headers.pop("Expires", None)
            patch_response_headers(response, BROWSER_SECONDS)
        return response

    wrapped.__name__ = getattr(view, "__name__", "view")
    return wrapped
