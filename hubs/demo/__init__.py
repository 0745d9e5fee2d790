"""The demo hub: the seed page's survey and the real papers that cite it.

`citing-papers.jsonl` is a copy of shared/seed/citing-papers.jsonl; `curation.json` holds
what our curators add on top (which citations are classified, verdicts, summaries).
Loading goes through the services and writes only what differs, so it is idempotent.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from hubs import services
from hubs.models import ClassificationSource, Hub, Paper, Review

DEMO_DIR = Path(__file__).resolve().parent


@dataclass
class DemoLoadReport:
    papers_created: int = 0
    citations_created: int = 0
    changes: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.papers_created or self.citations_created or self.changes)


def _read_seed() -> list[dict]:
    with open(DEMO_DIR / "citing-papers.jsonl", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _upsert_paper(row: dict, *, abstract: str = "") -> tuple[Paper, bool]:
    submitted = row.get("submitted")
    return services.paper_upsert(
        arxiv_id=row["arxiv_id"],
        title=row["title"],
        authors=row["authors"],
        abstract=abstract,
        primary_category=row.get("primary_category") or "",
        categories=row.get("categories") or [],
        submitted=datetime.date.fromisoformat(submitted) if submitted else None,
        code_url=row.get("github") or "",
    )


def _set_review(paper: Paper, *, verdict: str, novelty, summary: str, report) -> None:
    wanted = (verdict, None if novelty is None else Decimal(str(novelty)), summary)
    review = Review.objects.filter(paper=paper).first()
    if review and (review.verdict, review.novelty, review.summary) == wanted:
        return
    services.review_set(paper=paper, verdict=verdict, novelty=novelty, summary=summary, by=None)
    report.changes.append(f"review of {paper.arxiv_id}")


@transaction.atomic
def load_demo_hub() -> DemoLoadReport:
    """Create or bring up to date the demo hub; returns what changed."""
    rows = _read_seed()
    curation = json.loads((DEMO_DIR / "curation.json").read_text(encoding="utf-8"))
    report = DemoLoadReport()
    hub_row = next(row for row in rows if row.get("is_hub"))
    hub_paper, created = _upsert_paper(hub_row, abstract=curation["hub"]["abstract"])
    report.papers_created += created

    classified = {item["arxiv_id"]: item for item in curation["classified"]}
    papers_by_id = {}
    for row in rows:
        if row.get("is_hub"):
            continue
        paper, created = _upsert_paper(row)
        report.papers_created += created
        papers_by_id[paper.arxiv_id] = paper
        contexts = [(row["context"], row.get("section") or "")] if row.get("context") else []
        citation, created = services.citation_add(
            citing=paper,
            cited=hub_paper,
            refs=curation["refs"].get(paper.arxiv_id, 1),
            contexts=contexts,
        )
        report.citations_created += created
        if label := classified.get(paper.arxiv_id):
            current = (citation.role, citation.polarity, citation.classification_source)
            if current != (label["role"], label["polarity"], ClassificationSource.CURATOR):
                services.citation_classify(
                    citation=citation, role=label["role"], polarity=label["polarity"], by=None
                )
                report.changes.append(f"classification of {paper.arxiv_id}")

    representatives = sorted(
        (row for row in rows if row.get("seed_representative_rank")),
        key=lambda row: row["seed_representative_rank"],
    )
    for row in representatives:
        _set_review(
            papers_by_id[row["arxiv_id"]],
            verdict=row.get("seed_verdict") or "unverdicted",
            novelty=row["seed_novelty"],
            summary=curation["summaries"][row["arxiv_id"]],
            report=report,
        )
    for arxiv_id, verdict in curation["verdicts"].items():
        _set_review(
            papers_by_id[arxiv_id], verdict=verdict, novelty=None, summary="", report=report
        )

    hub = Hub.objects.filter(paper=hub_paper).first()
    if hub is None:
        hub = services.hub_create(
            paper=hub_paper,
            slug=curation["hub"]["slug"],
            is_published=True,
            curator_note=curation["hub"]["curator_note"],
            by=None,
        )
        report.changes.append(f"hub {hub.slug}")
    wanted = [papers_by_id[row["arxiv_id"]] for row in representatives]
    current = [link.paper for link in hub.representative_links.select_related("paper")]
    if current != wanted:
        services.hub_set_representatives(hub=hub, papers=wanted, by=None)
        report.changes.append("representatives")
    return report
