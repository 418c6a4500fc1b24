"""The page cache for public pages: whole responses, the same for every visitor.

Every stored page is filed under the listings' version number, kept in the shared cache.
Any change to a listing bumps that number once its transaction commits, so every worker
stops finding the pages stored before the change at the same moment: nothing has to be
found and deleted, and pages can be kept for as long as their clock-dependent parts allow.
"""

import contextvars
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import signals
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


# The version this request has read, once it has (see read_once_per_request).
_seen = contextvars.ContextVar("listings_version_seen", default=None)


def version():
    """The listings' current version number (any cache backend; None with the dummy cache).

    Within read_once_per_request(), the first reading holds for the rest of the request.
    """
    seen = _seen.get()
    if seen:
        return seen[0]
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, _fresh_number(), None)
        value = cache.get(VERSION_KEY)
    if seen is not None:
        seen.append(value)
    return value


@contextmanager
def read_once_per_request():
    """Read the version at most once in this block: one request's page cache, filter
    choices and feed all then ask the shared cache once between them, and a change made
    meanwhile shows from the next request on, never halfway through a page."""
    token = _seen.set([])
    try:
        yield
    finally:
        _seen.reset(token)


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


# Kept until a listing changes; the expiry only clears values of versions long gone.
VERSIONED_SECONDS = 24 * 60 * 60
# This process's copy of each value kept_until_change() has read, with its version.
_kept = {}


def kept_until_change(key, build, seconds=None):
    """`build()`'s value, worked out again only once a listing has changed.

    With a cache every process shares, the value is filed under the version number and this
    process keeps its own copy for as long as the number holds, so a page that asks for
    several such values reads the cache once (for the number). With a cache in each
    process's memory, which a change made elsewhere never reaches, it expires after
    `seconds` instead, or is worked out every time when no `seconds` are given.
    """
    number = shared_version()
    if number is None:
        return build() if seconds is None else cache.get_or_set(key, build, seconds)
    kept = _kept.get(key)
    if kept is not None and kept[0] == number:
        return kept[1]
    value = cache.get_or_set(f"{key}:v{number}", build, VERSIONED_SECONDS)
    _kept[key] = (number, value)
    return value


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
    number with the old rows. Each changed row adds one (a cache increment at commit); a
    command that changes thousands of rows at once uses bulk_changes() instead.
    """
    transaction.on_commit(bump, using=using, robust=True)


def on_model_change(sender, using=None, action="post_", **kwargs):
    """post_save, post_delete and m2m_changed receiver (see follow_changes)."""
    if action.startswith("post_"):
        listings_changed(using)


def _followed():
    """(signal, model) for every table the public pages read."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label not in PUBLIC_APPS or meta.label_lower in PRIVATE_MODELS:
            continue
        # Many-to-many tables are followed through m2m_changed only; the importers' direct
        # writes to them call listings_changed().
        if meta.auto_created:
            yield signals.m2m_changed, model
        else:
            yield signals.post_save, model
            yield signals.post_delete, model


def follow_changes():
    """Bump the version on every change to a listing (called when the app is ready).

    Each model is named as the sender: a receiver for every model would stop Django's fast
    path for bulk deletes everywhere, not only on these tables.
    """
    for signal, model in _followed():
        signal.connect(on_model_change, sender=model)


@contextmanager
def bulk_changes():
    """For a command that deletes or writes many rows at once, never in a web process.

    A receiver on a model makes Django load and signal every row a queryset delete removes;
    without them, the delete is one statement. The version moves once, at the end.
    """
    for signal, model in _followed():
        signal.disconnect(on_model_change, sender=model)
    try:
        yield
    finally:
        follow_changes()
        listings_changed()


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
