"""Keyword search over listings, ranked on PostgreSQL, portable on SQLite.

This module is the one place that knows which database is in use: views and filters call
`search_programs()` / `search_centers()` and get back a queryset with a `search_rank`
annotation, whatever the backend.
"""

import re

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

MAX_QUERY_LENGTH = 200
# Words too short to narrow anything; searching them only slows SQLite's LIKE scans.
MIN_TERM_LENGTH = 2
MAX_TERMS = 8
# Word similarity at or above this counts as a match: "alcholics" ~ "Alcoholics" is 0.6.
TRIGRAM_THRESHOLD = 0.5


def normalise_query(text):
    """Trim hostile or accidental input to something worth searching for."""
    text = (text or "")[:MAX_QUERY_LENGTH]
    text = re.sub(r"[^\w\s'&+-]", " ", text)
    return " ".join(text.split())


def terms(text):
    return [t for t in normalise_query(text).split() if len(t) >= MIN_TERM_LENGTH][:MAX_TERMS]


def is_postgres():
    return connection.vendor == "postgresql"


def search_programs(queryset, text):
    """Programs matching `text`, annotated with `search_rank` (higher is better)."""
    words = terms(text)
    if not words:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if is_postgres():
        return _programs_postgres(queryset, " ".join(words))
    return _programs_portable(queryset, words)


def search_centers(queryset, text):
    words = terms(text)
    if not words:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if is_postgres():
        return _centers_postgres(queryset, " ".join(words))
    return _centers_portable(queryset, words)


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


# --- PostgreSQL: weighted full text plus trigram similarity for misspellings ------------------


def _programs_postgres(queryset, text):
    from django.contrib.postgres.aggregates import StringAgg
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVector,
        TrigramWordSimilarity,
    )

    from .models import MeetingType

    query = SearchQuery(text, config="english", search_type="websearch")
    # Meeting type names ("Women", "Speaker") come from a correlated subquery rather than a
    # join, so a program with many meetings is neither repeated nor over-weighted.
    type_names = (
        MeetingType.objects.filter(meetings__program=OuterRef("pk"))
        .values("meetings__program")
        .annotate(joined=StringAgg("name", delimiter=" ", distinct=True))
        .values("joined")[:1]
    )
    queryset = queryset.annotate(
        search_types=Coalesce(Subquery(type_names), Value(""), output_field=TextField())
    )
    vector = (
        SearchVector("name", weight="A", config="english")
        + SearchVector(Coalesce("fellowship__name", Value("")), weight="B", config="english")
        + SearchVector(Coalesce("fellowship__abbreviation", Value("")), weight="B", config="simple")
        + SearchVector("search_types", weight="B", config="english")
        + SearchVector("description", weight="C", config="english")
        + SearchVector("run_by", weight="C", config="english")
        + SearchVector(Coalesce("location__city", Value("")), weight="C", config="simple")
    )
    # Each word must be found by full text or, for misspellings such as "alcholics", be
    # trigram-similar to a word of the name or fellowship. Matching word by word keeps a
    # long query from fuzzily matching a different fellowship.
    annotations, condition, best = {}, Q(), None
    for i, word in enumerate(text.split()):
        similarity = Greatest(
            TrigramWordSimilarity(word, "name"),
            TrigramWordSimilarity(word, Coalesce("fellowship__name", Value(""))),
        )
        annotations[f"search_similarity_{i}"] = similarity
        condition &= Q(search_vector=SearchQuery(word, config="english")) | Q(
            **{f"search_similarity_{i}__gte": TRIGRAM_THRESHOLD}
        )
        best = similarity if best is None else Greatest(best, similarity)
    return (
        queryset.annotate(search_vector=vector, **annotations)
        .filter(condition)
        .annotate(search_rank=SearchRank(vector, query) + best * 0.5)
    )


def _centers_postgres(queryset, text):
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVector,
        TrigramWordSimilarity,
    )

    query = SearchQuery(text, config="english", search_type="websearch")
    vector = SearchVector("name", weight="A", config="english") + SearchVector(
        "description", weight="C", config="english"
    )
    annotations, condition, best = {}, Q(), None
    for i, word in enumerate(text.split()):
        similarity = TrigramWordSimilarity(word, "name")
        annotations[f"search_similarity_{i}"] = similarity
        condition &= Q(search_vector=SearchQuery(word, config="english")) | Q(
            **{f"search_similarity_{i}__gte": TRIGRAM_THRESHOLD}
        )
        best = similarity if best is None else Greatest(best, similarity)
    return (
        queryset.annotate(search_vector=vector, **annotations)
        .filter(condition)
        .annotate(search_rank=SearchRank(vector, query) + best * 0.5)
    )


# --- Portable path (SQLite): every word must appear somewhere; rank by where it appears -------


def _programs_portable(queryset, words):
    from .models import MeetingType

    rank = Value(0.0, output_field=FloatField())
    q = Q()
    for word in words:
        has_type = Exists(
            MeetingType.objects.filter(meetings__program=OuterRef("pk"), name__icontains=word)
        )
        in_name = Q(name__icontains=word)
        in_fellowship = Q(fellowship__name__icontains=word) | Q(
            fellowship__abbreviation__iexact=word
        )
        in_rest = (
            Q(description__icontains=word)
            | Q(run_by__icontains=word)
            | Q(location__city__icontains=word)
        )
        q &= in_name | in_fellowship | in_rest | Q(has_type)
        rank = (
            rank
            + _weight(in_name, 1.0)
            + _weight(in_fellowship, 0.6)
            + _weight(Q(has_type), 0.4)
            + _weight(in_rest, 0.2)
        )
    return queryset.filter(q).annotate(search_rank=rank)


def _centers_portable(queryset, words):
    rank = Value(0.0, output_field=FloatField())
    q = Q()
    for word in words:
        in_name = Q(name__icontains=word)
        in_rest = Q(description__icontains=word)
        q &= in_name | in_rest
        rank = rank + _weight(in_name, 1.0) + _weight(in_rest, 0.2)
    return queryset.filter(q).annotate(search_rank=rank)


def _weight(condition, weight):
    return Case(When(condition, then=Value(weight)), default=Value(0.0), output_field=FloatField())
