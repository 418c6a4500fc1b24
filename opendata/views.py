import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from listings import cache as page_cache
from listings.states import STATE_NAMES

from .meeting_guide import feed_chunks

# A feed up to this size is kept whole in the cache once sent; a bigger one (a national
# directory's) is streamed from the database each time, as most cache backends refuse it.
FEED_CACHE_MAX_BYTES = 20 * 1024 * 1024


def _feed_headers(response):
    # The feed is public data that other sites' meeting finders read from the browser.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Content-Disposition"] = 'inline; filename="meetings.json"'
    return response


@require_safe
def meeting_guide_feed(request):
    """Every published weekly meeting as a Meeting Guide feed, for apps and other sites.

    `?state=OH` gives one state's meetings, for an app that serves one region. The feed is
    written out as it is read from the database, so even a national one starts at once;
    with the page cache on, a feed of ordinary size is kept until the listings change.
    """
    state = request.GET.get("state", "").strip().upper()
    if state and state not in STATE_NAMES:
        response = JsonResponse(
            {
                "status": 400,
                "message": f"“state” must be a two-letter US state code such as OH, "
                f"not “{request.GET['state'][:20]}”.",
            },
            status=400,
        )
        return _feed_headers(response)
    content_type = "application/json; charset=utf-8"
    if request.method == "HEAD":
        return _feed_headers(HttpResponse(content_type=content_type))
    base_url = request.build_absolute_uri("/")
    seconds = settings.PAGE_CACHE_SECONDS
    if not seconds:
        chunks = feed_chunks(state, base_url)
        return _feed_headers(StreamingHttpResponse(chunks, content_type=content_type))
    site = hashlib.md5(base_url.encode(), usedforsecurity=False).hexdigest()
    key = f"meetings.json:{page_cache.version()}:{state}:{site}"
    body = cache.get(key)
    if body is not None:
        return _feed_headers(HttpResponse(body, content_type=content_type))
    chunks = _kept(feed_chunks(state, base_url), key, seconds)
    return _feed_headers(StreamingHttpResponse(chunks, content_type=content_type))


def _kept(chunks, key, seconds):
    """Pass the chunks on, and store them whole once all are sent, if not too many."""
    kept, size = [], 0
    for chunk in chunks:
        yield chunk
        size += len(chunk)
        if kept is not None:
            kept.append(chunk)
            if size > FEED_CACHE_MAX_BYTES:
                kept = None
    if kept is not None:
        cache.set(key, b"".join(kept), seconds)


class OpenDataView(TemplateView):
    """Where app and site operators find the feed and the API."""

    template_name = "pages/open_data.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "feed_url": self.request.build_absolute_uri(reverse("meeting_guide_feed")),
            "hsds_url": self.request.build_absolute_uri(reverse("hsds:root")),
        }
