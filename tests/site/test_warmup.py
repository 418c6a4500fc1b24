"""The master's warm-up requests (recovery_directory/warmup.py)."""

import pytest
from django.db import connection

from recovery_directory.warmup import warm_up
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def test_every_page_answers_in_both_languages(settings):
    settings.ALLOWED_HOSTS = [".directory.example.org"]
    settings.SECURE_SSL_REDIRECT = True  # production: plain http would only be redirected
    make_meeting()
    statuses = warm_up()
    assert statuses["/health/"] == 200
    assert statuses["/programs/"] == 200
    assert statuses["/es/programs/"] == 200
    assert statuses["/es/get-help/"] == 200
    assert set(statuses.values()) == {200}
    assert len(statuses) == 15  # the health check once, seven pages in two languages


@pytest.mark.django_db(transaction=True)  # outside a test transaction, so it can close
def test_no_connection_is_left_open_for_the_workers_to_share():
    make_meeting()
    warm_up()
    assert connection.connection is None


def test_a_failing_page_is_logged_and_the_rest_still_served(monkeypatch, caplog):
    from programs import views

    def broken(*args, **kwargs):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(views.ProgramListView, "get", broken)
    statuses = warm_up()
    assert statuses["/programs/"] is None
    assert statuses["/meetings/"] == 200
    assert "Warm-up request for /programs/ failed" in caplog.text
