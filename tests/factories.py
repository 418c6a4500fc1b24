"""Small helpers that make valid rows with sensible defaults (override any field)."""

import datetime
import itertools

from django.utils import timezone

from activities.models import Activity, Category
from listings.models import Location, PublicationStatus
from programs.models import Attendance, Meeting, Program, ProgramKind, TreatmentCenter

_seq = itertools.count(1)


def make_location(**kwargs):
    kwargs.setdefault("name", f"Community Hall {next(_seq)}")
    kwargs.setdefault("street_address", "100 Main St")
    kwargs.setdefault("city", "Columbus")
    kwargs.setdefault("state", "OH")
    kwargs.setdefault("postal_code", "43215")
    kwargs.setdefault("latitude", 39.9612)
    kwargs.setdefault("longitude", -82.9988)
    kwargs.setdefault("timezone", "America/New_York")
    return Location.objects.create(**kwargs)


def make_program(**kwargs):
    kwargs.setdefault("name", f"Program {next(_seq)}")
    kwargs.setdefault("kind", ProgramKind.TWELVE_STEP)
    kwargs.setdefault("status", PublicationStatus.PUBLISHED)
    if "location" not in kwargs:
        kwargs["location"] = make_location()
    return Program.objects.create(**kwargs)


def make_meeting(program=None, types=(), **kwargs):
    program = program or make_program()
    kwargs.setdefault("weekday", 1)
    kwargs.setdefault("start_time", datetime.time(19, 0))
    kwargs.setdefault("end_time", datetime.time(20, 0))
    kwargs.setdefault("attendance", Attendance.IN_PERSON)
    place = kwargs.get("location") or program.location
    if place is not None:
        kwargs.setdefault("timezone", place.timezone)
    meeting = Meeting.objects.create(program=program, **kwargs)
    if types:
        from programs.models import MeetingType
        from programs.search import refresh_search_text

        meeting.types.set(MeetingType.objects.filter(code__in=types))
        # As the admin and the importers do after changing a meeting's types.
        refresh_search_text(Program.objects.filter(pk=program.pk))
    return meeting


def make_center(locations=1, **kwargs):
    kwargs.setdefault("name", f"Treatment Centre {next(_seq)}")
    kwargs.setdefault("status", PublicationStatus.PUBLISHED)
    kwargs.setdefault("intake_phone", "614-555-0111")
    center = TreatmentCenter.objects.create(**kwargs)
    center.locations.set([make_location() for _ in range(locations)])
    return center


def make_activity(**kwargs):
    start = kwargs.pop("starts_at", timezone.now() + datetime.timedelta(days=3))
    kwargs.setdefault("name", f"Activity {next(_seq)}")
    kwargs.setdefault("category", Category.ART)
    kwargs.setdefault("status", PublicationStatus.PUBLISHED)
    kwargs.setdefault("ends_at", start + datetime.timedelta(hours=2))
    if "location" not in kwargs and not kwargs.get("online_url"):
        kwargs["location"] = make_location()
    return Activity.objects.create(starts_at=start, **kwargs)


# --- Referrals --------------------------------------------------------------------------------


def referral_form_data(**overrides):
    """A valid POST for the referral form, shown a minute ago (so the time trap stays quiet)."""
    import time

    from referrals.forms import sign_started

    data = {
        "requester": "self",
        "first_name": "Sam",
        "phone": "614 555 0123",
        "email": "",
        "contact_method": "phone",
        "voicemail_ok": "no",
        "text_ok": "yes",
        "best_time": "evening",
        "listing": "",
        "message": "",
        "consent": "on",
        "website": "",
        "started": sign_started(time.time() - 60),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def make_referral(**kwargs):
    """A referral stored the way the form stores it (through the service)."""
    from referrals.services import referral_create

    kwargs.setdefault("requester", "self")
    kwargs.setdefault("first_name", f"Person {next(_seq)}")
    kwargs.setdefault("phone", "+16145550123")
    kwargs.setdefault("contact_method", "phone")
    return referral_create(**kwargs)


def make_staff(username, *groups, **kwargs):
    from django.contrib.auth.models import Group, User

    kwargs.setdefault("email", f"{username}@example.org")
    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True, **kwargs)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user
