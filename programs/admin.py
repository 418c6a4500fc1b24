"""The curators' workspace: find, fix, verify and publish listings quickly."""

from django.contrib import admin, messages
from django.utils import timezone

from listings.admin import (
    HTTPS_URLS,
    ListingAdmin,
    OriginFilter,
    VerificationFilter,
    publish,
    unpublish,
)

from .models import (
    Audience,
    ChangeRequest,
    ChangeRequestStatus,
    Fellowship,
    Language,
    Meeting,
    MeetingType,
    Program,
    ServiceOption,
    TreatmentCenter,
)
from .search import refresh_search_text

# --- Lookups ----------------------------------------------------------------------------------


@admin.register(Fellowship)
class FellowshipAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "abbreviation", "default_approach", "website"]
    list_filter = ["default_approach"]
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


# --- Treatment centres ------------------------------------------------------------------------


@admin.register(TreatmentCenter)
class TreatmentCenterAdmin(ListingAdmin):
    list_display = ["name", "status", "offers_peer_support", "intake_phone", "verified"]
    list_filter = [
        "status",
        VerificationFilter,
        OriginFilter,
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
    list_display = ["name", "kind", "approach", "fellowship", "city", "status", "verified"]
    list_filter = [
        "kind",
        "approach",
        "status",
        VerificationFilter,
        OriginFilter,
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
                    "approach",
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
        "withdrawn_by_source",
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
    list_display = [
        "__str__",
        "content_type",
        "listing_link",
        "meeting_link",
        "status",
        "created_at",
    ]
    list_filter = ["status", "problem", "content_type"]
    list_select_related = ["content_type", "meeting__program"]
    readonly_fields = [
        "content_type",
        "object_id",
        "problem",
        "details",
        "created_at",
        "listing_link",
        "meeting_link",
    ]
    fields = [
        "listing_link",
        "meeting_link",
        "problem",
        "details",
        "status",
        "created_at",
        "resolved_at",
    ]
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

    @admin.display(description="meeting", ordering="meeting")
    def meeting_link(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        if obj.meeting is None:
            return "The whole listing"
        url = reverse("admin:programs_meeting_change", args=[obj.meeting_id])
        return format_html('<a href="{}">{}</a>', url, obj.meeting)
