"""Fetch each feed source and run its importer: what `sync_feeds` and "sync now" do.

Fetching is plain urllib with a timeout, a size limit and conditional requests (ETag and
Last-Modified), so an unchanged feed costs the publisher a 304 and us no work; a body whose
hash matches the last one imported is skipped too, for servers that send neither header.

A Meeting Guide import that would withdraw more than half of the source's published
meetings is rolled back and the source held until a curator confirms: a feed that is
suddenly half empty is far more often broken than true.
"""

import hashlib
import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from listings.models import PublicationStatus
from programs.models import Meeting

from .meeting_guide_import import MAX_FEED_BYTES, import_meeting_guide
from .models import FeedKind, FeedRun, PublishPolicy, SyncState
from .summary import ImportFileError

FETCH_TIMEOUT_SECONDS = 30
WITHDRAW_LIMIT = 0.5  # the share of published meetings one sync may withdraw unconfirmed
BIG_CHANGE = 0.25  # an import adding or withdrawing more than this share is flagged for review
REPORT_LINES = 60
USER_AGENT = "recovery-directory-feed-sync"

logger = logging.getLogger(__name__)


class FetchError(Exception):
    pass


class Held(Exception):
    """The import would withdraw too much; it was rolled back."""


def allow_plain_http():
    # Plain http is for a developer's machine and the test suite's local server only.
    return settings.DEBUG or getattr(settings, "FEEDS_ALLOW_HTTP", False)


def check_scheme(url):
    scheme = urlsplit(url).scheme.lower()
    if scheme != "https" and not (scheme == "http" and allow_plain_http()):
        raise FetchError("Only https:// addresses are fetched.")


class SchemeCheckingRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to addresses we would fetch directly (no https-to-http)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_scheme(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(source):
    """(status, body, headers): 304 with no body when the server says nothing changed."""
    check_scheme(source.url)
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json, text/csv, */*"}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    request = urllib.request.Request(source.url, headers=headers)  # noqa: S310 (checked above)
    opener = urllib.request.build_opener(SchemeCheckingRedirects)
    try:
        with opener.open(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
            body = response.read(MAX_FEED_BYTES + 1)
            if len(body) > MAX_FEED_BYTES:
                raise FetchError(f"The file is over {MAX_FEED_BYTES // 2**20} MB.")
            return response.status, body, response.headers
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return 304, b"", exc.headers
        raise FetchError(f"The server answered {exc.code} {exc.reason}.") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"Could not reach the server: {exc.reason}.") from None
    except (TimeoutError, OSError) as exc:
        raise FetchError(f"Could not fetch the file: {exc}.") from None


def run_import(source, body):
    publish = source.publish_policy == PublishPolicy.PUBLISH
    if source.kind == FeedKind.FINDTREATMENT:
        from .findtreatment import import_findtreatment

        return import_findtreatment(body, source=source.name)
    published = Meeting.objects.filter(
        source=source.name, status=PublicationStatus.PUBLISHED
    ).count()
    with transaction.atomic():
        summary = import_meeting_guide(
            body,
            source=source.name,
            default_timezone=source.timezone,
            kind=source.program_kind,
            fellowship=source.fellowship,
            publish=publish,
        )
        if (
            published
            and summary.unpublished > published * WITHDRAW_LIMIT
            and not source.withdrawals_confirmed
        ):
            transaction.set_rollback(True)
            raise Held(
                f"This sync would withdraw {summary.unpublished} of the {published} published "
                "meetings, so nothing was changed. If the feed is right, confirm the "
                "withdrawals in the admin and sync again."
            )
    return summary


def sync_source(source, now=None):
    """Fetch and import one source; returns the FeedRun recording what happened."""
    now = now or timezone.now()
    run = FeedRun(source=source, started_at=now)
    try:
        status, body, headers = fetch(source)
        digest = hashlib.sha256(body).hexdigest() if status != 304 else ""
        if status == 304 or digest == source.content_sha256:
            run.outcome = SyncState.UNCHANGED
        else:
            summary = run_import(source, body)
            run.outcome = SyncState.IMPORTED
            run.created, run.updated = summary.created, summary.updated
            run.unchanged, run.withdrawn = summary.unchanged, summary.unpublished
            run.rejected = len(summary.rejected)
            lines = summary.lines()
            if len(lines) > REPORT_LINES:
                lines = [*lines[:REPORT_LINES], f"… and {len(lines) - REPORT_LINES} more lines."]
            run.report = "\n".join(lines)
            source.content_sha256 = digest
            total = summary.created + summary.updated + summary.unchanged
            moved = summary.created + summary.unpublished
            # The first import creates everything; that is not news.
            source.big_change = bool(source.last_imported_at) and moved > total * BIG_CHANGE
            source.last_imported_at = now
            source.withdrawals_confirmed = False
        # Validators only after a good import: a held or failed run must fetch in full again.
        source.etag = (headers.get("ETag") or "")[:200]
        source.last_modified = (headers.get("Last-Modified") or "")[:100]
    except (FetchError, ImportFileError, Held) as exc:
        run.outcome = SyncState.HELD if isinstance(exc, Held) else SyncState.FAILED
        run.error = str(exc)
    except Exception as exc:
        # One broken source must not stop the others; the traceback goes to the log.
        logger.exception("Feed sync of %s failed", source.name)
        run.outcome = SyncState.FAILED
        run.error = f"The sync stopped with an unexpected error ({type(exc).__name__})."
    run.finished_at = timezone.now()
    run.save()
    source.state, source.last_checked_at = run.outcome, now
    source.save(
        update_fields=[
            "state",
            "last_checked_at",
            "last_imported_at",
            "etag",
            "last_modified",
            "content_sha256",
            "withdrawals_confirmed",
            "big_change",
        ]
    )
    return run
