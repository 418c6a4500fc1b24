"""Pages cost a fixed number of queries, however many results they show."""

import datetime

import pytest
from django.urls import reverse

from programs.models import Audience, Language, ServiceOption
from tests.factories import make_activity, make_center, make_meeting, make_program

# One worker runs the whole module: few_and_many loads its listings once per worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("query_counts")]


def populate(n):
    women = Audience.objects.get(slug="women")
    spanish = Language.objects.get(code="es")
    options = list(ServiceOption.objects.filter(code__in=["iop", "medicaid", "methadone"]))
    programs = []
    for i in range(n):
        program = make_program(name=f"Group {i:03d}")
        program.audiences.add(women)
        program.languages.add(spanish)
        make_meeting(program=program, weekday=i % 7, types=["O", "D"])
        make_meeting(program=program, weekday=(i + 3) % 7, types=["C"])
        programs.append(program)
        center = make_center(name=f"Centre {i:03d}", locations=2)
        center.levels_of_care.add(options[0])
        center.payment_options.add(options[1])
        center.medications.add(options[2])
        center.populations.add(women)
        make_program(name=f"Hosted {i:03d}", host_center=center)
        make_activity(name=f"Activity {i:03d}", host_program=program)
    return programs


PAGES = {
    "programs": lambda: reverse("programs:list"),
    "programs-filtered": lambda: (
        reverse("programs:list")
        + "?day=1&type=O&attendance=in_person&q=group&audience=women&language=es"
    ),
    "programs-near": lambda: reverse("programs:list") + "?where=43215&radius=25",
    "programs-near-filtered": lambda: reverse("programs:list") + "?where=Columbus,+OH&day=1&type=O",
    "centres-near": lambda: reverse("programs:center_list") + "?where=43215",
    "activities-near": lambda: reverse("activities:list") + "?where=43215",
    "programs-state": lambda: reverse("programs:list") + "?where=Ohio",
    "programs-state-filtered": lambda: reverse("programs:list") + "?where=OH&day=1&type=O",
    "programs-county": lambda: reverse("programs:list") + "?where=Franklin+County,+OH",
    "centres-state": lambda: reverse("programs:center_list") + "?where=Ohio",
    "activities-state": lambda: reverse("activities:list") + "?where=Ohio",
    "meetings-state": lambda: reverse("programs:meetings") + "?where=Ohio",
    "kind": lambda: reverse("programs:kind", args=["12-step"]),
    "centres": lambda: reverse("programs:center_list"),
    "centres-filtered": lambda: (
        reverse("programs:center_list")
        + "?level=iop&payment=medicaid&medication=methadone&city=Columbus"
    ),
    "activities": lambda: reverse("activities:list"),
    "activities-filtered": lambda: reverse("activities:list") + "?category=art&free=on",
    "meetings": lambda: reverse("programs:meetings"),
    "meetings-filtered": lambda: (
        reverse("programs:meetings") + "?type=O&attendance=in_person&q=group&language=es&day=1"
    ),
    "meetings-near": lambda: reverse("programs:meetings") + "?where=43215&radius=25",
    "right-now": lambda: reverse("programs:right_now"),
    "right-now-near": lambda: reverse("programs:right_now") + "?where=43215",
    "meeting-types": lambda: reverse("programs:meeting_types"),
    "meeting-types-css": lambda: reverse("programs:meeting_types_css"),
    "home": lambda: reverse("home"),
    "activity-feed": lambda: reverse("activities:feed"),
    "sitemap": lambda: reverse("sitemap"),
}

# Pinned budgets, measured with a cold cache: raise one only with a reason in the commit
# message. Lists spend up to four of these on the filter choices (fellowships, types,
# audiences, languages), which are cached for the next requests.
BUDGETS = {
    "programs": 13,
    "programs-filtered": 11,
    "programs-near": 9,
    "programs-near-filtered": 9,
    "centres-near": 6,
    "activities-near": 2,
    "programs-state": 14,
    "programs-state-filtered": 13,
    "programs-county": 9,
    "centres-state": 6,
    "activities-state": 2,
    "meetings-state": 14,
    "kind": 13,
    "centres": 6,
    "centres-filtered": 6,
    "activities": 2,
    "activities-filtered": 2,
    "meetings": 11,
    "meetings-filtered": 13,
    "meetings-near": 14,
    "right-now": 4,
    # Meetings starting near the place within the hour (the fixed clock's case): their
    # rows and types are read too.
    "right-now-near": 7,
    "meeting-types": 2,
    "meeting-types-css": 2,
    "home": 3,
    "activity-feed": 1,
    "sitemap": 6,
}


