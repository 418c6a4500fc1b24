"""The helpers list fragments are written with (listings/fragments.py)."""

import datetime

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from listings.fragments import Kept, date, escaped, label
from programs.models import Attendance

NOON_UTC = datetime.datetime(2026, 12, 1, 17, 0, tzinfo=datetime.UTC)


def test_a_date_is_written_in_the_page_language_each_time():
    with translation.override("en"):
        english = date(NOON_UTC, "l, F j")
    with translation.override("es"):
        spanish = date(NOON_UTC, "l, F j")
    assert english == "Tuesday, December 1"
    assert spanish.lower() == "martes, diciembre 1"
    with translation.override("en"):
        assert date(NOON_UTC, "l, F j") == english


def test_a_date_is_read_on_the_clock_in_use_and_in_the_format_asked():
    with translation.override("en"):
        assert date(NOON_UTC, "g:i A") == "12:00 PM"  # the site's zone: New York
        with timezone.override("America/Los_Angeles"):
            assert date(NOON_UTC, "g:i A") == "9:00 AM"
        assert date(NOON_UTC, "c") == "2026-12-01T12:00:00-05:00"
        assert date(NOON_UTC + datetime.timedelta(minutes=1), "g:i A") == "12:01 PM"


def test_a_label_is_kept_translated_not_lazy():
    # A lazy label would be translated again every time a card used it.
    with translation.override("es"):
        spanish = label(Attendance, Attendance.ONLINE)
        assert label(Attendance, Attendance.ONLINE) is spanish
    assert isinstance(spanish, SafeString) and not isinstance(spanish, Promise)
    assert spanish == "En línea"
    with translation.override("en"):
        assert label(Attendance, Attendance.ONLINE) == "Online"


def test_escaped_writes_text_as_html_and_leaves_markup_alone():
    assert escaped("Fish & Chips <Group> 'A' \"B\"") == (
        "Fish &amp; Chips &lt;Group&gt; &#x27;A&#x27; &quot;B&quot;"
    )
    assert escaped(format_html("<b>{}</b>", "&")) == "<b>&amp;</b>"
    assert escaped(42) == "42"
    with translation.override("es"):
        assert escaped(gettext_lazy("Online")) == "En línea"


def test_kept_values_are_made_once_and_never_more_than_the_limit():
    kept, made = Kept(3), []

    def make(value):
        made.append(value)
        return value

    assert [kept.get_or_make(k, lambda k=k: make(k * 10)) for k in (1, 2, 1, 3)] == [10, 20, 10, 30]
    assert made == [10, 20, 30]
    kept.put(4, 40)  # a full store is emptied first
    assert dict(kept) == {4: 40}
    assert kept.get_or_make([1], lambda: make("unhashable")) == "unhashable"
    assert len(kept) == 1
