"""Render a fixed set of public pages on fresh demo data under a frozen clock, to compare.

    .venv/bin/python tests/benchmarks/golden_pages.py /tmp/before
    # ... change how pages are rendered ...
    .venv/bin/python tests/benchmarks/golden_pages.py /tmp/after --compare /tmp/before

Each run builds its own SQLite database in a temporary folder (migrate, then seed_demo),
with the clock stopped at one Monday evening so the demo's dates, "next meeting" order and
"right now" come out the same every time, then saves each page's status and HTML. With
--compare it prints a unified diff of every page that changed and exits 1 if any did: a
change meant to make rendering cheaper should leave every byte a visitor gets as it was.
--between-tags also lets whitespace between two tags differ (a browser shows none there,
except inside <pre>, which these pages do not use): it says how many pages differ only so.
--shared-cache runs with a cache every process would share (files in the temporary folder),
as production does, and asks for each page twice: the second time, parts kept from the first
(program cards, online meetings) make the page, and it must come out the same, byte for byte.
"""

import argparse
import difflib
import os
import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A Monday, 7 pm in Columbus: meetings are under way, starting soon and later in the week.
FROZEN_AT = datetime(2026, 11, 24, 0, 5, tzinfo=UTC)

LIST_URLS = [
    "/",
    "/programs/",
    "/programs/?page=2",
    "/programs/?page=99",
    "/programs/?day=2&type=O",
    "/programs/?day=2&type=O&attendance=in_person",
    "/programs/?q=alcoholics",
    "/programs/?q=women",
    "/programs/?where=43215&radius=10",
    "/programs/?where=Dayton",
    "/programs/?where=Ohio",
    "/programs/?where=nowhere-at-all",
    "/programs/?lat=39.96&lng=-83.0",
    "/programs/?kind=12-step&kind=smart-recovery&sort=name",
    "/programs/?fellowship=aa&language=es&wheelchair=on",
    "/programs/?today=on&soon=on&cost=free",
    "/programs/?day=9&radius=abc",
    "/programs/?language=es",
    "/programs/12-step/",
    "/programs/sober-living/",
    "/programs/sober-living/?gender=women&mat=on",
    "/programs/smart-recovery/",
    "/programs/which-fits-me/",
    "/meetings/",
    "/meetings/?page=2",
    "/meetings/?where=43215&radius=10",
    "/meetings/?fellowship=aa&type=O",
    "/meetings/?attendance=online",
    "/right-now/",
    "/right-now/?where=43215",
    "/right-now/?where=43215&fellowship=aa",
    "/treatment-centres/",
    "/treatment-centres/?level=iop&payment=medicaid&peer_support=on",
    "/treatment-centres/?where=43215&sort=distance",
    "/treatment-centres/?q=detox",
    "/activities/",
    "/activities/?where=43215",
    "/activities/past/",
    "/meeting-types/",
    "/resources/",
    "/about/peer-support/",
    "/privacy/",
    "/no-such-page/",
    "/programs/?" + "&".join(f"x{i}=1" for i in range(1200)),
]


def setup(database, shared_cache=False):
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    if shared_cache:
        from django.test.utils import override_settings

        location = str(database.parent / "cache")
        backend = "django.core.cache.backends.filebased.FileBasedCache"
        override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": location}}).enable()

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0)


def detail_urls():
    from activities.models import Activity
    from programs.models import Program, ProgramKind, TreatmentCenter

    urls = []
    for kind in ProgramKind:
        program = Program.objects.published().filter(kind=kind).order_by("pk").first()
        if program:
            urls.append(program.get_absolute_url())
    urls += [c.get_absolute_url() for c in TreatmentCenter.objects.published().order_by("pk")[:2]]
    urls += [a.get_absolute_url() for a in Activity.objects.published().order_by("pk")[:2]]
    return urls


def file_name(url):
    name = re.sub(r"[^A-Za-z0-9]+", "_", url).strip("_") or "home"
    return name[:120] + ".html"


def render(out, twice=False):
    from django.test import Client

    client = Client()
    out.mkdir(parents=True, exist_ok=True)
    urls = LIST_URLS + detail_urls()
    for base in urls:
        for url in (base, "/es" + base):
            response = client.get(url, follow=True)
            body = response.content.decode()
            if twice:
                again = client.get(url, follow=True).content.decode()
                if again != body:
                    sys.exit(f"{url} changed when asked for again:\n{diff(body, again)}")
            (out / file_name(url)).write_text(f"{response.status_code} {url[:200]}\n{body}")
    return len(urls) * 2


def diff(old, new, old_name="first", new_name="again"):
    old, new = old.splitlines(keepends=True), new.splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, old_name, new_name, n=1))


BETWEEN_TAGS = re.compile(r">\s+<")


def compare(out, before, between_tags=False):
    changed = only_whitespace = 0
    for path in sorted(before.glob("*.html")):
        old_text = path.read_text()
        new_path = out / path.name
        new_text = new_path.read_text() if new_path.exists() else ""
        if old_text == new_text:
            continue
        if between_tags and BETWEEN_TAGS.sub("><", old_text) == BETWEEN_TAGS.sub("><", new_text):
            only_whitespace += 1
            continue
        changed += 1
        sys.stdout.write(diff(old_text, new_text, str(path), str(new_path)))
    if between_tags:
        print(f"{only_whitespace} pages differ only in whitespace between tags", file=sys.stderr)
    return changed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the pages into")
    parser.add_argument("--compare", type=Path, help="an earlier run's folder to diff against")
    parser.add_argument(
        "--between-tags", action="store_true", help="ignore whitespace between tags"
    )
    parser.add_argument(
        "--shared-cache", action="store_true", help="a shared cache; every page asked twice"
    )
    args = parser.parse_args()

    import time_machine

    with tempfile.TemporaryDirectory() as folder, time_machine.travel(FROZEN_AT, tick=False):
        setup(Path(folder) / "golden.sqlite3", args.shared_cache)
        count = render(args.out, twice=args.shared_cache)
    print(f"{count} pages written to {args.out}", file=sys.stderr)
    if args.compare:
        changed = compare(args.out, args.compare, args.between_tags)
        print(f"{changed} pages differ from {args.compare}", file=sys.stderr)
        sys.exit(1 if changed else 0)


if __name__ == "__main__":
    main()
