"""Many papers at once: create or update, matched by their ids."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from hubs.counts import counts_kept
from hubs.identifiers import id_items, parse_arxiv_id, values_by_field
from hubs.models import Paper
from hubs.numbers_cache import numbers_changed, papers_cited_by
from hubs.services.bulk.records import (
    BulkResult,
    Outcome,
    PaperRecord,
    normalised_ids,
    reason,
)
from hubs.services.bulk.rows import Blank, insert_many, one_bulk_write_at_a_time, update_many
from hubs.services.left_alone import PAPER_FIELD
from hubs.services.rules import paper_dates_follow, paper_field_kept


def _papers_by_ids(identities: Iterable[dict]) -> dict[tuple[str, object], Paper]:
    """The papers any of these ids name, keyed by (id field, value): one query per id kind."""
    by_pk: dict[int, Paper] = {}
    for name, values in values_by_field(identities).items():
        for paper in Paper.objects.filter(**{f"{name}__any_of": values}).order_by():
            by_pk.setdefault(paper.pk, paper)
    # One object per row, whichever id found it, so in-batch changes are seen by all records.
    return {key: paper for paper in by_pk.values() for key in id_items(paper)}


def _record_metadata(record: PaperRecord) -> dict:
    """The metadata fields this record actually gives (empty values say nothing)."""
    values = {
        "title": (record.title or "").strip(),
        "authors": list(record.authors or []),
        "abstract": (record.abstract or "").strip(),
        "primary_category": record.primary_category or "",
        "categories": list(record.categories or []),
        "submitted": record.submitted,
        "code_url": record.code_url or "",
    }
    return {name: value for name, value in values.items() if value not in ("", [], None)}


def _paper_merge(
    paper: Paper, record: PaperRecord, ids: dict, version: int | None
) -> tuple[set[str], set[str]]:
    """Bring `paper` up to date with `record`: the names of the fields that changed, and
    those it would have changed that a person set (they stay as they are).

    Identifiers are only ever added: a paper's existing id wins over a differing one, so
    two sources that disagree cannot make the paper flap between imports.
    """
    changed, kept = set(), set()
    for name, value in ids.items():
        if getattr(paper, name) is None and not paper_field_kept(paper, name):
            setattr(paper, name, value)
            changed.add(name)
    if version and paper.arxiv_id == ids.get("arxiv_id") and (paper.arxiv_version or 0) < version:
        paper.arxiv_version = version
        changed.add("arxiv_version")
    for name, value in _record_metadata(record).items():
        if getattr(paper, name) == value:
            continue
        if paper_field_kept(paper, name):
            kept.add(name)
            continue
        setattr(paper, name, value)
        changed.add(name)
    changed.update(paper_dates_follow(paper, year=record.year))
    return changed, kept


@one_bulk_write_at_a_time
def papers_upsert_bulk(*, records: Sequence[PaperRecord]) -> BulkResult:
    """Create or update many papers, matched by arXiv id, then DOI, then the other ids."""
    identities: list[dict | str] = []
    versions: list[int | None] = []
    for record in records:
        try:
            ids = normalised_ids(record.ids())
            version = parse_arxiv_id(record.arxiv_id).version if record.arxiv_id else None
        except (ValueError, ValidationError) as exc:
            ids, version = reason(exc), None
        identities.append(ids)
        versions.append(version)
    index = _papers_by_ids(ids for ids in identities if isinstance(ids, dict))
    created: list[Paper] = []
    blank = Blank(Paper)
    dirty: dict[int, Paper] = {}
    fields: set[str] = set()
    outcomes, left_alone = [], set()
    for record, ids, version in zip(records, identities, versions, strict=True):
        if isinstance(ids, str):
            outcomes.append(Outcome("invalid", ids))
            continue
        found = [index.get(key) for key in id_items(ids)]
        matches = list({id(paper): paper for paper in found if paper is not None}.values())
        if len(matches) > 1:
            names = " and ".join(paper.identifier for paper in matches)
            outcomes.append(Outcome("invalid", f"its ids name two different papers: {names}"))
            continue
        if not matches:
            if not record.create:
                outcomes.append(Outcome("skipped", "paper not in the site"))
                continue
            if not (record.title or "").strip():
                outcomes.append(Outcome("invalid", "a new paper needs a title"))
                continue
            paper = blank()
            _paper_merge(paper, record, ids, version)
            created.append(paper)
            outcomes.append(Outcome("created"))
        else:
            paper = matches[0]
            changed, kept = _paper_merge(paper, record, ids, version)
            left_alone |= {(paper.pk, name) for name in kept}
            outcomes.append(Outcome("updated" if changed else "unchanged"))
            if changed and paper.pk is not None:
                dirty[paper.pk] = paper
                fields |= changed
        index.update(dict.fromkeys(id_items(paper), paper))
    insert_many(created)
    if dirty:
        # One stamp for the batch (update_many stamps it too; the ORM fallback would not).
        now = timezone.now()
        for paper in dirty.values():
            paper.updated_at = now
        with counts_kept(Q(citing_id__any_of=list(dirty))):  # years and categories
            update_many(list(dirty.values()), [*sorted(fields), "updated_at"])
        numbers_changed(paper_ids=papers_cited_by(dirty))
    result = BulkResult(outcomes=outcomes)
    result.left_alone[PAPER_FIELD] += len(left_alone)
    return result
