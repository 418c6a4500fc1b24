import pytest

from listings.phone import DialIn, meeting_codes
from listings.templatetags.listing_tags import dial_in, tel


@pytest.mark.parametrize(
    ("notes", "meeting_id", "passcode"),
    [
        ("Meeting ID: 123 456 7890", "1234567890", ""),
        ("Meeting ID: 812 3456 7890  Passcode: 123456", "81234567890", "123456"),
        ("Meeting ID 831 5550 1033, passcode 2024", "83155501033", "2024"),
        ("meeting id 85012345678 password 4321", "85012345678", "4321"),
        ("ID: 987-654-321", "987654321", ""),
        ("Webinar ID: 912 3456 7890", "91234567890", ""),
        ("PIN: 123 456 789#", "123456789", ""),
        ("Conference ID: 555 123 456#", "555123456", ""),
        ("Access code 1234567 then #", "1234567", ""),
        ("Code: 987654", "987654", ""),
        ("Meeting number (access code): 2634 123 4567", "26341234567", ""),
        ("123456789", "123456789", ""),
        ("  812 3456 7890 # ", "81234567890", ""),
        # A passcode that is a word cannot be dialled; the visitor reads it in the notes.
        ("Meeting ID 123 456 789, passcode serenity", "123456789", ""),
        ("Meeting ID 123 456 789 Pass code is 55", "123456789", "55"),
        # Nothing to dial: no labelled number, or a number that is not a meeting's.
        ("", "", ""),
        ("Press # when asked for a participant ID", "", ""),
        ("Call 646-555-0100 if you need help getting in", "", ""),
        ("Passcode: 1234", "", ""),
        ("Meeting ID: 12", "", ""),
        ("Meeting ID: 1234567890123456789", "", ""),
        ("Find the meeting ID on our website", "", ""),
    ],
)
def test_meeting_codes_are_read_from_realistic_notes(notes, meeting_id, passcode):
    assert meeting_codes(notes) == (meeting_id, passcode)


def test_one_tap_dials_the_meeting_id_after_a_pause():
    dial = DialIn.read("+1 646 558 8656", "Meeting ID: 123 456 789")
    assert dial.tel == "+16465588656"
    assert dial.one_tap == "+16465588656,,123456789%23"
    assert dial.meeting_id_display == "123 456 789"
    assert dial.display == "(646) 558-8656"


def test_one_tap_adds_a_numeric_passcode_after_the_participant_prompt():
    dial = DialIn.read("646-558-8656", "Meeting ID 812 3456 7890, Passcode: 4321")
    assert dial.one_tap == "6465588656,,81234567890%23,,,,*4321%23"
    assert dial.meeting_id_display == "812 3456 7890"


def test_no_meeting_id_means_no_one_tap_link():
    dial = DialIn.read("+44 20 7946 0000", "Ask for the Friday group")
    assert dial.one_tap == ""
    assert dial.tel == "+442079460000"
    assert dial.display == "+44 20 7946 0000"


def test_codes_already_written_after_the_number_are_kept():
    # Meeting Guide feeds often carry the one-tap form in the phone field itself.
    dial = DialIn.read("+16465550100,,85012345678#,,,,*4321#", "Meeting ID 111 222 333")
    assert dial.one_tap == "+16465550100,,85012345678%23,,,,*4321%23"
    assert (dial.meeting_id, dial.passcode) == ("85012345678", "4321")
    assert dial.tel == "+16465550100"


def test_tel_filter_keeps_plain_numbers_as_before():
    assert tel("614-555-0123") == "6145550123"
    assert tel("+1 (614) 555-0123") == "+16145550123"
    assert tel("") == ""
    assert tel(None) == ""


def test_tel_filter_no_longer_runs_codes_into_the_number():
    assert tel("+16465550100,,123#") == "+16465550100,,123%23"
    assert tel("+16465550100;123456789#") == "+16465550100,123456789%23"


def test_dial_in_filter_reads_the_notes():
    assert dial_in("646 558 8656", "PIN 123456789").one_tap == "6465588656,,123456789%23"
