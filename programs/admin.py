"""The curators' workspace: find, fix, verify and publish listings quickly."""

import datetime
from functools import partial

from django.conf import settings
from django.contrib import admin, messages
from django.db import models, transaction
from django.urls import path
from django.utils import timezone
from django.utils.translation import ngettext

from .models import (
    Audience,
    ChangeRequest,
    ChangeRequestStatus,
    Fellowship,
    Language,
    Location,
    Meeting,
    MeetingType,
    Program,
    PublicationStatus,
    ServiceOption,
    TreatmentCenter,
)
from .opendata import admin as opendata_admin
from .search import refresh_search_text

# Links typed without a scheme are taken as https:// (Django 6 makes this the default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

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


@admin.action(description="Unpublish selected listings (back to draft)", permissions=["change"])
def unpublish(modeladmin, request, queryset):
    _report(modeladmin, request, queryset.update(status=PublicationStatus.DRAFT), "unpublished")


@admin.action(description="Mark selected listings verified today", permissions=["change"])
def mark_verified(modeladmin, request, queryset):
    count = queryset.update(last_verified_on=timezone.localdate())
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
    """Copy a listing with its many-to-many links (and a program's meetings) as a draft."""
    model = type(original)
    m2m = {f.name: list(getattr(original, f.name).all()) for f in model._meta.many_to_many}
    meetings = list(original.meetings.all()) if isinstance(original, Program) else []
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
    for meeting in meetings:
        types = list(meeting.types.all())
        meeting.pk = None
        meeting._state.adding = True
        meeting.program = copy
        meeting.source, meeting.source_id = "", ""
        meeting.save()
        meeting.types.set(types)
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


# --- Lookups ----------------------------------------------------------------------------------


@admin.register(Fellowship)
class FellowshipAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "abbreviation", "website"]
    search_fields = ["name", "abbreviation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(MeetingType)
class MeetingTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_es"]
    search_fields = ["code", "name", "name_es"]


@admin.register(ServiceOption)
class ServiceOptionAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "code"]
    list_filter = ["category"]
    search_fields = ["name", "code"]

    def has_add_permission(self, request):
        return False  # the codes mirror fixed TextChoices; a new one needs a code change

    def has_delete_permission(self, request, obj=None):
        return False


# --- Places -----------------------------------------------------------------------------------


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
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


# --- Treatment centres ------------------------------------------------------------------------


