"""Keyword search over activities: every word must appear in one of the fields people know."""

from django.db.models import Q

from listings.search import terms


def search_activities(queryset, text):
    words = terms(text)
    if not words:
        return queryset
    q = Q()
    for word in words:
        q &= (
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(location__city__icontains=word)
            | Q(host_program__name__icontains=word)
            | Q(host_center__name__icontains=word)
        )
    return queryset.filter(q)
