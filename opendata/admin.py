"""Admin pages where curators upload a feed or a facility download and read the summary.

They run the same service functions as the import commands; see docs/open-data.md.
"""

import datetime
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from listings.admin import HTTPS_URLS, TimeZoneSelect, TimeZoneSelectMixin
from programs.admin import ProgramAdmin, TreatmentCenterAdmin
from programs.models import Fellowship, Program, ProgramKind, TreatmentCenter

from .meeting_guide_import import MAX_FEED_BYTES, resolve_zone
from .models import FeedKind, FeedSource, ImportJob, JobStatus, SyncState
from .tasks import enqueue_sync, job_create


class UploadForm(forms.Form):
    source = forms.CharField(
        max_length=60,
        help_text="Where the file comes from, e.g. the area's website. Use the same name for "
        "every later upload of the same list, so it updates instead of duplicating.",
    )
    dry_run = forms.BooleanField(
        label="Check only (save nothing)",
        required=False,
        help_text="See what the import would do before doing it.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FEED_BYTES:
            raise forms.ValidationError("The file is over 50 MB; is it the right one?")
        return upload


class MeetingGuideForm(UploadForm):
    file = forms.FileField(label="Meeting Guide feed (.json)")
    timezone = forms.CharField(
        required=False,
        max_length=64,
        widget=TimeZoneSelect,
        help_text="For meetings the feed gives no time zone.",
    )
    kind = forms.ChoiceField(
        choices=ProgramKind.choices, initial=ProgramKind.TWELVE_STEP, label="Kind of new groups"
    )
    fellowship = forms.ModelChoiceField(
        Fellowship.objects.all(), required=False, label="Fellowship of new groups"
    )
    publish = forms.BooleanField(
        label="Publish new groups at once",
        required=False,
        help_text="Left unticked, new groups wait as drafts for review.",
    )
    field_order = ["file", "source", "timezone", "kind", "fellowship", "publish", "dry_run"]

    def clean_timezone(self):
        text = self.cleaned_data["timezone"].strip()
        if text and resolve_zone(text) is None:
            raise forms.ValidationError(f"“{text}” is not a time zone; try America/New_York.")
        return text


class FindTreatmentForm(UploadForm):
    file = forms.FileField(label="FindTreatment.gov facility download (.csv)")
    field_order = ["file", "source", "dry_run"]


def import_page(request, model_admin, form_class, job_fields, title, initial):
    """Upload form; a valid upload is stored as a job for a task worker to import, and the
    curator is sent to the job's page, which shows its progress and then its summary."""
    opts = model_admin.model._meta
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                job = job_create(
                    upload=data["file"],
                    source=data["source"].strip(),
                    dry_run=data["dry_run"],
                    user=request.user,
                    **job_fields(data),
                )
            messages.success(request, f"{job.file_name or 'The file'} is queued for import.")
            return redirect("admin:opendata_importjob_change", job.pk)
    else:
        form = form_class(initial=initial)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": title,
        "form": form,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/opendata/import.html", context)


def meeting_guide_page(request, model_admin):
    def job_fields(data):
        fellowship = data["fellowship"]
        return {
            "kind": FeedKind.MEETING_GUIDE,
            "options": {
                "timezone": data["timezone"],
                "kind": data["kind"],
                "fellowship": fellowship.pk if fellowship else None,
                "publish": data["publish"],
            },
        }

    return import_page(
        request,
        model_admin,
        MeetingGuideForm,
        job_fields,
        "Import a Meeting Guide feed",
        {"dry_run": True},
    )


def findtreatment_page(request, model_admin):
    def job_fields(data):
        return {"kind": FeedKind.FINDTREATMENT, "options": {}}

    return import_page(
        request,
        model_admin,
        FindTreatmentForm,
        job_fields,
        "Import a FindTreatment.gov download",
        {"dry_run": True, "source": "findtreatment"},
    )


class ImportPageMixin:
    """Adds the model's upload page at import/ (named admin:<app>_<model>_import)."""

    import_page = None

    def get_urls(self):
        opts = self.model._meta
        view = partial(self.import_page, model_admin=self)
        return [
            path(
                "import/",
                self.admin_site.admin_view(view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            *super().get_urls(),
        ]


class ImportingProgramAdmin(ImportPageMixin, ProgramAdmin):
    import_page = staticmethod(meeting_guide_page)
    change_list_template = "admin/opendata/program_change_list.html"


class ImportingTreatmentCenterAdmin(ImportPageMixin, TreatmentCenterAdmin):
    import_page = staticmethod(findtreatment_page)
    change_list_template = "admin/opendata/treatmentcenter_change_list.html"


# The upload pages belong to open data, the lists to programs: swap in the extended admins.
for model, model_admin in [
    (Program, ImportingProgramAdmin),
    (TreatmentCenter, ImportingTreatmentCenterAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)


# --- Import jobs ------------------------------------------------------------------------------

# Who may import what: the same permissions the upload pages ask for.
IMPORT_PERMISSIONS = {
    FeedKind.MEETING_GUIDE: ("programs.add_program", "programs.change_program"),
    FeedKind.FINDTREATMENT: ("programs.add_treatmentcenter", "programs.change_treatmentcenter"),
}
REFRESH_SECONDS = 5
# A running job whose importer has said nothing for this long has probably lost its worker.
STALLED_AFTER = datetime.timedelta(minutes=15)


def importable_kinds(user):
    return [kind for kind, perms in IMPORT_PERMISSIONS.items() if user.has_perms(perms)]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Uploaded files and what became of them: read-only, for those who may import."""

    list_display = ["created_at", "kind", "source", "dry_run", "status", "progress", "started_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["started_by"]
    search_fields = ["source", "file_name"]

    def get_queryset(self, request):
        # The file's bytes are never needed to list or show a job, nor the summary to list them.
        return (
            super()
            .get_queryset(request)
            .filter(kind__in=importable_kinds(request.user))
            .defer("data", "summary")
        )

    def has_module_permission(self, request):
        return bool(importable_kinds(request.user))

    def has_view_permission(self, request, obj=None):
        kinds = importable_kinds(request.user)
        return obj.kind in kinds if obj is not None else bool(kinds)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="progress")
    def progress(self, obj):
        if obj.status == JobStatus.RUNNING and obj.total:
            return f"{obj.done:,} of {obj.total:,}"
        return obj.stage or "–"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        # The summary (every rejected row) is read for this page only, never for the list.
        queryset = self.get_queryset(request).defer(None).defer("data").select_related("started_by")
        try:
            job = queryset.get(pk=object_id)
        except (ImportJob.DoesNotExist, ValueError, ValidationError):
            job = None
        if job is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        reload_off = request.GET.get("reload") == "off"
        stalled = (
            job.status == JobStatus.RUNNING
            and job.updated_at is not None
            and timezone.now() - job.updated_at > STALLED_AFTER
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(job),
            "job": job,
            "summary": job.import_summary(),
            # Reloading moves a screen reader back to the top: anyone may turn it off.
            "refresh": REFRESH_SECONDS if not (job.finished or stalled or reload_off) else None,
            "reload_off": reload_off and not job.finished,
            "stalled": stalled,
            "import_url": reverse(
                "admin:programs_program_import"
                if job.kind == FeedKind.MEETING_GUIDE
                else "admin:programs_treatmentcenter_import"
            ),
        }
        return TemplateResponse(request, "admin/opendata/import_job.html", context)


# --- Feed sources -----------------------------------------------------------------------------


class AttentionFilter(admin.SimpleListFilter):
    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("yes", "Failed, held or changed a lot")]

    def queryset(self, request, queryset):
        return queryset.needing_attention() if self.value() == "yes" else queryset


@admin.action(description="Sync selected sources now", permissions=["change"])
def sync_now(modeladmin, request, queryset):
    # Queued, not run here: fetching and importing a large feed outlasts a request.
    for source in queryset:
        if enqueue_sync(source):
            text = "queued; its page shows the outcome once a task worker has run it."
        else:
            text = "a sync is already queued or running."
        modeladmin.message_user(request, f"{source.name}: {text}", messages.SUCCESS)


@admin.action(
    description="Confirm the withdrawals and sync selected held sources", permissions=["change"]
)
def confirm_withdrawals(modeladmin, request, queryset):
    held = list(queryset.filter(state=SyncState.HELD))
    if not held:
        modeladmin.message_user(request, "None of those sources is held.", messages.WARNING)
        return
    for source in held:
        source.withdrawals_confirmed = True
        source.save(update_fields=["withdrawals_confirmed"])
    sync_now(modeladmin, request, queryset.filter(pk__in=[s.pk for s in held]))


@admin.action(description="Mark the large change of selected sources reviewed")
def mark_reviewed(modeladmin, request, queryset):
    count = queryset.filter(big_change=True).update(big_change=False)
    modeladmin.message_user(request, f"{count} source(s) marked reviewed.", messages.SUCCESS)


@admin.register(FeedSource)
class FeedSourceAdmin(TimeZoneSelectMixin, admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "kind", "active", "state", "last_checked_at", "last_imported_at"]
    list_filter = [AttentionFilter, "state", "kind", "active"]
    search_fields = ["name", "url"]
    actions = [sync_now, confirm_withdrawals, mark_reviewed]
    readonly_fields = ["state", "big_change", "last_checked_at", "last_imported_at", "history"]
    fieldsets = [
        (None, {"fields": ["name", "url", "kind", "active", "every_hours"]}),
        (
            "New listings",
            {"fields": ["publish_policy", "timezone", "program_kind", "fellowship"]},
        ),
        (
            "Syncs",
            {"fields": ["state", "big_change", "last_checked_at", "last_imported_at", "history"]},
        ),
    ]

    @admin.display(description="last 20 syncs")
    def history(self, obj):
        if obj.pk is None:
            return "None yet."
        runs = obj.runs.all()[:20]
        if not runs:
            return "None yet."
        header = format_html(
            "<thead><tr>{}</tr></thead>",
            format_html_join(
                "",
                '<th scope="col">{}</th>',
                [(h,) for h in ("When", "Outcome", "New", "Changed", "Withdrawn", "Rejected")],
            ),
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{timezone.localtime(run.started_at):%Y-%m-%d %H:%M}",
                    run.get_outcome_display(),
                    format_html("<br>{}", run.error) if run.error else "",
                    run.created,
                    run.updated,
                    run.withdrawn,
                    run.rejected,
                )
                for run in runs
            ),
        )
        return format_html("<table>{}<tbody>{}</tbody></table>", header, rows)
