"""Bulk writes: the importers (hubs/importers/) and generate_corpus write through these.

They keep the rules of paper_upsert and citation_add, but look papers up once per batch
(one query per id kind) and write new rows with COPY or one executemany (_insert_many), so
a batch of thousands of records costs a handful of queries. A bad record never sinks its
batch: each record gets an Outcome, and the caller decides whether "invalid" aborts.
"""

import copy
import datetime
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from hubs.identifiers import parse_arxiv_id
from hubs.models import (
    Citation,
    CitationContext,
    ClassificationSource,
    Paper,
    Review,
    Verdict,
)
from hubs.numbers_cache import numbers_changed, papers_cited_by
from hubs.services.citations import (
    CLASSIFICATION_FIELDS,
    _apply_classification,
    _check_classification,
)
from hubs.services.papers import _dates, _paper_identity
from hubs.services.reviews import _novelty

PAPER_ID_FIELDS = ("arxiv_id", "doi", "acl_id", "s2_corpus_id", "openalex_id")


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
    # For sources that know only the year (ACL Anthology, S2 papers without a date).
    year: int | None = None
    # False for partial records (an S2AG abstract): update a paper the site has, never create.
    create: bool = True

    def ids(self) -> dict:
        return {name: getattr(self, name) for name in PAPER_ID_FIELDS if getattr(self, name)}


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


def _identity(ids: dict) -> dict:
    """Normalised ids (no version); ValueError/ValidationError when none is usable."""
    normalised = _paper_identity(**{name: ids.get(name) for name in PAPER_ID_FIELDS})
    normalised.pop("arxiv_version", None)
    for name, value in normalised.items():
        # Checked here, not left to the database: on PostgreSQL one overlong DOI would
        # fail its whole batch.
        limit = Paper._meta.get_field(name).max_length
        if limit and len(value) > limit:
            raise ValidationError(f"{name} is longer than {limit} characters: {value[:40]}...")
    return normalised


def _reason(exc: Exception) -> str:
    return "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _papers_by_ids(identities: Iterable[dict]) -> dict[tuple[str, object], Paper]:
    """The papers any of these ids name, keyed by (id field, value): one query per id kind."""
    wanted: dict[str, set] = {name: set() for name in PAPER_ID_FIELDS}
    for ids in identities:
        for name, value in ids.items():
            wanted[name].add(value)
    by_pk: dict[int, Paper] = {}
    for name, values in wanted.items():
        if values:
            for paper in Paper.objects.filter(**{f"{name}__in": values}).order_by():
                by_pk.setdefault(paper.pk, paper)
    # One object per row, whichever id found it, so in-batch changes are seen by all records.
    return {
        (name, getattr(paper, name)): paper
        for paper in by_pk.values()
        for name in PAPER_ID_FIELDS
        if getattr(paper, name) is not None
    }


def _record_metadata(record: PaperRecord) -> dict:
    """The metadata fields this record actually gives (empty values say nothing)."""
    values = {
        "title": (record.title or "").strip(),
        "authors": list(record.authors or []),
        "abstract": (record.abstract or "").strip(),
        "primary_category": record.primary_category or "",
        "categories": list(record.categories or []),
        "submitted": record.submitted,
    }
    return {name: value for name, value in values.items() if value not in ("", [], None)}


def _paper_merge(paper: Paper, record: PaperRecord, ids: dict, version: int | None) -> set[str]:
    """Bring `paper` up to date with `record`; the names of the fields that changed.

    Identifiers are only ever added: a paper's existing id wins over a differing one, so
    two sources that disagree cannot make the paper flap between imports.
    """
    changed = set()
    for name, value in ids.items():
        if getattr(paper, name) is None:
            setattr(paper, name, value)
            changed.add(name)
    if version and paper.arxiv_id == ids.get("arxiv_id") and (paper.arxiv_version or 0) < version:
        paper.arxiv_version = version
        changed.add("arxiv_version")
    for name, value in _record_metadata(record).items():
        if getattr(paper, name) != value:
            setattr(paper, name, value)
            changed.add(name)
    dates = _dates(submitted=paper.submitted, arxiv_id=paper.arxiv_id)
    if dates["year"] is None:
        # Neither a date nor an arXiv id: the year alone, when the source gives a real one.
        year = record.year
        known = year and datetime.MINYEAR <= year <= datetime.MAXYEAR
        dates = (
            {"year": year, "month": None, "sort_date": datetime.date(year, 1, 1)} if known else {}
        )
    for name, value in dates.items():
        if getattr(paper, name) != value:
            setattr(paper, name, value)
            changed.add(name)
    return changed


