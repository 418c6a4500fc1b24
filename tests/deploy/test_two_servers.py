"""Two app servers behind one nginx, sharing one PostgreSQL and one Redis, as in production.

Each gunicorn instance stands for an app server on its own machine: production settings,
REDIS_URL, the proxy header, deploy/nginx.conf in front. The suite's own PostgreSQL test
database is theirs too, so the test reads what they stored.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import signing

from opendata.models import ImportJob, JobStatus
from programs.models import Program
from referrals.models import Referral
from referrals.views import SENT_SALT
from tests.factories import make_program, make_staff
from tests.listings.test_page_cache import _FormReader
from tests.opendata.test_jobs import meeting

from .servers import (
    ROOT,
    Browser,
    plain_environment,
    send_referral,
    start_cluster,
    write_env_file,
)

pytestmark = [
    # No xdist_group: pytest-xdist schedules a group ahead of single tests, and these
    # transactional tests end by emptying the database (the data migrations' rows with it)
    # for every test the worker runs after them. Alone, they run last, as pytest-django
    # orders them; each worker that gets one starts its own servers.
    pytest.mark.slow,
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RATE_LIMIT = 7
# The servers flag forms sent faster than this; the test waits as long, as a person would.
FILL_SECONDS = 0.3


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker):
    from django.db import connection

    cluster = start_cluster(
        connection.settings_dict,
        REFERRAL_RATE_LIMIT=RATE_LIMIT,
        REFERRAL_MIN_SECONDS=FILL_SECONDS,
        PAGE_CACHE_SECONDS=600,
    )
    yield cluster
    cluster.stop()


@pytest.fixture(autouse=True)
def _empty_shared_cache(cluster):
    """Each test starts with no counters and no cached pages."""
    cluster.redis.client().flushall()


def test_the_servers_settings_pass_the_deployment_checks(cluster):
    """deploy/manage.sh with the environment file the servers run on, as an operator runs it."""
    env_file = write_env_file(cluster.folder / "env", cluster.settings)
    result = subprocess.run(
        [str(ROOT / "deploy" / "manage.sh"), "check", "--deploy", "--fail-level", "WARNING"],
        env={**plain_environment(), "DIRECTORY_ENV": str(env_file)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def reference_of(cluster, token):
    return signing.loads(token, key=cluster.secret_key, salt=SENT_SALT)


def test_the_referral_rate_limit_holds_across_both_servers(cluster):
    browser = Browser(cluster, source="127.0.0.1")
    routes = ["nginx", "a", "nginx", "b"]
    outcomes = []
    for n in range(20):
        via = routes[n % len(routes)]
        status, token = send_referral(
            browser,
            via=via,
            first_name=f"Limit{n:02d}",
            message=f"rate-limit {n}",
            fill_seconds=FILL_SECONDS,
        )
        outcomes.append((via, status, token))

    accepted = [o for o in outcomes if o[1] == 302]
    print(f"\nrate limit across two servers: {len(accepted)} of 20 accepted (limit {RATE_LIMIT})")
    assert len(accepted) == RATE_LIMIT
    # The first ones are accepted whichever way they came, every later one refused.
    assert [o[1] for o in outcomes] == [302] * RATE_LIMIT + [429] * (20 - RATE_LIMIT)
    assert {o[0] for o in accepted} == {"nginx", "a", "b"}
    stored = Referral.objects.all()
    assert stored.count() == RATE_LIMIT
    assert sorted(r.reference for r in stored) == sorted(
        reference_of(cluster, o[2]) for o in accepted
    )
    # Every one was sent like a person sends it: nothing was flagged.
    assert not stored.filter(suspected_spam=True).exists()
    # nginx spread its share over both app servers (taking turns request by request, so
    # a form shown by one server was often sent to the other).
    upstreams = {
        line.split()[-1]
        for line in cluster.nginx.access_log.read_text().splitlines()
        if " /get-help/" in line
    }
    assert upstreams == {f"127.0.0.1:{i.port}" for i in cluster.instances.values()}
    # The count lives in Redis, under a hash of the address, not the address.
    keys = [k.decode() for k in cluster.redis.client().keys("*referral-rate*")]
    assert len(keys) == 1
    assert "127.0.0.1" not in keys[0]


CURATOR_PASSWORD = "a-long-password-for-tests"


def make_curator():
    curator = make_staff("curator", "Curators")
    # Hashed as production hashes it (the suite's own hasher is not one the servers accept).
    curator.password = PBKDF2PasswordHasher().encode(
        CURATOR_PASSWORD, PBKDF2PasswordHasher().salt()
    )
    curator.save()
    return curator


def signed_in(cluster, via):
    """A browser with a curator's admin session, started on server `via`."""
    browser = Browser(cluster)
    status, _, html = browser.get("/admin/login/?next=/admin/", via=via)
    assert status == 200
    status, headers, _ = browser.post(
        "/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": _csrf(html),
            "username": "curator",
            "password": CURATOR_PASSWORD,
            "next": "/admin/",
        },
        via=via,
    )
    assert status == 302, "sign-in failed"
    return browser


def admin_save(cluster, via, program, name):
    """Sign in and change a program's name through the admin, as a curator would."""
    browser = signed_in(cluster, via)
    url = f"/admin/programs/program/{program.pk}/change/"
    status, _, html = browser.get(url, via=via)
    assert status == 200
    reader = _FormReader()
    reader.feed(html)
    data = {}
    for key, value in reader.data:
        data.setdefault(key, []).append(value)
    data["name"] = [name]
    status, headers, html = browser.post(url, data, via=via)
    assert status == 302, f"the admin did not save: {status}"


def _csrf(html):
    from .servers import hidden

    return hidden(html, "csrfmiddlewaretoken")


