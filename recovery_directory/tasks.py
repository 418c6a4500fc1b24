"""Site-wide work run by a task worker: the curators' weekly digest."""

from django_tasks import task

from .digest import send_digest


@task()
def send_curator_digest(days=7):
    """Mail each curator the week's changes and waiting work; returns how many were sent."""
    return send_digest(days=days)
