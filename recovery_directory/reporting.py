"""Error reports that keep the traceback and drop everything a visitor typed or asked for.

Django's SafeExceptionReporterFilter hides POST values only for views that opt in, and shows
every local variable of every frame. A referral passes through forms, services and the ORM,
so opting in view by view would leak from the first frame that forgot. Here nothing opts out:
every frame's variables, every POST and GET value, cookies, and all but a few harmless
request headers are replaced before a report is mailed or shown.
"""

from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
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
