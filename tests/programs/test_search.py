import pytest
from django.db import connection

from listings.search import normalise_query
from programs.models import Fellowship, Program, ProgramKind
from programs.search import search_centers, search_programs
from tests.factories import make_center, make_meeting, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def programs():
    aa = Fellowship.objects.get(slug="aa")
    na = Fellowship.objects.get(slug="na")
    big_book = make_program(
        name="Big Book Study", fellowship=aa, description="We read the basic text together."
    )
    serenity = make_program(
        name="Serenity Seekers", fellowship=aa, description="A friendly speaker meeting."
    )
    make_meeting(program=serenity, types=["SP", "W"])
    clean = make_program(
        name="Clean and Free",
        fellowship=na,
        description="Narcotics Anonymous group reading the big book of NA.",
    )
    make_program(name="Sunrise Yoga", description="Stretching for the body.")
    return {"big_book": big_book, "serenity": serenity, "clean": clean}


def ranked(text):
    return list(
        search_programs(Program.objects.published(), text)
        .order_by("-search_rank", "name")
        .values_list("name", flat=True)
    )


def test_name_outranks_description(programs):
    results = ranked("big book")
    assert results[0] == "Big Book Study"
    assert "Clean and Free" in results
    assert "Sunrise Yoga" not in results


def test_fellowship_names_and_abbreviations_match(programs):
    assert set(ranked("Alcoholics Anonymous")) == {"Big Book Study", "Serenity Seekers"}


def test_meeting_type_names_are_searchable(programs):
    assert ranked("speaker") == ["Serenity Seekers"]
    assert "Serenity Seekers" in ranked("women")


def test_approaches_are_searchable(programs):
    for name, slug in (
        ("Thursday Circle", "women-for-sobriety"),
        ("Sitting Group", "refuge-recovery"),
    ):
        make_program(
            name=name,
            kind=ProgramKind.OTHER,
            fellowship=Fellowship.objects.get(slug=slug),
            description="We meet weekly.",
        )
    assert ranked("secular") == ["Thursday Circle"]
    assert ranked("buddhist") == ["Sitting Group"]


def test_each_program_appears_once_whatever_its_meetings(programs):
    for _ in range(3):
        make_meeting(program=programs["serenity"], types=["SP"])
    results = ranked("speaker")
    assert results.count("Serenity Seekers") == 1


def test_hostile_and_huge_queries_are_trimmed(programs):
    assert normalise_query("x" * 10_000) == "x" * 200
    assert normalise_query("'; DROP TABLE programs_program; --") == (
        "' DROP TABLE programs_program --"
    )
    # Nothing searchable left: every published program, unranked.
    assert sorted(ranked("%%% <>")) == sorted(
        Program.objects.published().values_list("name", flat=True)
    )


def test_centres_are_searchable(programs):
    make_center(name="Harbor Recovery Clinic", description="Outpatient care.")
    make_center(name="Lakeside")
    from programs.models import TreatmentCenter

    names = search_centers(TreatmentCenter.objects.all(), "harbor").values_list("name", flat=True)
    assert list(names) == ["Harbor Recovery Clinic"]


@pytest.mark.postgres_only
def test_misspellings_match_on_postgres(programs):
    assert set(ranked("alcholics")) == {"Big Book Study", "Serenity Seekers"}
    assert "Serenity Seekers" in ranked("serentiy")


@pytest.mark.postgres_only
def test_a_misspelling_ranks_by_likeness_to_the_name_and_full_text_by_its_weights():
    make_program(name="Serenity Circle Group", description="Steps and traditions.")
    make_program(name="Sunday Serenity", description="Serenity prayer, then sharing.")
    make_program(name="Dawn Patrol", description="We close with the serenity prayer.")
    # Found by full text: the name's weight first, then how often the word comes.
    assert ranked("serenity") == ["Sunday Serenity", "Serenity Circle Group", "Dawn Patrol"]
    # Misspelt, full text finds nothing: the names most like the word come first, ahead of
    # the alphabet ("serene" is nearer "serenety" than "serenity" is).
    make_program(name="The Serene Way", description="Quiet sharing.")
    assert ranked("serenety") == ["The Serene Way", "Serenity Circle Group", "Sunday Serenity"]


@pytest.mark.postgres_only
def test_gin_indexes_exist_only_on_postgres():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'programs_program'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert {"program_name_trgm", "program_search_document"} <= indexes


@pytest.mark.sqlite_only
def test_sqlite_path_needs_every_word(programs):
    assert ranked("book clean") == ["Clean and Free"]


@pytest.mark.postgres_only
def test_the_meetings_list_searches_its_programs_in_their_own_subquery(programs, client):
    """The meetings list filters on the programs a keyword finds, as a subquery. The search
    must name that subquery's programs: naming the outer query's had PostgreSQL repeat the
    search for every meeting (40 s at national scale)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/meetings/", {"q": "speaker"})
    assert [o.meeting.program.name for o in response.context["occurrences"]] == ["Serenity Seekers"]
    searching = [q["sql"] for q in queries if "search_document" in q["sql"]]
    assert searching, "no query searched the programs"
    for sql in searching:
        assert '"programs_program"."search_document"' not in sql
        assert 'U0."search_document"' in sql


@pytest.mark.postgres_only
def test_fellowships_near_a_word_are_read_once_until_a_change(
    programs, shared_cache, django_capture_on_commit_callbacks
):
    from django.test.utils import CaptureQueriesContext

    def similarity_reads(text):
        with CaptureQueriesContext(connection) as captured:
            found = ranked(text)
        reads = [q for q in captured if 'FROM "programs_fellowship"' in q["sql"]]
        return len(reads), found

    reads, found = similarity_reads("alcholics")
    assert reads == 1 and set(found) == {"Big Book Study", "Serenity Seekers"}
    assert similarity_reads("alcholics") == (0, found)
    with django_capture_on_commit_callbacks(execute=True):
        make_program(name="Alcoholics Together", fellowship=Fellowship.objects.get(slug="aa"))
    reads, found = similarity_reads("alcholics")
    assert reads == 1 and "Alcoholics Together" in found
