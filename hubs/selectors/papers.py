"""Reads about one paper: looking it up, its page, and the papers citing it."""

import contextlib
from dataclasses import dataclass

from hubs.filters import sort_named
from hubs.identifiers import normalize_doi, parse_arxiv_id
from hubs.models import Citation, Hub, Paper
from hubs.paging import DEFAULT_SORT, SORTS, KeysetPage, keyset_page
from hubs.selectors.explorer import EXPLORER_PAGE_SIZE


def published_hub_of(paper: Paper) -> Hub | None:
    return Hub.objects.published().filter(paper=paper).first()


def paper_citing_count(paper: Paper) -> int:
    return Citation.objects.of_paper(paper).count()


def latest_reviewed_papers(limit: int = 8) -> list[Paper]:
    return list(Paper.objects.reviewed()[:limit])


def paper_by_identifier(identifier: str) -> Paper | None:
    """The paper an arXiv id (any version), DOI (any case or resolver prefix), ACL Anthology
    id or OpenAlex id names, or None."""
    if "\x00" in identifier:  # PostgreSQL cannot even compare text holding a NUL
        return None
    papers = Paper.objects.with_review()
    lookups = []
    with contextlib.suppress(ValueError):
        lookups.append({"arxiv_id": parse_arxiv_id(identifier).id})
    with contextlib.suppress(ValueError):
        lookups.append({"doi": normalize_doi(identifier)})
    lookups += [{"acl_id": identifier}, {"openalex_id": identifier}]
    for lookup in lookups:
        if paper := papers.filter(**lookup).first():
            return paper
    return None


def paper_hub_references(paper: Paper) -> list[Citation]:
    """The paper's citations of published hubs, with their contexts."""
    return list(
        Citation.objects.filter(citing=paper)
        .of_published_hubs()
        .with_public_labels()
        .select_related("cited", "cited__hub", "classified_by")
        .prefetch_related("contexts")
        .order_by("cited__title")
    )


@dataclass(frozen=True)
class PaperCitingPage:
    page: KeysetPage
    matching: int  # every paper citing it: this list has no filters
    sort: str


def paper_citing_page(
    paper: Paper, params, *, page_size: int = EXPLORER_PAGE_SIZE
) -> PaperCitingPage:
    """A page of the papers citing `paper` in the `sort` of `params` (the explorer's sorts)
    from its `cursor`, for the paper page and the API. Raises hubs.filters.InvalidSort for
    an unknown sort and hubs.paging.InvalidCursor for a malformed cursor."""
    sort = sort_named(params.get("sort"), SORTS, default=DEFAULT_SORT)
    page = keyset_page(
        Citation.objects.of_paper(paper).with_citing(),
        sort=SORTS[sort],
        cursor=params.get("cursor") or None,
        size=page_size,
    )
    return PaperCitingPage(page=page, matching=paper_citing_count(paper), sort=sort)
