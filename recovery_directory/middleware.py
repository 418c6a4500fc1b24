import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation
from django.utils.cache import patch_vary_headers


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


class LanguageFromPathMiddleware:
    """Choose the language from the URL alone: /es/... is Spanish, everything else English.

    Django's LocaleMiddleware would also consult a language cookie; visitors get no cookies,
    so the address is the only memory of the choice (and every page is a shareable link in
    the language it was read in). The admin is the one exception: staff whose browser asks
    for Spanish get Django's Spanish admin, still without a cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from_path = translation.get_language_from_path(request.path_info)
        staff_pages = request.path_info.startswith("/admin/")
        if from_path:
            language = from_path
        elif staff_pages:
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            # The thread serves other requests next: none may inherit this one's language.
            translation.deactivate()
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        if staff_pages:
            patch_vary_headers(response, ("Accept-Language",))
        return response
