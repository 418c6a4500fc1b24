from urllib.parse import urlsplit

from django.conf import settings

NAV_SECTIONS = {
    "home": "home",
    "programs:list": "programs",
    "programs:kind": "programs",
    "programs:center_list": "centres",
    "activities:list": "activities",
    "about": "about",
    "referral": "referral",
}


def site(request):
    """What the shared page chrome needs on every page: name, phones, quick exit."""
    # Error pages have no resolver match; they simply mark no navigation link as current.
    match = getattr(request, "resolver_match", None)
    return {
        "nav_section": NAV_SECTIONS.get(match.view_name if match else "", ""),
        "SITE_NAME": settings.SITE_NAME,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "ORGANISATION_PHONE": settings.ORGANISATION_PHONE,
        "CRISIS_LINES": settings.CRISIS_LINES,
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "MAP_TILE_ATTRIBUTION_URL": settings.MAP_TILE_ATTRIBUTION_URL,
        "MAP_TILE_HOST": urlsplit(settings.MAP_TILE_URL).netloc,
        "REFERRAL_RESPONSE_TIME": settings.REFERRAL_RESPONSE_TIME,
    }
