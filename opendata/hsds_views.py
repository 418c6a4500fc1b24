"""The Open Referral HSDS 3.0 API: read-only JSON under /api/hsds/ (see docs/hsds-api.md).

Views here read and check the query string, page through rows and wrap the answer; what the
objects look like is `hsds.py`'s business. Every error is JSON with a status and a message,
so a client never has to parse an HTML error page.
"""

import datetime
import math
import re
import uuid
from dataclasses import dataclass
from functools import wraps

from django.db.models import QuerySet
from django.http import JsonResponse
from django.utils import dateparse, timezone
from django.views.decorators.csrf import csrf_exempt

from listings.geo import approximate_coordinates
from listings.models import Location
from programs.models import Program, TreatmentCenter
from programs.search import terms

from . import hsds

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
ZIP_CODE = re.compile(r"(\d{5})(?:-?\d{4})?")
TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no", ""}


class ApiError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message):
    return ApiError(400, message)


def not_found(what, value):
    return ApiError(404, f"There is no published {what} with the id “{value}”.")


def _error(status, message):
    return JsonResponse({"status": status, "message": message}, status=status)


def api_view(view):
    """GET and HEAD only; JSON errors; open to pages on any site (CORS)."""

    @csrf_exempt  # nothing here changes state, so a POST should meet a 405, not a CSRF 403
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = _error(405, "This API is read-only: use GET (or HEAD).")
            response["Allow"] = "GET, HEAD"
        else:
            try:
                response = JsonResponse(hsds.public(view(request, *args, **kwargs)))
            except ApiError as exc:
                response = _error(exc.status, exc.message)
        response["Access-Control-Allow-Origin"] = "*"
        # The site's default (same-origin) would stop other sites' pages from reading the data.
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        if request.method == "HEAD":
            response.content = b""
        return response

    return wrapper


# --- Query string ----------------------------------------------------------------------------


def _whole_number(request, name, default):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise bad_request(f"“{name}” must be a whole number of 1 or more, not “{raw}”.")
    return value


def _flag(request, name):
    raw = request.GET.get(name, "").strip().lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise bad_request(f"“{name}” must be true or false, not “{raw}”.")


def _uuid(request, name):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise bad_request(f"“{name}” must be a UUID, not “{raw}”.") from None


def _path_uuid(value, what):
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise not_found(what, value) from None


def _modified_after(request):
    raw = request.GET.get("modified_after", "").strip()
    if not raw:
        return None
    # An unencoded "+01:00" in a query string arrives as " 01:00"; put the plus back.
    raw = re.sub(r" (\d\d:?\d\d)$", r"+\1", raw)
    try:
        moment = dateparse.parse_datetime(raw)
        if moment is None and (day := dateparse.parse_date(raw)) is not None:
            moment = datetime.datetime(day.year, day.month, day.day)
    except ValueError:
        moment = None
    if moment is None:
        raise bad_request(
            f"“modified_after” must be an ISO 8601 date-time such as 2025-01-31T00:00:00Z, "
            f"not “{raw}”."
        )
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:  # year 1 or 9999 pushed past the calendar by its offset
        raise bad_request(f"“modified_after” is outside the range of dates: “{raw}”.") from None


def _check_format(request):
    if request.GET.get("format", "json").strip().lower() != "json":
        raise bad_request("Only “format=json” is offered.")


def service_filters(request):
    filters = hsds.ServiceFilters(search=request.GET.get("search", ""))
    if term_id := _uuid(request, "taxonomy_term_id"):
        filters.term = next((t for t in hsds.all_terms() if t.id == term_id), None)
        filters.missing |= filters.term is None
    if taxonomy_id := _uuid(request, "taxonomy_id"):
        filters.taxonomy = next((t for t in hsds.TAXONOMIES if t.id == taxonomy_id), None)
        filters.missing |= filters.taxonomy is None
    if organization_id := _uuid(request, "organization_id"):
        filters.organization = hsds.find_organization(organization_id)
        filters.missing |= filters.organization is None
    filters.modified_after = _modified_after(request)
    return filters


def near(request):
    """The place filter of service_at_locations: None, a ZIP code, or (lat, lng, miles)."""
    postcode = request.GET.get("postcode", "").strip()
    proximity = request.GET.get("proximity", "").strip()
    if not postcode:
        if proximity:
            raise bad_request("“proximity” needs a “postcode” to measure from.")
        return None
    match = ZIP_CODE.fullmatch(postcode)
    point = approximate_coordinates(postal_code=match.group(1)) if match else None
    if point is None:
        raise bad_request(
            f"“postcode” must be a known US ZIP code such as 43215; “{postcode}” is not one."
        )
    if not proximity:
        return match.group(1)
    try:
        metres = float(proximity)
    except ValueError:
        metres = -1.0
    if not (math.isfinite(metres) and metres >= 0):
        raise bad_request(
            f"“proximity” must be a distance in metres of 0 or more, not “{proximity}”."
        )
    return point[0], point[1], metres / hsds.METRES_PER_MILE


# --- Pages -----------------------------------------------------------------------------------


@dataclass
class Source:
    """One run of rows in a list: counted apart, then sliced only if the page reaches it."""

    rows: QuerySet | list
    render: object  # callable: a slice of rows -> list of HSDS dicts
    counted: QuerySet | list | None = None

    def count(self):
        rows = self.rows if self.counted is None else self.counted
        return len(rows) if isinstance(rows, list) else rows.count()


