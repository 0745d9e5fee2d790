"""The write layer: the admin, the API, pages and management commands all write through
these service functions (keyword-only, atomic). One module per kind of record."""

from hubs.services.bulk import (
    BulkResult,
    CitationRecord,
    Outcome,
    PaperRecord,
    ReviewRecord,
    citations_add_bulk,
    papers_upsert_bulk,
    reviews_add_bulk,
)
from hubs.services.citations import (
    citation_add,
    citation_classify,
    citations_accept_suggestions,
    citations_classify,
    citations_classify_items,
    citations_delete,
)
from hubs.services.history import change_revert
from hubs.services.hubs import (
    hub_create,
    hub_create_missing,
    hub_delete,
    hub_publish,
    hub_representatives_check,
    hub_revert,
    hub_set_representatives,
    hub_update,
)
from hubs.services.papers import paper_update, paper_upsert, papers_delete
from hubs.services.reviews import ReviewConflict, review_set, reviews_delete
from hubs.services.rules import ItemsInvalid
from hubs.services.suggestions import (
    ClassifierMissing,
    SuggestReport,
    citations_suggest,
)

__all__ = [
    "BulkResult",
    "CitationRecord",
    "ClassifierMissing",
    "ItemsInvalid",
    "Outcome",
    "PaperRecord",
    "ReviewConflict",
    "ReviewRecord",
    "SuggestReport",
    "change_revert",
    "citation_add",
    "citation_classify",
    "citations_accept_suggestions",
    "citations_add_bulk",
    "citations_classify",
    "citations_classify_items",
    "citations_delete",
    "citations_suggest",
    "hub_create",
    "hub_create_missing",
    "hub_delete",
    "hub_publish",
    "hub_representatives_check",
    "hub_revert",
    "hub_set_representatives",
    "hub_update",
    "paper_update",
    "paper_upsert",
    "papers_delete",
    "papers_upsert_bulk",
    "review_set",
    "reviews_add_bulk",
    "reviews_delete",
]
