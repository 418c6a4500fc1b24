"""The weekly curators' digest: what changed in the directory and what waits, with links.

It reuses the start page's sections (workspace.py), so the mail and the page agree. Referrals
appear only as a count, and only to coordinators: no referral's content ever goes by mail.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Q, Sum
from django.utils import timezone

from activities.models import Activity
from listings.permissions import CURATORS
from opendata.models import FeedRun, SyncState
from programs.models import ChangeRequest, ChangeRequestStatus, Program, TreatmentCenter

from .workspace import work_for


def recipients():
    return (
        User.objects.filter(is_active=True, is_staff=True, groups__name=CURATORS)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def changes_since(since):
    """Lines about the week's changes, the same for every curator."""
    lines = []
    for model in (Program, TreatmentCenter, Activity):
        counts = model.objects.aggregate(
            added=Count("pk", filter=Q(created_at__gte=since)),
            changed=Count("pk", filter=Q(updated_at__gte=since, created_at__lt=since)),
            verified=Count("pk", filter=Q(last_verified_on__gte=since.date())),
        )
        name = model._meta.verbose_name_plural
        lines.append(
            f"{name.capitalize()}: {counts['added']} added, {counts['changed']} changed, "
            f"{counts['verified']} verified."
        )
    reports = ChangeRequest.objects.aggregate(
        received=Count("pk", filter=Q(created_at__gte=since)),
        resolved=Count("pk", filter=Q(resolved_at__gte=since, status=ChangeRequestStatus.RESOLVED)),
    )
    lines.append(
        f"Problem reports: {reports['received']} received, {reports['resolved']} resolved."
    )
    runs = FeedRun.objects.filter(started_at__gte=since).aggregate(
        imports=Count("pk", filter=Q(outcome=SyncState.IMPORTED)),
        failures=Count("pk", filter=Q(outcome=SyncState.FAILED)),
        held=Count("pk", filter=Q(outcome=SyncState.HELD)),
        created=Sum("created"),
        withdrawn=Sum("withdrawn"),
    )
    lines.append(
        f"Feed syncs: {runs['imports']} imported ({runs['created'] or 0} new items, "
        f"{runs['withdrawn'] or 0} withdrawn), {runs['failures']} failed, {runs['held']} held."
    )
    return lines


def compose(user, changes, days):
    """(subject, body) of one curator's digest."""
    sections = work_for(user)
    waiting = sum(section.count for section in sections)
    subject = f"Recovery directory: {waiting} things waiting this week"
    out = [f"What changed in the last {days} days", ""]
    out += [f"- {line}" for line in changes]
    out += ["", "What needs doing", ""]
    for section in sections:
        out.append(f"{section.title}: {section.count}")
        for item in section.items:
            detail = f" ({item.detail})" if item.detail else ""
            out.append(f"  - {item.label}{detail}: {settings.SITE_URL}{item.url}")
        for label, url in section.links:
            out.append(f"  {label}: {settings.SITE_URL}{url}")
        out.append("")
    out.append(f"The start page, always up to date: {settings.SITE_URL}/admin/work/")
    return subject, "\n".join(out) + "\n"


def send_digest(days=7, now=None, dry_run=False, write=None):
    """Mail every curator with an address; returns how many were sent (or would be)."""
    from django.core.mail import send_mail

    now = now or timezone.now()
    changes = changes_since(now - datetime.timedelta(days=days))
    sent = 0
    for user in recipients():
        subject, body = compose(user, changes, days)
        if dry_run:
            if write:
                write(f"To {user.email}: {subject}\n{body}")
        else:
            send_mail(subject, body, None, [user.email])
        sent += 1
    return sent
