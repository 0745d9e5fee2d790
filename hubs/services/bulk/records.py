"""What an importer hands the bulk services (records) and what comes back (outcomes)."""

import datetime
import functools
from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError

from hubs.identifiers import ids_of
from hubs.models import ClassificationSource, Paper, Verdict
from hubs.services.rules import paper_identity_of


@dataclass
class PaperRecord:
    """A paper as a source describes it; None or empty means "the source does not say"."""

    arxiv_id: str | None = None
    doi: str | None = None
    acl_id: str | None = None
    s2_corpus_id: int | None = None
    openalex_id: str | None = None
    title: str | None = None
    authors: list[str] | None = None
    abstract: str | None = None
    primary_category: str | None = None
    categories: list[str] | None = None
    submitted: datetime.date | None = None
    code_url: str | None = None
    # For sources that know only the year (ACL Anthology, S2 papers without a date).
    year: int | None = None
    # False for partial records (an S2AG abstract): update a paper the site has, never create.
    create: bool = True

    def ids(self) -> dict:
        return ids_of(self)


@dataclass
class CitationRecord:
    """A citation as a source gives it; each end is an id dict such as {"doi": "10.1/x"}."""

    citing: dict
    cited: dict
    refs: int | None = None
    contexts: list[tuple[str, str]] | None = None
    role: str | None = None
    polarity: str | None = None
    source: str = ClassificationSource.IMPORT
    confidence: float | None = None


@dataclass
class ReviewRecord:
    """A review to add to the paper these ids name."""

    paper: dict
    verdict: str = Verdict.UNVERDICTED
    novelty: Decimal | float | str | None = None
    summary: str = ""


class Outcome(NamedTuple):
    """What a bulk write did with one record: created, updated, unchanged, skipped, invalid."""

    status: str
    reason: str = ""


@dataclass
class BulkResult:
    outcomes: list[Outcome]
    # Context rows and classification labels, counted by the same four words.
    contexts: Counter = dataclass_field(default_factory=Counter)
    labels: Counter = dataclass_field(default_factory=Counter)
    # What a person set that the write left as it was, by hubs.services.left_alone's names.
    left_alone: Counter = dataclass_field(default_factory=Counter)


def normalised_ids(ids: dict) -> dict:
    """Normalised ids (no version); ValueError/ValidationError when none is usable."""
    normalised = paper_identity_of(ids)
    normalised.pop("arxiv_version", None)
    for name, value in normalised.items():
        # Checked here, not left to the database: on PostgreSQL one overlong DOI would
        # fail its whole batch.
        limit = _id_limit(name)
        if limit and len(value) > limit:
            raise ValidationError(f"{name} is longer than {limit} characters: {value[:40]}...")
    return normalised


@functools.cache
def _id_limit(name: str) -> int | None:
    return Paper._meta.get_field(name).max_length


def reason(exc: Exception) -> str:
    return "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
