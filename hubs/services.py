"""The write layer: the admin, the API and management commands all write through these."""

import copy
import datetime
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal, InvalidOperation
from operator import attrgetter
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from hubs.identifiers import normalize_doi, parse_arxiv_id
from hubs.models import (
    Citation,
    CitationContext,
    ClassificationSource,
    Hub,
    HubRepresentative,
    Paper,
    Polarity,
    Review,
    Role,
    Verdict,
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


def _paper_identity(
    *,
    arxiv_id: str | None,
    doi: str | None,
    acl_id: str | None,
    s2_corpus_id: int | None,
    openalex_id: str | None,
) -> dict:
    ids = {}
    if arxiv_id:
        parsed = parse_arxiv_id(arxiv_id)
        ids["arxiv_id"] = parsed.id
        if parsed.version:
            ids["arxiv_version"] = parsed.version
    if doi:
        ids["doi"] = normalize_doi(doi)
    if acl_id:
        ids["acl_id"] = acl_id.strip()
    if s2_corpus_id:
        ids["s2_corpus_id"] = int(s2_corpus_id)
    if openalex_id:
        ids["openalex_id"] = openalex_id.strip().rsplit("/", 1)[-1]
    if not ({"arxiv_id", "doi", "acl_id", "s2_corpus_id", "openalex_id"} & ids.keys()):
        raise ValidationError("A paper needs at least one identifier (arXiv id, DOI, ...).")
    return ids


def _paper_find(ids: dict) -> Paper | None:
    """The paper these ids name, matched by arXiv id, then DOI, then the other ids."""
    for field in ("arxiv_id", "doi", "acl_id", "s2_corpus_id", "openalex_id"):
        if field in ids and (paper := Paper.objects.filter(**{field: ids[field]}).first()):
            return paper
    return None


def _dates(*, submitted: datetime.date | None, arxiv_id: str | None) -> dict:
    """Year, month and sort date: from the submission date, else from the arXiv id."""
    if submitted:
        year, month = submitted.year, submitted.month
    elif arxiv_id:
        year, month = parse_arxiv_id(arxiv_id).year_month
    else:
        return {"year": None, "month": None, "sort_date": None}
    return {
        "year": year,
        "month": month,
        "sort_date": submitted or datetime.date(year, month, 1),
    }


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
) -> tuple[Paper, bool]:
    """Create the paper these ids name, or bring its metadata up to date; (paper, created).

    Where the day of submission is unknown, year and month come from the arXiv id.
    """
    try:
        ids = _paper_identity(
            arxiv_id=arxiv_id,
            doi=doi,
            acl_id=acl_id,
            s2_corpus_id=s2_corpus_id,
            openalex_id=openalex_id,
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
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
        **_dates(submitted=submitted, arxiv_id=ids.get("arxiv_id")),
    }
    paper = _paper_find(ids)
    if paper is None:
        return Paper.objects.create(**values), True
    changed = [field for field, value in values.items() if getattr(paper, field) != value]
    if changed:
        for field in changed:
            setattr(paper, field, values[field])
        paper.save(update_fields=[*changed, "updated_at"])
    return paper, False


@transaction.atomic
def paper_update(*, paper: Paper, changes: dict) -> Paper:
    """Change a paper's identifiers or metadata (an admin edit); ids are normalised again."""
    ids = {
        field: changes.get(field, getattr(paper, field))
        for field in ("arxiv_id", "doi", "acl_id", "s2_corpus_id", "openalex_id")
    }
    try:
        normalised = _paper_identity(**ids)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    for field in ("arxiv_id", "doi", "acl_id", "s2_corpus_id", "openalex_id"):
        setattr(paper, field, normalised.get(field))
    if "arxiv_version" in changes or "arxiv_version" in normalised:
        paper.arxiv_version = normalised.get("arxiv_version", changes.get("arxiv_version"))
    for field in PAPER_METADATA_FIELDS:
        if field in changes:
            setattr(paper, field, changes[field])
    for field, value in _dates(submitted=paper.submitted, arxiv_id=paper.arxiv_id).items():
        setattr(paper, field, value)
    paper.full_clean()
    paper.save()
    return paper