@transaction.atomic
def papers_upsert_bulk(*, records: Sequence[PaperRecord]) -> BulkResult:
    """Create or update many papers, matched by arXiv id, then DOI, then the other ids."""
    identities: list[dict | str] = []
    versions: list[int | None] = []
    for record in records:
        try:
            ids = _identity(record.ids())
            version = parse_arxiv_id(record.arxiv_id).version if "arxiv_id" in ids else None
        except (ValueError, ValidationError) as exc:
            ids, version = _reason(exc), None
        identities.append(ids)
        versions.append(version)
    index = _papers_by_ids(ids for ids in identities if isinstance(ids, dict))
    created: list[Paper] = []
    dirty: dict[int, Paper] = {}
    fields: set[str] = set()
    outcomes = []
    for record, ids, version in zip(records, identities, versions, strict=True):
        if isinstance(ids, str):
            outcomes.append(Outcome("invalid", ids))
            continue
        found = [index.get((name, ids[name])) for name in PAPER_ID_FIELDS if name in ids]
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
            paper = Paper()
            _paper_merge(paper, record, ids, version)
            created.append(paper)
            outcomes.append(Outcome("created"))
        else:
            paper = matches[0]
            changed = _paper_merge(paper, record, ids, version)
            outcomes.append(Outcome("updated" if changed else "unchanged"))
            if changed and paper.pk is not None:
                dirty[paper.pk] = paper
                fields |= changed
        for name in PAPER_ID_FIELDS:
            if getattr(paper, name) is not None:
                index[(name, getattr(paper, name))] = paper
    _insert_many(created)
    if dirty:
        # bulk_update skips auto_now, so the stamp is set here.
        now = timezone.now()
        for paper in dirty.values():
            paper.updated_at = now
        Paper.objects.bulk_update(list(dirty.values()), [*sorted(fields), "updated_at"])
        numbers_changed(paper_ids=papers_cited_by(dirty))
    return BulkResult(outcomes=outcomes)


def _insert_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence]):
    """Write rows of ready values (in the order of `names`): COPY on PostgreSQL, else one
    executemany.

    bulk_create compiles a statement for every few dozen rows on SQLite (999 parameters
    at most) and builds every value through the ORM: on a big import that was most of
    the time. No ids come back; callers that need them look them up.
    """
    database = connections[DEFAULT_DB_ALIAS]
    quote = database.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    with database.cursor() as cursor:
        if database.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


# Field types whose stored value differs from the Python one (JSON text, dates, decimals);
# every other value goes to the driver as it is.
_PREPARED_FIELDS = (models.JSONField, models.DateField, models.DecimalField)


def _insert_many(objs: Sequence[models.Model]) -> None:
    """INSERT model instances with _insert_rows, each value stored as the ORM would store it."""
    if not objs:
        return
    model = type(objs[0])
    fields = [column for column in model._meta.local_concrete_fields if not column.primary_key]
    # The real connection, not the `connection` proxy: this loop asks it a million times.
    database = connections[DEFAULT_DB_ALIAS]
    getters = [
        (lambda obj, f=f: f.get_db_prep_save(f.pre_save(obj, True), database))
        if isinstance(f, _PREPARED_FIELDS)
        else attrgetter(f.attname)
        for f in fields
    ]
    rows = [[get(obj) for get in getters] for obj in objs]
    _insert_rows(model, [f.name for f in fields], rows)


def _paper_pks(identities: Iterable[dict]) -> dict[tuple[str, object], int]:
    """Paper pks keyed by (id field, value) for every id given: one query per id kind."""
    wanted: dict[str, set] = {name: set() for name in PAPER_ID_FIELDS}
    for ids in identities:
        for name, value in ids.items():
            wanted[name].add(value)
    found = {}
    for name, values in wanted.items():
        if values:
            rows = Paper.objects.filter(**{f"{name}__in": values}).values_list(name, "pk")
            rows = rows.order_by()
            found.update(((name, value), pk) for value, pk in rows)
    return found


# Cited papers per query when looking citations up by pair; keeps each statement small.
_PAIR_GROUPS_PER_QUERY = 500


def _pair_conditions(pairs: Iterable[tuple[int, int]]) -> Iterator[Q]:
    """Conditions matching exactly these (citing, cited) pairs, a few queries' worth.

    Grouped by cited paper, each group is `cited = X AND citing IN (...)`, which both
    databases answer from the unique (citing, cited) index. A plain `citing IN (...) AND
    cited IN (...)` lets SQLite walk every citation of a big hub instead, for every batch.
    """
    groups: dict[int, list[int]] = {}
    for citing, cited in pairs:
        groups.setdefault(cited, []).append(citing)
    items = list(groups.items())
    for start in range(0, len(items), _PAIR_GROUPS_PER_QUERY):
        condition = Q()
        for cited, citing in items[start : start + _PAIR_GROUPS_PER_QUERY]:
            condition |= Q(cited_id=cited, citing_id__in=citing)
        yield condition


