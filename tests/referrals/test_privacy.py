"""Nothing a person types reaches logs, error emails or exception reports: not even on a crash."""

import logging
import sys
import uuid

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.test import Client
from django.views.debug import get_exception_reporter_class

from referrals.models import Referral
from tests.factories import make_staff, referral_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def canary():
    return f"CANARY{uuid.uuid4().hex[:12]}"


@pytest.fixture
def all_logs(caplog):
    """Every log record, including those of loggers that do not propagate to the root."""
    quiet = [logging.getLogger(name) for name in ("django.request", "django.server")]
    for logger in quiet:
        logger.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)
    yield caplog
    for logger in quiet:
        logger.removeHandler(caplog.handler)


def canary_post(canary, **overrides):
    return referral_form_data(
        first_name=canary,
        email=f"{canary.lower()}@example.org",
        message=f"My name is {canary}",
        requester="professional",
        organisation=f"{canary} clinic",
        **overrides,
    )


def everything_captured(all_logs, capfd):
    out, err = capfd.readouterr()
    records = " ".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in all_logs.records)
    mails = " ".join(
        m.subject + m.body + "".join(str(a[0]) for a in getattr(m, "alternatives", []))
        for m in mail.outbox
    )
    return "\n".join([out, err, all_logs.text, records, mails])


def test_valid_invalid_and_limited_submissions_log_nothing_personal(
    client, canary, all_logs, capfd, settings, tasks_after_commit
):
    make_staff("ana", "Referral coordinators")
    settings.REFERRAL_RATE_LIMIT = 2
    with tasks_after_commit(execute=True):
        assert client.post("/get-help/", canary_post(canary)).status_code == 302
    assert client.post("/get-help/", canary_post(canary, phone="nope")).status_code == 400
    assert client.post("/get-help/", canary_post(canary)).status_code == 429
    captured = everything_captured(all_logs, capfd)
    assert "Referral" in captured and "received" in captured  # the logs did run
    assert "rate limit" in captured
    assert len(mail.outbox) == 1  # the coordinator's notification
    assert canary not in captured and canary.lower() not in captured


def test_database_failure_logs_nothing_personal(client, canary, all_logs, capfd):
    def refuse(execute, sql, params, many, context):
        raise OperationalError(f"could not write {params!r}")

    with connection.execute_wrapper(refuse):
        assert client.post("/get-help/", canary_post(canary)).status_code == 503
    captured = everything_captured(all_logs, capfd)
    assert "database error (OperationalError)" in captured
    assert canary not in captured


def test_a_crash_in_the_view_sends_an_error_report_without_the_persons_data(
    canary, all_logs, capfd, settings
):
    settings.ADMINS = [("Operator", "ops@example.org")]

    def crash_on_insert(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "referrals_referral" in sql:
            raise RuntimeError("forced failure while saving a referral")
        return execute(sql, params, many, context)

    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(crash_on_insert):
        response = client.post("/get-help/?program=sunrise-house", canary_post(canary))
    assert response.status_code == 500
    assert Referral.objects.count() == 0

    [report] = mail.outbox
    assert report.to == ["ops@example.org"]
    assert "Internal Server Error: /get-help/" in report.subject
    assert "RuntimeError" in report.body and "forced failure" in report.body
    assert "crash_on_insert" in report.body  # the traceback is there...
    assert "********" in report.body  # ...with its variables and POST values replaced
    captured = everything_captured(all_logs, capfd)
    assert canary not in captured and canary.lower() not in captured
    assert "sunrise-house" not in report.body  # nor the query string naming a listing


def test_the_html_and_text_reports_are_scrubbed_too(rf, canary):
    """The report classes Django builds for any error (debug page and mail alike)."""
    request = rf.post(
        f"/get-help/?center={canary}-centre", {"first_name": canary}, HTTP_COOKIE=f"c={canary}"
    )
    request.META["HTTP_X_SECRET_NOTE"] = canary

    def view(first_name):
        raise ValueError("boom")

    try:
        view(canary)
    except ValueError:
        reporter = get_exception_reporter_class(request)(request, *sys.exc_info())
    assert type(reporter).__name__ == "PrivateExceptionReporter"
    for report in (reporter.get_traceback_html(), reporter.get_traceback_text()):
        assert "boom" in report
        assert "first_name" in report  # the names are kept...
        assert canary not in report  # ...their values are not
