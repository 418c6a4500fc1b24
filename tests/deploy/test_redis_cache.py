"""The production cache settings against a real redis-server (Debian's package).

With REDIS_URL set, settings.cache_settings() gives Django's RedisCache; the referral rate
limit, the page cache's version number and the sign-in lockout counters must then live in
Redis, where every worker and app server finds them, rather than in one process's memory.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from listings import cache as page_cache
from recovery_directory.settings import cache_settings
from tests.factories import make_program, referral_form_data

from .servers import Redis

# One worker runs the whole module: one redis-server for all of it.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("redis")]


@pytest.fixture(scope="module")
def redis_server():
    server = Redis()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(redis_server, monkeypatch, settings):
    """The settings' own choice of cache for REDIS_URL, in use for one test."""
    from axes.handlers.proxy import AxesProxyHandler

    monkeypatch.setenv("REDIS_URL", redis_server.url)
    settings.CACHES = {"default": cache_settings()}
    # axes keeps the cache it was first given: let it pick up this one.
    monkeypatch.setattr(AxesProxyHandler, "implementation", None)
    raw = redis_server.client()
    raw.flushall()
    yield raw
    raw.flushall()


def keys(raw, pattern):
    return sorted(key.decode() for key in raw.keys(pattern))


def test_redis_url_gives_the_shared_redis_cache(redis_cache):
    assert settings_backend() == "django.core.cache.backends.redis.RedisCache"
    cache.set("probe", "shared", 60)
    # Another process (here a plain Redis client) finds it under the deployment's prefix.
    assert keys(redis_cache, "*probe") == ["rd:1:probe"]
    assert cache.get("probe") == "shared"


def settings_backend():
    from django.conf import settings

    return settings.CACHES["default"]["BACKEND"]


def test_the_referral_rate_limit_is_counted_in_redis(client, redis_cache, settings):
    settings.REFERRAL_RATE_LIMIT = 2
    statuses = [
        client.post(reverse("referral"), referral_form_data(first_name=f"R{n}")).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    [key] = keys(redis_cache, "*referral-rate*")
    assert int(redis_cache.get(key)) == 3
    # The address is kept as a keyed hash only.
    assert "127.0.0.1" not in key


def test_the_page_cache_and_its_version_live_in_redis(
    client, redis_cache, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 600
    program = make_program(name="Lakeside Group")
    url = reverse("programs:program_detail", args=[program.slug])
    assert b"Lakeside Group" in client.get(url).content
    [version_key] = keys(redis_cache, f"*{page_cache.VERSION_KEY}")
    before = int(redis_cache.get(version_key))
    assert keys(redis_cache, f"*cache_page.v{before}.*")
    # Served from Redis: not one query.
    with django_assert_num_queries(0):
        assert b"Lakeside Group" in client.get(url).content

    with django_capture_on_commit_callbacks(execute=True):
        program.name = "Lakeside Evening Group"
        program.save()
    assert int(redis_cache.get(version_key)) > before
    assert b"Lakeside Evening Group" in client.get(url).content


def test_the_sign_in_lockout_counters_live_in_redis(client, redis_cache, django_user_model):
    django_user_model.objects.create_user("staffer", password="a-long-test-password", is_staff=True)

    def sign_in(password):
        return client.post(
            reverse("admin:login"),
            {"username": "staffer", "password": password, "next": "/admin/"},
            REMOTE_ADDR="192.0.2.20",
        )

    for _ in range(4):
        assert sign_in("wrong").status_code == 200
    assert sign_in("wrong").status_code == 429
    counters = keys(redis_cache, "*axes*")
    assert counters, "axes kept its counters somewhere else"
    assert all("192.0.2.20" not in key and "staffer" not in key for key in counters)
    # A fresh process sees the same lockout: the right password is refused too.
    assert sign_in("a-long-test-password").status_code == 429
    # Lifting the lockout clears the counters in Redis.
    from recovery_directory.lockout import unlock

    unlock("staffer")
    assert sign_in("a-long-test-password").status_code == 302
