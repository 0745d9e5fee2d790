"""Import and model labels become suggestions, per label; the curator's fields keep only
what a person (or a curator-grade data load) set. Its own migration: on PostgreSQL the
rows it updates must be committed before 0010 alters the table."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Coalesce

SUGGESTED = ("import", "model")


def labels_to_suggestions(apps, schema_editor):
    """Import and model labels become suggestions, per label, with their confidence; the
    curator's fields keep only what a person (or a curator-grade data load) set. Written
    with update(), so no history: a suggestion was never a curator's label."""
    Citation = apps.get_model("hubs", "Citation")
    for source in SUGGESTED:
        labelled = Citation.objects.filter(classification_source=source)
        labelled.exclude(role="").update(
            suggested_role=F("role"),
            suggested_role_confidence=F("confidence"),
            suggested_role_source=Value(source),
            suggested_at=F("classified_at"),
        )
        labelled.exclude(polarity="").update(
            suggested_polarity=F("polarity"),
            suggested_polarity_confidence=F("confidence"),
            suggested_polarity_source=Value(source),
            suggested_at=F("classified_at"),
        )
        labelled.update(
            role="", polarity="", classification_source="", confidence=None,
            classified_by=None, classified_at=None,
        )  # fmt: skip


def suggestions_to_labels(apps, schema_editor):
    """Back: a suggestion becomes the label again where no curator set one."""
    Citation = apps.get_model("hubs", "Citation")
    for source in SUGGESTED:
        Citation.objects.filter(role="", polarity="", suggested_role_source=source).update(
            role=F("suggested_role"),
            confidence=F("suggested_role_confidence"),
            classification_source=Value(source),
            classified_at=F("suggested_at"),
        )
        Citation.objects.filter(
            polarity="", suggested_polarity_source=source, classification_source__in=["", source]
        ).update(
            polarity=F("suggested_polarity"),
            confidence=Coalesce(F("confidence"), F("suggested_polarity_confidence")),
            classification_source=Value(source),
            classified_at=F("suggested_at"),
        )


class Migration(migrations.Migration):
    dependencies = [("hubs", "0008_citation_suggestions_apart")]

    operations = [
        migrations.RunPython(labels_to_suggestions, suggestions_to_labels),
    ]
