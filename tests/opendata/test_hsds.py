"""The Open Referral HSDS 3.0 API under /api/hsds/.

Responses are checked against the official HSDS 3.0 JSON Schemas, copied into hsds_schema/
(see its SOURCE.txt) so the suite needs nothing outside this repository. The schemas allow
unknown properties; here every object is also closed (`additionalProperties: false`), so a
misspelt field name fails instead of passing unnoticed.
"""

import copy
import datetime
import json
import re
import urllib.parse
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from listings.models import Location, PublicationStatus
from opendata import hsds
from programs.models import (
    Attendance,
    Audience,
    Cost,
    Fellowship,
    GenderServed,
    Language,
    Meeting,
    Program,
    ProgramKind,
    ServiceOption,
    TreatmentCenter,
)
from tests.factories import make_center, make_location, make_meeting, make_program

pytestmark = pytest.mark.django_db

API = "/api/hsds/"
SCHEMA_DIR = Path(__file__).parent / "hsds_schema"
# Where the OpenAPI file says the schemas live; resolved to the local copies below.
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"

# --- Schemas ---------------------------------------------------------------------------------

FORMATS = FormatChecker()


@FORMATS.checks("uri", raises=ValueError)
def _is_uri(value):
    parts = urllib.parse.urlsplit(value)
    return bool(parts.scheme in ("http", "https") and parts.netloc)


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value):
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


@FORMATS.checks("date", raises=ValueError)
def _is_date(value):
    return bool(datetime.date.fromisoformat(value))


@FORMATS.checks("time")
def _is_time(value):
    # HSDS asks for HH:MM with a UTC offset ("09:00-05:00") or Z.
    return bool(re.fullmatch(r"\d\d:\d\d(:\d\d)?(Z|[+-]\d\d:\d\d)", value))


DATAPACKAGE_FORMATS = {"date": "date", "time": "time", "datetime": "date-time"}

# Properties this API adds beyond the 3.0 objects (HSDS allows extending them).
EXTENSIONS = {
    # The API reference describes an organization's detail as carrying its services.
    "organization.json": {
        "services": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "url"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "name": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                },
            },
        }
    },
    # As in the compiled list schema, a service_at_location names its service.
    "service_at_location.json": {"service": {"$ref": "compiled/service_list.json"}},
}


def _strict(node):
    """A copy of a schema with every object closed and datapackage types as formats."""
    if isinstance(node, list):
        return [_strict(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _strict(v) for k, v in node.items()}
    if "properties" in out and isinstance(out["properties"], dict):
        out.setdefault("additionalProperties", False)
    if node.get("datapackage_type") in DATAPACKAGE_FORMATS and "format" not in node:
        out["format"] = DATAPACKAGE_FORMATS[node["datapackage_type"]]
    return out


def _load_schemas():
    resources = {}
    for path in sorted(SCHEMA_DIR.rglob("*.json")):
        name = path.relative_to(SCHEMA_DIR).as_posix()
        contents = _strict(json.loads(path.read_text()))
        contents["properties"] = {
            **contents.get("properties", {}),
            **EXTENSIONS.get(name, {}),
        }
        contents["$id"] = BASE + name
        resources[BASE + name] = contents
    return resources


SCHEMAS = _load_schemas()
OPENAPI = json.loads((SCHEMA_DIR / "openapi.json").read_text())
REGISTRY = Registry().with_resources(
    (uri, Resource.from_contents(contents, default_specification=DRAFT202012))
    for uri, contents in SCHEMAS.items()
)


def _validator(schema):
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=FORMATS)


