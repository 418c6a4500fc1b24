import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.filters import CheckboxFilter, CheckboxMultiple, NearFilterSet
from listings.search import normalise_query
from listings.week import Weekday, weekday_of

from .models import Activity, Category
from .search import search_activities


class DateInput(forms.DateInput):
    input_type = "date"


def weekend_bounds(now=None):
    """Friday 5pm to Sunday midnight of this week (or the current weekend if it is one)."""
    today = timezone.localtime(now or timezone.now()).date()
    day = weekday_of(today)
    if day in (Weekday.SATURDAY, Weekday.SUNDAY):  # the weekend under way
        friday = today - datetime.timedelta(days=(day - Weekday.FRIDAY) % 7)
    else:
        friday = today + datetime.timedelta(days=Weekday.FRIDAY - day)
    start = timezone.make_aware(datetime.datetime.combine(friday, datetime.time(17)))
    end = timezone.make_aware(
        datetime.datetime.combine(friday + datetime.timedelta(days=3), datetime.time(0))
    )
    return start, end


class ActivityFilter(NearFilterSet):
    q = django_filters.CharFilter(label=_("Keyword"), method="filter_keyword", max_length=200)
    category = django_filters.MultipleChoiceFilter(
        label=_("Kind of activity"), choices=Category.choices, widget=CheckboxMultiple
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="ends_at", lookup_expr="date__gte", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="starts_at", lookup_expr="date__lte", widget=DateInput
    )
    weekend = CheckboxFilter(label=_("This weekend"), method="filter_weekend")
    attendance = django_filters.ChoiceFilter(
        label=_("How to take part"),
        choices=[("in_person", _("In person")), ("online", _("Online"))],
        method="filter_attendance",
        widget=forms.RadioSelect,
        empty_label=None,
    )
    free = CheckboxFilter(label=_("Free"), field_name="is_free")
    city = django_filters.CharFilter(
        label=_("City"), field_name="location__city", lookup_expr="iexact", max_length=100
    )

    class Meta:
        model = Activity
        fields = []

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now

    def filter_keyword(self, queryset, name, value):
        return search_activities(queryset, value) if normalise_query(value) else queryset

    def filter_weekend(self, queryset, name, value):
        if not value:
            return queryset
        start, end = weekend_bounds(self.now)
        return queryset.filter(starts_at__lt=end, ends_at__gt=start)

    def filter_attendance(self, queryset, name, value):
        if value == "online":
            return queryset.exclude(online_url="")
        if value == "in_person":
            return queryset.filter(location__isnull=False)
        return queryset

    default_radius = 25
    newest_first = False

    def filter_queryset(self, queryset):
        # Activities stay in date order: what is on soonest matters more than a mile or two.
        queryset = self.near(super().filter_queryset(queryset))
        if self.newest_first:
            return queryset.order_by("-starts_at", "name", "pk")
        return queryset.order_by("starts_at", "name", "pk")


class PastActivityFilter(ActivityFilter):
    newest_first = True
