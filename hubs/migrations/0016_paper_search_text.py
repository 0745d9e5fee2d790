import importlib

import django.db.models.functions.comparison
import django.db.models.functions.text
from django.db import migrations, models

constraint = importlib.import_module("hubs.migrations.0014_paper_sort_date_in_year")

# The text search (hubs.querysets.text_q) reads Paper.search_text, the database's stored
# upper-case copy of the title and the authors: one trigram index on it replaces the two
# of migration 0012 on UPPER(title) and UPPER(authors::text), whose expressions every
# candidate row had to compute again (casting its authors to text) when a search walked
# a hub's citations. The planner's estimate of how many papers a search matches comes
# from the new index's statistics: ANALYZE gathers them.
# The old indexes go first: adding a stored column rewrites the table and every index on
# it, and rebuilding two trigram indexes only to drop them doubled the migration's time.
POSTGRESQL_OLD_DROPPED = """
DROP INDEX IF EXISTS paper_title_trgm;
DROP INDEX IF EXISTS paper_authors_trgm;
"""
POSTGRESQL_OLD_MADE = """
CREATE INDEX paper_title_trgm ON hubs_paper USING gin (UPPER(title::text) gin_trgm_ops);
CREATE INDEX paper_authors_trgm ON hubs_paper USING gin (UPPER(authors::text) gin_trgm_ops);
"""
POSTGRESQL_MADE = """
CREATE INDEX paper_search_text_trgm ON hubs_paper USING gin (search_text gin_trgm_ops);
ANALYZE hubs_paper;
"""
POSTGRESQL_DROPPED = "DROP INDEX IF EXISTS paper_search_text_trgm;"


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0015_citation_representatives_index"),
    ]

    # SQLite adds a stored generated column by making the table anew: its triggers naming
    # hubs_paper are dropped and made again around it, as in migration 0014.
    operations = [
        migrations.RunPython(
            _on_postgresql(POSTGRESQL_OLD_DROPPED), _on_postgresql(POSTGRESQL_OLD_MADE)
        ),
        migrations.RunPython(constraint.sqlite_triggers_dropped, constraint.sqlite_triggers_made),
        migrations.AddField(
            model_name="paper",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Upper(
                    django.db.models.functions.text.Concat(
                        "title",
                        models.Value("\x1f"),
                        django.db.models.functions.comparison.Cast("authors", models.TextField()),
                        output_field=models.TextField(),
                    )
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(constraint.sqlite_triggers_made, constraint.sqlite_triggers_dropped),
        migrations.RunPython(_on_postgresql(POSTGRESQL_MADE), _on_postgresql(POSTGRESQL_DROPPED)),
    ]
