"""Import jobs: an upload is stored and answered at once, a task worker imports it.

Issue 16, fault 9: a 43 MB feed uploaded in the admin used to be imported inside the
request, which the web server's 30-second timeout killed, importing nothing.
"""

import json
import threading
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from opendata import meeting_guide_import, tasks
from opendata.models import FeedKind, ImportJob, JobStatus
from programs.models import Meeting, Program
from tests.benchmarks.make_meeting_guide_feed import feed as generated_feed
from tests.factories import make_staff
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

FEED_URL = "admin:programs_program_import"
CENTRES_URL = "admin:programs_treatmentcenter_import"
JOBS_URL = "admin:opendata_importjob_changelist"


def meeting(n):
    return {
        "name": f"Group {n}",
        "slug": f"group-{n}",
        "day": n % 7,
        "time": "19:00",
        "timezone": "America/New_York",
        "address": f"{n} Main St",
        "city": "Columbus",
        "state": "OH",
        "postal_code": "43215",
    }


def feed_upload(items, name="feed.json"):
    return SimpleUploadedFile(name, json.dumps(items).encode(), "application/json")


def upload(client, items, **fields):
    data = {"file": feed_upload(items), "source": "area", "kind": "12-step", **fields}
    return client.post(reverse(FEED_URL), data)


def job_page(client, job):
    return client.get(reverse("admin:opendata_importjob_change", args=[job.pk]))


def test_an_upload_is_stored_queued_and_answered_with_its_job_page(
    client, curator, django_assert_num_queries
):
    items = [meeting(n) for n in range(3)]
    # Session, user, the fellowship choice check, the job, the task: nothing imports here.
    with django_assert_num_queries(11):
        response = upload(client, items, publish="on")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:opendata_importjob_change", args=[job.pk])
    assert (job.status, job.kind, job.source, job.dry_run) == (
        JobStatus.QUEUED,
        FeedKind.MEETING_GUIDE,
        "area",
        False,
    )
    assert job.options == {
        "timezone": "",
        "kind": "12-step",
        "fellowship": None,
        "publish": True,
    }
    assert job.started_by == curator and job.file_name == "feed.json"
    assert zlib.decompress(job.data) == json.dumps(items).encode()
    assert job.file_size == len(json.dumps(items).encode())
    [task] = DBTaskResult.objects.ready()
    assert task.task_path == "opendata.tasks.run_import_job"
    assert task.queue_name == "imports" and task.args_kwargs["args"] == [job.pk]
    assert not Program.objects.exists()

    page = job_page(client, job).content.decode()
    assert "Waiting for a worker" in page
    assert '<meta http-equiv="refresh" content="5">' in page


def test_the_worker_imports_and_the_job_page_shows_the_summary(client, curator):
    upload(client, [meeting(n) for n in range(3)], publish="on")
    run_queued_tasks()
    job = ImportJob.objects.get()
    assert job.status == JobStatus.DONE
    assert job.data == b""  # the file is not kept once imported
    assert job.started_at <= job.finished_at
    assert Meeting.objects.filter(source="area").count() == 3
    response = job_page(client, job)
    page = response.content.decode()
    assert "What the import did" in page
    assert "3 created, 0 updated" in page
    assert "http-equiv" not in page  # finished: no more reloading
    assert response.context["summary"].created == 3


def test_the_job_list_is_read_only(client, curator):
    upload(client, [meeting(1)])
    response = client.get(reverse(JOBS_URL))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Waiting for a worker" in page and "area" in page
    assert reverse("admin:opendata_importjob_add") not in page
    assert client.get(reverse("admin:opendata_importjob_add")).status_code == 403
    job = ImportJob.objects.get()
    assert client.post(reverse("admin:opendata_importjob_delete", args=[job.pk])).status_code == 403


def test_only_people_who_may_import_see_the_jobs(client, curator):
    upload(client, [meeting(1)])
    job = ImportJob.objects.get()
    client.force_login(make_staff("cora", "Referral coordinators"))
    assert client.get(reverse(JOBS_URL)).status_code == 403
    assert job_page(client, job).status_code == 403
    assert "importjob" not in client.get(reverse("admin:index")).content.decode()


def test_an_unexpected_error_fails_the_job_with_a_message_not_a_500(client, curator, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(meeting_guide_import, "import_meeting_guide", explode)
    upload(client, [meeting(1)])
    run_queued_tasks()
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED and job.data == b""
    assert "unexpected error (RuntimeError)" in job.error
    response = job_page(client, job)
    assert response.status_code == 200
    assert "unexpected error (RuntimeError)" in response.content.decode()
    assert "boom" not in response.content.decode()


def test_progress_is_written_to_the_job_as_rows_are_read(client, curator, monkeypatch):
    monkeypatch.setattr(meeting_guide_import, "PROGRESS_EVERY", 2)
    seen = []
    report = tasks.JobProgress.__call__

    def spy(self, message, **counts):
        report(self, message, **counts)
        seen.append(ImportJob.objects.values_list("status", "done", "total", "stage").get())

    monkeypatch.setattr(tasks.JobProgress, "__call__", spy)
    upload(client, [meeting(n) for n in range(5)])
    run_queued_tasks()
    running = [row[1:] for row in seen if row[0] == JobStatus.RUNNING]
    assert (0, 5, "Read 5 items from the feed.") in running
    assert (2, 5, "Checked 2 of 5 items.") in running
    assert (4, 5, "Checked 4 of 5 items.") in running
    assert (5, 5, "Saving 5 meetings.") in running
    # Lines from inside the import's transaction are not written (nobody could see them).
    assert running[-1] == (5, 5, "Saving 5 meetings.")


def test_a_running_job_shows_its_progress_bar_and_reloads(client, curator):
    upload(client, [meeting(1)])
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, done=1500, total=6000, stage="Checked 1,500 of 6,000 items."
    )
    page = job_page(client, job).content.decode()
    assert '<progress id="job-progress" max="6000" value="1500">25%</progress>' in page
    assert "Checked 1,500 of 6,000 items." in page
    assert '<meta http-equiv="refresh"' in page


