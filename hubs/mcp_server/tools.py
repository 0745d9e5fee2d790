"""The MCP tools: each one looks up what it names, calls the read layer's selectors (the
same ones the pages and the API call) and returns what the API's serializers make of it,
with the canonical URLs of the site's pages. Read-only, published hubs only.

Tools are coroutines whose bodies run through `sync_to_async` in the request's thread
(the ORM is synchronous; the transport view runs the server with `async_to_sync`), and
turn "no such thing" and bad filters into tool errors the model can read and correct.
"""

import functools
from contextvars import ContextVar
from typing import Annotated, Any, Literal

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import Http404
from django.urls import reverse
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from hubs.api import serializers as s
from hubs.api.errors import flatten_errors
from hubs.filters import FACETS, InvalidSort
from hubs.models import Hub, Paper
from hubs.paging import DEFAULT_SORT, SORTS, InvalidCursor
from hubs.selectors import (
    citation_between,
    hub_citing_page,
    hub_detail,
    hub_grouped,
    hub_visible,
    paper_by_identifier,
    paper_cited_count,
    paper_citing_count,
    paper_hub_references,
    published_hub_of,
)
from hubs.vocab import UNCLASSIFIED, Polarity, Role, Verdict

# The request being answered: its host makes the URLs absolute unless PITHSITE_SITE_URL
# names the site's public address.
current_request: ContextVar = ContextVar("mcp_request", default=None)

MAX_PAGE = 50

server = MCPServer(
    name="pithsite",
    title="pithsite citation hubs",
    instructions=(
        "pithsite publishes citation hubs: for a canonical paper, every paper here that "
        "cites it, with each citation's role (how it is used: background, method, "
        "comparison, ...) and polarity (supportive, neutral, critical), the sentences it "
        "is cited in, and curators' reviews of the citing papers. Labels set by a curator "
        "are authoritative; labels from a model are suggestions with a confidence. Start "
        "with search_papers or get_hub, then list_citing_papers / hub_facets to answer "
        "'how is this paper cited, and who disagrees with it?', and get_citation_contexts "
        "for the evidence. Cite the html_url / url fields: they are the site's pages."
    ),
)


class _Urls:
    """Absolute URLs for the API's serializers (their context's `request`)."""

    def build_absolute_uri(self, path: str) -> str:
        base = getattr(settings, "PITHSITE_SITE_URL", "")
        if base:
            return base.rstrip("/") + path
        request = current_request.get()
        if request is not None:
            return request.build_absolute_uri(path)
        return path


URLS = _Urls()


def url(path: str) -> str:
    return URLS.build_absolute_uri(path)


def _tool(fn):
    """Register `fn` (synchronous, typed) as a read-only tool run in the request's thread,
    with lookups that fail and bad values reported as tool errors."""

    @functools.wraps(fn)
    async def call(**kwargs):
        try:
            return await sync_to_async(fn, thread_sensitive=True)(**kwargs)
        except Http404 as exc:
            raise ToolError(str(exc) or "Not found.") from exc
        except InvalidCursor as exc:
            raise ToolError(f"cursor: {exc} Use a next_cursor a previous call returned.") from exc
        except InvalidSort as exc:
            raise ToolError(f"sort: {exc}") from exc

    server.add_tool(
        call,
        name=fn.__name__,
        description=fn.__doc__,
        annotations=ToolAnnotations(
            read_only_hint=True, idempotent_hint=True, open_world_hint=False
        ),
    )
    return fn


def _paper(identifier: str, what: str = "paper") -> Paper:
    paper = paper_by_identifier(identifier)
    if paper is None:
        raise ToolError(
            f"No {what} here has the identifier {identifier!r}. Give an arXiv id, a DOI, an "
            "ACL id, CorpusId:<n>, an OpenAlex id (W...) or a link to one; search_papers "
            "finds papers by title or author."
        )
    return paper


def _hub(identifier_or_slug: str) -> Hub:
    """A published hub by its slug, or by any identifier of its paper."""
    text = identifier_or_slug.strip()
    try:
        return hub_visible(text, include_drafts=False)
    except Http404:
        pass
    paper = paper_by_identifier(text)
    hub = published_hub_of(paper) if paper is not None else None
    if hub is None:
        raise ToolError(
            f"No published hub is named by {identifier_or_slug!r}. Give a hub's slug or an "
            "identifier of its paper (arXiv id, DOI, ...); get_paper tells whether a paper "
            "has a hub."
        )
    return hub


