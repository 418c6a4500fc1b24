"""Choices for filters drawn from the lookup tables, and the types in use, cached.

Only values some listing uses are offered: a meeting type nobody holds would be a dead end
(and the full Meeting Guide list alone is 87 entries of page weight). With a cache every
worker shares, each list is filed under the listings' version number, so a curator's
change shows on the next request; with a cache in each worker's memory, a short expiry
keeps it visible within minutes.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language

from listings.cache import kept_until_change

from .models import Audience, Fellowship, Language, Meeting, MeetingType, Program, TreatmentCenter

CACHE_SECONDS = 120


def _cached(key, build, *, per_language=True):
    # One list per language: the Spanish pages show the Spanish names curators gave.
    if per_language:
        key = f"{key}:{get_language()}"
    return kept_until_change(key, build, CACHE_SECONDS)


def types_in_use():
    """Meeting types some published meeting carries, by name: the glossary's entries.

    Worked out once per version of the listings: at national scale it reads every
    meeting's types (about 220 ms).
    """
    keys = _cached(
        "types-in-use",
        lambda: list(MeetingType.objects.in_use().values_list("pk", flat=True)),
        per_language=False,
    )
    return MeetingType.objects.filter(pk__in=keys)


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


def _meeting_types():
    return _cached(
        "choices:meeting-type",
        lambda: sorted(
            (
                (t.code, t.display_name, t.pk)
                for t in MeetingType.objects.filter(
                    Exists(Meeting.types.through.objects.filter(meetingtype=OuterRef("pk")))
                )
            ),
            key=lambda row: row[1].casefold(),
        ),
    )


def meeting_type_choices():
    return [(code, name) for code, name, _ in _meeting_types()]


def meeting_type_pk(code):
    """The type's key, or None: filtering the join table by a literal key lets PostgreSQL
    use its statistics for that type (common types scan by time, rare ones by type), where
    a join on the code would be estimated alike for every type."""
    return next((pk for c, _, pk in _meeting_types() if c == code), None)


def _named(rows, key):
    """(key, name) pairs in the page's language, in its alphabetical order."""
    pairs = [(getattr(row, key), row.display_name) for row in rows]
    return sorted(pairs, key=lambda pair: pair[1].casefold())