def measure(client, url):
    """A page's status and query count, from a cold cache."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    return status, len(ctx.captured_queries)


MONDAY_6_30PM = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)  # in New York


@pytest.fixture(scope="session")
def few_and_many(django_db_setup, django_db_blocker):
    """Every list page, in English and in Spanish, measured with 3 results and with 23.

    Loading the 23 listings costs several times what measuring a page does, so they are
    loaded once for all the pages rather than once per page: 3 results, every page measured
    from a cold cache; 20 more, every page measured again. The rows are rolled back before
    any test runs, so the other tests never see them.
    """
    import time_machine
    from django.db import transaction
    from django.test import Client
    from django.test.utils import override_settings

    urls = {("en", page): url() for page, url in PAGES.items()}
    urls |= {("es", page): "/es" + PAGES[page]() for page in SPANISH_PAGES}
    client = Client()
    with (
        django_db_blocker.unblock(),
        override_settings(LISTINGS_PER_PAGE=50),
        transaction.atomic(),
        # A fixed clock: half an hour before the meetings start (7 pm in New York), when
        # "right now" and the home page list the most, whatever the hour the suite runs.
        time_machine.travel(MONDAY_6_30PM, tick=False),
    ):
        populate(3)
        few = {key: measure(client, url) for key, url in urls.items()}
        populate(20)
        many = {key: measure(client, url) for key, url in urls.items()}
        transaction.set_rollback(True)
    return few, many


def assert_fixed_cost(few_and_many, language, page):
    few, many = (counts[language, page] for counts in few_and_many)
    label = page if language == "en" else f"{language} {page}"
    assert few[0] == 200, f"{label}: status {few[0]} with 3 results"
    assert many[0] == 200, f"{label}: status {many[0]} with 23 results"
    assert few[1] == many[1], f"{label}: {few[1]} queries with 3 results, {many[1]} with 23"
    assert many[1] <= BUDGETS[page], f"{label}: {many[1]} queries, budget {BUDGETS[page]}"


@pytest.mark.parametrize("page", list(PAGES))
def test_list_pages_cost_the_same_for_few_and_many_results(few_and_many, page):
    assert_fixed_cost(few_and_many, "en", page)


def test_detail_pages_have_fixed_costs(client, django_assert_max_num_queries):
    from programs.models import TreatmentCenter

    programs = populate(2)
    program = programs[0]
    center = TreatmentCenter.objects.first()
    for _ in range(5):
        make_meeting(program=program, types=["O", "W", "SP"])
    for n in range(3):  # each card names its place
        make_activity(name=f"By the program {n}", host_program=program)
        make_activity(name=f"At the centre {n}", host_center=center)
    with django_assert_max_num_queries(7):
        assert client.get(program.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(center.get_absolute_url()).status_code == 200
    from activities.models import Activity

    activity = Activity.objects.first()
    with django_assert_max_num_queries(2):
        assert client.get(activity.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("page", ["programs", "programs-near", "centres", "activities"])
def test_a_repeated_list_page_is_served_from_the_cache(client, page):
    populate(3)
    url = PAGES[page]()
    first = client.get(url)
    assert count_queries_without_clearing(client, url) == 0
    assert "max-age=60" in first["Cache-Control"]


def test_page_cache_can_be_turned_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    populate(3)
    url = PAGES["programs"]()
    client.get(url)
    assert count_queries_without_clearing(client, url) > 0


def count_queries_without_clearing(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_cached_pages_keep_their_map_allowance(client):
    populate(1)
    url = PAGES["programs"]()
    first = client.get(url)["Content-Security-Policy"]
    second = client.get(url)["Content-Security-Policy"]
    assert "tile.openstreetmap.org" in first
    assert second == first


# The same pages read in Spanish: the same budgets (Spanish names come with the same rows).
SPANISH_PAGES = [p for p in PAGES if p not in ("sitemap", "meeting-types-css")]


@pytest.mark.parametrize("page", SPANISH_PAGES)
def test_spanish_pages_cost_what_the_english_ones_do(few_and_many, page):
    assert_fixed_cost(few_and_many, "es", page)


def test_spanish_detail_pages_have_the_same_fixed_costs(client, django_assert_max_num_queries):
    program = populate(2)[0]
    for _ in range(5):
        make_meeting(program=program, types=["O", "W", "SP", "S"])
    with django_assert_max_num_queries(7):
        assert client.get("/es" + program.get_absolute_url()).status_code == 200


def test_a_column_a_list_leaves_out_fails_any_test_that_reads_it():
    """The list queries read only the columns their entries show (QuerySet.only); a read of
    another would cost a query per row, so tests/conftest.py makes it fail instead."""
    from programs.models import Program

    make_program(name="Solo Group", description="Read on its own page.")
    program = Program.objects.published().for_listing().get()
    assert program.name == "Solo Group"
    with pytest.raises(AssertionError, match="Program.description was left out"):
        program.description  # noqa: B018
