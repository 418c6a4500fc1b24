import hashlib
import logging
import os
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from listings import cache as page_cache
from listings.states import STATE_NAMES

from .meeting_guide import feed_chunks

# A feed up to this size is kept whole in the cache once sent; a bigger one (a national
# directory's) is streamed from the database each time, as most cache backends refuse it.
FEED_CACHE_MAX_BYTES = 20 * 1024 * 1024

log = logging.getLogger(__name__)


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
    written out as it is read from the database, so even a national one starts at once.
    With a cache every worker shares, the first request after a change also writes it to a
    file named for the listings' version, and the next ones are sent that file: the feed
    does not depend on the clock, so it stays right until the version moves. Otherwise,
    with the page cache on, a feed of ordinary size is kept for PAGE_CACHE_SECONDS.
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
    site = hashlib.md5(base_url.encode(), usedforsecurity=False).hexdigest()[:12]
    version = page_cache.shared_version()
    if version is not None:
        path = settings.FEED_ROOT / f"meetings-{state or 'all'}-{site}-v{version}.json"
        try:
            kept = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
        except OSError:  # not written yet (or FEED_ROOT unusable: _written says so)
            chunks = _written(feed_chunks(state, base_url), path)
            return _feed_headers(StreamingHttpResponse(chunks, content_type=content_type))
        return _feed_headers(FileResponse(kept, content_type=content_type))
    seconds = settings.PAGE_CACHE_SECONDS
    if not seconds:
        chunks = feed_chunks(state, base_url)
        return _feed_headers(StreamingHttpResponse(chunks, content_type=content_type))
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


def _written(chunks, path):
    """Pass the chunks on, writing them to `path` as well; once the last is sent, the file
    takes the place of the feeds written for earlier versions.

    Each writer has its own temporary file and the rename is atomic, so a reader only ever
    opens a whole feed. If the file cannot be written, the feed is still sent.
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        out = open(temporary, "wb")  # noqa: SIM115 (closed below, also when the client leaves)
    except OSError as exc:
        log.warning("Cannot write the meetings feed to %s: %s", path.parent, exc)
        yield from chunks
        return
    try:
        with out:
            for chunk in chunks:
                out.write(chunk)
                yield chunk
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)  # the client left, or the database failed
    # Only this version's file is wanted now; no reader can be on its way to an older one
    # for long, and one that opened it already keeps reading it.
    for older in path.parent.glob(path.name.rpartition("-v")[0] + "-v*.json"):
        if older != path:
            older.unlink(missing_ok=True)


class OpenDataView(TemplateView):
    """Where app and site operators find the feed and the API."""

    template_name = "pages/open_data.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "feed_url": self.request.build_absolute_uri(reverse("meeting_guide_feed")),
            "hsds_url": self.request.build_absolute_uri(reverse("hsds:root")),
        }
