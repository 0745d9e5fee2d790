"""Reads about one paper: looking it up, its page, and the papers citing it."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hubs.filters import sort_named
from hubs.identifiers import first_named, ids_of, ids_q, parse_or_none
from hubs.models import Citation, Hub, Paper
from hubs.paging import DEFAULT_SORT, SORTS, KeysetPage, keyset_page
from hubs.selectors.explorer import EXPLORER_PAGE_SIZE


def published_hub_of(paper: Paper) -> Hub | None:
    return Hub.objects.published().filter(paper=paper).first()


def paper_citing_count(paper: Paper) -> int:
    return Citation.objects.of_paper(paper).count()


def paper_cited_count(paper: Paper) -> int:
    """How many papers here `paper` cites."""
    return Citation.objects.filter(citing=paper).count()


def latest_reviewed_papers(limit: int = 8) -> list[Paper]:
    return list(Paper.objects.reviewed()[:limit])


def paper_by_identifier(identifier: str) -> Paper | None:
    """The paper any form of any of its ids names (see hubs.identifiers.parse), or None."""
    paper_id = parse_or_none(identifier)
    if paper_id is None:
        return None
    return Paper.objects.with_review().filter(paper_id.q()).first()


def paper_by_ids(ids: Mapping) -> Paper | None:
    """The paper these normalised ids name; where they name several, the one the first id
    in precedence order finds."""
    papers = Paper.objects.filter(ids_q(ids)) if ids else []
    return first_named(ids, {key: paper for paper in papers for key in ids_of(paper).items()})


def papers_by_identifiers(identifiers: Sequence[str]) -> tuple[list[Paper], list[str]]:
    """The papers these identifiers (any form) name, in their order, and the identifiers
    that name no paper; one query."""
    parsed = [(text, parse_or_none(text)) for text in identifiers]
    wanted = [paper_id for _, paper_id in parsed if paper_id]
    found = {}
    if wanted:
        q = wanted[0].q()
        for paper_id in wanted[1:]:
            q |= paper_id.q()
        for paper in Paper.objects.with_review().filter(q):
            found.update(dict.fromkeys(ids_of(paper).items(), paper))
    papers, unknown = [], []
    for text, paper_id in parsed:
        paper = found.get((paper_id.field, paper_id.value)) if paper_id else None
        (papers.append(paper) if paper else unknown.append(text))
    return papers, unknown


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
