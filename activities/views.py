from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify

from listings.fragments import Kept
from listings.ical import calendar_response
from listings.maps import detail_map
from listings.views import FilteredListView, detail_key

from .calendar import build_calendar
from .filters import ActivityFilter, PastActivityFilter
from .models import Activity

FEED_LIMIT = 500
# Each choice of filters' activities in order, for the minute, and the activities read for
# the lists' pages (ActivityListView).
_activity_orders = Kept(16)
_activity_rows = Kept(1000)


class ActivityListView(FilteredListView):
    filterset_class = ActivityFilter
    template_name = "activities/activity_list.html"

    extra_context = {"archive": False}
    # Activities leave the list as they end: read as of the minute, an activity that ended
    # seconds ago stays to the end of it, and the count and rows are kept for that minute.
    keep_counts = True
    on_the_clock = True
    rows_store = _activity_rows

    def get_queryset(self):
        return Activity.objects.published().upcoming(self.minute()).for_listing()

    def paginate_queryset(self, queryset, page_size):
        kept = self.kept_order(queryset, store=_activity_orders)
        return super().paginate_queryset(kept, page_size)


class PastActivityListView(ActivityListView):
    filterset_class = PastActivityFilter
    extra_context = {"archive": True}

    def get_queryset(self):
        return Activity.objects.published().past(self.minute()).for_listing()


# Activities' pages as read, while the listings' version holds (activity_detail).
_activity_details = Kept(500)


def activity_detail(request, slug):
    activity = _activity_details.get_or_make_while_version(
        ("activity", slug),
        lambda: get_object_or_404(Activity.objects.published().for_listing(), slug=slug),
    )
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "reported": request.GET.get("reported") == "1",
            "detail_key": detail_key("activity", slug),
            **detail_map(activity, [activity.location]),
        },
    )


def activity_ics(request, slug):
    activity = get_object_or_404(Activity.objects.published().for_listing(), slug=slug)
    return calendar_response(
        build_calendar([activity], settings.SITE_URL, name=activity.name),
        f"{slugify(activity.name)[:60] or 'activity'}.ics",
    )


def activity_feed(request):
    """Upcoming activities as a subscribable calendar, narrowed by the list's own filters."""
    filterset = ActivityFilter(
        request.GET, queryset=Activity.objects.published().upcoming().for_listing()
    )
    return calendar_response(
        build_calendar(filterset.qs[:FEED_LIMIT], settings.SITE_URL), "activities.ics"
    )
