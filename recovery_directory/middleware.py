import time

from django.conf import settings
from django.contrib.auth import logout


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class SessionLifetimeMiddleware:
    """End a signed-in session a fixed time after sign-in, however active it has been.

    The idle timeout comes from SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST; this adds
    the absolute limit (SESSION_ABSOLUTE_SECONDS). Anonymous visitors have no session and are
    not touched, so they still get no cookie.
    """

    KEY = "_signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(self.KEY)
            if started is None:
                request.session[self.KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)
