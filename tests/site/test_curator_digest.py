"""send_curator_digest: the week's changes and the waiting work, with links, by mail."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from listings.models import PublicationStatus
from opendata.models import FeedRun, FeedSource, SyncState
from programs.models import ChangeRequest
from tests.factories import make_program, make_referral, make_staff
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.SITE_URL = "https://directory.example"
    stale = make_program(name="Old Group", last_verified_on=None)
    make_program(name="Fresh Group", last_verified_on=timezone.localdate())
    report = ChangeRequest.about(stale)
    report.problem = "closed"
    report.save()
    make_program(name="Feed Draft", status=PublicationStatus.DRAFT, source="feed", source_id="1")
    source = FeedSource.objects.create(name="area", url="https://example.org/m.json")
    FeedRun.objects.create(source=source, outcome=SyncState.IMPORTED, created=12, withdrawn=3)
    FeedRun.objects.create(source=source, outcome=SyncState.FAILED, error="503")
    source.state = SyncState.FAILED
    source.save()
    referral = make_referral(first_name="Secret Sam", phone="+16145550199")
    return referral


def test_each_curator_gets_the_changes_and_the_work_with_links(world):
    make_staff("ana", "Curators")
    make_staff("ben", "Curators", email="")  # no address, no mail
    make_staff("cy")  # staff but not a curator
    call_command("send_curator_digest", verbosity=0)
    assert mail.outbox == []  # queued: a task worker sends it
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    message = mail.outbox[0]
    body = message.body
    assert "waiting" in message.subject
    assert "Programs: 3 added" in body
    assert "Problem reports: 1 received, 0 resolved." in body
    assert "Feed syncs: 1 imported (12 new items, 3 withdrawn), 1 failed, 0 held." in body
    assert "Open problem reports: 1" in body
    assert "It has closed or no longer meets: Old Group" in body
    assert "https://directory.example/admin/programs/changerequest/" in body
    assert "Feeds that need a look: 1" in body
    assert "https://directory.example/admin/work/" in body
    assert "Fresh Group" not in body
    assert "Referral" not in body


def test_coordinators_see_a_count_of_waiting_referrals_and_nothing_about_them(world):
    make_staff("dee", "Curators", "Referral coordinators")
    call_command("send_curator_digest", "--now", verbosity=0)
    body = mail.outbox[0].body
    assert "Referrals waiting: 1" in body
    for secret in ("Secret Sam", "5550199", world.reference):
        assert secret not in body


def test_old_changes_fall_outside_the_window(world):
    make_staff("ana", "Curators")
    later = timezone.now() + datetime.timedelta(days=30)
    from recovery_directory.digest import changes_since

    lines = changes_since(later - datetime.timedelta(days=7))
    assert lines[0] == "Programs: 0 added, 0 changed, 0 verified."


def test_dry_run_prints_and_sends_nothing(world, capsys):
    make_staff("ana", "Curators")
    call_command("send_curator_digest", "--dry-run")
    out = capsys.readouterr().out
    assert "To ana@example.org" in out
    assert "1 digest(s) would be sent." in out
    assert mail.outbox == []


def test_the_command_queues_one_task_and_now_sends_at_once(world, capsys):
    from django_tasks_db.models import DBTaskResult

    make_staff("ana", "Curators")
    call_command("send_curator_digest", "--days", "3")
    assert "The digest is queued" in capsys.readouterr().out
    [queued] = DBTaskResult.objects.ready()
    assert queued.task_path == "recovery_directory.tasks.send_curator_digest"
    assert queued.args_kwargs == {"args": [], "kwargs": {"days": 3}}
    call_command("send_curator_digest", "--now")
    assert "1 digest(s) sent." in capsys.readouterr().out
    assert len(mail.outbox) == 1
