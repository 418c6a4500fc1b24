"""Filter-set bases for every public list: tick boxes, cleaned values, sorting, “near a place”.

Every filter is a GET parameter, so every result page is a shareable URL; invalid values are
reported beside their control and otherwise ignored.
"""

import copy

import django_filters
from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from . import geo
from .search import normalise_query


class CheckboxMultiple(forms.CheckboxSelectMultiple):
    """Checkbox groups render inside a fieldset with a legend (see templates)."""


class CheckboxFilter(django_filters.BooleanFilter):
    """A single tick box: ticked narrows the list, unticked means “don't care”, not “no”."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput)
        kwargs.setdefault("template_name", "includes/forms/checkbox_field.html")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return super().filter(qs, True) if value else qs


class _Filters(dict):
    """A filter set class's filters, copied for each filter set without their options.

    django-filter deep-copies every filter, with its widget and choices, for each filter
    set, so that the copy can point at its own filter set; the options never change, and
    copying them came to about a millisecond of every list page.
    """

    def __deepcopy__(self, memo):
        copies = {}
        for name, original in self.items():
            copies[name] = copied = copy.copy(original)
            if original.method is not None:
                copied.method = original.method  # a method bound to the copy's filter set
        return copies


class _Fields(dict):
    """A form class's fields, shared by its forms: see ListingFilterSet.get_form_class."""

    def __deepcopy__(self, memo):
        return dict(self)


class ListingFilterSet(django_filters.FilterSet):
    """A public list's filters: read values that validated, ignore the rest, pick a sort."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.label_suffix = ""

    @classmethod
    def get_filters(cls):
        """The class's filters (django-filter's base_filters), copied cheaply per filter set."""
        return _Filters(super().get_filters())

    def get_form_class(self):
        """The form class, built once per filter set class rather than on every request.

        django-filter builds a new class from fresh form fields for each filter set; these
        depend on nothing a request brings (choices read from the database are callables,
        evaluated whenever a form lists them). Its forms share the fields rather than each
        copying them, as Django's forms do: nothing changes a filter form's fields.
        """
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = _Fields(form_class.base_fields)
            cls._form_class = form_class
        return form_class

    def filter_noop(self, queryset, name, value):
        """For parameters the filter set reads itself (places, sorting) rather than filters on."""
        return queryset

    def cleaned(self, name):
        """A filter's value if valid; invalid filters are reported and otherwise ignored."""
        self.form.is_valid()
        return self.form.cleaned_data.get(name)

    @property
    def has_keyword(self):
        return bool(normalise_query(self.cleaned("q")))

    @property
    def sort_options(self):
        """Sort choices that make sense now: “best match” only once there is a keyword."""
        return [
            (key, label)
            for key, label in self.form.fields["sort"].choices
            if key
            and (key != "relevance" or self.has_keyword)
            and (key != "distance" or self.has_place)
        ]

    @property
    def has_place(self):
        return getattr(self, "place", None) is not None and self.place.found

    def sort_key_or(self, default):
        chosen = self.cleaned("sort") or ""
        if chosen == "relevance" and not self.has_keyword:
            chosen = ""
        if chosen == "distance" and not self.has_place:
            chosen = ""
        if chosen:
            return chosen
        if self.has_place:
            return "distance"
        return "relevance" if self.has_keyword else default


class NearFilterSet(ListingFilterSet):
    """“Near a place” for any list: a typed ZIP code, town, county or state, or the browser's
    position.

    A place with a point narrows results to a radius (bounding box on the indexed search
    position first, then the exact great-circle distance computed in the database),
    annotates each result with `distance_miles` and makes distance the default sort; a
    county's radius is at least its reach. A state narrows to the listings whose place is
    in it, and the list keeps its default sort. A place that cannot be read, typed or
    sent by the browser, becomes a message beside the “where” box; the other filters
    still apply.
    """

    where = django_filters.CharFilter(
        label=_("Near (ZIP code or town)"), method="filter_noop", max_length=geo.MAX_QUERY_LENGTH
    )
    radius = django_filters.ChoiceFilter(
        label=_("Within"),
        choices=[
            (str(m), format_lazy(ngettext_lazy("{count} mile", "{count} miles", m), count=m))
            for m in geo.RADIUS_CHOICES
        ],
        method="filter_noop",
        empty_label=None,
    )
    lat = django_filters.CharFilter(method="filter_noop", widget=forms.HiddenInput)
    lng = django_filters.CharFilter(method="filter_noop", widget=forms.HiddenInput)

    default_radius = 10
    # Where the searchable position lives, relative to the listed model.
    position_fields = ("location__search_latitude", "location__search_longitude")
    # Where the place's state lives, relative to the listed model.
    state_field = "location__state"

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("radius"):
            # The radius select shows (and uses) this list's default until one is chosen.
            data = data.copy()
            data["radius"] = str(self.default_radius)
        super().__init__(data, *args, **kwargs)
        self._place = None

    @property
    def place(self):
        """The resolved place (a geo.PlaceResult), worked out once per request."""
        if self._place is None:
            self._place = self._read_place()
            if self._place.kind in ("unknown", "ambiguous") and "where" not in self.form.errors:
                self.form.add_error("where", self._place.message)
        return self._place

    def _read_place(self):
        typed = (self.data.get("where") or "").strip()
        lat, lng = self.cleaned("lat"), self.cleaned("lng")
        if typed:
            # "Use my location" empties the box before it sends a position, so text beside
            # a position was typed later: it is what the visitor wants now.
            if lat or lng:
                self._forget_position()
            return geo.resolve_place(self.cleaned("where") or typed)
        if not (lat or lng):
            return geo.EMPTY
        position = geo.parse_coordinates(lat, lng)
        if position is None:
            self._forget_position()
            return geo.unreadable_position()
        return position

    def _forget_position(self):
        """Leave a position that was not used out of the form, so it is not sent again."""
        data = self.form.data.copy()
        data["lat"] = data["lng"] = ""
        self.form.data = data

    @property
    def place_state(self):
        """The state's code when the visitor asked for a whole state ("Ohio"), else ""."""
        return self.place.state if self.place.kind == "state" else ""

    @property
    def has_area(self):
        """Whether a place narrows the list, by distance or to a state."""
        return self.has_place or bool(self.place_state)

    @property
    def radius_miles(self):
        chosen = int(self.cleaned("radius") or self.default_radius)
        # A county is searched as a circle round its centre: a smaller one would cut it.
        return max(chosen, self.place.reach_miles)

    def state_q(self, code):
        """The listings whose place is in the state `code`."""
        return Q(**{self.state_field: code})

    def near(self, queryset):
        place = self.place
        if self.place_state:
            return queryset.filter(self.state_q(self.place_state))
        if not place.found:
            return queryset
        lat_field, lng_field = self.position_fields
        min_lat, max_lat, min_lng, max_lng = geo.bounding_box(
            place.latitude, place.longitude, self.radius_miles
        )
        return (
            queryset.filter(
                **{
                    f"{lat_field}__range": (min_lat, max_lat),
                    f"{lng_field}__range": (min_lng, max_lng),
                }
            )
            .annotate(
                distance_miles=geo.distance_expression(
                    place.latitude, place.longitude, lat_field, lng_field
                )
            )
            .filter(distance_miles__lte=self.radius_miles)
        )
