"""Every write about referrals that has side effects: intake, notifications, audit, purge.

Log lines name referrals by id and count only; nothing a person typed is ever logged.
"""

import datetime
import logging
import secrets
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import ExpressionWrapper, F, Max, Q, TextField
from django.urls import reverse
from django.utils import timezone

from programs.models import Program, TreatmentCenter

from . import crypto
from .models import (
    COORDINATORS_GROUP,
    AuditAction,
    Referral,
    ReferralAuditEvent,
    ReferralDataKey,
    ReferralNotification,
    new_reference,
)

logger = logging.getLogger(__name__)

NOTIFICATION_LEASE = datetime.timedelta(minutes=5)
NOTIFY_WINDOW_KEY = "referral-notification-window"


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
    """Store a referral and its pending notification together, then try to announce it.

    Both rows are written in one transaction: if the database fails half-way, neither exists.
    The email is queued as a task after the commit, and a failure to send never undoes the
    referral.
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
        # Suspected spam is kept for coordinators to check but announced to nobody, unless
        # they asked for it (REFERRAL_NOTIFY_SUSPECTED_SPAM): a script must not fill inboxes.
        announce = not spam_reasons or settings.REFERRAL_NOTIFY_SUSPECTED_SPAM
        if announce:
            ReferralNotification.objects.create(referral=referral)
    logger.info("Referral %s received (suspected spam: %s)", referral.pk, referral.suspected_spam)
    if announce:
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
    # A task, so the visitor never waits on the mail server; the worker sends it.
    from .tasks import enqueue_notifications

    try:
        enqueue_notifications()
    except Exception:  # the referral is stored; the cron job will send it
        logger.exception("Queueing the referral notification failed; it stays pending")


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


def notification_message(count, recipients, connection):
    """How many referrals wait, a link to the inbox, and nothing about anyone."""
    inbox = settings.SITE_URL + reverse("admin:referrals_referral_changelist")
    waiting = "1 new request" if count == 1 else f"{count} new requests"
    body = (
        f"{waiting} to be contacted {'has' if count == 1 else 'have'} arrived.\n\n"
        f"Open the inbox (sign-in needed): {inbox}?spam=no&status__exact=new\n\n"
        f"Further requests are gathered into one email every "
        f"{settings.REFERRAL_NOTIFY_MINUTES} minutes. Suspected spam is not announced; "
        "it waits in the inbox under the spam check filter.\n\n"
        "This email deliberately contains no details. Please do not forward it.\n"
    )
    return EmailMessage(
        subject=f"[{settings.SITE_NAME}] {waiting} waiting",
        body=body,
        to=recipients,
        connection=connection,
    )


def notifications_send_pending(*, limit: int = 5000) -> dict:
    """Tell coordinators how many referrals wait: one email, at most every few minutes.

    A flood of submissions never becomes a flood of email. Whoever sends first in a
    window (REFERRAL_NOTIFY_MINUTES) takes it, through an entry in the shared cache and the
    time of the last email in the database; referrals arriving later in the window wait for
    the next one (`send_referral_notifications` runs from cron). The waiting notifications
    are claimed with a conditional UPDATE before sending, and a claim lapses after
    NOTIFICATION_LEASE, so a process that dies mid-send strands nothing.

    The result counts notifications ("sent": announced by the email) and emails.
    """
    result = {"sent": 0, "emails": 0, "failed": 0, "pending": 0}
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
    interval = datetime.timedelta(minutes=settings.REFERRAL_NOTIFY_MINUTES)
    last = ReferralNotification.objects.aggregate(last=Max("sent_at"))["last"]
    if last is not None and now - last < interval:
        return result
    if not cache.add(NOTIFY_WINDOW_KEY, 1, timeout=max(int(interval.total_seconds()), 1)):
        return result  # another process is sending this window's email
    unclaimed = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    ids = list(pending.filter(unclaimed).values_list("pk", flat=True)[:limit])
    # A claim stamp of our own, to tell our rows from any another sender claimed meanwhile.
    stamp = now + NOTIFICATION_LEASE + datetime.timedelta(microseconds=secrets.randbelow(10**6))
    ReferralNotification.objects.filter(pk__in=ids).filter(unclaimed).update(claimed_until=stamp)
    mine = ReferralNotification.objects.filter(pk__in=ids, claimed_until=stamp)
    count = mine.count()
    if not count:
        cache.delete(NOTIFY_WINDOW_KEY)
        return result
    try:
        notification_message(count, recipients, get_connection()).send()
    except Exception as exc:  # SMTP, DNS, TLS... the kind is kept, never the message
        mine.update(
            claimed_until=None, attempts=F("attempts") + 1, last_error=type(exc).__name__[:100]
        )
        cache.delete(NOTIFY_WINDOW_KEY)  # the next try need not wait for the window
        result["failed"] = 1
        logger.warning(
            "Referral notification email for %d referral(s) not sent (%s); they stay queued",
            count,
            type(exc).__name__,
        )
        return result
    mine.update(
        sent_at=timezone.now(), claimed_until=None, attempts=F("attempts") + 1, last_error=""
    )
    result["sent"], result["emails"] = count, 1
    result["pending"] -= count
    logger.info("Sent one email announcing %d referral(s)", count)
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
    """How many data keys (and values from before data keys) each key id of the ring wraps."""
    usage = Counter(
        crypto.key_id_of(wrapped)
        for wrapped in ReferralDataKey.objects.values_list("wrapped", flat=True).iterator(
            chunk_size=1000
        )
    )
    names = encrypted_field_names()
    raw = {f"raw_{name}": ExpressionWrapper(F(name), output_field=TextField()) for name in names}
    for values in Referral.objects.annotate(**raw).values_list(*raw).iterator(chunk_size=1000):
        usage.update(
            crypto.key_id_of(value)
            for value in values
            if value is not None and not crypto.is_sealed(value)
        )
    return usage


def referrals_reencrypt(*, batch_size: int = 500) -> dict:
    """Re-wrap every referral's data key with the first key of REFERRAL_KEYS.

    Only the short data-key rows are rewritten, never the referrals' fields, so it is quick
    whatever their number. Unwrapping uses whichever key each names (and fails loudly when
    that key is gone). Each batch is its own transaction: a crash part-way leaves every key
    readable. Fields still under the ring itself (stored before data keys) are re-sealed.
    """
    done, last_pk = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                ReferralDataKey.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            for row in batch:
                key = crypto.unwrap_data_key(row.wrapped, referral_id=row.pk)
                row.wrapped = crypto.wrap_data_key(key, referral_id=row.pk)
            ReferralDataKey.objects.bulk_update(batch, ["wrapped"])
            done += len(batch)
            last_pk = batch[-1].pk
    resealed = _reseal_legacy_fields()
    logger.info("Re-wrapped %d referral data key(s) with the current key", done)
    return {"reencrypted": done, "resealed": resealed}


def _reseal_legacy_fields() -> int:
    names = encrypted_field_names()
    resealed = 0
    raw = {f"raw_{name}": ExpressionWrapper(F(name), output_field=TextField()) for name in names}
    pks = [
        pk
        for pk, *values in Referral.objects.annotate(**raw).values_list("pk", *raw)
        if any(v is not None and not crypto.is_sealed(v) for v in values)
    ]
    for pk in pks:
        with transaction.atomic():
            referral = Referral.objects.select_for_update().get(pk=pk)
            for name in names:
                getattr(referral, name)  # opened, so saving seals it under the data key
            referral.save(update_fields=names)
            resealed += 1
    return resealed
