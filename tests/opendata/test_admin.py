"""Curators upload a Meeting Guide feed or a FindTreatment download in the admin.

The upload is stored as an import job and imported by a task worker; the curator is sent to
the job's page, which shows the summary once the worker is done (tests/opendata/test_jobs.py
covers the job itself: progress, failures, permissions, timing).
"""

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from listings.models import PublicationStatus
from programs.models import Meeting, Program, TreatmentCenter
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

FEED_URL = "admin:programs_program_import"
CENTRES_URL = "admin:programs_treatmentcenter_import"


def feed_file(items, name="feed.json"):
    return SimpleUploadedFile(name, json.dumps(items).encode(), "application/json")


def imported(client, response):
    """The job page once a worker has run the queued import the upload redirected to."""
    assert response.status_code == 302, response.content.decode()[:500]
    run_queued_tasks()
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page


MEETING = {
    "name": "Lunch Bunch",
    "slug": "lunch-bunch",
    "day": 2,
    "time": "12:00",
    "address": "100 Main St",
    "city": "Columbus",
    "state": "OH",
    "postal_code": "43215",
    "types": ["O", "WEIRD"],
}
REJECTED = {"name": "Whenever", "slug": "whenever", "address": "1 Elm St", "city": "Columbus"}


def test_the_programs_list_links_to_the_feed_upload(client, curator):
    page = client.get(reverse("admin:programs_program_changelist")).content.decode()
    assert reverse(FEED_URL) in page
    assert "Import a Meeting Guide feed" in page
    page = client.get(reverse("admin:programs_treatmentcenter_changelist")).content.decode()
    assert reverse(CENTRES_URL) in page


def test_upload_form_starts_as_a_check_only_run(client, curator):
    response = client.get(reverse(FEED_URL))
    assert response.status_code == 200
    assert response.context["form"]["dry_run"].value() is True
    assert "imported in the background" in response.content.decode()


def test_check_only_upload_shows_the_summary_and_saves_nothing(client, curator):
    response = client.post(
        reverse(FEED_URL),
        {
            "file": feed_file([MEETING, REJECTED]),
            "source": "area",
            "dry_run": "on",
            "kind": "12-step",
        },
    )
    page = imported(client, response).content.decode()
    assert "What the import would do" in page
    assert "Dry run, nothing saved: 1 created" in page
    assert "“whenever”" in page and "No day and time" in page
    assert "Unknown type code “WEIRD” kept in the meeting&#x27;s notes" in page
    assert not Program.objects.exists()


def test_upload_imports_and_publishes_when_asked(client, curator):
    response = client.post(
        reverse(FEED_URL),
        {"file": feed_file([MEETING]), "source": "area", "kind": "12-step", "publish": "on"},
    )
    assert "What the import did" in imported(client, response).content.decode()
    program = Program.objects.get()
    assert program.status == PublicationStatus.PUBLISHED and program.source == "area"
    assert Meeting.objects.get().source_id == "lunch-bunch"


def test_a_broken_file_is_explained_on_its_job_page(client, curator):
    bad = SimpleUploadedFile("feed.json", b"[{oops", "application/json")
    response = client.post(
        reverse(FEED_URL),
        {"file": bad, "source": "my area", "timezone": "America/Chicago", "kind": "12-step"},
    )
    page = imported(client, response).content.decode()
    assert "Failed" in page
    assert "The file is not valid JSON" in page and "Nothing was changed." in page
    assert reverse(FEED_URL) in page  # a link to upload it again
    assert not Program.objects.exists()


def test_form_errors_for_missing_file_and_bad_zone(client, curator):
    response = client.post(reverse(FEED_URL), {"source": "", "timezone": "Moon/Base"})
    form = response.context["form"]
    assert set(form.errors) == {"file", "source", "timezone", "kind"}
    assert "is not a time zone" in form.errors["timezone"][0]


def test_people_without_rights_to_add_programs_cannot_import(client):
    user = User.objects.create_user("viewer", password="pw-for-tests", is_staff=True)
    client.force_login(user)
    assert client.get(reverse(FEED_URL)).status_code == 403
    response = client.post(reverse(FEED_URL), {"file": feed_file([MEETING]), "source": "x"})
    assert response.status_code == 403
    assert not Program.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse(CENTRES_URL))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_findtreatment_upload_creates_draft_centres(client, curator):
    csv = (
        "name1,name2,street1,street2,city,state,zip,zip4,county,phone,intake_prompt,intake1,"
        "intake2,website,latitude,longitude,type_facility,SA,OP,BU,MD\n"
        "Riverside Recovery,,12 River Rd,,Columbus,OH,43215,,Franklin,614-555-0100,,"
        "614-555-0101,,https://example.org,39.96,-83.0,SA,1,1,1,1\n"
    )
    upload = SimpleUploadedFile("facilities.csv", csv.encode(), "text/csv")
    response = client.post(reverse(CENTRES_URL), {"file": upload, "source": "findtreatment"})
    assert "What the import did" in imported(client, response).content.decode()
    center = TreatmentCenter.objects.get()
    assert center.name == "Riverside Recovery"
    assert center.status == PublicationStatus.DRAFT
    assert {o.code for o in center.levels_of_care.all()} >= {"outpatient", "obot"}


def test_findtreatment_upload_of_a_bad_file_changes_nothing(client, curator):
    upload = SimpleUploadedFile("facilities.csv", b"\x00\x01\x02binary", "text/csv")
    response = client.post(reverse(CENTRES_URL), {"file": upload, "source": "findtreatment"})
    assert "Nothing was changed." in imported(client, response).content.decode()
    assert not TreatmentCenter.objects.exists()


def test_the_upload_form_offers_a_zone_select(client):
    from tests.factories import make_staff

    client.force_login(make_staff("zone-curator", "Curators"))
    html = client.get(reverse(FEED_URL)).content.decode()
    assert '<select name="timezone"' in html
    assert '<option value="America/Chicago">Central (America/Chicago)</option>' in html
