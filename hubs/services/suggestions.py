"""Suggested labels: the classifier's adapter, storing its suggestions in bulk, and
counting curators' answers to suggestions.

The adapter (classifier(), suggest(), classifier_metadata()) is the one place that knows
the model's interface (hubs.classification); the classify_citations command, the
importers' --classify and the demo loader all call citations_suggest() here. Tests swap
classifier() for a small fake model, so they need no trained one.

Suggestions live in their own fields of Citation (hubs.models), so a model run cannot
overwrite what a person set; it also never replaces an import's suggestion (rules.
suggestion_apply), and it leaves alone each label a curator has set.
"""

import datetime
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from hubs.classification import Suggestion
from hubs.counts import counts_kept
from hubs.models import (
    SUGGESTION_FIELDS,
    Citation,
    CitationContext,
    ClassificationSource,
    Hub,
    SuggestionFeedback,
)
from hubs.numbers_cache import numbers_changed
from hubs.querysets import LABEL_FIELDS, labelled_q
from hubs.services.rules import suggestion_apply

SUGGEST_BATCH = 1000


class ClassifierMissing(RuntimeError):
    """No trained classifier is installed (hubs.classification has no model to load)."""


@cache
def classifier():
    """The trained model, loaded once per process (hubs.classification.load_model: the
    model shipped in hubs/classification/model/)."""
    try:
        from hubs.classification import load_model
    except ImportError as exc:
        raise ClassifierMissing("The classifier (hubs.classification) is not installed.") from exc
    try:
        return load_model()
    except (FileNotFoundError, OSError) as exc:
        raise ClassifierMissing(f"No trained classifier model: {exc}") from exc


def classifier_version() -> str:
    return str(classifier().version)


def classifier_metadata() -> dict | None:
    """The model's metadata.json (how it was trained, its dev scores), or None when no
    model (or no metadata) is installed."""
    try:
        model = classifier()
    except ClassifierMissing:
        return None
    metadata = getattr(model, "metadata", None)
    if metadata is not None:
        return metadata
    from hubs import classification

    folder = getattr(classification, "SHIPPED_MODEL_DIR", None)
    try:
        return json.loads((Path(folder) / "metadata.json").read_text(encoding="utf-8"))
    except (TypeError, OSError, ValueError):
        return None


def suggest(texts: Sequence[str], sections: Sequence[str] | None = None) -> list[Suggestion]:
    """The classifier's role and polarity, each with its confidence, for each text (and
    the section it stands in, which the model reads too)."""
    if not texts:
        return []
    predictions = classifier().predict(list(texts), sections=list(sections) if sections else None)
    return [
        Suggestion(p.role, p.role_confidence, p.polarity, p.polarity_confidence)
        for p in predictions
    ]


def _combined(suggestions: list[Suggestion], field: str) -> tuple[str, float]:
    """One citation's label from its contexts' suggestions: the most confident context's
    (a citation usually has one context; where it has several, the clearest sentence
    says most, and averaging would blur a clear "uses method" with a vague mention)."""
    best = max(suggestions, key=lambda s: getattr(s, f"{field}_confidence"))
    return getattr(best, field), round(float(getattr(best, f"{field}_confidence")), 4)


@dataclass
class SuggestReport:
    version: str = ""
    citations: int = 0  # citations with a context that were looked at
    # Per label (role, polarity): created, updated, unchanged, skipped (an import's
    # suggestion stands), curated (a curator's label stands, nothing suggested).
    labels: dict[str, Counter] = field(
        default_factory=lambda: {name: Counter() for name in LABEL_FIELDS}
    )
    public: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABEL_FIELDS, 0))

    def lines(self) -> list[str]:
        """The report in words, one line per label."""
        out = [
            f"classifier {self.version}: {self.citations} citation(s) with citing sentences "
            "to classify"
        ]
        for name in LABEL_FIELDS:
            counts = self.labels[name]
            stored = counts["created"] + counts["updated"]
            out.append(
                f"{name}: {stored} suggested ({counts['created']} new, {counts['updated']} "
                f"replaced), {counts['unchanged']} unchanged, {counts['skipped']} left to an "
                f"import, {counts['curated']} set by curators; {self.public[name]} of the "
                "suggestions stored count as classified (at or above their threshold)"
            )
        return out


def _missing_q(version: str) -> Q:
    """Citations with a label no curator set and no current suggestion for it."""
    missing = Q()
    for name in LABEL_FIELDS:
        stale = Q(**{f"suggested_{name}_source": ClassificationSource.MODEL}) & ~Q(
            suggestion_version=version
        )
        missing |= Q(**{name: "", f"suggested_{name}_source": ""}) | (Q(**{name: ""}) & stale)
    return missing


