"""The read layer's page-level functions, one module per subject: a hub as a whole
(hubs), its citing-papers explorer (explorer), one paper (papers) and a citation's
correction trail (history). Pages, API, feeds, exports, the admin and commands call
these; none of them builds its own query."""

from hubs.selectors.explorer import (
    EXPLORER_PAGE_SIZE,
    Explorer,
    Facet,
    hub_citations,
    hub_citations_in_order,
    hub_explorer,
    hub_facet,
)
from hubs.selectors.history import ClassificationChange, citation_classification_history
from hubs.selectors.hubs import (
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
    latest_reviewed_papers,
    paper_by_identifier,
    paper_by_ids,
    paper_citing_count,
    paper_citing_page,
    paper_hub_references,
    papers_by_identifiers,
    published_hub_of,
)

__all__ = [
    "EXPLORER_PAGE_SIZE",
    "HUB_DIRECTORY_SORTS",
    "REPRESENTATIVES_SHOWN",
    "ClassificationChange",
    "Explorer",
    "Facet",
    "HubSummary",
    "LabelCount",
    "citation_classification_history",
    "hub_citations",
    "hub_citations_in_order",
    "hub_cube",
    "hub_directory",
    "hub_explorer",
    "hub_facet",
    "hub_representatives",
    "hub_summary",
    "hub_visible",
    "latest_reviewed_papers",
    "paper_by_identifier",
    "paper_by_ids",
    "paper_citing_count",
    "paper_citing_page",
    "paper_hub_references",
    "papers_by_identifiers",
    "published_hub_of",
]