def _resolve(ids: dict, pks: dict) -> int | None:
    for name in PAPER_ID_FIELDS:
        if name in ids and (pk := pks.get((name, ids[name]))):
            return pk
    return None


def _contexts_wanted(contexts: Sequence[tuple[str, str]] | None) -> list[tuple[str, str]]:
    """Non-empty contexts, stripped, each once, in the source's order."""
    seen = {}
    for text, section in contexts or ():
        if text and text.strip():
            seen.setdefault((text.strip(), (section or "").strip()[:255]), None)
    return list(seen)


_LABEL_STATE = ("role", "polarity", "classification_source", "confidence", "classified_by_id")


def _label_apply(citation: Citation, record: CitationRecord, *, by, now) -> str:
    """Apply an imported label unless a curator owns the citation's; how the label fared."""
    if record.role is None and record.polarity is None:
        return ""
    before = tuple(getattr(citation, name) for name in _LABEL_STATE)
    curated = citation.classification_source == ClassificationSource.CURATOR
    # A curator's label is tried on a copy: the same label again is "unchanged", any
    # other is "skipped" and the curator's stays.
    target = copy.copy(citation) if curated else citation
    classified_at = citation.classified_at
    _apply_classification(
        target,
        role=record.role,
        polarity=record.polarity,
        source=record.source,
        confidence=record.confidence,
        by=by,
        now=now,
    )
    if tuple(getattr(target, name) for name in _LABEL_STATE) == before:
        citation.classified_at = classified_at
        return "unchanged"
    if curated:
        return "skipped"
    return "updated" if before[0] or before[1] else "created"


def _citation_check(record: CitationRecord, identity) -> tuple[dict, dict]:
    """The record's two normalised ends; ValidationError/ValueError when it is unusable."""
    if record.refs is not None and record.refs < 1:
        raise ValidationError("refs must be at least 1.")
    _check_classification(
        role=record.role,
        polarity=record.polarity,
        source=record.source,
        confidence=record.confidence,
    )
    return identity(record.citing), identity(record.cited)


