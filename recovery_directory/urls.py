from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

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

# Pages people read: English at these paths, Spanish under /es/.
urlpatterns = i18n_patterns(
    path(
        "",
        views.suggest_language(public_page(views.home, tiles=False), views.home),
        name="home",
    ),
    path(
        "about/peer-support/",
        views.page("pages/about.html", extra_context={"kinds": ProgramKind}),
        name="about",
    ),
    path("privacy/", views.page("pages/privacy.html"), name="privacy"),
    path("accessibility/", views.page("pages/accessibility.html"), name="accessibility"),
    path("browsing-safely/", views.page("pages/safe_browsing.html"), name="safe_browsing"),
    path(
        "open-data/",
        views.page(OpenDataView.template_name, view=OpenDataView),
        name="open_data",
    ),
    path("get-help/", include("referrals.urls")),
    path("", include("programs.urls")),
    path("", include("activities.urls")),
    prefix_default_language=False,
)
# Machine endpoints and the staff admin have one address each, whatever the language.
urlpatterns = [
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
    *urlpatterns,
]

handler404 = "recovery_directory.views.page_not_found"
handler500 = "recovery_directory.views.server_error"
