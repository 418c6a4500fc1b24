"""iCalendar (RFC 5545) for activities: one event to add, or a feed to subscribe to."""

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from listings.ical import host_of, new_calendar


def activity_event(activity, base_url):
    event = icalendar.Event()
    event.add("uid", f"activity-{activity.pk}@{host_of(base_url)}")
    event.add("dtstamp", activity.updated_at or timezone.now())
    event.add("dtstart", activity.starts_at)
    event.add("dtend", activity.ends_at)
    event.add("summary", activity.name)
    url = base_url + activity.get_absolute_url()
    event.add("url", url)
    description = activity.description
    if activity.online_url:
        join = _("Join online: %(url)s") % {"url": activity.online_url}
        description = f"{description}\n\n{join}".strip()
    event.add("description", f"{description}\n\n{url}".strip())
    if activity.location_id:
        event.add("location", ", ".join(activity.location.public_lines))
    elif activity.online_url:
        event.add("location", activity.online_url)
    event.add("categories", [activity.get_category_display()])
    return event


def build_calendar(activities, base_url, name=None):
    name = name or _("%(site)s: activities") % {"site": settings.SITE_NAME}
    cal = new_calendar(name, "Activities")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for activity in activities:
        cal.add_component(activity_event(activity, base_url))
    return cal.to_ical()
