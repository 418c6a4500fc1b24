"""Choices for filters drawn from the lookup tables, cached briefly.

Fellowships, audiences, languages and meeting types change a few times a year; reading
them on every list page would cost four queries and most of a page's rendering time.
A short expiry keeps a curator's new entry visible within minutes without any signals.
"""

from django.core.cache import cache

CACHE_SECONDS = 120


def _cached(key, build):
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


def fellowship_choices():
    from .models import Fellowship

    return _cached(
        "choices:fellowship",
        lambda: [(f.slug, str(f)) for f in Fellowship.objects.order_by("name")],
    )


def audience_choices():
    from .models import Audience

    return _cached(
        "choices:audience",
        lambda: list(Audience.objects.order_by("name").values_list("slug", "name")),
    )


def language_choices():
    from .models import Language

    return _cached(
        "choices:language",
        lambda: list(Language.objects.order_by("name").values_list("code", "name")),
    )


def meeting_type_choices():
    from .models import MeetingType

    return _cached(
        "choices:meeting-type",
        lambda: [(t.code, t.name) for t in MeetingType.objects.order_by("name")],
    )
