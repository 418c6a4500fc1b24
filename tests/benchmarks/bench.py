"""Latency and throughput of the public pages, measured against gunicorn on loopback.

    .venv/bin/python tests/benchmarks/bench.py [--requests 300] [--concurrency 8]

Uses the database in DATABASE_URL (default: the local SQLite file, loaded with
`seed_demo`). Starts gunicorn with production settings on 127.0.0.1, sends a bounded number
of requests per URL from a thread pool, prints a Markdown table and stops the server.
Nothing leaves this machine.
"""

import argparse
import base64
import http.client
import os
import secrets
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DEFAULT_URLS = [
    "/",
    "/programs/",
    "/programs/?day=2&type=O&attendance=in_person",
    "/programs/?q=alcoholics",
    "/programs/?where=43215&radius=10",
    "/programs/12-step/",
    "/treatment-centres/?level=iop&payment=medicaid&peer_support=on",
    "/activities/",
    "/activities/calendar.ics",
    "/meetings.json",
]


def server_env(port):
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("SECURE_SSL_REDIRECT", "0")
    env.setdefault("LOG_LEVEL", "WARNING")
    # A throwaway referral key: production settings refuse to start without one.
    env.setdefault("REFERRAL_KEYS", "bench:" + base64.urlsafe_b64encode(os.urandom(32)).decode())
    env.pop("DEBUG", None)
    return env


def wait_until_up(port, timeout=60):
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


def one_request(port, url):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.perf_counter()
    conn.request("GET", url, headers={"Accept-Encoding": "gzip"})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    return response.status, elapsed, len(body)


def measure(port, url, total, concurrency):
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(lambda _: one_request(port, url), range(min(20, total))))  # warm-up
        started = time.perf_counter()
        results = list(pool.map(lambda _: one_request(port, url), range(total)))
        wall = time.perf_counter() - started
    statuses = {status for status, _, _ in results}
    times = sorted(t for _, t, _ in results)

    def pct(p):
        return times[min(len(times) - 1, int(len(times) * p))] * 1000

    return {
        "url": url,
        "status": ",".join(str(s) for s in sorted(statuses)),
        "p50": statistics.median(times) * 1000,
        "p95": pct(0.95),
        "p99": pct(0.99),
        "rps": total / wall,
        "bytes": results[0][2],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per URL")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("urls", nargs="*", default=DEFAULT_URLS)
    args = parser.parse_args()
    if not 1 <= args.requests <= 20_000:
        raise SystemExit("--requests must be between 1 and 20000")

    env = server_env(args.port)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "recovery_directory.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(args.port)
        db = env.get("DATABASE_URL", "sqlite (var/db.sqlite3)").split("@")[-1]
        print(
            f"database: {db}; gunicorn workers: {args.workers}; "
            f"{args.requests} requests per URL, concurrency {args.concurrency}\n"
        )
        print("| URL | status | p50 ms | p95 ms | p99 ms | req/s | bytes |")
        print("|---|---|---|---|---|---|---|")
        for url in args.urls:
            r = measure(args.port, url, args.requests, args.concurrency)
            print(
                f"| `{r['url']}` | {r['status']} | {r['p50']:.1f} | {r['p95']:.1f} | "
                f"{r['p99']:.1f} | {r['rps']:.0f} | {r['bytes']} |"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
