"""Bulk writes: the importers (hubs/importers/) and generate_corpus write through these.

They keep the rules of paper_upsert and citation_add, but look papers up once per batch
(one query per id kind) and write new rows with COPY or one executemany (rows.insert_many),
so a batch of thousands of records costs a handful of queries. A bad record never sinks
its batch: each record gets an Outcome, and the caller decides whether "invalid" aborts.

They are the loaders' fill-only path: they write what is missing or what the source
owns, never what a person set (a review, a curator's label, a paper field in
Paper.edited_fields), and each BulkResult counts what it left alone.

One module per kind of record (papers, citations, reviews); records.py holds what the
importers hand in and what comes back, rows.py the raw inserts and id look-ups.
"""

from hubs.services.bulk.citations import citations_add_bulk
from hubs.services.bulk.papers import papers_upsert_bulk
from hubs.services.bulk.records import (
    BulkResult,
    CitationRecord,
    Outcome,
    PaperRecord,
    ReviewRecord,
)
from hubs.services.bulk.reviews import reviews_add_bulk

__all__ = [
    "BulkResult",
    "CitationRecord",
    "Outcome",
    "PaperRecord",
    "ReviewRecord",
    "citations_add_bulk",
    "papers_upsert_bulk",
    "reviews_add_bulk",
]