def test_a_job_whose_worker_went_quiet_says_so_and_stops_reloading(client, curator):
    from django.utils import timezone

    upload(client, [meeting(1)])
    job = ImportJob.objects.get()
    long_ago = timezone.now() - timezone.timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, updated_at=long_ago)
    page = job_page(client, job).content.decode()
    assert "its worker has probably stopped" in page
    assert "http-equiv" not in page


def test_a_job_is_imported_once_even_if_its_task_runs_twice(client, curator):
    upload(client, [meeting(1)], publish="on")
    job = ImportJob.objects.get()
    assert tasks.run_import_job.call(job.pk) == JobStatus.DONE
    assert tasks.run_import_job.call(job.pk) == "not queued"
    assert ImportJob.objects.get().summary["created"] == 1


def test_a_findtreatment_upload_is_a_job_too(client, curator):
    csv = (
        "name1,street1,city,state,zip,phone,type_facility,SA,OP\n"
        "Riverside Recovery,12 River Rd,Columbus,OH,43215,614-555-0100,SA,1,1\n"
    )
    response = client.post(
        reverse(CENTRES_URL),
        {"file": SimpleUploadedFile("f.csv", csv.encode(), "text/csv"), "source": "ft"},
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.kind == FeedKind.FINDTREATMENT and job.options == {}
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.summary["created"] == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_never_run_the_same_job(monkeypatch):
    """Two workers polling one queue at once (threads with their own database connections,
    as two processes would have): every job is imported exactly once."""
    from django_tasks_db.management.commands.db_worker import Worker

    user = make_staff("curator", "Curators")
    jobs = [
        tasks.job_create(
            kind=FeedKind.MEETING_GUIDE,
            upload=feed_upload([meeting(n)], name=f"{n}.json"),
            source=f"area-{n}",
            dry_run=False,
            options={"publish": True},
            user=user,
        )
        for n in range(12)
    ]
    runs = []
    real_run_job = tasks.run_job

    def counted(job):
        runs.append(job.pk)
        time.sleep(0.05)  # long enough for the other worker to look for work meanwhile
        return real_run_job(job)

    monkeypatch.setattr(tasks, "run_job", counted)

    def work(name):
        try:
            Worker(
                queue_names=["imports"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=name,
                excluded_queue_names=[],
            ).run()
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(runs) == sorted(job.pk for job in jobs)  # each once, none twice
    assert set(ImportJob.objects.values_list("status", flat=True)) == {JobStatus.DONE}
    assert Program.objects.count() == 12
    finished = DBTaskResult.objects.all()
    assert finished.count() == 12 and all(t.status == "SUCCESSFUL" for t in finished)
    assert {t.worker_ids[0] for t in finished} == {"worker-0", "worker-1"}  # both worked


@pytest.fixture(scope="module")
def large_feed(tmp_path_factory):
    """A generated Meeting Guide feed of about 45 MB, written as the generator writes it."""
    path = tmp_path_factory.mktemp("feeds") / "large.json"
    path.write_text(json.dumps(generated_feed(111_000), indent=1))
    return path


@pytest.mark.slow
def test_fault_9_a_45_mb_feed_upload_answers_at_once(client, curator, large_feed):
    size = large_feed.stat().st_size
    assert size > 43 * 2**20
    with large_feed.open("rb") as handle:
        started = time.perf_counter()
        response = client.post(
            reverse(FEED_URL),
            {"file": handle, "source": "big-area", "kind": "12-step", "publish": "on"},
        )
        elapsed = time.perf_counter() - started
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == JobStatus.QUEUED and job.file_size == size
    assert not Program.objects.exists()  # nothing imported in the request
    assert elapsed < 5, f"the upload took {elapsed:.1f} s"


def test_job_pages_run_a_fixed_number_of_queries(client, curator, django_assert_num_queries):
    for n in range(3):
        upload(client, [meeting(n)], source=f"area-{n}")
    run_queued_tasks()
    job = ImportJob.objects.first()
    with django_assert_num_queries(9):
        assert job_page(client, job).status_code == 200
    with django_assert_num_queries(11):
        assert client.get(reverse(JOBS_URL)).status_code == 200
    for n in range(3, 6):  # more jobs, the same queries
        upload(client, [meeting(n)], source=f"area-{n}")
    with django_assert_num_queries(11):
        assert client.get(reverse(JOBS_URL)).status_code == 200


def test_an_unknown_or_malformed_job_address_is_not_an_error(client, curator):
    for bad in ("999999", "not-a-number"):
        response = client.get(f"/admin/opendata/importjob/{bad}/change/")
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:index")


def test_reloading_can_be_turned_off(client, curator):
    upload(client, [meeting(1)])
    job = ImportJob.objects.get()
    page = job_page(client, job).content.decode()
    assert '<a href="?reload=off">Stop reloading</a>' in page
    url = reverse("admin:opendata_importjob_change", args=[job.pk])
    page = client.get(url, {"reload": "off"}).content.decode()
    assert "http-equiv" not in page
    assert '<a href="?">Reload to see how the import is going</a>' in page
