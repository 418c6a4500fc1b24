"""Choices for filters drawn from the lookup tables, cached briefly.

Only values some listing uses are offered: a meeting type nobody holds would be a dead end
(and the full Meeting Guide list alone is 87 entries of page weight). The lists change a
few times a year; a short expiry keeps a curator's change visible within minutes.
"""

from django.core.cache import cache
from django.db.models import Exists, OuterRef

from .models import Audience, Fellowship, Language, Meeting, MeetingType, Program, TreatmentCenter

CACHE_SECONDS = 120


def _cached(key, build):
    return cache.get_or_set(key, build, CACHE_SECONDS)


def fellowship_choices():
    return _cached(
        "choices:fellowship",
        lambda: [
            (f.slug, str(f))
            for f in Fellowship.objects.filter(
                Exists(Program.objects.filter(fellowship=OuterRef("pk")))
            ).order_by("name")
        ],
    )


def audience_choices():
    return _cached(
        "choices:audience",
        lambda: list(
            Audience.objects.filter(
                Exists(Program.audiences.through.objects.filter(audience=OuterRef("pk")))
                | Exists(
                    TreatmentCenter.populations.through.objects.filter(audience=OuterRef("pk"))
                )
            )
            .order_by("name")
            .values_list("slug", "name")
        ),
    )


def language_choices():
    return _cached(
        "choices:language",
        lambda: list(
            Language.objects.filter(
                Exists(Program.languages.through.objects.filter(language=OuterRef("pk")))
                | Exists(TreatmentCenter.languages.through.objects.filter(language=OuterRef("pk")))
            )
            .order_by("name")
            .values_list("code", "name")
        ),
    )


def _meeting_types():
    return _cached(
        "choices:meeting-type",
        lambda: list(
            MeetingType.objects.filter(
                Exists(Meeting.types.through.objects.filter(meetingtype=OuterRef("pk")))
            )
            .order_by("name")
            .values_list("code", "name", "pk")
        ),
    )


def meeting_type_choices():
    return [(code, name) for code, name, _ in _meeting_types()]


def meeting_type_pk(code):
    """The type's key, or None: filtering the join table by a literal key lets PostgreSQL
    use its statistics for that type (common types scan by time, rare ones by type), where
    a join on the code would be estimated alike for every type."""
    return next((pk for c, _, pk in _meeting_types() if c == code), None)
