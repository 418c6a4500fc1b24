"""The coordinators' inbox: referrals in the Django admin, for the coordinators group only.

Nobody else sees referrals: not curators, not other staff, and not superusers who have not
put themselves in the group (so every person with access is listed in one place). Every look,
change, export and deletion writes an audit event; the audit trail is read-only to everyone.
"""

import csv

import phonenumbers
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from .fields import EncryptedTextField
from .models import (
    COORDINATORS_GROUP,
    AuditAction,
    Referral,
    ReferralAuditEvent,
    ReferralStatus,
    format_reference,
    normalise_reference,
)
from .services import audit_record

ENCRYPTED_FIELDS = [f.name for f in Referral._meta.fields if isinstance(f, EncryptedTextField)]
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_coordinator(user):
    """Active staff in the "Referral coordinators" group (cached on the user object)."""
    if not (user.is_active and user.is_staff):
        return False
    if not hasattr(user, "_is_referral_coordinator"):
        user._is_referral_coordinator = user.groups.filter(name=COORDINATORS_GROUP).exists()
    return user._is_referral_coordinator


class CoordinatorOnly:
    """Admin permissions that also require membership of the coordinators group."""

    def _allowed(self, request, action):
        opts = self.opts
        return is_coordinator(request.user) and request.user.has_perm(
            f"{opts.app_label}.{action}_{opts.model_name}"
        )

    def has_module_permission(self, request):
        return is_coordinator(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, "view") or self.has_change_permission(request, obj)

    def has_add_permission(self, request):
        return False  # referrals come from the public form; audit events from the system

    def get_search_results(self, request, queryset, search_term):
        # Search by reference code only: names and numbers are encrypted and stay unsearchable.
        if not search_term.strip():
            return queryset, False
        return queryset.filter(reference=normalise_reference(search_term)), False


def csv_cell(value):
    """Text a spreadsheet will not run as a formula (OWASP CSV injection advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_START) else text


def yes_no_unknown(value, what):
    if value is True:
        return "Yes"
    if value is False:
        return format_html("<strong>No: do not {}</strong>", what)
    return format_html("<strong>Not answered: do not {}</strong>", what)


class SpamFilter(admin.SimpleListFilter):
    """Suspected spam is kept apart from the inbox but never hidden: its count is on show."""

    title = "spam check"
    parameter_name = "spam"

    def lookups(self, request, model_admin):
        flagged = model_admin.get_queryset(request).filter(suspected_spam=True).count()
        return [("no", "Looks genuine"), ("yes", f"Suspected spam ({flagged})")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(suspected_spam=False)
        if self.value() == "yes":
            return queryset.filter(suspected_spam=True)
        return queryset


class InboxChangeList(ChangeList):
    """The list never decrypts: it shows no personal field, so it does not load any."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer(*ENCRYPTED_FIELDS)


@admin.action(description="Export selected referrals as CSV", permissions=["export"])
def export_csv(modeladmin, request, queryset):
    referrals = list(
        Referral.objects.filter(pk__in=queryset.values("pk"))
        .select_related("program", "center", "assigned_to", "data_key")
        .order_by("received_at", "pk")
    )
    audit_record(referrals=referrals, action=AuditAction.EXPORT, user=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="referrals-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "reference",
            "received",
            "status",
            "who is asking",
            "first name or initials",
            "organisation",
            "phone",
            "email",
            "preferred contact",
            "voicemail safe",
            "text safe",
            "best time",
            "language to contact them in",
            "their language",
            "needs an interpreter",
            "language of the form",
            "listing of interest",
            "message",
            "assigned to",
            "suspected spam",
        ]
    )
    answer = {True: "yes", False: "no", None: "not answered"}
    for r in referrals:
        writer.writerow(
            csv_cell(value)
            for value in [
                r.display_reference,
                timezone.localtime(r.received_at).isoformat(timespec="minutes"),
                r.get_status_display(),
                r.get_requester_display(),
                r.first_name,
                r.organisation,
                r.phone,
                r.email,
                r.get_contact_method_display(),
                answer[r.voicemail_ok],
                answer[r.text_ok],
                r.get_best_time_display(),
                r.get_contact_language_display(),
                r.other_language,
                answer[r.interpreter_needed],
                r.get_page_language_display(),
                r.listing or "",
                r.message,
                r.assigned_to.get_username() if r.assigned_to else "",
                "yes" if r.suspected_spam else "no",
            ]
        )
    return response