@transaction.atomic
def citation_add(
    *,
    citing: Paper,
    cited: Paper,
    refs: int = 1,
    contexts: Sequence[tuple[str, str]] = (),
) -> tuple[Citation, bool]:
    """Record that `citing` cites `cited`; (citation, created). Contexts are (text, section).

    Adding an existing pair again updates its refs and, when contexts are given, replaces
    its contexts; it never touches the classification.
    """
    if citing.pk == cited.pk:
        raise ValidationError("A paper cannot cite itself.")
    if refs < 1:
        raise ValidationError("refs must be at least 1.")
    citation, created = Citation.objects.get_or_create(
        citing=citing, cited=cited, defaults={"refs": refs}
    )
    if not created and citation.refs != refs:
        citation.refs = refs
        citation.save(update_fields=["refs"])
    wanted = [(text, section) for text, section in contexts if text.strip()]
    if wanted and wanted != list(citation.contexts.values_list("text", "section")):
        citation.contexts.all().delete()
        CitationContext.objects.bulk_create(
            CitationContext(citation=citation, text=text, section=section, position=position)
            for position, (text, section) in enumerate(wanted)
        )
    return citation, created


def _check_label(value: str, choices: type, what: str) -> None:
    if value not in ("", *choices.values):
        raise ValidationError(
            f"Unknown {what} {value!r}; expected one of {', '.join(choices.values)} or empty."
        )


def _apply_classification(
    citation: Citation,
    *,
    role: str | None,
    polarity: str | None,
    source: str,
    confidence: float | None,
    by: User | None,
    now: datetime.datetime,
) -> None:
    if source != citation.classification_source:
        # A label keeps the source that set it: when a curator sets only the role of a
        # citation a model labelled, the model's polarity must not become the curator's.
        # A label not given is dropped rather than passed off under the new source.
        citation.role = role if role is not None else ""
        citation.polarity = polarity if polarity is not None else ""
    else:
        if role is not None:
            citation.role = role
        if polarity is not None:
            citation.polarity = polarity
    if not citation.role and not citation.polarity:
        # Nothing left to vouch for: an unclassified citation has no source.
        citation.classification_source, citation.confidence = "", None
        citation.classified_by, citation.classified_at = None, None
        return
    citation.classification_source = source
    citation.confidence = confidence
    citation.classified_by = by if source == ClassificationSource.CURATOR else None
    citation.classified_at = now


def _check_classification(
    *, role: str | None, polarity: str | None, source: str, confidence: float | None
) -> None:
    if role is not None:
        _check_label(role, Role, "role")
    if polarity is not None:
        _check_label(polarity, Polarity, "polarity")
    if source not in ClassificationSource.values:
        raise ValidationError(f"Unknown classification source {source!r}.")
    if confidence is not None and not 0 <= confidence <= 1:
        raise ValidationError("confidence must be between 0 and 1.")


@transaction.atomic
def citation_classify(
    *,
    citation: Citation,
    role: str | None = None,
    polarity: str | None = None,
    by: User | None,
    source: str = ClassificationSource.CURATOR,
    confidence: float | None = None,
) -> Citation:
    """Set a citation's role and/or polarity (None leaves one as it is), recorded in history."""
    _check_classification(role=role, polarity=polarity, source=source, confidence=confidence)
    _apply_classification(
        citation,
        role=role,
        polarity=polarity,
        source=source,
        confidence=confidence,
        by=by,
        now=timezone.now(),
    )
    citation._history_user = by
    citation.save()
    return citation


CLASSIFICATION_FIELDS = [
    "role",
    "polarity",
    "classification_source",
    "confidence",
    "classified_by",
    "classified_at",
]


@transaction.atomic
def citations_classify(
    *,
    citations: Iterable[Citation],
    role: str | None = None,
    polarity: str | None = None,
    by: User | None,
    source: str = ClassificationSource.CURATOR,
    confidence: float | None = None,
) -> int:
    """Classify many citations at once, all or none; one history record each. Returns count."""
    _check_classification(role=role, polarity=polarity, source=source, confidence=confidence)
    now = timezone.now()
    batch = list(citations)
    for citation in batch:
        _apply_classification(
            citation,
            role=role,
            polarity=polarity,
            source=source,
            confidence=confidence,
            by=by,
            now=now,
        )
    bulk_update_with_history(batch, Citation, CLASSIFICATION_FIELDS, default_user=by)
    return len(batch)


