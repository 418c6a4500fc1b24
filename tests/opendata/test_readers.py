"""opendata.readers: the one reading of text, web addresses, phones and positions for imports."""

import math

import pytest

from opendata.readers import (
    Incomplete,
    NotGeocoded,
    OffTheGlobe,
    TooLong,
    Unreadable,
    Unusable,
    clean_text,
    read_coordinates,
    read_email,
    read_phone,
    read_url,
)

HUGE_INT = 10**5000  # too long for str(), too large for float()

# --- Text ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ([], ""),
        (["a"], ""),
        ({"a": 1}, ""),
        ("", ""),
        ("  Grace Church \n", "Grace Church"),
        (7, "7"),
        (2.0, "2"),
        (1.5, "1.5"),
        (1e20, "1e+20"),
        (True, "True"),
        pytest.param(HUGE_INT, "", id="huge-int"),
        ("A\x00B", "AB"),
        ("bell\x07 and delete\x7f", "bell and delete"),
        ("C1\x9b[31m", "C1[31m"),
        ("X\ud800Y", "X?Y"),
        ("line one\nline two", "line one\nline two"),
        ("tab\there", "tab\there"),
    ],
)
def test_clean_text(value, text):
    assert clean_text(value) == text


def test_one_line_makes_every_run_of_whitespace_one_space():
    assert clean_text("  a \t b\r\n\nc\x1cd\x85e\u2028f ", one_line=True) == "a b c d e f"
    assert clean_text("a\x00 \x01 b", one_line=True) == "a b"


def test_cap_cuts_the_cleaned_text():
    assert clean_text("  abcdef  ", 3) == "abc"
    assert clean_text("\x00" * 10 + "abc", 2) == "ab"
    assert clean_text("ab", 5) == "ab"


def test_text_that_needs_no_cleaning_is_returned_as_it_is():
    text = "Saint Mark's – Église Saint-Marc, 2nd floor"
    assert clean_text(text) is text


# --- Web addresses and e-mail -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("", ""),
        (None, ""),
        ("   ", ""),
        (["https://example.org"], ""),  # a feed's structure is not text
        ("https://example.org/path?q=1", "https://example.org/path?q=1"),
        ("http://example.org", "http://example.org"),
        ("www.example.org", "https://www.example.org"),
        ("zoom.us/j/123", "https://zoom.us/j/123"),
        (" https://example.org \n", "https://example.org"),
        ("https://example.org/a\x01b", "https://example.org/ab"),
    ],
)
def test_read_url(value, url):
    assert read_url(value, 200) == url


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "ftp://example.org/file",
        "not a url",
        "localhost",
        "https://",
        "https://exa mple.org",
    ],
)
def test_read_url_refuses(value):
    with pytest.raises(Unreadable):
        read_url(value, 200)


def test_read_url_too_long():
    url = "https://example.org/" + "a" * 300
    assert read_url(url, 500) == url
    with pytest.raises(TooLong):
        read_url(url, 200)
    # An address the validator refuses outright is unreadable, whatever its length.
    with pytest.raises(Unreadable):
        read_url("https://example.org/" + "a" * 5000, 200)


def test_read_email():
    assert read_email("  intake@example.org ") == "intake@example.org"
    assert read_email(None) == ""
    for bad in ("nobody@", "@example.org", "two words@example.org", 12):
        with pytest.raises(Unreadable):
            read_email(bad)
    with pytest.raises(TooLong):
        read_email("a" * 250 + "@example.org")


# --- Phones --------------------------------------------------------------------------------------


def test_read_phone_keeps_a_number_as_written_on_one_line():
    assert read_phone("  (614) 555-0100\n ext. 12 ") == "(614) 555-0100 ext. 12"
    assert read_phone("") == "" and read_phone(None) == ""
    assert read_phone("614-555-0100", 30) == "614-555-0100"
    with pytest.raises(TooLong):
        read_phone("614-555-0100 then ask for the intake desk", 30)


@pytest.mark.parametrize(
    ("value", "dialable"),
    [
        ("+1 646 555 0100", "+16465550100"),
        ("+1 (646) 555-0100,,123456#,,,,9876#", "+16465550100,,123456#,,,,9876#"),
        ("646.555.0100 *6 to unmute", "6465550100*6"),
        (6465550100, "6465550100"),
        ("", ""),
    ],
)
def test_read_phone_dialable(value, dialable):
    assert read_phone(value, dialable=True) == dialable


@pytest.mark.parametrize("value", ["12", "555-0100", "call the office", "١٢٣٤٥٦٧٨٩٠"])
def test_a_dialable_phone_needs_ten_digits(value):
    with pytest.raises(Unreadable):
        read_phone(value, dialable=True)


# --- Positions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lng", "point"),
    [
        (None, None, (None, None)),
        ("", "", (None, None)),
        (None, "", (None, None)),
        ("39.7563", "-84.1895", (39.7563, -84.1895)),
        (" 39.7563 ", "-84.1895\n", (39.7563, -84.1895)),
        (39.7563, -84.1895, (39.7563, -84.1895)),
        (90, 180, (90.0, 180.0)),
        ("-90", "-180", (-90.0, -180.0)),
        ("0", "5", (0.0, 5.0)),
    ],
)
def test_read_coordinates(lat, lng, point):
    assert read_coordinates(lat, lng) == point


@pytest.mark.parametrize(
    ("lat", "lng", "error"),
    [
        ("39.9", None, Incomplete),
        ("", "-84.1", Incomplete),
        ("north", "-84.1", Unreadable),
        ("39,9", "-84,1", Unreadable),
        ("39.9", [1], Unreadable),
        ({}, "-84.1", Unreadable),
        pytest.param(HUGE_INT, 5, Unreadable, id="huge-int"),
        ("  ", "-84.1", Unreadable),
        ("95", "-84.1", OffTheGlobe),
        ("39.9", "-200", OffTheGlobe),
        ("nan", "5", OffTheGlobe),
        (math.nan, math.inf, OffTheGlobe),
        ("1e400", "5", OffTheGlobe),
        ("-inf", "5", OffTheGlobe),
        ("0", "0", NotGeocoded),
        (0.0, "-0.0", NotGeocoded),
    ],
)
def test_read_coordinates_refuses(lat, lng, error):
    with pytest.raises(error):
        read_coordinates(lat, lng)


def test_every_refusal_is_unusable_and_a_value_error():
    for error in (Unreadable, TooLong, Incomplete, OffTheGlobe, NotGeocoded):
        assert issubclass(error, Unusable) and issubclass(error, ValueError)
