"""The trained classifier: features plus one linear head per task, with calibration.

A head is a linear model over the feature row (a linear SVM for roles, a logistic
regression for polarity). Its scores are divided by a temperature before the softmax and
the top probability goes through a per-label confidence map, both fitted on out-of-fold
predictions of the training data (training.py), so that a confidence of 0.8 means right
about 8 times in 10.

Files in a model folder:
- ``classifier.npz``: vocabularies, idf weights, head weights (plain arrays, no pickle);
- ``classifier.json``: version, labels, temperatures, calibration, block weights;
- ``metadata.json``: how it was trained and how it scored on dev (train_classifier).
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hubs.classification import Suggestion
from hubs.classification.features import Featurizer

ARRAYS = "classifier.npz"
CONFIG = "classifier.json"
METADATA = "metadata.json"
TASKS = ("role", "polarity")


@dataclass
class Head:
    labels: list[str]
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray  # (classes,)
    temperature: float = 1.0
    # Per predicted label, (a, b): confidence = sigmoid(a * logit(probability) + b), fitted
    # on out-of-fold predictions of that label, so that it estimates how often a prediction
    # of *that* label is right (a rare label's raw probability is over-confident).
    calibration: np.ndarray | None = None  # (classes, 2)

    def confidence(self, label_index: np.ndarray, probability: np.ndarray) -> np.ndarray:
        if self.calibration is None:
            return probability
        p = np.clip(probability, 1e-6, 1 - 1e-6)
        a, b = self.calibration[label_index, 0], self.calibration[label_index, 1]
        return 1 / (1 + np.exp(-(a * np.log(p / (1 - p)) + b)))

    def logits(self, features) -> np.ndarray:
        return np.asarray(features @ self.coef.T) + self.intercept

    def probabilities(self, features) -> np.ndarray:
        return softmax(self.logits(features) / self.temperature)


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


@dataclass
class Prediction:
    label: str
    confidence: float


class CitationClassifier:
    """Predicts a role and a polarity, each with a calibrated confidence, per context."""

    def __init__(self, *, version: str, featurizer: Featurizer, heads: dict[str, Head]):
        self.version = version
        self.featurizer = featurizer
        self.heads = heads

    def predict(
        self, texts: Sequence[str], sections: Sequence[str | None] | None = None
    ) -> list[Suggestion]:
        """A role and a polarity, each with its confidence (0..1), for each text."""
        if not texts:
            return []
        features = self.featurizer.transform(texts, sections)
        role = self._best(self.heads["role"], features)
        polarity = self._best(self.heads["polarity"], features)
        return [
            Suggestion(r.label, r.confidence, p.label, p.confidence)
            for r, p in zip(role, polarity, strict=True)
        ]

    def predict_task(
        self,
        task: str,
        texts: Sequence[str],
        sections: Sequence[str | None] | None = None,
        *,
        labels: Sequence[str] | None = None,
    ) -> list[Prediction]:
        """One task's predictions; `labels` limits the choice to those labels (for scoring
        on a corpus that cannot express the others), renormalising the confidences."""
        if not texts:
            return []
        return self._best(self.heads[task], self.featurizer.transform(texts, sections), labels)

    @staticmethod
    def _best(head: Head, features, labels: Sequence[str] | None = None) -> list[Prediction]:
        probabilities = head.probabilities(features)
        if labels is not None:
            keep = np.array([label in labels for label in head.labels])
            probabilities = np.where(keep, probabilities, 0.0)
            probabilities /= probabilities.sum(axis=1, keepdims=True)
        best = probabilities.argmax(axis=1)
        confidences = head.confidence(best, probabilities[np.arange(len(best)), best])
        return [
            Prediction(head.labels[i], float(confidence))
            for i, confidence in zip(best, confidences, strict=True)
        ]

    def save(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        arrays = self.featurizer.to_arrays()
        config = {"version": self.version, "heads": {}}
        for task, head in self.heads.items():
            arrays[f"{task}_coef"] = head.coef.astype(np.float32)
            arrays[f"{task}_intercept"] = head.intercept.astype(np.float32)
            config["heads"][task] = {
                "labels": list(head.labels),
                "temperature": float(head.temperature),
                "calibration": None
                if head.calibration is None
                else [[float(a), float(b)] for a, b in head.calibration],
            }
        np.savez_compressed(folder / ARRAYS, **arrays)
        (folder / CONFIG).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        return [folder / ARRAYS, folder / CONFIG]

    @classmethod
    def load(cls, folder: Path) -> "CitationClassifier":
        config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
        with np.load(folder / ARRAYS, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        heads = {
            task: Head(
                labels=spec["labels"],
                coef=arrays[f"{task}_coef"],
                intercept=arrays[f"{task}_intercept"],
                temperature=spec["temperature"],
                calibration=None
                if spec.get("calibration") is None
                else np.array(spec["calibration"], dtype=np.float64),
            )
            for task, spec in config["heads"].items()
        }
        return cls(
            version=config["version"], featurizer=Featurizer.from_arrays(arrays), heads=heads
        )
