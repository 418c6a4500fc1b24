"""A service found by its HSDS id in one indexed query, however many services there are."""

import time
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opendata import hsds
from programs.models import Program, ProgramKind, TreatmentCenter
from tests.factories import make_center, make_program

pytestmark = pytest.mark.django_db

API = "/api/hsds/services/"


def service_id(row):
    kind = "program" if isinstance(row, Program) else "center"
    return hsds.hsds_id(f"{kind}:{row.pk}")


def lookup_queries(client, row):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(API + service_id(row))
    assert response.status_code == 200
    assert response.json()["id"] == service_id(row)
    return [q["sql"] for q in queries.captured_queries]


def bulk_programs(count):
    """Published programs "Bulk 0" to "Bulk {count - 1}" (slugs bulk-0...), none with an id.

    The first is made by bulk_create; the rest are copies of its row with their own name and
    slug, made by the database in one INSERT ... SELECT. Building 50,000 model instances for
    bulk_create cost about five times the rest of the 50,000-program test.
    """
    [first] = Program.objects.bulk_create(
        [Program(name="Bulk 0", slug="bulk-0", kind=ProgramKind.TWELVE_STEP, status="published")]
    )
    if count < 2:
        return
    quote = connection.ops.quote_name
    made = {"name": "'Bulk ' || n", "slug": "'bulk-' || n"}
    fields = [f for f in Program._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(made.get(f.name, quote(f.column)) for f in fields)
    table, pk = quote(Program._meta.db_table), quote(Program._meta.pk.column)
    # Names from the model, quoted; the numbers from a recursive CTE (SQLite and PostgreSQL).
    sql = (
        "WITH RECURSIVE numbers (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM numbers "  # noqa: S608
        f"WHERE n < %s) INSERT INTO {table} ({columns}) SELECT {values} FROM {table}, numbers "
        f"WHERE {table}.{pk} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [count - 1, first.pk])


def test_the_lookup_costs_the_same_however_many_services(client):
    target = make_program()
    make_center()
    hsds.assign_service_ids()
    few = lookup_queries(client, target)
    bulk_programs(300)
    hsds.assign_service_ids()
    many = lookup_queries(client, target)
    assert len(few) == len(many)
    # The row is picked by its stored id: no query lists every program's key.
    assert any("hsds_id" in sql for sql in many)


def test_rows_made_without_an_id_are_found_all_the_same(client):
    bulk_programs(5)
    row = Program.objects.get(slug="bulk-3")
    assert row.hsds_id is None
    lookup_queries(client, row)
    row.refresh_from_db()
    assert str(row.hsds_id) == service_id(row)
    assert not Program.objects.filter(hsds_id__isnull=True).exists()


def test_centres_are_found_by_their_id(client):
    center = make_center()
    lookup_queries(client, center)
    center.refresh_from_db()
    assert str(center.hsds_id) == service_id(center)


def test_an_unknown_id_is_a_quick_404(client, django_assert_max_num_queries):
    make_program()
    hsds.assign_service_ids()
    bulk_programs(50)
    hsds.assign_service_ids()
    with django_assert_max_num_queries(4):
        response = client.get(API + str(uuid.uuid4()))
    assert response.status_code == 404


def test_an_unpublished_service_stays_hidden(client):
    draft = make_program(status="draft")
    response = client.get(API + service_id(draft))
    assert response.status_code == 404
    assert TreatmentCenter.objects.count() == 0


@pytest.mark.slow
def test_a_lookup_among_fifty_thousand_programs(client, capsys):
    """The figure for issue 16: it was a linear scan, 0.3 s at 50,000 programs."""
    bulk_programs(50_000)
    started = time.perf_counter()
    filled = hsds.assign_service_ids()
    backfill = time.perf_counter() - started
    last = Program.objects.order_by("-pk").first()
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        lookup_queries(client, last)
        timings.append(time.perf_counter() - started)
    best = min(timings)
    assert filled == 50_000
    assert best < 0.1
    with capsys.disabled():
        print(
            f"\n[hsds] service by id among 50,000 programs: {best * 1000:.1f} ms "
            f"(ids stored once in {backfill:.1f} s)"
        )
