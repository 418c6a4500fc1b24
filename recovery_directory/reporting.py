"""Error reports that keep the traceback and drop everything a visitor typed or asked for.

Django's SafeExceptionReporterFilter hides POST values only for views that opt in, and shows
every local variable of every frame. A referral passes through forms, services and the ORM,
so opting in view by view would leak from the first frame that forgot. Here nothing opts out:
every frame's variables, every POST and GET value, cookies, and all but a few harmless
request headers are replaced before a report is mailed or shown.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.log import AdminEmailHandler
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

SAFE_META = {
    "REQUEST_METHOD",
    "PATH_INFO",
    "SCRIPT_NAME",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "wsgi.url_scheme",
}


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_post_parameters(self, request):
        if request is None:
            return {}
        try:
            if not self.is_active(request):
                return super().get_post_parameters(request)
            return {key: self.cleansed_substitute for key in request.POST}
        except Exception:  # the body may be what failed (too many fields, a bad charset)
            return {"(form)": "not readable"}

    def get_safe_request_meta(self, request):
        if not hasattr(request, "META"):
            return {}
        if not self.is_active(request):
            return super().get_safe_request_meta(request)
        return {
            key: value if key in SAFE_META else self.cleansed_substitute
            for key, value in request.META.items()
        }


def _keys(read):
    try:
        return list(read())
    except Exception:  # reading the request is what failed: report without it
        return ["(not readable)"]


class PrivateExceptionReporter(ExceptionReporter):
    """Never raises while reporting: a report that fails would turn a 400 into a bare 500."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if request is not None:
            # The error page and mail read these; parse them once, safely, here, and leave
            # empty ones in place of any that cannot be read.
            for name, empty in (("GET", QueryDict), ("POST", QueryDict), ("COOKIES", dict)):
                try:
                    getattr(request, name)
                except Exception:
                    setattr(request, name, empty())
            try:
                request.FILES  # noqa: B018
            except Exception:
                request._files = MultiValueDict()

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None and self.filter.is_active(self.request):
            hidden = self.filter.cleansed_substitute
            data["request_GET_items"] = [(k, hidden) for k in _keys(lambda: self.request.GET)]
            data["request_FILES_items"] = [(k, hidden) for k in _keys(lambda: self.request.FILES)]
            data["request_COOKIES_items"] = [
                (k, hidden) for k in _keys(lambda: self.request.COOKIES)
            ]
            data["request_insecure_uri"] = self.request.path
        return data


class ThrottledAdminEmailHandler(AdminEmailHandler):
    """Error mails to ADMINS: one per distinct error per window, never a flood.

    An outage repeats the same error on every request (and a load balancer asks the health
    check every few seconds), so each distinct error (logger, message, exception type and
    the line that raised it) is mailed once per ADMIN_EMAIL_WINDOW_SECONDS, with at most
    ADMIN_EMAIL_MAX_PER_WINDOW mails of any kind in that window. The next mail of an error
    says how many like it were held back. The counts live in the shared cache, so several
    workers and servers hold back together; if the cache itself fails (the database cache
    during a database outage), this process counts on its own.

    Never mailed: a bad Host header (anyone can send one) and the health check (failing is
    its job; the load balancer reports it).
    """

    local = {}

    def emit(self, record):
        if record.name.startswith(QUIET_LOGGERS) or _path(record) in QUIET_PATHS:
            return
        try:
            held_back = self.admit(record)
        except Exception:  # a failure here must never hide the original error's response
            return
        if held_back is None:
            return
        if held_back:
            # A copy: the other handlers of this record must see it unchanged.
            record = logging.makeLogRecord(record.__dict__)
            record.msg = f"{record.msg} ({held_back} more like it held back)"
        super().emit(record)

    def admit(self, record):
        """None to hold the mail back; otherwise how many like it were held back before."""
        window = settings.ADMIN_EMAIL_WINDOW_SECONDS
        key = f"admin-mail:{_signature(record)}"
        try:
            return self._admit(cache, key, window)
        except Exception:
            return self._admit(_LocalCounts(self.local), key, window)

    @staticmethod
    def _admit(store, key, window):
        bucket = int(time.time() // window)
        if not store.add(f"{key}:{bucket}", 0, window * 2):
            _increment(store, f"{key}:held", window * 4)
            return None
        total = f"admin-mail:all:{bucket}"
        store.add(total, 0, window * 2)
        if _increment(store, total, window * 2) > settings.ADMIN_EMAIL_MAX_PER_WINDOW:
            return None
        held = store.get(f"{key}:held", 0)
        store.delete(f"{key}:held")
        return held


QUIET_LOGGERS = ("django.security.DisallowedHost",)
QUIET_PATHS = {"/health/"}


def _path(record):
    request = getattr(record, "request", None)
    return getattr(request, "path", None)


def _signature(record):
    parts = [record.name, str(record.msg)]
    if record.exc_info and record.exc_info[0] is not None:
        parts.append(record.exc_info[0].__qualname__)
        tb = record.exc_info[2]
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is not None:
            parts.append(f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}")
    status = getattr(record, "status_code", None)
    parts.append(str(status))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _increment(store, key, timeout):
    store.add(key, 0, timeout)
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr
        store.set(key, 1, timeout)
        return 1


class _LocalCounts:
    """The few cache calls used above, on a dict of this process (expiry not needed: keys
    name their time bucket)."""

    def __init__(self, data):
        self.data = data
        if len(data) > 10_000:
            data.clear()

    def add(self, key, value, timeout):
        if key in self.data:
            return False
        self.data[key] = value
        return True

    def get(self, key, default=None):
        return self.data.get(key, default)

    def set(self, key, value, timeout):
        self.data[key] = value

    def incr(self, key):
        self.data[key] = self.data.get(key, 0) + 1
        return self.data[key]

    def delete(self, key):
        self.data.pop(key, None)
