"""EXPLAIN ANALYZE of the programs list's distance search, as the page runs it.

    DATABASE_URL=postgres://... DEBUG=1 .venv/bin/python tests/benchmarks/explain_near.py 10001 10

Prints the plan and execution time of the page query (first page of results) and of the
count query the paginator runs, for the given ZIP code and radius in miles.
"""

import os
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_directory.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402

from programs.filters import ProgramFilter  # noqa: E402
from programs.models import Program  # noqa: E402


def explain(queryset, label):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(f"--- {label}\n{plan}\n")


def main():
    zip_code = sys.argv[1] if len(sys.argv) > 1 else "10001"
    radius = sys.argv[2] if len(sys.argv) > 2 else "10"
    params = QueryDict(mutable=True)
    params.update({"where": zip_code, "radius": radius})
    filterset = ProgramFilter(params, queryset=Program.objects.published().for_listing())
    queryset = filterset.qs
    print(
        f"{Program.objects.count():,} programs; place {filterset.place.label}; "
        f"radius {radius} mi; database {connection.vendor}\n"
    )
    page = queryset[: settings.LISTINGS_PER_PAGE]
    started = time.perf_counter()
    rows = list(page)
    print(
        f"first page: {len(rows)} rows in {(time.perf_counter() - started) * 1000:.1f} ms "
        f"(including prefetches)\n"
    )
    explain(page, "page query")
    explain(queryset.order_by().values("pk"), "count query (paginator)")


if __name__ == "__main__":
    main()
