"""Readers for values from files nobody here wrote: Meeting Guide feeds, FindTreatment downloads.

Each reader turns one raw value (a JSON number or string, a CSV cell) into what a field can
store, or raises an Unusable error saying what was wrong with it. The importers decide what
follows, each in its own words: a warning and the value left out, or the row rejected.

    clean_text        any value -> stripped text without NUL or other control characters
    read_url          -> an http(s) address, "https://" added to a bare "www.example.org"
    read_email        -> a valid e-mail address
    read_phone        -> a phone number; with dialable=True only what a phone can dial
    read_coordinates  -> a (latitude, longitude) pair on the globe, not the 0,0 placeholder
"""

import math
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

# Control characters that are not whitespace; the whitespace ones (tab, the line breaks, the
# file/group/record/unit separators) are treated as spaces or line breaks instead.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")

_http_url = URLValidator(schemes=["http", "https"])

MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a forward path, less its angle brackets
MIN_PHONE_DIGITS = 10  # a US number with its area code
_NOT_DIALABLE = re.compile(r"[^0-9+,*#]")


class Unusable(ValueError):
    """A value a reader cannot turn into what was asked for."""


class Unreadable(Unusable):
    """Not that kind of value at all: "north" for a latitude, "nobody@" for an e-mail."""


class TooLong(Unusable):
    """A good value longer than the field that would store it."""


class Incomplete(Unusable):
    """One half of a pair: a latitude without its longitude."""


class OffTheGlobe(Unusable):
    """Numbers that cannot be a position: latitude 95, NaN, infinity."""


class NotGeocoded(Unusable):
    """The position 0,0, in the Gulf of Guinea: what tools write for "not geocoded"."""


def clean_text(value, cap=None, *, one_line=False):
    """The value as stripped text that any database will store; "" for nothing.

    None, lists and dicts (a feed's structure, not its text) give "". Numbers read as
    written, whole floats without ".0". NUL and other control characters go (PostgreSQL
    refuses NUL), and so do unpaired surrogates from broken exports. With one_line, every
    run of whitespace, line breaks included, becomes one space. `cap` cuts the result.
    """
    if isinstance(value, str):
        text = value
    elif value is None or isinstance(value, dict | list):
        return ""
    else:
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            value = int(value)
        try:
            text = str(value)
        except ValueError:  # an integer too long for Python to print
            return ""
    if not text.isprintable():  # rare, and isprintable() is a quick scan
        text = _CONTROL.sub("", text).encode("utf-8", "replace").decode("utf-8")
    text = " ".join(text.split()) if one_line else text.strip()
    return text if cap is None else text[:cap]


def read_url(value, max_length):
    """An http or https address, or "" when the value is blank.

    "www.example.org" and "zoom.us/j/123", as people write them, get "https://" in front.
    Raises Unreadable for anything else that is not a valid address (javascript: links
    included), TooLong for a valid one longer than max_length.
    """
    text = clean_text(value)
    if not text:
        return ""
    if "://" not in text and "." in text and " " not in text:
        text = "https://" + text
    try:
        _http_url(text)
    except ValidationError:
        raise Unreadable("not a web address") from None
    if len(text) > max_length:
        raise TooLong(f"longer than {max_length} characters")
    return text


def read_email(value, max_length=MAX_EMAIL_LENGTH):
    """An e-mail address, or "" when the value is blank; Unreadable or TooLong otherwise."""
    text = clean_text(value)
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise Unreadable("not an e-mail address") from None
    if len(text) > max_length:
        raise TooLong(f"longer than {max_length} characters")
    return text


def read_phone(value, max_length=None, *, dialable=False):
    """A phone number on one line, or "" when the value is blank.

    With dialable, only what a phone can dial is kept (digits, "+", the pause "," and the
    keys "*" and "#"), and fewer than ten digits raises Unreadable. TooLong is raised past
    max_length, when one is given.
    """
    text = clean_text(value, one_line=True)
    if text and dialable:
        text = _NOT_DIALABLE.sub("", text)
        if sum(c.isdigit() for c in text) < MIN_PHONE_DIGITS:
            raise Unreadable(f"fewer than {MIN_PHONE_DIGITS} digits")
    if max_length is not None and len(text) > max_length:
        raise TooLong(f"longer than {max_length} characters")
    return text


def _blank(value):
    return value is None or value == ""


def read_coordinates(latitude, longitude):
    """(latitude, longitude) as floats, or (None, None) when both are blank.

    Raises Incomplete for only one of them, Unreadable when either is not a number,
    OffTheGlobe for NaN, infinity or a value out of range, and NotGeocoded for 0,0.
    """
    if _blank(latitude) and _blank(longitude):
        return None, None
    if _blank(latitude) or _blank(longitude):
        raise Incomplete("only one of latitude and longitude")
    try:
        lat, lng = float(latitude), float(longitude)
    except (TypeError, ValueError, OverflowError):
        raise Unreadable("not a pair of numbers") from None
    if not (math.isfinite(lat) and math.isfinite(lng)) or not (
        -90 <= lat <= 90 and -180 <= lng <= 180
    ):
        raise OffTheGlobe("off the globe")
    if lat == 0 and lng == 0:
        raise NotGeocoded("0,0")
    return lat, lng
