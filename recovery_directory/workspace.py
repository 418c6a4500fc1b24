"""The curators' start page: what needs doing, each with a link to the admin list that holds it.

`work_for(user)` builds the page's sections and the weekly digest reuses them, so both say
the same thing. Every section costs a fixed number of queries whatever the data, and the
page's total is pinned in the tests.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from listings.models import PublicationStatus
from opendata.models import FeedSource
from programs.models import ChangeRequest, ChangeRequestStatus, Meeting, Program, TreatmentCenter
from referrals.admin import is_coordinator
from referrals.models import Referral, ReferralStatus

SHORT_LIST = 5


@dataclass
class Item:
    label: str
    url: str
    detail: str = ""


@dataclass
class Section:
    key: str
    title: str
    count: int
    explanation: str
    links: list = field(default_factory=list)  # (label, url) of the filtered admin lists
    items: list = field(default_factory=list)  # up to SHORT_LIST examples, worst first


def changelist(model, **filters):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def can_view(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def stale_q():
    cutoff = timezone.localdate() - datetime.timedelta(days=settings.STALE_AFTER_DAYS)
    return Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff)


def verified_text(listing):
    if listing.last_verified_on is None:
        return "never verified"
    return f"last verified {listing.last_verified_on:%b %-d, %Y}"


def work_for(user):
    """The sections this user may see, in the order a curator works through them."""
    sections = []
    if can_view(user, ChangeRequest):
        sections.append(reports_section())
    listing_models = [m for m in (Program, TreatmentCenter, Activity) if can_view(user, m)]
    if listing_models:
        sections.append(stale_section(listing_models))
    imported = [m for m in (Program, TreatmentCenter) if can_view(user, m)]
    if imported:
        sections.append(drafts_section(imported))
    if can_view(user, Meeting):
        sections.append(withdrawn_section())
    if can_view(user, FeedSource):
        sections.append(feeds_section())
    # Referrals hold personal data: only their coordinators see even that some wait.
    if is_coordinator(user) and can_view(user, Referral):
        sections.append(referrals_section())
    return sections


def reports_section():
    open_reports = ChangeRequest.objects.filter(status=ChangeRequestStatus.OPEN)
    oldest = list(
        open_reports.select_related("content_type", "meeting__program").order_by("created_at")[
            :SHORT_LIST
        ]
    )
    return Section(
        "reports",
        "Open problem reports",
        open_reports.count(),
        "Visitors told us these listings are wrong. Oldest first.",
        links=[("All open reports, oldest first", report_list_url())],
        items=[
            Item(
                report.summary_line(),
                change_url(report),
                f"received {timezone.localtime(report.created_at):%b %-d, %Y}",
            )
            for report in oldest
        ],
    )


def report_list_url():
    model_admin = admin.site.get_model_admin(ChangeRequest)
    filters = {"status__exact": ChangeRequestStatus.OPEN}
    if model_admin and "created_at" in model_admin.list_display:
        filters["o"] = str(list(model_admin.list_display).index("created_at") + 1)
    return changelist(ChangeRequest, **filters)


def stale_section(models):
    total, links, items = 0, [], []
    for model in models:
        stale = model.objects.filter(status=PublicationStatus.PUBLISHED).filter(stale_q())
        filters = {"status__exact": PublicationStatus.PUBLISHED, "verified": "stale"}
        if model is Activity:
            # An activity that is over needs no checking.
            stale, filters["when"] = stale.upcoming(), "upcoming"
        total += stale.count()
        links.append(
            (
                f"{model._meta.verbose_name_plural.capitalize()} to verify",
                changelist(model, **filters),
            )
        )
        oldest = stale.order_by("last_verified_on", "pk").only("pk", "name", "last_verified_on")
        items += [Item(x.name, change_url(x), verified_text(x)) for x in oldest[:SHORT_LIST]]
    # Never-verified listings (None) come first, then the longest unchecked.
    items.sort(key=lambda item: (item.detail != "never verified", item.detail))
    return Section(
        "stale",
        "Published listings to verify",
        total,
        f"Nobody has confirmed these in the last {settings.STALE_AFTER_DAYS} days.",
        links=links,
        items=items[:SHORT_LIST],
    )


def drafts_section(models):
    total, links, items = 0, [], []
    for model in models:
        drafts = model.objects.filter(status=PublicationStatus.DRAFT).exclude(source="")
        total += drafts.count()
        links.append(
            (
                f"Imported {model._meta.verbose_name_plural} waiting",
                changelist(model, status__exact=PublicationStatus.DRAFT, origin="import"),
            )
        )
        newest = drafts.order_by("-created_at", "-pk").only("pk", "name", "source")
        items += [Item(x.name, change_url(x), f"from {x.source}") for x in newest[:SHORT_LIST]]
    return Section(
        "drafts",
        "Imported drafts to review",
        total,
        "Feeds and downloads created these; they stay hidden until someone publishes them.",
        links=links,
        items=items[:SHORT_LIST],
    )


def withdrawn_section():
    withdrawn = Meeting.objects.filter(
        withdrawn_by_source=True, status=PublicationStatus.ARCHIVED
    ).exclude(program__status=PublicationStatus.ARCHIVED)
    recent = withdrawn.select_related("program").order_by("-updated_at", "-pk")[:SHORT_LIST]
    return Section(
        "withdrawn",
        "Meetings a feed withdrew",
        withdrawn.count(),
        "These left their feed and were archived; the group may still meet at another time.",
        links=[("All withdrawn meetings", changelist(Meeting, withdrawn_by_source__exact="1"))],
        items=[Item(str(m), change_url(m), m.program.name) for m in recent],
    )


def feeds_section():
    troubled = FeedSource.objects.needing_attention()
    shown = troubled.order_by("name")[:SHORT_LIST]
    return Section(
        "feeds",
        "Feeds that need a look",
        troubled.count(),
        "Their last sync failed, would have withdrawn over half their meetings and waits for "
        "your confirmation, or changed over a quarter of their items.",
        links=[("Feed sources needing attention", changelist(FeedSource, attention="yes"))],
        items=[Item(feed.name, change_url(feed), feed.state_text()) for feed in shown],
    )


def referrals_section():
    waiting = Referral.objects.filter(status=ReferralStatus.NEW)
    return Section(
        "referrals",
        "Referrals waiting",
        waiting.count(),
        "New requests nobody has picked up yet.",
        links=[("New referrals", changelist(Referral, status__exact=ReferralStatus.NEW))],
    )
