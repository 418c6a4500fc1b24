"""Referral work done by a task worker rather than in the visitor's request."""

from django.core.cache import cache
from django_tasks import task

from .services import notifications_send_pending

# Set while a notification task waits in the queue, so a flood of submissions queues one
# task, not one per referral. The task clears it as it starts: a referral stored after that
# queues the next one. If a worker is down it lapses, and one more task is queued then.
QUEUED_KEY = "referral-notification-task-queued"
QUEUED_TIMEOUT = 600


@task()
def send_notifications():
    """Email coordinators how many referrals wait (one email per window at most)."""
    cache.delete(QUEUED_KEY)
    return notifications_send_pending()


def enqueue_notifications():
    if cache.add(QUEUED_KEY, 1, timeout=QUEUED_TIMEOUT):
        send_notifications.enqueue()