@admin.register(TreatmentCenter)
class TreatmentCenterAdmin(ListingAdmin):
    list_display = ["name", "status", "offers_peer_support", "intake_phone", "verified"]
    list_filter = [
        "status",
        VerificationFilter,
        "offers_peer_support",
        "locations__city",
        "levels_of_care",
        "payment_options",
    ]
    search_fields = ["name", "slug", "locations__city", "locations__postal_code"]
    autocomplete_fields = ["locations"]
    filter_horizontal = [
        "levels_of_care",
        "medications",
        "payment_options",
        "populations",
        "languages",
    ]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "last_verified_on", "description"]}),
        ("Contact", {"fields": ["intake_phone", "hotline_phone", "email", "website"]}),
        ("Where", {"fields": ["locations"]}),
        (
            "Services",
            {
                "fields": [
                    "offers_peer_support",
                    "levels_of_care",
                    "medications",
                    "payment_options",
                    "populations",
                    "languages",
                ]
            },
        ),
        (
            "Record",
            {
                "fields": ["source", "source_id", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request):
        # The city filter joins locations; distinct keeps one row per centre.
        return super().get_queryset(request).distinct()

    def get_urls(self):
        view = partial(opendata_admin.findtreatment_page, model_admin=self)
        return [
            path(
                "import/", self.admin_site.admin_view(view), name="programs_treatmentcenter_import"
            ),
            *super().get_urls(),
        ]


# --- Programs and meetings --------------------------------------------------------------------


class MeetingInline(admin.StackedInline):
    model = Meeting
    extra = 0
    formfield_overrides = HTTPS_URLS
    autocomplete_fields = ["location", "types"]
    fields = [
        ("weekday", "start_time", "end_time", "timezone"),
        ("attendance", "status", "temporarily_closed"),
        "name",
        "types",
        "location",
        ("conference_url", "conference_url_notes"),
        ("conference_phone", "conference_phone_notes"),
        "notes",
    ]


@admin.register(Program)
class ProgramAdmin(ListingAdmin):
    list_display = ["name", "kind", "fellowship", "city", "status", "verified"]
    list_filter = [
        "kind",
        "status",
        VerificationFilter,
        "fellowship",
        "location__city",
        "cost",
        "peer_specialist_led",
        "source",
    ]
    list_select_related = ["fellowship", "location"]
    search_fields = [
        "name",
        "slug",
        "fellowship__name",
        "fellowship__abbreviation",
        "location__city",
        "location__postal_code",
    ]
    autocomplete_fields = ["fellowship", "location", "host_center"]
    filter_horizontal = ["audiences", "languages"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MeetingInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "kind",
                    "fellowship",
                    "status",
                    "last_verified_on",
                    "description",
                ]
            },
        ),
        (
            "Who and where",
            {
                "fields": [
                    "location",
                    "audiences",
                    "languages",
                    "host_center",
                    "run_by",
                    "peer_specialist_led",
                ]
            },
        ),
        ("Cost and contact", {"fields": ["cost", "cost_notes", "phone", "email", "website"]}),
        (
            "Sober living",
            {"fields": ["gender_served", "accepts_mat_residents", "beds"], "classes": ["collapse"]},
        ),
        (
            "Record",
            {
                "fields": ["source", "source_id", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    @admin.display(ordering="location__city")
    def city(self, obj):
        return obj.location.city if obj.location else "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The meetings inline may have changed the types keyword search knows the program by.
        refresh_search_text(Program.objects.filter(pk=form.instance.pk))

    def get_urls(self):
        view = partial(opendata_admin.meeting_guide_page, model_admin=self)
        return [
            path("import/", self.admin_site.admin_view(view), name="programs_program_import"),
            *super().get_urls(),
        ]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = [
        "__str__",
        "program",
        "weekday",
        "start_time",
        "attendance",
        "status",
        "temporarily_closed",
    ]
    list_filter = [
        "weekday",
        "attendance",
        "status",
        "temporarily_closed",
        "program__kind",
        "program__fellowship",
        "types",
        "source",
    ]
    list_select_related = ["program", "location"]
    search_fields = ["name", "program__name", "location__city", "source_id"]
    autocomplete_fields = ["program", "location", "types"]
    show_full_result_count = False
    actions = [publish, unpublish]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_search_text(Program.objects.filter(pk=form.instance.program_id))


# --- Visitors' reports ------------------------------------------------------------------------


@admin.action(description="Mark selected reports resolved", permissions=["change"])
def resolve(modeladmin, request, queryset):
    count = queryset.update(status=ChangeRequestStatus.RESOLVED, resolved_at=timezone.now())
    modeladmin.message_user(request, f"{count} report(s) resolved.", messages.SUCCESS)


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "content_type", "listing_link", "status", "created_at"]
    list_filter = ["status", "problem", "content_type"]
    list_select_related = ["content_type"]
    readonly_fields = [
        "content_type",
        "object_id",
        "problem",
        "details",
        "created_at",
        "listing_link",
    ]
    fields = ["listing_link", "problem", "details", "status", "created_at", "resolved_at"]
    actions = [resolve]

    def has_add_permission(self, request):
        return False  # reports come from the public form only

    @admin.display(description="listing")
    def listing_link(self, obj):
        from django.urls import NoReverseMatch, reverse
        from django.utils.html import format_html

        try:
            url = reverse(
                f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change",
                args=[obj.object_id],
            )
        except NoReverseMatch:
            return obj.object_id
        return format_html('<a href="{}">Open the listing</a>', url)


# --- Referrals: the coordinators' inbox (programs/referrals/admin.py) ---------------------------

from .referrals.admin import register as register_referral_admin  # noqa: E402

register_referral_admin(admin.site)
