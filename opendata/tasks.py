"""Tasks for work that outlasts a request: imports of uploaded files and feed syncs.

They run in a task worker (`manage.py db_worker`), on whichever machine takes them; see
"Task worker" in docs/operations.md. Both go on the "imports" queue, so a long import
never holds up a notification email waiting on the default queue.
"""

import logging
import zlib

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_tasks import task

from .models import FeedSource, ImportJob, JobStatus
from .summary import ImportFileError
from .sync import sync_source

logger = logging.getLogger(__name__)

IMPORTS_QUEUE = "imports"
COMPRESS_LEVEL = 1  # feeds shrink about tenfold even at the fastest level
CHUNK_BYTES = 1 << 20


def compress_upload(upload):
    """The uploaded file's bytes, compressed chunk by chunk (a 50 MB file is never held whole)."""
    packer = zlib.compressobj(COMPRESS_LEVEL)
    parts = [packer.compress(chunk) for chunk in upload.chunks(CHUNK_BYTES)]
    parts.append(packer.flush())
    return b"".join(parts)


def job_create(*, kind, upload, source, dry_run, options, user):
    """Store the upload as a queued job and enqueue its import; the caller's transaction
    commits both or neither, so a worker never sees a task without its job."""
    job = ImportJob.objects.create(
        kind=kind,
        source=source,
        dry_run=dry_run,
        options=options,
        file_name=(upload.name or "")[:255],
        file_size=upload.size,
        data=compress_upload(upload),
        started_by=user,
    )
    run_import_job.enqueue(job.pk)
    return job


class JobProgress:
    """The importer's progress lines, written to the job row as the import goes.

    Writes made inside the import's own transaction would stay invisible until it commits
    (and a dry run rolls them back), so those lines are skipped: the job page shows the
    rows read, then "Saving ..." until the end.
    """

    def __init__(self, job):
        self.pk = job.pk
        self.depth = len(connection.atomic_blocks)

    def __call__(self, message, done=None, total=None):
        if len(connection.atomic_blocks) > self.depth:
            return
        fields = {"stage": message[:200], "updated_at": timezone.now()}
        if done is not None:
            fields |= {"done": done, "total": total or 0}
        ImportJob.objects.filter(pk=self.pk).update(**fields)


def run_job(job):
    """The import the upload page used to run in the request, with the same arguments."""
    from programs.models import Fellowship, ProgramKind

    from .findtreatment import import_findtreatment
    from .meeting_guide_import import import_meeting_guide
    from .models import FeedKind

    data = zlib.decompress(bytes(job.data))
    progress = JobProgress(job)
    if job.kind == FeedKind.FINDTREATMENT:
        return import_findtreatment(data, source=job.source, dry_run=job.dry_run, progress=progress)
    options = job.options
    fellowship_id = options.get("fellowship")
    return import_meeting_guide(
        data,
        source=job.source,
        default_timezone=options.get("timezone", ""),
        kind=options.get("kind") or ProgramKind.TWELVE_STEP,
        fellowship=Fellowship.objects.filter(pk=fellowship_id).first() if fellowship_id else None,
        publish=bool(options.get("publish")),
        dry_run=job.dry_run,
        progress=progress,
    )


@task(queue_name=IMPORTS_QUEUE)
def run_import_job(job_id):
    """Import one uploaded file, recording progress, the summary or the error on its job."""
    now = timezone.now()
    # Only the worker whose update finds the job still queued runs it, so a task that is
    # somehow delivered twice imports once.
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, updated_at=now, stage="Reading the file."
    )
    if not claimed:
        return "not queued"
    job = ImportJob.objects.get(pk=job_id)
    outcome = {"status": JobStatus.DONE, "error": ""}
    try:
        summary = run_job(job)
    except ImportFileError as exc:
        outcome = {"status": JobStatus.FAILED, "error": f"{exc} Nothing was changed."}
    except Exception as exc:
        # The worker records the traceback on the task; the curator gets a plain sentence.
        logger.exception("Import job %s failed", job_id)
        outcome = {
            "status": JobStatus.FAILED,
            "error": f"The import stopped with an unexpected error ({type(exc).__name__}); "
            "nothing was changed. The site's administrators can see the details in the log.",
        }
    else:
        outcome["summary"] = summary.as_dict()
    finished = timezone.now()
    ImportJob.objects.filter(pk=job_id).update(
        **outcome, data=b"", stage="", finished_at=finished, updated_at=finished
    )
    return outcome["status"]


# Set while a source's sync task waits or runs, so an hourly cron line never queues a second
# one behind a slow first; it lapses after an hour in case a worker died holding it.
SYNC_QUEUED_KEY = "feed-sync-queued-{}"
SYNC_QUEUED_TIMEOUT = 3600


def enqueue_sync(source):
    """Queue a sync of the source unless one is already waiting or running; True if queued."""
    if not cache.add(SYNC_QUEUED_KEY.format(source.pk), 1, timeout=SYNC_QUEUED_TIMEOUT):
        return False
    sync_feed_source.enqueue(source.pk)
    return True


@task(queue_name=IMPORTS_QUEUE)
def sync_feed_source(source_id):
    """Fetch and import one feed source (sync_feeds queues one of these per source)."""
    try:
        source = FeedSource.objects.select_related("fellowship").filter(pk=source_id).first()
        if source is None or not source.active:
            return "gone"
        return sync_source(source).outcome
    finally:
        cache.delete(SYNC_QUEUED_KEY.format(source_id))
