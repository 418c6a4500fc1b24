"""The sitemap: an index at /sitemap.xml and one file per section and page of 5,000 URLs.

A national directory lists over a hundred thousand pages, more than one sitemap file may
hold (50,000) and more than one request should build.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from activities.models import Activity
from programs.models import Program, ProgramKind, TreatmentCenter


class BothLanguages:
    """Each page in English and Spanish, with hreflang alternates (English the default)."""

    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(BothLanguages, Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "about",
            "programs:list",
            "programs:which_fits_me",
            "programs:meeting_types",
            "programs:center_list",
            "programs:resources",
            "activities:list",
            "privacy",
            "accessibility",
            "safe_browsing",
            "open_data",
        ]

    def location(self, item):
        return reverse(item)


class KindSitemap(BothLanguages, Sitemap):
    changefreq = "daily"

    def items(self):
        return list(ProgramKind)

    def location(self, item):
        return reverse("programs:kind", kwargs={"kind": item.value})


class ProgramSitemap(BothLanguages, Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Program.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at

    def get_latest_lastmod(self):
        # For the index: one aggregate, where Django's default reads every row of the section.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class CenterSitemap(ProgramSitemap):
    def items(self):
        return TreatmentCenter.objects.published().only("slug", "updated_at").order_by("pk")


class ActivitySitemap(ProgramSitemap):
    def items(self):
        return Activity.objects.published().upcoming().only("slug", "updated_at").order_by("pk")


SITEMAPS = {
    "pages": StaticSitemap,
    "kinds": KindSitemap,
    "programs": ProgramSitemap,
    "centres": CenterSitemap,
    "activities": ActivitySitemap,
}
