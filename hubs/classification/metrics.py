"""Scores on labelled data: accuracy, per-class precision / recall / F1, macro-F1, the
confusion matrix, and a reliability table (confidence bins against accuracy).

Plain Python on purpose: the evaluate command and the metadata file share these, and
neither should need scikit-learn's reporting to read a score.
"""

import itertools
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

RELIABILITY_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)
HIGH_CONFIDENCE = 0.8  # the calibration check: at or above it, >= 80% correct
# Per label: how often a prediction at or above each of these confidences is right (what
# a per-label threshold in settings would buy). Overall calibration can hide a rare
# label that is confidently wrong.
THRESHOLDS = (0.7, 0.8, 0.9, 0.95)


@dataclass
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class ReliabilityBin:
    low: float
    high: float
    count: int
    accuracy: float | None
    mean_confidence: float | None


@dataclass
class LabelAtThreshold:
    label: str
    threshold: float
    count: int  # predictions of this label at or above the threshold
    precision: float | None


@dataclass
class Report:
    labels: list[str]
    accuracy: float
    macro_f1: float
    per_class: list[ClassScore]
    confusion: list[list[int]]  # rows: true label, columns: predicted, in `labels` order
    reliability: list[ReliabilityBin] = field(default_factory=list)
    high_confidence_share: float | None = None  # share of predictions >= HIGH_CONFIDENCE
    high_confidence_accuracy: float | None = None
    precision_at_thresholds: list[LabelAtThreshold] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def score(
    truth: Sequence[str],
    predicted: Sequence[str],
    *,
    labels: Sequence[str],
    confidences: Sequence[float] | None = None,
) -> Report:
    """Score predictions against the truth; macro-F1 over the labels present in the truth."""
    labels = list(labels)
    for value in (*truth, *predicted):
        if value not in labels:
            labels.append(value)
    index = {label: i for i, label in enumerate(labels)}
    confusion = [[0] * len(labels) for _ in labels]
    for true, guess in zip(truth, predicted, strict=True):
        confusion[index[true]][index[guess]] += 1
    per_class = []
    for i, label in enumerate(labels):
        tp = confusion[i][i]
        support = sum(confusion[i])
        guessed = sum(row[i] for row in confusion)
        precision = tp / guessed if guessed else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class.append(ClassScore(label, precision, recall, f1, support))
    present = [c for c in per_class if c.support]
    macro_f1 = sum(c.f1 for c in present) / len(present) if present else 0.0
    correct = sum(confusion[i][i] for i in range(len(labels)))
    report = Report(
        labels=labels,
        accuracy=correct / len(truth) if truth else 0.0,
        macro_f1=macro_f1,
        per_class=per_class,
        confusion=confusion,
    )
    if confidences is not None:
        hits = [t == p for t, p in zip(truth, predicted, strict=True)]
        report.reliability = reliability(confidences, hits)
        high = [h for h, c in zip(hits, confidences, strict=True) if c >= HIGH_CONFIDENCE]
        report.high_confidence_share = len(high) / len(hits) if hits else None
        report.high_confidence_accuracy = sum(high) / len(high) if high else None
        for label in labels:
            for threshold in THRESHOLDS:
                kept = [
                    t == p
                    for t, p, c in zip(truth, predicted, confidences, strict=True)
                    if p == label and c >= threshold
                ]
                report.precision_at_thresholds.append(
                    LabelAtThreshold(
                        label, threshold, len(kept), sum(kept) / len(kept) if kept else None
                    )
                )
    return report


def reliability(confidences: Sequence[float], hits: Sequence[bool]) -> list[ReliabilityBin]:
    """Accuracy and mean confidence per confidence bin (the last bin includes 1.0)."""
    bins = []
    edges = list(itertools.pairwise(RELIABILITY_BINS))
    for n, (low, high) in enumerate(edges):
        last = n == len(edges) - 1
        inside = [
            (c, h)
            for c, h in zip(confidences, hits, strict=True)
            if low <= c < high or (last and c == high)
        ]
        count = len(inside)
        bins.append(
            ReliabilityBin(
                low=low,
                high=high,
                count=count,
                accuracy=sum(h for _, h in inside) / count if count else None,
                mean_confidence=sum(c for c, _ in inside) / count if count else None,
            )
        )
    return bins


def format_report(report: Report) -> str:
    """The human-readable report; evaluate_classifier adds the final macro_f1= line."""
    width = max(len(label) for label in report.labels) + 2
    lines = [
        f"examples: {sum(c.support for c in report.per_class)}",
        f"accuracy: {report.accuracy:.4f}",
        f"macro-F1: {report.macro_f1:.4f}",
        "",
        f"{'class':<{width}}{'precision':>10}{'recall':>10}{'F1':>10}{'support':>10}",
    ]
    for c in report.per_class:
        lines.append(
            f"{c.label:<{width}}{c.precision:>10.4f}{c.recall:>10.4f}{c.f1:>10.4f}{c.support:>10}"
        )
    lines += ["", "confusion matrix (rows: true, columns: predicted)"]
    lines.append(" " * width + "".join(f"{label[:12]:>14}" for label in report.labels))
    for label, row in zip(report.labels, report.confusion, strict=True):
        lines.append(f"{label:<{width}}" + "".join(f"{n:>14}" for n in row))
    if report.reliability:
        lines += ["", "reliability (confidence bin: count, accuracy, mean confidence)"]
        for b in report.reliability:
            accuracy = "-" if b.accuracy is None else f"{b.accuracy:.3f}"
            mean = "-" if b.mean_confidence is None else f"{b.mean_confidence:.3f}"
            lines.append(
                f"  [{b.low:.2f}, {b.high:.2f}{']' if b.high == 1.0 else ')'}"
                f"  {b.count:>6}  {accuracy:>6}  {mean:>6}"
            )
        if report.high_confidence_accuracy is not None:
            lines.append(
                f"confidence >= {HIGH_CONFIDENCE}: {report.high_confidence_share:.1%} of "
                f"predictions, {report.high_confidence_accuracy:.1%} correct"
            )
        lines += ["", "per label, predictions at or above a confidence: count, share correct"]
        lines.append(f"{'label':<{width}}" + "".join(f"{t:>14}" for t in THRESHOLDS))
        for label in report.labels:
            cells = []
            for row in report.precision_at_thresholds:
                if row.label == label:
                    share = "-" if row.precision is None else f"{row.precision:.3f}"
                    cells.append(f"{row.count:>6} {share:>7}")
            lines.append(f"{label:<{width}}" + "".join(f"{c:>14}" for c in cells))
    return "\n".join(lines)
