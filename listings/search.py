"""What keyword search needs whatever is searched: cleaning the words, the backend check.

Each app's own search module ranks its listings; this one holds the rules they share.
"""

import re

from django.db import connection
from django.db.models import Case, FloatField, Value, When

MAX_QUERY_LENGTH = 200
# Words too short to narrow anything; searching them only slows SQLite's LIKE scans.
MIN_TERM_LENGTH = 2
MAX_TERMS = 8
# Word similarity at or above this counts as a match: "alcholics" ~ "Alcoholics" is 0.6.
TRIGRAM_THRESHOLD = 0.5


def normalise_query(text):
    """Trim hostile or accidental input to something worth searching for."""
    text = (text or "")[:MAX_QUERY_LENGTH]
    text = re.sub(r"[^\w\s'&+-]", " ", text)
    return " ".join(text.split())


def terms(text):
    return [t for t in normalise_query(text).split() if len(t) >= MIN_TERM_LENGTH][:MAX_TERMS]


def is_postgres():
    return connection.vendor == "postgresql"


def weight(condition, value):
    """`value` where the condition holds, else 0: a term of a portable (SQLite) rank."""
    return Case(When(condition, then=Value(value)), default=Value(0.0), output_field=FloatField())
