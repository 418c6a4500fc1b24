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
    # Now even the right password is refused, from this address...
    assert sign_in(client, PASSWORD).status_code == 429
    # ...and for this account from another address.
    assert sign_in(client, PASSWORD, ip="198.51.100.99").status_code == 429
    assert "_auth_user_id" not in client.session


def test_other_accounts_at_other_addresses_are_not_affected(client, staffer):
    User.objects.create_user("colleague", password=PASSWORD, is_staff=True)
    for _ in range(5):
        sign_in(client, "wrong")
    response = sign_in(client, PASSWORD, ip="203.0.113.7", username="colleague")
    assert response.status_code == 302


def test_the_lockout_lifts_after_the_cool_off(client, staffer, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(5):
            sign_in(client, "wrong")
        assert sign_in(client, PASSWORD).status_code == 429
        traveller.move_to(start + settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1))
        assert sign_in(client, PASSWORD).status_code == 302


def test_failed_attempts_never_store_the_password(client, staffer):
    from axes.models import AccessAttempt

    sign_in(client, "wrong-secret-password")
    attempt = AccessAttempt.objects.get()
    stored = " ".join(str(value) for value in attempt.__dict__.values())
    assert "wrong-secret-password" not in stored


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
