"""Per-address limits on form submissions, counted in the shared cache.

The cache key holds a keyed hash of the address, never the address itself. Fixed windows
keep it to one cache round trip; the cache is shared by every worker and app server
(settings.CACHES), so a limit holds however many of them answer.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

from .clientip import client_ip


def _key(scope, request, window_start):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), (client_ip(request) or "unknown").encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"{scope}-rate:{digest}:{window_start}"


def hit(request, *, scope, limit, window):
    """Count one submission; True when the address is over the limit (and may not submit)."""
    if limit <= 0:
        return False
    now = int(time.time())
    window_start = now - now % window
    key = _key(scope, request, window_start)
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 60)
        count = 1
    return count > limit


def retry_after(window, now=None):
    now = int(now if now is not None else time.time())
    return window - now % window
