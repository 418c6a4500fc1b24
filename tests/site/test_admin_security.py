"""Admin sign-in: lockout after repeated failures, sessions that end when idle or too old."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture
def staffer():
    return User.objects.create_user("staffer", password=PASSWORD, is_staff=True)


def sign_in(client, password, ip="192.0.2.20", username="staffer"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def test_repeated_failures_lock_the_sign_in(client, staffer, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = sign_in(client, "wrong")
        assert response.status_code == 200  # the login form again, with an error
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429
    assert b"Sign-in temporarily locked" in locked.content
    assert b"Try again in 0:15:00" in locked.content
    # Now even the right password is refused, for this account from this address.
    assert sign_in(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_elsewhere_never_lock_the_account_at_its_own_address(client, staffer):
    # Five wrong passwords from another address lock only that address out of this account.
    for _ in range(5):
        sign_in(client, "wrong", ip="198.51.100.99")
    assert sign_in(client, PASSWORD, ip="198.51.100.99").status_code == 429
    assert sign_in(client, PASSWORD, ip="192.0.2.20").status_code == 302


def test_one_failure_from_each_of_many_addresses_locks_nobody(client, staffer):
    for n in range(20):
        assert sign_in(client, "wrong", ip=f"203.0.113.{n + 1}").status_code == 200
    assert sign_in(client, PASSWORD, ip="203.0.113.1").status_code == 302


def test_a_locked_address_can_still_sign_in_to_other_accounts(client, staffer):
    User.objects.create_user("colleague", password=PASSWORD, is_staff=True)
    for _ in range(5):
        sign_in(client, "wrong")
    response = sign_in(client, PASSWORD, username="colleague")
    assert response.status_code == 302


def lock_and_wait(client, traveller, now, minutes):
    for _ in range(5):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 429
    traveller.move_to(now + datetime.timedelta(minutes=minutes - 1))
    assert sign_in(client, PASSWORD).status_code == 429, f"open before {minutes} minutes"
    traveller.move_to(now + datetime.timedelta(minutes=minutes + 1))
    return now + datetime.timedelta(minutes=minutes + 1)


def test_each_new_lockout_lasts_twice_as_long(client, staffer):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        now = lock_and_wait(client, traveller, start, 15)
        now = lock_and_wait(client, traveller, now, 30)
        now = lock_and_wait(client, traveller, now, 60)
        # The pair signs in at last: its record is forgiven, the next lockout is short again.
        assert sign_in(client, PASSWORD).status_code == 302
        client.logout()
        lock_and_wait(client, traveller, now, 15)


def test_the_lockout_never_exceeds_the_maximum(settings):
    from recovery_directory.lockout import duration

    assert duration(1) == datetime.timedelta(minutes=15)
    assert duration(4) == datetime.timedelta(minutes=120)
    assert duration(40) == datetime.timedelta(minutes=settings.AXES_COOLOFF_MAX_MINUTES)


def test_tries_during_a_lockout_do_not_extend_it(client, staffer):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(5):
            sign_in(client, "wrong")
        for minute in range(1, 14):
            traveller.move_to(start + datetime.timedelta(minutes=minute))
            assert sign_in(client, "wrong").status_code == 429
        traveller.move_to(start + datetime.timedelta(minutes=16))
        assert sign_in(client, PASSWORD).status_code == 302


def test_the_lockout_is_counted_in_the_shared_cache(client, staffer, settings):
    from django.core.cache import cache

    assert settings.AXES_HANDLER == "axes.handlers.cache.AxesCacheHandler"
    for _ in range(5):
        sign_in(client, "wrong")
    # Another worker sharing the cache refuses too; one with an empty cache would not.
    assert sign_in(client, PASSWORD).status_code == 429
    cache.clear()
    assert sign_in(client, PASSWORD).status_code == 302


def test_failed_attempts_never_store_the_password(client, staffer):
    from axes.models import AccessAttempt
    from django.core.cache import cache

    sign_in(client, "wrong-secret-password")
    assert not AccessAttempt.objects.exists()
    stored = " ".join(f"{k} {cache.get(k)}" for k in cache._cache)  # locmem's own keys
    assert stored
    assert "wrong-secret-password" not in stored


@pytest.fixture
def manager():
    return User.objects.create_superuser("manager", password=PASSWORD)


def test_a_manager_lifts_a_lockout_from_the_users_admin(client, staffer, manager):
    for ip in ("192.0.2.20", "198.51.100.4"):
        for _ in range(5):
            sign_in(client, "wrong", ip=ip)
        assert sign_in(client, PASSWORD, ip=ip).status_code == 429
    client.force_login(manager)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "lift_lockout", "_selected_action": [staffer.pk, manager.pk]},
        follow=True,
    )
    assert b"Sign-in unlocked for 1 of 2 selected" in response.content
    client.logout()
    assert sign_in(client, PASSWORD, ip="192.0.2.20").status_code == 302
    client.logout()
    assert sign_in(client, PASSWORD, ip="198.51.100.4").status_code == 302


def test_an_operator_lifts_a_lockout_from_the_command_line(client, staffer):
    from io import StringIO

    from django.core.management import call_command

    for _ in range(5):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 429
    out = StringIO()
    call_command("unlock_signin", "staffer", stdout=out)
    assert "Lifted 1 lockout(s) of 'staffer'" in out.getvalue()
    assert sign_in(client, PASSWORD).status_code == 302
    out = StringIO()
    call_command("unlock_signin", "staffer", stdout=out)
    assert "'staffer' was not locked out" in out.getvalue()


def test_staff_who_cannot_change_users_have_no_unlock_action(client, staffer):
    from django.contrib.auth.models import Permission

    staffer.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(staffer)
    response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200
    assert b"lift_lockout" not in response.content


def test_idle_admin_sessions_expire(client, staffer, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(staffer)
        assert client.get(reverse("admin:index")).status_code == 200
        # Active every 25 minutes: the session keeps sliding forward.
        for step in (25, 50, 75):
            traveller.move_to(start + datetime.timedelta(minutes=step))
            assert client.get(reverse("admin:index")).status_code == 200, step
        # Then 31 minutes of nothing: signed out.
        traveller.move_to(start + datetime.timedelta(minutes=75 + 31))
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_admin_sessions_end_after_twelve_hours_however_active(client, staffer, settings):
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(staffer)
        minutes = 0
        while minutes < 12 * 60 - 20:
            assert client.get(reverse("admin:index")).status_code == 200, minutes
            minutes += 20
            traveller.move_to(start + datetime.timedelta(minutes=minutes))
        traveller.move_to(start + datetime.timedelta(hours=12, minutes=1))
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session
