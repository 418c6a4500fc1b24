"""Phone numbers as listings write them, turned into something a phone can dial in one tap.

A dial-in for an online meeting is a number plus, usually, a meeting ID and sometimes a
numeric passcode, written in free text ("Meeting ID: 812 3456 7890, passcode 4321"). A
`tel:` link can carry them after pauses (each comma waits about two seconds), the way
conference services print their "one tap" numbers: +16465588656,,81234567890#,,,,*4321#.
"""

import re
from dataclasses import dataclass

import phonenumbers
from django.conf import settings

# '#' starts a URL's fragment, so it is written %23 inside a tel: link; Android's dialer drops
# a bare '#' along with everything after it.
HASH = "%23"

# Label words before a meeting's own number. "PIN" and "access code" are what Google Meet,
# Teams and the free conference lines call it; a passcode is matched separately below.
_ID_LABEL = (
    r"(?:meeting|webinar|conference|participant)\s*(?:id|number|no\.?|code|#)"
    r"|access\s*code|\bpin\b|\bid\b|(?<!pass)(?<!pass )\bcode\b"
)
_PASSCODE_LABEL = r"pass\s*code|password|passwort|\bpwd\b"  # noqa: S105 (a label, not a secret)
# Between a label and its number: "Meeting number (access code): 2634 123 4567" (Webex).
_SEPARATOR = r"\s*(?:\([^)]{0,30}\))?\s*(?:[:#=]|\bis\b)?\s*"
_DIGITS = r"(\d[\d .\-]*\d|\d)"

ID_RE = re.compile(rf"(?:{_ID_LABEL}){_SEPARATOR}{_DIGITS}", re.IGNORECASE)
PASS_RE = re.compile(rf"(?:{_PASSCODE_LABEL}){_SEPARATOR}{_DIGITS}(?![\w])", re.IGNORECASE)
ONLY_A_NUMBER_RE = re.compile(rf"^\s*{_DIGITS}\s*#?\s*$")
# What may follow the number in the phone field itself: pauses, then digits, * and #.
PAUSED_RE = re.compile(r"^([^,;]*)([,;][\d*#,;]*)$")

MEETING_ID_DIGITS = range(4, 16)
PASSCODE_DIGITS = range(1, 13)


def digits(text):
    return "".join(c for c in str(text or "") if c.isdigit())


def dialable(number):
    """A tel: URL target for a plain number: digits and a leading plus only."""
    number = str(number or "").strip()
    return ("+" if number.startswith("+") else "") + digits(number)


def meeting_codes(notes):
    """(meeting ID, passcode) as digits, read from free-text notes; "" for each one not found.

    Only a labelled number counts ("Meeting ID: 123 456 7890", "PIN 123456789#"), or notes
    that are nothing but one number. A passcode needs its label and must be all digits: a
    word passcode cannot be dialled, so it is left for the visitor to read.
    """
    notes = str(notes or "")
    meeting_id = ""
    labelled = ID_RE.search(notes)
    if labelled:
        meeting_id = digits(labelled.group(1))
    elif match := ONLY_A_NUMBER_RE.match(notes):
        meeting_id = digits(match.group(1))
    if len(meeting_id) not in MEETING_ID_DIGITS:
        return "", ""
    passcode = ""
    if match := PASS_RE.search(notes):
        passcode = digits(match.group(1))
        if len(passcode) not in PASSCODE_DIGITS:
            passcode = ""
    return meeting_id, passcode


def group_digits(number):
    """A long code in the groups it is read out in: 123 456 789, 812 3456 7890."""
    sizes = {9: (3, 3, 3), 10: (3, 3, 4), 11: (3, 4, 4), 12: (4, 4, 4)}.get(len(number))
    if not sizes:
        return number
    parts, start = [], 0
    for size in sizes:
        parts.append(number[start : start + size])
        start += size
    return " ".join(parts)


@dataclass(frozen=True)
class DialIn:
    number: str  # as written, without anything dialled after it
    meeting_id: str = ""
    passcode: str = ""
    # Codes already written after the number in a one-tap form ("+1646...,,123#"), kept as is.
    written_codes: str = ""

    @classmethod
    def read(cls, phone, notes=""):
        phone = str(phone or "").strip()
        paused = PAUSED_RE.match(phone)
        if paused:
            number, codes = paused.group(1).strip(), paused.group(2)
            meeting_id, _, rest = codes.strip(",;").partition("#")
            meeting_id = digits(meeting_id)
            passcode = digits(rest) if "*" in rest else ""
            return cls(number, meeting_id, passcode, written_codes=codes)
        meeting_id, passcode = meeting_codes(notes)
        return cls(phone, meeting_id, passcode)

    @property
    def tel(self):
        """The number alone, for someone who will type the codes in themselves."""
        return dialable(self.number)

    @property
    def one_tap(self):
        """The number with the meeting ID (and a numeric passcode) dialled after pauses."""
        if self.written_codes:
            return self.tel + self.written_codes.replace(";", ",").replace("#", HASH)
        if not self.meeting_id:
            return ""
        target = f"{self.tel},,{self.meeting_id}{HASH}"
        if self.passcode:
            # Zoom asks for a participant ID first (skipped by waiting), then the passcode.
            target += f",,,,*{self.passcode}{HASH}"
        return target

    @property
    def one_tap_text(self):
        """The one-tap number as printed in text, where '#' needs no escaping."""
        return self.one_tap.replace(HASH, "#")

    @property
    def meeting_id_display(self):
        return group_digits(self.meeting_id)

    @property
    def display(self):
        """The number in the form people read out: (646) 558-8656, or +44 20 7946 0000."""
        try:
            parsed = phonenumbers.parse(self.number, settings.PHONE_REGION)
        except phonenumbers.NumberParseException:
            return self.number
        if not phonenumbers.is_possible_number(parsed):
            return self.number
        home = phonenumbers.region_code_for_number(parsed) == settings.PHONE_REGION
        style = phonenumbers.PhoneNumberFormat
        return phonenumbers.format_number(parsed, style.NATIONAL if home else style.INTERNATIONAL)
