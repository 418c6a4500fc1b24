"""PostgreSQL only: the search document again, stemmed as Spanish, for the Spanish pages.

Words typed on /es/ pages are matched and ranked with PostgreSQL's `spanish` text
configuration ("reuniones" finds "reunión"), as 0003 does in English; a generated, indexed
column for the same reason as there. SQLite's portable search needs none of this.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE programs_program ADD COLUMN IF NOT EXISTS search_document_es tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('spanish'::regconfig, name), 'A') || "
    "setweight(to_tsvector('spanish'::regconfig, search_text), 'B')) STORED",
    "CREATE INDEX IF NOT EXISTS program_search_document_es ON programs_program "
    "USING gin (search_document_es)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS program_search_document_es",
    "ALTER TABLE programs_program DROP COLUMN IF EXISTS search_document_es",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("programs", "0015_spanish_names")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
