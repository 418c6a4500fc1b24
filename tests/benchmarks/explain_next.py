"""The SQL behind the next-meetings and "right now" pages, as each page runs it.

    DATABASE_URL=postgres://... DEBUG=1 .venv/bin/python tests/benchmarks/explain_next.py

Requests each page through Django's test client (page cache off), twice so the second
reading is warm, and prints per page: the number of queries, their total time as the
database driver saw it, and the slowest query with its EXPLAIN ANALYZE plan. With
`--plans` every slow query's plan is printed, not only the slowest.
"""

import argparse
import os
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_directory.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from programs.models import Meeting, Program  # noqa: E402

PAGES = [
    "/meetings/",
    "/meetings/?page=5",
    "/meetings/?where=10001&radius=10",
    "/meetings/?where=Dayton",
    "/meetings/?where=Ohio",
    "/meetings/?kind=twelve_step&type=O",
    "/meetings/?attendance=online",
    "/meetings/?where=59001&radius=25&type=W",
    "/right-now/",
    "/right-now/?where=10001",
    "/right-now/?where=59001",
]


def explain(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(client, url):
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        wall = (time.perf_counter() - started) * 1000
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    return response.status_code, wall, queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", action="store_true", help="plans of all queries over 2 ms")
    parser.add_argument("urls", nargs="*", default=PAGES)
    args = parser.parse_args()
    print(
        f"{Program.objects.count():,} programs, {Meeting.objects.count():,} meetings; "
        f"database {connection.vendor}\n"
    )
    print("| page | status | queries | SQL ms | slowest query ms | page ms |")
    print("|---|---|---|---|---|---|")
    client = Client(HTTP_HOST="127.0.0.1")
    details = []
    for url in args.urls:
        measure(client, url)  # warm caches: the place index, the buffer cache
        status, wall, queries = measure(client, url)
        total = sum(ms for ms, _ in queries)
        slowest = max(queries, default=(0, ""))
        print(
            f"| `{url}` | {status} | {len(queries)} | {total:.1f} | {slowest[0]:.1f} | {wall:.0f} |"
        )
        chosen = [q for q in queries if q[0] > 2] if args.plans else [slowest]
        details.append((url, chosen))
    # Plans come after the table; the logged SQL has its parameters inlined already.
    for url, chosen in details:
        for ms, sql in chosen:
            if not sql:
                continue
            print(f"\n--- {url}: {ms:.1f} ms\n{sql}\n")
            print(explain(sql, None))


if __name__ == "__main__":
    main()
