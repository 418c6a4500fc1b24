"""What browsers and shared caches may keep: nothing from the admin, nothing shared for staff."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import make_program, make_referral

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def assert_no_store(response):
    cache_control = response.get("Cache-Control", "")
    assert "no-store" in cache_control and "private" in cache_control, cache_control
    assert "public" not in cache_control


def test_admin_error_pages_are_never_stored(client, curator):
    referral = make_referral()
    forbidden = client.get(reverse("admin:referrals_referral_change", args=[referral.pk]))
    assert forbidden.status_code == 403
    assert_no_store(forbidden)
    missing = client.get("/admin/no-such-page/")
    assert missing.status_code == 404
    assert_no_store(missing)
    assert_no_store(client.get(reverse("admin:index")))
    assert_no_store(client.get(reverse("admin:programs_program_changelist")))


def test_the_lockout_page_is_never_stored(client):
    User.objects.create_user("staffer", password=PASSWORD, is_staff=True)
    for _ in range(5):
        response = client.post(reverse("admin:login"), {"username": "staffer", "password": "wrong"})
    assert response.status_code == 429
    assert_no_store(response)


def test_anonymous_admin_redirects_are_never_stored(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert_no_store(response)


def test_public_pages_are_private_for_signed_in_staff(client, curator):
    program = make_program()
    for url in (reverse("home"), reverse("programs:list"), program.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "public" not in cache_control, url


def test_public_pages_stay_shared_for_visitors(client):
    program = make_program()
    for url in (reverse("home"), reverse("programs:list"), program.get_absolute_url()):
        response = client.get(url)
        cache_control = response.get("Cache-Control", "")
        assert "private" not in cache_control, url
        assert "max-age=" in cache_control, url