def _response_schema(path):
    return OPENAPI["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]


def _page_validator(path, items=None):
    """Page (from the OpenAPI file) with `contents` of the item schema the file names.

    `items` overrides that schema, for lists of fully nested objects (`full=true`).
    """
    page = copy.deepcopy(OPENAPI["components"]["schemas"]["Page"])
    items = items or _response_schema(path)["properties"]["contents"]["items"]
    page["properties"]["contents"] = {"type": "array", "items": items}
    page["required"] = list(page["properties"])
    page["additionalProperties"] = False
    return _validator(page)


def _root_validator():
    schema = copy.deepcopy(_response_schema("/"))
    schema["required"] = list(schema["properties"])
    schema["additionalProperties"] = False
    return _validator(schema)


def _detail(name):
    return _validator({"$ref": BASE + name})


# The OpenAPI file points two details at compiled files 3.0 never shipped (compiled/service.json
# and compiled/organization.json) and a service_at_location at the service schema; these are
# the nearest schemas that exist.
VALIDATORS = {
    "": _root_validator(),
    "services": _page_validator("/services"),
    "services?full": _page_validator(
        "/services", {"$ref": BASE + "compiled/service_with_definitions.json"}
    ),
    "services/": _detail("compiled/service_with_definitions.json"),
    "organizations": _page_validator("/organizations"),
    "organizations/": _detail("organization.json"),
    "service_at_locations": _page_validator("/service_at_locations"),
    "service_at_locations?full": _page_validator(
        "/service_at_locations", {"$ref": BASE + "service_at_location.json"}
    ),
    "service_at_locations/": _detail("service_at_location.json"),
    "taxonomies": _page_validator("/taxonomies"),
    "taxonomies/": _detail("taxonomy.json"),
    "taxonomy_terms": _page_validator("/taxonomy_terms"),
    "taxonomy_terms/": _detail("taxonomy_term.json"),
}
LISTS = ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"]


def check(endpoint, data):
    errors = sorted(VALIDATORS[endpoint].iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def get(client, path, status=200, **params):
    response = client.get(API + path, params)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def walk_everything(client):
    """Fetch and validate every page of every list (plain and full) and every detail."""
    seen = {}
    check("", get(client, ""))
    for endpoint in LISTS:
        variants = (
            [{}, {"full": "true"}] if endpoint in ("services", "service_at_locations") else [{}]
        )
        for extra in variants:
            page, items = 1, []
            while True:
                data = get(client, endpoint, page=page, per_page=100, **extra)
                check(endpoint + ("?full" if extra else ""), data)
                items += data["contents"]
                if data["last_page"]:
                    break
                page += 1
            assert len(items) == data["total_items"]
            assert len({item["id"] for item in items}) == len(items), "ids must be unique"
            seen[endpoint + ("?full" if extra else "")] = items
        for item in seen[endpoint]:
            detail = get(client, f"{endpoint}/{item['id']}")
            check(f"{endpoint}/", detail)
            assert detail["id"] == item["id"]
    return seen


def ids(data):
    return {item["id"] for item in data["contents"]}


def service_id(row):
    kind = "program" if isinstance(row, Program) else "center"
    return hsds.hsds_id(f"{kind}:{row.pk}")


# --- Data ------------------------------------------------------------------------------------


@pytest.fixture
def directory():
    """A small directory with one of each case the mapping distinguishes."""
    women = Audience.objects.get(slug="women")
    english, spanish = Language.objects.get(code="en"), Language.objects.get(code="es")
    center = make_center(
        name="Riverside Treatment",
        description="Detox and outpatient care by the river.",
        hotline_phone="800-555-0199",
        email="intake@riverside.example.org",
        website="https://riverside.example.org",
        last_verified_on=datetime.date(2025, 3, 1),
    )
    center.levels_of_care.set(ServiceOption.objects.filter(code__in=["detox", "outpatient"]))
    center.medications.set(ServiceOption.objects.filter(code="buprenorphine"))
    center.payment_options.set(ServiceOption.objects.filter(code="medicaid"))
    center.populations.set([women])
    center.languages.set([english, spanish])

    group = make_program(
        name="Downtown Serenity Group",
        fellowship=Fellowship.objects.get(slug="aa"),
        phone="614-555-0100",
        email="serenity@example.org",
        cost=Cost.DONATION,
        cost_notes="A basket is passed.",
        last_verified_on=datetime.date(2025, 4, 2),
    )
    group.audiences.set([women])
    group.languages.set([english, spanish])
    hall = make_location(name="Second Church Hall", street_address="12 Elm St", postal_code="43215")
    sunday = make_meeting(group, types=("O", "D"), weekday=0)
    hybrid = make_meeting(
        group,
        types=("C",),
        weekday=2,
        attendance=Attendance.HYBRID,
        location=hall,
        conference_url="https://zoom.example.org/j/123",
    )
    online = make_meeting(
        group,
        weekday=4,
        attendance=Attendance.ONLINE,
        conference_url="https://zoom.example.org/j/456",
        conference_phone="646-555-0123",
        start_time=datetime.time(12, 0),
        end_time=None,
    )
    hosted = make_program(
        name="Riverside SMART Group",
        kind=ProgramKind.SMART,
        fellowship=Fellowship.objects.get(slug="smart"),
        host_center=center,
    )
    secret_place = make_location(
        name="Maple Cottage",
        street_address="77 Hidden Lane",
        address_line_2="Back door",
        postal_code="43206",
        latitude=39.94321,
        longitude=-82.97654,
        is_confidential=True,
        accessibility_notes="Ramp by the blue garage",
        wheelchair_accessible=True,
        directions="Behind the blue garage",
    )
    home = make_program(
        name="Maple Recovery House",
        kind=ProgramKind.SOBER_LIVING,
        gender_served=GenderServed.WOMEN,
        accepts_mat_residents=True,
        beds=6,
        cost=Cost.FEE,
        location=secret_place,
    )
    circle = make_program(
        name="Thursday Peer Circle",
        kind=ProgramKind.RECOVERY_COMMUNITY,
        run_by="Columbus Peer  Network",
        location=make_location(
            city="Cleveland", postal_code="44114", latitude=41.5, longitude=-81.69
        ),
    )
    return SimpleNamespace(**locals())


# --- Root, headers, methods ------------------------------------------------------------------


def test_root_gives_version_profile_and_openapi_url(client):
    data = get(client, "")
    check("", data)
    assert data["version"] == "3.0"
    assert data["openapi_url"].endswith("/openapi.json")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_only_get_and_head_are_allowed(client, method):
    response = getattr(client, method)(API + "services")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["status"] == 405
    assert response["Access-Control-Allow-Origin"] == "*"


def test_head_answers_without_a_body(client, directory):
    response = client.head(API + "services")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == b""


def test_trailing_slash_is_optional(client, directory):
    assert get(client, "services/")["total_items"] == get(client, "services")["total_items"] == 5


def test_strict_schemas_reject_what_hsds_forbids(client, directory):
    """The checks above can fail: a missing field, a wrong enum or a stray key is caught."""
    data = get(client, f"services/{service_id(directory.group)}")
    check("services/", data)
    for spoil in (
        lambda d: d.pop("status"),
        lambda d: d.update(status="open"),
        lambda d: d.update(unknown_field=1),
        lambda d: d["schedules"][0].update(opens_at="7pm"),
        lambda d: d["service_at_locations"][0]["location"].update(latitude="39.9"),
        lambda d: d.update(id="not-a-uuid"),
    ):
        spoilt = copy.deepcopy(data)
        spoil(spoilt)
        with pytest.raises(ValidationError):
            VALIDATORS["services/"].validate(spoilt)


# --- Every endpoint validates ----------------------------------------------------------------


def test_every_endpoint_and_detail_validates(client, directory):
    seen = walk_everything(client)
    assert {s["name"] for s in seen["services"]} == {
        "Downtown Serenity Group",
        "Riverside SMART Group",
        "Maple Recovery House",
        "Thursday Peer Circle",
        "Riverside Treatment",
    }
    assert {t["name"] for t in seen["taxonomies"]} >= {"Program kinds", "Audiences"}


def test_seed_demo_data_validates_everywhere(client):
    call_command("seed_demo", verbosity=0)
    seen = walk_everything(client)
    assert len(seen["services"]) == (
        Program.objects.published().count() + TreatmentCenter.objects.published().count()
    )
    schedules = [s for svc in seen["services"] for s in svc.get("schedules", [])]
    assert schedules == []  # plain lists carry one-to-one fields only
    meetings = sum(len(s["schedules"]) for s in seen["services?full"])
    assert meetings == Meeting.objects.published().count() > 0
    # No confidential street, ZIP code or door position anywhere in the demo output.
    assert Location.objects.filter(is_confidential=True).exists()
    text = json.dumps(seen)
    public_zips = set(
        Location.objects.filter(is_confidential=False).values_list("postal_code", flat=True)
    )
    for place in Location.objects.filter(is_confidential=True):
        assert place.street_address not in text
        if place.postal_code not in public_zips:
            assert f'"{place.postal_code}"' not in text


# --- Mapping ---------------------------------------------------------------------------------


def test_program_service_in_full(client, directory):
    data = get(client, f"services/{service_id(directory.group)}")
    assert data["name"] == "Downtown Serenity Group"
    assert data["url"] == "http://testserver" + directory.group.get_absolute_url()
    assert data["status"] == "active"
    assert data["assured_date"] == "2025-04-02"
    assert data["email"] == "serenity@example.org"
    assert data["organization"]["name"] == "Alcoholics Anonymous"
    assert data["phones"][0]["number"] == "614-555-0100"
    assert {lang["code"] for lang in data["languages"]} == {"en", "es"}
    assert data["cost_options"] == [
        {
            "id": hsds.hsds_id(f"cost:program:{directory.group.pk}"),
            "service_id": data["id"],
            "option": "Free, donations welcome",
            "amount": 0,
            "currency": "USD",
            "amount_description": "A basket is passed.",
        }
    ]
    terms = {(a["link_type"], a["taxonomy_term"]["code"]) for a in data["attributes"]}
    assert terms == {
        ("kind", "12-step"),
        ("approach", "12-step"),  # AA's usual approach
        ("audience", "women"),
        ("meeting_type", "O"),
        ("meeting_type", "D"),
        ("meeting_type", "C"),
    }
    # Its own place plus the hall of the hybrid meeting; the online meeting has no place.
    places = {sal["location"]["name"] for sal in data["service_at_locations"]}
    assert places == {directory.group.location.name, "Second Church Hall"}


def test_meetings_become_weekly_schedules(client, directory):
    with time_machine.travel(datetime.datetime(2025, 7, 1, 12, tzinfo=datetime.UTC)):
        summer = get(client, f"services/{service_id(directory.group)}")["schedules"]
    with time_machine.travel(datetime.datetime(2025, 1, 7, 12, tzinfo=datetime.UTC)):
        winter = get(client, f"services/{service_id(directory.group)}")["schedules"]
    by_day = {s["byday"]: s for s in summer}
    assert set(by_day) == {"SU", "TU", "TH"}  # weekday 0 is Sunday
    sunday, tuesday, thursday = by_day["SU"], by_day["TU"], by_day["TH"]
    assert sunday["freq"] == "WEEKLY"
    assert (sunday["opens_at"], sunday["closes_at"], sunday["timezone"]) == (
        "19:00-04:00",
        "20:00-04:00",
        -4,
    )
    assert {s["opens_at"] for s in winter if s["byday"] == "SU"} == {"19:00-05:00"}
    assert sunday["attending_type"] == "in person" and "schedule_link" not in sunday
    assert "Every Sunday from 7:00 pm to 8:00 pm" in sunday["description"]
    assert tuesday["attending_type"] == "hybrid"
    assert tuesday["schedule_link"] == "https://zoom.example.org/j/123"
    hall_sal = hsds.hsds_id(
        f"service-at-location:program:{directory.group.pk}:{directory.hybrid.location.pk}"
    )
    assert tuesday["service_at_location_id"] == hall_sal
    assert thursday["attending_type"] == "online"
    assert "service_at_location_id" not in thursday and "closes_at" not in thursday
    assert "646-555-0123" in thursday["notes"]
    assert sorted(a["taxonomy_term"]["code"] for a in sunday["attributes"]) == ["D", "O"]


def test_time_zone_follows_the_meeting(client, directory):
    west = make_location(
        city="Los Angeles", state="CA", postal_code="90012", timezone="America/Los_Angeles"
    )
    program = make_program(name="Pacific Group", location=west)
    make_meeting(program, weekday=6, start_time=datetime.time(9, 30), end_time=None)
    with time_machine.travel(datetime.datetime(2025, 1, 7, 12, tzinfo=datetime.UTC)):
        (schedule,) = get(client, f"services/{service_id(program)}")["schedules"]
    assert (schedule["byday"], schedule["opens_at"], schedule["timezone"]) == (
        "SA",
        "09:30-08:00",
        -8,
    )
    assert "America/Los_Angeles" in schedule["description"]


def test_paused_meetings_make_a_temporarily_closed_service(client, directory):
    directory.group.meetings.update(temporarily_closed=True)
    data = get(client, f"services/{service_id(directory.group)}")
    assert data["status"] == "temporarily closed"
    assert all("temporarily" in s["notes"] for s in data["schedules"])
    assert get(client, f"services/{service_id(directory.home)}")["status"] == "active"


def test_center_service_in_full(client, directory):
    data = get(client, f"services/{service_id(directory.center)}")
    assert data["organization_id"] == hsds.hsds_id(f"organization:center:{directory.center.pk}")
    assert data["organization"]["website"] == "https://riverside.example.org"
    assert [p["number"] for p in data["phones"]] == ["614-555-0111", "800-555-0199"]
    assert data["fees_description"] == "Payment accepted: Medicaid."
    codes = {(a["link_type"], a["taxonomy_term"]["code"]) for a in data["attributes"]}
    assert codes == {
        ("level_of_care", "detox"),
        ("level_of_care", "outpatient"),
        ("medication", "buprenorphine"),
        ("payment", "medicaid"),
        ("audience", "women"),
    }
    assert len(data["service_at_locations"]) == 1
    address = data["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["address_1"], address["postal_code"]) == ("100 Main St", "43215")


def test_organizations_follow_host_then_fellowship_then_run_by_then_self(client, directory):
    def org_name(row):
        return get(client, f"services/{service_id(row)}")["organization"]["name"]

    assert org_name(directory.hosted) == "Riverside Treatment"
    assert org_name(directory.group) == "Alcoholics Anonymous"
    assert org_name(directory.circle) == "Columbus Peer Network"
    assert org_name(directory.home) == "Maple Recovery House"
    names = [o["name"] for o in get(client, "organizations")["contents"]]
    assert names == [
        "Riverside Treatment",
        "Alcoholics Anonymous",
        "Columbus Peer Network",
        "Maple Recovery House",
    ]


def test_run_by_spellings_share_one_organization(client, directory):
    other = make_program(name="Friday Peer Circle", run_by="columbus peer network")
    first = get(client, f"services/{service_id(directory.circle)}")["organization_id"]
    assert get(client, f"services/{service_id(other)}")["organization_id"] == first
    org = get(client, f"organizations/{first}")
    assert {s["name"] for s in org["services"]} == {"Thursday Peer Circle", "Friday Peer Circle"}


def test_organization_detail_of_a_centre_lists_services_and_places(client, directory):
    org_id = hsds.hsds_id(f"organization:center:{directory.center.pk}")
    data = get(client, f"organizations/{org_id}")
    check("organizations/", data)
    assert {s["id"] for s in data["services"]} == {
        service_id(directory.center),
        service_id(directory.hosted),
    }
    assert len(data["locations"]) == 1


def test_a_draft_host_centre_is_never_the_organization(client, directory):
    directory.center.status = PublicationStatus.DRAFT
    directory.center.save()
    data = get(client, f"services/{service_id(directory.hosted)}")
    assert data["organization"]["name"] == "SMART Recovery"
    names = {o["name"] for o in get(client, "organizations")["contents"]}
    assert "Riverside Treatment" not in names and "SMART Recovery" in names


# --- Confidential places ---------------------------------------------------------------------


def test_confidential_place_never_leaks(client, directory):
    place = directory.secret_place
    home_id = service_id(directory.home)
    bodies = [
        client.get(API + f"services/{home_id}"),
        client.get(API + "services", {"full": "true"}),
        client.get(API + "service_at_locations", {"full": "true"}),
        client.get(API + "service_at_locations"),
        client.get(API + "organizations/" + get(client, f"services/{home_id}")["organization_id"]),
    ]
    sal = get(client, f"services/{home_id}")["service_at_locations"][0]
    bodies.append(client.get(API + f"service_at_locations/{sal['id']}"))
    for response in bodies:
        assert response.status_code == 200
        text = response.content.decode()
        for secret in (
            "77 Hidden Lane",
            "Back door",
            "Maple Cottage",
            "43206",
            "blue garage",
            "39.94321",
            "-82.97654",
            "39.9432",
        ):
            assert secret not in text, secret
    location = sal["location"]
    assert location["name"] == "Columbus, OH"
    assert "addresses" not in location or location["addresses"] == []
    assert "given when you get in touch" in location["description"]
    place.refresh_from_db()
    assert (location["latitude"], location["longitude"]) == (
        place.search_latitude,
        place.search_longitude,
    )
    assert (location["latitude"], location["longitude"]) != (place.latitude, place.longitude)
    assert location["accessibility"] == [
        {
            "id": hsds.hsds_id(f"accessibility:location:{place.pk}"),
            "location_id": location["id"],
            "description": "Wheelchair accessible.",
        }
    ]


def test_confidential_place_without_a_search_position_gives_no_coordinates(client, directory):
    Location.objects.filter(pk=directory.secret_place.pk).update(
        search_latitude=None, search_longitude=None
    )
    sal = get(client, f"services/{service_id(directory.home)}")["service_at_locations"][0]
    assert "latitude" not in sal["location"] and "longitude" not in sal["location"]


# --- Ids -------------------------------------------------------------------------------------


def test_ids_are_stable_uuid5_names(client, directory):
    first = get(client, "services", full="true")
    second = get(client, "services", full="true")
    assert first == second
    assert service_id(directory.group) in ids(first)
    # The namespace is part of the public contract: this value must never change.
    assert hsds.hsds_id("program:1") == str(uuid.uuid5(hsds.NAMESPACE, "program:1"))
    assert str(hsds.NAMESPACE) == "e5b9945f-961f-475b-b2a4-e8e4339c0c3c"
    term = get(client, "taxonomy_terms", search="12-step")["contents"][0]
    assert term["id"] == hsds.hsds_id("term:kind:12-step")
    assert uuid.UUID(term["id"]).version == 5


# --- Unpublished rows ------------------------------------------------------------------------


def test_unpublished_rows_are_absent(client, directory):
    draft = make_program(name="Draft Group", status=PublicationStatus.DRAFT)
    make_meeting(draft)
    archived = make_center(name="Archived Centre", status=PublicationStatus.ARCHIVED)
    hidden = make_meeting(directory.group, weekday=5, status=PublicationStatus.DRAFT)
    seen = walk_everything(client)
    text = json.dumps(seen)
    assert "Draft Group" not in text and "Archived Centre" not in text
    for row, endpoint in ((draft, "services"), (archived, "services")):
        get(client, f"{endpoint}/{service_id(row)}", status=404)
    full = get(client, f"services/{service_id(directory.group)}")
    assert hsds.hsds_id(f"meeting:{hidden.pk}") not in {s["id"] for s in full["schedules"]}
    assert len(full["schedules"]) == 3


# --- Paging ----------------------------------------------------------------------------------


def test_paging_walks_through_and_past_the_end(client, directory):
    first = get(client, "services", per_page=2)
    assert (first["total_items"], first["total_pages"], first["size"]) == (5, 3, 2)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    second = get(client, "services", per_page=2, page=2)
    assert not second["first_page"] and not second["last_page"]
    last = get(client, "services", per_page=2, page=3)
    assert last["last_page"] and last["size"] == 1
    everything = ids(first) | ids(second) | ids(last)
    assert len(everything) == 5
    beyond = get(client, "services", per_page=2, page=9)
    assert beyond["empty"] and beyond["contents"] == [] and beyond["size"] == 0
    check("services", beyond)


def test_an_empty_directory_gives_an_empty_first_page(client):
    data = get(client, "services")
    check("services", data)
    assert (data["total_items"], data["total_pages"], data["empty"]) == (0, 1, True)
    assert data["first_page"] and data["last_page"]


def test_per_page_is_capped(client):
    data = get(client, "taxonomy_terms", per_page=100000)
    assert data["size"] == 100 and data["total_items"] > 100
    assert data["total_pages"] == -(-data["total_items"] // 100)


@pytest.mark.parametrize("name", ["page", "per_page"])
@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5", "9" * 5000])
def test_bad_paging_values_are_400(client, name, value):
    data = get(client, "services", status=400, **{name: value})
    assert data["status"] == 400 and name in data["message"]


def _walk(client, path, **params):
    """Every page of a list by its next links, as a client that knows nothing else would."""
    response = client.get(API + path, {**params})
    pages = []
    while True:
        assert response.status_code == 200, response.content[:500]
        pages.append(response.json())
        check(path + ("?full" if params.get("full") else ""), pages[-1])
        link = response.get("Link")
        if not link:
            return pages
        assert response["Access-Control-Expose-Headers"] == "Link"
        match = re.fullmatch(r'<http://testserver(/[^>]+)>; rel="next"', link)
        assert match and not re.search(r"[?&]page=", match.group(1)), link
        response = client.get(match.group(1))


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("services", {}),
        ("services", {"full": "true"}),
        ("services", {"search": "group"}),  # ranked by the search: the cursor counts rows
        ("organizations", {}),  # centres, fellowships, run-by names, programs on their own
        ("service_at_locations", {}),
        ("taxonomy_terms", {}),
    ],
)
def test_next_links_walk_the_same_items_as_page_numbers(client, directory, path, params):
    _add_rows(3)
    size = 2 if path != "taxonomy_terms" else 40
    walked = _walk(client, path, per_page=size, **params)
    first = get(client, path, per_page=size, **params)
    numbered = [first] + [
        get(client, path, per_page=size, page=n, **params)
        for n in range(2, first["total_pages"] + 1)
    ]
    assert [p["contents"] for p in walked] == [p["contents"] for p in numbered]
    assert [p["page_number"] for p in walked] == list(range(1, first["total_pages"] + 1))
    assert [p["last_page"] for p in walked] == [False] * (len(walked) - 1) + [True]
    assert not any(p["first_page"] for p in walked[1:])
    assert len({i["id"] for p in walked for i in p["contents"]}) == first["total_items"] > size


def test_a_numbered_page_links_on_by_cursor_and_the_last_links_nowhere(client, directory):
    response = client.get(API + "services", {"per_page": 2, "page": 2, "search": ""})
    assert "cursor=" in response["Link"] and not re.search(r"[?&]page=", response["Link"])
    assert "per_page=2" in response["Link"]
    last = client.get(API + "services", {"per_page": 2, "page": 3})
    assert last.json()["last_page"] and "Link" not in last
    assert "Link" not in client.get(API + "services", {"per_page": 2, "page": 9})


def test_a_cursor_page_costs_the_same_queries_deep_in_the_list(
    client, directory, django_assert_num_queries
):
    _add_rows(6)  # ten programs, then the centres: pages 1 to 3 hold programs only
    links = []
    response = client.get(API + "services", {"per_page": 3})
    for _ in range(2):
        links.append(response["Link"][len("<http://testserver") : -len('>; rel="next"')])
        response = client.get(links[-1])
    for link in links:
        # counts x2, the rows before the cursor, programs + audiences
        with django_assert_num_queries(5):
            assert len(client.get(link).json()["contents"]) == 3


@pytest.mark.parametrize(
    "cursor",
    [
        "x",
        "e30",  # {}
        "eyJzIjo5fQ",  # {"s":9}
        "eyJzIjotMX0",  # {"s":-1}
        "eyJzIjowLCJrIjpbMV19",  # {"s":0,"k":[1]}: the wrong number of fields
        "eyJzIjowLCJrIjpbW10sMV19",  # {"s":0,"k":[[],1]}
        "eyJzIjowLCJvIjotNX0",  # {"s":0,"o":-5}
        "eyJzIjp0cnVlfQ",  # {"s":true}
        "%FF%FE",
        "9" * 5000,
    ],
)
def test_a_cursor_we_did_not_make_is_a_clear_400(client, directory, cursor):
    response = client.get(f"{API}services?cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json()["message"]


def test_page_and_cursor_together_are_400(client, directory):
    link = client.get(API + "services", {"per_page": 2})["Link"]
    response = client.get(link[len("<http://testserver") : -len('>; rel="next"')] + "&page=2")
    assert response.status_code == 400
    assert response.json()["message"] == "Give “page” or “cursor”, not both."


# --- Filters ---------------------------------------------------------------------------------


def test_search(client, directory):
    found = get(client, "services", search="serenity")
    assert ids(found) == {service_id(directory.group)}
    assert ids(get(client, "services", search="riverside")) == {
        service_id(directory.center),
        service_id(directory.hosted),
    }
    assert ids(get(client, "services", search="zzzz nothing")) == set()


def test_taxonomy_term_filter(client, directory):
    def with_term(name):
        return ids(get(client, "services", taxonomy_term_id=hsds.hsds_id(name)))

    assert with_term("term:kind:sober-living") == {service_id(directory.home)}
    assert with_term("term:meeting-type:C") == {service_id(directory.group)}
    assert with_term("term:level:detox") == {service_id(directory.center)}
    assert with_term("term:audience:women") == {
        service_id(directory.group),
        service_id(directory.center),
    }
    assert with_term("term:payment:tricare") == set()


def test_taxonomy_filter(client, directory):
    def in_taxonomy(key):
        return ids(get(client, "services", taxonomy_id=hsds.TAXONOMY[key].id))

    assert in_taxonomy("medication") == {service_id(directory.center)}
    assert in_taxonomy("meeting-type") == {service_id(directory.group)}
    assert len(in_taxonomy("kind")) == 4  # every program has a kind
    # Taken from the fellowship or the kind; the sober home states none.
    assert in_taxonomy("approach") == {
        service_id(directory.group),
        service_id(directory.hosted),
        service_id(directory.circle),
    }


def test_approach_terms(client, directory):
    def with_approach(code):
        term = hsds.hsds_id(f"term:approach:{code}")
        return ids(get(client, "services", taxonomy_term_id=term))

    assert with_approach("secular") == {service_id(directory.hosted)}
    assert with_approach("harm-reduction") == set()
    directory.circle.approach = "harm-reduction"
    directory.circle.save()
    assert with_approach("harm-reduction") == {service_id(directory.circle)}
    assert with_approach("all-pathways") == set()
    term = get(client, f"taxonomy_terms/{hsds.hsds_id('term:approach:secular')}")
    check("taxonomy_terms/", term)
    assert term["name"] == "Secular or science-based"
    assert term["taxonomy_detail"]["name"] == "Approaches"


def test_organization_filter(client, directory):
    center_org = hsds.hsds_id(f"organization:center:{directory.center.pk}")
    assert ids(get(client, "services", organization_id=center_org)) == {
        service_id(directory.center),
        service_id(directory.hosted),
    }
    home_org = hsds.hsds_id(f"organization:program:{directory.home.pk}")
    assert ids(get(client, "services", organization_id=home_org)) == {service_id(directory.home)}
    sals = get(client, "service_at_locations", organization_id=center_org)["contents"]
    assert {s["service_id"] for s in sals} == {
        service_id(directory.center),
        service_id(directory.hosted),
    }


def test_modified_after(client, directory):
    old = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    for model in (Program, TreatmentCenter, Meeting, Location):
        model.objects.update(updated_at=old)
    assert ids(get(client, "services", modified_after="2021-01-01T00:00:00Z")) == set()
    # A changed meeting makes its program's service modified.
    Meeting.objects.filter(pk=directory.sunday.pk).update(
        updated_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    )
    found = get(client, "services", modified_after="2024-05-31T12:00:00+00:00")
    assert ids(found) == {service_id(directory.group)}
    assert found["contents"][0]["last_modified"] == "2024-06-01T00:00:00Z"
    assert len(ids(get(client, "services", modified_after="2019-12-31"))) == 5


@pytest.mark.parametrize(
    "params",
    [
        {"modified_after": "yesterday"},
        {"modified_after": "2025-13-01T00:00:00Z"},
        {"taxonomy_term_id": "12-step"},
        {"taxonomy_id": "x"},
        {"organization_id": "123"},
        {"full": "maybe"},
        {"format": "ndjson"},
    ],
)
def test_bad_filter_values_are_400(client, params):
    data = get(client, "services", status=400, **params)
    assert data["status"] == 400 and next(iter(params)) in data["message"]


def test_filters_combine_with_and(client, directory):
    women = hsds.hsds_id("term:audience:women")
    kind = hsds.TAXONOMY["kind"].id
    assert ids(get(client, "services", taxonomy_term_id=women, taxonomy_id=kind)) == {
        service_id(directory.group)
    }
    assert ids(get(client, "services", taxonomy_term_id=women, search="riverside")) == {
        service_id(directory.center)
    }


def test_unknown_filter_ids_match_nothing(client, directory):
    unknown = str(uuid.uuid4())
    for name in ("taxonomy_term_id", "taxonomy_id", "organization_id"):
        assert get(client, "services", **{name: unknown})["total_items"] == 0


def test_proximity_from_a_postcode(client, directory):
    # 43215 is downtown Columbus; Cleveland (44114) is about 200 km away.
    near = get(client, "service_at_locations", postcode="43215", proximity="10000")
    check("service_at_locations", near)
    services = {s["service_id"] for s in near["contents"]}
    assert service_id(directory.group) in services
    assert service_id(directory.circle) not in services
    far = get(client, "service_at_locations", postcode="43215", proximity="250000")
    assert service_id(directory.circle) in {s["service_id"] for s in far["contents"]}
    same_zip = get(client, "service_at_locations", postcode="44114")
    assert {s["service_id"] for s in same_zip["contents"]} == {service_id(directory.circle)}
    combined = get(
        client, "service_at_locations", postcode="43215", proximity="250000", search="thursday"
    )
    assert {s["service_id"] for s in combined["contents"]} == {service_id(directory.circle)}


def test_proximity_uses_the_blurred_position_of_confidential_homes(client, directory):
    # Within 50 m of the ZIP centre the home is found; its real door is elsewhere.
    place = directory.secret_place
    data = get(client, "service_at_locations", postcode="43206", proximity="50")
    assert {s["location_id"] for s in data["contents"]} == {hsds.hsds_id(f"location:{place.pk}")}


def test_postcode_alone_never_confirms_a_confidential_homes_zip(client, directory):
    place = directory.secret_place
    data = get(client, "service_at_locations", postcode=place.postal_code)
    assert hsds.hsds_id(f"location:{place.pk}") not in {s["location_id"] for s in data["contents"]}


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_modified_after_at_the_ends_of_the_calendar_is_400(client, moment):
    data = get(client, "services", status=400, modified_after=moment)
    assert "modified_after" in data["message"]


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"postcode": "00000", "proximity": "1000"}, "postcode"),
        ({"postcode": "Columbus"}, "postcode"),
        ({"proximity": "1000"}, "proximity"),
        ({"postcode": "43215", "proximity": "far"}, "proximity"),
        ({"postcode": "43215", "proximity": "-5"}, "proximity"),
        ({"postcode": "43215", "proximity": "nan"}, "proximity"),
    ],
)
def test_bad_place_filters_are_400(client, params, word):
    data = get(client, "service_at_locations", status=400, **params)
    assert word in data["message"]


