from django.contrib.sitemaps import Sitemap
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
