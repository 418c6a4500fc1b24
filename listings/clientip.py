"""The visitor's address, as the rate limiter and the sign-in lockout both see it."""

import ipaddress

from django.conf import settings


def _address(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """REMOTE_ADDR, or the header a trusted proxy sets (settings.CLIENT_IP_HEADER).

    From a list (X-Forwarded-For) the last address is taken: it is the one our proxy added,
    while anything before it came from the client and could be made up. None when the
    request carries no address at all (e.g. a login made inside a test).
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        value = request.META.get(header, "").split(",")[-1]
        address = _address(value)
        if address:
            return address
    return request.META.get("REMOTE_ADDR") or None
