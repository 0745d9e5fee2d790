"""Writes on papers: create or update one, matched by its identifiers."""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from hubs.counts import counts_kept
from hubs.history import rows_delete
from hubs.identifiers import ID_FIELDS
from hubs.models import Paper
from hubs.numbers_cache import numbers_changed, papers_cited_by
from hubs.selectors.papers import paper_by_ids
from hubs.services.rules import (
    paper_dates_follow,
    paper_field_kept,
    paper_fields_edited,
    paper_identity,
)

# Fields a paper's metadata update may set; identifiers are handled apart.
PAPER_METADATA_FIELDS = (
    "title",
    "authors",
    "abstract",
    "primary_category",
    "categories",
    "submitted",
    "code_url",
)


@transaction.atomic
def paper_upsert(
    *,
    title: str,
    arxiv_id: str | None = None,
    doi: str | None = None,
    acl_id: str | None = None,
    s2_corpus_id: int | None = None,
    openalex_id: str | None = None,
    authors: Sequence[str] = (),
    abstract: str = "",
    primary_category: str = "",
    categories: Sequence[str] = (),
    submitted: datetime.date | None = None,
    code_url: str = "",
    by_person: bool = False,
) -> tuple[Paper, bool]:
    """Create the paper these ids name, or bring its metadata up to date; (paper, created).

    Where the day of submission is unknown, year and month come from the arXiv id, else
    the paper keeps the ones it has (hubs.services.rules.paper_dates_follow). Fields
    a person set are left as they are, unless `by_person` (the admin's add form): then
    the values given are that person's, and remembered as such.
    """
    ids = paper_identity(
        arxiv_id=arxiv_id,
        doi=doi,
        acl_id=acl_id,
        s2_corpus_id=s2_corpus_id,
        openalex_id=openalex_id,
    )
    if not title.strip():
        raise ValidationError("A paper needs a title.")
    values = {
        **ids,
        "title": title.strip(),
        "authors": list(authors),
        "abstract": abstract,
        "primary_category": primary_category or "",
        "categories": list(categories),
        "submitted": submitted,
        "code_url": code_url,
    }
    fields = (*ID_FIELDS, *PAPER_METADATA_FIELDS)
    given = [name for name in fields if values.get(name) not in ("", [], None)]
    paper = paper_by_ids(ids)
    if paper is None:
        paper = Paper(**values)
        paper_dates_follow(paper)
        if by_person:
            paper_fields_edited(paper, given)
        paper.save()
        return paper, True
    remembered = paper.edited_fields
    if by_person:
        paper_fields_edited(paper, given)
    else:
        # What a person set stays; the dates follow the submission date kept.
        values = {name: v for name, v in values.items() if not paper_field_kept(paper, name)}
    changed = [field for field, value in values.items() if getattr(paper, field) != value]
    for field in changed:
        setattr(paper, field, values[field])
    changed += paper_dates_follow(paper)
    if paper.edited_fields != remembered:
        changed.append("edited_fields")
    if changed:
        with counts_kept(Q(citing=paper)):  # year and category
            paper.save(update_fields=[*changed, "updated_at"])
        numbers_changed(paper_ids=papers_cited_by([paper.pk]))  # year and category facets
    return paper, False


@transaction.atomic
def papers_delete(*, papers: Iterable[Paper]) -> int:
    """Delete papers (a superuser's act in the admin) with what hangs on them: their
    citations either way, their reviews, their hubs, each delete of a citation or review
    recorded in its history, in as many queries for thirty as for three
    (hubs.history.rows_delete). The hubs they cited lose citing papers: their counts follow
    in this transaction and their pages go stale at once. The number deleted."""
    ids = [paper.pk for paper in papers]
    cited = papers_cited_by(ids)
    # A citation between two of these papers counts in no hub that stays: the cited
    # paper's hub goes with it, its counts too.
    with counts_kept(Q(citing_id__in=ids) & ~Q(cited_id__in=ids)):
        deleted = rows_delete(Paper.objects.filter(pk__in=ids))
    numbers_changed(paper_ids=cited | set(ids))
    return deleted


@transaction.atomic
def paper_update(*, paper: Paper, changes: dict) -> Paper:
    """Change a paper's identifiers or metadata (an admin edit); ids are normalised again.

    The fields changed are remembered as a person's (Paper.edited_fields): loaders and
    importers leave them alone from then on. Year and month change only with their source
    (hubs.services.rules.paper_dates_follow): an edit of the title keeps a year that only
    a source gave.
    """
    before = {field: getattr(paper, field) for field in (*ID_FIELDS, *PAPER_METADATA_FIELDS)}
    normalised = paper_identity(
        **{field: changes.get(field, getattr(paper, field)) for field in ID_FIELDS}
    )
    for field in ID_FIELDS:
        setattr(paper, field, normalised.get(field))
    if "arxiv_version" in changes or "arxiv_version" in normalised:
        paper.arxiv_version = normalised.get("arxiv_version", changes.get("arxiv_version"))
    for field in PAPER_METADATA_FIELDS:
        if field in changes:
            setattr(paper, field, changes[field])
    paper_dates_follow(paper)
    paper_fields_edited(
        paper, [field for field, value in before.items() if getattr(paper, field) != value]
    )
    paper.full_clean()
    with counts_kept(Q(citing=paper)):  # year and category
        paper.save()
    numbers_changed(paper_ids={paper.pk, *papers_cited_by([paper.pk])})  # its hub's page too
    return paper
