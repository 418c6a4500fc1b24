"""{% kept %}: parts of the page chrome written once per language and kept.

The header, crisis lines and footer are the same on every page in a language but for a
value or two (the section the page is in); rendering them again cost about a millisecond
of each page. The part between {% kept %} and {% endkept %} is rendered once per language
and per value named after the tag, then kept in this process:

    {% kept nav_section %}…{% endkept %}

What it shows must depend on nothing else but settings, which clear what is kept when
they change (as tests change them).
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import get_language

from listings.fragments import Kept

register = template.Library()

# A few parts times two languages times a handful of values; the limit only guards against
# a value that was never meant to vary.
_kept = Kept(200)


class KeptNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist, self.values = nodelist, values

    def render(self, context):
        # The node itself is part of the key: a template read again (edited while the
        # development server runs) has new nodes, and nothing kept for the old ones matches.
        key = (self, get_language(), *(value.resolve(context) for value in self.values))
        return _kept.get_or_make(key, lambda: self.nodelist.render(context))


@register.tag
def kept(parser, token):
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, values)


# Parts kept for a key a view works out (keptfor): a filter form is 10–20 KB of markup.
_kept_for = Kept(500)
# The bodies of listings' pages (keptpage), apart: a crawler reading every page of a
# national directory empties this store often, and must not take the forms with it.
_kept_pages = Kept(1000)


class KeptForNode(template.Node):
    def __init__(self, nodelist, key, store):
        self.nodelist, self.key, self.store = nodelist, key, store

    def render(self, context):
        key = self.key.resolve(context)
        if not key:  # None, or not given (an empty string in a template)
            return self.nodelist.render(context)
        return self.store.get_or_make(
            (self, get_language(), key), lambda: self.nodelist.render(context)
        )


@register.tag
def keptfor(parser, token):
    """{% keptfor key %}…{% endkeptfor %}: the part written once for each `key` (and
    language) and kept in this process; written every time when `key` is None or not given.

    The view names in `key` everything the part shows, the listings' version among it, so
    that nothing else can change it: a list's filter form, for instance, is kept for the
    list's choice of filters (FilteredListView.part_keys).
    """
    return _kept_for_node(parser, token, _kept_for)


@register.tag
def keptpage(parser, token):
    """{% keptpage key %}…{% endkeptpage %}: as {% keptfor %}, for the body of a listing's
    page (its key from listings.views.detail_key), kept in a store of its own."""
    return _kept_for_node(parser, token, _kept_pages)


def _kept_for_node(parser, token, store):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{{% {bits[0]} %}} takes one key")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return KeptForNode(nodelist, parser.compile_filter(bits[1]), store)


@receiver(setting_changed)
def _forget(**kwargs):
    _kept.clear()
    _kept_for.clear()
    _kept_pages.clear()
