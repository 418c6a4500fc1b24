"""Every write about referrals that has side effects: intake, notifications, audit, purge.

Log lines name referrals by id and count only; nothing a person typed is ever logged.
"""

import datetime
import logging
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import ExpressionWrapper, F, Q, TextField
from django.urls import reverse
from django.utils import timezone

from programs.models import Program, TreatmentCenter

from . import crypto
from .models import (
    COORDINATORS_GROUP,
    AuditAction,
    Referral,
    ReferralAuditEvent,
    ReferralNotification,
    new_reference,
)

logger = logging.getLogger(__name__)

NOTIFICATION_LEASE = datetime.timedelta(minutes=5)


# --- Intake -----------------------------------------------------------------------------------


def referral_create(
    *,
    requester: str,
    first_name: str,
    contact_method: str,
    organisation: str = "",
    phone: str = "",
    email: str = "",
    voicemail_ok: bool | None = None,
    text_ok: bool | None = None,
    best_time: str = "",
    message: str = "",
    listing: Program | TreatmentCenter | None = None,
    contact_language: str = "en",
    interpreter_needed: bool | None = None,
    other_language: str = "",
    page_language: str = "en",
    spam_reasons: list[str] | tuple[str, ...] = (),
) -> Referral:
    """Store a referral and its pending notification together, then try to send it.

    Both rows are written in one transaction: if the database fails half-way, neither exists.
    The email goes out only after the commit, and a failure to send never undoes the referral.
    """
    with transaction.atomic():
        referral = Referral(
            requester=requester,
            first_name=first_name,
            organisation=organisation,
            phone=phone,
            email=email,
            contact_method=contact_method,
            voicemail_ok=voicemail_ok,
            text_ok=text_ok,
            best_time=best_time,
            message=message,
            program=listing if isinstance(listing, Program) else None,
            center=listing if isinstance(listing, TreatmentCenter) else None,
            contact_language=contact_language,
            interpreter_needed=interpreter_needed,
            other_language=other_language,
            page_language=page_language,
            consent_given_at=timezone.now(),
            suspected_spam=bool(spam_reasons),
            spam_reasons=",".join(spam_reasons),
        )
        _save_with_unique_reference(referral)
        ReferralNotification.objects.create(referral=referral)
    logger.info("Referral %s received (suspected spam: %s)", referral.pk, referral.suspected_spam)
    transaction.on_commit(_send_after_commit)
    return referral


def _save_with_unique_reference(referral, attempts=5):
    for _ in range(attempts):
        referral.reference = new_reference()
        try:
            with transaction.atomic():
                referral.save(force_insert=True)
            return
        except IntegrityError:
            if not Referral.objects.filter(reference=referral.reference).exists():
                raise  # some other constraint failed
    raise IntegrityError("Could not find an unused referral reference.")


def _send_after_commit():
    try:
        notifications_send_pending()
    except Exception:  # the referral is stored; the cron job will send it
        logger.exception("Sending referral notifications failed; they stay queued")


# --- Notifications ----------------------------------------------------------------------------


