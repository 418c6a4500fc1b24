"""Intake and notifications: the email says nothing personal and is never lost."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral, ReferralNotification
from referrals.services import notifications_send_pending
from tests.factories import make_program, make_referral, make_staff, referral_form_data

pytestmark = pytest.mark.django_db

FAILING = "tests.mail.RefusingEmailBackend"


@pytest.fixture
def coordinators():
    return [
        make_staff("ana", "Referral coordinators", email="ana@example.org"),
        make_staff("ben", "Referral coordinators", email="ben@example.org"),
        make_staff("cat", "Curators", email="cat@example.org"),
        make_staff("dee", "Referral coordinators", email="dee@example.org", is_active=False),
    ]


def submit(client, **overrides):
    return client.post(reverse("referral"), referral_form_data(**overrides))


def test_a_new_referral_emails_coordinators_a_link_and_nothing_personal(
    client, coordinators, django_capture_on_commit_callbacks
):
    program = make_program(name="Sunrise Group")
    with django_capture_on_commit_callbacks(execute=True):
        submit(
            client,
            first_name="Robin",
            email="robin@example.org",
            message="Detox for my brother",
            listing=f"program:{program.slug}",
        )
    referral = Referral.objects.get()
    [message] = mail.outbox
    assert sorted(message.to) == ["ana@example.org", "ben@example.org"]
    link = "http://127.0.0.1:8000" + reverse("admin:referrals_referral_change", args=[referral.pk])
    assert link in message.body
    text = message.subject + message.body
    for private in ("Robin", "robin@example.org", "0123", "Detox", "brother", "Sunrise"):
        assert private not in text
    assert referral.notification.sent_at is not None


def test_mail_server_down_keeps_the_referral_and_the_notification(
    client, coordinators, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client)
    assert response.status_code == 302  # the person is told it arrived: it did
    notification = ReferralNotification.objects.get()
    assert notification.sent_at is None
    assert notification.attempts == 1
    assert notification.last_error == "SMTPServerDisconnected"
    assert notification.claimed_until is None
    assert mail.outbox == []


def test_the_next_successful_send_delivers_the_earlier_ones_too(
    client, coordinators, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            submit(client)
    assert ReferralNotification.objects.filter(sent_at=None).count() == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        submit(client)
    assert ReferralNotification.objects.filter(sent_at=None).count() == 0
    assert len(mail.outbox) == 3
    linked = {m.body.split("/referral/")[1].split("/")[0] for m in mail.outbox}
    assert linked == {str(pk) for pk in Referral.objects.values_list("pk", flat=True)}


def test_no_coordinator_address_means_the_notification_waits(client, settings):
    make_referral()
    result = notifications_send_pending()
    assert result == {"sent": 0, "failed": 0, "pending": 1}
    assert ReferralNotification.objects.get().sent_at is None


def test_a_notification_claimed_by_another_sender_is_not_sent_twice(coordinators):
    referral = make_referral()
    ReferralNotification.objects.filter(referral=referral).update(
        claimed_until=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert notifications_send_pending()["sent"] == 0
    assert mail.outbox == []
    # A claim that lapsed (its sender died) is picked up again.
    ReferralNotification.objects.filter(referral=referral).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert notifications_send_pending()["sent"] == 1
    assert len(mail.outbox) == 1
    assert notifications_send_pending()["sent"] == 0
    assert len(mail.outbox) == 1


def test_closing_sets_and_reopening_clears_closed_at():
    referral = make_referral()
    assert referral.closed_at is None
    referral.status = Referral.Status.WITHDRAWN
    referral.save(update_fields=["status"])
    referral.refresh_from_db()
    assert referral.closed_at is not None
    assert referral.allowed_statuses() == {"withdrawn"}


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        ("new", "in_progress", True),
        ("new", "contacted", True),
        ("in_progress", "contacted", True),
        ("contacted", "closed", True),
        ("contacted", "in_progress", True),
        ("in_progress", "withdrawn", True),
        ("contacted", "new", False),
        ("closed", "new", False),
        ("withdrawn", "contacted", False),
    ],
)
def test_status_workflow(start, target, allowed):
    from django.core.exceptions import ValidationError

    referral = make_referral()
    Referral.objects.filter(pk=referral.pk).update(
        status=start,
        closed_at=timezone.now() if start in ("closed", "withdrawn") else None,
    )
    referral = Referral.objects.get(pk=referral.pk)
    referral.status = target
    if allowed:
        referral.full_clean()
    else:
        with pytest.raises(ValidationError):
            referral.full_clean()
