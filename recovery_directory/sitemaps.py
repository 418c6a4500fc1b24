"""The sitemap: an index at /sitemap.xml and one file per section and page of 5,000 URLs.

A national directory lists over a hundred thousand pages, more than one sitemap file may
hold (50,000) and more than one request should build.
"""

from collections.abc import Sequence

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.urls import reverse

from activities.models import Activity
from programs.models import Program, ProgramKind, TreatmentCenter


class BothLanguages:
    """Each page in English and Spanish, with hreflang alternates (English the default)."""

    i18n = True
    alternates = True
    x_default = True


class EachLanguage(Sequence):
    """A queryset's rows as (row, language) pairs, read one slice at a time.

    Django's multilingual sitemap lists every pair in memory before paginating them: the
    index alone read all 100,000 programs of a national directory, twice (5.4 s).
    """

    def __init__(self, rows, languages):
        self.rows, self.languages = rows, list(languages)
        self._count = None

    def __len__(self):
        if self._count is None:
            self._count = self.rows.count() * len(self.languages)
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        per_row = len(self.languages)
        first = start // per_row
        rows = self.rows[first : -(-stop // per_row)] if stop > start else []
        pairs = [(row, language) for row in rows for language in self.languages]
        skip = start - first * per_row
        return pairs[skip : skip + max(stop - start, 0)]


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

    @property
    def paginator(self):
        return Paginator(EachLanguage(self.items(), self._languages()), self.limit)

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
