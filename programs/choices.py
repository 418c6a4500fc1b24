"""Choices for filters drawn from the lookup tables, cached briefly.

Only values some listing uses are offered: a meeting type nobody holds would be a dead end
(and the full Meeting Guide list alone is 87 entries of page weight). The lists change a
few times a year; a short expiry keeps a curator's change visible within minutes.
"""

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language

from .models import Audience, Fellowship, Language, Meeting, MeetingType, Program, TreatmentCenter

CACHE_SECONDS = 120


def _cached(key, build):
    # One list per language: the Spanish pages show the Spanish names curators gave.
    return cache.get_or_set(f"{key}:{get_language()}", build, CACHE_SECONDS)


def fellowship_choices():
    return _cached(
        "choices:fellowship",
        lambda: sorted(
            (
                (f.slug, f.display_label)
                for f in Fellowship.objects.filter(
                    Exists(Program.objects.filter(fellowship=OuterRef("pk")))
                )
            ),
            key=lambda pair: pair[1].casefold(),
        ),
    )


def audience_choices():
    return _cached(
        "choices:audience",
        lambda: _named(
            Audience.objects.filter(
                Exists(Program.audiences.through.objects.filter(audience=OuterRef("pk")))
                | Exists(
                    TreatmentCenter.populations.through.objects.filter(audience=OuterRef("pk"))
                )
            ),
            "slug",
        ),
    )


def language_choices():
    return _cached(
        "choices:language",
        lambda: _named(
            Language.objects.filter(
                Exists(Program.languages.through.objects.filter(language=OuterRef("pk")))
                | Exists(TreatmentCenter.languages.through.objects.filter(language=OuterRef("pk")))
                # Always offered: the Spanish pages link to it, and groups that list a
                # Spanish-language meeting (type S) count even when no program says so.
                | Q(code="es")
            ),
            "code",
        ),
    )


def meeting_type_choices():
    return _cached(
        "choices:meeting-type",
        lambda: [
            (t.code, t.display_name)
            for t in MeetingType.objects.filter(
                Exists(Meeting.types.through.objects.filter(meetingtype=OuterRef("pk")))
            ).order_by("name")
        ],
    )


def _named(rows, key):
    """(key, name) pairs in the page's language, in its alphabetical order."""
    pairs = [(getattr(row, key), row.display_name) for row in rows]
    return sorted(pairs, key=lambda pair: pair[1].casefold())
