from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.generic import TemplateView

from listings.cache import public_page
from opendata.views import OpenDataView, meeting_guide_feed
from programs.models import ProgramKind

from . import views
from .sitemaps import SITEMAPS

admin.site.site_header = "Recovery directory administration"
admin.site.site_title = "Recovery directory admin"
admin.site.index_title = "Listings and referrals"

_admin_urls = admin.site.get_urls


def _admin_urls_with_start_page():
    # The curators' start page draws on every app, so it joins the admin's URLs here, at
    # the top of the import order, rather than in any one app's admin.
    start = path("work/", admin.site.admin_view(views.curators_start), name="curators_start")
    return [start, *_admin_urls()]


admin.site.get_urls = _admin_urls_with_start_page

urlpatterns = [
    path("", public_page(views.home, tiles=False), name="home"),
    path(
        "about/peer-support/",
        TemplateView.as_view(
            template_name="pages/about.html", extra_context={"kinds": ProgramKind}
        ),
        name="about",
    ),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path(
        "browsing-safely/",
        TemplateView.as_view(template_name="pages/safe_browsing.html"),
        name="safe_browsing",
    ),
    path("open-data/", OpenDataView.as_view(), name="open_data"),
    path("get-help/", include("referrals.urls")),
    path("health/", views.health, name="health"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("meetings.json", meeting_guide_feed, name="meeting_guide_feed"),
    path("api/hsds/", include("opendata.hsds_urls")),
    path("admin/", admin.site.urls),
    path("", include("programs.urls")),
    path("", include("activities.urls")),
]

handler404 = "recovery_directory.views.page_not_found"
handler500 = "recovery_directory.views.server_error"
