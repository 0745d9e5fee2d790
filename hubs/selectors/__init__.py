"""The read layer's page-level functions, one module per subject: a hub as a whole
(hubs), its citing-papers explorer (explorer), one paper (papers), one citation and a
hub's feed items (citations) and a citation's correction trail (history). Pages, API,
feeds, exports, the admin and commands call these; none of them builds its own query."""

from hubs.selectors.citations import citation_between, citation_detail, hub_feed_citations
from hubs.selectors.explorer import (
    EXPLORER_PAGE_SIZE,
    CitingPage,
    Explorer,
    Facet,
    hub_citations,
    hub_citations_in_order,
    hub_citing_page,
    hub_explorer,
    hub_facet,
)
from hubs.selectors.history import ClassificationChange, citation_classification_history
from hubs.selectors.hubs import (
    DEFAULT_HUB_DIRECTORY_SORT,
    HUB_DIRECTORY_SORTS,
    REPRESENTATIVES_SHOWN,
    HubSummary,
    LabelCount,
    hub_cube,
    hub_directory,
    hub_representatives,
    hub_summary,
    hub_visible,
)
from hubs.selectors.papers import (
    PaperCitingPage,
    latest_reviewed_papers,
    paper_by_identifier,
    paper_by_ids,
    paper_cited_count,
    paper_citing_count,
    paper_citing_page,
    paper_hub_references,
    papers_by_identifiers,
    published_hub_of,
)

__all__ = [
    "DEFAULT_HUB_DIRECTORY_SORT",
    "EXPLORER_PAGE_SIZE",
    "HUB_DIRECTORY_SORTS",
    "REPRESENTATIVES_SHOWN",
    "CitingPage",
    "ClassificationChange",
    "Explorer",
    "Facet",
    "HubSummary",
    "LabelCount",
    "PaperCitingPage",
    "citation_between",
    "citation_classification_history",
    "citation_detail",
    "hub_citations",
    "hub_citations_in_order",
    "hub_citing_page",
    "hub_cube",
    "hub_directory",
    "hub_explorer",
    "hub_facet",
    "hub_feed_citations",
    "hub_representatives",
    "hub_summary",
    "hub_visible",
    "latest_reviewed_papers",
    "paper_by_identifier",
    "paper_by_ids",
    "paper_cited_count",
    "paper_citing_count",
    "paper_citing_page",
    "paper_hub_references",
    "papers_by_identifiers",
    "published_hub_of",
]
