"""PostgreSQL-only search support: trigram matching and GIN indexes.

SQLite has neither; its portable search path (programs/search.py) needs no index.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS program_name_trgm ON programs_program USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS program_fts ON programs_program USING gin ("
    "(setweight(to_tsvector('english', coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(description, '')), 'C')))",
    "CREATE INDEX IF NOT EXISTS treatmentcenter_name_trgm ON programs_treatmentcenter "
    "USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS fellowship_name_trgm ON programs_fellowship "
    "USING gin (name gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS fellowship_name_trgm",
    "DROP INDEX IF EXISTS treatmentcenter_name_trgm",
    "DROP INDEX IF EXISTS program_fts",
    "DROP INDEX IF EXISTS program_name_trgm",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_curators_group")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
