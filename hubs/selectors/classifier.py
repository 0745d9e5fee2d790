"""What the public classifier page shows: the installed model's metadata (its dev scores,
confusion matrices and reliability tables), the thresholds, and how curators have
answered its suggestions so far."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from hubs.labels import label_name
from hubs.models import ClassificationSource, SuggestionFeedback
from hubs.querysets import LABEL_FIELDS, thresholds
from hubs.services.suggestions import classifier_metadata


@dataclass(frozen=True)
class ScoreTable:
    """One scored evaluation found in the metadata (e.g. the role head on SciCite dev)."""

    title: str
    accuracy: float | None
    macro_f1: float | None
    per_class: list[dict]
    labels: list[str]
    confusion: list[tuple[str, list[int]]]  # (true label, counts per predicted label)
    reliability: list[dict]
    high_confidence_share: float | None
    high_confidence_accuracy: float | None


@dataclass(frozen=True)
class Feedback:
    label: str  # role or polarity
    source: str  # model or import
    confirmed: int
    overridden: int

    @property
    def answered(self) -> int:
        return self.confirmed + self.overridden

    @property
    def confirmed_share(self) -> float:
        return self.confirmed / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class ClassifierAbout:
    metadata: dict | None  # None: no model installed
    scores: list[ScoreTable]
    facts: list[tuple[str, str]]  # the metadata's plain values (version, date, ...)
    data_files: list[tuple[str, str, int | None]]  # (path, sha256 prefix, bytes) trained on
    label_mappings: dict[str, list[tuple[str, str]]]  # corpus -> (its label, our label)
    thresholds: dict[str, list[tuple[str, float]]]  # role/polarity -> (label, threshold)
    feedback: list[Feedback] = field(default_factory=list)

    @property
    def installed(self) -> bool:
        return self.metadata is not None


def _scalar(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _plain(value) -> bool:
    """A value the page can show as text: a scalar, or a flat mapping of scalars."""
    if isinstance(value, dict):
        return bool(value) and all(_scalar(inner) for inner in value.values())
    return _scalar(value) and value is not None


def _fact(key, value) -> tuple[str, str]:
    if isinstance(value, dict):
        value = ", ".join(f"{inner_key} {inner}" for inner_key, inner in value.items())
    return str(key).replace("_", " "), str(value)


def _is_report(value) -> bool:
    return isinstance(value, dict) and "macro_f1" in value and "labels" in value


def _reports(value, path: tuple[str, ...] = ()):
    """Every scored report in the metadata, wherever the trainer put it, with its path."""
    if _is_report(value):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _reports(inner, (*path, str(key)))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _reports(inner, (*path, str(index)))


def _score_table(path: tuple[str, ...], report: dict) -> ScoreTable:
    labels = [str(label) for label in report.get("labels", [])]
    matrix = report.get("confusion") or []
    return ScoreTable(
        title=" · ".join(path) or "scores",
        accuracy=report.get("accuracy"),
        macro_f1=report.get("macro_f1"),
        per_class=list(report.get("per_class") or []),
        labels=labels,
        confusion=list(zip(labels, matrix, strict=False)),
        reliability=list(report.get("reliability") or []),
        high_confidence_share=report.get("high_confidence_share"),
        high_confidence_accuracy=report.get("high_confidence_accuracy"),
    )


def suggestion_feedback() -> list[Feedback]:
    """How curators answered suggestions, per label and source: one GROUP BY."""
    rows = (
        SuggestionFeedback.objects.values("label", "source")
        .annotate(
            n_confirmed=Count("pk", filter=Q(confirmed=True)),
            n_overridden=Count("pk", filter=Q(confirmed=False)),
        )
        .order_by("label", "source")
    )
    found = {(row["label"], row["source"]): row for row in rows}
    return [
        Feedback(
            label=label,
            source=source,
            confirmed=found.get((label, source), {}).get("n_confirmed", 0),
            overridden=found.get((label, source), {}).get("n_overridden", 0),
        )
        for label in LABEL_FIELDS
        for source in (ClassificationSource.MODEL, ClassificationSource.IMPORT)
    ]


def classifier_about() -> ClassifierAbout:
    """The classifier page's content (metadata read from the installed model's files)."""
    metadata = classifier_metadata()
    facts = [_fact(key, value) for key, value in (metadata or {}).items() if _plain(value)]
    files = [
        (str(row.get("path", "")), str(row.get("sha256", ""))[:12], row.get("bytes"))
        for row in (metadata or {}).get("data_files") or []
        if isinstance(row, dict)
    ]
    mappings = {
        str(corpus): [(str(source), str(ours or "dropped")) for source, ours in mapping.items()]
        for corpus, mapping in ((metadata or {}).get("label_mappings") or {}).items()
        if isinstance(mapping, dict)
    }
    return ClassifierAbout(
        metadata=metadata,
        scores=[_score_table(path, report) for path, report in _reports(metadata or {})],
        facts=facts,
        data_files=files,
        label_mappings=mappings,
        thresholds={
            name: [(label_name(name, value), t) for value, t in values.items()]
            for name, values in thresholds().items()
        },
        feedback=suggestion_feedback(),
    )
