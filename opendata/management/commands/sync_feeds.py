"""Sync every feed source that is due (for cron, e.g. hourly)."""

from django.core.management.base import BaseCommand, CommandError

from opendata.models import FeedSource
from opendata.sync import sync_source
from opendata.tasks import enqueue_sync


class Command(BaseCommand):
    help = (
        "Fetch each active feed source whose interval has passed (or whose last sync failed) "
        "and import it. Each source is queued as its own task, so a slow feed holds up no "
        "other; --now syncs them one by one here instead. Each attempt is recorded on the "
        "source's admin page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Sync every active source now.")
        parser.add_argument("--source", help="Sync only the source with this name.")
        parser.add_argument(
            "--now", action="store_true", help="Sync in this command instead of queueing tasks."
        )

    def handle(self, *args, **options):
        sources = FeedSource.objects.filter(active=True)
        if options["source"]:
            sources = sources.filter(name=options["source"])
            if not sources.exists():
                raise CommandError(f"No active feed source is called “{options['source']}”.")
        elif not options["all"]:
            sources = sources.due()
        if not options["now"]:
            for source in sources.only("pk", "name"):
                queued = enqueue_sync(source)
                self.stdout.write(
                    f"{source.name}: {'queued' if queued else 'already queued, not again'}"
                )
            return
        failed = 0
        for source in sources.select_related("fellowship"):
            run = sync_source(source)
            line = f"{source.name}: {run.get_outcome_display()}"
            if run.error:
                line += f" – {run.error}"
                failed += 1
            elif run.report:
                line += f" – {run.report.splitlines()[0]}"
            self.stdout.write(line)
        if failed:
            # Cron mails what a command prints on error; the runs themselves are recorded.
            self.stderr.write(f"{failed} source(s) did not sync; see their pages in the admin.")
