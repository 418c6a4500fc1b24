import json

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from listings.cache import public_page

from .meeting_guide import feed_items


@require_safe
def _meeting_guide_feed(request):
    """Every published weekly meeting as a Meeting Guide feed, for apps and other sites."""
    body = json.dumps(feed_items(base_url=request.build_absolute_uri("/")), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    # The feed is public data that other sites' meeting finders read from the browser.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Content-Disposition"] = 'inline; filename="meetings.json"'
    return response


meeting_guide_feed = public_page(_meeting_guide_feed, tiles=False)


class OpenDataView(TemplateView):
    """Where app and site operators find the feed and the API."""

    template_name = "pages/open_data.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "feed_url": self.request.build_absolute_uri(reverse("meeting_guide_feed")),
            "hsds_url": self.request.build_absolute_uri(reverse("hsds:root")),
        }
