from django.conf import settings


def site(request):
    """What the shared page chrome needs on every page: name, phones, quick exit."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "ORGANISATION_PHONE": settings.ORGANISATION_PHONE,
        "CRISIS_LINES": settings.CRISIS_LINES,
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "REFERRAL_RESPONSE_TIME": settings.REFERRAL_RESPONSE_TIME,
    }