def _filters(**values) -> dict:
    params = {name: value for name, value in values.items() if value not in (None, "")}
    if "year" in params:
        params["year"] = str(params["year"])
    return params


def _check(filterset) -> None:
    if filterset.errors:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}"
            for name, messages in flatten_errors(filterset.errors).items()
        )
        raise ToolError(f"Invalid filters: {problems}")


def _hub_ref(hub: Hub) -> dict:
    return {"slug": hub.slug, "url": url(hub.get_absolute_url())}


def _citation_url(pk: int) -> str:
    return url(reverse("hubs:citation-detail", kwargs={"pk": pk}))


# Typed arguments: the closed sets come from the vocabulary and the filter registry.
HubArg = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        description="The hub's slug (from get_hub or get_paper) or any identifier of its "
        "paper: arXiv id, DOI, ACL id, CorpusId:<n>, OpenAlex id, or a link to one.",
    ),
]
IdentifierArg = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        description="Any identifier of the paper in any form: 2509.08827 or 2509.08827v2, "
        "a DOI (any case, or https://doi.org/...), an ACL id like P02-1040, CorpusId:123, "
        "an OpenAlex id W123, or an arxiv.org / aclanthology / semanticscholar link.",
    ),
]
RoleArg = Literal[tuple([*Role.values, UNCLASSIFIED])]
PolarityArg = Literal[tuple([*Polarity.values, UNCLASSIFIED])]
VerdictArg = Literal[tuple(Verdict.values)]
SortArg = Literal[tuple(SORTS)]
GroupByArg = Literal[tuple(spec.name for spec in FACETS)]
YearArg = Annotated[
    int | Literal["unknown"] | None,
    Field(description='A citing paper\'s year, e.g. 2025, or "unknown".'),
]
QueryArg = Annotated[
    str | None, Field(max_length=500, description="Words of the citing paper's title or authors.")
]
CategoryArg = Annotated[
    str | None, Field(max_length=50, description="The citing paper's arXiv category, e.g. cs.CL.")
]


@_tool
def search_papers(
    query: Annotated[
        str,
        Field(
            min_length=1,
            max_length=500,
            description="Words of a title or an author's name, or any identifier people "
            "paste (arXiv id, DOI, ACL id, CorpusId:<n>, OpenAlex id, or a link to one).",
        ),
    ],
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE, description="How many papers.")] = 10,
) -> dict[str, Any]:
    """Find papers on pithsite by title words, author, or any identifier. The paper an
    identifier names comes first, then title matches, then author matches (newest first
    within each). Each result has its `identifier` (for get_paper, get_hub and
    get_citation_contexts) and `html_url`, its page on the site."""
    papers = list(Paper.objects.search(query)[:limit])
    return {
        "query": query,
        "papers": s.PaperSummarySerializer(papers, many=True, context={"request": URLS}).data,
    }


@_tool
def get_paper(identifier: IdentifierArg) -> dict[str, Any]:
    """One paper: metadata (title, authors, date, ids, abstract), its review by the
    curators (verdict, novelty 0-10, summary; null if unreviewed), the hub built on it if
    there is one, how many papers here cite it (`citing_count`) and how many it cites
    (`cited_count`), and its citations of published hubs with their sentences and labels
    (`cites_hubs`)."""
    paper = _paper(identifier)
    context = {
        "request": URLS,
        "hub_references": paper_hub_references(paper),
        "citing_count": paper_citing_count(paper),
    }
    hub = published_hub_of(paper)
    return {
        **s.PaperPageSerializer(paper, context=context).data,
        "cited_count": paper_cited_count(paper),
        "hub": _hub_ref(hub) if hub else None,
    }


@_tool
def get_hub(identifier_or_slug: HubArg) -> dict[str, Any]:
    """A citation hub: its paper, the status sentence as the hub page states it with the
    figures behind it (`status`: how many papers cite it, how many are classified - the
    denominator of the shares - and the dominant role and polarity), counts and shares
    by role and by polarity, citing papers by year, and the curators' representative
    citing papers in order. `url` is the hub's page."""
    hub = _hub(identifier_or_slug)
    data = dict(s.HubDetailSerializer(hub_detail(hub), context={"request": URLS}).data)
    data.pop("cube", None)  # role x polarity x year: hub_facets answers those questions
    return {**data, "url": url(hub.get_absolute_url())}


