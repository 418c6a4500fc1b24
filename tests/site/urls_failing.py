"""The site's URLs plus one view that always fails, to exercise the 500 page."""

from django.urls import path

from recovery_directory.urls import handler404, handler500, urlpatterns  # noqa: F401


def failing_view(request):
    raise RuntimeError("forced failure for the error page test")


urlpatterns = [path("fail/", failing_view), *urlpatterns]