@transaction.atomic
def citations_add_bulk(*, records: Sequence[CitationRecord], by: User | None = None) -> BulkResult:
    """Record many citations with their contexts and labels; a curator's label is never touched.

    Like citation_add, given contexts replace a citation's contexts and refs are updated;
    ends that are not in the site make the record "skipped". New citations that carry a
    label get a historical record (the public correction trail starts from it); new
    unlabelled ones do not, since their first classification will be recorded then and
    the trail reads a missing record as "unclassified", which is what they were.
    """
    known: dict[tuple, dict] = {}

    def identity(ids: dict) -> dict:
        # A hub's id comes once per citing paper: normalise it once per batch.
        key = tuple(sorted(ids.items()))
        if key not in known:
            known[key] = _identity(ids)
        return known[key]

    ends: list[tuple[dict, dict] | str] = []
    for record in records:
        try:
            ends.append(_citation_check(record, identity))
        except (ValueError, ValidationError) as exc:
            ends.append(_reason(exc))
    pks = _paper_pks(ids for pair in ends if not isinstance(pair, str) for ids in pair)
    pairs: list[tuple[int, int] | Outcome] = []
    for pair in ends:
        if isinstance(pair, str):
            pairs.append(Outcome("invalid", pair))
            continue
        citing, cited = _resolve(pair[0], pks), _resolve(pair[1], pks)
        if citing is None or cited is None:
            which = "citing" if citing is None else "cited"
            pairs.append(Outcome("skipped", f"{which} paper not in the site"))
        elif citing == cited:
            pairs.append(Outcome("invalid", "a paper cannot cite itself"))
        else:
            pairs.append((citing, cited))
    wanted = {pair for pair in pairs if not isinstance(pair, Outcome)}
    existing = {
        (citation.citing_id, citation.cited_id): citation
        for condition in _pair_conditions(wanted)
        for citation in Citation.objects.filter(condition).order_by()
    }
    current_contexts: dict[int, list[tuple[str, str]]] = {c.pk: [] for c in existing.values()}
    rows = CitationContext.objects.filter(
        citation_id__in=[
            existing[pair].pk
            for pair, record in zip(pairs, records, strict=True)
            if pair in existing and record.contexts
        ]
    ).order_by("citation_id", "position", "id")
    for citation_id, text, section in rows.values_list("citation_id", "text", "section"):
        current_contexts[citation_id].append((text, section))

    now = timezone.now()
    result = BulkResult(outcomes=[])
    state: dict[tuple[int, int], Citation] = {}
    new_pairs: set[tuple[int, int]] = set()
    labelled, refs_changed = set(), set()
    contexts_pending: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for pair, record in zip(pairs, records, strict=True):
        if isinstance(pair, Outcome):
            result.outcomes.append(pair)
            result.contexts["skipped"] += len(_contexts_wanted(record.contexts))
            continue
        citation = state.get(pair) or existing.get(pair)
        is_new = citation is None
        if is_new:
            citation = Citation(citing_id=pair[0], cited_id=pair[1], refs=record.refs or 1)
            new_pairs.add(pair)
        state[pair] = citation
        changed = False
        if record.refs and citation.refs != record.refs:
            citation.refs = record.refs
            refs_changed.add(pair)
            changed = True
        contexts = _contexts_wanted(record.contexts)
        if contexts:
            before = contexts_pending.get(pair)
            if before is None:
                before = current_contexts.get(citation.pk, []) if citation.pk else []
            if contexts != before:
                contexts_pending[pair] = contexts
                result.contexts["updated" if before else "created"] += len(contexts)
                changed = True
            else:
                result.contexts["unchanged"] += len(contexts)
        if label := _label_apply(citation, record, by=by, now=now):
            result.labels[label] += 1
            if label in ("created", "updated"):
                labelled.add(pair)
                changed = True
        result.outcomes.append(
            Outcome("created" if is_new else "updated" if changed else "unchanged")
        )

    fresh = [state[pair] for pair in new_pairs]
    _insert_many(fresh)
    if fresh:
        for condition in _pair_conditions(new_pairs):
            rows = Citation.objects.filter(condition).order_by()
            for citing, cited, pk in rows.values_list("citing_id", "cited_id", "pk"):
                state[(citing, cited)].pk = pk
                state[(citing, cited)]._state.adding = False
        with_label = [citation for citation in fresh if citation.role or citation.polarity]
        Citation.history.bulk_history_create(with_label, default_user=by)
    relabelled = [state[pair] for pair in labelled - new_pairs]
    if relabelled:
        bulk_update_with_history(
            relabelled, Citation, [*CLASSIFICATION_FIELDS, "refs"], default_user=by
        )
    # A change of refs alone is bookkeeping, not a classification: no history record.
    recounted = [state[pair] for pair in refs_changed - new_pairs - labelled]
    Citation.objects.bulk_update(recounted, ["refs"])
    CitationContext.objects.filter(
        citation_id__in=[state[pair].pk for pair in contexts_pending if pair not in new_pairs]
    ).delete()
    _insert_rows(
        CitationContext,
        ["citation", "text", "section", "position"],
        [
            (state[pair].pk, text, section, position)
            for pair, contexts in contexts_pending.items()
            for position, (text, section) in enumerate(contexts)
        ],
    )
    numbers_changed(paper_ids={cited for _, cited in new_pairs | labelled})
    return result


@transaction.atomic
def reviews_add_bulk(*, records: Sequence[ReviewRecord], by: User | None) -> BulkResult:
    """Add reviews to papers that have none; an existing review (a curator's) is left alone."""
    identities = []
    for record in records:
        try:
            _novelty(record.novelty)
            if record.verdict not in Verdict.values:
                raise ValidationError(f"Unknown verdict {record.verdict!r}.")
            identities.append(_identity(record.paper))
        except (ValueError, ValidationError) as exc:
            identities.append(_reason(exc))
    pks = _paper_pks(ids for ids in identities if isinstance(ids, dict))
    reviewed = set(
        Review.objects.filter(paper_id__in=set(pks.values())).values_list("paper_id", flat=True)
    )
    result, fresh = BulkResult(outcomes=[]), []
    for record, ids in zip(records, identities, strict=True):
        if isinstance(ids, str):
            result.outcomes.append(Outcome("invalid", ids))
        elif (pk := _resolve(ids, pks)) is None:
            result.outcomes.append(Outcome("skipped", "paper not in the site"))
        elif pk in reviewed:
            result.outcomes.append(Outcome("unchanged"))
        else:
            reviewed.add(pk)
            fresh.append(
                Review(
                    paper_id=pk,
                    verdict=record.verdict,
                    novelty=_novelty(record.novelty),
                    summary=record.summary.strip(),
                    curator=by,
                )
            )
            result.outcomes.append(Outcome("created"))
    if fresh:
        bulk_create_with_history(fresh, Review, default_user=by)
        numbers_changed(paper_ids=papers_cited_by(review.paper_id for review in fresh))
    return result
