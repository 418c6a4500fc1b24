"""Intake and notifications: the email says nothing personal and is never lost."""

import datetime

import pytest
import time_machine
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
    client, coordinators, tasks_after_commit
):
    program = make_program(name="Sunrise Group")
    with tasks_after_commit(execute=True):
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
    assert message.subject == "[Recovery Directory] 1 new request waiting"
    inbox = "http://127.0.0.1:8000" + reverse("admin:referrals_referral_changelist")
    assert inbox + "?spam=no&status__exact=new" in message.body
    text = message.subject + message.body
    for private in ("Robin", "robin@example.org", "0123", "Detox", "brother", "Sunrise"):
        assert private not in text
    assert referral.notification.sent_at is not None


def flood(client, count, capture, **overrides):
    for _ in range(count):
        with capture(execute=True):
            assert submit(client, **overrides).status_code == 302


def test_a_flood_of_referrals_is_one_email_per_window(
    client, coordinators, settings, tasks_after_commit
):
    settings.REFERRAL_RATE_LIMIT = 0
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        flood(client, 30, tasks_after_commit)
        assert len(mail.outbox) == 1
        assert ReferralNotification.objects.filter(sent_at=None).count() == 29
        # Still inside the window: the cron job waits too.
        traveller.move_to(start + datetime.timedelta(minutes=settings.REFERRAL_NOTIFY_MINUTES - 1))
        assert notifications_send_pending()["emails"] == 0
        traveller.move_to(start + datetime.timedelta(minutes=settings.REFERRAL_NOTIFY_MINUTES + 1))
        assert notifications_send_pending() == {"sent": 29, "emails": 1, "failed": 0, "pending": 0}
    assert [m.subject for m in mail.outbox] == [
        "[Recovery Directory] 1 new request waiting",
        "[Recovery Directory] 29 new requests waiting",
    ]


def test_the_window_is_kept_in_the_shared_cache(coordinators, settings):
    """Two senders at the same moment (the database not yet showing the first one's email)
    still send one email between them."""
    from django.core.cache import cache

    from referrals.services import NOTIFY_WINDOW_KEY

    make_referral()
    cache.add(NOTIFY_WINDOW_KEY, 1, timeout=600)  # another worker took this window
    assert notifications_send_pending()["emails"] == 0
    assert mail.outbox == []
    cache.delete(NOTIFY_WINDOW_KEY)
    assert notifications_send_pending()["emails"] == 1


def test_suspected_spam_is_stored_but_never_announced(client, coordinators, tasks_after_commit):
    flood(client, 3, tasks_after_commit, website="http://spam.example")
    assert Referral.objects.filter(suspected_spam=True).count() == 3
    assert not ReferralNotification.objects.exists()
    assert mail.outbox == []


def test_coordinators_can_ask_to_hear_of_suspected_spam(
    client, coordinators, settings, tasks_after_commit
):
    settings.REFERRAL_NOTIFY_SUSPECTED_SPAM = True
    flood(client, 1, tasks_after_commit, website="http://spam.example")
    assert len(mail.outbox) == 1


@pytest.mark.slow
def test_a_flood_of_a_thousand_submissions(
    client, coordinators, settings, tasks_after_commit, capsys
):
    """The figure for issue 16: emails sent while 1,000 submissions (half of them caught
    by the honeypot) arrive within one window, and after it."""
    settings.REFERRAL_RATE_LIMIT = 0
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for n in range(1000):
            with tasks_after_commit(execute=True):
                submit(client, website="http://spam.example" if n % 2 else "")
        during = len(mail.outbox)
        traveller.move_to(start + datetime.timedelta(minutes=settings.REFERRAL_NOTIFY_MINUTES))
        notifications_send_pending()
    assert Referral.objects.count() == 1000
    assert during == 1
    assert len(mail.outbox) == 2
    assert not ReferralNotification.objects.filter(sent_at=None).exists()
    with capsys.disabled():
        print(
            f"\n[notifications] 1,000 submissions (500 suspected spam): {during} email during "
            f"the flood, {len(mail.outbox)} in all after one {settings.REFERRAL_NOTIFY_MINUTES}"
            "-minute window"
        )


def test_mail_server_down_keeps_the_referral_and_the_notification(
    client, coordinators, settings, tasks_after_commit
):
    settings.EMAIL_BACKEND = FAILING
    with tasks_after_commit(execute=True):
        response = submit(client)
    assert response.status_code == 302  # the person is told it arrived: it did
    notification = ReferralNotification.objects.get()
    assert notification.sent_at is None
    assert notification.attempts == 1
    assert notification.last_error == "SMTPServerDisconnected"
    assert notification.claimed_until is None
    assert mail.outbox == []


def test_the_next_successful_send_announces_the_earlier_ones_too(
    client, coordinators, settings, tasks_after_commit
):
    settings.EMAIL_BACKEND = FAILING
    for _ in range(2):
        with tasks_after_commit(execute=True):
            submit(client)
    assert ReferralNotification.objects.filter(sent_at=None).count() == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with tasks_after_commit(execute=True):
        submit(client)
    assert ReferralNotification.objects.filter(sent_at=None).count() == 0
    [message] = mail.outbox
    assert "3 new requests" in message.subject


def test_no_coordinator_address_means_the_notification_waits(client, settings):
    make_referral()
    result = notifications_send_pending()
    assert result == {"sent": 0, "emails": 0, "failed": 0, "pending": 1}
    assert ReferralNotification.objects.get().sent_at is None


def test_a_notification_claimed_by_another_sender_is_not_sent_twice(coordinators):
    from django.core.cache import cache

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
    cache.clear()
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
