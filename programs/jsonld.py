"""schema.org descriptions of listings for search engines, safe for confidential places."""

from listings.week import Weekday


def postal_address(location):
    if location is None:
        return None
    address = {
        "@type": "PostalAddress",
        "addressLocality": location.city,
        "addressRegion": location.state,
        "addressCountry": location.country,
    }
    if not location.is_confidential:
        address["streetAddress"] = location.street_address
        address["postalCode"] = location.postal_code
    return address


def program_jsonld(request, program, meetings):
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": program.name,
        "url": request.build_absolute_uri(program.get_absolute_url()),
        "description": program.description,
    }
    if program.phone:
        data["telephone"] = program.phone
    if program.location:
        data["address"] = postal_address(program.location)
    events = []
    for meeting in meetings:
        event = {
            "@type": "Event",
            "name": meeting.display_name,
            "eventAttendanceMode": {
                "in_person": "https://schema.org/OfflineEventAttendanceMode",
                "online": "https://schema.org/OnlineEventAttendanceMode",
                "hybrid": "https://schema.org/MixedEventAttendanceMode",
            }[meeting.attendance],
            "eventSchedule": {
                "@type": "Schedule",
                "byDay": Weekday(meeting.weekday).schema_org,
                "repeatFrequency": "P1W",
                "startTime": meeting.start_time.strftime("%H:%M"),
                "scheduleTimezone": meeting.timezone,
            },
            "isAccessibleForFree": program.cost in ("free", "donation"),
        }
        if meeting.end_time:
            event["eventSchedule"]["endTime"] = meeting.end_time.strftime("%H:%M")
        place = meeting.place
        if meeting.is_in_person and place is not None:
            event["location"] = {"@type": "Place", "address": postal_address(place)}
        events.append(event)
    if events:
        data["event"] = events
    return data


def center_jsonld(request, center):
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": center.name,
        "url": request.build_absolute_uri(center.get_absolute_url()),
        "description": center.description,
        "medicalSpecialty": "https://schema.org/Psychiatric",
    }
    if center.intake_phone:
        data["telephone"] = center.intake_phone
    addresses = [postal_address(loc) for loc in center.locations.all()]
    if addresses:
        data["address"] = addresses
    return data
