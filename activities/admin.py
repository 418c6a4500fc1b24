from django.contrib import admin

from listings.admin import ListingAdmin, VerificationFilter

from .models import Activity


class WhenFilter(admin.SimpleListFilter):
    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming"), ("past", "Past")]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.upcoming()
        if self.value() == "past":
            return queryset.past()
        return queryset


@admin.register(Activity)
class ActivityAdmin(ListingAdmin):
    list_display = ["name", "category", "starts_at", "city", "is_free", "status", "verified"]
    list_filter = [
        "category",
        "status",
        WhenFilter,
        VerificationFilter,
        "is_free",
        "location__city",
    ]
    list_select_related = ["location", "host_program", "host_center"]
    search_fields = [
        "name",
        "slug",
        "location__city",
        "location__postal_code",
        "host_program__name",
        "host_center__name",
    ]
    autocomplete_fields = ["location", "host_program", "host_center"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "starts_at"
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "category", "status", "last_verified_on", "description"]},
        ),
        ("When and where", {"fields": ["starts_at", "ends_at", "location", "online_url"]}),
        ("Hosts", {"fields": ["host_program", "host_center"]}),
        (
            "Cost and registration",
            {"fields": ["is_free", "cost_notes", "registration_url", "registration_required"]},
        ),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(ordering="location__city")
    def city(self, obj):
        return obj.location.city if obj.location else "Online"
