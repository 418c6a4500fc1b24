"""An activity in a list (the activities pages, the home page, a host's own page).

Written once, here, with format_html rather than as an included template: see
listings/fragments.py.
"""

from django import template
from django.utils.html import format_html

from listings.fragments import date, distance, join, label
from listings.fragments import text as _

from ..models import Category

register = template.Library()


@register.simple_tag
def activity_card(activity):
    if activity.is_free:
        cost = _("Free")
    else:
        cost = format_html("{} {}", _("Cost:"), activity.cost_notes or _("see details"))
    location = activity.location
    place = [format_html("{}, {}", location.city, location.state) if location else ""]
    if location and activity.online_url:
        place.append(format_html(" {} ", _("and")))
    if activity.online_url:
        place.append(_("Online"))
    return format_html(
        '<article class="card" aria-labelledby="activity-{}-name"><h3 class="card-title"'
        ' id="activity-{}-name"><a href="{}">{}</a></h3><p class="card-meta">'
        '<span class="tag">{}</span><span class="tag">{}</span>{}</p><p class="card-when">'
        '<time datetime="{}">{}</time>–<time datetime="{}">{}</time></p>'
        '<p class="card-place">{}</p></article>',
        activity.pk,
        activity.pk,
        activity.get_absolute_url(),
        activity.name,
        label(Category, activity.category),
        cost,
        distance(getattr(activity, "distance_miles", None)),
        date(activity.starts_at, "c"),
        date(activity.starts_at, _("l, F j, g:i A")),
        date(activity.ends_at, "c"),
        date(activity.ends_at, _("g:i A")),
        join(place),
    )
