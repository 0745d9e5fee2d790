import importlib

from django.db import migrations, models

constraint = importlib.import_module("hubs.migrations.0014_paper_sort_date_in_year")

# Fewer indexes for every paper and citation written (generate_corpus at a million citing
# papers spends a third of its time in PostgreSQL, most of it keeping indexes):
# - each paper id is unique over the papers that have it (a partial unique index) instead
#   of `unique=True`, which on PostgreSQL also made a varchar_pattern_ops index per text
#   id (no query reads them: ids are looked up by equality) and indexed every NULL;
# - paper year and primary_category lose their indexes (a handful of values; hubs count
#   and filter them through HubCount and the citation's copy of the date);
# - citation (cited, role) and (cited, polarity) go: the public label is a rule over the
#   label and the suggestion, which these never served (no scan in any bench at 1M).


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0017_paper_search_text_statistics"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="citation",
            name="citation_cited_role",
        ),
        migrations.RemoveIndex(
            model_name="citation",
            name="citation_cited_polarity",
        ),
        # SQLite alters these fields by making the table anew: its triggers naming
        # hubs_paper are dropped and made again around it, as in migration 0014.
        migrations.RunPython(constraint.sqlite_triggers_dropped, constraint.sqlite_triggers_made),
        migrations.AlterField(
            model_name="paper",
            name="acl_id",
            field=models.CharField(
                blank=True, max_length=32, null=True, verbose_name="ACL Anthology id"
            ),
        ),
        migrations.AlterField(
            model_name="paper",
            name="arxiv_id",
            field=models.CharField(
                blank=True,
                help_text="Without version, e.g. 2509.08827.",
                max_length=32,
                null=True,
                verbose_name="arXiv id",
            ),
        ),
        migrations.AlterField(
            model_name="paper",
            name="doi",
            field=models.CharField(
                blank=True, help_text="Lower case.", max_length=255, null=True, verbose_name="DOI"
            ),
        ),
        migrations.AlterField(
            model_name="paper",
            name="openalex_id",
            field=models.CharField(
                blank=True, max_length=32, null=True, verbose_name="OpenAlex id"
            ),
        ),
        migrations.AlterField(
            model_name="paper",
            name="primary_category",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AlterField(
            model_name="paper",
            name="s2_corpus_id",
            field=models.BigIntegerField(
                blank=True, null=True, verbose_name="Semantic Scholar corpus id"
            ),
        ),
        migrations.AlterField(
            model_name="paper",
            name="year",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="paper",
            constraint=models.UniqueConstraint(
                condition=models.Q(("arxiv_id__isnull", False)),
                fields=("arxiv_id",),
                name="paper_arxiv_id_unique",
                violation_error_code="unique",
                violation_error_message="Another paper already has this id.",
            ),
        ),
        migrations.AddConstraint(
            model_name="paper",
            constraint=models.UniqueConstraint(
                condition=models.Q(("doi__isnull", False)),
                fields=("doi",),
                name="paper_doi_unique",
                violation_error_code="unique",
                violation_error_message="Another paper already has this id.",
            ),
        ),
        migrations.AddConstraint(
            model_name="paper",
            constraint=models.UniqueConstraint(
                condition=models.Q(("acl_id__isnull", False)),
                fields=("acl_id",),
                name="paper_acl_id_unique",
                violation_error_code="unique",
                violation_error_message="Another paper already has this id.",
            ),
        ),
        migrations.AddConstraint(
            model_name="paper",
            constraint=models.UniqueConstraint(
                condition=models.Q(("s2_corpus_id__isnull", False)),
                fields=("s2_corpus_id",),
                name="paper_s2_corpus_id_unique",
                violation_error_code="unique",
                violation_error_message="Another paper already has this id.",
            ),
        ),
        migrations.AddConstraint(
            model_name="paper",
            constraint=models.UniqueConstraint(
                condition=models.Q(("openalex_id__isnull", False)),
                fields=("openalex_id",),
                name="paper_openalex_id_unique",
                violation_error_code="unique",
                violation_error_message="Another paper already has this id.",
            ),
        ),
        migrations.RunPython(constraint.sqlite_triggers_made, constraint.sqlite_triggers_dropped),
    ]
