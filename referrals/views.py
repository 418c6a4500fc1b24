"""The public side of referrals: the form, the thank-you page, and the pages for when it fails.

Every response here is `no-store`, and error reports for these views hide what was posted.
"""

import logging

from django.conf import settings
from django.core import signing
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from listings import ratelimit
from listings.validators import validates_own_input

from .forms import ReferralForm, find_listing
from .models import format_reference
from .services import referral_create

logger = logging.getLogger(__name__)

SENT_SALT = "referrals.sent"


def sent_token(reference):
    """The thank-you page's address part: the reference, signed so nobody can make one up."""
    return signing.dumps(reference, salt=SENT_SALT)


def _preselected(request):
    if request.method == "POST":
        return find_listing(request.POST.get("listing", ""))
    for kind in ("program", "center"):
        slug = request.GET.get(kind, "")
        if slug:
            return find_listing(f"{kind}:{slug}")
    return None


@validates_own_input
@never_cache
@sensitive_post_parameters()
@sensitive_variables()
@require_http_methods(["GET", "POST"])
def referral_form(request):
    if request.method == "POST" and (
        wait := ratelimit.hit(
            request,
            scope="referral",
            limit=settings.REFERRAL_RATE_LIMIT,
            window=settings.REFERRAL_RATE_WINDOW_SECONDS,
        )
    ):
        logger.warning("Referral form rate limit reached")
        response = render(request, "referrals/rate_limited.html", status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        return _referral_form(request)
    except DatabaseError as exc:
        # The service's transaction has rolled back: nothing is half-saved. Never pretend
        # the request was received; give the person the phone numbers instead.
        logger.error("Referral form unavailable: database error (%s)", type(exc).__name__)
        response = render(request, "referrals/unavailable.html", status=503)
        response["Retry-After"] = "300"
        return response


def _referral_form(request):
    selected = _preselected(request)
    form = ReferralForm(request.POST if request.method == "POST" else None, selected=selected)
    if request.method == "POST" and form.is_valid():
        referral = referral_create(**form.referral_data(), spam_reasons=form.spam_reasons())
        return redirect("referral_sent", token=sent_token(referral.reference))
    return render(
        request,
        "referrals/form.html",
        {"form": form, "selected": selected},
        status=400 if form.errors else 200,
    )


@never_cache
@require_GET
def referral_sent(request, token):
    try:
        reference = signing.loads(token, salt=SENT_SALT)
    except signing.BadSignature as exc:
        raise Http404("No such confirmation.") from exc
    return render(
        request,
        "referrals/sent.html",
        {"reference": format_reference(str(reference))},
    )
