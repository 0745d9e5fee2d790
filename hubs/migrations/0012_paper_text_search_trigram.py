from django.db import migrations

# The text search (PaperQuerySet.search, the explorer's `q`) is Django's icontains on the
# title and the authors: `UPPER(title::text) LIKE UPPER('%…%')` on PostgreSQL. Trigram GIN
# indexes on exactly those expressions answer it without reading every paper, with the
# same substring matches as SQLite's fallback (a plain scan) gives. pg_trgm is a trusted
# extension (PostgreSQL 13+): the database's owner may create it.
POSTGRESQL = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX paper_title_trgm ON hubs_paper USING gin (UPPER(title::text) gin_trgm_ops);
CREATE INDEX paper_authors_trgm ON hubs_paper USING gin (UPPER(authors::text) gin_trgm_ops);
-- The planner's estimate of how many papers a search matches comes from these indexes'
-- statistics: without them it guesses a handful, and joins a common word's 100,000
-- matches where walking the hub's newest-first index would stop after one page.
ANALYZE hubs_paper;
"""


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX paper_authors_trgm; DROP INDEX paper_title_trgm;")


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0011_citation_sort_keys"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