def test_a_page_cached_by_one_server_is_served_by_the_other(cluster):
    program = make_program(name="Harbour Light Group")
    make_curator()
    path = f"/program/{program.slug}/"
    anonymous = Browser(cluster)

    status, _, html = anonymous.get(path, via="a")
    assert status == 200 and "Harbour Light Group" in html

    # A change behind the site's back (no signal, no version bump): only a cached copy can
    # still show the old name, and server b has never rendered this page.
    Program.objects.filter(pk=program.pk).update(name="Quiet Change Group")
    for via in ("b", "a", "nginx"):
        status, _, html = anonymous.get(path, via=via)
        assert status == 200
        assert "Harbour Light Group" in html, f"{via} rendered the page afresh"

    # A real save through the admin on server b moves the shared version: both servers
    # now render the page again, from the database.
    admin_save(cluster, "b", program, "Harbour Light Saved")
    for via in ("a", "b", "nginx"):
        status, _, html = anonymous.get(path, via=via)
        assert status == 200
        assert "Harbour Light Saved" in html, f"{via} still served the old page"


def test_an_import_queued_through_one_server_is_run_by_a_worker_on_the_other(cluster):
    """Server a takes the upload and queues it; a task worker started with the other
    machine's environment, after the upload, imports it; server b shows the result."""
    make_curator()
    feed = [
        {**meeting(n), "name": f"Two Servers Group {n}", "slug": f"two-servers-{n}"}
        for n in range(3)
    ]
    browser = signed_in(cluster, "a")
    path = "/admin/programs/program/import/"
    status, _, html = browser.get(path, via="a")
    assert status == 200
    status, headers, _ = browser.post(
        path,
        {"csrfmiddlewaretoken": _csrf(html), "source": "two-servers", "kind": "12-step"},
        files={"file": ("feed.json", json.dumps(feed).encode())},
        via="a",
    )
    assert status == 302, f"the upload was not accepted: {status}"
    job = ImportJob.objects.get(source="two-servers")
    assert job.status == JobStatus.QUEUED
    assert not Program.objects.filter(name__startswith="Two Servers Group").exists()

    worker = cluster.start_process(
        "worker-b",
        [sys.executable, "manage.py", "db_worker", "--queue-name", "imports", "--batch"],
    )
    assert worker.wait(timeout=120) == 0
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert Program.objects.filter(name__startswith="Two Servers Group").count() == 3
    status, _, html = browser.get(headers["Location"], via="b")
    assert status == 200
    assert "What the import did" in html
    assert "3 created, 0 updated" in html


STREAM = 60
THREADS = 4


def stop_gracefully(cluster, process):
    """What systemd or an operator does: SIGTERM, then SIGKILL if it lingers."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def drain_then_stop(cluster, process):
    """A planned restart: nginx stops sending b anything new first (docs/operations.md)."""
    cluster.nginx.set_down(cluster.instances["b"].port)
    stop_gracefully(cluster, process)


def crash(cluster, process):
    """The machine dies: every process at once, requests in flight included."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@pytest.mark.parametrize(
    ("how", "errors_allowed"),
    # A stop nginx was not told about can cut off the POSTs b had been handed but had not
    # yet read (at most one per client thread); nginx must not resend those, as it cannot
    # know whether b stored them.
    [(drain_then_stop, 0), (stop_gracefully, THREADS), (crash, THREADS)],
    ids=["drained-first", "sigterm-then-sigkill", "sigkill"],
)
def test_stopping_one_server_mid_load_loses_no_referral(cluster, how, errors_allowed):
    results = {}
    started = threading.Semaphore(0)

    def one(n):
        # Each person on their own address, so the rate limit never enters into it.
        browser = Browser(cluster, source=f"127.0.1.{n + 1}")
        try:
            status, token = send_referral(
                browser,
                first_name=f"Stream{n:03d}",
                message=f"stream {n}",
                fill_seconds=FILL_SECONDS,
            )
        except OSError as exc:
            status, token = type(exc).__name__, None
        results[n] = (status, token)
        started.release()

    b = cluster.instances["b"]
    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(one, n) for n in range(STREAM)]
        for _ in range(STREAM // 4):  # a quarter of the stream is through
            assert started.acquire(timeout=120), "the stream did not get going"
        began = time.monotonic()
        how(cluster, b.process)
        stop_seconds = time.monotonic() - began
        for future in futures:
            future.result()

    try:
        successes = {n: token for n, (status, token) in results.items() if status == 302}
        errors = {n: status for n, (status, token) in results.items() if status != 302}
        stored = list(Referral.objects.all())
        by_message = Counter(r.message for r in stored)
        print(
            f"\none server stopped mid-load ({how.__name__}): {len(successes)} of {STREAM} "
            f"accepted, {len(errors)} client-visible errors "
            f"{sorted(Counter(map(str, errors.values())).items())} "
            f"({sum(by_message[f'stream {n}'] for n in errors)} of them stored), "
            f"{len(stored)} stored; "
            f"server b gone {stop_seconds:.1f} s after the first signal"
        )
        # Every submission that got its thank-you page is stored, exactly once.
        references = {r.reference for r in stored}
        for n, token in successes.items():
            assert reference_of(cluster, token) in references
            assert by_message[f"stream {n}"] == 1
        assert all(count == 1 for count in by_message.values())
        # Nothing is stored that nobody sent.
        assert set(by_message) <= {f"stream {n}" for n in range(STREAM)}
        # nginx sent the rest to the server still running: few or no errors reached people
        # (a crash can cut off at most the requests b was answering at that moment).
        assert len(errors) <= errors_allowed, errors
    finally:
        cluster.start_instance("b", port=b.port)
        cluster.nginx.set_down()
