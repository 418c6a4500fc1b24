"""gunicorn settings for production: `gunicorn recovery_directory.wsgi` reads this file.

Every value can be changed through the environment, so one file serves a laptop, a single
server and a row of app servers behind a proxy.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers per core plus one: pages wait on the database about as long as they compute.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Load Django once in the master and fork: workers share its memory and start ready.
preload_app = True
# gunicorn's sync worker, running its loop inside one deep frame: recovery_directory/framestack.py.
worker_class = "recovery_directory.workers.SyncWorker"
# Recycle workers now and then so a slow leak can never grow without bound; rarely enough
# that a busy worker keeps what it has read (a new worker reads its kept parts again: at
# 5,000 requests, a worker under load started afresh every minute or so).
max_requests = 50000
max_requests_jitter = 5000
# Access logs carry only the path, never the query string: searches say where people are
# and what they look for. Off unless asked for.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")


def post_fork(server, worker):
    """Let long streamed responses (the national meetings feed) prove the worker alive."""
    from listings import streaming

    streaming.set_heartbeat(worker.notify)


def when_ready(server):
    """Build the place index and serve a few pages in the master, before the workers fork,
    so that every worker's first request is as fast as its hundredth and the memory behind
    it is shared."""
    import gc

    from listings import geo
    from recovery_directory.warmup import warm_up

    geo.preload()
    warm_up()
    # Hide everything loaded so far from the garbage collector: its passes write to every
    # object they visit, and each write copies that object's memory page into the worker
    # that made it, so the index would soon no longer be shared.
    gc.collect()
    gc.freeze()