class ReviewConflict(Exception):
    """Someone saved the review after the form being submitted was built."""

    def __init__(self, *, current: Review):
        self.current = current
        if current.pk is None:
            super().__init__(
                "This paper has no review yet (version 0), so there is no later version to "
                "save over. Your change was not saved; send version 0 to write the first one."
            )
            return
        who = current.curator or "someone"
        novelty = "none" if current.novelty is None else current.novelty
        super().__init__(
            f"{who} changed this review at {current.updated_at:%Y-%m-%d %H:%M} UTC, after you "
            f"opened it: verdict {current.verdict}, novelty {novelty}, summary "
            f"“{current.summary[:200]}”. Your change was not saved; reload to start from theirs."
        )


def _novelty(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        novelty = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError(f"novelty {value!r} is not a number.") from exc
    if not novelty.is_finite() or not Decimal(0) <= novelty <= Decimal(10):
        raise ValidationError(f"novelty must be between 0.0 and 10.0 (got {value}).")
    if novelty != novelty.quantize(Decimal("0.1")):
        raise ValidationError(f"novelty takes one decimal place (got {value}).")
    return novelty.quantize(Decimal("0.1"))


@transaction.atomic
def review_set(
    *,
    paper: Paper,
    verdict: str = Verdict.UNVERDICTED,
    novelty: Decimal | float | str | None = None,
    summary: str = "",
    by: User | None,
    expected_version: int | None = None,
) -> Review:
    """Set a paper's review (creating it on first use), recorded in history with `by`.

    With `expected_version` (the version the curator's form was built from), a review
    someone else saved in the meantime is not overwritten: ReviewConflict carries theirs.
    """
    if verdict not in Verdict.values:
        raise ValidationError(
            f"Unknown verdict {verdict!r}; expected one of {', '.join(Verdict.values)}."
        )
    # The row lock makes check-then-write safe against a concurrent save.
    review = Review.objects.select_for_update().filter(paper=paper).first() or Review(paper=paper)
    if expected_version is not None and review.version != expected_version:
        raise ReviewConflict(current=review)
    review.verdict = verdict
    review.novelty = _novelty(novelty)
    review.summary = summary.strip()
    review.curator = by
    review.version += 1
    review._history_user = by
    review.save()
    return review


@transaction.atomic
def hub_create(
    *, paper: Paper, slug: str, by: User | None, is_published: bool = False, curator_note: str = ""
) -> Hub:
    """Promote a paper to a hub (a draft unless is_published)."""
    hub = Hub(paper=paper, slug=slug, is_published=is_published, curator_note=curator_note)
    hub.full_clean()
    hub._history_user = by
    hub.save()
    return hub


@transaction.atomic
def hub_update(
    *, hub: Hub, by: User | None, slug: str, is_published: bool, curator_note: str
) -> Hub:
    """Change a hub's slug, published flag and curator note."""
    hub.slug, hub.is_published, hub.curator_note = slug, is_published, curator_note
    hub.full_clean(exclude=["paper"])
    hub._history_user = by
    hub.save()
    return hub


def hub_publish(*, hub: Hub, published: bool = True, by: User | None) -> Hub:
    """Publish (or withdraw) a hub's public page."""
    return hub_update(
        hub=hub, by=by, slug=hub.slug, is_published=published, curator_note=hub.curator_note
    )


def hub_representatives_check(*, hub: Hub, papers: Sequence[Paper]) -> None:
    """ValidationError unless each paper cites the hub's paper, once."""
    ids = [paper.pk for paper in papers]
    if len(set(ids)) != len(ids):
        raise ValidationError("A paper can represent a hub only once.")
    citing = set(
        Citation.objects.filter(cited_id=hub.paper_id, citing_id__in=ids).values_list(
            "citing_id", flat=True
        )
    )
    strays = [paper for paper in papers if paper.pk not in citing]
    if strays:
        names = "; ".join(paper.identifier for paper in strays)
        raise ValidationError(f"Representatives must cite the hub's paper: {names} does not.")


@transaction.atomic
def hub_set_representatives(*, hub: Hub, papers: Sequence[Paper], by: User | None) -> Hub:
    """Make `papers`, in this order, the hub's representative citing papers."""
    hub_representatives_check(hub=hub, papers=papers)
    hub.representative_links.all().delete()
    HubRepresentative.objects.bulk_create(
        HubRepresentative(hub=hub, paper=paper, position=position)
        for position, paper in enumerate(papers, start=1)
    )
    # Saving the hub writes one historical record that snapshots the new order.
    hub._history_user = by
    hub.save()
    return hub


@transaction.atomic
def hub_revert(*, hub: Hub, history_id: int, by: User | None) -> Hub:
    """Put a hub back as it was in one of its historical records, representatives included."""
    record = hub.history.get(history_id=history_id)
    snapshot = record.representatives.order_by("position").select_related("paper")
    papers = [row.paper for row in snapshot]
    hub.slug, hub.is_published, hub.curator_note = (
        record.slug,
        record.is_published,
        record.curator_note,
    )
    hub.full_clean(exclude=["paper"])
    return hub_set_representatives(hub=hub, papers=papers, by=by)


# What an undo restores, per kind of change.
REVERTIBLE = {
    "citation": (Citation, ["role", "polarity"]),
    "review": (Review, ["verdict", "novelty", "summary"]),
    "hub": (Hub, ["slug", "is_published", "curator_note"]),
}


def _check_still_current(model, fields, record, instance) -> None:
    """Refuse to undo a change that others (or later edits) have built on: undoing it
    would silently throw their values away."""
    changed = [f for f in fields if getattr(instance, f) != getattr(record, f)]
    if model is Hub:
        now = list(instance.representative_links.values_list("paper_id", flat=True))
        then = record.representatives.order_by("position").values_list("paper_id", flat=True)
        if now != list(then):
            changed.append("representatives")
    if changed:
        latest = model.history.filter(id=record.id).select_related("history_user").first()
        who = latest.history_user or "the site"
        raise ValidationError(
            f"This {model._meta.verbose_name} has changed since ({', '.join(changed)}; "
            f"last by {who} at {latest.history_date:%Y-%m-%d %H:%M} UTC). Undoing this "
            "change would lose that: undo the newer change first, or edit it directly."
        )


@transaction.atomic
def change_revert(*, kind: str, history_id: int, by: User) -> object:
    """Undo one recorded change (of a citation's labels, a review or a hub) by restoring
    the values it replaced; the undo is itself a change, recorded as made by `by`.

    Curators may undo their own changes; superusers anyone's. A change that has been
    changed again since is not undone (ValidationError), so nothing newer is lost.
    """
    if kind not in REVERTIBLE:
        raise ValidationError(f"Unknown kind of change {kind!r}.")
    model, fields = REVERTIBLE[kind]
    record = model.history.filter(history_id=history_id).select_related("history_user").first()
    if record is None:
        raise ValidationError(f"No {kind} change #{history_id}.")
    if not (by.is_superuser or record.history_user_id == by.pk):
        raise PermissionDenied("Curators may undo their own changes only.")
    instance = model.objects.select_for_update().filter(pk=record.id).first()
    if instance is None:
        raise ValidationError(f"The {kind} of change #{history_id} no longer exists.")
    _check_still_current(model, fields, record, instance)
    before = record.prev_record
    instance._change_reason = f"Undo of change #{history_id}"
    if kind == "citation":
        return citation_classify(
            citation=instance,
            role=before.role if before else "",
            polarity=before.polarity if before else "",
            source=(before.classification_source if before else "") or "curator",
            confidence=before.confidence if before else None,
            by=by,
        )
    if kind == "review":
        return review_set(
            paper=instance.paper,
            verdict=before.verdict if before else Verdict.UNVERDICTED,
            novelty=before.novelty if before else None,
            summary=before.summary if before else "",
            by=by,
        )
    if before is None:
        raise ValidationError("This change created the hub; unpublish it instead.")
    return hub_revert(hub=instance, history_id=before.history_id, by=by)


# Bulk writes: the importers (hubs/importers/) and generate_corpus write through these. They
# keep the rules of paper_upsert and citation_add, but look papers up once per batch (one
# query per id kind) and write new rows with COPY or one executemany (_insert_many), so a
# batch of thousands of records costs a handful of queries. A bad record never sinks its
# batch: each record gets an Outcome, and the caller decides whether "invalid" aborts.

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
    return result