def test_taxonomy_terms_filters(client):
    kind = hsds.TAXONOMY["kind"]
    data = get(client, "taxonomy_terms", taxonomy_id=kind.id, per_page=100)
    assert {t["code"] for t in data["contents"]} == set(ProgramKind.values)
    assert all(t["taxonomy_detail"]["id"] == kind.id for t in data["contents"])
    assert get(client, "taxonomy_terms", parent_id=str(uuid.uuid4()))["total_items"] == 0
    top = get(client, "taxonomy_terms", top_only="true", per_page=1)
    assert top["total_items"] == get(client, "taxonomy_terms")["total_items"]
    assert [t["name"] for t in get(client, "taxonomies", search="audiences")["contents"]] == [
        "Audiences"
    ]


# --- Not found -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint",
    ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"],
)
@pytest.mark.parametrize("value", ["not-a-uuid", "d1b2c3e4-0000-4000-8000-000000000000"])
def test_unknown_ids_are_404(client, directory, endpoint, value):
    data = get(client, f"{endpoint}/{value}", status=404)
    assert data == {"status": 404, "message": data["message"]} and value in data["message"]


def test_details_of_each_kind_are_found(client, directory):
    sal = hsds.hsds_id(
        f"service-at-location:center:{directory.center.pk}:{directory.center.locations.get().pk}"
    )
    assert get(client, f"service_at_locations/{sal}")["service"]["name"] == "Riverside Treatment"
    fellowship = Fellowship.objects.get(slug="aa")
    data = get(client, f"organizations/{hsds.hsds_id(f'organization:fellowship:{fellowship.pk}')}")
    assert data["alternate_name"] == "AA"
    assert [s["name"] for s in data["services"]] == ["Downtown Serenity Group"]
    taxonomy = get(client, f"taxonomies/{hsds.TAXONOMY['level'].id}")
    check("taxonomies/", taxonomy)
    assert taxonomy["name"] == "Levels of care"
    # A fellowship with no listed groups is not an organization here.
    na = Fellowship.objects.get(slug="na")
    get(client, f"organizations/{hsds.hsds_id(f'organization:fellowship:{na.pk}')}", status=404)