@admin.register(Referral)
class ReferralAdmin(CoordinatorOnly, admin.ModelAdmin):
    list_display = [
        "display_reference",
        "received_at",
        "status",
        "requester",
        "contact_language",
        "listing_of_interest",
        "assigned_to",
        "suspected_spam",
    ]
    list_display_links = ["display_reference"]
    list_filter = [
        SpamFilter,
        "status",
        ("received_at", admin.DateFieldListFilter),
        "contact_language",
        "interpreter_needed",
        "page_language",
        ("program", admin.RelatedOnlyFieldListFilter),
        ("center", admin.RelatedOnlyFieldListFilter),
        ("assigned_to", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["program", "center", "assigned_to"]
    search_fields = ["reference"]
    search_help_text = "Search by reference code only, e.g. ABCD-2345."
    show_full_result_count = False
    list_per_page = 50
    actions = [export_csv]
    fieldsets = [
        (
            "Request",
            {
                "fields": [
                    "display_reference",
                    "received_at",
                    "requester",
                    "listing_of_interest",
                    "spam_check",
                ]
            },
        ),
        (
            "How to reach them",
            {
                "fields": [
                    "first_name",
                    "organisation",
                    "phone_display",
                    "email",
                    "contact_method",
                    "voicemail",
                    "text",
                    "best_time",
                    "contact_language",
                    "other_language",
                    "interpreter_needed",
                    "page_language",
                ]
            },
        ),
        ("What they told us", {"fields": ["message"]}),
        ("Handling", {"fields": ["status", "assigned_to", "notes", "closed_at"]}),
        ("Audit trail", {"fields": ["audit_trail"]}),
    ]
    # Everything but the handling fields is read-only, derived rather than listed, so a
    # personal field added to the form later can never become editable here by accident.
    editable_fields = ("status", "assigned_to", "notes")

    def get_readonly_fields(self, request, obj=None):
        stored = [field.name for field in self.model._meta.concrete_fields]
        shown = [name for _, options in self.fieldsets for name in options["fields"]]
        return [name for name in dict.fromkeys(stored + shown) if name not in self.editable_fields]

    # --- Permissions --------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, "delete")

    def has_export_permission(self, request):
        return self._allowed(request, "export")

    # --- List ---------------------------------------------------------------------------

    def get_queryset(self, request):
        # The change page opens the fields with the referral's data key: fetched with it.
        return super().get_queryset(request).select_related("data_key")

    def get_changelist(self, request, **kwargs):
        return InboxChangeList

    @admin.display(description="reference", ordering="reference")
    def display_reference(self, obj):
        return obj.display_reference

    @admin.display(description="listing of interest")
    def listing_of_interest(self, obj):
        return obj.listing or "—"

    # --- Detail -------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "status" in form.base_fields:
            allowed = obj.allowed_statuses()
            form.base_fields["status"].choices = [
                (value, label) for value, label in ReferralStatus.choices if value in allowed
            ]
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(groups__name=COORDINATORS_GROUP, is_active=True)
                .order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="spam check")
    def spam_check(self, obj):
        if not obj.suspected_spam:
            return "Looks genuine"
        reasons = {
            "honeypot": "a hidden field was filled in",
            "too-fast": "sent within seconds of opening the form",
            "no-timestamp": "the form's timing note was missing or altered",
            "expired": "sent more than half a day after opening the form",
            "replayed": "sent with a form already used for another referral",
        }
        why = "; ".join(reasons.get(code, code) for code in obj.spam_reasons.split(",") if code)
        return f"Suspected spam ({why}). It may still be a real person: check before closing."

    @admin.display(description="phone")
    def phone_display(self, obj):
        if not obj.phone:
            return "—"
        try:
            number = phonenumbers.parse(obj.phone)
            national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        except phonenumbers.NumberParseException:
            national = obj.phone
        return format_html('<a href="tel:{}">{}</a>', obj.phone, national)

    @admin.display(description="voicemail safe?")
    def voicemail(self, obj):
        return yes_no_unknown(obj.voicemail_ok, "leave a voicemail")

    @admin.display(description="text safe?")
    def text(self, obj):
        return yes_no_unknown(obj.text_ok, "send a text")

    @admin.display(description="who looked and what changed")
    def audit_trail(self, obj):
        events = ReferralAuditEvent.objects.filter(referral_id=obj.pk).select_related("user")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
                    e.user.get_username() if e.user else "system",
                    e.get_action_display(),
                    e.fields or "",
                )
                for e in events[:200]
            ),
        )
        return format_html(
            "<table><thead><tr><th>When</th><th>Who</th><th>What</th><th>Fields</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            rows,
        )

    # --- Audit --------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Any page this view answers with shows the decrypted fields, whatever the method: a
        # POST with an invalid value renders the whole referral again, and is a look too.
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            referral = Referral.objects.filter(pk=unquote(object_id)).only("reference").first()
            if referral is not None:
                audit_record(referrals=[referral], action=AuditAction.VIEW, user=request.user)
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            audit_record(
                referrals=[obj],
                action=AuditAction.CHANGE,
                user=request.user,
                fields=form.changed_data,
            )

    def delete_model(self, request, obj):
        audit_record(referrals=[obj], action=AuditAction.DELETE, user=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        referrals = list(
            Referral.objects.filter(pk__in=queryset.values("pk")).only("pk", "reference")
        )
        audit_record(referrals=referrals, action=AuditAction.DELETE, user=request.user)
        Referral.objects.filter(pk__in=[r.pk for r in referrals]).only("pk").delete()


@admin.register(ReferralAuditEvent)
class ReferralAuditEventAdmin(CoordinatorOnly, admin.ModelAdmin):
    list_display = ["at", "user", "action", "display_reference", "fields"]
    list_filter = ["action", ("at", admin.DateFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["reference"]
    search_help_text = "Search by referral reference code, e.g. ABCD-2345."
    fields = ["at", "user", "action", "display_reference", "referral_id", "fields"]
    readonly_fields = fields
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False  # nobody edits the audit trail

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="referral", ordering="reference")
    def display_reference(self, obj):
        return format_reference(obj.reference)
