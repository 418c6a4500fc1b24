"""Requests served inside the gunicorn master before it forks its workers.

A worker's first request used to take 0.5-0.9 s whatever the page: the URL patterns (and
every view module behind them) were imported, the templates compiled and the translation
catalogues read on first use. Done once in the master, all of that is already in memory in
every worker when it starts, shared between them until written to.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.test import Client
from django.urls import reverse

logger = logging.getLogger(__name__)

PAGES = (
    ("health", ()),
    ("home", ()),
    ("programs:list", ()),
    ("programs:meetings", ()),
    ("programs:right_now", ()),
    ("programs:center_list", ()),
    ("activities:list", ()),
    ("referral", ()),
)


def _host():
    for host in settings.ALLOWED_HOSTS:
        if host != "*":
            return host.lstrip(".")
    return "localhost"


def warm_up() -> dict:
    """Request each page once in English and Spanish; returns {path: status}.

    Never stops the server from starting: a page that fails is logged and skipped. Database
    and cache connections opened here are closed again, so no worker inherits a socket.
    """
    client = Client(HTTP_HOST=_host())
    statuses = {}
    try:
        for name, args in PAGES:
            path = reverse(name, args=args)
            for prefix in ("", "/es"):
                url = prefix + path if name != "health" else path
                if url in statuses:
                    continue
                try:
                    statuses[url] = client.get(url, secure=True).status_code
                except Exception:  # noqa: BLE001 - a warm-up must never stop the server
                    logger.warning("Warm-up request for %s failed", url, exc_info=True)
                    statuses[url] = None
    finally:
        connections.close_all()
        caches.close_all()
    return statuses
