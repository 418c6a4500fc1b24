"""Admin sign-in lockout: per account *and* address together, longer each time it recurs.

django-axes counts failures in the shared cache (AxesCacheHandler) for each pair of username
and address, so five wrong passwords typed against a coordinator's name from somewhere else
never lock that coordinator out at their own desk. Each new lockout of the same pair within a
day lasts twice as long as the one before (AXES_COOLOFF_TIME points at `cool_off`).

Lockouts can be lifted early from the Users admin. Cache keys are hashes, so to find every
pair of an account the addresses that failed for it are remembered for a day beside them.
"""

import datetime
import hashlib

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_cache_keys, get_client_username, get_failure_limit
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

from listings.clientip import client_ip

MEMORY_SECONDS = 24 * 60 * 60
MAX_ADDRESSES = 200


def _digest(*parts):
    return hashlib.sha256("\0".join(p or "" for p in parts).encode()).hexdigest()[:40]


def _strikes_key(username, address):
    return f"signin-strikes:{_digest(username, address)}"


def _addresses_key(username):
    return f"signin-addresses:{_digest(username)}"


def _pair(request, credentials=None):
    if request is None or not hasattr(request, "POST"):
        return None, None
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    return username, address


def duration(strikes):
    """How long the `strikes`-th lockout lasts: the base, doubled for each one before it."""
    base = datetime.timedelta(minutes=settings.AXES_COOLOFF_BASE_MINUTES)
    longest = datetime.timedelta(minutes=settings.AXES_COOLOFF_MAX_MINUTES)
    return min(base * 2 ** min(max(strikes - 1, 0), 20), longest)


def cool_off(request=None):
    """AXES_COOLOFF_TIME: the lockout this username and address pair has earned so far."""
    username, address = _pair(request, getattr(request, "axes_credentials", None))
    if username is None:
        return duration(0)
    return duration(cache.get(_strikes_key(username, address), 0))


@receiver(user_login_failed)
def remember_address(sender, credentials, request=None, **kwargs):
    username, address = _pair(request, credentials)
    if not username or not address:
        return
    key = _addresses_key(username)
    addresses = [a for a in cache.get(key, []) if a != address][-MAX_ADDRESSES + 1 :]
    cache.set(key, [*addresses, address], MEMORY_SECONDS)


@receiver(user_locked_out)
def escalate(sender, request=None, username=None, ip_address=None, **kwargs):
    """Count a new lockout, and make the failure counter last the longer cool-off it earns.

    A request refused while already locked out carries no failure count: it is not a new
    lockout (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off, so it is not counted).
    """
    if request is None or not username:
        return
    credentials = getattr(request, "axes_credentials", None)
    failures = getattr(request, "axes_failures_since_start", None) or 0
    if failures < get_failure_limit(request, credentials):
        return
    key = _strikes_key(username, ip_address)
    strikes = cache.get(key, 0) + 1
    cache.set(key, strikes, MEMORY_SECONDS + int(duration(strikes).total_seconds()))
    seconds = int(duration(strikes).total_seconds())
    for counter in get_client_cache_keys(request, credentials):
        cache.touch(counter, seconds)


@receiver(user_logged_in)
def forgive(sender, request, user, **kwargs):
    if request is None:
        return
    cache.delete(_strikes_key(user.get_username(), client_ip(request)))


def unlock(username):
    """Lift every lockout of this account, from whatever address; the number lifted."""
    addresses = cache.get(_addresses_key(username), [])
    lifted = 0
    for address in addresses:
        lifted += bool(AxesProxyHandler.reset_attempts(ip_address=address, username=username))
        cache.delete(_strikes_key(username, address))
    cache.delete(_addresses_key(username))
    return lifted
