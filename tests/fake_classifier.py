"""A small stand-in for the trained classifier (hubs.classification), so tests of storing,
counting and showing suggestions need no trained model. It reads a few words."""

from dataclasses import dataclass

import pytest

from hubs.services import suggestions


@dataclass(frozen=True)
class FakePrediction:
    role: str
    role_confidence: float
    polarity: str
    polarity_confidence: float


class FakeModel:
    """Words decide: "use" -> uses method (0.9), "outperform" -> compares with (0.85) and
    contrasting (0.75), "extend" -> builds on (0.7) and supporting (0.97); else background
    (0.6) and neutral (0.82)."""

    def __init__(self, version: str = "fake-1"):
        self.version = version
        self.metadata = {
            "version": version,
            "trained_at": "2026-11-30T08:00:00",
            "train_examples": {"role": 11000, "polarity": 7000},
            "data_files": [{"path": "scicite/train.jsonl", "sha256": "ab" * 32, "bytes": 2048}],
            "label_mappings": {"athar": {"p": "supporting", "o": "neutral", "n": "contrasting"}},
            "dev": {
                "role": {
                    "labels": ["background", "uses_method"],
                    "accuracy": 0.875,
                    "macro_f1": 0.851,
                    "per_class": [
                        {
                            "label": "background",
                            "precision": 0.9,
                            "recall": 0.8,
                            "f1": 0.85,
                            "support": 10,
                        },
                        {
                            "label": "uses_method",
                            "precision": 0.8,
                            "recall": 0.9,
                            "f1": 0.85,
                            "support": 6,
                        },
                    ],
                    "confusion": [[8, 2], [1, 5]],
                    "reliability": [
                        {
                            "low": 0.8,
                            "high": 1.0,
                            "count": 9,
                            "accuracy": 0.889,
                            "mean_confidence": 0.86,
                        },
                    ],
                    "high_confidence_share": 0.56,
                    "high_confidence_accuracy": 0.889,
                }
            },
        }
        self.calls = 0

    def predict(self, texts, sections=None):
        self.calls += 1
        return [self._one(text.lower()) for text in texts]

    @staticmethod
    def _one(text: str) -> FakePrediction:
        if "outperform" in text:
            return FakePrediction("compares_with", 0.85, "contrasting", 0.75)
        if "extend" in text:
            return FakePrediction("builds_on", 0.7, "supporting", 0.97)
        if "use" in text:
            return FakePrediction("uses_method", 0.9, "neutral", 0.82)
        return FakePrediction("background", 0.6, "neutral", 0.82)


@pytest.fixture
def fake_classifier(monkeypatch):
    """Swap the classifier for a FakeModel; the test may change its `version`."""
    model = FakeModel()
    monkeypatch.setattr(suggestions, "classifier", lambda: model)
    return model


def _missing():
    raise suggestions.ClassifierMissing("The classifier (hubs.classification) is not installed.")


@pytest.fixture
def no_classifier(monkeypatch):
    """As on a site where no model is installed."""
    monkeypatch.setattr(suggestions, "classifier", _missing)


@pytest.fixture(autouse=True)
def classifier_off_unless_asked(request, monkeypatch):
    """Tests run without the shipped model unless they ask for it (the marker
    `shipped_classifier`) or for the fake: a new model must not change what the rest of
    the suite sees, e.g. what `load_demo` writes."""
    if "shipped_classifier" not in request.keywords:
        monkeypatch.setattr(suggestions, "classifier", _missing)
