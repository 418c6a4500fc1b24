"""Walk every public URL the site declares: each answers 200 with exactly one <h1>."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from programs.models import ProgramKind
from recovery_directory.sitemaps import SITEMAPS
from referrals.views import sent_token
from tests.factories import make_activity, make_center, make_meeting, make_program

pytestmark = pytest.mark.django_db

NOT_HTML = {
    "robots",
    "sitemap",
    "sitemap_section",
    "health",
    "activities:feed",
    "activities:ics",
    "programs:meeting_ics",
    "programs:meeting_types_css",
    "meeting_guide_feed",
}
JSON_NAMESPACES = ("hsds:",)
# Pages that only send the visitor on to another page of this site.
REDIRECTS = {"programs:search"}


def named_patterns(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            ns = f"{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            params = list(entry.pattern.converters) or list(entry.pattern.regex.groupindex)
            yield f"{namespace}{entry.name}", params


def first_hsds_id(client, collection):
    return client.get(f"/api/hsds/{collection}").json()["contents"][0]["id"]


@pytest.fixture
def sample(client):
    program = make_program(name="Sample Group")
    meeting = make_meeting(program=program)
    center = make_center(name="Sample Centre")
    activity = make_activity(name="Sample Picnic", host_program=program)
    hsds = {
        f"hsds:{name}": [{"id": first_hsds_id(client, collection)}]
        for name, collection in [
            ("service", "services"),
            ("organization", "organizations"),
            ("service_at_location", "service_at_locations"),
            ("taxonomy", "taxonomies"),
            ("taxonomy_term", "taxonomy_terms"),
        ]
    }
    return hsds | {
        "programs:program_detail": [{"slug": program.slug}],
        "programs:center_detail": [{"slug": center.slug}],
        "activities:detail": [{"slug": activity.slug}],
        "activities:ics": [{"slug": activity.slug}],
        "programs:meeting_ics": [{"slug": program.slug, "pk": meeting.pk}],
        "programs:kind": [{"kind": kind.value} for kind in ProgramKind],
        "programs:report_problem": [
            {"kind": "program", "slug": program.slug},
            {"kind": "treatment-centre", "slug": center.slug},
            {"kind": "activity", "slug": activity.slug},
        ],
        "referral_sent": [{"token": sent_token("ABCD2345")}],
        "sitemap_section": [{"section": name} for name in SITEMAPS],
    }


def public_urls(sample):
    urls = []
    for name, params in named_patterns():
        if not params:
            urls.append((name, reverse(name)))
            continue
        assert name in sample, f"no sample arguments for the URL {name!r}: add them to the test"
        urls += [(name, reverse(name, kwargs=kwargs)) for kwargs in sample[name]]
    return urls


def test_every_public_page_has_one_h1(client, sample):
    urls = public_urls(sample)
    assert len(urls) >= 20
    for name, url in urls:
        response = client.get(url)
        if name in REDIRECTS:
            assert response.status_code == 302 and response["Location"].startswith("/"), url
            continue
        assert response.status_code == 200, url
        if name == "meeting_guide_feed" or name.startswith(JSON_NAMESPACES):
            assert response["Content-Type"].startswith("application/json"), url
        if name in NOT_HTML or name.startswith(JSON_NAMESPACES):
            continue
        h1s = re.findall(rb"<h1[\s>]", response.content)
        assert len(h1s) == 1, f"{url} has {len(h1s)} <h1> elements"