def coordinator_emails():
    User = get_user_model()
    return list(
        User.objects.filter(groups__name=COORDINATORS_GROUP, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def notification_message(notification, recipients, connection):
    """A link to the referral in the admin, and nothing about the person."""
    url = settings.SITE_URL + reverse(
        "admin:referrals_referral_change", args=[notification.referral_id]
    )
    body = (
        "A new request to be contacted has arrived.\n\n"
        f"Open it (sign-in needed): {url}\n\n"
        "This email deliberately contains no details. Please do not forward it.\n"
    )
    return EmailMessage(
        subject=f"[{settings.SITE_NAME}] New referral waiting",
        body=body,
        to=recipients,
        connection=connection,
    )


def notifications_send_pending(*, limit: int = 100) -> dict:
    """Send queued notifications, oldest first; stop at the first mail failure.

    Each notification is claimed with a conditional UPDATE before sending, so two processes
    (a web request and the cron job, say) never send the same one. A claim lapses after
    NOTIFICATION_LEASE, so a process that dies mid-send cannot strand a notification.
    """
    result = {"sent": 0, "failed": 0, "pending": 0}
    now = timezone.now()
    pending = ReferralNotification.objects.filter(sent_at__isnull=True)
    result["pending"] = pending.count()
    if not result["pending"]:
        return result
    recipients = coordinator_emails()
    if not recipients:
        logger.warning(
            "%d referral notification(s) waiting: no active coordinator has an email address",
            result["pending"],
        )
        return result
    unclaimed = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    connection = get_connection()
    for notification in pending.filter(unclaimed)[:limit]:
        claimed = (
            ReferralNotification.objects.filter(pk=notification.pk, sent_at__isnull=True)
            .filter(unclaimed)
            .update(claimed_until=now + NOTIFICATION_LEASE)
        )
        if not claimed:
            continue
        try:
            notification_message(notification, recipients, connection).send()
        except Exception as exc:  # SMTP, DNS, TLS... the kind is kept, never the message
            ReferralNotification.objects.filter(pk=notification.pk).update(
                claimed_until=None,
                attempts=notification.attempts + 1,
                last_error=type(exc).__name__[:100],
            )
            result["failed"] += 1
            logger.warning(
                "Referral notification %s not sent (%s); it stays queued",
                notification.pk,
                type(exc).__name__,
            )
            break
        ReferralNotification.objects.filter(pk=notification.pk).update(
            sent_at=timezone.now(),
            claimed_until=None,
            attempts=notification.attempts + 1,
            last_error="",
        )
        result["sent"] += 1
    result["pending"] -= result["sent"]
    if result["sent"]:
        logger.info("Sent %d referral notification(s)", result["sent"])
    return result


# --- Audit ------------------------------------------------------------------------------------


def audit_record(*, referrals, action: str, user=None, fields=()) -> int:
    """One audit event per referral: who, when, which, what. Never any content."""
    names = ", ".join(sorted(fields))[:300]
    events = [
        ReferralAuditEvent(
            user=user,
            action=AuditAction(action),
            referral_id=referral.pk,
            reference=referral.reference,
            fields=names,
        )
        for referral in referrals
    ]
    ReferralAuditEvent.objects.bulk_create(events)
    return len(events)


# --- Retention --------------------------------------------------------------------------------


def referrals_purge(*, older_than_days: int, dry_run: bool = False, batch_size: int = 500) -> int:
    """Delete closed or withdrawn referrals finished more than `older_than_days` ago.

    Running it again deletes nothing more. Each deletion leaves a content-free audit event.
    """
    due = Referral.objects.past_retention(older_than_days).order_by("pk")
    if dry_run:
        return due.count()
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(due.only("pk", "reference")[:batch_size])
            if not batch:
                break
            audit_record(referrals=batch, action=AuditAction.PURGE)
            Referral.objects.filter(pk__in=[r.pk for r in batch]).only("pk").delete()
            deleted += len(batch)
    logger.info(
        "Retention purge deleted %d referral(s) finished over %d days ago", deleted, older_than_days
    )
    return deleted


# --- Key rotation -----------------------------------------------------------------------------


def encrypted_field_names():
    from .fields import EncryptedTextField

    return [f.name for f in Referral._meta.fields if isinstance(f, EncryptedTextField)]


def referral_key_usage() -> Counter:
    """How many stored values each key id encrypted, read from the raw columns."""
    names = encrypted_field_names()
    raw = {f"raw_{name}": ExpressionWrapper(F(name), output_field=TextField()) for name in names}
    usage = Counter()
    for values in Referral.objects.annotate(**raw).values_list(*raw).iterator(chunk_size=1000):
        usage.update(crypto.key_id_of(value) for value in values if value is not None)
    return usage


def referrals_reencrypt(*, batch_size: int = 200) -> dict:
    """Re-encrypt every referral with the first key of REFERRAL_KEYS.

    Reading decrypts with whichever key each value names (and fails loudly when that key is
    gone); saving encrypts with the first key. Rows are rewritten in batches, each batch in
    its own transaction, so a crash part-way leaves every row readable.
    """
    encrypted = encrypted_field_names()
    done, last_pk = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                Referral.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", *encrypted)[:batch_size]
            )
            if not batch:
                break
            Referral.objects.bulk_update(batch, encrypted)
            done += len(batch)
            last_pk = batch[-1].pk
    logger.info("Re-encrypted %d referral(s) with the current key", done)
    return {"reencrypted": done}
