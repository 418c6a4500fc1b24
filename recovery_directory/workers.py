"""The gunicorn worker production runs (gunicorn.conf.py names it)."""

from gunicorn.workers.sync import SyncWorker as GunicornSyncWorker

from .framestack import run_deep


class SyncWorker(GunicornSyncWorker):
    """gunicorn's sync worker, with its request loop inside one deep frame (framestack.py),
    so that no request maps or unmaps frame memory."""

    def run(self):
        return run_deep(super().run)
