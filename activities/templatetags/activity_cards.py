"""An activity in a list (the activities pages, the home page, a host's own page).

Written once, here, with format_html rather than as an included template: see
listings/fragments.py.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from listings.fragments import date, distance, escaped, kept_on, label
from listings.fragments import text as _

from ..models import Category

register = template.Library()


@register.simple_tag
def activity_card(activity):
    """Written as program cards are (programs/templatetags/program_cards.py), and kept on
    the activity for each language: a list's rows are kept between requests (with their
    distance, which the card shows), and their cards with them."""
    language = get_language()
    return kept_on(activity, "_cards", language, lambda row: _card(row, language))


def _card(activity, language):
    if activity.is_free:
        cost = _("Free", language)
    else:
        notes = escaped(activity.cost_notes) if activity.cost_notes else _("see details", language)
        cost = _("Cost:", language) + " " + notes
    location = activity.location
    place = f"{escaped(location.city)}, {escaped(location.state)}" if location else ""
    if activity.online_url:
        if location:
            place += " " + _("and", language) + " "
        place += _("Online", language)
    pk = int(activity.pk)
    starts, ends = activity.starts_at, activity.ends_at
    # Formats are messages too: looked up outside the f-string, where xgettext finds them.
    day_and_time, time_only = _("l, F j, g:i A", language), _("g:i A", language)
    return mark_safe(  # noqa: S308 (every piece is escaped here or by the helpers)
        f'<article class="card" aria-labelledby="activity-{pk}-name"><h3 class="card-title"'
        f' id="activity-{pk}-name"><a href="{escaped(activity.get_absolute_url())}">'
        f'{escaped(activity.name)}</a></h3><p class="card-meta">'
        f'<span class="tag">{label(Category, activity.category, language)}</span>'
        f'<span class="tag">{cost}</span>{distance(getattr(activity, "distance_miles", None))}'
        f'</p><p class="card-when"><time datetime="{escaped(date(starts, "c", language))}">'
        f"{escaped(date(starts, day_and_time, language))}</time>–"
        f'<time datetime="{escaped(date(ends, "c", language))}">'
        f"{escaped(date(ends, time_only, language))}</time></p>"
        f'<p class="card-place">{place}</p></article>'
    )
