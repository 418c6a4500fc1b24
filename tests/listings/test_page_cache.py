"""The page cache is never stale: any change to a listing shows on the next request."""

import io
import json
from html.parser import HTMLParser

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from listings import cache as page_cache
from programs.models import ChangeRequest, MeetingType, ProblemKind, Program
from tests.factories import make_meeting, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _long_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 3600


class _FormReader(HTMLParser):
    """What a browser would post from the admin's change form, as it stands."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            else:
                self.data.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.data.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None


def change_form_data(client, url, **changes):
    response = client.get(url)
    assert response.status_code == 200
    reader = _FormReader()
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    data.pop("csrfmiddlewaretoken", None)
    data.update({name: [value] for name, value in changes.items()})
    return data


def test_a_curators_admin_edit_shows_on_the_next_request(
    client, curator, django_capture_on_commit_callbacks
):
    program = make_program(name="Downtown Group")
    make_meeting(program=program, types=["O"])
    page = reverse("programs:program_detail", kwargs={"slug": program.slug})
    assert b"Downtown Group" in client.get(page).content
    assert b"Downtown Group" in client.get(reverse("meeting_guide_feed")).getvalue()
    url = reverse("admin:programs_program_change", args=[program.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, change_form_data(client, url, name="Riverside Group"))
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.formset.errors for f in response.context["inline_admin_formsets"]],
    )
    assert Program.objects.get(pk=program.pk).name == "Riverside Group"
    assert b"Riverside Group" in client.get(page).content
    [item] = json.loads(client.get(reverse("meeting_guide_feed")).getvalue())
    assert item["name"] == "Riverside Group"


def test_pages_are_served_from_the_cache_until_something_changes(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    program = make_program(name="Downtown Group")
    page = reverse("programs:program_detail", kwargs={"slug": program.slug})
    client.get(page)
    with django_assert_num_queries(0):
        assert b"Downtown Group" in client.get(page).content
    # A write the page cache was not told about (a raw update) stays hidden: proof that the
    # page really comes from the cache, and that the saves below are what refresh it.
    Program.objects.filter(pk=program.pk).update(name="Hidden Name")
    assert b"Downtown Group" in client.get(page).content
    with django_capture_on_commit_callbacks(execute=True):
        MeetingType.objects.create(code="ZZ", name="Zebra")
    assert b"Hidden Name" in client.get(page).content


def test_deleting_and_admin_actions_show_at_once(
    client, curator, django_capture_on_commit_callbacks
):
    program = make_program(name="Downtown Group")
    page = reverse("programs:program_detail", kwargs={"slug": program.slug})
    assert client.get(page).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:programs_program_changelist"),
            {"action": "unpublish", "_selected_action": [str(program.pk)]},
        )
    assert client.get(page).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:programs_program_changelist"),
            {"action": "publish", "_selected_action": [str(program.pk)]},
        )
    assert client.get(page).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:programs_program_delete", args=[program.pk]), {"post": "yes"})
    assert client.get(page).status_code == 404


def test_meeting_type_changes_through_the_m2m_show_at_once(
    client, django_capture_on_commit_callbacks
):
    meeting = make_meeting(types=["O"])
    [item] = json.loads(client.get(reverse("meeting_guide_feed")).getvalue())
    assert item["types"] == ["O"]
    with django_capture_on_commit_callbacks(execute=True):
        meeting.types.add(MeetingType.objects.get(code="D"))
    [item] = json.loads(client.get(reverse("meeting_guide_feed")).getvalue())
    assert item["types"] == ["D", "O"]


def test_an_import_shows_on_the_next_request(client, tmp_path, django_capture_on_commit_callbacks):
    assert json.loads(client.get(reverse("meeting_guide_feed")).getvalue()) == []
    feed = tmp_path / "feed.json"
    feed.write_text(
        json.dumps(
            [
                {
                    "name": "Serenity Seekers",
                    "slug": "serenity-seekers-mon",
                    "day": 1,
                    "time": "19:00",
                    "types": ["O"],
                    "address": "100 Main St",
                    "city": "Springfield",
                    "state": "IL",
                    "postal_code": "62701",
                }
            ]
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_meeting_guide", str(feed), "--source", "area", "--publish", stdout=io.StringIO()
        )
    [item] = json.loads(client.get(reverse("meeting_guide_feed")).getvalue())
    assert item["slug"] == "serenity-seekers-mon"
    assert b"Serenity Seekers" in client.get(reverse("programs:list")).content


def test_the_version_moves_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    before = page_cache.version()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        make_program()
        assert page_cache.version() == before
    assert callbacks and page_cache.version() == before
    for callback in callbacks:
        callback()
    assert page_cache.version() > before


def test_a_lost_version_number_restarts_above_every_earlier_one():
    first = page_cache.version()
    page_cache.bump()
    assert page_cache.version() == first + 1
    cache.delete(page_cache.VERSION_KEY)
    assert page_cache.version() > first + 1
    cache.delete(page_cache.VERSION_KEY)
    page_cache.bump()
    assert page_cache.version() > first + 1


def test_a_visitors_change_request_leaves_the_cache_alone(django_capture_on_commit_callbacks):
    program = make_program()
    before = page_cache.version()
    with django_capture_on_commit_callbacks() as callbacks:
        ChangeRequest.objects.create(
            content_type=ContentType.objects.get_for_model(program),
            object_id=program.pk,
            problem=ProblemKind.values[0],
            details="The room moved.",
        )
    assert callbacks == []
    assert page_cache.version() == before


def test_browsers_keep_a_page_briefly_however_long_the_server_does(client):
    response = client.get(reverse("programs:meeting_types"))
    assert "max-age=60" in response["Cache-Control"]


def test_bulk_changes_bump_once_instead_of_once_a_row(django_capture_on_commit_callbacks):
    for i in range(30):
        make_meeting(program=make_program(name=f"Group {i}"))
    with django_capture_on_commit_callbacks() as callbacks:
        Program.objects.filter(name__in=["Group 0", "Group 1"]).delete()
    assert len(callbacks) == 4  # two programs and their two meetings, each signalled
    before = page_cache.version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, page_cache.bulk_changes():
        Program.objects.all().delete()
    assert callbacks == [page_cache.bump]
    assert page_cache.version() == before + 1
    assert not Program.objects.exists()
    # Changes are followed again afterwards.
    with django_capture_on_commit_callbacks() as callbacks:
        make_program()
    assert callbacks and set(callbacks) == {page_cache.bump}


def test_a_list_page_asks_the_shared_cache_only_for_the_version(client, settings):
    """The version is read once per request, and what is kept under it comes from memory."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "page_cache_test_table",
        }
    }
    call_command("createcachetable", verbosity=0)
    settings.PAGE_CACHE_SECONDS = 0
    make_meeting(program=make_program(name="Downtown Group"), types=["O"])
    url = reverse("programs:list") + "?day=1&type=O"
    assert b"Downtown Group" in client.get(url).content  # fills the cache
    with CaptureQueriesContext(connection) as ctx:
        assert b"Downtown Group" in client.get(url).content
    cache_reads = [q["sql"] for q in ctx.captured_queries if "page_cache_test_table" in q["sql"]]
    # The version once; the list's count, the filter choices, the zones in use and the
    # clock offsets kept under it come from the process's own copies.
    assert len(cache_reads) == 1, cache_reads
    assert page_cache.VERSION_KEY in cache_reads[0]
