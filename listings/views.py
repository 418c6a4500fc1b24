"""What every filtered public list shares: paging, active-filter chips, one query shape."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from .cache import VERSIONED_SECONDS, shared_version
from .fragments import Kept, rows_in_order
from .maps import map_context

IGNORED_PARAMS = {"page", "sort"}


def chosen(params, leave_out=IGNORED_PARAMS):
    """The values chosen in a list's parameters but `leave_out`, blank ones aside, in a
    fixed order: what a count or a part of the page kept for them is filed under."""
    return tuple(
        sorted(
            (name, value)
            for name, values in params.lists()
            if name not in leave_out
            for value in values
            if value.strip()
        )
    )


_counts = Kept(5000)
# Orders kept per choice of filters (FilteredListView.kept_order): keyword searches' matches
# (up to the count cap, so few are kept), and what is near a place (a few hundred keys).
_ranked = Kept(16)
_nearest = Kept(32)
# The browser's position: two hidden fields, one filter to the visitor.
POSITION_PARAMS = ("lat", "lng")


def active_filters(filterset, params):
    """One removable chip per chosen value: (“Tuesday”, URL of this page without it)."""
    chips = []
    form = filterset.form
    place = getattr(filterset, "place", None)
    if any(params.get(name, "").strip() for name in POSITION_PARAMS):
        params = params.copy()
        position = {name: params.pop(name) for name in POSITION_PARAMS if name in params}
        # A position left unused (unreadable, or a place was typed after it) is no filter,
        # and the form no longer sends it; the other chips' links leave it out too.
        if place is not None and place.kind == "coords":
            chips.append({"label": _("Near your location"), "url": _without(params, "page")})
            for name, values in position.items():
                params.setlist(name, values)
    for name, field in form.fields.items():
        if name in IGNORED_PARAMS or name in POSITION_PARAMS or name not in params:
            continue
        values = [v for v in params.getlist(name) if v.strip()]
        if not values:
            continue
        labels = dict(_choices(field))
        for value in values:
            remaining = params.copy()
            remaining.setlist(name, [v for v in values if v != value])
            remaining.pop("page", None)
            if field.widget.__class__.__name__ == "CheckboxInput":
                text = str(field.label)
            else:
                text = f"{field.label}: {labels.get(value, value)}"
            chips.append({"label": text, "url": "?" + remaining.urlencode()})
    return chips


def _without(params, name):
    remaining = params.copy()
    remaining.pop(name, None)
    return "?" + remaining.urlencode()


def _choices(field):
    choices = getattr(field, "choices", None)
    if choices is None:
        return []
    out = []
    for value, label in choices:
        key = getattr(value, "value", value)  # ModelChoiceIteratorValue
        if hasattr(key, "pk") and hasattr(field, "to_field_name") and field.to_field_name:
            key = getattr(key, field.to_field_name)
        out.append((str(key), str(label)))
    return out


class CappedPaginator(Paginator):
    """Counts matches only up to `LISTINGS_COUNT_CAP`, then says "more than".

    An exact count of a broad search reads every matching row (90 ms for the 100,000
    published programs of a national directory), while no one pages past the first few
    hundred results; a narrower search is the way on.
    """

    @cached_property
    def cap(self):
        return settings.LISTINGS_COUNT_CAP

    # Set by the list view: where this count is kept until a listing changes, or None; and
    # whether it holds only for the minute (then kept in this process alone).
    count_key = None
    count_for_the_minute = False

    @cached_property
    def counted(self):
        rows, limit = self.object_list, self.cap + 1
        if hasattr(rows, "count_upto"):
            count = lambda: rows.count_upto(limit)  # noqa: E731
        else:
            count = lambda: rows.order_by().values("pk")[:limit].count()  # noqa: E731
        number = shared_version() if self.count_key else None
        if number is None:
            return count()
        # Kept in the shared cache, and up to 5,000 of them in this process too: every
        # combination of filters has its own count, so a process must not collect them
        # without bound. The version in the key retires them all at a change.
        key = f"{self.count_key}:{limit}:v{number}"
        if self.count_for_the_minute:
            found = _counts.get_or_make(key, count)
        else:
            found = _counts.get_or_make(
                key, lambda: cache.get_or_set(key, count, VERSIONED_SECONDS)
            )
        if hasattr(rows, "counted"):
            rows.counted = (limit, found)  # ByNextMeeting reads it too
        return found

    @property
    def capped(self):
        return self.counted > self.cap

    @cached_property
    def count(self):
        return min(self.counted, self.cap)


class Deferred:
    """A queryset made only when something reads it: for the kept orders, counts and rows.

    Making a list's queryset (each filter's conditions, their subqueries, the order) cost
    a millisecond or more of Python a request, while a page whose order, count and rows are
    all kept never runs it. KeptOrder, ByNextMeeting and the like take one of these and ask
    it for something only when what they keep falls short; they know the model without it.
    """

    def __init__(self, model, make):
        self.model, self._make = model, make

    @cached_property
    def made(self):
        return self._make()

    def __getattr__(self, name):
        # Only what this class lacks lands here; names of its own must not make the queryset.
        if name.startswith("__") or name in ("_make", "made", "model"):
            raise AttributeError(name)
        return getattr(self.made, name)


def made(rows):
    """The queryset itself, for whatever reads it as a sequence (a paginator)."""
    return rows.made if isinstance(rows, Deferred) else rows


class KeptOrder:
    """A sorted queryset read as its keys once, in order, and kept (by `keys`, a callable);
    each page is sliced from them and only its rows read. The paginator takes it for a
    queryset.

    For orders the database works hard for: a keyword search ranks every match to show
    twenty (18,078 programs for "alcoholics" at national scale, 25 ms of PostgreSQL), and
    a place's results are sorted by a distance worked out for each (759 programs within
    10 miles of 10001, 7 ms); with the order kept, each further page and visitor of that
    choice reads twenty rows by key.
    """

    ordered = True

    def __init__(self, queryset, keys, kept_rows=None):
        self.queryset, self.model, self.keys = queryset, queryset.model, keys
        self.kept_rows = kept_rows  # (store, context) for rows_in_order, or None

    def count(self):
        return self.queryset.order_by().count()

    def count_upto(self, limit):
        return self.queryset.order_by().values("pk")[:limit].count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        page = self.keys()[index]
        return rows_in_order(self.queryset, page, self.kept_rows) if page else []


class FilteredListView(FilterView):
    """A public list: django-filter's FilterView over a named queryset, paged, with chips.

    The filter set is always bound, so an empty query still gets the default sort, and it
    is lenient: invalid values are reported beside their control while the valid ones
    still narrow the list. Page numbers out of range fall back to a real page, never a 404.
    """

    strict = False
    paginator_class = CappedPaginator
    # Whether counts are kept until a listing changes (a first request for a combination of
    # filters counts; the next ones read the number), and the parameters that make a count
    # depend on the clock, so that it is never kept.
    keep_counts = False
    clock_params = ()
    # Whether what the list holds moves with the clock whatever is chosen (activities not
    # yet over): then its count and orders are kept for the minute, in this process.
    on_the_clock = False

    def minute(self):
        return timezone.now().replace(second=0, microsecond=0)

    def get_paginate_by(self, queryset):
        return settings.LISTINGS_PER_PAGE

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        paginator.count_key = self.count_key()
        paginator.count_for_the_minute = self.on_the_clock
        return paginator

    def count_key(self):
        """Where this list's count is kept, or None when it must be counted each time."""
        params = self.request.GET
        if not self.keep_counts or any(params.get(name) for name in self.clock_params):
            return None
        # The language too: keyword search stems words by the page's language.
        what = (type(self).__name__, get_language(), sorted(self.kwargs.items()))
        what = repr((*what, list(chosen(params)), self.minute() if self.on_the_clock else None))
        return "list-count:" + hashlib.sha256(what.encode()).hexdigest()[:40]

    def choice_key(self, leave_out=("page",)):
        """What this list's choice of filters is kept under (all but `leave_out`): the view
        and its arguments (a kind), the filters, the language (keyword search stems by it),
        the minute with a filter on the clock, and the listings' version."""
        params = self.request.GET
        minute = None
        if self.on_the_clock or any(params.get(name) for name in self.clock_params):
            minute = self.minute()
        choice = (
            type(self).__name__,
            tuple(sorted(self.kwargs.items())),
            chosen(params, leave_out),
        )
        return (*choice, get_language(), minute, shared_version())

    # Where the order of each sort is kept (see kept_order).
    kept_orders = {"relevance": _ranked, "distance": _nearest}

    def kept_order(self, queryset, store=None):
        """`queryset` as a KeptOrder, kept in `store` or else where its sort is kept (for
        sorts the database works hard for), when every process sees the same listings'
        version; else as it is."""
        if store is None:
            store = self.kept_orders.get(getattr(self.filterset, "sort_key", None))
        if store is None or shared_version() is None:
            return queryset

        def keys():
            return store.get_or_make(
                self.choice_key(),
                lambda: list(
                    queryset.prefetch_related(None).values_list("pk", flat=True)[
                        : settings.LISTINGS_COUNT_CAP
                    ]
                ),
            )

        return KeptOrder(queryset, keys, self.kept_rows())

    # Where a list's rows are kept between requests (see kept_rows), or None.
    rows_store = None

    def kept_rows(self, anywhere=False):
        """Where the rows a page reads are kept (see rows_in_order), and what they depend
        on besides their key: the listings' version, and the place their distance is
        measured from, if any (`anywhere`: none). None without a cache every process
        shares: nothing is kept."""
        number = shared_version()
        if self.rows_store is None or number is None:
            return None
        filterset = self.filterset
        origin = None
        if getattr(filterset, "has_place", False) and not anywhere:
            origin = (filterset.place.latitude, filterset.place.longitude)
        return self.rows_store, (origin, number)

    def get(self, request, *args, **kwargs):
        # FilterView.get, lenient, with the list's queryset made only if the page reads it.
        self.filterset = self.get_filterset(self.get_filterset_class())
        self.object_list = Deferred(self.filterset._meta.model, lambda: self.filterset.qs)
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    def get_filterset_kwargs(self, filterset_class):
        return {
            "data": self.request.GET,
            "request": self.request,
            "queryset": Deferred(filterset_class._meta.model, self.get_queryset),
        }

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(made(queryset), page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        context["active_filters"] = active_filters(filterset, self.request.GET)
        context.update(map_context(context["object_list"], getattr(filterset, "place", None)))
        return context

    def render_to_response(self, context, **response_kwargs):
        # Read last, after the place: resolving it may add a message to the form (whether or
        # not the filters themselves ran).
        getattr(self.filterset, "place", None)
        context["filters_invalid"] = bool(self.filterset.form.errors)
        context.update(self.part_keys(context))
        return super().render_to_response(context, **response_kwargs)

    def part_keys(self, context):
        """What the parts of the page written from the choice of filters alone are kept
        under ({% keptfor %}): the filter form, for the choice (every page of it shows the
        same form), and the glossary of meeting types, for the types. Nothing is kept
        without a version every process shares."""
        number = shared_version()
        if number is None:
            return {}
        keys = {"form_key": self.choice_key()}
        types = context.get("page_types")
        if types:
            keys["glossary_key"] = (tuple(t.pk for t in types), number)
        return keys


def detail_key(kind, slug):
    """What the body of a listing's page is kept under ({% keptpage %}): the listing, the
    listings' version and the hour (a meeting's zone is named as it will be at its next
    start, which daylight saving moves). None without a version every process shares."""
    number = shared_version()
    if number is None:
        return None
    return (kind, slug, number, timezone.now().replace(minute=0, second=0, microsecond=0))
