"""What every filtered public list shares: paging, active-filter chips, one query shape."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.views import View

from .maps import map_context

IGNORED_PARAMS = {"page", "sort"}


def active_filters(filterset, params):
    """One removable chip per chosen value: (“Tuesday”, URL of this page without it)."""
    chips = []
    form = filterset.form
    for name, field in form.fields.items():
        if name in IGNORED_PARAMS or name not in params:
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
                text = field.label
            else:
                text = f"{field.label}: {labels.get(value, value)}"
            chips.append({"label": text, "url": "?" + remaining.urlencode()})
    return chips


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


class FilteredListView(View):
    """GET-only list: a FilterSet over a named queryset, paged, with chips and a count."""

    filterset_class = None
    template_name = None

    def get_queryset(self):
        raise NotImplementedError

    def get_filterset_kwargs(self):
        return {}

    def get_extra_context(self, filterset, page_obj):
        return {}

    def get_paginate_by(self):
        return settings.LISTINGS_PER_PAGE

    def get(self, request, *args, **kwargs):
        params = request.GET if request.GET else QueryDict()
        filterset = self.filterset_class(
            params, queryset=self.get_queryset(), request=request, **self.get_filterset_kwargs()
        )
        paginator = Paginator(filterset.qs, self.get_paginate_by())
        page_obj = paginator.get_page(request.GET.get("page"))
        context = {
            "filter": filterset,
            "page_obj": page_obj,
            "object_list": page_obj.object_list,
            "paginator": paginator,
            "active_filters": active_filters(filterset, params),
        }
        context.update(map_context(page_obj.object_list, getattr(filterset, "place", None)))
        context.update(self.get_extra_context(filterset, page_obj))
        # Read last: resolving the place may have added a message to the form.
        context["filters_invalid"] = bool(filterset.form.errors)
        return render(request, self.template_name, context)
