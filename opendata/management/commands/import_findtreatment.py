"""manage.py import_findtreatment FILE.csv: load a FindTreatment.gov download as drafts.

See opendata/findtreatment.py for what is read and how; docs/findtreatment-import.md
for the curator's view.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from opendata.findtreatment import DEFAULT_SOURCE, import_findtreatment
from opendata.summary import ImportFileError


class Command(BaseCommand):
    help = (
        "Create or update draft treatment centres from a FindTreatment.gov facility download "
        "(CSV). Running it again with the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The downloaded CSV file, or - to read standard input.")
        parser.add_argument(
            "--source",
            default=DEFAULT_SOURCE,
            help=f"Name the rows are keyed under (default {DEFAULT_SOURCE!r}).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check everything, report what would change, save nothing.",
        )

    def handle(self, *args, file, source, dry_run=False, verbosity=1, **options):
        log = self.log if verbosity > 0 else None
        started = time.perf_counter()
        try:
            if file == "-":
                summary = self.run(sys.stdin.buffer, source, dry_run, log)
            else:
                with open(file, "rb") as handle:
                    summary = self.run(handle, source, dry_run, log)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}.") from exc
        except ImportFileError as exc:
            raise CommandError(f"{file}: {exc} Nothing was changed.") from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for line in summary.lines():
            self.stdout.write(line)
        if verbosity > 1:
            self.stdout.write(f"Took {time.perf_counter() - started:.1f} s.")

    def run(self, handle, source, dry_run, log):
        return import_findtreatment(handle, source=source, dry_run=dry_run, progress=log)

    def log(self, message, **counts):
        self.stdout.write(message)
        # Progress should show while a national file is still loading.
        self.stdout.flush()
