"""Dated events hosted by programs and centres: workshops, picnics, celebrations..."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.links import slug_url
from listings.models import Listing, ListingQuerySet, Location
from programs.models import Program, TreatmentCenter


class Category(models.TextChoices):
    SUPPORT_GROUP = "support-group", _("Support groups and sharing circles")
    ART = "art", _("Art and creative expression")
    SOCIAL = "social", _("Picnics and social events")
    SKILLS = "skills", _("Skills and educational workshops")
    CELEBRATION = "celebration", _("Recovery celebrations and milestones")
    OUTDOOR = "outdoor", _("Outdoor and wellness activities")


class ActivityQuerySet(ListingQuerySet):
    def upcoming(self, now=None):
        """Activities that have not finished yet (a picnic under way still counts)."""
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())

    def for_listing(self):
        return self.select_related("location", "host_program", "host_center")


class Activity(Listing):
    report_kind = "activity"
    category = models.CharField(max_length=20, choices=Category.choices, db_index=True)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField(db_index=True)
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    online_url = models.URLField("online link", blank=True, max_length=500)
    host_program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    host_center = models.ForeignKey(
        TreatmentCenter,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name="host treatment centre",
    )
    is_free = models.BooleanField(default=True)
    cost_notes = models.CharField(max_length=200, blank=True)
    registration_url = models.URLField(blank=True, max_length=500)
    registration_required = models.BooleanField(default=False)

    objects = ActivityQuerySet.as_manager()

    class Meta(Listing.Meta):
        verbose_name_plural = "activities"
        ordering = ["starts_at", "name"]
        constraints = [
            Listing.status_constraint("activity"),
            models.CheckConstraint(
                condition=Q(category__in=Category.values),
                name="activity_category_valid",
                violation_error_message="Choose one of the activity categories.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message="The end must be after the start.",
            ),
            models.CheckConstraint(
                condition=Q(location__isnull=False) | ~Q(online_url=""),
                name="activity_has_place_or_link",
                violation_error_message="Give a place, an online link, or both.",
            ),
        ]

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The end must be after the start."})
        if self.location_id is None and not self.online_url:
            raise ValidationError("Give a place, an online link, or both.")

    def get_absolute_url(self):
        return slug_url("activities:detail", self.slug)

    @property
    def is_online(self):
        return bool(self.online_url)

    @property
    def is_in_person(self):
        return self.location_id is not None

    @property
    def host(self):
        return self.host_program or self.host_center
