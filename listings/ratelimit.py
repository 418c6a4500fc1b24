"""Per-address limits on form submissions, counted in the shared cache.

The cache key holds a keyed hash of the address, never the address itself. Counts are kept
per fixed window, but a submission is judged on a sliding window: the previous window's
count, weighted by how much of it still lies within the last `window` seconds, plus the
current one's. A plain fixed window would forget everything at each boundary, letting
twice the limit through around it. The cache is shared by every worker and app server
(settings.CACHES), so a limit holds however many of them answer.
"""

import hashlib
import hmac
import math
import time

from django.conf import settings
from django.core.cache import cache

from .clientip import client_ip


def _key(scope, request, window_index):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), (client_ip(request) or "unknown").encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"{scope}-rate:{digest}:{window_index}"


def hit(request, *, scope, limit, window, now=None):
    """Count one submission from the request's address.

    Returns 0 when the submission may go ahead, otherwise the whole seconds until one
    would be let through again (for a Retry-After header). Refused submissions count too,
    so an address that keeps hammering stays refused.
    """
    if limit <= 0:
        return 0
    now = time.time() if now is None else now
    index, into = divmod(now, window)
    current_key = _key(scope, request, int(index))
    # Each count must outlive the window after its own, where it is still weighed.
    timeout = 2 * window + 60
    cache.add(current_key, 0, timeout=timeout)
    try:
        current = cache.incr(current_key)
    except ValueError:  # evicted between add and incr
        cache.set(current_key, 1, timeout=timeout)
        current = 1
    previous = cache.get(_key(scope, request, int(index) - 1), 0)
    if current + previous * (1 - into / window) <= limit:
        return 0
    return _wait(current, previous, limit, window, into)


def _wait(current, previous, limit, window, into):
    """Seconds until one more submission fits, if none is made meanwhile."""
    left = window - into
    room = limit - current - 1  # what the previous window's weight must fall to
    if room >= 0 and previous > room:
        # Within this window, as the previous one's weight slides away...
        within = (previous - room) * window / previous - into
        if within < left:
            return max(1, math.ceil(within))
    # ...or in the next, where this window's count becomes the one weighed.
    over = max(0, current - (limit - 1))
    return max(1, math.ceil(left + over * window / current))
