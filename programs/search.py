"""Keyword search over programs and treatment centres, ranked on PostgreSQL, portable on SQLite.

Views and filters call `search_programs()` / `search_centers()` and get back a queryset with
a `search_rank` annotation, whatever the backend; only this module and listings/search.py
know which database is in use.
"""

from django.db.models import BooleanField, Case, Expression, FloatField, Q, Value, When
from django.db.models.functions import Greatest
from django.utils.translation import get_language

from listings.cache import listings_changed
from listings.fragments import Kept
from listings.search import TRIGRAM_THRESHOLD, is_postgres, terms, weight


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


# --- PostgreSQL: weighted full text plus trigram similarity for misspellings ------------------


# On PostgreSQL a generated, GIN-indexed column holds name (weight A) and search_text
# (weight B) as a tsvector (migration 0009); Django never reads or writes it directly.
PROGRAM_DOCUMENT = "search_document"
# The same, stemmed as Spanish (migration 0010): what words typed on a Spanish page match.
PROGRAM_DOCUMENT_ES = "search_document_es"


def _text_search():
    """(document, configuration) for the page's language: Spanish words on Spanish pages."""
    if get_language() == "es":
        return PROGRAM_DOCUMENT_ES, "spanish"
    return PROGRAM_DOCUMENT, "english"


class _OnDocument(Expression):
    """`template` applied to the program's stored search document and the visitor's words.

    The column is named through the query's own alias for the programs table, so the
    condition stays right when the programs become a subquery (the meetings list filters
    on them): naming "programs_program" there pointed at the outer query's row and had
    PostgreSQL run the search once per meeting (40 s at national scale).
    """

    def __init__(self, template, column, config, words, output_field):
        super().__init__(output_field=output_field)
        self.template, self.column, self.config, self.words = template, column, config, words

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        document = (
            f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name(self.column)}"
        )
        query = f"plainto_tsquery('{self.config}'::regconfig, %s)"
        return self.template.format(document=document, query=query), [self.words]


# Fellowships near each word searched, per process while the listings' version holds.
_similar = Kept(2000)


def _similar_fellowships(word):
    """The keys of the fellowships whose names have a word like `word`."""
    from django.contrib.postgres.search import TrigramWordSimilarity

    from .models import Fellowship

    def read():
        return list(
            Fellowship.objects.annotate(similarity=TrigramWordSimilarity(word, "name"))
            .filter(similarity__gte=TRIGRAM_THRESHOLD)
            .values_list("pk", flat=True)
        )

    return _similar.get_or_make_while_version((word,), read)


def _programs_postgres(queryset, text):
    from django.contrib.postgres.search import TrigramWordSimilarity

    # Each word must be found by full text or, for misspellings such as "alcholics", be
    # trigram-similar to a word of the name or of the fellowship's name. Fellowships are a
    # short table, so their near matches are looked up first.
    document, config = _text_search()
    condition = Q()
    for word in text.split():
        # Near matches among the fellowships' names, read as keys first: as a subquery
        # inside the OR, PostgreSQL could not estimate them and tested every program in
        # turn (0.6 s at national scale) instead of combining three index scans.
        similar_fellowships = _similar_fellowships(word)
        matches = Q(
            _OnDocument("{document} @@ {query}", document, config, word, BooleanField())
        ) | Q(name__trigram_word_similar=word)
        if similar_fellowships:
            matches |= Q(fellowship__in=similar_fellowships)
        condition &= matches
    # A name's likeness to the words ranks the programs full text does not find (a
    # misspelling); those it finds are ranked by full text alone, where a word in the name
    # already counts most (weight A). Working out the likeness for every match as well took
    # two thirds of ranking a common word: 70 ms of the 18,078 matches of "alcoholics".
    found = _OnDocument("{document} @@ {query}", document, config, text, BooleanField())
    rank = _OnDocument("ts_rank({document}, {query})", document, config, text, FloatField())
    likeness = Case(
        When(found, then=Value(0.0)),
        default=TrigramWordSimilarity(text, "name") * 0.5,
        output_field=FloatField(),
    )
    # The related rows come in their own queries: joined into the ranking query, they made
    # PostgreSQL read every program in join order (1.4 s for the 18,000 matches of
    # "alcoholics" at national scale) where ranking the matches alone takes a tenth of that.
    joined = queryset.query.select_related
    related = list(_relation_paths(joined)) if isinstance(joined, dict) else []
    return (
        queryset.filter(condition)
        .annotate(search_rank=rank + likeness)
        .select_related(None)
        .prefetch_related(*related)
    )


