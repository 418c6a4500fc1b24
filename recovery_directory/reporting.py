"""Error reports that keep the traceback and drop everything a visitor typed or asked for.

Django's SafeExceptionReporterFilter hides POST values only for views that opt in, and shows
every local variable of every frame. A referral passes through forms, services and the ORM,
so opting in view by view would leak from the first frame that forgot. Here nothing opts out:
every frame's variables, every POST and GET value, cookies, and all but a few harmless
request headers are replaced before a report is mailed or shown.
"""

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
        if not self.is_active(request):
            return super().get_post_parameters(request)
        cleansed = request.POST.copy()
        for key in cleansed:
            cleansed[key] = self.cleansed_substitute
        return cleansed

    def get_safe_request_meta(self, request):
        if not hasattr(request, "META"):
            return {}
        if not self.is_active(request):
            return super().get_safe_request_meta(request)
        return {
            key: value if key in SAFE_META else self.cleansed_substitute
            for key, value in request.META.items()
        }


class PrivateExceptionReporter(ExceptionReporter):
    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None and self.filter.is_active(self.request):
            hidden = self.filter.cleansed_substitute
            data["request_GET_items"] = [(k, hidden) for k in self.request.GET]
            data["request_FILES_items"] = [(k, hidden) for k in self.request.FILES]
            data["request_COOKIES_items"] = [(k, hidden) for k in self.request.COOKIES]
            data["request_insecure_uri"] = self.request.path
        return data
