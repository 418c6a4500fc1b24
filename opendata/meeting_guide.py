"""The Meeting Guide JSON feed: what /meetings.json serves and what the importer reads.

A feed is a flat JSON array with one object per weekly meeting. Our programs play the
feed's "group"; each of their published weekly meetings is one item. Confidential places
(sober homes and the like) are given only as their town, with the ZIP code's centre as the
position, as everywhere else on the site.
"""

import datetime
import re
from collections import Counter

from django.conf import settings

from listings.week import Weekday
from programs.models import Attendance, Meeting

URL_SAFE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
COUNTRY_NAMES = {"US": "USA", "CA": "Canada"}


def feed_meetings():
    """Every meeting the public may see, with what the feed needs, in two queries."""
    return (
        Meeting.objects.published()
        .select_related("program", "location", "program__location")
        .prefetch_related("types")
        .order_by("program__slug", "weekday", "start_time", "pk")
    )


def feed_items(meetings=None, base_url=None):
    """The feed as a list of dicts, ready for json.dumps."""
    meetings = feed_meetings() if meetings is None else meetings
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    slugs = Counter()
    urls = {}  # reversing a URL costs more than building the rest of an item
    items = []
    for meeting in meetings:
        slug = meeting_slug(meeting)
        slugs[slug] += 1
        if slugs[slug] > 1:  # same program, day and time twice: rare, but slugs must be unique
            slug = f"{slug}-{slugs[slug]}"
        if meeting.program_id not in urls:
            urls[meeting.program_id] = base_url + meeting.program.get_absolute_url()
        items.append(feed_item(meeting, slug, urls[meeting.program_id]))
    return items


def meeting_slug(meeting):
    """Stable and readable: the program's slug, the day and the start time.

    An imported meeting keeps its source's slug, so apps that bookmarked it there still
    find it here.
    """
    if meeting.source and URL_SAFE.match(meeting.source_id):
        return meeting.source_id
    return f"{meeting.program.slug}-{Weekday(meeting.weekday).short}-{meeting.start_time:%H%M}"


def feed_item(meeting, slug, url):
    program = meeting.program
    codes = sorted(t.code for t in meeting.types.all())
    if meeting.temporarily_closed and "TC" not in codes:
        codes.append("TC")
    item = {
        "name": meeting.display_name,
        "slug": slug,
        "day": meeting.weekday,
        "time": f"{meeting.start_time:%H:%M}",
        "timezone": meeting.timezone,
        "types": codes,
        "group": program.name,
        "url": url,
        "updated": _updated(meeting),
        "attendance_option": attendance_option(meeting),
    }
    if meeting.end_time:
        item["end_time"] = f"{meeting.end_time:%H:%M}"
    optional = {
        "notes": meeting.notes,
        "conference_url": meeting.conference_url,
        "conference_url_notes": meeting.conference_url_notes,
        # The spec allows only what a phone dials: digits, +, and , * # for pauses and codes.
        "conference_phone": re.sub(r"[^0-9+,*#]", "", meeting.conference_phone),
        "conference_phone_notes": meeting.conference_phone_notes,
        "group_notes": program.description,
        "website": program.website,
        "email": program.email,
        "phone": program.phone,
    }
    item.update({key: value for key, value in optional.items() if value})
    item.update(place_fields(meeting))
    return item


def attendance_option(meeting):
    if meeting.is_online:
        return "online" if meeting.attendance == Attendance.ONLINE else "hybrid"
    return "inactive" if meeting.temporarily_closed else "in_person"


def place_fields(meeting):
    """Address, position and venue, honest about how exact they are."""
    place = meeting.place
    if place is None:
        return home_area()
    # Online-only meetings give their town only: the app uses it to find meetings "nearby",
    # and a street address would suggest a room to walk into.
    approximate = place.is_confidential or meeting.attendance == Attendance.ONLINE
    fields = {
        "city": place.city,
        "state": place.state,
        "country": COUNTRY_NAMES.get(place.country, place.country),
        "region": place.city,
        "approximate": "yes" if approximate else "no",
    }
    town = f"{place.city}, {place.state}"
    if approximate:
        fields["formatted_address"] = f"{town}, {fields['country']}"
        # A confidential place is shown at its ZIP code's centre, as on our map; an online
        # meeting's town needs no point at all.
        lat = place.search_latitude if place.is_confidential else None
        lng = place.search_longitude if place.is_confidential else None
    else:
        street = ", ".join(x for x in (place.street_address, place.address_line_2) if x)
        fields.update({"address": street, "postal_code": place.postal_code})
        town_zip = f"{town} {place.postal_code}".strip()
        fields["formatted_address"] = ", ".join(
            x for x in (street, town_zip, fields["country"]) if x
        )
        if place.name:
            fields["location"] = place.name
        if place.directions:
            fields["location_notes"] = place.directions
        lat, lng = place.latitude, place.longitude
    if lat is not None and lng is not None:
        fields["latitude"] = round(lat, 5)
        fields["longitude"] = round(lng, 5)
    return {key: value for key, value in fields.items() if value != ""}


def _updated(meeting):
    changed = max(
        x for x in (meeting.updated_at, meeting.program.updated_at) if x is not None
    ).astimezone(datetime.UTC)
    return changed.strftime("%Y-%m-%d %H:%M:%S")


def home_area():
    """Where an online meeting with no place of its own is listed: the directory's own area.

    The spec wants every online meeting placed roughly, so apps can offer it "nearby" and
    tell its time zone; the area this directory serves is the honest answer.
    """
    city, _, state = settings.DEFAULT_AREA.rpartition(",")
    city, state = city.strip(), state.strip().upper()
    if not city or len(state) != 2:
        return {}
    return {
        "city": city,
        "state": state,
        "country": "USA",
        "region": city,
        "approximate": "yes",
        "formatted_address": f"{city}, {state}, USA",
    }
