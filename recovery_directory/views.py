"""Site-wide pages: home, explainers, policies, health check, robots.txt, error pages."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from activities.models import Activity
from programs.filters import starting_soon_q
from programs.models import Meeting, ProgramKind

HOME_TILES = [
    (ProgramKind.TWELVE_STEP, "Meetings that work through the Twelve Steps: AA, NA, CA and more."),
    (ProgramKind.SMART, "Science-based, self-empowering meetings with practical tools."),
    (ProgramKind.SOBER_LIVING, "Substance-free homes with house rules and people who get it."),
    (ProgramKind.DUAL_DIAGNOSIS, "For people living with both addiction and mental illness."),
    (
        ProgramKind.OTHER,
        "LifeRing, Recovery Dharma, Celebrate Recovery and more, each with its approach.",
    ),
]


def default_area_city():
    return settings.DEFAULT_AREA.split(",")[0].strip()


def home(request):
    soon = (
        Meeting.objects.published()
        .filter(starting_soon_q(), temporarily_closed=False)
        .in_city(default_area_city())
        .select_related("program", "location", "program__location")
        .order_by("start_time")[:6]
    )
    return render(
        request,
        "pages/home.html",
        {
            "tiles": [(kind, text) for kind, text in HOME_TILES],
            "starting_soon": soon,
            "default_area": settings.DEFAULT_AREA,
            "upcoming_activities": Activity.objects.published()
            .upcoming()
            .select_related("location")
            .order_by("starts_at")[:3],
        },
    )


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
