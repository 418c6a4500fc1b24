"""The curators' workspace: find, fix, verify and publish listings quickly."""

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Case, F, IntegerField, OuterRef, Subquery, When
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from listings.admin import (
    HTTPS_URLS,
    ListingAdmin,
    OriginFilter,
    TimeZoneSelect,
    TimeZoneSelectMixin,
    VerificationFilter,
    publish,
    unpublish,
)
from listings.models import Listing, PublicationStatus
from listings.week import Weekday

from .models import (
    Audience,
    ChangeRequest,
    ChangeRequestStatus,
    Fellowship,
    Language,
    Meeting,
    MeetingType,
    Program,
    Resource,
    ServiceOption,
    TreatmentCenter,
)
from .schedule import MINUTES_PER_WEEK, utc_minute_of_week
from .search import refresh_search_text

RECORD_FIELDS = ["source", "source_id", "created_at", "updated_at"]

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
    list_display = ["name", "city", "status", "verified", "intake_phone", "source"]
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
            {"fields": RECORD_FIELDS, "classes": ["collapse"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "source", "source_id"]

    def get_queryset(self, request):
        # The city filter joins locations; distinct keeps one row per centre.
        return super().get_queryset(request).distinct().prefetch_related("locations")

    @admin.display(description="city")
    def city(self, obj):
        return ", ".join(sorted({place.city for place in obj.locations.all()})) or "—"


# --- Resources --------------------------------------------------------------------------------


@admin.register(Resource)
class ResourceAdmin(ListingAdmin):
    list_display = ["name", "kind", "phone", "status", "verified"]
    list_filter = ["kind", "status", VerificationFilter]
    search_fields = ["name", "offers"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "slug",
        "kind",
        "status",
        "last_verified_on",
        "offers",
        "phone",
        "website",
        "how_to_reach",
        "languages",
    ]


# --- Programs and meetings --------------------------------------------------------------------


class MeetingInline(TimeZoneSelectMixin, admin.TabularInline):
    """One line per meeting; the full form (notes, online details) is one click away."""

    model = Meeting
    extra = 0
    formfield_overrides = HTTPS_URLS
    autocomplete_fields = ["location", "types"]
    show_change_link = True
    fields = [
        "weekday",
        "start_time",
        "end_time",
        "timezone",
        "attendance",
        "types",
        "location",
        "conference_url",
        "status",
        "temporarily_closed",
    ]


@admin.register(Program)
class ProgramAdmin(ListingAdmin):
    list_display = [
        "name",
        "kind",
        "fellowship",
        "city",
        "next_meeting",
        "status",
        "verified",
        "source",
    ]
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
            {"fields": RECORD_FIELDS, "classes": ["collapse"]},
        ),
    ]

    @admin.display(ordering="location__city")
    def city(self, obj):
        return obj.location.city if obj.location else "—"

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "source", "source_id"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(next_week_minute=next_meeting_minute())

    @admin.display(description="next meeting")
    def next_meeting(self, obj):
        minute = getattr(obj, "next_week_minute", None)
        if minute is None:
            return "—"
        day, clock = divmod(minute, 1440)
        return f"{Weekday(day).label[:3]} {clock // 60:02d}:{clock % 60:02d}"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The meetings inline may have changed the types keyword search knows the program by.
        refresh_search_text(Program.objects.filter(pk=form.instance.pk))


def next_meeting_minute():
    """The local week minute of a program's next published meeting from now, in one subquery."""
    now = utc_minute_of_week()
    ahead = Case(
        When(utc_week_minute__gte=now, then=F("utc_week_minute") - now),
        default=F("utc_week_minute") - now + MINUTES_PER_WEEK,
        output_field=IntegerField(),
    )
    meetings = (
        Meeting.objects.published()
        .filter(program=OuterRef("pk"))
        .annotate(ahead=ahead)
        .order_by("ahead")
        .values("week_minute")[:1]
    )
    return Subquery(meetings, output_field=IntegerField())


class DaysForm(forms.Form):
    days = forms.TypedMultipleChoiceField(
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="Copy to these days",
        error_messages={"required": "Choose at least one day."},
    )


