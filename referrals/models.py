"""Referrals, the audit trail of every look at them, and the staff notifications they cause."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import crypto
from .fields import EncryptedTextField

COORDINATORS_GROUP = "Referral coordinators"

# Crockford's base32 without the letters people misread (I, L, O, U): 32**8 ≈ 10**12 codes.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8


def new_reference():
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalise_reference(text):
    """What a coordinator types ("abcd-2345 ", "ABCD 2345") as stored ("ABCD2345")."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return cleaned.replace("O", "0").replace("I", "1").replace("L", "1")


def format_reference(code):
    return f"{code[:4]}-{code[4:]}" if len(code) == REFERENCE_LENGTH else code


class Requester(models.TextChoices):
    SELF = "self", _("Myself")
    FAMILY = "family", _("A family member or friend")
    PROFESSIONAL = "professional", _("A professional")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")


class BestTime(models.TextChoices):
    ANY = "any", _("Any time")
    MORNING = "morning", _("Mornings (9am to noon)")
    AFTERNOON = "afternoon", _("Afternoons (noon to 5pm)")
    EVENING = "evening", _("Evenings (5pm to 8pm)")


class ContactLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    OTHER = "other", _("Another language")


class ReferralStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    CONTACTED = "contacted", _("Contacted")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


FINISHED = (ReferralStatus.CLOSED, ReferralStatus.WITHDRAWN)

# The workflow: new -> in progress -> contacted -> closed; withdrawn from any open state.
# A coordinator may skip ahead (a quick call can go straight from new to contacted) and step
# back one state, but a finished referral stays finished.
TRANSITIONS = {
    ReferralStatus.NEW: {
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.CONTACTED,
        ReferralStatus.CLOSED,
        ReferralStatus.WITHDRAWN,
    },
    ReferralStatus.IN_PROGRESS: {
        ReferralStatus.NEW,
        ReferralStatus.CONTACTED,
        ReferralStatus.CLOSED,
        ReferralStatus.WITHDRAWN,
    },
    ReferralStatus.CONTACTED: {
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.CLOSED,
        ReferralStatus.WITHDRAWN,
    },
    ReferralStatus.CLOSED: set(),
    ReferralStatus.WITHDRAWN: set(),
}


class ReferralQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=FINISHED)

    def past_retention(self, days):
        cutoff = timezone.now() - datetime.timedelta(days=days)
        return self.filter(status__in=FINISHED, closed_at__lt=cutoff)


