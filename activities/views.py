from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify

from listings.ical import calendar_response
from listings.maps import detail_map
from listings.views import FilteredListView

from .calendar import build_calendar
from .filters import ActivityFilter, PastActivityFilter
from .models import Activity

FEED_LIMIT = 500


class ActivityListView(FilteredListView):
    filterset_class = ActivityFilter
    template_name = "activities/activity_list.html"

    extra_context = {"archive": False}

    def get_queryset(self):
        return Activity.objects.published().upcoming().for_listing()


class PastActivityListView(ActivityListView):
    filterset_class = PastActivityFilter
    extra_context = {"archive": True}

    def get_queryset(self):
        return Activity.objects.published().past().for_listing()


def activity_detail(request, slug):
    activity = get_object_or_404(Activity.objects.published().for_listing(), slug=slug)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "reported": request.GET.get("reported") == "1",
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