@admin.action(description="Duplicate selected meetings to other days", permissions=["add"])
def duplicate_to_days(modeladmin, request, queryset):
    """Copy each meeting, with its types, to the chosen days (a group meeting Mon-Fri)."""
    meetings = list(queryset.select_related("program").prefetch_related("types"))
    form = DaysForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        created = 0
        with transaction.atomic():
            for meeting in meetings:
                for day in form.cleaned_data["days"]:
                    if day == meeting.weekday:
                        continue
                    copy = Meeting.objects.get(pk=meeting.pk)
                    copy.pk = None
                    copy._state.adding = True
                    copy.weekday = day
                    copy.source, copy.source_id = "", ""
                    copy.save()
                    copy.types.set(meeting.types.all())
                    created += 1
            refresh_search_text(Program.objects.filter(pk__in={m.program_id for m in meetings}))
        modeladmin.message_user(
            request,
            ngettext("%(count)d meeting added.", "%(count)d meetings added.", created)
            % {"count": created},
            messages.SUCCESS,
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Duplicate meetings to other days",
        "opts": modeladmin.model._meta,
        "meetings": meetings,
        "form": form,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/programs/meeting/duplicate_to_days.html", context)


@admin.register(Meeting)
class MeetingAdmin(TimeZoneSelectMixin, admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = [
        "__str__",
        "program",
        "weekday",
        "start_time",
        "city",
        "attendance",
        "status",
        "source",
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
    list_select_related = ["program", "location", "program__location"]
    search_fields = [
        "name",
        "program__name",
        "location__city",
        "location__postal_code",
        "program__location__city",
        "program__location__postal_code",
    ]
    search_help_text = "Search by name, town or ZIP code."
    autocomplete_fields = ["program", "location", "types"]
    readonly_fields = ["source", "source_id", "updated_at"]
    fieldsets = [
        (None, {"fields": ["program", "name", "status", "temporarily_closed"]}),
        ("When", {"fields": [("weekday", "start_time", "end_time"), "timezone"]}),
        ("Where", {"fields": ["attendance", "location", "types"]}),
        (
            "Online",
            {
                "fields": [
                    ("conference_url", "conference_url_notes"),
                    ("conference_phone", "conference_phone_notes"),
                ]
            },
        ),
        (None, {"fields": ["notes"]}),
        ("Record", {"fields": ["source", "source_id", "updated_at"], "classes": ["collapse"]}),
    ]
    show_full_result_count = False
    actions = [publish, unpublish, duplicate_to_days]

    @admin.display(description="city")
    def city(self, obj):
        place = obj.location or obj.program.location
        return place.city if place else "Online"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_search_text(Program.objects.filter(pk=form.instance.program_id))


# --- Visitors' reports ------------------------------------------------------------------------


class ListingTypeFilter(admin.SimpleListFilter):
    """Only the kinds of listing a visitor can report, not every model Django knows."""

    title = "listing type"
    parameter_name = "listing_type"

    def lookups(self, request, model_admin):
        types = ContentType.objects.get_for_models(*reportable_models())
        return [(str(ct.pk), model._meta.verbose_name.capitalize()) for model, ct in types.items()]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(content_type_id=int(self.value()))
        return queryset


def reportable_models():
    return [m for m in apps.get_models() if issubclass(m, Listing) and m.report_kind]


def resolve_reports(reports, when=None):
    """Resolve the reports and mark their listings verified today: the fix has been made."""
    when = when or timezone.now()
    reports = list(reports)
    ChangeRequest.objects.filter(pk__in=[r.pk for r in reports]).update(
        status=ChangeRequestStatus.RESOLVED, resolved_at=when
    )
    by_type = {}
    for report in reports:
        by_type.setdefault(report.content_type_id, set()).add(report.object_id)
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            model.objects.filter(pk__in=ids).update(last_verified_on=timezone.localdate())
    return len(reports)


@admin.action(
    description="Resolve selected reports and mark their listings verified", permissions=["change"]
)
def resolve(modeladmin, request, queryset):
    count = resolve_reports(queryset.exclude(status=ChangeRequestStatus.RESOLVED))
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d report resolved; its listing is marked verified today.",
            "%(count)d reports resolved; their listings are marked verified today.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description="Dismiss selected reports", permissions=["change"])
def dismiss(modeladmin, request, queryset):
    count = queryset.filter(status=ChangeRequestStatus.OPEN).update(
        status=ChangeRequestStatus.DISMISSED, resolved_at=timezone.now()
    )
    modeladmin.message_user(request, f"{count} report(s) dismissed.", messages.SUCCESS)


class ReportedMeetingForm(forms.ModelForm):
    """The meeting a report names, editable on the report's own page."""

    conference_url = forms.URLField(
        label="Conference URL", required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = [
            "weekday",
            "start_time",
            "end_time",
            "timezone",
            "attendance",
            "status",
            "temporarily_closed",
            "name",
            "conference_url",
            "conference_phone",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "timezone": TimeZoneSelect}


class ChangeRequestForm(forms.ModelForm):
    class Meta:
        model = ChangeRequest
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.instance.meeting if self.instance.pk else None
        self.meeting_form = None
        if meeting is not None:
            self.meeting_form = ReportedMeetingForm(
                self.data if self.is_bound else None, instance=meeting, prefix="meeting"
            )

    def is_valid(self):
        valid = super().is_valid()
        # Both forms are checked, so every mistake shows at once.
        return (self.meeting_form is None or self.meeting_form.is_valid()) and valid


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    form = ChangeRequestForm
    change_form_template = "admin/programs/changerequest/change_form.html"
    list_display = ["problem_text", "listing_link", "meeting_link", "status", "created_at"]
    list_display_links = ["problem_text"]
    list_filter = ["status", "problem", ListingTypeFilter]
    list_select_related = ["content_type", "meeting__program"]
    search_fields = ["listing_name", "details"]
    search_help_text = "Search by the listing's name or the visitor's words."
    readonly_fields = [
        "problem",
        "details",
        "created_at",
        "resolved_at",
        "listing_link",
        "meeting_link",
        "listing_now",
    ]
    fieldsets = [
        (
            "The report",
            {"fields": ["listing_link", "meeting_link", "problem", "details", "created_at"]},
        ),
        ("What the listing says now", {"fields": ["listing_now"]}),
        ("Outcome", {"fields": ["status", "resolved_at"]}),
    ]
    actions = [resolve, dismiss]

    def has_add_permission(self, request):
        return False  # reports come from the public form only

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type", "meeting__program")

    @admin.display(description="report", ordering="problem")
    def problem_text(self, obj):
        return obj.get_problem_display()

    @admin.display(description="listing", ordering="listing_name")
    def listing_link(self, obj):
        label = obj.listing_name or f"{obj.content_type.name} #{obj.object_id}"
        try:
            url = reverse(
                f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change",
                args=[obj.object_id],
            )
        except NoReverseMatch:
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description="meeting", ordering="meeting")
    def meeting_link(self, obj):
        if obj.meeting is None:
            return "The whole listing"
        url = reverse("admin:programs_meeting_change", args=[obj.meeting_id])
        return format_html('<a href="{}">{}</a>', url, obj.meeting)

    @admin.display(description="current details")
    def listing_now(self, obj):
        try:
            listing = obj.listing
        except ObjectDoesNotExist:
            return "The listing has been deleted."
        rows = [
            ("Name", listing.name),
            ("Status", listing.get_status_display()),
            ("Last verified", listing.last_verified_on or "never"),
        ]
        for name in ("phone", "intake_phone", "email", "website"):
            if hasattr(listing, name):
                label = listing._meta.get_field(name).verbose_name.capitalize()
                rows.append((label, getattr(listing, name) or "—"))
        places = []
        if isinstance(listing, Program):
            places = [listing.location] if listing.location else []
            meetings = listing.meetings.select_related("program").order_by("weekday", "start_time")
            schedule = [
                f"{m} ({m.get_status_display().lower()})"
                if m.status != PublicationStatus.PUBLISHED
                else str(m)
                for m in meetings
            ]
            rows.append(("Meetings", "; ".join(schedule) or "none"))
        elif isinstance(listing, TreatmentCenter):
            places = list(listing.locations.all())
        elif getattr(listing, "location", None):
            places = [listing.location]
        rows.append(("Address", " / ".join(", ".join(p.public_lines) for p in places) or "—"))
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join(
                "", '<tr><th scope="row">{}</th><td>{}</td></tr>', ((k, v) for k, v in rows)
            ),
        )

    def save_model(self, request, obj, form, change):
        resolving = "_resolve" in request.POST
        if resolving:
            obj.status = ChangeRequestStatus.RESOLVED
        if obj.status != ChangeRequestStatus.OPEN and obj.resolved_at is None:
            obj.resolved_at = timezone.now()
        elif obj.status == ChangeRequestStatus.OPEN:
            obj.resolved_at = None
        super().save_model(request, obj, form, change)
        meeting_form = form.meeting_form
        if meeting_form is not None and meeting_form.has_changed():
            meeting_form.save()
            refresh_search_text(Program.objects.filter(pk=meeting_form.instance.program_id))
        if resolving:
            resolve_reports([obj], when=obj.resolved_at)

    def response_change(self, request, obj):
        if "_resolve" in request.POST:
            self.message_user(
                request,
                f"Report resolved and “{obj.listing_name}” marked verified today.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:programs_changerequest_changelist") + "?status__exact=open"
            )
        return super().response_change(request, obj)
