"""Suggested roles and polarities for citing sentences: a small CPU model.

What it reads: the citing sentence (word and character n-grams, TF-IDF), the kind of
section it stands in when known, and a few stance-cue counts; one calibrated linear
head per task (a linear SVM for roles, a logistic regression for polarity). It runs on
numpy, scipy and scikit-learn only, at thousands of sentences per second on one core, and
downloads nothing.

Use (the integrator's entry point)::

    from hubs.classification import load_model

    model = load_model()  # cached; the model shipped in hubs/classification/model/
    model.version  # e.g. "ngram-lr-20261130-3f2a9c1e"
    [s] = model.predict(["We use the parser of Smith et al. (2010)."], sections=["Methods"])
    s.role, s.role_confidence, s.polarity, s.polarity_confidence

Rebuild the shipped model (needs ../shared/data; 1.5 to 3 minutes on 2 shared cores;
seeded, so the same data give byte-identical weights)::

    python manage.py train_classifier --data ../shared/data --out hubs/classification/model

Score it on a labelled file::

    python manage.py evaluate_classifier --task role --data ../shared/data/scicite/dev.jsonl

Labels: roles background, builds_on (from ACL-ARC's Extends, few examples), uses_method,
compares_with; uses_data joins once curators have labelled a few (--with-curated).
Polarities supporting, neutral, contrasting. Confidences are calibrated per predicted
label (model.py), so a label the model is often wrong about rarely reaches a high
confidence: on the Athar dev split no "contrasting" prediction reaches 0.7.
Dev scores, confusion matrices and reliability tables: ``model/metadata.json``.

numpy and friends are imported on first use, not at Django start-up.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SHIPPED_MODEL_DIR = Path(__file__).resolve().parent / "model"


@dataclass(frozen=True)
class Suggestion:
    role: str
    role_confidence: float
    polarity: str
    polarity_confidence: float


def load_model(path: Path | str | None = None):
    """The classifier in `path` (default: the shipped one), loaded once per process."""
    return _load(Path(path).resolve() if path else SHIPPED_MODEL_DIR)


@lru_cache(maxsize=4)
def _load(path: Path):
    from hubs.classification.model import CitationClassifier

    return CitationClassifier.load(path)
