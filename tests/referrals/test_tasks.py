"""Notifications are queued as a task after the referral commits, and a worker sends them."""

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from referrals.models import ReferralNotification
from tests.factories import make_staff, referral_form_data
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

TASK = "referrals.tasks.send_notifications"


@pytest.fixture
def coordinator():
    return make_staff("ana", "Referral coordinators", email="ana@example.org")


def submit(client, **overrides):
    return client.post(reverse("referral"), referral_form_data(**overrides))


def test_the_request_queues_the_email_after_commit_and_a_worker_sends_it(
    client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert submit(client).status_code == 302
    assert not DBTaskResult.objects.exists()  # nothing queued before the commit
    for callback in callbacks:
        callback()
    [queued] = DBTaskResult.objects.ready()
    assert queued.task_path == TASK and queued.queue_name == "default"
    assert mail.outbox == []  # the visitor's request sent nothing
    run_queued_tasks()
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert ReferralNotification.objects.get().sent_at is not None
    assert DBTaskResult.objects.get().return_value == {
        "sent": 1,
        "emails": 1,
        "failed": 0,
        "pending": 0,
    }


def test_a_flood_before_the_worker_looks_queues_one_task(
    client, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.REFERRAL_RATE_LIMIT = 0
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            assert submit(client).status_code == 302
    assert DBTaskResult.objects.ready().count() == 1
    run_queued_tasks()
    [message] = mail.outbox
    assert "5 new requests" in message.subject
    # After the task has started, the next referral queues the next one.
    with django_capture_on_commit_callbacks(execute=True):
        submit(client)
    assert DBTaskResult.objects.ready().count() == 1


def test_suspected_spam_queues_nothing(client, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, website="http://spam.example")
    assert not DBTaskResult.objects.exists()
