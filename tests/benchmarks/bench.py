"""Throughput of the public pages beside the site's own stylesheet, against gunicorn.

    .venv/bin/python tests/benchmarks/bench.py                 # demo data (make bench)
    DATABASE_URL=postgres://... .venv/bin/python tests/benchmarks/bench.py --national

Starts gunicorn from gunicorn.conf.py with production settings and the page cache off, then
drives each URL with wrk (Debian's package: apt-get install wrk) for a fixed time and
concurrency, the stylesheet first and last, in one run. Prints requests/s, p50/p95/p99,
errors and each page's share of the static file's requests/s. `--write` puts the table into
docs/performance.md between the markers for the data set. Nothing leaves this machine.
"""

import argparse
import base64
import http.client
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STYLESHEET = "/static/css/site.css"

DEMO_URLS = [
    "/",
    "/programs/",
    "/programs/?page=3",
    "/programs/?day=2&type=O",
    "/programs/?fellowship=aa",
    "/programs/?language=es",
    "/programs/?q=alcoholics",
    "/programs/?where=43215&radius=10",
    "/programs/?where=Ohio",
    "/programs/12-step/",
    "/es/programs/",
    "/meetings/",
    "/meetings/?where=43215&radius=10",
    "/meetings/?fellowship=aa&type=O",
    "/right-now/",
    "/right-now/?where=43215",
    "/treatment-centres/",
    "/treatment-centres/?level=iop&payment=medicaid&peer_support=on",
    "/treatment-centres/?where=43215",
    "/activities/",
    "/programs/which-fits-me/",
    "/meeting-types/",
    "{program}",
    "{centre}",
    "{activity}",
    "/meetings.json",
    "/meetings.json?state=OH",
    "/api/hsds/services/",
    "/api/hsds/organizations/",
    "/api/hsds/service_at_locations/?postcode=43215&proximity=5000",
    "/sitemap.xml",
]
NATIONAL_URLS = [u.replace("43215", "10001") for u in DEMO_URLS]
# Measured after the closing static run (see main()).
EXPORTS = {"/meetings.json", "/sitemap.xml"}

# Detail pages of whatever data is loaded: the first published listing of each kind.
DETAIL_PAGES = """
from activities.models import Activity
from programs.models import Program, TreatmentCenter
for name, model in (("program", Program), ("centre", TreatmentCenter), ("activity", Activity)):
    row = model.objects.published().order_by("pk").first()
    print(name, row.get_absolute_url() if row else "")
"""


def detail_urls(env):
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", DETAIL_PAGES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = (line.partition(" ") for line in out.splitlines() if line.strip())
    return {name: url.strip() for name, _, url in found}


# Runs inside wrk: report the percentiles it keeps, as one JSON line.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "errors": %d, "bad_status": %d, '
    .. '"p50": %.3f, "p95": %.3f, "p99": %.3f}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def server_env(port):
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("SECURE_SSL_REDIRECT", "0")
    env.setdefault("LOG_LEVEL", "WARNING")
    # A throwaway referral key: production settings refuse to start without one.
    env.setdefault("REFERRAL_KEYS", "bench:" + base64.urlsafe_b64encode(os.urandom(32)).decode())
    env["PAGE_CACHE_SECONDS"] = "0"  # measure the pages, not the cache
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    env.pop("DEBUG", None)
    return env


def wait_until_up(port, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def wrk(port, url, seconds, connections, script, workers):
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            script,
            f"http://127.0.0.1:{port}{url}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(re.search(r"RESULT (\{.*\})", out).group(1))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    # Requests wrk had sent when it stopped are still queued at gunicorn: let the workers
    # clear them, or a slow page's backlog is counted against the next URL.
    time.sleep(min(30.0, 0.2 + result["p99"] / 1000 * connections / workers))
    return result


def first_fetch(port, url):
    """(ms to the first byte, ms to the last, bytes) of one request read to its end.

    Run before an export's measured run: at national size the first request after a change
    streams the feed from the database and writes the file the later ones are sent.
    """
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    conn.request("GET", url)
    response = conn.getresponse()
    first = response.read(1)
    first_ms = (time.perf_counter() - started) * 1000
    size = len(first)
    while chunk := response.read(1 << 20):
        size += len(chunk)
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{url} answered {response.status}")
    return first_ms, (time.perf_counter() - started) * 1000, size


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="per URL (default 10)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--national", action="store_true", help="URLs for the national data")
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    parser.add_argument("urls", nargs="*")
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= 120 or not 1 <= args.connections <= 64:
        raise SystemExit("--seconds must be 1 to 120 and --connections 1 to 64")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    urls = args.urls or (NATIONAL_URLS if args.national else DEMO_URLS)

    env = server_env(args.port)
    env["WEB_CONCURRENCY"] = str(args.workers)
    details = detail_urls(env)
    urls = [u.format(**details) if u.startswith("{") else u for u in urls]
    urls = [u for u in urls if u]  # a data set without activities has no activity page
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "recovery_directory.wsgi"],
        cwd=ROOT,
        env=env,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        wait_until_up(args.port)
        # Whole exports last: at national size one takes longer than a run lasts, and the
        # workers would still be streaming it while the next URL (or the static file) is
        # measured.
        pages = [u for u in urls if u not in EXPORTS]
        exports = [u for u in urls if u in EXPORTS]

        def run(url, seconds=args.seconds):
            return wrk(args.port, url, seconds, args.connections, script.name, args.workers)

        for url in [STYLESHEET, *pages]:  # warm every worker and page once
            run(url, 1)
        static = [run(STYLESHEET)]
        rows = [(url, run(url)) for url in pages]
        static.append(run(STYLESHEET))
        firsts = []
        for url in exports:
            firsts.append((url, first_fetch(args.port, url)))
            rows.append((url, run(url)))
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.unlink(script.name)

    base = statistics.mean(r["rps"] for r in static)
    db = env.get("DATABASE_URL", "sqlite (var/db.sqlite3)").split("@")[-1]
    lines = [
        f"Database: {db}. gunicorn workers: {args.workers} (gunicorn.conf.py), page cache off. "
        f"wrk: {args.connections} connections, {args.seconds} s per URL. "
        f"Static stylesheet: {base:,.0f} requests/s (before {static[0]['rps']:,.0f}, "
        f"after {static[1]['rps']:,.0f}).",
        "",
        "| URL | requests/s | share of static | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for url, r in rows:
        errors = r["errors"] + r["bad_status"]
        lines.append(
            f"| `{url}` | {r['rps']:,.1f} | {100 * r['rps'] / base:.1f}% | {r['p50']:.1f} | "
            f"{r['p95']:.1f} | {r['p99']:.1f} | {errors} |"
        )
    if firsts:
        lines += ["", "The first request of each export, alone, before its run:", ""]
        lines += [
            f"- `{url}`: first byte after {first:,.0f} ms, whole after {whole:,.0f} ms, "
            f"{size / 1e6:,.1f} MB."
            for url, (first, whole, size) in firsts
        ]
    table = "\n".join(lines)
    print(table)
    if args.write:
        write_table(table, "national" if args.national else "demo")


def write_table(table, name):
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text(encoding="utf-8")
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{table}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda m: block, text, flags=re.S)
    else:
        text += f"\n{block}\n"
    doc.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
