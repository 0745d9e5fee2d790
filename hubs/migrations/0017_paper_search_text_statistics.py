import importlib

from django.db import migrations

# As migration 0016 runs its SQL: on PostgreSQL only.
_on_postgresql = importlib.import_module("hubs.migrations.0016_paper_search_text")._on_postgresql

# The planner's estimate of how many papers a text search matches (hubs.querysets.text_q:
# `search_text LIKE '%…%'`) is the share of the column's sampled values that contain the
# text. With the default sample (100 values) a phrase or a full author name found in 3% of
# the papers ("Barbara Lamport": 33,581 of 1,200,011) usually matches none of them, the
# estimate falls to a guess of a hundred rows, and the explorer's first page reads every
# match through the trigram index and sorts them (609 ms at a million citing papers)
# instead of walking the hub's date index until it has 25 (10 ms). A sample of 1,000
# values sees such texts; ANALYZE takes it (about 4 s at 1.2 million papers, then as
# autovacuum runs it).
POSTGRESQL_MADE = """
ALTER TABLE hubs_paper ALTER COLUMN search_text SET STATISTICS 1000;
ANALYZE hubs_paper (search_text);
"""
POSTGRESQL_DROPPED = "ALTER TABLE hubs_paper ALTER COLUMN search_text SET STATISTICS -1;"


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0016_paper_search_text"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(POSTGRESQL_MADE), _on_postgresql(POSTGRESQL_DROPPED)),
    ]