class Referral(models.Model):
    """A confidential request to be contacted. Personal fields are encrypted at rest."""

    Status = ReferralStatus

    reference = models.CharField(max_length=REFERENCE_LENGTH, unique=True, editable=False)
    received_at = models.DateTimeField(
        "received", default=timezone.now, db_index=True, editable=False
    )
    status = models.CharField(
        max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.NEW, db_index=True
    )
    closed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it was closed or withdrawn."
    )
    requester = models.CharField("who is asking", max_length=12, choices=Requester.choices)
    program = models.ForeignKey(
        "programs.Program",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="program of interest",
    )
    center = models.ForeignKey(
        "programs.TreatmentCenter",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="treatment centre of interest",
    )
    # What the person told us: encrypted.
    first_name = EncryptedTextField("first name or initials", max_chars=60)
    organisation = EncryptedTextField("organisation", blank=True, max_chars=200)
    phone = EncryptedTextField(blank=True, max_chars=40)
    email = EncryptedTextField(blank=True, max_chars=254)
    message = EncryptedTextField(blank=True, max_chars=1000)
    # How they want to be reached: choices only, nothing that identifies anyone.
    contact_method = models.CharField(
        "preferred contact", max_length=8, choices=ContactMethod.choices
    )
    voicemail_ok = models.BooleanField(
        "voicemail safe",
        null=True,
        blank=True,
        help_text="Empty: not answered, so do not leave one.",
    )
    text_ok = models.BooleanField(
        "text safe", null=True, blank=True, help_text="Empty: not answered, so do not send one."
    )
    best_time = models.CharField(
        max_length=10, choices=BestTime.choices, default=BestTime.ANY, blank=True
    )
    contact_language = models.CharField(
        "language to contact them in",
        max_length=8,
        choices=ContactLanguage.choices,
        default=ContactLanguage.ENGLISH,
        db_index=True,
    )
    interpreter_needed = models.BooleanField(
        "needs an interpreter", null=True, blank=True, help_text="Empty: not answered."
    )
    # Free text, so encrypted like everything else the person typed.
    other_language = EncryptedTextField("their language", blank=True, max_chars=60)
    page_language = models.CharField(
        "language of the form they used",
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        editable=False,
        db_index=True,
    )
    consent_given_at = models.DateTimeField(editable=False)
    suspected_spam = models.BooleanField(default=False, db_index=True)
    spam_reasons = models.CharField(max_length=100, blank=True, editable=False)
    # The coordinators' side.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_referrals",
    )
    notes = EncryptedTextField(
        "internal notes", blank=True, help_text="Seen by referral coordinators only."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        permissions = [("export_referral", "Can export referrals as CSV")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(requester__in=Requester.values), name="referral_requester_valid"
            ),
            models.CheckConstraint(
                condition=Q(contact_method__in=ContactMethod.values),
                name="referral_contact_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(best_time__in=[*BestTime.values, ""]),
                name="referral_best_time_valid",
            ),
            models.CheckConstraint(
                condition=Q(contact_language__in=ContactLanguage.values),
                name="referral_contact_language_valid",
            ),
            models.CheckConstraint(
                condition=Q(program__isnull=True) | Q(center__isnull=True),
                name="referral_one_listing",
                violation_error_message="A referral is about one program or one centre.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=FINISHED, closed_at__isnull=False)
                | (~Q(status__in=FINISHED) & Q(closed_at__isnull=True)),
                name="referral_closed_at_matches_status",
            ),
        ]

    def __str__(self):
        return f"Referral {self.display_reference}"

    def save(self, *args, **kwargs):
        self._sync_closed_at()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "closed_at"}
        super().save(*args, **kwargs)
        self._loaded_status = self.status
        if getattr(self, "_data_key_unsaved", False):
            # Same transaction as the row (the intake service's): never one without the other.
            ReferralDataKey.objects.create(
                referral=self, wrapped=crypto.wrap_data_key(self._data_key, referral_id=self.pk)
            )
            self._data_key_unsaved = False

    def data_key_bytes(self):
        """This referral's own data key: unwrapped from its row, or made for a new referral."""
        key = getattr(self, "_data_key", None)
        if key is not None:
            return key
        stored = None
        if self.pk is not None:
            try:
                stored = self.data_key
            except ReferralDataKey.DoesNotExist:
                stored = None
        if stored is not None:
            key = crypto.unwrap_data_key(stored.wrapped, referral_id=self.pk)
        else:
            key = crypto.new_data_key()
            self._data_key_unsaved = True
        self._data_key = key
        return key

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def display_reference(self):
        return format_reference(self.reference)

    @property
    def listing(self):
        return self.program or self.center

    @property
    def is_finished(self):
        return self.status in FINISHED

    def allowed_statuses(self):
        """The statuses this referral may move to from the one it was loaded with."""
        current = getattr(self, "_loaded_status", None) or self.status
        return {current, *TRANSITIONS[ReferralStatus(current)]}

    def _sync_closed_at(self):
        if self.status in FINISHED and self.closed_at is None:
            self.closed_at = timezone.now()
        elif self.status not in FINISHED:
            self.closed_at = None

    def clean(self):
        super().clean()
        self._sync_closed_at()
        if self.status not in self.allowed_statuses():
            raise ValidationError(
                {
                    "status": (
                        f"A referral that is {ReferralStatus(self._loaded_status).label.lower()} "
                        f"cannot become {self.get_status_display().lower()}."
                    )
                }
            )


class ReferralDataKey(models.Model):
    """A referral's own random key, stored only encrypted with the key ring.

    Deleting it (the referral's deletion cascades here) makes every copy of the referral's
    fields unreadable, wherever copies remain. Kept in its own table so that rotating the key
    ring rewrites these short rows and never the referrals.
    """

    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, primary_key=True, related_name="data_key"
    )
    wrapped = models.TextField(help_text="The data key, encrypted with REFERRAL_KEYS.")

    class Meta:
        verbose_name = "referral data key"

    def __str__(self):
        return f"Data key of referral #{self.referral_id}"


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")
    DELETE = "delete", _("Deleted")
    PURGE = "purge", _("Deleted by the retention purge")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The referral audit trail cannot be changed.")

    def delete(self):
        raise PermissionError("The referral audit trail cannot be deleted.")


class ReferralAuditEvent(models.Model):
    """Who did what to which referral, and when. Never any of the referral's content.

    Rows name the referral by id and reference code rather than by foreign key, so they outlive
    the referral they describe. They can be added, never changed or deleted.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="Empty for actions of the system itself (the retention purge).",
    )
    action = models.CharField(max_length=8, choices=AuditAction.choices, editable=False)
    referral_id = models.BigIntegerField(db_index=True, editable=False)
    reference = models.CharField(max_length=REFERENCE_LENGTH, db_index=True, editable=False)
    fields = models.CharField(
        "fields changed",
        max_length=300,
        blank=True,
        editable=False,
        help_text="Names of the fields changed, never their values.",
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "referral audit event"
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AuditAction.values), name="referralauditevent_action_valid"
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} {format_reference(self.reference)}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The referral audit trail cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The referral audit trail cannot be deleted.")

    @property
    def display_reference(self):
        return format_reference(self.reference)


class ReferralNotification(models.Model):
    """An email to coordinators about one new referral; kept until it has been sent."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="notification")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    claimed_until = models.DateTimeField(
        null=True, blank=True, help_text="A sender is working on it until then."
    )
    last_error = models.CharField(
        max_length=100, blank=True, help_text="The kind of failure, never its message."
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Notification for referral #{self.referral_id}"