def _relation_paths(tree, prefix=""):
    """ "a__b" for each leaf of a select_related tree such as {"a": {"b": {}}}."""
    for name, below in tree.items():
        if below:
            yield from _relation_paths(below, f"{prefix}{name}__")
        else:
            yield f"{prefix}{name}"


def _centers_postgres(queryset, text):
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVector,
        TrigramWordSimilarity,
    )

    config = _text_search()[1]
    query = SearchQuery(text, config=config, search_type="websearch")
    vector = SearchVector("name", weight="A", config=config) + SearchVector(
        "description", weight="C", config=config
    )
    annotations, condition, best = {}, Q(), None
    for i, word in enumerate(text.split()):
        similarity = TrigramWordSimilarity(word, "name")
        annotations[f"search_similarity_{i}"] = similarity
        condition &= Q(search_vector=SearchQuery(word, config=config)) | Q(
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
    rank = Value(0.0, output_field=FloatField())
    q = Q()
    for word in words:
        in_name = Q(name__icontains=word)
        elsewhere = Q(search_text__icontains=word)
        q &= in_name | elsewhere
        rank = rank + weight(in_name, 1.0) + weight(elsewhere, 0.3)
    return queryset.filter(q).annotate(search_rank=rank)


def program_search_text(program, type_names=None):
    """Everything keyword search should find a program by, besides its name (“secular” and
    “faith” among them, through its approach).

    `type_names` are the names of its meetings' types; looked up when not given.
    """
    parts = []
    fellowship = program.fellowship if program.fellowship_id else None
    if fellowship:
        parts += [fellowship.name, fellowship.name_es, fellowship.abbreviation]
    parts.append(program.get_kind_display())
    if program.approach:
        parts.append(program.get_approach_display())
    location = program.location if program.location_id else None
    if location:
        parts.append(location.city)
    if type_names is None and program.pk:
        from .models import MeetingType

        type_names = [
            name
            for pair in MeetingType.objects.filter(meetings__program=program).values_list(
                "name", "name_es"
            )
            for name in pair
        ]
    parts += sorted(set(type_names or ()))
    parts += [program.run_by, program.description]
    return " ".join(p for p in parts if p)


def refresh_search_text(programs):
    """Recompute search_text for many programs at once (after imports or bulk loads)."""
    from .models import Program

    batch = []
    for program in (
        programs.select_related("fellowship", "location")
        .prefetch_related("meetings__types")
        .iterator(chunk_size=2000)
    ):
        types = [
            n for m in program.meetings.all() for t in m.types.all() for n in (t.name, t.name_es)
        ]
        program.search_text = program_search_text(program, types)
        batch.append(program)
        if len(batch) >= 2000:
            Program.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Program.objects.bulk_update(batch, ["search_text"])
    listings_changed()  # searches find other programs now


def _centers_portable(queryset, words):
    rank = Value(0.0, output_field=FloatField())
    q = Q()
    for word in words:
        in_name = Q(name__icontains=word)
        in_rest = Q(description__icontains=word)
        q &= in_name | in_rest
        rank = rank + weight(in_name, 1.0) + weight(in_rest, 0.2)
    return queryset.filter(q).annotate(search_rank=rank)