def _to_suggest(*, hub: Hub | None, citations, only_missing: bool, version: str):
    queryset = Citation.objects.all() if citations is None else citations
    if hub is not None:
        queryset = queryset.filter(cited_id=hub.paper_id)
    queryset = queryset.filter(Exists(CitationContext.objects.filter(citation_id=OuterRef("pk"))))
    if only_missing:
        queryset = queryset.filter(_missing_q(version))
    return queryset


def citations_suggest(
    *,
    hub: Hub | None = None,
    citations=None,
    only_missing: bool = False,
    batch: int = SUGGEST_BATCH,
    progress=None,
) -> SuggestReport:
    """Store the classifier's suggestions for citations with contexts (of `hub`, or of the
    `citations` queryset, or all), `batch` citations per transaction, set-based.

    Never touches a curator's label (and suggests nothing for a label a curator set) nor
    an import's suggestion; replaces model suggestions, so a re-run after a new model
    renews them. `only_missing` skips citations whose open labels all have a current
    suggestion already. Raises ClassifierMissing without a trained model.
    """
    version = classifier_version()
    report = SuggestReport(version=version)
    queryset = _to_suggest(
        hub=hub, citations=citations, only_missing=only_missing, version=version
    )
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    if progress is not None:
        progress.start("classifying citations", len(ids))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        _suggest_batch(chunk, version=version, report=report)
        if progress is not None:
            progress.position += len(chunk)
            progress.tick(len(chunk))
    if progress is not None:
        progress.finish()
    return report


@transaction.atomic
def _suggest_batch(ids: list[int], *, version: str, report: SuggestReport) -> None:
    citations = list(
        Citation.objects.filter(pk__in=ids)
        .select_for_update()
        .only("pk", "cited_id", *LABEL_FIELDS, *SUGGESTION_FIELDS)
        .order_by("pk")
    )
    contexts = CitationContext.objects.filter(citation_id__in=ids).order_by(
        "citation_id", "position", "id"
    )
    rows = list(contexts.values_list("citation_id", "text", "section"))
    predicted = suggest([text for _, text, _ in rows], [section for _, _, section in rows])
    by_citation: dict[int, list[Suggestion]] = {}
    for (citation_id, _, _), suggestion in zip(rows, predicted, strict=True):
        by_citation.setdefault(citation_id, []).append(suggestion)
    now = timezone.now()
    changed = []
    for citation in citations:
        found = by_citation.get(citation.pk)
        if not found:
            continue
        report.citations += 1
        touched = False
        for name in LABEL_FIELDS:
            if getattr(citation, name):
                report.labels[name]["curated"] += 1
                continue
            value, confidence = _combined(found, name)
            outcome = suggestion_apply(
                citation,
                field=name,
                value=value,
                confidence=confidence,
                source=ClassificationSource.MODEL,
                version=version,
                now=now,
            )
            report.labels[name][outcome] += 1
            touched |= outcome in ("created", "updated")
        if touched:
            changed.append(citation)
    # Plain bulk_update: suggestions are not in history (hubs.models.SUGGESTION_FIELDS).
    with counts_kept(Q(pk__in=[citation.pk for citation in changed])):
        Citation.objects.bulk_update(changed, SUGGESTION_FIELDS)
    if changed:
        stored = Citation.objects.filter(pk__in=[citation.pk for citation in changed])
        for name in LABEL_FIELDS:
            report.public[name] += stored.filter(
                labelled_q(name), **{name: "", f"suggested_{name}_source": "model"}
            ).count()
    numbers_changed(paper_ids={citation.cited_id for citation in changed})


def suggestion_feedback_record(
    *, citations: Sequence[tuple[Citation, dict]], by: User | None, now: datetime.datetime
) -> None:
    """Count curators' answers to suggestions: for each (citation, its labels before) whose
    label a curator has just set where none was set and a suggestion stood, whether they
    chose the suggested value. The latest answer per citation and label is kept."""
    rows = []
    for citation, before in citations:
        for name in LABEL_FIELDS:
            chosen, suggested = getattr(citation, name), getattr(citation, f"suggested_{name}")
            if not chosen or before[name] or not suggested:
                continue
            source = getattr(citation, f"suggested_{name}_source")
            rows.append(
                SuggestionFeedback(
                    citation_id=citation.pk,
                    label=name,
                    suggested=suggested,
                    source=source,
                    version=citation.suggestion_version
                    if source == ClassificationSource.MODEL
                    else "",
                    confidence=getattr(citation, f"suggested_{name}_confidence"),
                    chosen=chosen,
                    confirmed=chosen == suggested,
                    by=by,
                    at=now,
                )
            )
    if not rows:
        return
    stale = Q()
    for name in LABEL_FIELDS:
        stale |= Q(label=name, citation_id__in=[r.citation_id for r in rows if r.label == name])
    SuggestionFeedback.objects.filter(stale).delete()
    SuggestionFeedback.objects.bulk_create(rows)
