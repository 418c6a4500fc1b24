"""The coordinators' inbox: who can see referrals, what they see, and the audit trail."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from referrals.models import Referral, ReferralAuditEvent
from tests.factories import make_center, make_program, make_referral, make_staff

pytestmark = pytest.mark.django_db

COORDINATORS = "Referral coordinators"


@pytest.fixture
def referral():
    return make_referral(
        first_name="Robin",
        phone="+16145550199",
        email="robin@example.org",
        message="Looking for a women's meeting",
        voicemail_ok=False,
        listing=make_program(name="Sunrise Group"),
    )


@pytest.fixture
def coordinator(client):
    user = make_staff("coord", COORDINATORS)
    client.force_login(user)
    return user


def changelist():
    return reverse("admin:referrals_referral_changelist")


def change(referral):
    return reverse("admin:referrals_referral_change", args=[referral.pk])


def events(action=None):
    qs = ReferralAuditEvent.objects.all()
    return qs.filter(action=action) if action else qs


# --- Who may look ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, referral):
    for url in (changelist(), change(referral)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: make_staff("curator", "Curators"),
        lambda: make_staff("plain-staff"),
        # Even a superuser must join the group: every reader is listed in one place.
        lambda: User.objects.create_superuser("root", "root@example.org", "pw-for-tests-only"),
    ],
    ids=["curator", "other-staff", "superuser-outside-group"],
)
def test_only_coordinators_see_referrals(client, referral, make_user):
    client.force_login(make_user())
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assertNotContains(index, "/admin/programs/referral/")
    assertNotContains(index, "Referral audit events")
    for url in (
        changelist(),
        change(referral),
        reverse("admin:referrals_referral_delete", args=[referral.pk]),
        reverse("admin:referrals_referralauditevent_changelist"),
    ):
        assert client.get(url).status_code == 403, url
    export = client.post(changelist(), {"action": "export_csv", "_selected_action": [referral.pk]})
    assert export.status_code == 403
    assert not events().exists()


def test_groups_hold_exactly_the_intended_permissions():
    coordinator = set(
        Group.objects.get(name=COORDINATORS).permissions.values_list("codename", flat=True)
    )
    assert coordinator == {
        "view_referral",
        "change_referral",
        "delete_referral",
        "export_referral",
        "view_referralauditevent",
    }
    curators = set(
        Group.objects.get(name="Curators").permissions.values_list("codename", flat=True)
    )
    assert not {p for p in curators if "referral" in p}


def test_an_inactive_coordinator_is_locked_out(client, referral):
    user = make_staff("gone", COORDINATORS, is_active=False)
    client.force_login(user)
    assert client.get(changelist()).status_code == 302  # the admin treats them as signed out


# --- The inbox --------------------------------------------------------------------------------


def test_inbox_lists_the_essentials_and_no_personal_data(client, coordinator, referral):
    response = client.get(changelist())
    assert response.status_code == 200
    html = response.content.decode().lower()
    for column in ("reference", "received", "status", "who is asking", "listing of interest"):
        assert re.search(rf">\s*{column}\s*</(a|span)>", html), column
    assertContains(response, referral.display_reference)
    assertContains(response, "Sunrise Group")
    assertContains(response, "Myself")
    for private in ("Robin", "robin@example.org", "0199", "women"):
        assertNotContains(response, private)
    assert "no-store" in response["Cache-Control"]
    assert not events().exists()  # a list shows no personal data, so it is not an access


def test_inbox_filters_by_status_date_listing_assignee_and_spam(client, coordinator, referral):
    center = make_center(name="Harbor Treatment")
    spam = make_referral(spam_reasons=["honeypot"], listing=center)
    spam.assigned_to = coordinator
    spam.save()
    for params, shown, hidden in [
        ({"spam": "yes"}, spam, referral),
        ({"spam": "no"}, referral, spam),
        ({"status__exact": "new", "spam": "no"}, referral, spam),
        ({"program__id__exact": referral.program_id}, referral, spam),
        ({"center__id__exact": center.pk}, spam, referral),
        ({"assigned_to__id__exact": coordinator.pk}, spam, referral),
        ({"assigned_to__isnull": "True"}, referral, spam),
    ]:
        response = client.get(changelist(), params)
        assert response.status_code == 200, params
        assertContains(response, shown.display_reference, msg_prefix=str(params))
        assertNotContains(response, hidden.display_reference, msg_prefix=str(params))
    response = client.get(changelist(), {"received_at__gte": "2000-01-01 00:00:00+00:00"})
    assertContains(response, referral.display_reference)
    assertContains(client.get(changelist()), "Suspected spam (1)")


def test_search_is_by_reference_code_only(client, coordinator, referral):
    typed = referral.display_reference.lower().replace("-", " ")
    assertContains(client.get(changelist(), {"q": typed}), referral.display_reference)
    for term in ("Robin", "robin@example.org", "+16145550199"):
        assertNotContains(client.get(changelist(), {"q": term}), referral.display_reference)


# --- Reading and handling a referral ----------------------------------------------------------


def test_detail_shows_the_decrypted_fields_and_records_the_look(client, coordinator, referral):
    response = client.get(change(referral))
    assert response.status_code == 200
    for shown in (
        "Robin",
        "robin@example.org",
        "(614) 555-0199",
        "Looking for a women&#x27;s meeting",
        "No: do not leave a voicemail",
        "Not answered: do not send a text",
    ):
        assertContains(response, shown)
    [event] = events()
    assert (event.user, event.action, event.referral_id, event.reference) == (
        coordinator,
        "view",
        referral.pk,
        referral.reference,
    )


def test_status_assignment_and_notes_change_with_an_audit_event(client, coordinator, referral):
    response = client.post(
        change(referral),
        {"status": "in_progress", "assigned_to": coordinator.pk, "notes": "Called, no answer"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "in_progress"
    assert referral.assigned_to == coordinator
    assert referral.notes == "Called, no answer"
    [event] = events("change")
    assert event.fields == "assigned_to, notes, status"
    assert "Called" not in event.fields


def test_a_closed_referral_cannot_be_reopened(client, coordinator, referral):
    referral.status = Referral.Status.CLOSED
    referral.save()
    assert referral.closed_at is not None
    response = client.post(change(referral), {"status": "new", "assigned_to": "", "notes": ""})
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    referral.refresh_from_db()
    assert referral.status == "closed"


@pytest.mark.parametrize(
    "data",
    [
        {"status": "no-such-status", "assigned_to": "", "notes": ""},
        {"status": "new", "assigned_to": "999999", "notes": ""},
        {},
    ],
    ids=["invalid-status", "unknown-assignee", "empty"],
)
def test_an_invalid_post_that_shows_the_referral_is_recorded_as_a_look(
    client, coordinator, referral, data
):
    response = client.post(change(referral), data)
    assert response.status_code == 200
    assertContains(response, "robin@example.org")
    [event] = events()
    assert (event.user, event.action, event.referral_id) == (coordinator, "view", referral.pk)


def test_a_saved_change_is_one_change_event_not_a_look(client, coordinator, referral):
    response = client.post(change(referral), {"status": "new", "assigned_to": "", "notes": "x"})
    assert response.status_code == 302
    assert [e.action for e in events()] == ["change"]


def test_only_coordinators_can_be_assigned(client, coordinator, referral):
    curator = make_staff("curator", "Curators")
    response = client.post(
        change(referral), {"status": "new", "assigned_to": curator.pk, "notes": ""}
    )
    assert response.status_code == 200
    assert "assigned_to" in response.context["adminform"].form.errors


def test_export_is_a_csv_for_coordinators_with_formulas_defused(client, coordinator, referral):
    other = make_referral(first_name='=HYPERLINK("http://evil")', email="x@example.org")
    response = client.post(
        changelist(), {"action": "export_csv", "_selected_action": [referral.pk, other.pk]}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["reference"] for r in rows] == [referral.display_reference, other.display_reference]
    assert rows[0]["first name or initials"] == "Robin"
    assert rows[0]["phone"] == "'+16145550199"
    assert rows[1]["first name or initials"].startswith("'=HYPERLINK")
    assert sorted(events("export").values_list("referral_id", flat=True)) == sorted(
        [referral.pk, other.pk]
    )


def test_deleting_one_or_many_writes_delete_events(client, coordinator, referral):
    others = [make_referral(), make_referral()]
    response = client.post(
        reverse("admin:referrals_referral_delete", args=[referral.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    response = client.post(
        changelist(),
        {"action": "delete_selected", "post": "yes", "_selected_action": [o.pk for o in others]},
    )
    assert response.status_code == 302
    assert not Referral.objects.exists()
    assert sorted(events("delete").values_list("reference", flat=True)) == sorted(
        r.reference for r in [referral, *others]
    )


# --- The audit trail --------------------------------------------------------------------------


def test_coordinators_read_the_audit_trail_and_nobody_edits_it(client, coordinator, referral):
    client.get(change(referral))
    event = events().get()
    page = client.get(change(referral))
    assertContains(page, "Who looked and what changed")
    assertContains(page, "<td>coord</td><td>Viewed</td>", html=False)

    listing = client.get(reverse("admin:referrals_referralauditevent_changelist"))
    assert listing.status_code == 200
    assertContains(listing, referral.display_reference)
    detail = reverse("admin:referrals_referralauditevent_change", args=[event.pk])
    assert client.get(detail).status_code == 200  # read-only view
    assert client.post(detail, {"action": "delete"}).status_code == 403
    assert (
        client.get(
            reverse("admin:referrals_referralauditevent_delete", args=[event.pk])
        ).status_code
        == 403
    )

    superuser = User.objects.create_superuser("root", "root@example.org", "pw-for-tests-only")
    superuser.groups.add(Group.objects.get(name=COORDINATORS))
    client.force_login(superuser)
    assert client.post(detail, {"action": "delete"}).status_code == 403
    assert (
        client.get(
            reverse("admin:referrals_referralauditevent_delete", args=[event.pk])
        ).status_code
        == 403
    )


def test_the_audit_trail_refuses_changes_even_from_code(referral):
    event = ReferralAuditEvent.objects.create(
        action="view", referral_id=referral.pk, reference=referral.reference
    )
    event.action = "delete"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        ReferralAuditEvent.objects.update(action="export")
    with pytest.raises(PermissionError):
        ReferralAuditEvent.objects.all().delete()
    assert ReferralAuditEvent.objects.get().action == "view"


def test_audit_events_outlive_the_referral_and_hold_no_content(client, coordinator, referral):
    client.get(change(referral))
    client.post(change(referral), {"status": "contacted", "assigned_to": "", "notes": "Robin ok"})
    client.post(reverse("admin:referrals_referral_delete", args=[referral.pk]), {"post": "yes"})
    assert list(events().order_by("pk").values_list("action", flat=True)) == [
        "view",
        "change",
        "delete",
    ]
    text = " ".join(str(v) for row in events().values() for v in row.values())
    for private in ("Robin", "robin@example.org", "0199", "women", "Sunrise"):
        assert private not in text


def test_closing_in_the_admin_starts_the_retention_clock(client, coordinator, referral):
    response = client.post(change(referral), {"status": "closed", "assigned_to": "", "notes": ""})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "closed"
    assert referral.closed_at is not None


def test_only_the_handling_fields_are_editable():
    """Read-only is derived, so a personal field added later can never be edited here."""
    from django.contrib import admin as django_admin

    from referrals.models import Referral

    model_admin = django_admin.site._registry[Referral]
    readonly = set(model_admin.get_readonly_fields(request=None))
    stored = {f.name for f in Referral._meta.concrete_fields}
    assert stored - readonly == {"status", "assigned_to", "notes"}
    shown = {name for _, options in model_admin.fieldsets for name in options["fields"]}
    assert shown - readonly == {"status", "assigned_to", "notes"}


def test_a_field_added_to_the_model_would_be_read_only(monkeypatch):
    from django.contrib import admin as django_admin
    from django.db import models

    from referrals.models import Referral

    model_admin = django_admin.site._registry[Referral]
    extra = models.TextField(name="new_personal_detail")
    extra.set_attributes_from_name("new_personal_detail")
    monkeypatch.setattr(Referral._meta, "concrete_fields", [*Referral._meta.concrete_fields, extra])
    assert "new_personal_detail" in model_admin.get_readonly_fields(request=None)