# --- Queries ---------------------------------------------------------------------------------

ENDPOINTS_FOR_COUNTING = [
    ("services", {}),
    ("services", {"full": "true"}),
    ("service_at_locations", {}),
    ("service_at_locations", {"full": "true"}),
    ("organizations", {}),
    ("taxonomy_terms", {}),
]


def _add_rows(n):
    women = Audience.objects.get(slug="women")
    aa = Fellowship.objects.get(slug="aa")
    for i in range(n):
        program = make_program(name=f"Extra Group {i}", fellowship=aa if i % 2 else None)
        program.audiences.set([women])
        program.languages.set(Language.objects.filter(code="en"))
        make_meeting(program, types=("O",), weekday=i % 7)
        make_meeting(program, types=("C",), weekday=(i + 1) % 7, location=make_location())
        center = make_center(name=f"Extra Centre {i}", locations=2)
        center.levels_of_care.set(ServiceOption.objects.filter(category="level")[:2])


def _count(client, endpoint, params):
    with CaptureQueriesContext(connection) as queries:
        get(client, endpoint, **params)
    return len(queries)


@pytest.mark.parametrize(("endpoint", "params"), ENDPOINTS_FOR_COUNTING)
def test_queries_per_page_do_not_grow_with_rows(
    client, directory, endpoint, params, django_assert_max_num_queries
):
    _add_rows(2)
    few = _count(client, endpoint, params)
    _add_rows(10)
    assert _count(client, endpoint, params) == few
    with django_assert_max_num_queries(16):
        get(client, endpoint, **params)


