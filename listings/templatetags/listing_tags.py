import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..phone import DialIn, dialable

register = template.Library()

# The same escapes as Django's json_script: nothing in the data can close the <script> tag.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def jsonld(data):
    """schema.org data in a <script type="application/ld+json"> block (a data block: CSP-safe)."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.filter
def tel(number):
    """A tel: URL target: digits and a leading plus, then any pauses and codes written after
    the number ("+16465550100,,123#"), which would otherwise run into it."""
    return DialIn.read(number).one_tap or dialable(number)


@register.filter
def dial_in(phone, notes=""):
    """A meeting's dial-in read with its notes: `.tel` for the number alone, `.one_tap` for the
    number with the meeting ID and passcode dialled after pauses (empty when none is known)."""
    return DialIn.read(phone, notes)
