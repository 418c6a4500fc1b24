"""Error mails to the admins: one per distinct error per window, never a flood."""

import logging

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client

from recovery_directory.reporting import ThrottledAdminEmailHandler

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.site.urls_failing")]


@pytest.fixture(autouse=True)
def admins(settings):
    settings.ADMINS = [("Operator", "ops@example.org")]
    ThrottledAdminEmailHandler.local.clear()


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_the_same_error_is_mailed_once_per_window(client, settings):
    with time_machine.travel(1_800_000_000, tick=False) as traveller:
        for _ in range(50):
            assert client.get("/fail/").status_code == 500
        assert len(mail.outbox) == 1
        assert "Internal Server Error: /fail/" in mail.outbox[0].subject
        traveller.shift(settings.ADMIN_EMAIL_WINDOW_SECONDS)
        client.get("/fail/")
    assert len(mail.outbox) == 2
    assert "49 more like it held back" in mail.outbox[1].subject


def test_different_errors_each_get_their_mail(client):
    client.get("/fail/")
    logging.getLogger("django.request").error("Something else broke")
    logging.getLogger("django.request").error("Something else broke")
    assert len(mail.outbox) == 2


def test_no_more_than_the_cap_of_mails_per_window(settings):
    settings.ADMIN_EMAIL_MAX_PER_WINDOW = 3
    logger = logging.getLogger("django.request")
    for n in range(10):
        logger.error(f"Distinct failure number {n}")
    assert len(mail.outbox) == 3


def test_a_bad_host_header_is_never_mailed(client):
    for _ in range(5):
        response = client.get("/", HTTP_HOST="attacker.example")
        assert response.status_code == 400
    assert mail.outbox == []


def test_a_failing_health_check_is_never_mailed(client):
    def refuse(execute, sql, params, many, context):
        raise RuntimeError("database down")

    with connection.execute_wrapper(refuse):
        for _ in range(5):
            assert client.get("/health/").status_code == 503
    assert mail.outbox == []


def test_an_oversized_body_is_a_400_without_a_mail(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    for _ in range(5):
        response = client.post("/get-help/", {"message": "x" * 5000})
        assert response.status_code == 400
    assert mail.outbox == []


def test_when_the_cache_fails_the_process_still_holds_back(client, monkeypatch):
    from recovery_directory import reporting

    class Broken:
        def __getattr__(self, name):
            raise ConnectionError("cache down")

    monkeypatch.setattr(reporting, "cache", Broken())
    for _ in range(10):
        client.get("/fail/")
    assert len(mail.outbox) == 1
