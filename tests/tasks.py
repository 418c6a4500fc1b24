"""Running queued tasks in a test, as a worker would: `manage.py db_worker --batch`."""

from unittest import mock

from django.core.management import call_command


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