def paginate(request, sources):
    """The HSDS Page object for the requested page of `sources` laid end to end."""
    _check_format(request)
    number = _whole_number(request, "page", 1)
    size = min(_whole_number(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    start, end = (number - 1) * size, number * size
    total, contents = 0, []
    for source in sources:
        count = source.count()
        low, high = max(start - total, 0), min(end - total, count)
        if low < high:
            contents += source.render(list(source.rows[low:high]))
        total += count
    pages = max(1, math.ceil(total / size))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": not contents,
        "contents": contents,
    }


def _matches_words(text, search):
    words = [w.casefold() for w in terms(search)]
    return all(w in text.casefold() for w in words)


def _name_search(rows, search, field="name"):
    for word in terms(search):
        rows = rows.filter(**{f"{field}__icontains": word})
    return rows


# --- Endpoints -------------------------------------------------------------------------------


@api_view
def root(request):
    return {
        "version": hsds.HSDS_VERSION,
        "profile": hsds.PROFILE_URL,
        "openapi_url": hsds.OPENAPI_URL,
    }


@api_view
def services(request):
    full = _flag(request, "full")
    programs, centers = hsds.filtered_services(service_filters(request))
    now = timezone.now()
    return paginate(
        request,
        [
            Source(
                hsds.decorate_programs(programs, full=full),
                lambda rows: [hsds.program_service(p, request, full=full, now=now) for p in rows],
                counted=programs,
            ),
            Source(
                hsds.decorate_centers(centers, full=full),
                lambda rows: [hsds.center_service(c, request, full=full, now=now) for c in rows],
                counted=centers,
            ),
        ],
    )


@api_view
def service(request, id):
    found = hsds.find_service(_path_uuid(id, "service"))
    if found is None:
        raise not_found("service", id)
    kind, row = found
    if kind == "program":
        return hsds.program_service(row, request, full=True)
    return hsds.center_service(row, request, full=True)


@api_view
def organizations(request):
    search = request.GET.get("search", "")
    published = Program.objects.published()
    groups = [
        spellings[0]
        for spellings in hsds.run_by_groups(published).values()
        if _matches_words(spellings[0], search)
    ]
    centers = TreatmentCenter.objects.published().order_by("name", "pk")
    alone = hsds.standalone_programs(published).order_by("name", "pk")
    return paginate(
        request,
        [
            Source(
                _name_search(centers, search),
                lambda rows: [hsds.center_org(c).as_hsds() for c in rows],
            ),
            Source(
                _name_search(hsds.organization_fellowships(), search),
                lambda rows: [hsds.fellowship_org(f).as_hsds() for f in rows],
            ),
            Source(groups, lambda rows: [hsds.run_by_org(name).as_hsds() for name in rows]),
            Source(
                _name_search(alone, search),
                lambda rows: [hsds.standalone_org(p).as_hsds() for p in rows],
            ),
        ],
    )


@api_view
def organization(request, id):
    org = hsds.find_organization(_path_uuid(id, "organization"))
    if org is None:
        raise not_found("organization", id)
    data = org.as_hsds()
    programs, centers = hsds.organization_services(
        org, Program.objects.published(), TreatmentCenter.objects.published()
    )
    # Each service in brief (the API reference allows as little as the id); the full records
    # are a /services?organization_id= request away.
    data["services"] = [
        {
            "id": hsds.hsds_id(f"{kind}:{row.pk}"),
            "name": row.name,
            "url": request.build_absolute_uri(row.get_absolute_url()),
        }
        for kind, rows in (("center", centers), ("program", programs))
        for row in rows.only("pk", "name", "slug").order_by("name", "pk")
    ]
    if org.key.startswith("center:"):
        places = Location.objects.filter(treatment_centers=org.key.split(":")[1])
        data["locations"] = [hsds.location_object(place, full=True) for place in places]
    return data


@api_view
def service_at_locations(request):
    full = _flag(request, "full")
    programs, centers = hsds.filtered_services(service_filters(request))
    pairs = hsds.service_location_pairs(programs, centers, near(request))
    now = timezone.now()
    return paginate(
        request,
        [Source(pairs, lambda rows: hsds.render_pairs(rows, request, full=full, now=now))],
    )


@api_view
def service_at_location(request, id):
    pair = hsds.find_pair(_path_uuid(id, "service_at_location"))
    if pair is None:
        raise not_found("service_at_location", id)
    return hsds.render_pairs([pair], request, full=True)[0]


@api_view
def taxonomies(request):
    search = request.GET.get("search", "")
    found = [t for t in hsds.TAXONOMIES if _matches_words(f"{t.name} {t.description}", search)]
    return paginate(request, [Source(found, lambda rows: [t.as_hsds() for t in rows])])


@api_view
def taxonomy(request, id):
    target = _path_uuid(id, "taxonomy")
    found = next((t for t in hsds.TAXONOMIES if t.id == target), None)
    if found is None:
        raise not_found("taxonomy", id)
    return found.as_hsds()


@api_view
def taxonomy_terms(request):
    search = request.GET.get("search", "")
    taxonomy_id = _uuid(request, "taxonomy_id")
    parent_id = _uuid(request, "parent_id")
    _flag(request, "top_only")  # checked only: every term here is a top-level term
    found = [
        term
        for term in hsds.all_terms()
        if (taxonomy_id is None or term.taxonomy.id == taxonomy_id)
        and _matches_words(f"{term.code} {term.name}", search)
        and parent_id is None  # no term here has a parent, so no term is anyone's child
    ]
    return paginate(
        request, [Source(found, lambda rows: [t.as_hsds(with_taxonomy=True) for t in rows])]
    )


@api_view
def taxonomy_term(request, id):
    target = _path_uuid(id, "taxonomy_term")
    found = next((t for t in hsds.all_terms() if t.id == target), None)
    if found is None:
        raise not_found("taxonomy_term", id)
    return found.as_hsds(with_taxonomy=True)
