"""Feed sources: a region's Meeting Guide feed or a FindTreatment.gov file, synced on a schedule.

`sync_feeds` (opendata/sync.py) fetches each due source and runs the same importer as the
upload pages; every attempt is kept as a FeedRun so curators can see what happened and when.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from listings.week import validate_timezone
from programs.models import Fellowship, ProgramKind


class FeedKind(models.TextChoices):
    MEETING_GUIDE = "meeting_guide", "Meeting Guide feed (JSON)"
    FINDTREATMENT = "findtreatment", "FindTreatment.gov facility file (CSV)"


class PublishPolicy(models.TextChoices):
    DRAFT = "draft", "New listings wait as drafts for review"
    PUBLISH = "publish", "Publish new listings at once"


class SyncState(models.TextChoices):
    NEVER = "never", "Not synced yet"
    IMPORTED = "imported", "Imported"
    UNCHANGED = "unchanged", "Unchanged since the last sync"
    HELD = "held", "Held: waits for a curator's confirmation"
    FAILED = "failed", "Failed"


class FeedSourceQuerySet(models.QuerySet):
    def needing_attention(self):
        return self.filter(active=True).filter(
            Q(state__in=[SyncState.FAILED, SyncState.HELD]) | Q(big_change=True)
        )

    def due(self, now=None):
        """Active sources whose interval has passed; a failed one is tried again at once."""
        now = now or timezone.now()
        due = []
        for source in self.filter(active=True):
            last = source.last_checked_at
            if (
                last is None
                or source.state == SyncState.FAILED
                or last + datetime.timedelta(hours=source.every_hours) <= now
            ):
                due.append(source.pk)
        return self.filter(pk__in=due)


class FeedSource(models.Model):
    name = models.CharField(
        max_length=60,
        unique=True,
        help_text="Short name, e.g. the area's website. Imported listings are keyed by it, "
        "so changing it later makes the next sync create everything again.",
    )
    url = models.URLField("address", max_length=500, help_text="The https:// address of the file.")
    kind = models.CharField(max_length=20, choices=FeedKind.choices, default=FeedKind.MEETING_GUIDE)
    active = models.BooleanField(default=True, help_text="Untick to stop syncing it.")
    every_hours = models.PositiveSmallIntegerField(
        "sync every (hours)", default=24, help_text="How often sync_feeds fetches it."
    )
    timezone = models.CharField(
        "default time zone",
        max_length=64,
        blank=True,
        validators=[validate_timezone],
        help_text="For meetings the feed gives no zone. Blank: the site's zone.",
    )
    program_kind = models.CharField(
        "kind of new groups",
        max_length=20,
        choices=ProgramKind.choices,
        default=ProgramKind.TWELVE_STEP,
    )
    fellowship = models.ForeignKey(
        Fellowship,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="fellowship of new groups",
    )
    publish_policy = models.CharField(
        max_length=10, choices=PublishPolicy.choices, default=PublishPolicy.DRAFT
    )
    # What the last sync saw and did; written by the sync, never by hand.
    state = models.CharField(
        max_length=10, choices=SyncState.choices, default=SyncState.NEVER, editable=False
    )
    last_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_imported_at = models.DateTimeField(null=True, blank=True, editable=False)
    etag = models.CharField(max_length=200, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    content_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    big_change = models.BooleanField(
        "large change to review",
        default=False,
        help_text="The last import added or withdrew over a quarter of the source's items.",
    )
    withdrawals_confirmed = models.BooleanField(
        default=False,
        editable=False,
        help_text="A curator allowed the next sync to withdraw more than the usual share.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FeedSourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(every_hours__gte=1), name="feedsource_every_hours_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def state_text(self):
        when = self.last_checked_at
        text = self.get_state_display()
        if self.big_change and self.state == SyncState.IMPORTED:
            text += " with a large change"
        if when:
            text += f", {timezone.localtime(when):%b %-d %H:%M}"
        return text


class FeedRun(models.Model):
    """One attempt to sync a source: what came back and what the import did."""

    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=SyncState.choices)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True, help_text="The import's summary, notes and rejections.")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.source} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    """A file uploaded in the admin, imported by a task worker rather than in the request.

    The file is kept here, in the database, not on the web server's disk: the worker that
    takes the task may run on another machine. Its bytes are cleared once the job ends.
    """

    kind = models.CharField(max_length=20, choices=FeedKind.choices)
    source = models.CharField(max_length=60)
    dry_run = models.BooleanField("check only", default=False)
    # The rest of the upload form: zone, kind and fellowship of new groups, publish.
    options = models.JSONField(default=dict, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    data = models.BinaryField(blank=True, help_text="The uploaded file, zlib-compressed.")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # Rows (or items) of the file read so far and in all, and the importer's latest line.
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    summary = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "import job"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values), name="importjob_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=FeedKind.values), name="importjob_kind_valid"
            ),
        ]

    def __str__(self):
        when = timezone.localtime(self.created_at)
        return f"{self.get_kind_display()} from {self.source}, {when:%Y-%m-%d %H:%M}"

    @property
    def finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def took(self):
        """How long the import ran, as "2 min 5 s"; "" until it has finished."""
        if not (self.started_at and self.finished_at):
            return ""
        minutes, seconds = divmod(round((self.finished_at - self.started_at).total_seconds()), 60)
        return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"

    @property
    def percent(self):
        return min(100, self.done * 100 // self.total) if self.total else 0

    def import_summary(self):
        from .summary import ImportSummary

        return ImportSummary.from_dict(self.summary) if self.summary else None
