"""A per-address limit on referral submissions, counted in the shared cache.

The cache key holds a keyed hash of the address, never the address itself. Fixed windows
keep it to one cache round trip; with several app servers the cache must be shared.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

from listings.clientip import client_ip


def _key(request, window_start):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), (client_ip(request) or "unknown").encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"referral-rate:{digest}:{window_start}"


def hit(request):
    """Count one submission; True when the address is over the limit (and may not submit)."""
    limit, window = settings.REFERRAL_RATE_LIMIT, settings.REFERRAL_RATE_WINDOW_SECONDS
    if limit <= 0:
        return False
    now = int(time.time())
    window_start = now - now % window
    key = _key(request, window_start)
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 60)
        count = 1
    return count > limit


def retry_after(now=None):
    window = settings.REFERRAL_RATE_WINDOW_SECONDS
    now = int(now if now is not None else time.time())
    return window - now % window
