import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from listings.models import PublicationStatus
from programs.models import Meeting, Program
from tests.factories import make_activity, make_center, make_meeting, make_program

pytestmark = pytest.mark.django_db

LISTING_MODELS = [
    ("programs", "program"),
    ("programs", "meeting"),
    ("programs", "treatmentcenter"),
    ("listings", "location"),
    ("programs", "fellowship"),
    ("programs", "audience"),
    ("programs", "language"),
    ("programs", "meetingtype"),
    ("activities", "activity"),
]


@pytest.fixture
def listings():
    program = make_program(name="Downtown Group", last_verified_on=None)
    make_meeting(program=program, types=["O", "D"])
    make_center()
    make_activity()
    return program


@pytest.mark.parametrize(("app", "model"), LISTING_MODELS)
def test_curator_can_open_every_changelist_and_add_page(client, curator, listings, app, model):
    assert client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200


@pytest.mark.parametrize("model", ["program", "treatmentcenter"])
def test_stale_and_city_filters_load(client, curator, listings, model):
    url = reverse(f"admin:programs_{model}_changelist")
    response = client.get(url, {"verified": "stale"})
    assert response.status_code == 200
    assert client.get(url, {"q": "Columbus"}).status_code == 200


def test_stale_filter_lists_only_unverified(client, curator, listings):
    make_program(name="Checked Recently", last_verified_on=timezone.localdate())
    response = client.get(reverse("admin:programs_program_changelist"), {"verified": "stale"})
    assert b"Downtown Group" in response.content
    assert b"Checked Recently" not in response.content


def test_curator_can_change_a_program(client, curator, listings):
    response = client.get(reverse("admin:programs_program_change", args=[listings.pk]))
    assert response.status_code == 200
    assert b"Meetings" in response.content  # the inline


def test_curator_cannot_manage_users_groups_or_permissions(client, curator):
    for name in ("auth_user_changelist", "auth_group_changelist", "auth_user_add"):
        assert client.get(reverse(f"admin:{name}")).status_code == 403


def _act(client, model, action, ids):
    return client.post(
        reverse(f"admin:programs_{model}_changelist"),
        {"action": action, "_selected_action": [str(i) for i in ids]},
    )


def test_publish_unpublish_and_verify_actions(client, curator):
    draft = make_program(status=PublicationStatus.DRAFT, last_verified_on=None)
    assert _act(client, "program", "publish", [draft.pk]).status_code == 302
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED
    _act(client, "program", "unpublish", [draft.pk])
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT
    _act(client, "program", "mark_verified", [draft.pk])
    draft.refresh_from_db()
    assert draft.last_verified_on == timezone.localdate()


def test_duplicate_copies_links_and_meetings_as_draft(client, curator, listings):
    _act(client, "program", "duplicate", [listings.pk])
    copy = Program.objects.get(name="Downtown Group (copy)")
    assert copy.status == PublicationStatus.DRAFT
    assert copy.slug != listings.slug
    assert copy.meetings.count() == 1
    assert set(copy.meetings.get().types.values_list("code", flat=True)) == {"O", "D"}
    assert Meeting.objects.filter(program=listings).count() == 1


def test_activity_actions(client, curator):
    activity = make_activity(
        status=PublicationStatus.DRAFT, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    client.post(
        reverse("admin:activities_activity_changelist"),
        {"action": "publish", "_selected_action": [str(activity.pk)]},
    )
    activity.refresh_from_db()
    assert activity.status == PublicationStatus.PUBLISHED
    client.post(
        reverse("admin:activities_activity_changelist"),
        {"action": "duplicate", "_selected_action": [str(activity.pk)]},
    )
    assert Activity.objects.filter(name__endswith="(copy)").count() == 1


def test_changelist_query_count_does_not_grow_with_rows(
    client, curator, django_assert_max_num_queries
):
    for _ in range(30):
        make_program()
    with django_assert_max_num_queries(13):
        assert client.get(reverse("admin:programs_program_changelist")).status_code == 200


def test_curators_see_and_filter_by_approach(client, curator):
    make_program(name="Secular Circle", approach="secular")
    make_program(name="Step Group", approach="12-step")
    url = reverse("admin:programs_program_changelist")
    page = client.get(url, {"approach__exact": "secular"}).content.decode()
    assert "Secular Circle" in page and "Step Group" not in page
    assert 'name="approach"' in client.get(reverse("admin:programs_program_add")).content.decode()
    fellowships = client.get(reverse("admin:programs_fellowship_changelist")).content.decode()
    assert "Secular or science-based" in fellowships


def test_reports_show_the_meeting_they_name(client, curator, django_assert_max_num_queries):
    from programs.models import ChangeRequest

    meeting = make_meeting(program=make_program(name="Hope Group"), weekday=2)
    named = ChangeRequest.about(meeting.program)
    named.problem, named.meeting = "time", meeting
    named.save()
    whole = ChangeRequest.about(make_center())
    whole.problem = "contact"
    whole.save()
    for _ in range(5):
        extra = ChangeRequest.about(meeting.program)
        extra.problem, extra.meeting = "place", meeting
        extra.save()
    meeting_url = reverse("admin:programs_meeting_change", args=[meeting.pk])
    with django_assert_max_num_queries(12):
        changelist = client.get(reverse("admin:programs_changerequest_changelist"))
    html = changelist.content.decode()
    assert f'<a href="{meeting_url}">Hope Group – Tuesday 19:00</a>' in html
    assert "The whole listing" in html
    change = client.get(reverse("admin:programs_changerequest_change", args=[named.pk]))
    assert f'<a href="{meeting_url}">Hope Group – Tuesday 19:00</a>' in change.content.decode()
