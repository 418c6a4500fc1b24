"""List the places of published listings that distance searches cannot find yet.

A listing whose Location has no latitude/longitude never shows up in "near me" results, so
curators need to know about it. With --fill, every such place whose ZIP code (or town) is
known gets that centre as an approximate position first, and only the rest are reported.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from activities.models import Activity
from listings.geo import fill_coordinates
from listings.models import Location
from programs.models import Meeting, Program, TreatmentCenter

FILLED_FIELDS = ["latitude", "longitude", "coordinates_approximate"]


def admin_change_url(obj):
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


def places_without_coordinates():
    """{location: [(kind, listing), ...]} for every published listing's unplaced Location."""
    found = {}

    def note(location, kind, listing):
        found.setdefault(location, []).append((kind, listing))

    missing = {"location__isnull": False, "location__latitude__isnull": True}
    for program in Program.objects.published().filter(**missing).select_related("location"):
        note(program.location, "program", program)
    meetings = Meeting.objects.published().filter(**missing).select_related("location", "program")
    for meeting in meetings:
        note(meeting.location, "meeting", meeting)
    links = TreatmentCenter.locations.through.objects.filter(
        treatmentcenter__in=TreatmentCenter.objects.published(), location__latitude__isnull=True
    ).select_related("treatmentcenter", "location")
    for link in links:
        note(link.location, "treatment centre", link.treatmentcenter)
    for activity in Activity.objects.published().filter(**missing).select_related("location"):
        note(activity.location, "activity", activity)
    # Locations compare by primary key, so rows reached through several listings merge.
    return dict(sorted(found.items(), key=lambda item: (item[0].state, item[0].city, item[0].pk)))


class Command(BaseCommand):
    help = (
        "List published listings whose place has no coordinates, so distance searches "
        "miss them. With --fill, first give those places their ZIP code's centre."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fill",
            action="store_true",
            help="Fill in approximate coordinates from the ZIP code or town where known.",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Put this in front of admin links, e.g. https://example.org, to make them "
            "clickable from a terminal or an e-mail.",
        )

    def handle(self, *args, fill=False, base_url="", verbosity=1, **options):
        base_url = base_url.rstrip("/")
        places = places_without_coordinates()
        filled = []
        if fill:
            filled = [location for location in places if fill_coordinates(location)]
            with transaction.atomic():
                Location.objects.bulk_update(filled, FILLED_FIELDS, batch_size=500)
            if verbosity >= 2:
                for location in filled:
                    self.stdout.write(
                        f"Filled {location} from "
                        f"{location.postal_code or location.city}: "
                        f"{location.latitude}, {location.longitude}"
                    )
        remaining = {loc: used for loc, used in places.items() if not loc.has_coordinates}

        if verbosity >= 1:
            for location, used_by in remaining.items():
                self.stdout.write(self._describe(location, base_url))
                for kind, listing in used_by:
                    self.stdout.write(
                        f"    {kind}: {listing}  {base_url}{admin_change_url(listing)}"
                    )

        listings = sum(len(used) for used in remaining.values())
        summary = (
            f"{len(remaining)} place(s) used by {listings} published listing(s) "
            "still lack coordinates."
        )
        if fill:
            summary = f"Filled approximate coordinates for {len(filled)} place(s). " + summary
        style = self.style.WARNING if remaining else self.style.SUCCESS
        self.stdout.write(style(summary))

    @staticmethod
    def _describe(location, base_url):
        where = f"{location.city}, {location.state} {location.postal_code}".strip()
        label = location.name or location.street_address or "(no name)"
        return f"{label} – {where}  {base_url}{admin_change_url(location)}"
