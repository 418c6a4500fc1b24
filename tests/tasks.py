"""Running queued tasks in a test, as a worker would: `manage.py db_worker --batch`."""

import threading
from contextlib import contextmanager
from unittest import mock

from django.core.management import call_command
from django.db import connection


def run_queued_tasks(queue="*"):
    """Run every task waiting in the database queue, then return (the worker's batch mode).

    The worker closes database connections it finds inside a transaction, as a long-running
    process should; in a test the transaction is the test's own, so that check is skipped.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "db_worker",
            batch=True,
            reload=False,
            startup_delay=False,
            interval=0,
            queue_name=queue,
            verbosity=0,
        )


@contextmanager
def worker_running(queue="*", interval=0.05):
    """A worker polling the queue in a thread while the block runs (as `db_worker` would
    beside a busy site); on leaving, it stops and anything still queued is run."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=[queue],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )

    def run():
        try:
            worker.run()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        worker.running = False
        thread.join(timeout=60)
    run_queued_tasks(queue)
