"""Helpers for the small pieces of HTML that list pages repeat dozens of times.

A list page shows twenty cards with up to a hundred meeting lines; written as included
templates, they took most of a page's Python time (docs/performance.md, "Rendering"). The
fragments are written in Python instead (programs/templatetags/program_cards.py,
activities/templatetags/activity_cards.py), as f-strings of pieces escaped one by one,
producing the same markup; these helpers give them what the template language did:
translated text, clock times, distances, escaping.

`text` looks a message up once per language and keeps it: the catalogue does not change
while a process runs, and a gettext call costs more than the rest of a meeting line.
Fragment modules import it as `_`, which `make messages` (xgettext) extracts like gettext.
"""

import datetime
import html

from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timezone import get_current_timezone_name, template_localtime
from django.utils.translation import get_language, gettext

from .cache import shared_version
from .week import day_name

_translated = {}
_clocks = {}
_labels = {}


class Kept(dict):
    """Values worked out once per key and kept in this process, up to `limit` of them; a
    full store is emptied rather than kept in order, and what is asked for again comes
    back soon enough. A key that cannot be hashed is worked out each time."""

    def __init__(self, limit):
        super().__init__()
        self.limit = limit

    def get_or_make(self, key, make):
        try:
            return self[key]
        except KeyError:
            pass
        except TypeError:
            return make()
        return self.put(key, make())

    def get_or_make_while_version(self, key, make):
        """get_or_make() under `key` and the listings' version, when every process sees
        the same one (a change anywhere then moves every process on); without one nothing
        can be kept, and `make()` runs each time."""
        number = shared_version()
        return make() if number is None else self.get_or_make((*key, number), make)

    def put(self, key, value):
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


def kept_on(row, name, key, make):
    """`make(row)`, kept on `row` under `name` for each `key` (a language, say).

    For what is written from a row a list keeps between requests (rows_in_order): its
    markers or its card then come with it, and go with it when a listing changes."""
    kept = row.__dict__.setdefault(name, {})
    if key not in kept:
        kept[key] = make(row)
    return kept[key]


def rows_in_order(queryset, keys, kept=None):
    """The rows of `queryset` with these keys, in the keys' order (one query; an ORDER BY
    would only cost its compiling).

    With `kept`, a (store, context) pair, rows already read are taken from the store, filed
    under (key, context), and only the others read and filed there. The context must hold
    all a row depends on besides its key: the listings' version, and the place its
    distance is measured from, if any. A row is otherwise the same in every list it
    appears in, so later pages, other filters and other visitors share it.
    """
    found = {}
    if kept is not None:
        store, context = kept
        for pk in keys:
            row = store.get((pk, context))
            if row is not None:
                found[pk] = row
    missing = [pk for pk in keys if pk not in found]
    if missing:
        for row in queryset.order_by().filter(pk__in=missing):
            found[row.pk] = row
            if kept is not None:
                store.put((row.pk, context), row)
    return [found[pk] for pk in keys if pk in found]


_dates = Kept(5000)


def text(message, language=None):
    """`message` in the active language, as {% translate %} gives it (not escaped again).

    Like the helpers below, it takes the active language from a caller that already has it:
    asking for it costs about as much as the rest of the lookup."""
    key = (language or get_language(), message)
    try:
        return _translated[key]
    except KeyError:
        _translated[key] = found = mark_safe(gettext(message))  # noqa: S308 (the catalogue)
        return found


def fill(translated, **values):
    """{% blocktranslate with name=value %}: a translated message with its values escaped."""
    return mark_safe(translated % {k: conditional_escape(v) for k, v in values.items()})  # noqa: S308


def clock(value, language=None):
    """A time of day as the |time:_("g:i A") filter writes it ("7:30 PM", "7:30 p. m."),
    escaped, like every value these helpers return."""
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        value = value.time()  # a clock reading ("7:30 PM") says nothing of the date
    key = (language or get_language(), value)
    try:
        return _clocks[key]
    except KeyError:
        pass
    found = escape(formats.time_format(value, text("g:i A")))
    # A day has at most 1,440 distinct clock times per language; aware datetimes are not kept.
    if isinstance(value, datetime.time):
        _clocks[key] = found
    return found


def date(value, format_string, language=None):
    """An aware datetime as the |date filter writes it: on the site's clock, localised.

    Kept per language, clock and format: Django reads the format letter by letter and
    looks up each name, about 75 microseconds a date, and an activity card writes four.
    """
    return _dates.get_or_make(
        (language or get_language(), get_current_timezone_name(), format_string, value),
        lambda: formats.date_format(template_localtime(value), format_string),
    )


def label(choices, value, language=None):
    """The label of a choice (a field's get_FOO_display()), looked up once per language."""
    key = (language or get_language(), choices, value)
    try:
        return _labels[key]
    except KeyError:
        # str() first: escape() of a lazy label would keep it lazy, translated at every use.
        _labels[key] = found = escape(str(dict(choices.choices).get(value, value)))
        return found


def weekday(value, language=None, capital=True):
    """The weekday's name, capitalised as a line of a schedule begins ("Monday", "Lunes"),
    or as within a sentence ("lunes")."""
    key = (language or get_language(), "weekday", value, capital)
    try:
        return _labels[key]
    except KeyError:
        name = str(day_name(value))
        _labels[key] = found = escape(capfirst(name) if capital else name)
        return found


def distance(miles):
    """A result's distance, when the list was searched near a place."""
    if miles is None:
        return ""
    return format_html('<span class="distance">{} mi</span>', floatformat(miles, 1))


def escaped(value):
    """conditional_escape() for a piece of an f-string: safe markup as it is, anything else
    escaped. Django's wraps escape() to accept lazy strings, which costs a card more than
    the escaping; here str() translates a lazy one."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
