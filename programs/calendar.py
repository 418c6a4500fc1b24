"""iCalendar (RFC 5545) for a weekly meeting: one event that repeats every week, kept in the
meeting's own zone so that daylight saving moves it the way the group does."""

import datetime

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from listings.ical import add_timezones, host_of, new_calendar
from listings.phone import DialIn
from listings.week import Weekday


def meeting_event(meeting, base_url, now=None):
    start = meeting.next_start(now)
    program_url = base_url + meeting.program.get_absolute_url()
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@{host_of(base_url)}")
    event.add("dtstamp", meeting.updated_at or timezone.now())
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=meeting.duration_minutes or 60))
    event.add("rrule", {"freq": "weekly", "byday": Weekday(meeting.weekday).ical})
    event.add("summary", meeting.display_name)
    event.add("url", program_url)
    place = meeting.place
    if meeting.is_in_person and place is not None:
        event.add("location", ", ".join(place.public_lines))
    elif meeting.conference_url:
        event.add("location", meeting.conference_url)
    event.add("description", description(meeting, program_url))
    # Written in the language of the page the calendar was taken from (/es/... is Spanish).
    types = [t.display_name for t in meeting.types.all()]
    if types:
        event.add("categories", types)
    return event


def description(meeting, program_url):
    lines = []
    if meeting.temporarily_closed:
        lines.append(_("Temporarily closed: please check the listing before you go."))
    types = [t.display_name for t in meeting.types.all()]
    if types:
        lines.append(_("Meeting types: %(types)s") % {"types": ", ".join(types)})
    if meeting.is_online and meeting.conference_url:
        notes = f" ({meeting.conference_url_notes})" if meeting.conference_url_notes else ""
        lines.append(_("Join online: %(url)s") % {"url": meeting.conference_url} + notes)
    if meeting.is_online and meeting.conference_phone:
        dial = DialIn.read(meeting.conference_phone, meeting.conference_phone_notes)
        notes = f" ({meeting.conference_phone_notes})" if meeting.conference_phone_notes else ""
        lines.append(_("Dial in: %(number)s") % {"number": dial.display} + notes)
        if dial.one_tap:
            lines.append(_("Join by phone in one tap: %(number)s") % {"number": dial.one_tap_text})
    if meeting.notes:
        lines.append(meeting.notes)
    lines.append(_("Details and changes: %(url)s") % {"url": program_url})
    return "\n\n".join(lines)


def meeting_calendar(meeting, base_url, now=None):
    cal = new_calendar(meeting.display_name, "Meetings")
    cal.add_component(meeting_event(meeting, base_url, now))
    add_timezones(cal, meeting.next_start(now))
    return cal.to_ical()
