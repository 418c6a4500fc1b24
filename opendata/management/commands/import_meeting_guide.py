"""Load a Meeting Guide JSON feed (a file or an http(s) address) into programs and meetings."""

import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from opendata.meeting_guide_import import MAX_FEED_BYTES, import_meeting_guide
from opendata.summary import ImportFileError
from programs.models import Fellowship, ProgramKind

FETCH_TIMEOUT_SECONDS = 60


class Command(BaseCommand):
    help = (
        "Create or update programs, weekly meetings and locations from a Meeting Guide feed. "
        "Running it again with the same feed changes nothing; meetings that have left the "
        "feed are archived, never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("feed", help="Path to a feed file, or its http(s) address.")
        parser.add_argument(
            "--source",
            help="Name for where the feed comes from (default: the file name or web address). "
            "Later imports of the same feed must use the same name.",
        )
        parser.add_argument(
            "--timezone", default="", help="Zone for meetings the feed gives none (IANA name)."
        )
        parser.add_argument(
            "--kind",
            default=ProgramKind.TWELVE_STEP,
            choices=ProgramKind.values,
            help="Kind of program for new groups (default: 12-step).",
        )
        parser.add_argument(
            "--fellowship", help="Fellowship of new groups, by name, abbreviation or slug."
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish new groups at once (default: drafts for a curator to review).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report, but save nothing.")

    def handle(self, *args, feed, source, timezone, kind, fellowship, publish, dry_run, **opts):
        fellowship_row = find_fellowship(fellowship) if fellowship else None
        data = fetch(feed) if feed.startswith(("http://", "https://")) else read_file(feed)
        started = time.monotonic()
        try:
            summary = import_meeting_guide(
                data,
                source=source or default_source(feed),
                default_timezone=timezone,
                kind=kind,
                fellowship=fellowship_row,
                publish=publish,
                dry_run=dry_run,
                progress=lambda message, **counts: self.stdout.write(message),
            )
        except ImportFileError as exc:
            raise CommandError(f"{exc} Nothing was changed.") from exc
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(f"Finished in {time.monotonic() - started:.1f} s.")


def default_source(feed):
    """The web address without its scheme, or the file's name: what a curator would call it."""
    if feed.startswith(("http://", "https://")):
        parts = urlsplit(feed)
        return (parts.netloc + parts.path).rstrip("/")[:60]
    return Path(feed).name[:60]


def find_fellowship(text):
    for lookup in ("slug", "abbreviation__iexact", "name__iexact"):
        match = Fellowship.objects.filter(**{lookup: text}).first()
        if match:
            return match
    raise CommandError(f"No fellowship called “{text}”; add it in the admin first.")


def read_file(path):
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_FEED_BYTES + 1)
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc


def fetch(url):
    # Only http(s) addresses reach here (see handle), so no file: or custom schemes.
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.read(MAX_FEED_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise CommandError(f"Cannot fetch {url}: {getattr(exc, 'reason', exc)}.") from exc
