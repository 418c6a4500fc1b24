"""The visitor's address, as the rate limiter and the sign-in lockout both see it."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or the header a trusted proxy overwrites (settings.CLIENT_IP_HEADER).

    None when the request carries no address at all (e.g. a login made inside a test).
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        value = request.META.get(header, "").split(",")[0].strip()
        if value:
            return value
    return request.META.get("REMOTE_ADDR") or None
