import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _

from listings.cache import read_once_per_request
from listings.validators import has_control_characters

logger = logging.getLogger(__name__)

BAD_INPUT = {
    "control": _(
        "The address or the form contained invisible control characters (such as a null "
        "character) that nobody can type. Remove them, or go back and try again."
    ),
    "fields": _(
        "The address or the form had too many parts. Start again from the page you came from."
    ),
    "charset": _(
        "The form was sent in a character encoding this site does not read (it reads UTF-8 "
        "only). Send it again from the page itself, which sends UTF-8."
    ),
    "size": _("The form sent was too large. Shorten it and try again."),
}


class ListingsVersionMiddleware:
    """Each request reads the listings' version once (listings.cache.read_once_per_request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with read_once_per_request():
            return self.get_response(request)


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


def bad_request(request, reason):
    response = render(request, "400.html", {"message": BAD_INPUT[reason]}, status=400)
    response["Cache-Control"] = "no-store"
    return response


class RequestInputMiddleware:
    """Answer a clear 400 to input no browser sends, before any view or form sees it.

    - Query strings (every view) and posted forms with NUL or other control characters:
      PostgreSQL would refuse them mid-query, and no person types them. Views marked
      `validates_own_input` (the public forms) get the post themselves and put the message
      on the answer that holds the character.
    - Too many parameters, a charset Python cannot decode, a body over the size limit:
      Django raises while parsing, and the error page must not parse it all over again.

    It sits before CsrfViewMiddleware, the first to read a POST.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            reason = self.problem(request)
        except (TooManyFieldsSent, TooManyFilesSent):
            reason = "fields"
        except RequestDataTooBig:
            reason = "size"
        except (BadRequest, UnicodeError, LookupError, MultiPartParserError, SuspiciousOperation):
            # Django reads url-encoded forms as UTF-8 only, and says so with BadRequest.
            reason = "charset"
        if reason is None:
            return self.get_response(request)
        # The kind of problem only: the input itself may be anything.
        logger.info("Refused a request with bad input (%s)", reason)
        return bad_request(request, reason)

    def problem(self, request):
        if _has_control_characters(request.GET):
            return "control"
        if request.method != "POST":
            return None
        if _has_control_characters(request.POST) and not self.validates_own_input(request):
            return "control"
        return None

    @staticmethod
    def validates_own_input(request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return getattr(match.func, "validates_own_input", False)


def _has_control_characters(querydict):
    return any(
        has_control_characters(key) or any(has_control_characters(v) for v in values)
        for key, values in querydict.lists()
    )


class CachingPolicyMiddleware:
    """What browsers and shared caches may keep, decided once for the whole site.

    - Every admin response is `no-store`, error pages and the lockout page included: they
      show referrals, listings under edit and who is signed in.
    - A public page answered to signed-in staff is `private`: shared caches must not keep
      a response given to a session, though the page itself is the same for everyone.

    Only requests that carry a session cookie look the user up, so anonymous responses stay
    free of `Vary: Cookie` and the session store is never touched for them.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.admin_path()):
            add_never_cache_headers(response)
        elif settings.SESSION_COOKIE_NAME in request.COOKIES and self.signed_in(request):
            patch_cache_control(response, private=True)  # replaces any "public"
        return response

    def admin_path(self):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        return self.admin_prefix

    @staticmethod
    def signed_in(request):
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated


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
