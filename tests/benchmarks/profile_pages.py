"""Python time per public page, in one process, with production settings and no page cache.

    .venv/bin/python tests/benchmarks/profile_pages.py                 # the usual list pages
    .venv/bin/python tests/benchmarks/profile_pages.py /programs/ --templates
    .venv/bin/python tests/benchmarks/profile_pages.py /programs/ --cprofile 40

Needs the demo data and production's static manifest and cache table: see
docs/performance.md ("Rendering") for the commands. Requests each URL through Django's
test client: three times to warm up, then --rounds rounds of --requests requests, and
prints the mean milliseconds per request of the fastest round, split into SQL (time inside
the database driver), template rendering, and the rest (view, filter set, paginator,
middleware), with the queries per request. --templates adds each template's inclusive time
and how often it was rendered; --cprofile N prints the N functions with most time of their
own. The figures are CPU time of this process (the SQLite database runs inside it), so
other work on the machine disturbs them less than wall-clock time; still, measure on a
quiet machine.
"""

import argparse
import collections
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DEFAULT_URLS = [
    "/",
    "/programs/",
    "/es/programs/",
    "/programs/?day=2&type=O",
    "/programs/?where=43215&radius=10",
    "/programs/12-step/",
    "/meetings/",
    "/es/meetings/",
    "/right-now/",
    "/right-now/?where=43215",
    "/treatment-centres/",
    "/activities/",
]


class Timers:
    """CPU time inside SQL and inside the outermost template render."""

    def __init__(self):
        self.sql = 0.0
        self.queries = 0
        self.templates = 0.0
        self.per_template = collections.Counter()
        self.renders = collections.Counter()
        self._depth = 0

    def install(self, per_template):
        from django.db import connection
        from django.template import base

        timers = self
        original = base.Template._render

        def render(template, context):
            started = time.process_time()
            timers._depth += 1
            try:
                return original(template, context)
            finally:
                timers._depth -= 1
                spent = time.process_time() - started
                if timers._depth == 0:
                    timers.templates += spent
                if per_template:
                    timers.per_template[template.name] += spent
                    timers.renders[template.name] += 1

        base.Template._render = render

        def sql(execute, sql, params, many, context):
            started = time.process_time()
            try:
                return execute(sql, params, many, context)
            finally:
                timers.sql += time.process_time() - started
                timers.queries += 1

        connection.execute_wrappers.append(sql)

    def reset(self):
        self.sql = self.templates = 0.0
        self.queries = 0
        self.per_template.clear()
        self.renders.clear()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="*", default=DEFAULT_URLS)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of --requests; the fastest is kept"
    )
    parser.add_argument("--templates", action="store_true", help="time each template")
    parser.add_argument("--cprofile", type=int, metavar="N", help="print cProfile's top N")
    args = parser.parse_args()

    os.environ["PAGE_CACHE_SECONDS"] = "0"  # measure the pages, not the cache
    # Production settings refuse to start without these; none of them changes a page.
    os.environ.setdefault("SECRET_KEY", "profile-only-" + "x" * 50)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("REFERRAL_KEYS", "profile:" + "A" * 43 + "=")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_directory.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    timers = Timers()
    timers.install(args.templates)
    n = args.requests
    print(f"{'URL':44} status    total      SQL templates     rest  bytes queries")
    for url in args.urls:
        for _ in range(3):
            client.get(url)
        best = None
        for _ in range(1 if args.cprofile else args.rounds):
            timers.reset()
            profile = cProfile.Profile() if args.cprofile else None
            started = time.process_time()
            if profile:
                profile.enable()
            for _ in range(n):
                response = client.get(url)
            if profile:
                profile.disable()
            total = (time.process_time() - started) / n * 1000
            if best is None or total < best[0]:
                best = (total, timers.sql / n * 1000, timers.templates / n * 1000)
                queries = timers.queries / n
                per_template = dict(timers.per_template)
                renders = dict(timers.renders)
        total, sql, templates = best
        print(
            f"{url:44} {response.status_code:6} {total:6.1f} ms {sql:5.1f} ms {templates:6.1f} ms"
            f" {total - sql - templates:5.1f} ms {len(response.content):6} {queries:7.0f}"
        )
        if args.templates:
            for name, spent in collections.Counter(per_template).most_common(25):
                count = renders[name] / n
                print(f"    {spent / n * 1000:7.2f} ms inclusive {count:5.1f}x  {name}")
        if profile:
            pstats.Stats(profile).sort_stats("tottime").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