@_tool
def list_citing_papers(
    hub: HubArg,
    role: RoleArg | None = None,
    polarity: PolarityArg | None = None,
    year: YearArg = None,
    verdict: VerdictArg | None = None,
    category: CategoryArg = None,
    query: QueryArg = None,
    sort: SortArg | None = None,
    cursor: Annotated[
        str | None, Field(max_length=500, description="next_cursor from the previous page.")
    ] = None,
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE, description="Rows per page.")] = 25,
) -> dict[str, Any]:
    """The papers citing a hub's paper, one page at a time, with the hub page's and the
    API's filters (all optional, combined with AND) and sorts (newest first by default).
    Each row: the citing paper (with its page's `html_url`), the citation's role and
    polarity, whether they count as classified, who set them (`set_by`: a curator, or a
    model with its confidence), the citing paper's verdict and novelty, and `url`, the
    citation's page. `matching` is how many pass the filters (with `matching_exact` false,
    a text search matched more than that many and they were not all counted); pass
    `next_cursor` back as `cursor` for the next page (null on the last)."""
    the_hub = _hub(hub)
    params = _filters(
        role=role, polarity=polarity, year=year, verdict=verdict, category=category, q=query
    )
    params.update(_filters(sort=sort, cursor=cursor))
    listing = hub_citing_page(the_hub, params, page_size=limit)
    _check(listing.filterset)
    rows = s.CitingPaperSerializer(listing.page.rows, many=True, context={"request": URLS}).data
    return {
        "hub": _hub_ref(the_hub),
        "matching": int(listing.matching),
        "matching_exact": listing.matching.exact,  # False: more than `matching` (a search)
        "sort": sort or DEFAULT_SORT,
        "rows": [{**row, "url": _citation_url(row["citation_id"])} for row in rows],
        "next_cursor": listing.page.next_cursor,
    }


@_tool
def get_citation_contexts(
    citing: Annotated[
        str,
        Field(
            min_length=1,
            max_length=500,
            description="The citing paper: any identifier, as for get_paper.",
        ),
    ],
    cited: Annotated[
        str,
        Field(
            min_length=1,
            max_length=500,
            description="The cited paper (often a hub's paper): any identifier.",
        ),
    ],
) -> dict[str, Any]:
    """How one paper cites another: the sentences it cites it in, with their sections,
    the citation's role and polarity, who set them (`set_by`, `classification_source`:
    a curator, a data load, an import or a model) and the confidence, whether they count
    as classified, and the public correction trail (`history`: each change of role or
    polarity, newest first). `url` is the citation's page."""
    citing_paper, cited_paper = _paper(citing, "citing paper"), _paper(cited, "cited paper")
    try:
        citation = citation_between(citing_paper, cited_paper)
    except Http404 as exc:
        raise ToolError(
            f"{citing_paper.identifier} does not cite {cited_paper.identifier} here."
        ) from exc
    data = s.CitationDetailSerializer(citation, context={"request": URLS}).data
    return {**data, "url": url(citation.get_absolute_url())}


@_tool
def hub_facets(
    hub: HubArg,
    group_by: GroupByArg,
    role: RoleArg | None = None,
    polarity: PolarityArg | None = None,
    year: YearArg = None,
    verdict: VerdictArg | None = None,
    category: CategoryArg = None,
    query: QueryArg = None,
) -> dict[str, Any]:
    """Counts of a hub's citing papers grouped by one dimension (role, polarity, year,
    category or verdict), under any of list_citing_papers' filters: e.g. group_by=year
    with polarity=critical says when the critics wrote. `matching` is how many pass the
    filters (with `matching_exact` false: more than that, a search too common to count,
    and no groups); groups are most first."""
    the_hub = _hub(hub)
    params = _filters(
        role=role, polarity=polarity, year=year, verdict=verdict, category=category, q=query
    )
    filterset, data = hub_grouped(the_hub, params, group_by=group_by)
    _check(filterset)
    return {"hub": _hub_ref(the_hub), **s.FacetsSerializer(data).data}
