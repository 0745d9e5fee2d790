"""hubs/migrations/0008-0010: import and model labels move into the suggestion fields; what a
curator set stays where it was."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("hubs", "0007_paper_edited_fields")]
AFTER = [("hubs", "0010_citation_curator_fields_only")]


@pytest.mark.django_db(transaction=True)
def test_labels_become_suggestions_and_curator_labels_stay():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Paper, Citation = old.get_model("hubs", "Paper"), old.get_model("hubs", "Citation")
    papers = [Paper.objects.create(arxiv_id=f"2501.0000{n}", title=f"P{n}") for n in range(4)]
    hub = papers[0]
    Citation.objects.create(citing=papers[1], cited=hub, role="background",
                            classification_source="import", confidence=0.9)  # fmt: skip
    Citation.objects.create(citing=papers[2], cited=hub, role="uses_method", polarity="neutral",
                            classification_source="model", confidence=0.64)  # fmt: skip
    Citation.objects.create(citing=papers[3], cited=hub, polarity="contrasting",
                            classification_source="curator")  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = {
        row["citing__arxiv_id"]: row
        for row in new.get_model("hubs", "Citation").objects.values(
            "citing__arxiv_id",
            "role",
            "polarity",
            "classification_source",
            "suggested_role",
            "suggested_role_confidence",
            "suggested_role_source",
            "suggested_polarity",
            "suggested_polarity_confidence",
            "suggested_polarity_source",
        )
    }
    imported, modelled, curated = rows["2501.00001"], rows["2501.00002"], rows["2501.00003"]
    assert (imported["role"], imported["classification_source"]) == ("", "")
    assert (
        imported["suggested_role"],
        imported["suggested_role_confidence"],
        imported["suggested_role_source"],
        imported["suggested_polarity"],
    ) == ("background", 0.9, "import", "")
    assert (modelled["suggested_role"], modelled["suggested_polarity"]) == (
        "uses_method",
        "neutral",
    )
    assert modelled["suggested_polarity_confidence"] == 0.64
    assert (curated["polarity"], curated["classification_source"]) == ("contrasting", "curator")
    assert curated["suggested_polarity"] == ""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
