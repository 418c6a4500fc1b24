"""What every listing shares: publication status, slugs, the published() gate, and places.

Every public page reaches listings through `published()`; nothing else decides what the
public may see.
"""

import datetime
import itertools

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.text import slugify

from .week import validate_timezone, zone_or_none


def search_position(location):
    """(lat, lng) a distance search may use for this place, or (None, None)."""
    if not location.has_coordinates:
        return None, None
    if not location.is_confidential:
        return location.latitude, location.longitude
    from .geo import approximate_coordinates

    approx = approximate_coordinates(location.postal_code, location.city, location.state)
    if approx:
        return approx
    # No ZIP or town centre known: about a kilometre of blur still hides the house.
    return round(location.latitude, 2), round(location.longitude, 2)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class ListingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def stale(self, days=None):
        """Listings nobody has checked within the configured window (or never)."""
        days = settings.STALE_AFTER_DAYS if days is None else days
        cutoff = timezone.localdate() - datetime.timedelta(days=days)
        return self.filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff))


def slug_candidates(value, max_length=80):
    """The slugs a listing called `value` may have, best first: the rule every allocator uses.

    The name's slug, cut to leave room for a counter, then "-2", "-3"... after it.
    """
    base = slugify(value)[: max_length - 8] or "listing"
    yield base
    for n in itertools.count(2):
        yield f"{base}-{n}"


def unique_slug(instance, value, max_length=80):
    """A slug for `value` not yet used by another row of the instance's model."""
    others = type(instance)._default_manager
    for slug in slug_candidates(value, max_length):
        if not others.filter(slug=slug).exclude(pk=instance.pk).exists():
            return slug


def taken_slugs(model):
    """Every slug the model's rows use, whatever their status: what free_slug must avoid."""
    return set(model._default_manager.values_list("slug", flat=True))


def free_slug(value, taken, max_length=80):
    """The slug unique_slug would pick, chosen against a set instead of a query per row.

    For bulk loaders, whose bulk_create skips Listing.save: `taken` starts as
    taken_slugs(model) and the chosen slug joins it, so one batch never repeats itself.
    """
    for slug in slug_candidates(value, max_length):
        if slug not in taken:
            taken.add(slug)
            return slug


class Listing(models.Model):
    """What every curated, publicly listed thing has in common."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True, blank=True)
    status = models.CharField(
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    last_verified_on = models.DateField(
        null=True, blank=True, help_text="The day a curator last confirmed these details."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The path word a visitor's "report a problem" link names this kind of listing by.
    report_kind = None

    objects = ListingQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    @classmethod
    def reportable_model(cls, kind):
        """The installed listing model whose reports use `kind`, or None."""
        for model in apps.get_models():
            if issubclass(model, cls) and kind and model.report_kind == kind:
                return model
        return None

    def copy_children_to(self, copy):
        """Copy the rows that belong to this listing alone (a program's meetings) to `copy`."""

    @property
    def is_published(self):
        return self.status == PublicationStatus.PUBLISHED

    @classmethod
    def status_constraint(cls, model_name):
        return models.CheckConstraint(
            condition=Q(status__in=PublicationStatus.values),
            name=f"{model_name}_status_valid",
            violation_error_message="Status must be draft, published or archived.",
        )


# --- Places ----------------------------------------------------------------------------------


class Location(models.Model):
    name = models.CharField(
        max_length=200, blank=True, help_text="Building or venue, e.g. “St Mark's Church hall”."
    )
    street_address = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, db_index=True)
    state = models.CharField(max_length=2, help_text="Two-letter US state code.")
    postal_code = models.CharField(max_length=10, blank=True, db_index=True)
    country = models.CharField(max_length=2, default="US")
    latitude = models.FloatField(null=True, blank=True, db_index=True)
    longitude = models.FloatField(null=True, blank=True, db_index=True)
    coordinates_approximate = models.BooleanField(
        default=False, help_text="Set when the position is the ZIP code's centre, not the door."
    )
    is_confidential = models.BooleanField(
        "confidential address",
        default=False,
        help_text="Hide the street and exact position from the public (e.g. sober homes).",
    )
    timezone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_timezone]
    )
    wheelchair_accessible = models.BooleanField(default=False)
    accessibility_notes = models.TextField(blank=True)
    directions = models.TextField(blank=True, help_text="How to find the room once there.")
    # The position distance searches use: the exact one, except for confidential places,
    # which are only ever placed at their ZIP code's centre so no search can home in on them.
    search_latitude = models.FloatField(null=True, blank=True, editable=False)
    search_longitude = models.FloatField(null=True, blank=True, editable=False)
    source = models.CharField(max_length=60, blank=True, help_text="Where an import came from.")
    source_id = models.CharField(max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state", "city", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source=""),
                name="location_unique_source_id",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_range",
                violation_error_message="Latitude must be between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_range",
                violation_error_message="Longitude must be between -180 and 180.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="location_coordinates_pair",
                violation_error_message="Give both latitude and longitude, or neither.",
            ),
        ]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="location_lat_lng"),
            models.Index(
                fields=["search_latitude", "search_longitude"], name="location_search_pos"
            ),
            # "Ohio" in the search box lists a state: 3,638 of 105,071 places nationally.
            models.Index(fields=["state", "city"], name="location_state_city"),
            # A city named in any case (the home page's "starting soon" in the default area).
            models.Index(Upper("city"), name="location_city_upper"),
        ]

    def __str__(self):
        parts = [self.name or self.street_address, f"{self.city}, {self.state}"]
        return " – ".join(p for p in parts if p)

    def save(self, *args, **kwargs):
        from .geo import fill_coordinates

        if not self.has_coordinates:
            fill_coordinates(self)  # curators need not look up coordinates themselves
        self.set_search_position()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "search_latitude",
                "search_longitude",
            }
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.state:
            self.state = self.state.upper()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError("Give both latitude and longitude, or neither.")

    def set_search_position(self):
        """Work out the searchable position; bulk loaders call this before bulk_create."""
        self.search_latitude, self.search_longitude = search_position(self)

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def public_street(self):
        return "" if self.is_confidential else self.street_address

    @property
    def public_lines(self):
        """Address lines safe to show anyone: confidential homes show only the town."""
        lines = []
        if not self.is_confidential:
            lines += [x for x in (self.name, self.street_address, self.address_line_2) if x]
        lines.append(
            f"{self.city}, {self.state} {'' if self.is_confidential else self.postal_code}".strip()
        )
        return lines

    @property
    def zone(self):
        return zone_or_none(self.timezone)
