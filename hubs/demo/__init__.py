"""The demo hub: the seed page's survey and the real papers that cite it.

`citing-papers.jsonl` is a copy of shared/seed/citing-papers.jsonl; `curation.json` holds
what our curators add on top (which citations are classified, verdicts, summaries).
Loading goes through the same fill-only bulk services as every import, so it is
idempotent and never overwrites what a person has set since (a review, a curator's label,
a paper field edited in the admin, the hub's representatives, note or published flag):
it counts that as left alone.
"""

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from hubs import services
from hubs.models import ClassificationSource, Paper, Verdict
from hubs.services import CitationRecord, PaperRecord, ReviewRecord

DEMO_DIR = Path(__file__).resolve().parent


@dataclass
class DemoLoadReport:
    # For papers, citations and reviews: how many were created and updated.
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    hub_created: bool = False
    hub_slug: str = ""
    # What a person set that the load left as it was (hubs.services.left_alone's names).
    left_alone: Counter = field(default_factory=Counter)

    @property
    def changed_anything(self) -> bool:
        return bool(+self.created or +self.updated or self.hub_created)

    def add(self, kind: str, result: services.BulkResult) -> None:
        for outcome in result.outcomes:
            if outcome.status in ("created", "updated"):
                getattr(self, outcome.status)[kind] += 1
        self.left_alone.update(result.left_alone)


def _read_seed() -> list[dict]:
    with open(DEMO_DIR / "citing-papers.jsonl", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _paper_record(row: dict, *, abstract: str = "") -> PaperRecord:
    submitted = row.get("submitted")
    return PaperRecord(
        arxiv_id=row["arxiv_id"],
        title=row["title"],
        authors=row["authors"],
        abstract=abstract,
        primary_category=row.get("primary_category") or "",
        categories=row.get("categories") or [],
        submitted=datetime.date.fromisoformat(submitted) if submitted else None,
        code_url=row.get("github") or "",
    )


@transaction.atomic
def load_demo_hub() -> DemoLoadReport:
    """Create the demo hub, or fill in what it lacks; returns what changed and what a
    person's work made it leave alone."""
    rows = _read_seed()
    curation = json.loads((DEMO_DIR / "curation.json").read_text(encoding="utf-8"))
    report = DemoLoadReport()
    hub_row = next(row for row in rows if row.get("is_hub"))
    citing_rows = [row for row in rows if not row.get("is_hub")]
    papers = [_paper_record(hub_row, abstract=curation["hub"]["abstract"])]
    papers += [_paper_record(row) for row in citing_rows]
    report.add("papers", services.papers_upsert_bulk(records=papers))

    hub_ids = {"arxiv_id": hub_row["arxiv_id"]}
    classified = {item["arxiv_id"]: item for item in curation["classified"]}
    citations = []
    for row in citing_rows:
        label = classified.get(row["arxiv_id"], {})
        citations.append(
            CitationRecord(
                citing={"arxiv_id": row["arxiv_id"]},
                cited=hub_ids,
                refs=curation["refs"].get(row["arxiv_id"], 1),
                contexts=[(row["context"], row.get("section") or "")]
                if row.get("context")
                else None,
                role=label.get("role"),
                polarity=label.get("polarity"),
                # Our curators' labels, set in curation.json rather than by a site user.
                source=ClassificationSource.CURATOR,
            )
        )
    report.add("citations", services.citations_add_bulk(records=citations))

    representatives = sorted(
        (row for row in citing_rows if row.get("seed_representative_rank")),
        key=lambda row: row["seed_representative_rank"],
    )
    reviews = [
        ReviewRecord(
            paper={"arxiv_id": row["arxiv_id"]},
            verdict=row.get("seed_verdict") or Verdict.UNVERDICTED,
            novelty=row["seed_novelty"],
            summary=curation["summaries"][row["arxiv_id"]],
        )
        for row in representatives
    ]
    reviews += [
        ReviewRecord(paper={"arxiv_id": arxiv_id}, verdict=verdict)
        for arxiv_id, verdict in curation["verdicts"].items()
    ]
    report.add("reviews", services.reviews_add_bulk(records=reviews, by=None))

    wanted = [hub_row["arxiv_id"], *(row["arxiv_id"] for row in representatives)]
    # Not in_bulk(field_name=...): an id is unique only where given (a partial constraint).
    by_arxiv_id = {paper.arxiv_id: paper for paper in Paper.objects.filter(arxiv_id__in=wanted)}
    report.hub_slug = curation["hub"]["slug"]
    _, report.hub_created = services.hub_create_missing(
        paper=by_arxiv_id[hub_row["arxiv_id"]],
        slug=curation["hub"]["slug"],
        is_published=True,
        curator_note=curation["hub"]["curator_note"],
        representatives=[by_arxiv_id[row["arxiv_id"]] for row in representatives],
        left_alone=report.left_alone,
    )
    return report
