"""The operators' commands: retention purge and the notification retry."""

import datetime
import io
import logging

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from referrals.models import Referral, ReferralAuditEvent, ReferralNotification
from tests.factories import make_referral, make_staff

pytestmark = pytest.mark.django_db


def finished(days_ago, status=Referral.Status.CLOSED, **kwargs):
    referral = make_referral(**kwargs)
    Referral.objects.filter(pk=referral.pk).update(
        status=status, closed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return referral


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_purge_deletes_only_finished_referrals_past_retention(caplog):
    old_closed = finished(200, first_name="Old Closed")
    old_withdrawn = finished(181, status=Referral.Status.WITHDRAWN)
    recent = finished(10)
    old_open = make_referral()
    Referral.objects.filter(pk=old_open.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=400)
    )
    with caplog.at_level(logging.INFO):
        output = run("purge_referrals", "--older-than", "180")
    assert "Deleted 2 closed referral(s)" in output
    assert set(Referral.objects.values_list("pk", flat=True)) == {recent.pk, old_open.pk}
    assert not ReferralNotification.objects.filter(
        referral_id__in=[old_closed.pk, old_withdrawn.pk]
    ).exists()
    purged = ReferralAuditEvent.objects.filter(action="purge")
    assert set(purged.values_list("reference", flat=True)) == {
        old_closed.reference,
        old_withdrawn.reference,
    }
    assert all(event.user is None for event in purged)
    assert "Old Closed" not in caplog.text
    assert "deleted 2 referral(s)" in caplog.text


def test_purge_is_idempotent_and_defaults_to_the_setting(settings):
    settings.REFERRAL_RETENTION_DAYS = 30
    finished(31)
    kept = finished(29)
    assert "Deleted 1 " in run("purge_referrals")
    assert "Deleted 0 " in run("purge_referrals")
    assert list(Referral.objects.values_list("pk", flat=True)) == [kept.pk]


def test_purge_dry_run_deletes_nothing():
    finished(365)
    assert "Would delete 1 " in run("purge_referrals", "--older-than", "90", "--dry-run")
    assert Referral.objects.count() == 1


def test_purge_refuses_a_zero_retention():
    with pytest.raises(CommandError):
        run("purge_referrals", "--older-than", "0")


def test_notification_command_retries_after_the_mail_server_comes_back(settings):
    make_staff("ana", "Referral coordinators", email="ana@example.org")
    settings.EMAIL_BACKEND = "tests.mail.RefusingEmailBackend"
    make_referral()
    make_referral()
    with pytest.raises(CommandError, match="stays queued"):
        run("send_referral_notifications")
    assert ReferralNotification.objects.filter(sent_at=None).count() == 2
    assert ReferralNotification.objects.get(attempts=1).last_error == "SMTPServerDisconnected"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "Sent 2, failed 0, still queued 0" in run("send_referral_notifications")
    assert len(mail.outbox) == 2
    assert "Sent 0, failed 0, still queued 0" in run("send_referral_notifications")
    assert len(mail.outbox) == 2


def test_rotation_check_reports_key_usage(settings):
    make_referral()
    output = run("rotate_referral_keys", "--check")
    assert "key test-1 (current): 7 value(s)" in output
