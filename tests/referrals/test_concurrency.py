"""Many people at once: every referral posted in parallel is stored exactly once."""

import http.client
import re
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.utils import timezone

from referrals.forms import sign_started
from referrals.models import Referral, ReferralNotification
from referrals.services import notifications_send_pending
from referrals.views import SENT_SALT
from tests.factories import make_staff
from tests.tasks import worker_running

pytestmark = pytest.mark.slow

SUBMISSIONS = 200
THREADS = 8


def fetch_form(host, port):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/get-help/")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)
    conn.close()
    return cookie, token, started


def submit(host, port, cookie, token, started, n):
    body = urlencode(
        {
            "csrfmiddlewaretoken": token,
            # Each person opened the form once: a time note is good for one referral.
            "started": sign_started(time.time() - 10) if n else started,
            "requester": "self",
            "first_name": f"Load{n:04d}",
            "email": f"load{n:04d}@example.org",
            "contact_method": "email",
            "best_time": "any",
            "consent": "on",
        }
    )
    conn = http.client.HTTPConnection(host, port, timeout=60)
    began = time.perf_counter()
    conn.request(
        "POST",
        "/get-help/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - began
    location = response.getheader("Location") or ""
    conn.close()
    return n, response.status, location, elapsed


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_submissions_are_each_stored_exactly_once(live_server, settings, capsys):
    settings.REFERRAL_RATE_LIMIT = 0  # every request comes from 127.0.0.1
    settings.REFERRAL_MIN_SECONDS = 0
    make_staff("ana", "Referral coordinators", email="ana@example.org")
    address = urlsplit(live_server.url)
    host, port = address.hostname, address.port
    cookie, token, started = fetch_form(host, port)

    wall = time.perf_counter()
    with worker_running(), ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(
            pool.map(lambda n: submit(host, port, cookie, token, started, n), range(SUBMISSIONS))
        )
        wall = time.perf_counter() - wall

    statuses = Counter(status for _, status, _, _ in results)
    assert statuses == {302: SUBMISSIONS}, statuses
    answered = {
        signing.loads(location.rstrip("/").rsplit("/", 1)[1], salt=SENT_SALT)
        for _, _, location, _ in results
    }

    stored = list(Referral.objects.all())
    names = Counter(referral.first_name for referral in stored)
    assert len(stored) == SUBMISSIONS
    assert names == Counter(f"Load{n:04d}" for n in range(SUBMISSIONS))  # each exactly once
    assert {referral.reference for referral in stored} == answered
    assert not any(referral.suspected_spam for referral in stored)
    # Senders ran side by side, yet one email announced the first arrivals and the rest wait
    # for the next window; then one more announces them, and none is announced twice.
    assert len(mail.outbox) == 1
    first = ReferralNotification.objects.filter(sent_at__isnull=False).count()
    assert first >= 1
    ReferralNotification.objects.filter(sent_at__isnull=False).update(
        sent_at=timezone.now() - timedelta(minutes=settings.REFERRAL_NOTIFY_MINUTES)
    )
    cache.clear()
    result = notifications_send_pending()
    assert result["sent"] == SUBMISSIONS - first and result["pending"] == 0
    assert len(mail.outbox) == 2

    latencies = sorted(elapsed for _, _, _, elapsed in results)
    p50, p95 = statistics.median(latencies), latencies[int(0.95 * len(latencies)) - 1]
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    with capsys.disabled():
        print(
            f"\n[concurrency] {engine}: {SUBMISSIONS} submissions from {THREADS} threads, "
            f"{len(stored)} rows stored, {len(answered)} distinct references, "
            f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, wall {wall:.1f} s"
        )
