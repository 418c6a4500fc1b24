"""PostgreSQL only: trigram matching, GIN indexes and the stored search document.

Ranking thousands of matches (a fellowship's name matches a tenth of a national data set)
would otherwise run to_tsvector once per matching row, so the document is a generated,
indexed column that nothing in Django reads or writes. SQLite has none of this; its
portable search path (programs/search.py) needs no index.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS program_name_trgm ON programs_program USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS treatmentcenter_name_trgm ON programs_treatmentcenter "
    "USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS fellowship_name_trgm ON programs_fellowship "
    "USING gin (name gin_trgm_ops)",
    "ALTER TABLE programs_program ADD COLUMN IF NOT EXISTS search_document tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, name), 'A') || "
    "setweight(to_tsvector('english'::regconfig, search_text), 'B')) STORED",
    "CREATE INDEX IF NOT EXISTS program_search_document ON programs_program "
    "USING gin (search_document)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS program_search_document",
    "ALTER TABLE programs_program DROP COLUMN IF EXISTS search_document",
    "DROP INDEX IF EXISTS fellowship_name_trgm",
    "DROP INDEX IF EXISTS treatmentcenter_name_trgm",
    "DROP INDEX IF EXISTS program_name_trgm",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_seed_lookups")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
