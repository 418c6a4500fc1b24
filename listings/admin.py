"""What the curators' admin does the same way for every kind of listing: verification,
publishing, duplicating; and the places listings share."""

import datetime
import functools

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from .cache import listings_changed
from .models import Location, PublicationStatus

# Links typed without a scheme are taken as https:// (Django 6 makes this the default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

# --- Time zones ------------------------------------------------------------------------------

# The zones most US listings use, by the names people know them by; the rest of the US zones
# (from the ZIP code table) follow, then whatever the row already holds.
MAIN_US_ZONES = [
    ("America/New_York", "Eastern"),
    ("America/Chicago", "Central"),
    ("America/Denver", "Mountain"),
    ("America/Phoenix", "Arizona (no daylight saving)"),
    ("America/Los_Angeles", "Pacific"),
    ("America/Anchorage", "Alaska"),
    ("Pacific/Honolulu", "Hawaii"),
    ("America/Puerto_Rico", "Puerto Rico and Virgin Islands"),
]


@functools.cache
def us_zone_choices():
    from .geo import all_zip_codes

    main = [(zone, f"{label} ({zone})") for zone, label in MAIN_US_ZONES]
    known = {zone for zone, _ in MAIN_US_ZONES}
    others = sorted({z.timezone for z in all_zip_codes() if z.timezone} - known)
    return [("Main US zones", main), ("Other US zones", [(zone, zone) for zone in others])]


def zone_choices(current=""):
    """Choices for a time-zone select; a stored zone outside the US list stays selectable."""
    choices = list(us_zone_choices())
    listed = {zone for _, group in choices for zone, _ in group}
    if current and current not in listed:
        choices.append(("Elsewhere", [(current, current)]))
    return choices


class TimeZoneSelect(forms.Select):
    """A select of US zones that still offers the zone the row holds, wherever it is."""

    def get_context(self, name, value, attrs):
        self.choices = zone_choices(value if isinstance(value, str) else "")
        if not self.is_required:
            self.choices.insert(0, ("", "The site's own zone"))
        return super().get_context(name, value, attrs)


class TimeZoneField(forms.CharField):
    widget = TimeZoneSelect


def timezone_formfield(db_field, **kwargs):
    """The form field for a model's `timezone` column: a select instead of free text."""
    return db_field.formfield(form_class=TimeZoneField, widget=TimeZoneSelect, **kwargs)


class TimeZoneSelectMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "timezone":
            return timezone_formfield(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


# --- Shared list filters and actions for every listing --------------------------------------


class VerificationFilter(admin.SimpleListFilter):
    title = "verification"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [
            ("stale", "Not verified in 12 months"),
            ("never", "Never verified"),
            ("recent", "Verified in the last 12 months"),
        ]

    def queryset(self, request, queryset):
        cutoff = timezone.localdate() - datetime.timedelta(days=settings.STALE_AFTER_DAYS)
        if self.value() == "stale":
            return queryset.stale()
        if self.value() == "never":
            return queryset.filter(last_verified_on__isnull=True)
        if self.value() == "recent":
            return queryset.filter(last_verified_on__gte=cutoff)
        return queryset


class OriginFilter(admin.SimpleListFilter):
    """Imported or entered by hand: imported drafts are the review queue after an import."""

    title = "origin"
    parameter_name = "origin"

    def lookups(self, request, model_admin):
        return [("import", "Imported from a feed or file"), ("hand", "Entered by hand")]

    def queryset(self, request, queryset):
        if self.value() == "import":
            return queryset.exclude(source="")
        if self.value() == "hand":
            return queryset.filter(source="")
        return queryset


def _report(modeladmin, request, count, verb):
    modeladmin.message_user(
        request,
        ngettext("%(count)d listing %(verb)s.", "%(count)d listings %(verb)s.", count)
        % {"count": count, "verb": verb},
        messages.SUCCESS,
    )


@admin.action(description="Publish selected listings", permissions=["change"])
def publish(modeladmin, request, queryset):
    _report(modeladmin, request, queryset.update(status=PublicationStatus.PUBLISHED), "published")
    listings_changed()


@admin.action(description="Unpublish selected listings (back to draft)", permissions=["change"])
def unpublish(modeladmin, request, queryset):
    _report(modeladmin, request, queryset.update(status=PublicationStatus.DRAFT), "unpublished")
    listings_changed()


@admin.action(description="Mark selected listings verified today", permissions=["change"])
def mark_verified(modeladmin, request, queryset):
    count = queryset.update(last_verified_on=timezone.localdate())
    listings_changed()
    _report(modeladmin, request, count, "marked verified")


@admin.action(description="Duplicate selected listings as drafts", permissions=["add"])
def duplicate(modeladmin, request, queryset):
    count = 0
    with transaction.atomic():
        for original in queryset:
            duplicate_listing(original)
            count += 1
    _report(modeladmin, request, count, "duplicated")


def duplicate_listing(original):
    """Copy a listing with its many-to-many links and its own rows (meetings...) as a draft."""
    model = type(original)
    m2m = {f.name: list(getattr(original, f.name).all()) for f in model._meta.many_to_many}
    copy = model.objects.get(pk=original.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.slug = ""
    copy.name = f"{original.name} (copy)"
    copy.status = PublicationStatus.DRAFT
    if hasattr(copy, "source"):
        copy.source, copy.source_id = "", ""
    copy.save()
    for name, values in m2m.items():
        getattr(copy, name).set(values)
    original.copy_children_to(copy)
    return copy


class ListingAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    actions = [publish, unpublish, mark_verified, duplicate]
    date_hierarchy = None
    readonly_fields = ["created_at", "updated_at"]
    list_per_page = 50
    save_on_top = True
    show_full_result_count = False  # a COUNT(*) over tens of thousands of rows per page view

    @admin.display(description="verified", ordering="last_verified_on")
    def verified(self, obj):
        return obj.last_verified_on or "never"


@admin.register(Location)
class LocationAdmin(TimeZoneSelectMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "city",
        "state",
        "postal_code",
        "is_confidential",
        "wheelchair_accessible",
        "has_coordinates",
    ]
    list_filter = ["state", "is_confidential", "wheelchair_accessible", "coordinates_approximate"]
    search_fields = ["name", "street_address", "city", "postal_code"]
    show_full_result_count = False
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "street_address",
                    "address_line_2",
                    "city",
                    "state",
                    "postal_code",
                    "country",
                    "is_confidential",
                ]
            },
        ),
        (
            "Position and time",
            {"fields": ["latitude", "longitude", "coordinates_approximate", "timezone"]},
        ),
        ("Access", {"fields": ["wheelchair_accessible", "accessibility_notes", "directions"]}),
    ]

    @admin.display(boolean=True, description="coordinates")
    def has_coordinates(self, obj):
        return obj.has_coordinates
