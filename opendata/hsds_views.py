"""The Open Referral HSDS 3.0 API: read-only JSON under /api/hsds/ (see docs/hsds-api.md).

Views here read and check the query string, page through rows and wrap the answer; what the
objects look like is `hsds.py`'s business. Every error is JSON with a status and a message,
so a client never has to parse an HTML error page.
"""

import base64
import binascii
import datetime
import json
import math
import re
import uuid
from dataclasses import dataclass
from functools import wraps

from django.db.models import Q, QuerySet
from django.http import JsonResponse
from django.utils import dateparse, timezone
from django.views.decorators.csrf import csrf_exempt

from listings.cache import kept_until_change, shared_version
from listings.fragments import Kept
from listings.geo import approximate_coordinates
from listings.models import Location
from listings.views import chosen
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
            else:
                if next_url := getattr(request, "hsds_next", None):
                    response["Link"] = f'<{next_url}>; rel="next"'
                    # The page object's schema is closed, so the link travels as a header;
                    # pages on other sites may read it.
                    response["Access-Control-Expose-Headers"] = "Link"
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
    """One run of rows in a list: counted apart, then sliced only if the page reaches it.

    `key` names the fields the rows are ordered by (ascending, the last one unique), when
    they are: a cursor then continues after a row with a range on those fields instead of
    counting its way there (OFFSET), which costs the same on the last page as on the first.
    """

    rows: QuerySet | list
    render: object  # callable: a slice of rows -> list of HSDS dicts
    counted: QuerySet | list | None = None
    key: tuple = ()
    total: int | None = None  # the count, when already known

    def count(self):
        if self.total is not None:
            return self.total
        rows = self.rows if self.counted is None else self.counted
        return len(rows) if isinstance(rows, list) else rows.count()

    def after(self, values):
        """The rows after the row whose key fields hold `values`, and how many precede them."""
        later = Q()
        for i, field in enumerate(self.key):
            step = Q(**{f"{field}__gt": values[i]})
            for earlier, value in zip(self.key[:i], values[:i], strict=True):
                step &= Q(**{earlier: value})
            later |= step
        # Implied by the above, but a bound the database can start an index scan from.
        later &= Q(**{f"{self.key[0]}__gte": values[0]})
        counted = self.rows if self.counted is None else self.counted
        return self.rows.filter(later), counted.exclude(later).count()


def _totals(name, sources):
    """The sources' counts for an unnarrowed list, worked out once per version of the
    listings: a national directory's counts are full scans (about 30 ms for the programs,
    60 ms for the organizations' fellowships), the same for every crawler's every page."""
    totals = kept_until_change(f"hsds:{name}:totals", lambda: [s.count() for s in sources])
    for source, total in zip(sources, totals, strict=True):
        source.total = total
    return sources


# Parameters that choose a page of a list or its form, not which rows are in it.
PAGING = {"page", "cursor", "per_page", "full", "format"}
# Counts of narrowed lists, per process (_narrowed_totals).
_narrowed = Kept(2000)


def _narrowed_totals(request, sources):
    """The sources' counts for a list narrowed by a search, filter or place, kept per
    process while the listings' version holds, for the parameters that narrow it.

    Each page of such a list counts every row of it: 6 ms of PostgreSQL for the services
    within 5 km of ZIP code 10001 at national scale, on every page a client reads.
    """
    number = shared_version()
    if number is None:  # no version every process shares: nothing can be kept
        return sources
    key = (request.path, chosen(request.GET, PAGING), number)
    totals = _narrowed.get_or_make(key, lambda: [source.count() for source in sources])
    for source, total in zip(sources, totals, strict=True):
        source.total = total
    return sources


def _cursor(request, sources):
    """(source index, key values or None, offset) from the `cursor` parameter, or None.

    A cursor is only ever made by us (the next link), so any fault is one message.
    """
    raw = request.GET.get("cursor", "").strip()
    if not raw:
        return None
    if request.GET.get("page", "").strip():
        raise bad_request("Give “page” or “cursor”, not both.")
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"==="))
        index, values, offset = data["s"], data.get("k"), data.get("o", 0)
        source = sources[index]
        valid = (
            type(index) is int
            and index >= 0
            and type(offset) is int
            and offset >= 0
            and (
                values is None
                or (
                    isinstance(values, list)
                    and source.key
                    and len(values) == len(source.key)
                    and all(type(v) in (str, int) for v in values)
                )
            )
        )
    except (ValueError, UnicodeError, binascii.Error, KeyError, IndexError, TypeError):
        valid = False
    if not valid:
        raise bad_request("“cursor” is not one this API gave: follow the next link as it is.")
    return index, values, offset


