"""The write layer: the admin, the API and management commands all write through these."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

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