def test_query_counts_are_pinned(client, directory, django_assert_num_queries):
    _add_rows(3)
    # count x2, programs + audiences, centres + payment options + populations
    with django_assert_num_queries(7):
        get(client, "services")
    # ...plus languages, meetings and their types; centre places, levels, medications, languages
    with django_assert_num_queries(14):
        get(client, "services", full="true")
    # count, page of rows, programs + audiences, centres + two lookups, locations
    with django_assert_num_queries(8):
        get(client, "service_at_locations")


@pytest.mark.parametrize("endpoint", ["services", "organizations"])
def test_whole_list_totals_are_kept_until_a_listing_changes(
    client, shared_cache, endpoint, django_capture_on_commit_callbacks
):
    make_program(name="Alone One")
    url = f"/api/hsds/{endpoint}/"
    total = client.get(url).json()["total_items"]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).json()["total_items"] == total
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    with django_capture_on_commit_callbacks(execute=True):
        make_program(name="Alone Two")
    assert client.get(url).json()["total_items"] == total + 1
    # A narrowed list has its own count (see below).
    assert client.get(url, {"search": "Alone"}).json()["total_items"] == 2


@pytest.mark.parametrize(
    "endpoint,params",
    [
        ("services", {"search": "Alone"}),
        ("organizations", {"search": "Alone"}),
        ("service_at_locations", {"postcode": "43215", "proximity": "8000"}),
    ],
)
def test_narrowed_list_totals_are_kept_for_their_parameters(
    client, shared_cache, endpoint, params, django_capture_on_commit_callbacks
):
    make_program(name="Alone One")
    url = f"/api/hsds/{endpoint}/"

    def total(**more):
        with CaptureQueriesContext(connection) as ctx:
            found = client.get(url, {**params, **more}).json()["total_items"]
        return found, len([q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()])

    counted, reads = total()
    assert counted == 1 and reads > 0
    assert total() == (1, 0)
    assert total(page="2", per_page="1", full="true") == (1, 0)  # another page of it
    assert total(search="One")[1] > 0  # other parameters: counted for themselves
    with django_capture_on_commit_callbacks(execute=True):
        make_program(name="Alone Two")
    assert total()[0] == 2
