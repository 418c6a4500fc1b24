"""Text no person can type: NUL and the other control characters.

PostgreSQL refuses a NUL in any text it is given (a query parameter as much as a stored
value), and the others only ever arrive from scripts. Tab, line feed and carriage return are
ordinary typing in a text box and stay allowed.
"""

import re

from django.core.exceptions import ValidationError

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MESSAGE = "Remove the invisible control characters from this answer (they cannot be typed)"


def has_control_characters(value):
    return isinstance(value, str) and CONTROL_CHARACTERS.search(value) is not None


def refuse_control_characters(value):
    if has_control_characters(value):
        raise ValidationError(MESSAGE, code="control_characters")


def refuse_control_characters_in(form):
    """Add the check to every text field of a form, so each answer gets its own message."""
    from django import forms

    for field in form.fields.values():
        if isinstance(field, forms.CharField):
            field.validators.append(refuse_control_characters)


def validates_own_input(view):
    """Mark a view whose form refuses control characters itself, answer by answer.

    RequestInputMiddleware then lets such a post through to the form instead of answering
    with its general 400 page (query strings are still refused there).
    """
    view.validates_own_input = True
    return view
