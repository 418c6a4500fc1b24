"""The curators' start page: what waits, linked to the admin lists that hold it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from listings.models import PublicationStatus
from programs.models import ChangeRequest, ChangeRequestStatus
from tests.factories import make_center, make_meeting, make_program, make_referral, make_staff

pytestmark = pytest.mark.django_db

URL = "/admin/work/"


def fill(n=1, tag=""):
    """n of everything the page counts."""
    long_ago = timezone.localdate() - datetime.timedelta(days=800)
    for i in range(n):
        stale = make_program(name=f"Stale group {tag}{i}", last_verified_on=long_ago)
        make_center(name=f"Unchecked centre {i}", last_verified_on=None)
        make_program(
            name=f"Imported draft {i}",
            status=PublicationStatus.DRAFT,
            source="feed",
            source_id=f"{tag}{i}",
        )
        report = ChangeRequest.about(stale)
        report.problem = "time"
        report.meeting = make_meeting(program=stale)
        report.save()
        make_meeting(
            program=stale,
            name=f"Gone meeting {i}",
            status=PublicationStatus.ARCHIVED,
            withdrawn_by_source=True,
        )


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_admin_index_links_to_the_start_page(client, curator):
    assert URL in client.get("/admin/").content.decode()


def test_counts_and_short_lists_link_to_filtered_admin_lists(client, curator):
    fill(2)
    fresh = make_program(name="Checked group", last_verified_on=timezone.localdate())
    make_program(name="Hand draft", status=PublicationStatus.DRAFT)
    response = client.get(URL)
    assert response.status_code == 200
    sections = {s.key: s for s in response.context["sections"]}
    assert list(sections) == ["reports", "stale", "drafts", "withdrawn", "feeds"]
    assert sections["reports"].count == 2
    first = ChangeRequest.objects.order_by("created_at").first()
    assert sections["reports"].items[0].url == reverse(
        "admin:programs_changerequest_change", args=[first.pk]
    )
    assert sections["reports"].items[0].label.startswith("The day or time is wrong: Stale group 0")
    # Published programs and centres checked long ago or never; not the fresh one.
    assert sections["stale"].count == 4
    assert fresh.name not in {item.label for item in sections["stale"].items}
    assert sections["stale"].items[0].detail == "never verified"
    assert sections["drafts"].count == 2
    assert {i.label for i in sections["drafts"].items} == {"Imported draft 0", "Imported draft 1"}
    assert sections["withdrawn"].count == 2
    page = response.content.decode()
    assert "Open problem reports: 2" in page
    assert "?status__exact=open&amp;o=" in page
    # Every list link opens and shows what the count says.
    for section in sections.values():
        for _, url in section.links:
            listed = client.get(url)
            assert listed.status_code == 200, url
    drafts = client.get(
        reverse("admin:programs_program_changelist"), {"status__exact": "draft", "origin": "import"}
    )
    assert [p.name for p in drafts.context["cl"].result_list] == [
        "Imported draft 0",
        "Imported draft 1",
    ]
    withdrawn = client.get(
        reverse("admin:programs_meeting_changelist"), {"withdrawn_by_source__exact": "1"}
    )
    assert {m.name for m in withdrawn.context["cl"].result_list} == {
        "Gone meeting 0",
        "Gone meeting 1",
    }


def test_open_reports_list_oldest_first(client, curator):
    fill(3)
    ChangeRequest.objects.filter(listing_name="Stale group 2").update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    ChangeRequest.objects.filter(listing_name="Stale group 0").update(
        status=ChangeRequestStatus.RESOLVED
    )
    url = client.get(URL).context["sections"][0].links[0][1]
    listed = client.get(url).context["cl"].result_list
    assert [r.listing_name for r in listed] == ["Stale group 2", "Stale group 1"]


def test_query_count_does_not_grow_with_the_data(client, curator, django_assert_num_queries):
    fill(1)
    client.get(URL)  # warm the per-process caches (content types, permissions)
    with django_assert_num_queries(24):
        client.get(URL)
    fill(6, tag="more")
    with django_assert_num_queries(24):
        response = client.get(URL)
    assert len(response.context["sections"][1].items) == 5


def test_referrals_waiting_only_for_coordinators(client):
    make_referral()
    curator = make_staff("curator", "Curators")
    client.force_login(curator)
    assert "referrals" not in {s.key for s in client.get(URL).context["sections"]}
    coordinator = make_staff("coordinator", "Referral coordinators")
    client.force_login(coordinator)
    page = client.get(URL)
    sections = {s.key: s for s in page.context["sections"]}
    assert sections["referrals"].count == 1
    assert sections["referrals"].items == []  # a count, never who asked
    assert "Person" not in page.content.decode()
    # Superusers are not coordinators and do not see referrals either.
    boss = make_staff("boss", is_superuser=True)
    client.force_login(boss)
    assert "referrals" not in {s.key for s in client.get(URL).context["sections"]}


def test_staff_without_groups_see_nothing_to_do(client):
    client.force_login(make_staff("nobody"))
    response = client.get(URL)
    assert response.context["sections"] == []
    assert "Curators group" in response.content.decode()
