"""sync_feeds against a local HTTP server: conditional requests, the withdrawal guard, errors."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse

from listings.models import PublicationStatus
from opendata.models import FeedKind, FeedRun, FeedSource, SyncState
from opendata.sync import sync_source
from programs.models import Meeting, TreatmentCenter
from tests.factories import make_staff
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


class Feed:
    """What the local server answers; tests change it between runs."""

    def __init__(self):
        self.status = 200
        self.body = b""
        self.etag = '"v1"'
        self.requests = []


def meeting(n, day=1):
    return {
        "name": f"Group {n}",
        "slug": f"group-{n}",
        "day": day,
        "time": "19:00",
        "timezone": "America/New_York",
        "address": f"{n} Main St",
        "city": "Columbus",
        "state": "OH",
        "postal_code": "43215",
        "types": ["O"],
    }


@pytest.fixture
def feed(settings):
    settings.FEEDS_ALLOW_HTTP = True
    state = Feed()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server calls)
            state.requests.append(dict(self.headers))
            if state.status != 200:
                self.send_response(state.status)
                self.end_headers()
                return
            if state.etag and self.headers.get("If-None-Match") == state.etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if state.etag:
                self.send_header("ETag", state.etag)
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args):
            pass  # keep the test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # A short poll: shutdown() waits for the loop to look, half a second by default.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/meetings.json"
    yield state
    server.shutdown()
    server.server_close()


def source_for(feed, **kwargs):
    kwargs.setdefault("publish_policy", "publish")
    return FeedSource.objects.create(name="area", url=feed.url, **kwargs)


def published():
    return Meeting.objects.filter(source="area", status=PublicationStatus.PUBLISHED).count()


def test_first_run_creates_and_an_unchanged_etag_does_no_work(feed, django_assert_max_num_queries):
    feed.body = json.dumps([meeting(n) for n in range(4)]).encode()
    source = source_for(feed)
    call_command("sync_feeds", "--now")
    assert published() == 4
    run = FeedRun.objects.get()
    assert (run.outcome, run.created) == (SyncState.IMPORTED, 4)
    source.refresh_from_db()
    assert source.etag == '"v1"' and source.state == SyncState.IMPORTED
    # Not due again until its interval passes: nothing is fetched.
    call_command("sync_feeds", "--now")
    assert len(feed.requests) == 1
    # Forced, it asks with the ETag, gets a 304 and imports nothing.
    with django_assert_max_num_queries(6):
        call_command("sync_feeds", "--all", "--now")
    assert feed.requests[-1]["If-None-Match"] == '"v1"'
    last = FeedRun.objects.first()
    assert (last.outcome, last.created, last.updated) == (SyncState.UNCHANGED, 0, 0)


def test_a_body_identical_to_the_last_one_is_not_imported_again(feed):
    feed.etag = ""
    feed.body = json.dumps([meeting(1)]).encode()
    source = source_for(feed)
    sync_source(source)
    assert sync_source(source).outcome == SyncState.UNCHANGED


def test_a_run_withdrawing_over_half_waits_for_confirmation(feed, client):
    feed.body = json.dumps([meeting(n) for n in range(6)]).encode()
    source = source_for(feed)
    sync_source(source)
    feed.body, feed.etag = json.dumps([meeting(0), meeting(1)]).encode(), '"v2"'
    run = sync_source(source)
    assert run.outcome == SyncState.HELD
    assert "withdraw 4 of the 6" in run.error
    assert published() == 6  # nothing changed
    source.refresh_from_db()
    assert source.state == SyncState.HELD
    # The start page lists it for curators.
    client.force_login(make_staff("curator", "Curators"))
    sections = {s.key: s for s in client.get("/admin/work/").context["sections"]}
    assert sections["feeds"].count == 1
    # Held again on the next run, until a curator confirms in the admin.
    assert sync_source(source).outcome == SyncState.HELD
    response = client.post(
        reverse("admin:opendata_feedsource_changelist"),
        {"action": "confirm_withdrawals", "_selected_action": [source.pk]},
    )
    assert response.status_code == 302
    run_queued_tasks()
    assert published() == 2
    source.refresh_from_db()
    assert source.state == SyncState.IMPORTED and not source.withdrawals_confirmed
    assert FeedRun.objects.first().withdrawn == 4


def test_a_server_error_is_recorded_and_retried_next_run(feed):
    feed.status = 503
    source = source_for(feed)
    call_command("sync_feeds", "--now")
    run = FeedRun.objects.get()
    assert run.outcome == SyncState.FAILED
    assert "503" in run.error
    source.refresh_from_db()
    assert source.state == SyncState.FAILED
    feed.status, feed.body = 200, json.dumps([meeting(1)]).encode()
    call_command("sync_feeds", "--now")  # due again at once, without waiting out its interval
    assert len(feed.requests) == 2
    assert FeedRun.objects.first().outcome == SyncState.IMPORTED
    assert published() == 1


def test_an_unreadable_feed_is_a_failure_with_the_reason(feed):
    feed.body = b"<html>Not found</html>"
    run = sync_source(source_for(feed))
    assert run.outcome == SyncState.FAILED
    assert "JSON" in run.error


def test_plain_http_is_refused_outside_tests_and_debug(feed, settings):
    settings.FEEDS_ALLOW_HTTP = False
    run = sync_source(source_for(feed))
    assert run.outcome == SyncState.FAILED
    assert "https" in run.error
    assert feed.requests == []


def test_an_oversized_file_is_refused(feed, monkeypatch):
    monkeypatch.setattr("opendata.sync.MAX_FEED_BYTES", 100)
    feed.body = json.dumps([meeting(n) for n in range(5)]).encode()
    run = sync_source(source_for(feed))
    assert run.outcome == SyncState.FAILED
    assert "over" in run.error


def test_a_findtreatment_file_source(feed):
    feed.body = (
        b"name1,street1,city,state,zip,latitude,longitude,SA,OP\r\n"
        b"Hope Centre,1 Main St,Columbus,OH,43215,39.96,-82.99,1,1\r\n"
        b"Hope Centre,1 Main St,Columbus,OH,43215,39.96,-82.99,1,0\r\n"
    )
    source = source_for(feed, kind=FeedKind.FINDTREATMENT)
    run = sync_source(source)
    assert (run.outcome, run.created) == (SyncState.IMPORTED, 1)
    assert "Merged 2 rows into 1 entry" in run.report
    assert TreatmentCenter.objects.get(source="area").status == PublicationStatus.DRAFT


def test_admin_shows_history_and_syncs_now(feed, client):
    feed.body = json.dumps([meeting(1)]).encode()
    source = source_for(feed)
    client.force_login(make_staff("curator", "Curators"))
    changelist = reverse("admin:opendata_feedsource_changelist")
    response = client.post(
        changelist, {"action": "sync_now", "_selected_action": [source.pk]}, follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("area: queued") for m in shown), shown
    assert not FeedRun.objects.exists()  # nothing fetched in the request
    run_queued_tasks()
    page = client.get(reverse("admin:opendata_feedsource_change", args=[source.pk]))
    html = page.content.decode()
    assert "last 20 syncs" in html.lower()
    assert "<td>Imported</td>" in html
    assert client.get(changelist, {"attention": "yes"}).status_code == 200


def test_command_names_an_unknown_source():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nowhere"):
        call_command("sync_feeds", "--source", "nowhere")


def test_a_source_is_added_with_a_zone_select_that_may_stay_blank(client):
    client.force_login(make_staff("curator", "Curators"))
    url = reverse("admin:opendata_feedsource_add")
    assert "own zone</option>" in client.get(url).content.decode()
    data = {
        "name": "area",
        "url": "example.org/meetings.json",
        "kind": "meeting_guide",
        "active": "on",
        "every_hours": "6",
        "publish_policy": "draft",
        "timezone": "",
        "program_kind": "12-step",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    source = FeedSource.objects.get()
    assert (source.url, source.timezone) == ("https://example.org/meetings.json", "")


def test_a_large_change_is_flagged_for_review_until_marked(feed, client):
    feed.body = json.dumps([meeting(n) for n in range(4)]).encode()
    source = source_for(feed)
    sync_source(source)
    source.refresh_from_db()
    assert not source.big_change  # the first import creates everything: not news
    feed.body, feed.etag = json.dumps([meeting(n) for n in range(4, 12)]).encode(), '"v2"'
    source.withdrawals_confirmed = True  # past the withdrawal guard, to reach the flag
    sync_source(source)
    source.refresh_from_db()
    assert source.state == SyncState.IMPORTED and source.big_change
    assert FeedSource.objects.needing_attention().count() == 1
    assert "large change" in source.state_text()
    client.force_login(make_staff("curator", "Curators"))
    client.post(
        reverse("admin:opendata_feedsource_changelist"),
        {"action": "mark_reviewed", "_selected_action": [source.pk]},
    )
    assert not FeedSource.objects.needing_attention().exists()


def test_sync_feeds_queues_one_task_per_source_and_a_broken_one_stops_no_other(feed, capsys):
    from django_tasks_db.models import DBTaskResult

    feed.body = json.dumps([meeting(n) for n in range(3)]).encode()
    good = source_for(feed)
    broken = FeedSource.objects.create(name="down", url="http://127.0.0.1:1/meetings.json")
    call_command("sync_feeds")
    assert capsys.readouterr().out.splitlines() == ["area: queued", "down: queued"]
    queued = DBTaskResult.objects.ready()
    assert sorted(t.args_kwargs["args"][0] for t in queued) == sorted([good.pk, broken.pk])
    assert {t.queue_name for t in queued} == {"imports"}
    assert not FeedRun.objects.exists() and feed.requests == []  # nothing fetched yet
    # Cron again before a worker took them: nothing is queued twice.
    call_command("sync_feeds")
    assert "area: already queued, not again" in capsys.readouterr().out
    assert DBTaskResult.objects.ready().count() == 2

    run_queued_tasks()
    assert published() == 3
    outcomes = dict(FeedRun.objects.values_list("source__name", "outcome"))
    assert outcomes == {"area": SyncState.IMPORTED, "down": SyncState.FAILED}
    # Once run, a source can be queued again.
    call_command("sync_feeds", "--all")
    assert DBTaskResult.objects.ready().count() == 2
