"""Writes on citations: add one, and set its role and polarity (singly or in bulk)."""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from hubs.models import (
    Citation,
    CitationContext,
    ClassificationSource,
    Paper,
    Polarity,
    Role,
)
from hubs.numbers_cache import numbers_changed


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
    numbers_changed(paper_ids=[cited.pk])
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


def _changes_labels(citation: Citation, *, by: User | None, **labels) -> bool:
    """Would classifying `citation` with these labels change what it records?"""
    fields = ("role", "polarity", "classification_source", "confidence", "classified_by_id")
    before = tuple(getattr(citation, field) for field in fields)
    trial = Citation(
        **{field: getattr(citation, field) for field in fields[:-1]},
        classified_by_id=citation.classified_by_id,
    )
    _apply_classification(trial, **labels, by=by, now=timezone.now())
    return tuple(getattr(trial, field) for field in fields) != before


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
    """Set a citation's role and/or polarity (None leaves one as it is), recorded in history.

    Setting what is already there writes nothing, so the history holds only real changes.
    """
    _check_classification(role=role, polarity=polarity, source=source, confidence=confidence)
    if not _changes_labels(
        citation, role=role, polarity=polarity, source=source, confidence=confidence, by=by
    ):
        return citation
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
    numbers_changed(paper_ids=[citation.cited_id])
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
    """Classify many citations at once, all or none; one history record for each one that
    changes. Returns how many changed."""
    _check_classification(role=role, polarity=polarity, source=source, confidence=confidence)
    now = timezone.now()
    labels = {"role": role, "polarity": polarity, "source": source, "confidence": confidence}
    batch = [citation for citation in citations if _changes_labels(citation, **labels, by=by)]
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
    numbers_changed(paper_ids={citation.cited_id for citation in batch})
    return len(batch)
