import re

import pytest
from django.urls import reverse

from listings.models import PublicationStatus
from programs.models import Audience, Language, ProgramKind, ServiceOption
from tests.factories import make_center, make_location, make_program

pytestmark = pytest.mark.django_db


def with_services(center, *codes):
    options = ServiceOption.objects.filter(code__in=codes)
    center.levels_of_care.add(*options.filter(category="level"))
    center.medications.add(*options.filter(category="medication"))
    center.payment_options.add(*options.filter(category="payment"))
    return center


def names(response):
    return [c.name for c in response.context["object_list"]]


def get_list(client, query=""):
    return client.get(reverse("programs:center_list") + query)


def test_filters_for_iop_medicaid_peer_support(client):
    with_services(make_center(name="Right Place", offers_peer_support=True), "iop", "medicaid")
    with_services(make_center(name="No Peers", offers_peer_support=False), "iop", "medicaid")
    with_services(make_center(name="No IOP", offers_peer_support=True), "detox", "medicaid")
    with_services(make_center(name="Cash Only", offers_peer_support=True), "iop", "self-pay")
    response = get_list(client, "?level=iop&payment=medicaid&peer_support=on")
    assert names(response) == ["Right Place"]


def test_levels_and_payments_are_any_of(client):
    with_services(make_center(name="Both Levels"), "iop", "detox", "medicare")
    with_services(make_center(name="One Level"), "iop", "tricare")
    with_services(make_center(name="Residential Only"), "residential", "tricare")
    assert names(get_list(client, "?level=detox")) == ["Both Levels"]
    assert names(get_list(client, "?level=detox&level=residential")) == [
        "Both Levels",
        "Residential Only",
    ]
    assert names(get_list(client, "?payment=medicare&payment=tricare")) == [
        "Both Levels",
        "One Level",
        "Residential Only",
    ]


def test_medication_population_language_city_keyword(client):
    target = with_services(
        make_center(name="Harbor Clinic", description="Buprenorphine care"), "buprenorphine"
    )
    target.populations.add(Audience.objects.get(slug="veterans"))
    target.languages.add(Language.objects.get(code="es"))
    target.locations.add(make_location(city="Dayton"))
    make_center(name="Elsewhere")
    for query in (
        "?medication=buprenorphine",
        "?population=veterans",
        "?language=es",
        "?city=Dayton",
        "?q=harbor",
    ):
        assert names(get_list(client, query)) == ["Harbor Clinic"], query


def test_centre_with_many_locations_is_listed_once(client):
    center = make_center(name="Multi", locations=3)
    for loc in center.locations.all():
        loc.city = "Dayton"
        loc.save()
    assert names(get_list(client, "?city=dayton")) == ["Multi"]


def test_detail_lists_locations_phones_services_and_hosted_programs(client):
    center = with_services(
        make_center(
            name="Harbor Clinic",
            locations=2,
            intake_phone="614-555-0150",
            hotline_phone="1-800-555-0199",
            offers_peer_support=True,
        ),
        "iop",
        "mat",
        "methadone",
        "medicaid",
        "sliding-scale",
    )
    make_program(name="Harbor Peer Group", host_center=center, kind=ProgramKind.RECOVERY_COMMUNITY)
    make_program(name="Draft Group", host_center=center, status=PublicationStatus.DRAFT)
    html = client.get(center.get_absolute_url()).content.decode()
    assert html.count('class="address"') == 2
    assert 'href="tel:6145550150"' in html
    assert 'href="tel:18005550199"' in html
    assert "Intensive outpatient (IOP)" in html
    assert "Methadone" in html
    assert "Sliding-scale fees" in html
    assert "Harbor Peer Group" in html
    assert "Draft Group" not in html
    assert f"/get-help/?center={center.slug}" in html


def test_draft_centre_is_404(client):
    center = make_center(status=PublicationStatus.DRAFT)
    assert client.get(center.get_absolute_url()).status_code == 404


class TestCardsKept:
    """With a cache every process shares, a centre's card is written once for each
    distance and language, and kept until a listing changes."""

    @pytest.fixture(autouse=True)
    def no_page_cache(self, settings, shared_cache):
        settings.PAGE_CACHE_SECONDS = 0  # each request builds its page

    def services_read(self, client, query=""):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            html = get_list(client, query).content.decode()
        return len([q for q in captured if " UNION ALL " in q["sql"]]), html

    def test_kept_cards_read_no_services(self, client, django_capture_on_commit_callbacks):
        center = with_services(make_center(name="Right Place"), "iop", "medicaid")
        read, html = self.services_read(client)
        assert read == 1 and "Medicaid" in html
        assert self.services_read(client) == (0, html)
        card = re.search(r'<article class="card".*?</article>', html).group()
        read, narrowed = self.services_read(client, "?level=iop")
        assert read == 0 and card in narrowed  # another list, the same card
        assert self.services_read(client, "?level=iop&payment=medicaid")[0] == 0
        spanish = client.get("/es" + reverse("programs:center_list")).content.decode()
        assert "Acepta:" in spanish and "Accepts:" not in spanish
        with django_capture_on_commit_callbacks(execute=True):
            center.intake_phone = "614-555-0199"
            center.save()
        read, html = self.services_read(client)
        assert read == 1 and "614-555-0199" in html
