"""Site-wide pages: home, explainers, policies, health check, robots.txt, error pages."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from activities.models import Activity
from listings.fragments import Kept
from programs.filters import starting_soon_q
from programs.models import Meeting, ProgramKind

from .templatetags.language_tags import path_in

HOME_TILES = [
    (
        ProgramKind.TWELVE_STEP,
        _("Meetings that work through the Twelve Steps: AA, NA, CA and more."),
    ),
    (ProgramKind.SMART, _("Science-based, self-empowering meetings with practical tools.")),
    (ProgramKind.SOBER_LIVING, _("Substance-free homes with house rules and people who get it.")),
    (ProgramKind.DUAL_DIAGNOSIS, _("For people living with both addiction and mental illness.")),
    (
        ProgramKind.OTHER,
        _("LifeRing, Recovery Dharma, Celebrate Recovery and more, each with its approach."),
    ),
]


def default_area_city():
    return settings.DEFAULT_AREA.split(",")[0].strip()


class LanguageTemplates:
    """A page whose prose is written separately per language: pages/es/about.html for Spanish,
    falling back to the template named (long explanations read better written whole than
    cut into translated sentences)."""

    def get_template_names(self):
        names = super().get_template_names()
        language = translation.get_language()
        if language == settings.LANGUAGE_CODE:
            return names
        return [in_language(name, language) for name in names] + names


def in_language(name, language):
    """ "pages/about.html" as the Spanish page's template: "pages/es/about.html"."""
    folder, _slash, base = name.rpartition("/")
    return f"{folder}/{language}/{base}" if folder else f"{language}/{base}"


def page(template_name, view=TemplateView, **extra):
    """A page of prose (or a view of one), with its per-language templates."""
    localized = type(view.__name__, (LanguageTemplates, view), {})
    return localized.as_view(template_name=template_name, **extra)


def suggest_language(cached, uncached):
    """Offer the home page in the language the browser prefers, when it is the other one.

    Only a suggestion (a link), never a redirect: the address decides the language. The page
    cache leaves Accept-Language out of its keys when USE_I18N is on (it expects the language
    to come from the header), so a page carrying a suggestion is never cached: it is built
    for the few visitors who get one, and everyone else gets the cached page.
    """

    def wrapped(request, *args, **kwargs):
        preferred = browser_language(request)
        request.suggested_language = preferred if preferred != translation.get_language() else ""
        view = uncached if request.suggested_language else cached
        return view(request, *args, **kwargs)

    wrapped.__name__ = getattr(uncached, "__name__", "view")
    return wrapped


def browser_language(request):
    """The first site language the Accept-Language header names, or ""."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _q in parse_accept_lang_header(header):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return ""


def home_lists(city):
    """The meetings in `city` starting soon and the next activities, as of the minute.

    Kept for that minute while the listings' version holds: everyone opening the home page
    in it sees the same, so a process reads them once a minute. A meeting starting this
    very minute stays among those starting soon to the minute's end.
    """

    def read(at):
        # Only the city's zones: a condition for each clock of the whole directory's (eight
        # nationally) cost more to compile than the query takes to run.
        soon = (
            Meeting.objects.published()
            .filter(
                starting_soon_q(at, zones=Meeting.objects.zones_in_city(city)),
                temporarily_closed=False,
            )
            .in_city(city)
            .select_related("program", "location", "program__location")
            # Only what a line shows: Django's cost of compiling and reading a row grows
            # with every column, and the meeting, program and both places have a hundred.
            .only(
                "name",
                "start_time",
                "attendance",
                "program__name",
                "program__slug",
                "location__city",
                "program__location__city",
            )
            .order_by("start_time")[:6]
        )
        activities = (
            Activity.objects.published()
            .upcoming(at)
            .select_related("location")
            .order_by("starts_at")
        )
        return list(soon), list(activities[:3])

    minute = timezone.now().replace(second=0, microsecond=0)
    return _home.get_or_make_while_version((city, minute), lambda: read(minute))


# The home page's lists, per minute (home_lists).
_home = Kept(8)


def home(request):
    soon, activities = home_lists(default_area_city())
    preferred = getattr(request, "suggested_language", "")
    suggested = {"code": preferred, "url": path_in(preferred, request.path)} if preferred else None
    response = render(
        request,
        "pages/home.html",
        {
            "suggested_language": suggested,
            "tiles": [(kind, text) for kind, text in HOME_TILES],
            "starting_soon": soon,
            "default_area": settings.DEFAULT_AREA,
            "upcoming_activities": activities,
        },
    )
    patch_vary_headers(response, ("Accept-Language",))
    return response


@never_cache
@require_GET
def health(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not ready"
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /get-help/",
        "Disallow: /report/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context: the page must not depend on anything that failed.
    from django.template import loader

    body = loader.get_template("500.html").render(
        {
            "SITE_NAME": settings.SITE_NAME,
            "CRISIS_LINES": settings.CRISIS_LINES,
            "ORGANISATION_PHONE": settings.ORGANISATION_PHONE,
        }
    )
    return HttpResponse(body, status=500)


@never_cache
def csrf_failure(request, reason=""):
    """A form sent without its security token (an old tab, cookies blocked): say what to do."""
    return render(request, "403_csrf.html", status=403)


def curators_start(request):
    """What needs doing, for the signed-in staff member (admin_view wraps it in urls.py)."""
    from django.contrib import admin
    from django.template.response import TemplateResponse

    from .workspace import work_for

    context = {
        **admin.site.each_context(request),
        "title": "What needs doing",
        "sections": work_for(request.user),
    }
    return TemplateResponse(request, "admin/curators_start.html", context)
