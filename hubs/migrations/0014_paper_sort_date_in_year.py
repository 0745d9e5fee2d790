import datetime
import importlib

from django.db import migrations, models

sort_keys = importlib.import_module("hubs.migrations.0011_citation_sort_keys")

# A paper's sort date lies in its year and exists exactly when the year does
# (hubs.services.rules.paper_sort_date), so a hub's year filter can be a range of the
# citation's copy of the date (hubs.filters). Papers written around that rule (a shell, an
# older factory) get their sort date from their year first; without a year, none. The
# year stays as it was: it is what the hubs' counts (hubs.counts) hold.


def sort_dates_from_years(apps, schema_editor):
    Paper = apps.get_model("hubs", "Paper")
    consistent = models.Q(year__isnull=True, sort_date__isnull=True) | models.Q(
        year__isnull=False, sort_date__isnull=False, sort_date__year=models.F("year")
    )
    changed = []
    for paper in Paper.objects.exclude(consistent).only("year", "month", "submitted"):
        if paper.year is None:
            paper.sort_date = None
        elif paper.submitted and paper.submitted.year == paper.year:
            paper.sort_date = paper.submitted
        else:
            paper.sort_date = datetime.date(paper.year, paper.month or 1, 1)
        changed.append(paper)
    Paper.objects.bulk_update(changed, ["sort_date"], batch_size=1000)


# SQLite adds a constraint by making the table anew, which its triggers on the citations
# (migration 0011), naming hubs_paper, do not survive: they are dropped and made again.
def sqlite_triggers_dropped(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in sort_keys.SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def sqlite_triggers_made(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in sort_keys.SQLITE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0013_hub_counts"),
    ]

    operations = [
        migrations.RunPython(sort_dates_from_years, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(sqlite_triggers_dropped, sqlite_triggers_made),
        migrations.AddConstraint(
            model_name="paper",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("sort_date__isnull", True), ("year__isnull", True)),
                    models.Q(
                        ("sort_date__isnull", False),
                        ("sort_date__year", models.F("year")),
                        ("year__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="paper_sort_date_in_year",
            ),
        ),
        migrations.RunPython(sqlite_triggers_made, sqlite_triggers_dropped),
    ]