def _next_link(request, index, source, row, offset):
    """The address of the page after the one that ended with `row` of sources[index]."""
    if source.key:
        data = {"s": index, "k": [getattr(row, field) for field in source.key]}
    else:
        data = {"s": index, "o": offset}
    token = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
    query = request.GET.copy()
    query.pop("page", None)
    query["cursor"] = token.decode().rstrip("=")
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(request, sources):
    """The HSDS Page object for the requested page of `sources` laid end to end.

    Pages are asked for by number (`page`) or by the `cursor` of the next link (a `Link`
    header on every page but the last), which never counts its way past earlier rows.
    """
    _check_format(request)
    size = min(_whole_number(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    cursor = _cursor(request, sources)
    counts = [source.count() for source in sources]
    total, contents, last = sum(counts), [], None
    if cursor is None:
        number = _whole_number(request, "page", 1)
        start = before = (number - 1) * size
        seen = 0
        for index, (source, count) in enumerate(zip(sources, counts, strict=True)):
            low, high = max(start - seen, 0), min(start + size - seen, count)
            if low < high:
                rows = list(source.rows[low:high])
                contents += source.render(rows)
                last = index, rows[-1], high
            seen += count
    else:
        index, values, offset = cursor
        source = sources[index]
        if values is not None:
            rows, skipped = source.after(values)
        else:
            rows, skipped = source.rows[offset:], offset
        before = sum(counts[:index]) + skipped
        number = before // size + 1
        while len(contents) < size and index < len(sources):
            taken = list(rows[: size - len(contents)])
            if taken:
                contents += sources[index].render(taken)
                last = index, taken[-1], skipped + len(taken)
            index += 1
            if index < len(sources):
                rows, skipped = sources[index].rows, 0
    if last is not None and before + len(contents) < total:
        index, row, offset = last
        request.hsds_next = _next_link(request, index, sources[index], row, offset)
    pages = max(1, math.ceil(total / size))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": before + len(contents) >= total,
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
    filters = service_filters(request)
    programs, centers = hsds.filtered_services(filters)
    # By name, then id (as filtered_services orders them), unless ranked by a search.
    key = () if terms(filters.search) else ("name", "pk")
    now = timezone.now()
    sources = [
        Source(
            hsds.decorate_programs(programs, full=full),
            lambda rows: [hsds.program_service(p, request, full=full, now=now) for p in rows],
            counted=programs,
            key=key,
        ),
        Source(
            hsds.decorate_centers(centers, full=full),
            lambda rows: [hsds.center_service(c, request, full=full, now=now) for c in rows],
            counted=centers,
            key=key,
        ),
    ]
    if filters == hsds.ServiceFilters():
        sources = _totals("services", sources)
    else:
        sources = _narrowed_totals(request, sources)
    return paginate(request, sources)


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
    every_group = kept_until_change(
        "hsds:run-by-groups",
        lambda: [spellings[0] for spellings in hsds.run_by_groups(published).values()],
    )
    groups = [name for name in every_group if _matches_words(name, search)]
    centers = TreatmentCenter.objects.published().order_by("name", "pk")
    alone = hsds.standalone_programs(published).order_by("name", "pk")
    sources = [
        Source(
            _name_search(centers, search),
            lambda rows: [hsds.center_org(c).as_hsds() for c in rows],
            key=("name", "pk"),
        ),
        Source(
            _name_search(hsds.organization_fellowships(), search),
            lambda rows: [hsds.fellowship_org(f).as_hsds() for f in rows],
            key=("name", "pk"),
        ),
        Source(groups, lambda rows: [hsds.run_by_org(name).as_hsds() for name in rows]),
        Source(
            _name_search(alone, search),
            lambda rows: [hsds.standalone_org(p).as_hsds() for p in rows],
            key=("name", "pk"),
        ),
    ]
    if not search:
        sources = _totals("organizations", sources)
    else:
        sources = _narrowed_totals(request, sources)
    return paginate(request, sources)


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
    sources = [Source(pairs, lambda rows: hsds.render_pairs(rows, request, full=full, now=now))]
    return paginate(request, _narrowed_totals(request, sources))


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
